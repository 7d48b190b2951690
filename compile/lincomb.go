package compile

import (
	"strconv"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Linear combinations: a real expression t1 ± t2 ± ... ± tm whose terms
// are operands, products of two operands or squares, such as an ARMA
// step's mu + phi * y[t-1] + theta * err[t-1] or an HMM's
// gamma[t-1, j] + log(theta[j, k]) + exponential_lpdf(u[t] | phi[k]),
// records one tape statement with the partials of every operand, in
// place of a closure call and a statement per operator: the partial of
// a in ±a*b is ±b, of a in ±a² is ±2a (Adept's idea, Hogan 2014: a
// statement stores its partials with respect to the variables it reads,
// not its intermediate results). Operands that are leaves (leaf.go) are
// read inline. The sum is taken left to right, products rounded as they
// are alone, so the value is the one the operators would compute.

// linOperand is a factor of a term: a leaf read inline, or any other real
// expression by its closure. first marks an operand evaluated before the
// statement opens (linComb): every closure, and every leaf that can fail
// (an element read) before a closure, so that the operands are evaluated
// in source order and an index out of range among such leaves is the
// error, not a later closure's, as Stan, evaluating left to right,
// reports it.
type linOperand struct {
	lf    *leaf
	r     func(*env) ad.Var
	x     ast.Expr
	first bool
}

// linTerm is ±a, ±a*b or ±a².
type linTerm struct {
	a, b linOperand
	prod bool // a*b
	sq   bool // a²
	neg  bool
}

// linComb is a compiled linear combination. first counts the operands
// evaluated first, in order, into the Model's kernel stack: a closure may
// record on the tape, and nothing may be recorded while the statement is
// open; the other leaves are read inline.
type linComb struct {
	terms []linTerm
	first int
}

// linearComb compiles x as a linear combination when it is a chain of
// + and - with at least two operations in all, or returns false.
func (c *compiler) linearComb(x ast.Expr) (cexpr, bool) {
	lc := c.linCombOf(x)
	if lc == nil {
		return cexpr{}, false
	}
	return cexpr{t: types.RealT, r: lc.eval}, true
}

// linCombOf compiles x as linearComb does, or returns nil.
func (c *compiler) linCombOf(x ast.Expr) *linComb {
	var chain []ast.Expr // the terms, left to right
	var negs []bool
	var walk func(x ast.Expr, neg bool) bool
	walk = func(x ast.Expr, neg bool) bool {
		if b, ok := x.(*ast.BinaryExpr); ok && (b.Op == token.ADD || b.Op == token.SUB) && c.info.Types[b] == types.RealT && c.realOrInt(b.X) && c.realOrInt(b.Y) {
			// Only the left operand continues the chain: (a + b) + c,
			// not a + (b + c), whose sum rounds differently.
			if !walk(unparen(b.X), neg) {
				chain = append(chain, b.X)
				negs = append(negs, neg)
			}
			chain = append(chain, b.Y)
			negs = append(negs, b.Op == token.SUB)
			return true
		}
		return false
	}
	x = unparen(x)
	if !walk(x, false) {
		return nil
	}
	ops := len(chain) - 1
	for _, t := range chain {
		if _, _, ok := c.productOf(unparen(t)); ok {
			ops++
		}
	}
	if ops < 2 {
		return nil
	}
	lc := &linComb{}
	var failing []*linOperand // the leaves that can fail since the last closure
	operand := func(x ast.Expr, o *linOperand) {
		ce := c.expr(x)
		if l := realLeaf(ce); l != nil {
			*o = linOperand{lf: l, x: x}
			if l.kind != leafConst && l.kind != leafScalar {
				failing = append(failing, o)
			}
			return
		}
		*o = linOperand{r: ce.real(), x: x, first: true}
		for _, f := range failing {
			f.first = true
		}
		lc.first += 1 + len(failing)
		failing = failing[:0]
	}
	lc.terms = make([]linTerm, len(chain))
	for k, t := range chain {
		term := &lc.terms[k]
		term.neg = negs[k]
		a, b, ok := c.productOf(unparen(t))
		switch {
		case ok && b == nil:
			operand(a, &term.a)
			term.sq = true
		case ok:
			operand(a, &term.a)
			operand(b, &term.b)
			term.prod = true
		default:
			operand(t, &term.a)
		}
	}
	return lc
}

func (c *compiler) realOrInt(x ast.Expr) bool {
	t := c.info.Types[x]
	return t == types.RealT || t == types.IntT
}

// productOf splits a real product a * b into its factors, and a square
// (a^2, pow(a, 2), square(a)) into a and nil.
func (c *compiler) productOf(x ast.Expr) (a, b ast.Expr, ok bool) {
	if c.info.Types[x] != types.RealT {
		return nil, nil, false
	}
	switch x := x.(type) {
	case *ast.BinaryExpr:
		if !c.realOrInt(x.X) || !c.realOrInt(x.Y) {
			return nil, nil, false
		}
		switch x.Op {
		case token.MUL, token.ELTMUL:
			return x.X, x.Y, true
		case token.POW, token.ELTPOW:
			if isTwo(x.Y) {
				return x.X, nil, true
			}
		}
	case *ast.CallExpr:
		call := c.info.Calls[x]
		if call == nil || call.User != nil || call.FuncArg != nil || call.Dist.Form != types.NoDist {
			return nil, nil, false
		}
		switch {
		case call.Name == "pow" && len(x.Args) == 2 && isTwo(x.Args[1]) && c.realOrInt(x.Args[0]),
			call.Name == "square" && len(x.Args) == 1 && c.info.Types[x.Args[0]] == types.RealT:
			return x.Args[0], nil, true
		}
	}
	return nil, nil, false
}

// isTwo reports whether x is the literal 2 or 2.0.
func isTwo(x ast.Expr) bool {
	l, ok := unparen(x).(*ast.BasicLit)
	if !ok || l.Kind != token.INT && l.Kind != token.REAL {
		return false
	}
	v, err := strconv.ParseFloat(l.Value, 64)
	return err == nil && v == 2
}

// get is the operand's value: a leaf's, or the next of the values of the
// first operands evaluated beforehand, ops[*k].
func (o *linOperand) get(e *env, ops []ad.Var, k *int) ad.Var {
	if !o.first {
		return o.lf.get(e)
	}
	*k++
	return ops[*k-1]
}

// eval computes the combination and records it.
func (lc *linComb) eval(e *env) ad.Var {
	var ops []ad.Var
	if lc.first > 0 {
		st := &e.kern
		var base int
		ops, base = st.window(lc.first)
		lc.firstOperands(e, ops)
		st.top = base
	}
	k := 0
	bl := e.t.Begin()
	v := 0.0
	for i := range lc.terms {
		t := &lc.terms[i]
		a := t.a.get(e, ops, &k)
		var b ad.Var
		if t.prod {
			b = t.b.get(e, ops, &k)
		}
		p, da, db := t.partials(a.Val, b.Val)
		if t.prod {
			bl.Add(b, db)
		}
		bl.Add(a, da)
		if i == 0 {
			v = p
		} else {
			v += p
		}
	}
	return bl.End(v)
}

// firstOperands evaluates the first operands into ops, in source order.
func (lc *linComb) firstOperands(e *env, ops []ad.Var) {
	k := 0
	for i := range lc.terms {
		t := &lc.terms[i]
		if t.a.first {
			ops[k] = t.a.eval(e)
			k++
		}
		if t.prod && t.b.first {
			ops[k] = t.b.eval(e)
			k++
		}
	}
}

// eval evaluates the operand: reads the leaf or calls the closure.
func (o *linOperand) eval(e *env) ad.Var {
	if o.lf != nil {
		return o.lf.get(e)
	}
	return o.r(e)
}

// partials is the term's value at a (and b, for a product) and its
// partials with respect to a and b.
func (t *linTerm) partials(a, b float64) (p, da, db float64) {
	switch {
	case t.prod:
		p, da, db = float64(a*b), b, a
	case t.sq:
		p, da = float64(a*a), 2*a
	default:
		p, da = a, 1
	}
	if t.neg {
		p, da, db = -p, -da, -db
	}
	return p, da, db
}

// kernelStack is a Model's working memory for the operands of linear
// combinations: each evaluation takes a window above top and gives it
// back, so that an operand that calls a function which evaluates the
// same combination again (a recursive user function) works in a window
// of its own.
type kernelStack struct {
	v   []ad.Var
	top int
	// f and ftop are the same for float64s (lsefill.go).
	f    []float64
	ftop int
}

// window takes n Vars.
func (s *kernelStack) window(n int) (v []ad.Var, base int) {
	base = s.top
	need := base + n
	if len(s.v) < need {
		// Evaluations that hold windows keep the old array, which stays
		// valid for them.
		s.v = make([]ad.Var, 2*need)
	}
	s.top = need
	return s.v[base:need:need], base
}

// floats takes n float64s, given back by setting ftop to base.
func (s *kernelStack) floats(n int) (f []float64, base int) {
	base = s.ftop
	need := base + n
	if len(s.f) < need {
		s.f = make([]float64, 2*need)
	}
	s.ftop = need
	return s.f[base:need:need], base
}
