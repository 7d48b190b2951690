package compile

import (
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/mathx"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Deferred sampling statements: y[t] ~ normal(mu, sigma) (or target +=
// normal_lpdf(y[t] | mu, sigma), any univariate family) with scalar
// arguments inside a loop computes its term and partials each iteration,
// as the statement alone would, checking its arguments there, but gathers
// them in a buffer instead of recording a tape statement and a target
// term per iteration. When the outermost loop around it ends (or target()
// is read) the buffer becomes one tape statement and one term, as a
// vectorised statement would be: target is a sum, so only the order of
// summation changes. An operand that repeats from one iteration to the
// next (sigma) keeps one partial, summed. A failed evaluation leaves its
// buffers behind; the next evaluation, on a reset tape, empties them.

// deferStmt is one deferred statement of a compiled program.
type deferStmt struct {
	pos token.Position
	buf stateSlot[deferBuf]
}

// deferBuf is a deferred statement's terms since its last flush, in one
// Model.
type deferBuf struct {
	tape *ad.Tape
	gen  uint64
	used bool
	lp   float64
	// last is each argument's operand of the latest term, with its
	// partial summed over the iterations that repeated it; ids and ds are
	// the operands before.
	last  [4]int32
	lastD [4]float64
	ids   []int32
	ds    []float64
	// s and logS are normal's last sigma and its log: in a loop, sigma
	// is usually one scalar for every iteration.
	s, logS float64
}

// begin readies the buffer for a term of the evaluation recording on t,
// emptying what a failed evaluation left.
func (b *deferBuf) begin(t *ad.Tape) {
	if b.tape != t || b.gen != t.Generation() {
		b.clear()
		b.tape, b.gen = t, t.Generation()
	}
	b.used = true
}

func (b *deferBuf) clear() {
	b.used, b.lp = false, 0
	b.last = [4]int32{}
	b.ids, b.ds = b.ids[:0], b.ds[:0]
}

// term adds one iteration's log density, remembering the statement when
// the term is the evaluation's first non-finite one, as addTarget would.
func (b *deferBuf) term(e *env, pos *token.Position, lp float64) {
	b.lp += lp
	if lp-lp != 0 && e.nonFinite == nil { // lp is ±Inf or NaN
		e.nonFinite, e.term = pos, lp
	}
}

// operand adds the partial d with respect to argument i's value v.
func (b *deferBuf) operand(i int, v ad.Var, d float64) {
	id := v.ID()
	switch {
	case id == 0:
	case id == b.last[i]:
		b.lastD[i] += d
	default:
		if b.last[i] != 0 {
			b.ids = append(b.ids, b.last[i])
			b.ds = append(b.ds, b.lastD[i])
		}
		b.last[i], b.lastD[i] = id, d
	}
}

// flush adds the statement's gathered terms to the target as one tape
// statement.
func (s *deferStmt) flush(e *env) {
	b := s.buf.of(e)
	if !b.used {
		return
	}
	if b.tape != e.t || b.gen != e.t.Generation() {
		b.clear()
		return
	}
	for i, id := range b.last {
		if id != 0 {
			b.ids = append(b.ids, id)
			b.ds = append(b.ds, b.lastD[i])
		}
	}
	v := e.t.Statement(b.lp, b.ids, b.ds)
	b.clear()
	e.addTarget(&s.pos, v)
}

// flushAll flushes every deferred statement of the program: before
// target() reads the sum.
func flushAll(e *env, all []*deferStmt) {
	for _, s := range all {
		s.flush(e)
	}
}

// deferringLoop compiles a loop with compile. The outermost loop collects
// the statements deferred inside it and flushes them when it ends.
func (c *compiler) deferringLoop(compile func() stmtFn) stmtFn {
	if c.loop != nil {
		return compile()
	}
	var list []*deferStmt
	c.loop = &list
	f := compile()
	c.loop = nil
	if f == nil || len(list) == 0 {
		return f
	}
	return func(e *env) ctrl {
		r := f(e)
		for _, s := range list {
			s.flush(e)
		}
		return r
	}
}

// deferring reports whether a sampling statement compiled now may defer:
// inside a loop of a block (not a function, whose callers' loops would
// not flush it), not in the guide, not a prior site of the generative
// view (which measures the target around it).
func (c *compiler) deferring() bool {
	return c.loop != nil && c.fn == nil && !c.inGuide && (c.gen == nil || c.gen.inSite == nil)
}

// deferredTarget compiles target += f_lpdf(...) as a deferred statement
// when f is a univariate family called with scalar arguments, or returns
// nil.
func (c *compiler) deferredTarget(x ast.Expr, pos token.Position) stmtFn {
	if !c.deferring() {
		return nil
	}
	call, ok := unparen(x).(*ast.CallExpr)
	if !ok {
		return nil
	}
	ci := c.info.Calls[call]
	if ci == nil || ci.User != nil || ci.FuncArg != nil || ci.Dist.Form != types.Density && ci.Dist.Form != types.DensityPropto {
		return nil
	}
	if !c.deferrable(ci.Dist.Family, call.Args) {
		return nil
	}
	args := make([]cexpr, len(call.Args))
	for i, a := range call.Args {
		args[i] = c.expr(a)
	}
	propto := ci.Dist.Form == types.DensityPropto && !c.keepConsts()
	return c.deferredDensity(ci.Dist.Family, args, propto, pos)
}

// deferrable reports whether a family's density with these arguments can
// be deferred: normal or a dist.Univariate, every argument a scalar.
func (c *compiler) deferrable(family string, args []ast.Expr) bool {
	d, ok := stdlib().densities[family]
	if !ok || d.build != nil || d.uni == nil && family != "normal" || len(args) > 4 {
		return false
	}
	for _, a := range args {
		if t := c.info.Types[a]; t != types.RealT && t != types.IntT {
			return false
		}
	}
	return true
}

// deferredDensity compiles a deferred statement of a deferrable family
// over compiled scalar arguments.
func (c *compiler) deferredDensity(family string, args []cexpr, propto bool, pos token.Position) stmtFn {
	st := &deferStmt{pos: pos, buf: newState(c, func() *deferBuf { return &deferBuf{} })}
	*c.loop = append(*c.loop, st)
	*c.deferred = append(*c.deferred, st)
	if family == "normal" {
		return deferredNormal(st, args, propto)
	}
	u := stdlib().densities[family].uni
	fs := make([]func(*env) ad.Var, len(args))
	for i, a := range args {
		fs[i] = a.real()
	}
	n := len(args)
	return func(e *env) ctrl {
		var x [4]ad.Var
		for i, f := range fs {
			x[i] = f(e)
		}
		lp, d, ok, err := u.Term(propto, x, n)
		if err != nil {
			panic(&evalError{pos: st.pos, err: err})
		}
		if !ok {
			return next
		}
		b := st.buf.of(e)
		b.begin(e.t)
		b.term(e, &st.pos, lp)
		for i := range n {
			b.operand(i, x[i], d[i])
		}
		return next
	}
}

// deferredNormal is the deferred normal: -z²/2, less log(sigma) unless
// propto drops it for a constant sigma, less log √(2π) unless propto.
func deferredNormal(st *deferStmt, args []cexpr, propto bool) stmtFn {
	fy, fm, fs := args[0].real(), args[1].real(), args[2].real()
	return func(e *env) ctrl {
		y, mu, s := fy(e), fm(e), fs(e)
		if !(s.Val > 0 && s.Val <= math.MaxFloat64) || y.Val != y.Val || mu.Val-mu.Val != 0 {
			// The general path reports the error in Stan's words.
			_, err := dist.NormalLpdf(e.t, true, []ad.Var{y}, []ad.Var{mu}, []ad.Var{s})
			panic(&evalError{pos: st.pos, err: err})
		}
		if propto && y.IsConst() && mu.IsConst() && s.IsConst() {
			return next
		}
		b := st.buf.of(e)
		b.begin(e.t)
		inv := 1 / s.Val
		z := (y.Val - mu.Val) * inv
		lp := -0.5 * z * z
		if !propto || !s.IsConst() {
			if s.Val != b.s {
				b.s, b.logS = s.Val, math.Log(s.Val)
			}
			lp -= b.logS
		}
		if !propto {
			lp -= mathx.HalfLog2Pi
		}
		b.term(e, &st.pos, lp)
		b.operand(0, y, -z*inv)
		b.operand(1, mu, z*inv)
		b.operand(2, s, (z*z-1)*inv)
		return next
	}
}
