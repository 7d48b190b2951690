package ast

// Inspect traverses the tree rooted at n depth first, calling f on each
// node before its children; f returns false to skip the children.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	exprs := func(list []Expr) {
		for _, x := range list {
			if x != nil {
				Inspect(x, f)
			}
		}
	}
	opt := func(list ...Node) {
		for _, x := range list {
			if x != nil {
				Inspect(x, f)
			}
		}
	}
	switch n := n.(type) {
	case *BinaryExpr:
		opt(n.X, n.Y)
	case *UnaryExpr:
		opt(n.X)
	case *PostfixExpr:
		opt(n.X)
	case *CondExpr:
		opt(n.Cond, n.Then, n.Else)
	case *CallExpr:
		opt(n.Fun)
		exprs(n.Args)
	case *IndexExpr:
		opt(n.X)
		exprs(n.Indices)
	case *SliceExpr:
		opt(n.Lo, n.Hi)
	case *ArrayExpr:
		exprs(n.Elems)
	case *RowVectorExpr:
		exprs(n.Elems)
	case *ParenExpr:
		opt(n.X)
	case *TupleExpr:
		exprs(n.Elems)
	case *TupleIndexExpr:
		opt(n.X)
	case *Type:
		for _, m := range n.Members {
			Inspect(m, f)
		}
		exprs(n.Sizes)
		exprs(n.ArrayDims)
		opt(n.Lower, n.Upper, n.Offset, n.Multiplier)
	case *VarDecl:
		opt(n.Type, n.Name, n.Init)
	case *AssignStmt:
		opt(n.LHS, n.RHS)
	case *TildeStmt:
		opt(n.LHS, n.Dist)
		exprs(n.Args)
		opt(n.TruncLo, n.TruncHi)
	case *TargetStmt:
		opt(n.X)
	case *JacobianStmt:
		opt(n.X)
	case *ExprStmt:
		opt(n.Call)
	case *ForStmt:
		opt(n.Var, n.Lo, n.Hi, n.Body)
	case *ForeachStmt:
		opt(n.Var, n.X, n.Body)
	case *WhileStmt:
		opt(n.Cond, n.Body)
	case *IfStmt:
		opt(n.Cond, n.Then, n.Else)
	case *BlockStmt:
		for _, s := range n.List {
			Inspect(s, f)
		}
	case *ReturnStmt:
		opt(n.X)
	case *PrintStmt:
		exprs(n.Args)
	case *ProfileStmt:
		opt(n.Body)
	case *FuncDecl:
		opt(n.Ret, n.Name)
		for _, p := range n.Params {
			opt(p.Type, p.Name)
		}
		if n.Body != nil {
			Inspect(n.Body, f)
		}
	case *Block:
		opt(n.Body)
	case *Program:
		for _, b := range n.Blocks {
			Inspect(b, f)
		}
	}
}

// Root returns the variable an lvalue such as x[i][j] or x.1[i] names,
// or nil.
func Root(x Expr) *Ident {
	for {
		switch e := x.(type) {
		case *Ident:
			return e
		case *IndexExpr:
			x = e.X
		case *TupleIndexExpr:
			x = e.X
		default:
			return nil
		}
	}
}
