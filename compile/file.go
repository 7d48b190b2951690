package compile

import (
	"os"
	"path/filepath"

	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/parser"
	"github.com/gostan/gostan/stan/token"
)

// File parses, checks and compiles a Stan file; #include finds files in
// its directory. Diagnostics come back as a scanner.ErrorList.
func File(path string) (*Program, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Source(path, src, filepath.Dir(path))
}

// Source parses, checks and compiles a program held in memory, named name
// in its diagnostics (a scanner.ErrorList); #include finds files in the
// directories includeDirs.
func Source(name string, src []byte, includeDirs ...string) (*Program, error) {
	return sourceWith(name, src, allOptimizations, includeDirs...)
}

// sourceWith is Source taking only the fused paths in opts.
func sourceWith(name string, src []byte, opts optimizations, includeDirs ...string) (*Program, error) {
	fset := token.NewFileSet()
	prog, err := parser.ParseFile(fset, name, src, parser.DirIncluder(includeDirs...))
	if err != nil {
		return nil, err
	}
	info, err := check.Check(fset, prog)
	if err != nil {
		return nil, err
	}
	return compileWith(fset, prog, info, opts)
}
