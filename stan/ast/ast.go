// Package ast declares the syntax tree of Stan programs, after go/ast.
// Both of Stan's syntaxes parse to the same tree: an old `real x[N];` and
// a new `array[N] real x;` are the same declaration.
package ast

import "github.com/gostan/gostan/stan/token"

// Node is any node of the tree.
type Node interface {
	Pos() token.Pos // first character
	End() token.Pos // first character after the node
}

// Expr is an expression.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a statement or a declaration.
type Stmt interface {
	Node
	stmtNode()
}

// ---- Expressions ----

type (
	// Ident is a name.
	Ident struct {
		NamePos token.Pos
		Name    string
	}

	// BasicLit is an int, real, imaginary or string literal.
	BasicLit struct {
		ValuePos token.Pos
		Kind     token.Kind // INT, REAL, IMAG or STRING
		Value    string     // as written; strings keep their quotes
	}

	// BinaryExpr is X Op Y.
	BinaryExpr struct {
		X     Expr
		OpPos token.Pos
		Op    token.Kind
		Y     Expr
	}

	// UnaryExpr is a prefix operator: -X, !X, +X.
	UnaryExpr struct {
		OpPos token.Pos
		Op    token.Kind
		X     Expr
	}

	// PostfixExpr is X' (transpose).
	PostfixExpr struct {
		X     Expr
		OpPos token.Pos
		Op    token.Kind
	}

	// CondExpr is Cond ? Then : Else.
	CondExpr struct {
		Cond, Then, Else Expr
	}

	// CallExpr is Fun(Args), or Fun(Args[0] | Args[1:]) when Bar is set
	// (the conditional notation of densities).
	CallExpr struct {
		Fun    *Ident
		Lparen token.Pos
		Args   []Expr
		Bar    bool
		Rparen token.Pos
	}

	// IndexExpr is X[Indices]; an index is an expression (a single or a
	// multiple index) or a SliceExpr.
	IndexExpr struct {
		X       Expr
		Lbrack  token.Pos
		Indices []Expr
		Rbrack  token.Pos
	}

	// SliceExpr is Lo:Hi in an index; either bound may be nil, and both
	// are nil for a bare ":" (every element).
	SliceExpr struct {
		Lo    Expr
		Colon token.Pos
		Hi    Expr
	}

	// ArrayExpr is an array literal { Elems }.
	ArrayExpr struct {
		Lbrace token.Pos
		Elems  []Expr
		Rbrace token.Pos
	}

	// RowVectorExpr is a row vector (or, of row vectors, matrix) literal
	// [ Elems ].
	RowVectorExpr struct {
		Lbrack token.Pos
		Elems  []Expr
		Rbrack token.Pos
	}

	// ParenExpr is (X).
	ParenExpr struct {
		Lparen token.Pos
		X      Expr
		Rparen token.Pos
	}

	// TupleExpr is a tuple literal (Elems[0], Elems[1], ...), with at
	// least two elements. On the left of = it unpacks a tuple into the
	// lvalues it lists (Stan 2.36).
	TupleExpr struct {
		Lparen token.Pos
		Elems  []Expr
		Rparen token.Pos
	}

	// TupleIndexExpr is X.Index, a tuple's member, Index counting from 1.
	TupleIndexExpr struct {
		X     Expr
		Dot   token.Pos
		Index int
		Lit   string // the index as written, after the dot
	}
)

func (x *Ident) Pos() token.Pos         { return x.NamePos }
func (x *BasicLit) Pos() token.Pos      { return x.ValuePos }
func (x *BinaryExpr) Pos() token.Pos    { return x.X.Pos() }
func (x *UnaryExpr) Pos() token.Pos     { return x.OpPos }
func (x *PostfixExpr) Pos() token.Pos   { return x.X.Pos() }
func (x *CondExpr) Pos() token.Pos      { return x.Cond.Pos() }
func (x *CallExpr) Pos() token.Pos      { return x.Fun.Pos() }
func (x *IndexExpr) Pos() token.Pos     { return x.X.Pos() }
func (x *ArrayExpr) Pos() token.Pos     { return x.Lbrace }
func (x *RowVectorExpr) Pos() token.Pos { return x.Lbrack }
func (x *ParenExpr) Pos() token.Pos     { return x.Lparen }
func (x *TupleExpr) Pos() token.Pos     { return x.Lparen }
func (x *TupleIndexExpr) Pos() token.Pos {
	return x.X.Pos()
}
func (x *SliceExpr) Pos() token.Pos {
	if x.Lo != nil {
		return x.Lo.Pos()
	}
	return x.Colon
}

