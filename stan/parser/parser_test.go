package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostan/gostan/stan/internal/asttest"
	"github.com/gostan/gostan/stan/token"
)

func TestSyntaxErrors(t *testing.T) {
	n := asttest.ErrorCorpus(t, filepath.Join("testdata", "errors"), func(fset *token.FileSet, name string, src []byte) error {
		_, err := ParseFile(fset, name, src, nil)
		return err
	})
	t.Logf("%d invalid programs", n)
}

func TestInclude(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lib.stan"), []byte("real twice(real x) { return 2 * x; }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.stan"), []byte("real f( { }\n"), 0o644)
	src := []byte("functions {\n#include \"lib.stan\"\n}\nmodel { }\n")
	fset := token.NewFileSet()
	prog, err := ParseFile(fset, "main.stan", src, DirIncluder(dir))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(prog.Block(0).Body.List); n != 1 {
		t.Fatalf("functions block has %d entries", n)
	}
	// An error inside an included file is reported in that file.
	_, err = ParseFile(token.NewFileSet(), "main.stan", []byte("functions {\n#include bad.stan\n}\n"), DirIncluder(dir))
	if err == nil || !strings.Contains(err.Error(), "bad.stan:1:9") {
		t.Errorf("error in include: %v", err)
	}
	_, err = ParseFile(token.NewFileSet(), "main.stan", []byte("#include missing.stan\n"), DirIncluder(dir))
	if err == nil || !strings.Contains(err.Error(), `could not find include file "missing.stan"`) {
		t.Errorf("missing include: %v", err)
	}
}

func TestPrecedence(t *testing.T) {
	for src, want := range map[string]string{
		"-a^b":              "(-(a^b))",
		"a^-b":              "(a^(-b))",
		"a^b^c":             "(a^(b^c))",
		"a + b * c":         "(a+(b*c))",
		"a * b .* c":        "(a*(b.*c))",
		"a \\ b * c":        "((a\\b)*c)",
		"a - b - c":         "((a-b)-c)",
		"a < b == c":        "((a<b)==c)",
		"a || b && c":       "(a||(b&&c))",
		"a ? b : c ? d : e": "(a?b:(c?d:e))",
		"!a + b":            "((!a)+b)",
		"a' * b":            "((a')*b)",
		"x[1, 2:3, :]'":     "(x[1,(2:3),(:)]')",
	} {
		x, err := ParseExpr(src)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if got := tree(x); got != want {
			t.Errorf("%s parsed as %s, want %s", src, got, want)
		}
	}
}
