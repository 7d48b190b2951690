// Package printer writes a syntax tree back as canonical Stan in the
// current syntax (array[N] real x; target +=; =), the form `gostan check
// --ast` shows and stanc's auto-formatter aims at.
package printer

import (
	"io"
	"strings"

	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/token"
)

// Fprint writes prog to w.
func Fprint(w io.Writer, prog *ast.Program) error {
	var p printer
	for i, b := range prog.Blocks {
		if i > 0 {
			p.WriteString("\n")
		}
		p.WriteString(b.Kind.String())
		p.WriteString(" ")
		p.block(b.Body.List, 0)
		p.WriteString("\n")
	}
	_, err := io.WriteString(w, p.String())
	return err
}

// String returns prog as text.
func String(prog *ast.Program) string {
	var b strings.Builder
	Fprint(&b, prog)
	return b.String()
}

// ExprString returns an expression as text.
func ExprString(x ast.Expr) string {
	var p printer
	p.expr(x)
	return p.String()
}

type printer struct{ strings.Builder }

func (p *printer) indent(n int) { p.WriteString(strings.Repeat("  ", n)) }

func (p *printer) block(list []ast.Stmt, depth int) {
	p.WriteString("{\n")
	for i := 0; i < len(list); i++ {
		d, ok := list[i].(*ast.VarDecl)
		if !ok {
			p.stmt(list[i], depth+1)
			continue
		}
		// One statement declares d and the declarations after it that
		// continue its type.
		p.indent(depth + 1)
		p.sizedType(d.Type)
		p.declarator(d)
		for i+1 < len(list) {
			e, ok := list[i+1].(*ast.VarDecl)
			if !ok || !e.Comma.IsValid() || e.Type != d.Type {
				break
			}
			p.WriteString(",")
			p.declarator(e)
			i++
		}
		p.WriteString(";\n")
	}
	p.indent(depth)
	p.WriteString("}")
}

func (p *printer) stmt(s ast.Stmt, depth int) {
	p.indent(depth)
	p.stmtBody(s, depth)
}

// declarator prints a declaration's name and initial value.
func (p *printer) declarator(d *ast.VarDecl) {
	p.WriteString(" ")
	p.WriteString(d.Name.Name)
	if d.Init != nil {
		p.WriteString(" = ")
		p.expr(d.Init)
	}
}

// stmtBody prints a statement without its leading indentation.
func (p *printer) stmtBody(s ast.Stmt, depth int) {
	switch s := s.(type) {
	case *ast.VarDecl:
		p.sizedType(s.Type)
		p.declarator(s)
		p.WriteString(";\n")
	case *ast.FuncDecl:
		p.unsizedType(s.Ret)
		p.WriteString(" " + s.Name.Name + "(")
		for i, a := range s.Params {
			if i > 0 {
				p.WriteString(", ")
			}
			p.unsizedType(a.Type)
			p.WriteString(" " + a.Name.Name)
		}
		p.WriteString(")")
		if s.Body == nil {
			p.WriteString(";\n")
			return
		}
		p.WriteString(" ")
		p.block(s.Body.List, depth)
		p.WriteString("\n")
	case *ast.AssignStmt:
		p.expr(s.LHS)
		op := s.Op
		if op == token.ARROW {
			op = token.ASSIGN
		}
		p.WriteString(" " + op.String() + " ")
		p.expr(s.RHS)
		p.WriteString(";\n")
	case *ast.TildeStmt:
		p.expr(s.LHS)
		p.WriteString(" ~ " + s.Dist.Name + "(")
		p.exprs(s.Args)
		p.WriteString(")")
		if s.Truncated {
			p.WriteString(" T[")
			if s.TruncLo != nil {
				p.expr(s.TruncLo)
			}
			p.WriteString(", ")
			if s.TruncHi != nil {
				p.expr(s.TruncHi)
			}
			p.WriteString("]")
		}
		p.WriteString(";\n")
	case *ast.TargetStmt:
		p.WriteString("target += ")
		p.expr(s.X)
		p.WriteString(";\n")
	case *ast.JacobianStmt:
		p.WriteString("jacobian += ")
		p.expr(s.X)
		p.WriteString(";\n")
	case *ast.ExprStmt:
		p.expr(s.Call)
		p.WriteString(";\n")
	case *ast.ForStmt:
		p.WriteString("for (" + s.Var.Name + " in ")
		p.expr(s.Lo)
		p.WriteString(":")
		p.expr(s.Hi)
		p.WriteString(") ")
		p.body(s.Body, depth)
	case *ast.ForeachStmt:
		p.WriteString("for (" + s.Var.Name + " in ")
		p.expr(s.X)
		p.WriteString(") ")
		p.body(s.Body, depth)
	case *ast.WhileStmt:
		p.WriteString("while (")
		p.expr(s.Cond)
		p.WriteString(") ")
		p.body(s.Body, depth)
	case *ast.IfStmt:
		p.WriteString("if (")
		p.expr(s.Cond)
		p.WriteString(") ")
		if s.Else == nil {
			p.body(s.Then, depth)
			return
		}
		// A tree can hold an else-less if as Then only inside braces, so no
		// dangling else arises here.
		p.body(s.Then, depth)
		p.indent(depth)
		p.WriteString("else ")
		p.body(s.Else, depth)
	case *ast.BlockStmt:
		p.block(s.List, depth)
		p.WriteString("\n")
	case *ast.BranchStmt:
		p.WriteString(s.Tok + ";\n")
	case *ast.ReturnStmt:
		p.WriteString("return")
		if s.X != nil {
			p.WriteString(" ")
			p.expr(s.X)
		}
		p.WriteString(";\n")
	case *ast.PrintStmt:
		p.WriteString(s.Kind + "(")
		p.exprs(s.Args)
		p.WriteString(");\n")
	case *ast.ProfileStmt:
		p.WriteString(`profile("` + s.Name + `") `)
		p.block(s.Body.List, depth)
		p.WriteString("\n")
	case *ast.EmptyStmt:
		p.WriteString(";\n")
	}
}

