// Package asttest holds test helpers for the front end: comparing syntax
// trees apart from positions and deprecated spellings, and checking a
// corpus of invalid programs against their ERROR comments.
package asttest

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/scanner"
	"github.com/gostan/gostan/stan/token"
)

// Equal reports whether two programs are the same apart from positions and
// deprecated spellings (<- for =, increment_log_prob for target +=).
func Equal(a, b *ast.Program) bool {
	return reflect.DeepEqual(normalize(a), normalize(b))
}

var posType = reflect.TypeOf(token.NoPos)

func normalize(p *ast.Program) *ast.Program {
	clear(reflect.ValueOf(p))
	return p
}

func clear(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			clear(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			clear(v.Index(i))
		}
	case reflect.Struct:
		if s, ok := v.Addr().Interface().(*ast.AssignStmt); ok && s.Op == token.ARROW {
			s.Op = token.ASSIGN
		}
		if s, ok := v.Addr().Interface().(*ast.TargetStmt); ok {
			s.Old = false
		}
		for i := range v.NumField() {
			f := v.Field(i)
			if f.Type() == posType {
				f.SetInt(0)
				continue
			}
			clear(f)
		}
	}
}

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
