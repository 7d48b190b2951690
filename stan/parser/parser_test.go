package parser

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gostan/gostan/stan/scanner"
	"github.com/gostan/gostan/stan/token"
)

// errorComment marks where a corpus file's one error belongs: the error is
// reported at the comment's start or at the first character after it.
var errorComment = regexp.MustCompile(`/\* ERROR ("(?:[^"\\]|\\.)*") \*/`)

// ErrorCorpus checks a directory of programs with one error each against
// their ERROR comments, using check to produce the diagnostics.
func ErrorCorpus(t *testing.T, dir string, check func(fset *token.FileSet, name string, src []byte) error) int {
	files, err := filepath.Glob(filepath.Join(dir, "*.stan"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no programs in %s", dir)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m := errorComment.FindAllSubmatchIndex(src, -1)
		if len(m) != 1 {
			t.Errorf("%s: want exactly one ERROR comment, found %d", f, len(m))
			continue
		}
		want, err := strconv.Unquote(string(src[m[0][2]:m[0][3]]))
		if err != nil {
			t.Errorf("%s: bad ERROR comment: %v", f, err)
			continue
		}
		after := m[0][1]
		for after < len(src) && (src[after] == ' ' || src[after] == '\n' || src[after] == '\t') {
			after++
		}
		fset := token.NewFileSet()
		err = check(fset, f, src)
		list, ok := err.(scanner.ErrorList)
		if !ok || len(list) != 1 {
			t.Errorf("%s: want one error %q, got %v", f, want, err)
			continue
		}
		e := list[0]
		if !strings.Contains(e.Msg, want) {
			t.Errorf("%s: error %q, want %q", f, e.Msg, want)
		}
		if e.Pos.Offset != m[0][0] && e.Pos.Offset != after {
			line, col := lineCol(src, m[0][0])
			t.Errorf("%s: error at %d:%d, want %d:%d (at the ERROR comment)", f, e.Pos.Line, e.Pos.Column, line, col)
		}
	}
	return len(files)
}

func lineCol(src []byte, off int) (int, int) {
	line := 1 + strings.Count(string(src[:off]), "\n")
	return line, off - strings.LastIndex(string(src[:off]), "\n")
}

func TestSyntaxErrors(t *testing.T) {
	n := ErrorCorpus(t, filepath.Join("testdata", "errors"), func(fset *token.FileSet, name string, src []byte) error {
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
