package compile

import (
	"math"
	"strconv"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// A log_sum_exp over an array that the loop just before it fills with
// linear combinations (lincomb.go), an HMM's forward step,
//
//	for (j in 1:K) acc[j] = gamma[t - 1, j] + log(theta[j, k]) + ...;
//	gamma[t, k] = log_sum_exp(acc);
//
// records one tape statement for the result, whose partials are the
// combinations' partials times the softmax weights (the chain rule
// through acc, done forward), in place of K statements for acc and one
// for log_sum_exp. An operand that every element shares (the emission
// above) gets one summed partial. The values are the ones the two
// statements compute, in the same order, and the operands are evaluated
// in the same order, so errors are the same.
//
// acc itself is never written: the pair is fused only when nothing else
// reads or writes acc (its declaration, the fill and the log_sum_exp are
// its only uses) and the loop fills all of it (1 to the declared size,
// the same literal or data variable). Not in functions, whose recursion
// could enter the pair again while its strided reads are in use.

// lseFill is a compiled fused pair.
type lseFill struct {
	lc  *linComb
	iv  varRef
	hi  func(*env) int
	fr  *loopFrame
	pos []int   // each term's first operand in an element's row
	ops []lseOp // the operands in order, a term's one or two
	// signs are the operands' partials when every term is ±a, nil
	// otherwise.
	signs []float64
	// leaves are the operands' strided reads (loops.go) in one
	// evaluation.
	leaves stateSlot[[]stridedLeaf]
}

// lseOp is an operand of the combination: a leaf or a closure. fixed
// marks a closure operand that does not depend on j (hoist.go's test):
// evaluated for the first element only, as the loop's hoisted call
// would be.
type lseOp struct {
	lf    *leaf
	r     func(*env) ad.Var
	fixed bool
}

// stridedLeaf is a leaf operand read as r[off + stride*j] for j in
// 1..n, when ok.
type stridedLeaf struct {
	r           []ad.Var
	off, stride int
	ok          bool
}

// fusedLSE compiles fill and use as one statement, or returns nil when
// they are not such a pair.
func (c *compiler) fusedLSE(fill, use ast.Stmt) stmtFn {
	fs, ok := fill.(*ast.ForStmt)
	if !ok || c.opts&optFuseLSE == 0 {
		return nil
	}
	body := fs.Body
	if b, ok := body.(*ast.BlockStmt); ok && len(b.List) == 1 {
		body = b.List[0]
	}
	as, ok := body.(*ast.AssignStmt)
	if !ok || as.Op != token.ASSIGN {
		return nil
	}
	lhs, ok := as.LHS.(*ast.IndexExpr)
	if !ok || len(lhs.Indices) != 1 || !c.isVar(lhs.Indices[0], c.info.Uses[fs.Var]) {
		return nil
	}
	accID, ok := lhs.X.(*ast.Ident)
	if !ok {
		return nil
	}
	acc := c.info.Uses[accID]
	if acc == nil || acc.Scope != check.Local || acc.Decl == nil {
		return nil
	}
	var size ast.Expr
	switch t := acc.Decl.Type; {
	case acc.Type == types.Type{Kind: types.Real, Dims: 1} && len(t.ArrayDims) == 1:
		size = t.ArrayDims[0]
	case acc.Type == types.Type{Kind: types.Vector} && len(t.Sizes) == 1:
		size = t.Sizes[0]
	default:
		return nil
	}
	if !isIntLit(fs.Lo, 1) || !c.sameFixedSize(fs.Hi, size) {
		return nil
	}
	us := c.lseAssign(use, acc)
	if us == nil || c.info.Types[us.LHS] != types.RealT {
		return nil
	}
	if _, ok := c.slots[c.info.Uses[ast.Root(us.LHS)]]; !ok {
		return nil // the statement as written reports it
	}
	if c.fn != nil || c.uses(acc) != 3 {
		return nil
	}
	f := &lseFill{hi: c.expr(fs.Hi).i}
	f.iv = c.declareLocal(c.info.Uses[fs.Var])
	f.fr = c.enterLoop(fs.Var, fs.Body, true)
	f.lc = c.linCombOf(as.RHS)
	c.leaveLoop()
	if f.lc == nil {
		return nil
	}
	linear := true
	for _, t := range f.lc.terms {
		f.pos = append(f.pos, len(f.ops))
		for _, o := range []linOperand{t.a, t.b}[:1+b2i(t.prod)] {
			op := lseOp{lf: o.lf, r: o.r, fixed: o.lf == nil && c.invariant(o.x, f.fr)}
			if x, ok := unparen(o.x).(*ast.CallExpr); ok && op.fixed && c.unhoisted[x] != nil {
				// Evaluated once per run here: the hoisted call's
				// bookkeeping is not needed.
				op.r = c.unhoisted[x]
			}
			f.ops = append(f.ops, op)
		}
		sign := 1.0
		if t.neg {
			sign = -1
		}
		f.signs = append(f.signs, sign)
		linear = linear && !t.prod && !t.sq
	}
	if !linear {
		f.signs = nil
	}
	n := len(f.ops)
	f.leaves = newState(c, func() *[]stridedLeaf { s := make([]stridedLeaf, n); return &s })
	ref, v, idx, ok := c.lvalue(us.LHS)
	if !ok {
		return nil
	}
	return c.assignExpr(ref.getter(), &ref, v.Type, idx, cexpr{t: types.RealT, r: f.eval}, c.pos(us.OpPos))
}

// uses counts the identifiers that name v, its declaration's included.
func (c *compiler) uses(v *check.Var) int {
	n := 0
	for _, u := range c.info.Uses {
		if u == v {
			n++
		}
	}
	return n
}

// isIntLit reports whether x is the int literal n.
func isIntLit(x ast.Expr, n int) bool {
	l, ok := unparen(x).(*ast.BasicLit)
	return ok && l.Kind == token.INT && l.Value == strconv.Itoa(n)
}

// sameFixedSize reports whether a and b are the same int literal or the
// same data variable, so that they have one value wherever the model
// reads them.
func (c *compiler) sameFixedSize(a, b ast.Expr) bool {
	a, b = unparen(a), unparen(b)
	if la, ok := a.(*ast.BasicLit); ok {
		lb, ok := b.(*ast.BasicLit)
		return ok && la.Kind == token.INT && lb.Kind == token.INT && la.Value == lb.Value
	}
	ia, ok := a.(*ast.Ident)
	if !ok || !c.isVar(b, c.info.Uses[ia]) {
		return false
	}
	v := c.info.Uses[ia]
	return v.Type == types.IntT && v.Scope == check.Global && (v.Block == ast.Data || v.Block == ast.TransformedData)
}

// eval runs the fill loop without storing acc and returns the
// log_sum_exp, as one statement.
func (f *lseFill) eval(e *env) ad.Var {
	iv := slot(e, f.iv)
	iv.shapeIntScalar()
	n := f.hi(e)
	if f.fr.used {
		*f.fr.starts.of(e)++ // hoist.go: the loop starts
	}
	if n <= 0 {
		return ad.Const(math.Inf(-1))
	}
	ops, w := f.ops, len(f.ops)
	leaves := *f.leaves.of(e)
	for p := range ops {
		if l := ops[p].lf; l != nil {
			sl := &leaves[p]
			sl.r, sl.off, sl.stride, sl.ok = l.strided(e, f.iv, 1, n)
		}
	}
	st := &e.kern
	vars, base := st.window(n * w)
	nd := n * w
	if f.signs != nil {
		nd = 0 // the partials are the signs
	}
	fl, fbase := st.floats(nd + n)
	ds, xs := fl[:nd], fl[nd:]
	m := math.Inf(-1) // the largest element, as ad.Tape.LogSumExp takes it
	for j := range n {
		iv.I[0] = j + 1
		row := vars[j*w : (j+1)*w]
		// As linComb.eval: the operands read by closure first, in order,
		// then the leaves.
		for p := range ops {
			switch op := &ops[p]; {
			case op.lf != nil:
			case op.fixed && j > 0:
				row[p] = vars[p]
			default:
				row[p] = op.r(e)
			}
		}
		for p := range ops {
			if l := ops[p].lf; l != nil {
				if sl := &leaves[p]; sl.ok {
					row[p] = sl.r[sl.off+sl.stride*(j+1)]
				} else {
					row[p] = l.get(e)
				}
			}
		}
		if f.signs != nil {
			v := f.signs[0] * row[0].Val
			for p := 1; p < w; p++ {
				v += f.signs[p] * row[p].Val
			}
			xs[j], m = v, max(m, v)
			continue
		}
		d := ds[j*w : (j+1)*w]
		v := 0.0
		for i := range f.lc.terms {
			t, p := &f.lc.terms[i], f.pos[i]
			var b float64
			if t.prod {
				b = row[p+1].Val
			}
			x, da, db := t.partials(row[p].Val, b)
			d[p] = da
			if t.prod {
				d[p+1] = db
			}
			if i == 0 {
				v = x
			} else {
				v += x
			}
		}
		xs[j], m = v, max(m, v)
	}
	// As ad.Tape.LogSumExp.
	if math.IsInf(m, 0) {
		st.top, st.ftop = base, fbase
		return ad.Const(m)
	}
	s := 0.0
	for j, x := range xs {
		ex := 1.0 // e**0, the largest element's term
		if x != m {
			ex = math.Exp(x - m)
		}
		xs[j] = ex
		s += ex
	}
	v := m + math.Log(s)
	for j := range xs {
		xs[j] /= s // the softmax weights
	}
	bl := e.t.Begin()
	for p := range w {
		// An operand that repeats from one element to the next (a term
		// that does not depend on j) is added once.
		var cur ad.Var
		var dc float64
		for j := range n {
			x, dx := vars[j*w+p], xs[j]
			if f.signs != nil {
				dx *= f.signs[p]
			} else {
				dx *= ds[j*w+p]
			}
			if j == 0 {
				cur, dc = x, dx
				continue
			}
			if x.ID() == cur.ID() {
				dc += dx
				continue
			}
			bl.Add(cur, dc)
			cur, dc = x, dx
		}
		bl.Add(cur, dc)
	}
	st.top, st.ftop = base, fbase
	return bl.End(v)
}

// lseAssign returns s if it is `x = log_sum_exp(acc)`, nil otherwise.
func (c *compiler) lseAssign(s ast.Stmt, acc *check.Var) *ast.AssignStmt {
	us, ok := s.(*ast.AssignStmt)
	if !ok || us.Op != token.ASSIGN {
		return nil
	}
	call, ok := unparen(us.RHS).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 || !c.isVar(call.Args[0], acc) {
		return nil
	}
	if ci := c.info.Calls[call]; ci == nil || ci.User != nil || ci.Name != "log_sum_exp" {
		return nil
	}
	return us
}
