// Package asttest compares syntax trees for tests: it clears positions and
// the marks of deprecated spellings, so that a tree printed in the current
// syntax and parsed again equals the original.
package asttest

import (
	"reflect"

	"github.com/gostan/gostan/stan/ast"
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