// body prints a loop's or branch's body on the same line as its header.
func (p *printer) body(s ast.Stmt, depth int) {
	if b, ok := s.(*ast.BlockStmt); ok {
		p.block(b.List, depth)
		p.WriteString("\n")
		return
	}
	p.WriteString("\n")
	p.stmt(s, depth+1)
}

func (p *printer) sizedType(t *ast.Type) {
	if len(t.ArrayDims) > 0 {
		p.WriteString("array[")
		p.exprs(t.ArrayDims)
		p.WriteString("] ")
	}
	p.WriteString(t.Base)
	if t.IsTuple() {
		p.members(t.Members, p.sizedType)
	}
	if t.HasConstraint() {
		p.WriteString("<")
		first := true
		for _, c := range []struct {
			key string
			x   ast.Expr
		}{{"lower", t.Lower}, {"upper", t.Upper}, {"offset", t.Offset}, {"multiplier", t.Multiplier}} {
			if c.x == nil {
				continue
			}
			if !first {
				p.WriteString(", ")
			}
			first = false
			p.WriteString(c.key + "=")
			// A bound stops at '>', so comparisons inside need parentheses.
			if b, ok := c.x.(*ast.BinaryExpr); ok && b.Op.Precedence() < token.ADD.Precedence() {
				p.WriteString("(")
				p.expr(c.x)
				p.WriteString(")")
			} else {
				p.expr(c.x)
			}
		}
		p.WriteString(">")
	}
	if len(t.Sizes) > 0 {
		p.WriteString("[")
		p.exprs(t.Sizes)
		p.WriteString("]")
	}
}

func (p *printer) unsizedType(t *ast.Type) {
	if t.DataOnly {
		p.WriteString("data ")
	}
	if n := len(t.ArrayDims); n > 0 {
		p.WriteString("array[" + strings.Repeat(",", n-1) + "] ")
	}
	p.WriteString(t.Base)
	if t.IsTuple() {
		p.members(t.Members, p.unsizedType)
	}
}

// members prints a tuple's member types in parentheses.
func (p *printer) members(ms []*ast.Type, member func(*ast.Type)) {
	p.WriteString("(")
	for i, m := range ms {
		if i > 0 {
			p.WriteString(", ")
		}
		member(m)
	}
	if len(ms) == 1 {
		p.WriteString(",")
	}
	p.WriteString(")")
}

func (p *printer) exprs(list []ast.Expr) {
	for i, x := range list {
		if i > 0 {
			p.WriteString(", ")
		}
		p.expr(x)
	}
}

func (p *printer) expr(x ast.Expr) {
	switch x := x.(type) {
	case *ast.Ident:
		p.WriteString(x.Name)
	case *ast.BasicLit:
		p.WriteString(x.Value)
	case *ast.BinaryExpr:
		p.expr(x.X)
		switch x.Op {
		case token.POW, token.ELTPOW:
			p.WriteString(x.Op.String())
		default:
			p.WriteString(" " + x.Op.String() + " ")
		}
		p.expr(x.Y)
	case *ast.UnaryExpr:
		p.WriteString(x.Op.String())
		p.expr(x.X)
	case *ast.PostfixExpr:
		p.expr(x.X)
		p.WriteString(x.Op.String())
	case *ast.CondExpr:
		p.expr(x.Cond)
		p.WriteString(" ? ")
		p.expr(x.Then)
		p.WriteString(" : ")
		p.expr(x.Else)
	case *ast.CallExpr:
		p.WriteString(x.Fun.Name + "(")
		if x.Bar {
			p.expr(x.Args[0])
			p.WriteString(" |")
			if len(x.Args) > 1 {
				p.WriteString(" ")
				p.exprs(x.Args[1:])
			}
		} else {
			p.exprs(x.Args)
		}
		p.WriteString(")")
	case *ast.IndexExpr:
		p.expr(x.X)
		p.WriteString("[")
		p.exprs(x.Indices)
		p.WriteString("]")
	case *ast.SliceExpr:
		if x.Lo != nil {
			p.expr(x.Lo)
		}
		p.WriteString(":")
		if x.Hi != nil {
			p.expr(x.Hi)
		}
	case *ast.ArrayExpr:
		p.WriteString("{")
		p.exprs(x.Elems)
		p.WriteString("}")
	case *ast.RowVectorExpr:
		p.WriteString("[")
		p.exprs(x.Elems)
		p.WriteString("]")
	case *ast.ParenExpr:
		p.WriteString("(")
		p.expr(x.X)
		p.WriteString(")")
	case *ast.TupleExpr:
		p.WriteString("(")
		p.exprs(x.Elems)
		if len(x.Elems) == 1 {
			p.WriteString(",")
		}
		p.WriteString(")")
	case *ast.TupleIndexExpr:
		p.expr(x.X)
		p.WriteString("." + x.Lit)
	}
}
