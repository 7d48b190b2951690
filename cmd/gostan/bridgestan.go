package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/bridgestan"
)

func newBridgeStanCmd() *cobra.Command {
	var out, src string
	cmd := &cobra.Command{
		Use:   "bridgestan MODEL.stan",
		Short: "Build a shared library that serves the program through BridgeStan's C API",
		Long: "bridgestan builds a shared library (go build -buildmode=c-shared, which needs the go command\n" +
			"and a C compiler, but no C++ toolchain) that embeds the program and exports BridgeStan's C API, so\n" +
			"BridgeStan's Python, Julia, R and Rust clients load it as they load a library BridgeStan built:\n" +
			"  bridgestan.StanModel(\"./eight_schools_model.so\", \"eight_schools.data.json\")\n" +
			"The library is built from gostan's source: the tree gostan was built from, or --gostan-src, or\n" +
			"$GOSTAN_SRC. See docs/bridgestan.md.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				// BridgeStan's own name for a program's library.
				out = strings.TrimSuffix(args[0], filepath.Ext(args[0])) + "_model.so"
			}
			ctx, stop := interruptible(cmd.ErrOrStderr(), "the build is abandoned")
			defer stop()
			err := bridgestan.Build(ctx, bridgestan.BuildOptions{Stan: args[0], Out: out, Src: src})
			if ctx.Err() != nil {
				return interruptedExit(ctx)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the library to write (default: MODEL_model.so next to MODEL.stan)")
	cmd.Flags().StringVar(&src, "gostan-src", "", "a checkout of gostan's module to build the library from")
	return cmd
}