func (x *Ident) End() token.Pos         { return x.NamePos + token.Pos(len(x.Name)) }
func (x *BasicLit) End() token.Pos      { return x.ValuePos + token.Pos(len(x.Value)) }
func (x *BinaryExpr) End() token.Pos    { return x.Y.End() }
func (x *UnaryExpr) End() token.Pos     { return x.X.End() }
func (x *PostfixExpr) End() token.Pos   { return x.OpPos + 1 }
func (x *CondExpr) End() token.Pos      { return x.Else.End() }
func (x *CallExpr) End() token.Pos      { return x.Rparen + 1 }
func (x *IndexExpr) End() token.Pos     { return x.Rbrack + 1 }
func (x *ArrayExpr) End() token.Pos     { return x.Rbrace + 1 }
func (x *RowVectorExpr) End() token.Pos { return x.Rbrack + 1 }
func (x *ParenExpr) End() token.Pos     { return x.Rparen + 1 }
func (x *TupleExpr) End() token.Pos     { return x.Rparen + 1 }
func (x *TupleIndexExpr) End() token.Pos {
	return x.Dot + 1 + token.Pos(len(x.Lit))
}
func (x *SliceExpr) End() token.Pos {
	if x.Hi != nil {
		return x.Hi.End()
	}
	return x.Colon + 1
}

func (*Ident) exprNode()          {}
func (*BasicLit) exprNode()       {}
func (*BinaryExpr) exprNode()     {}
func (*UnaryExpr) exprNode()      {}
func (*PostfixExpr) exprNode()    {}
func (*CondExpr) exprNode()       {}
func (*CallExpr) exprNode()       {}
func (*IndexExpr) exprNode()      {}
func (*SliceExpr) exprNode()      {}
func (*ArrayExpr) exprNode()      {}
func (*RowVectorExpr) exprNode()  {}
func (*ParenExpr) exprNode()      {}
func (*TupleExpr) exprNode()      {}
func (*TupleIndexExpr) exprNode() {}

// ---- Types ----

// Type is a declared type. A declaration's type is sized (vector[N]), a
// function argument's or result's is not (vector, array[] real); the array
// dimensions are counted in both, with sizes only in the first.
type Type struct {
	TypePos token.Pos
	Base    string // int, real, complex, vector, ..., cov_matrix, void, tuple
	// Members are a tuple's member types, each sized (with constraints)
	// in a declaration and unsized in a function's signature.
	Members []*Type
	// Sizes of the base type: vector[N] has one, matrix[M, N] two,
	// cholesky_factor_cov[M] one or two; nil for unsized types.
	Sizes []Expr
	// Constraints; nil when absent.
	Lower, Upper, Offset, Multiplier Expr
	// ArrayDims are the array sizes, outermost first; unsized types have
	// one nil entry per dimension.
	ArrayDims []Expr
	// DataOnly marks a function argument declared `data`.
	DataOnly bool
	EndPos   token.Pos
}

func (t *Type) Pos() token.Pos { return t.TypePos }
func (t *Type) End() token.Pos { return t.EndPos }

// HasConstraint reports whether t has bounds or an offset/multiplier.
func (t *Type) HasConstraint() bool {
	return t.Lower != nil || t.Upper != nil || t.Offset != nil || t.Multiplier != nil
}

// IsTuple reports whether t is a tuple type (or an array of tuples).
func (t *Type) IsTuple() bool { return t.Base == "tuple" }

// ---- Statements ----

