package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/info"
	"github.com/gostan/gostan/stan/parser"
	"github.com/gostan/gostan/stan/printer"
	"github.com/gostan/gostan/stan/scanner"
	"github.com/gostan/gostan/stan/token"
)

func newCheckCmd() *cobra.Command {
	var showAST, showInfo bool
	var includes []string
	var conf check.Config
	cmd := &cobra.Command{
		Use:   "check FILE...",
		Short: "Parse and type-check Stan programs",
		Long: "check parses and type-checks each Stan program, printing every diagnostic with its\n" +
			"file:line:col, the source line and a caret. It exits 0 when all programs are valid.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			failed := false
			for _, path := range args {
				prog, chk, fset, err := loadProgram(cmd.ErrOrStderr(), path, includes, conf)
				if err != nil {
					failed = true
					continue
				}
				if showAST {
					printer.Fprint(cmd.OutOrStdout(), prog)
				}
				if showInfo {
					b, err := info.JSON(fset, prog, chk)
					if err != nil {
						return err
					}
					cmd.OutOrStdout().Write(b)
				}
			}
			if failed {
				return exitError{}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&showAST, "ast", false, "print each program in canonical form")
	cmd.Flags().BoolVar(&showInfo, "info", false, "print each program's variables (type, dimensions, constraint), the library functions and distributions it calls and the files it includes, as stanc3's --info JSON")
	cmd.Flags().StringSliceVar(&includes, "include-paths", nil, "directories searched by #include (default: the program's directory)")
	cmd.Flags().BoolVar(&conf.AllowUndefined, "allow-undefined", false, "accept functions declared without a definition (as stanc3's flag; such a program checks but does not compile)")
	return cmd
}

// loadProgram parses and checks a Stan file, printing diagnostics to
// stderr; the error only says that it failed.
func loadProgram(stderr io.Writer, path string, includes []string, conf check.Config) (*ast.Program, *check.Info, *token.FileSet, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(stderr, "gostan:", err)
		return nil, nil, nil, err
	}
	if len(includes) == 0 {
		includes = []string{filepath.Dir(path)}
	}
	fset := token.NewFileSet()
	prog, err := parser.ParseFile(fset, path, src, parser.DirIncluder(includes...))
	if err == nil {
		var info *check.Info
		if info, err = conf.Check(fset, prog); err == nil {
			if len(info.Warnings) > 0 && stderr != nil {
				fmt.Fprint(stderr, info.Warnings.Render(fset))
			}
			return prog, info, fset, nil
		}
	}
	if list, ok := err.(scanner.ErrorList); ok {
		fmt.Fprint(stderr, list.Render(fset))
	} else {
		fmt.Fprintln(stderr, err)
	}
	return nil, nil, nil, err
}
