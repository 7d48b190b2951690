package parser

import (
	"strings"

	"github.com/gostan/gostan/stan/ast"
)

// tree writes an expression fully parenthesised.
func tree(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.BasicLit:
		return x.Value
	case *ast.BinaryExpr:
		return "(" + tree(x.X) + x.Op.String() + tree(x.Y) + ")"
	case *ast.UnaryExpr:
		return "(" + x.Op.String() + tree(x.X) + ")"
	case *ast.PostfixExpr:
		return "(" + tree(x.X) + x.Op.String() + ")"
	case *ast.CondExpr:
		return "(" + tree(x.Cond) + "?" + tree(x.Then) + ":" + tree(x.Else) + ")"
	case *ast.IndexExpr:
		var s []string
		for _, i := range x.Indices {
			s = append(s, tree(i))
		}
		return tree(x.X) + "[" + strings.Join(s, ",") + "]"
	case *ast.SliceExpr:
		lo, hi := "", ""
		if x.Lo != nil {
			lo = tree(x.Lo)
		}
		if x.Hi != nil {
			hi = tree(x.Hi)
		}
		return "(" + lo + ":" + hi + ")"
	case *ast.ParenExpr:
		return tree(x.X)
	}
	return "?"
}