type (
	// VarDecl declares a variable, possibly with an initial value. A
	// statement declaring several (real x = 1, y;) gives each name its
	// own VarDecl, all sharing one Type and one Semi, as if written one
	// by one; Comma marks the ones after the first.
	VarDecl struct {
		Type  *Type
		Comma token.Pos // the comma before Name; NoPos for a statement's first
		Name  *Ident
		Init  Expr // nil when absent
		Semi  token.Pos
	}

	// AssignStmt is LHS Op RHS, with Op one of = += -= *= /= .*= ./= or
	// the old <-.
	AssignStmt struct {
		LHS   Expr
		OpPos token.Pos
		Op    token.Kind
		RHS   Expr
		Semi  token.Pos
	}

	// TildeStmt is LHS ~ Dist(Args) with an optional truncation
	// T[Lower, Upper], where either bound may be nil.
	TildeStmt struct {
		LHS              Expr
		Tilde            token.Pos
		Dist             *Ident
		Args             []Expr
		Rparen           token.Pos
		Truncated        bool
		TruncLo, TruncHi Expr
		Semi             token.Pos
	}

	// TargetStmt is target += X; (or the old increment_log_prob(X);).
	TargetStmt struct {
		Target token.Pos
		X      Expr
		Old    bool
		Semi   token.Pos
	}

	// JacobianStmt is jacobian += X;: a change of variables' log
	// Jacobian, added to the log density only when the Jacobian is (in
	// sampling, not in optimization's default). jacobian is a keyword only
	// here, so that older programs may still name a variable jacobian;
	// where one is in scope, the statement adds to that variable.
	JacobianStmt struct {
		Jacobian token.Pos
		OpPos    token.Pos
		X        Expr
		Semi     token.Pos
	}

	// ExprStmt is a call of a void function.
	ExprStmt struct {
		Call *CallExpr
		Semi token.Pos
	}

	// ForStmt is for (Var in Lo:Hi) Body.
	ForStmt struct {
		For    token.Pos
		Var    *Ident
		Lo, Hi Expr
		Body   Stmt
	}

	// ForeachStmt is for (Var in X) Body over an array's elements or a
	// vector's or matrix's entries.
	ForeachStmt struct {
		For  token.Pos
		Var  *Ident
		X    Expr
		Body Stmt
	}

	// WhileStmt is while (Cond) Body.
	WhileStmt struct {
		While token.Pos
		Cond  Expr
		Body  Stmt
	}

	// IfStmt is if (Cond) Then else Else; Else may be nil.
	IfStmt struct {
		If   token.Pos
		Cond Expr
		Then Stmt
		Else Stmt
	}

	// BlockStmt is { List }.
	BlockStmt struct {
		Lbrace token.Pos
		List   []Stmt
		Rbrace token.Pos
	}

	// BranchStmt is break or continue.
	BranchStmt struct {
		TokPos token.Pos
		Tok    string // "break" or "continue"
		Semi   token.Pos
	}

	// ReturnStmt is return X; X is nil in a void function.
	ReturnStmt struct {
		Return token.Pos
		X      Expr
		Semi   token.Pos
	}

	// PrintStmt is print(Args), reject(Args) or fatal_error(Args); string
	// literals are BasicLits.
	PrintStmt struct {
		Kw   token.Pos
		Kind string // "print", "reject" or "fatal_error"
		Args []Expr
		Semi token.Pos
	}

	// ProfileStmt is profile("Name") Body.
	ProfileStmt struct {
		Profile token.Pos
		Name    string
		Body    *BlockStmt
	}

	// EmptyStmt is a lone ;.
	EmptyStmt struct {
		Semi token.Pos
	}

	// FuncDecl declares a function; Body is nil for a forward declaration.
	FuncDecl struct {
		Ret    *Type
		Name   *Ident
		Params []*Param
		Rparen token.Pos
		Body   *BlockStmt
		Semi   token.Pos // of a forward declaration
	}

	// Param is one function argument.
	Param struct {
		Type *Type
		Name *Ident
	}
)

func (s *VarDecl) Pos() token.Pos {
	if s.Comma.IsValid() {
		return s.Name.Pos()
	}
	return s.Type.Pos()
}
func (s *AssignStmt) Pos() token.Pos   { return s.LHS.Pos() }
func (s *TildeStmt) Pos() token.Pos    { return s.LHS.Pos() }
func (s *TargetStmt) Pos() token.Pos   { return s.Target }
func (s *JacobianStmt) Pos() token.Pos { return s.Jacobian }
func (s *ExprStmt) Pos() token.Pos     { return s.Call.Pos() }
func (s *ForStmt) Pos() token.Pos      { return s.For }
func (s *ForeachStmt) Pos() token.Pos  { return s.For }
func (s *WhileStmt) Pos() token.Pos    { return s.While }
func (s *IfStmt) Pos() token.Pos       { return s.If }
func (s *BlockStmt) Pos() token.Pos    { return s.Lbrace }
func (s *BranchStmt) Pos() token.Pos   { return s.TokPos }
func (s *ReturnStmt) Pos() token.Pos   { return s.Return }
func (s *PrintStmt) Pos() token.Pos    { return s.Kw }
func (s *ProfileStmt) Pos() token.Pos  { return s.Profile }
func (s *EmptyStmt) Pos() token.Pos    { return s.Semi }
func (s *FuncDecl) Pos() token.Pos     { return s.Ret.Pos() }

