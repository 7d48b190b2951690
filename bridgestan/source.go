// Package bridgestan serves a Stan program through BridgeStan's C API
// (https://roualdes.github.io/bridgestan), so that BridgeStan's clients
// (its Python, Julia, R and Rust packages, nutpie, BlackJAX users) load a
// program compiled by gostan with no C++ toolchain.
//
// Build writes a Go main package that embeds one program's source and
// imports package capi, which exports the bs_* functions, and builds it
// with go build -buildmode=c-shared: one library per program, as
// BridgeStan's own. Model is the Go side of the API, free of cgo, so that
// it can be tested without a C compiler. See docs/bridgestan.md.
package bridgestan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/parser"
	"github.com/gostan/gostan/stan/scanner"
	"github.com/gostan/gostan/stan/token"
)

// Source is a Stan program as a library embeds it: the main file and the
// files it #includes, so that the library needs no file but itself.
type Source struct {
	// Name is the model's name, bs_name's answer: the file's base name
	// without .stan.
	Name string
	// Path is the file the program was read from; messages name it.
	Path string
	// Text is the main file.
	Text string
	// Includes are the #include'd files by the path written in the
	// program.
	Includes map[string]string
}

// ReadSource reads a Stan file and every file it #includes (found in its
// directory, as gostan's other commands find them), and compiles it once,
// so that a program with errors is refused before a library is built.
func ReadSource(path string) (Source, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return Source{}, err
	}
	s := Source{
		Name:     strings.TrimSuffix(filepath.Base(path), ".stan"),
		Path:     path,
		Text:     string(text),
		Includes: map[string]string{},
	}
	dir := parser.DirIncluder(filepath.Dir(path))
	record := func(p string) (string, []byte, error) {
		name, src, err := dir(p)
		if err == nil {
			s.Includes[p] = string(src)
		}
		return name, src, err
	}
	if _, err := s.compile(record); err != nil {
		return Source{}, err
	}
	return s, nil
}

// Compile parses, checks and compiles the program; #include finds only the
// embedded files.
func (s Source) Compile() (*compile.Program, error) {
	return s.compile(func(p string) (string, []byte, error) {
		src, ok := s.Includes[p]
		if !ok {
			return "", nil, fmt.Errorf("the library holds no include file %q", p)
		}
		return p, []byte(src), nil
	})
}

func (s Source) compile(inc parser.Includer) (*compile.Program, error) {
	fset := token.NewFileSet()
	p, err := func() (*compile.Program, error) {
		prog, err := parser.ParseFile(fset, s.Path, []byte(s.Text), inc)
		if err != nil {
			return nil, err
		}
		info, err := check.Check(fset, prog)
		if err != nil {
			return nil, err
		}
		return compile.Compile(fset, prog, info)
	}()
	if list, ok := err.(scanner.ErrorList); ok {
		return nil, fmt.Errorf("%s", strings.TrimRight(list.Render(fset), "\n"))
	}
	return p, err
}