func (s *VarDecl) End() token.Pos      { return s.Semi + 1 }
func (s *AssignStmt) End() token.Pos   { return s.Semi + 1 }
func (s *TildeStmt) End() token.Pos    { return s.Semi + 1 }
func (s *TargetStmt) End() token.Pos   { return s.Semi + 1 }
func (s *JacobianStmt) End() token.Pos { return s.Semi + 1 }
func (s *ExprStmt) End() token.Pos     { return s.Semi + 1 }
func (s *ForStmt) End() token.Pos      { return s.Body.End() }
func (s *ForeachStmt) End() token.Pos  { return s.Body.End() }
func (s *WhileStmt) End() token.Pos    { return s.Body.End() }
func (s *IfStmt) End() token.Pos {
	if s.Else != nil {
		return s.Else.End()
	}
	return s.Then.End()
}
func (s *BlockStmt) End() token.Pos   { return s.Rbrace + 1 }
func (s *BranchStmt) End() token.Pos  { return s.Semi + 1 }
func (s *ReturnStmt) End() token.Pos  { return s.Semi + 1 }
func (s *PrintStmt) End() token.Pos   { return s.Semi + 1 }
func (s *ProfileStmt) End() token.Pos { return s.Body.End() }
func (s *EmptyStmt) End() token.Pos   { return s.Semi + 1 }
func (s *FuncDecl) End() token.Pos {
	if s.Body != nil {
		return s.Body.End()
	}
	return s.Semi + 1
}

func (*VarDecl) stmtNode()      {}
func (*AssignStmt) stmtNode()   {}
func (*TildeStmt) stmtNode()    {}
func (*TargetStmt) stmtNode()   {}
func (*JacobianStmt) stmtNode() {}
func (*ExprStmt) stmtNode()     {}
func (*ForStmt) stmtNode()      {}
func (*ForeachStmt) stmtNode()  {}
func (*WhileStmt) stmtNode()    {}
func (*IfStmt) stmtNode()       {}
func (*BlockStmt) stmtNode()    {}
func (*BranchStmt) stmtNode()   {}
func (*ReturnStmt) stmtNode()   {}
func (*PrintStmt) stmtNode()    {}
func (*ProfileStmt) stmtNode()  {}
func (*EmptyStmt) stmtNode()    {}
func (*FuncDecl) stmtNode()     {}

// ---- Program ----

// BlockKind names a program block.
type BlockKind int

const (
	Functions BlockKind = iota
	Data
	TransformedData
	Parameters
	TransformedParameters
	Model
	GeneratedQuantities
	Networks        // external functions: the deep PPL extension
	GuideParameters // variational parameters of an explicit guide
	Guide           // the explicit guide, which draws the parameters
)

// BlockNames are the blocks' names as written, in the order a program
// must give them.
var BlockNames = [...]string{
	Functions: "functions", Data: "data", TransformedData: "transformed data",
	Parameters: "parameters", TransformedParameters: "transformed parameters",
	Model: "model", GeneratedQuantities: "generated quantities",
	Networks: "networks", GuideParameters: "guide parameters", Guide: "guide",
}

func (k BlockKind) String() string { return BlockNames[k] }

// Order is the position a block must take in a program. The deep PPL
// blocks go where DeepStan puts them: networks before parameters (the
// parser accepts it before or after data), guide parameters and guide
// between the model and generated quantities.
func (k BlockKind) Order() int {
	return [...]int{Functions: 0, Networks: 1, Data: 2, TransformedData: 3, Parameters: 4,
		TransformedParameters: 5, Model: 6, GuideParameters: 7, Guide: 8, GeneratedQuantities: 9}[k]
}

// Block is one program block.
type Block struct {
	Kind  BlockKind
	KwPos token.Pos
	Body  *BlockStmt // for Functions and Networks, its statements are FuncDecls
}

func (b *Block) Pos() token.Pos { return b.KwPos }
func (b *Block) End() token.Pos { return b.Body.End() }

// Program is a whole Stan program.
type Program struct {
	Blocks []*Block // in source order
}

// Block returns the block of a kind, or nil.
func (p *Program) Block(k BlockKind) *Block {
	for _, b := range p.Blocks {
		if b.Kind == k {
			return b
		}
	}
	return nil
}

func (p *Program) Pos() token.Pos {
	if len(p.Blocks) == 0 {
		return token.NoPos
	}
	return p.Blocks[0].Pos()
}

func (p *Program) End() token.Pos {
	if len(p.Blocks) == 0 {
		return token.NoPos
	}
	return p.Blocks[len(p.Blocks)-1].End()
}
