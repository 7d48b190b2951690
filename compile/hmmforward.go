package compile

import (
	"math"
	"slices"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// An HMM's whole forward recursion (the forward algorithm, Rabiner 1989,
// in log space) as one tape node:
//
//	for (t in a:b)
//	  for (k in 1:K) {
//	    for (j in 1:K) acc[j] = gamma[t - 1, j] + A(j, k) + B(t, k);
//	    gamma[t, k] = log_sum_exp(acc);
//	  }
//
// where the terms of A read j and k but not t, those of B read t and k
// but not j, and none reads anything the loop writes but its variables.
// The operands are evaluated by their closures, once each (A's K×K at the
// first t, in the order the loops would evaluate them, so that they fail
// where they would), the recursion runs on float64s, gamma's elements
// become the node's outputs, and the node's backward pass runs the
// recursion in reverse: gamma[t, k]'s adjoint goes to gamma[t - 1, j] and
// A(j, k) through the softmax weights of step (t, k), and to B(t, k)
// whole. Each step is the fused pair's (lsefill.go) but for the order of
// the sum, gamma[t - 1, j] + ΣA + ΣB, so values differ by rounding. An
// emission exponential_lpdf(y | beta) of leaves in B is computed here,
// its partials folded into the node's. Where the loop's bounds or gamma's shape do not fit at
// run time, the loop runs as compiled (which reports the error).

// hmmForward is a compiled forward recursion.
type hmmForward struct {
	old        stmtFn
	lo, hi, kn func(*env) int
	tv, kv, jv varRef
	gamma      varRef
	frs        [3]*loopFrame // t, k and j
	ops        []hmmOp
	nA, nB     int       // A's and B's operands
	nE         int       // B's partials: one per operand, two per emission
	sa, sb     []float64 // A's and B's signs
	emOnly     bool      // whether every operand of B is an emission
	nEm        int       // emissions
	ems        []*hmmEmission
	st         stateSlot[hmmState]
}

// hmmOp is a term of the combination: gamma[t - 1, j], or an operand of
// A or B read by its leaf or closure.
type hmmOp struct {
	kind hmmKind
	lf   *leaf
	r    func(*env) ad.Var
	sign float64
	idx  int // the operand's place among A's or B's
	ent  int // a B operand's first partial among B's
	// em is a B operand exponential_lpdf(y | beta) of leaves, computed
	// here (as scalarExponential does) with its partials folded into
	// the node's; r reports a failed check.
	em *hmmEmission
}

// hmmEmission is an emission exponential_lpdf(y | beta).
type hmmEmission struct {
	y, b *leaf
	n    int // its place among the emissions, for its logarithms
	// yFixed says that for each k, y reads over the steps one column that
	// no evaluation changes (fixedColumn), and the steps are fixed too:
	// each Model reads it and checks its support once.
	yFixed bool
}

type hmmKind int

const (
	hmmPrev hmmKind = iota
	hmmA
	hmmB
)

// hmmState is one Model's working memory for the node.
type hmmState struct {
	a   []ad.Var  // A's operands by (j, k, operand)
	as  []float64 // A's value by (j, k)
	bs  []float64 // B's value by (t, k)
	bv  []float64 // B's operands' values at one (t, k)
	bid []int32   // B's partials' slots by (t, k, partial)
	bd  []float64 // and the partials, signs included
	// lb holds each emission's last beta, log(beta) and 1/beta for
	// each k.
	lb []float64
	// sl are each emission's y and beta over t, for each k: a fixed y's
	// (yFixed) kept from the first evaluation, once yRead.
	sl    []stridedLeaf
	yRead bool
	// yc is each emission's check of a fixed y over t, for each k, made
	// at the first evaluation that needs it.
	yc []yCheck
	x  []float64
}

// yCheck is the support check of a fixed emission outcome's column.
type yCheck uint8

const (
	yUnchecked yCheck = iota
	yPassed
	yFailed
)

// forwardLoop returns the forward recursion s as one node beside old, the
// loop as compiled, or nil when s is not one.
func (c *compiler) forwardLoop(s *ast.ForStmt, old stmtFn) stmtFn {
	if c.opts&optFuseForward == 0 || c.fn != nil || old == nil {
		return nil
	}
	ks, ok := single(s.Body).(*ast.ForStmt)
	if !ok || !isIntLit(ks.Lo, 1) {
		return nil
	}
	kb, ok := ks.Body.(*ast.BlockStmt)
	if !ok || len(kb.List) != 2 {
		return nil
	}
	js, ok := kb.List[0].(*ast.ForStmt)
	if !ok || !isIntLit(js.Lo, 1) || !c.sameFixedSize(js.Hi, ks.Hi) {
		return nil
	}
	as, ok := single(js.Body).(*ast.AssignStmt)
	if !ok || as.Op != token.ASSIGN {
		return nil
	}
	tVar, kVar, jVar := c.info.Uses[s.Var], c.info.Uses[ks.Var], c.info.Uses[js.Var]
	lhs, ok := as.LHS.(*ast.IndexExpr)
	if !ok || len(lhs.Indices) != 1 || !c.isVar(lhs.Indices[0], jVar) {
		return nil
	}
	accID, ok := lhs.X.(*ast.Ident)
	if !ok {
		return nil
	}
	acc := c.info.Uses[accID]
	if acc == nil || acc.Scope != check.Local || acc.Decl == nil || c.uses(acc) != 3 ||
		acc.Type != (types.Type{Kind: types.Real, Dims: 1}) || len(acc.Decl.Type.ArrayDims) != 1 ||
		!c.sameFixedSize(acc.Decl.Type.ArrayDims[0], ks.Hi) {
		return nil
	}
	us := c.lseAssign(kb.List[1], acc)
	if us == nil {
		return nil
	}
	gl, ok := us.LHS.(*ast.IndexExpr)
	if !ok || len(gl.Indices) != 2 || !c.isVar(gl.Indices[0], tVar) || !c.isVar(gl.Indices[1], kVar) {
		return nil
	}
	gID, ok := gl.X.(*ast.Ident)
	if !ok {
		return nil
	}
	gamma := c.info.Uses[gID]
	if gamma == nil || gamma.Scope != check.Local || gamma.Type != (types.Type{Kind: types.Real, Dims: 2}) {
		return nil
	}
	gref, ok := c.slots[gamma]
	if !ok || gref.frame {
		return nil
	}

	f := &hmmForward{old: old, lo: c.expr(s.Lo).i, hi: c.expr(s.Hi).i, kn: c.expr(ks.Hi).i, gamma: gref}
	stepsFixed := c.fixedExpr(s.Lo) && c.fixedExpr(s.Hi) && c.fixedExpr(ks.Hi)
	f.tv, f.kv, f.jv = c.declareLocal(tVar), c.declareLocal(kVar), c.declareLocal(jVar)
	f.frs[0] = c.enterLoop(s.Var, s.Body, true)
	f.frs[1] = c.enterLoop(ks.Var, ks.Body, true)
	f.frs[2] = c.enterLoop(js.Var, js.Body, true)
	defer func() { c.leaveLoop(); c.leaveLoop(); c.leaveLoop() }()
	lc := c.linCombOf(as.RHS)
	if lc == nil {
		return nil
	}
	// What the terms of A and B may read: nothing the loop writes but
	// its variables.
	outside := &loopFrame{assigned: without(f.frs[0].assigned, f.frs[:])}
	prevs := 0
	for _, t := range lc.terms {
		if t.prod || t.sq {
			return nil
		}
		op := hmmOp{lf: t.a.lf, r: t.a.r, sign: 1}
		if t.neg {
			op.sign = -1
		}
		x := unparen(t.a.x)
		switch reads := readsOf(c, x); {
		case c.isPrev(x, gamma, tVar, jVar):
			if t.neg {
				return nil
			}
			op.kind = hmmPrev
			prevs++
		case !c.invariant(x, outside) || reads[tVar] && reads[jVar]:
			return nil
		case reads[jVar]:
			op.kind, op.idx = hmmA, f.nA
			f.nA++
			f.sa = append(f.sa, op.sign)
		default:
			op.kind, op.idx, op.ent = hmmB, f.nB, f.nE
			f.nB++
			f.nE++
			f.sb = append(f.sb, op.sign)
		}
		if op.kind != hmmPrev && op.lf == nil {
			cx, ok := x.(*ast.CallExpr)
			if !ok {
				return nil
			}
			if op.kind == hmmB {
				// Evaluated once per (t, k) here: the j loop's hoisting
				// is not needed.
				if op.r = c.unhoisted[cx]; op.r == nil {
					return nil
				}
				if op.em = c.hmmEmission(cx); op.em != nil {
					op.em.n = f.nEm
					op.em.yFixed = stepsFixed && c.fixedColumn(cx.Args[0], tVar, kVar)
					f.ems = append(f.ems, op.em)
					f.nEm++
					f.nE++
				}
			}
		}
		f.ops = append(f.ops, op)
	}
	if prevs != 1 {
		return nil
	}
	f.emOnly = f.nEm == f.nB
	f.st = newState(c, func() *hmmState { return &hmmState{} })
	return f.run
}

// hmmEmission returns x as an emission when it is exponential_lpdf(y |
// beta) of real leaves, else nil.
func (c *compiler) hmmEmission(x *ast.CallExpr) *hmmEmission {
	if ci := c.info.Calls[x]; ci == nil || ci.User != nil || ci.Name != "exponential_lpdf" || len(x.Args) != 2 {
		return nil
	}
	var lf [2]*leaf
	for i, a := range x.Args {
		if c.info.Types[a] != types.RealT {
			return nil
		}
		if lf[i] = realLeaf(c.expr(a)); lf[i] == nil {
			return nil
		}
	}
	return &hmmEmission{y: lf[0], b: lf[1]}
}

// fixedColumn reports whether the leaf y reads, over the steps t of the
// forward loop, one column for each k that never changes: it reads
// literals, fixed variables (fixedVar) and t and k alone.
func (c *compiler) fixedColumn(y ast.Expr, t, k *check.Var) bool {
	fixed := true
	ast.Inspect(y, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			fixed = false
		case *ast.Ident:
			v := c.info.Uses[n]
			fixed = fixed && (v == t || v == k || c.fixedVar(v))
		}
		return fixed
	})
	return fixed
}

// single is the statement of a block of one, or s.
func single(s ast.Stmt) ast.Stmt {
	if b, ok := s.(*ast.BlockStmt); ok && len(b.List) == 1 {
		return b.List[0]
	}
	return s
}

// readsOf is the set of variables x names.
func readsOf(c *compiler, x ast.Expr) map[*check.Var]bool {
	reads := map[*check.Var]bool{}
	ast.Inspect(x, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && c.info.Uses[id] != nil {
			reads[c.info.Uses[id]] = true
		}
		return true
	})
	return reads
}

// isPrev reports whether x is gamma[t - 1, j].
func (c *compiler) isPrev(x ast.Expr, gamma, t, j *check.Var) bool {
	ix, ok := x.(*ast.IndexExpr)
	if !ok || len(ix.Indices) != 2 || !c.isVar(ix.X, gamma) || !c.isVar(ix.Indices[1], j) {
		return false
	}
	b, ok := unparen(ix.Indices[0]).(*ast.BinaryExpr)
	return ok && b.Op == token.SUB && c.isVar(b.X, t) && isIntLit(b.Y, 1)
}

// run evaluates the loop as one node, or as compiled when its bounds or
// gamma's shape do not fit.
func (f *hmmForward) run(e *env) ctrl {
	tp := e.t
	if tp == nil {
		return f.old(e)
	}
	lo, hi, K := f.lo(e), f.hi(e), f.kn(e)
	g := slot(e, f.gamma)
	if hi < lo || K < 1 || lo < 2 || len(g.Dims) != 2 || g.Dims[1] != K || hi > g.Dims[0] {
		return f.old(e)
	}
	n := hi - lo + 1
	if f.frs[0].used {
		*f.frs[0].starts.of(e)++ // hoist.go: the loops start
	}
	tv, kv, jv := slot(e, f.tv), slot(e, f.kv), slot(e, f.jv)
	tv.shapeIntScalar()
	kv.shapeIntScalar()
	jv.shapeIntScalar()
	st := f.st.of(e)
	nA, nE, nEm := f.nA, f.nE, f.nEm
	st.a = slices.Grow(st.a[:0], K*K*nA)[:K*K*nA]
	st.as = slices.Grow(st.as[:0], K*K)[:K*K]
	st.bs = slices.Grow(st.bs[:0], n*K)[:n*K]
	st.bv = slices.Grow(st.bv[:0], f.nB)[:f.nB]
	st.bid = slices.Grow(st.bid[:0], n*K*nE)[:n*K*nE]
	st.bd = slices.Grow(st.bd[:0], n*K*nE)[:n*K*nE]
	st.x = slices.Grow(st.x[:0], K)[:K]
	st.lb = slices.Grow(st.lb[:0], 3*K*nEm)[:3*K*nEm]
	st.sl = slices.Grow(st.sl[:0], 2*K*nEm)[:2*K*nEm]
	if len(st.yc) != K*nEm {
		st.yc = make([]yCheck, K*nEm)
	}
	for i := 0; i < len(st.lb); i += 3 {
		st.lb[i] = math.NaN() // no beta yet
	}
	for k := range K {
		kv.I[0] = k + 1
		for _, op := range f.ops {
			if em := op.em; em != nil {
				sl := st.sl[2*(em.n*K+k):][:2]
				for i, l := range [2]*leaf{em.y, em.b} {
					if i == 0 && em.yFixed && st.yRead {
						continue
					}
					sl[i].r, sl[i].off, sl[i].stride, sl[i].ok = l.strided(e, f.tv, lo, hi)
				}
			}
		}
	}
	st.yRead = true
	// When every B operand is an emission read by stride whose checks
	// pass at every t, the steps after the first evaluate no closure and
	// can fail nowhere: they are computed straight into the node.
	last := hi
	fast := f.emOnly && f.emissionsPass(st, lo, hi, K)
	if fast {
		last = lo
	}
	f.operands(e, st, lo, last, K)
	for i := range K * K {
		v := 0.0
		for p, x := range st.a[i*nA:][:nA] {
			if p == 0 {
				v = f.sa[p] * x.Val
			} else {
				v += f.sa[p] * x.Val
			}
		}
		st.as[i] = v
	}

	nI, nF := 5+K+K*K*nA+n*K*nE, nA+n*K*K+n*K*nE
	ints, flts := tp.CustomSpace(nI, nF)
	gr := g.R
	ints[0], ints[1], ints[2], ints[3] = int32(K), int32(n), int32(nA), int32(nE)
	for j := range K {
		ints[5+j] = gr[(lo-2)*K+j].ID()
	}
	aIDs := ints[5+K:][:K*K*nA]
	for i, v := range st.a {
		aIDs[i] = v.ID()
	}
	bIDs, bd := ints[5+K+K*K*nA:][:n*K*nE], flts[nA+n*K*K:][:n*K*nE]
	m := (last - lo + 1) * K * nE
	copy(bIDs, st.bid[:m])
	copy(bd, st.bd[:m])
	if fast {
		f.emissions(st, lo+1, hi, K, bIDs[m:], bd[m:])
		// hoist.go: the loops the steps would have started.
		if f.frs[1].used {
			*f.frs[1].starts.of(e) += hi - lo
		}
		if f.frs[2].used {
			*f.frs[2].starts.of(e) += (hi - lo) * K
		}
	}
	copy(flts, f.sa)
	ws := flts[nA:][:n*K*K]
	if K == 2 {
		ints[4] = forward2(tp, gr[(lo-2)*2:][:2*(n+1)], st.as, st.bs, ws)
	} else {
		ints[4] = forwardK(tp, K, gr[(lo-2)*K:][:K*(n+1)], st.as, st.bs, ws, st.x)
	}
	tp.CustomCommit(hmmBackward, nI, nF)
	return next
}

// operands evaluates A's and B's operands for t in lo..last, in the
// order the loops evaluate them: at the first t every j's closures,
// then its leaves; afterwards B's alone, which A and gamma[t - 1, j] do
// not change. It writes st.a and, for each (t, k), B's sum in st.bs
// (each operand's value in order) and its partials in st.bid, st.bd.
func (f *hmmForward) operands(e *env, st *hmmState, lo, last, K int) {
	tv, kv, jv := slot(e, f.tv), slot(e, f.kv), slot(e, f.jv)
	nA, nE := f.nA, f.nE
	for t := lo; t <= last; t++ {
		tv.I[0] = t
		if f.frs[1].used {
			*f.frs[1].starts.of(e)++
		}
		for k := range K {
			kv.I[0] = k + 1
			if f.frs[2].used {
				*f.frs[2].starts.of(e)++
			}
			cell := (t-lo)*K + k
			bid, bd := st.bid[cell*nE:][:nE], st.bd[cell*nE:][:nE]
			for j := range K {
				if t > lo && j > 0 {
					break
				}
				jv.I[0] = j + 1
				as := st.a[(j*K+k)*nA:][:nA]
				for pass := range 2 {
					for p := range f.ops {
						op := &f.ops[p]
						if (op.lf == nil) != (pass == 0) || op.kind == hmmPrev {
							continue
						}
						switch {
						case op.kind == hmmA && t == lo:
							if op.lf != nil {
								as[op.idx] = op.lf.get(e)
							} else {
								as[op.idx] = op.r(e)
							}
						case op.kind == hmmB && j == 0:
							if op.em != nil {
								st.bv[op.idx] = f.emission(e, op, t, st.lb[3*(op.em.n*K+k):][:3], st.sl[2*(op.em.n*K+k):][:2], bid, bd)
							} else {
								var v ad.Var
								if op.lf != nil {
									v = op.lf.get(e)
								} else {
									v = op.r(e)
								}
								st.bv[op.idx], bid[op.ent], bd[op.ent] = v.Val, v.ID(), op.sign
							}
						}
					}
				}
			}
			bs := 0.0
			for i, x := range st.bv {
				if i == 0 {
					bs = f.sb[i] * x
				} else {
					bs += f.sb[i] * x
				}
			}
			st.bs[cell] = bs
		}
	}
}

// emissionsPass reports whether every emission's leaves, st.sl (y and
// beta for each emission and k), are read by stride and pass the checks
// at every t in lo..hi. A fixed y's check is kept in st.yc for the next
// evaluations.
func (f *hmmForward) emissionsPass(st *hmmState, lo, hi, K int) bool {
	sl := st.sl
	for i := 0; i < len(sl); i += 2 {
		y, b := &sl[i], &sl[i+1]
		if !y.ok || !b.ok {
			return false
		}
		if i >= 2 && sameColumn(y, &sl[i-2]) && sameColumn(b, &sl[i-1]) {
			continue // checked as the previous k's
		}
		if !f.ems[i/(2*K)].yFixed {
			if !yPass(y, lo, hi) {
				return false
			}
		} else {
			yc := &st.yc[i/2]
			if *yc == yUnchecked {
				*yc = yFailed
				if yPass(y, lo, hi) {
					*yc = yPassed
				}
			}
			if *yc == yFailed {
				return false
			}
		}
		for t := lo; t <= hi; t++ {
			if b.stride == 0 && t > lo {
				break
			}
			if v := b.r[b.off+b.stride*t].Val; !(v > 0 && v <= math.MaxFloat64) {
				return false
			}
		}
	}
	return true
}

// yPass reports whether an emission's outcomes y over lo..hi are in its
// support.
func yPass(y *stridedLeaf, lo, hi int) bool {
	for t := lo; t <= hi; t++ {
		if !(y.r[y.off+y.stride*t].Val >= 0) {
			return false
		}
	}
	return true
}

// sameColumn reports whether a and b read the same elements.
func sameColumn(a, b *stridedLeaf) bool {
	return len(a.r) == len(b.r) && (len(a.r) == 0 || &a.r[0] == &b.r[0]) && a.off == b.off && a.stride == b.stride
}

// emissions computes B for t in from..to when its operands are all
// emissions read by stride that pass their checks (emissionsPass), as
// emission does: B's sums go to st.bs, the partials to bIDs and bd,
// which start at step from.
func (f *hmmForward) emissions(st *hmmState, from, to, K int, bIDs []int32, bd []float64) {
	nEm, lo := f.nEm, from-1
	for t := from; t <= to; t++ {
		for k := range K {
			cell := (t-lo)*K + k
			c := (t-from)*K + k
			bid, d := bIDs[c*2*nEm:][:2*nEm], bd[c*2*nEm:][:2*nEm]
			bs := 0.0
			for i := range nEm {
				sl, lb := st.sl[2*(i*K+k):][:2], st.lb[3*(i*K+k):][:3]
				y, b := sl[0].r[sl[0].off+sl[0].stride*t], sl[1].r[sl[1].off+sl[1].stride*t]
				if lb[0] != b.Val {
					lb[0], lb[1], lb[2] = b.Val, math.Log(b.Val), 1/b.Val
				}
				lp := -b.Val * y.Val
				lp += lb[1]
				sign := f.sb[i]
				bid[2*i], d[2*i] = y.ID(), sign*-b.Val
				bid[2*i+1], d[2*i+1] = b.ID(), sign*(lb[2]-y.Val)
				if i == 0 {
					bs = sign * lp
				} else {
					bs += sign * lp
				}
			}
			st.bs[cell] = bs
		}
	}
}

// forward2 is the recursion for K = 2, as forwardK computes it: g holds
// gamma[a - 1, :] then the outputs' places, as the A sums by (j, k), bs
// the B sums by (t, k), ws the weights. It returns the first output's
// slot.
func forward2(tp *ad.Tape, g []ad.Var, as, bs, ws []float64) int32 {
	a00, a01, a10, a11 := as[0], as[1], as[2], as[3]
	p0, p1 := g[0].Val, g[1].Val
	n := len(bs) / 2
	for t := range n {
		b := bs[2*t:][:2]
		w := ws[4*t:][:4]
		// The two cells side by side, so that their exps and logs
		// overlap; an infinite largest element takes lse2's branch.
		x00, x01 := p0+a00+b[0], p1+a10+b[0]
		x10, x11 := p0+a01+b[1], p1+a11+b[1]
		m0, m1 := max(x00, x01), max(x10, x11)
		var v0, v1 float64
		if math.IsInf(m0, 0) || math.IsInf(m1, 0) {
			v0, v1 = lse2(x00, x01, w[:2]), lse2(x10, x11, w[2:])
		} else {
			e00, e01, e10, e11 := 1.0, 1.0, 1.0, 1.0
			if x00 != m0 {
				e00 = math.Exp(x00 - m0)
			}
			if x10 != m1 {
				e10 = math.Exp(x10 - m1)
			}
			if x01 != m0 {
				e01 = math.Exp(x01 - m0)
			}
			if x11 != m1 {
				e11 = math.Exp(x11 - m1)
			}
			s0, s1 := e00+e01, e10+e11
			r0, r1 := 1/s0, 1/s1
			w[0], w[1], w[2], w[3] = e00*r0, e01*r0, e10*r1, e11*r1
			v0, v1 = m0+math.Log(s0), m1+math.Log(s1)
		}
		out := g[2*(t+1):][:2]
		out[0], out[1] = tp.Var(v0), tp.Var(v1)
		p0, p1 = v0, v1
	}
	return g[2].ID()
}

// lse2 is log(exp(x0) + exp(x1)), its softmax weights written to w, as
// forwardK computes them.
func lse2(x0, x1 float64, w []float64) float64 {
	m := max(x0, x1)
	if math.IsInf(m, 0) {
		w[0], w[1] = 0, 0
		return m
	}
	e0, e1 := 1.0, 1.0
	if x0 != m {
		e0 = math.Exp(x0 - m)
	}
	if x1 != m {
		e1 = math.Exp(x1 - m)
	}
	s := e0 + e1
	r := 1 / s
	w[0], w[1] = e0*r, e1*r
	return m + math.Log(s)
}

// forwardK is the recursion, as lseFill.eval computes each step but for
// the order of the sum: gamma[t - 1, j] + A(j, k) + B(t, k). g holds
// gamma[a - 1, :] then the outputs' places, as the A sums by (j, k), bs
// the B sums by (t, k), ws the weights, xs K of scratch. It returns the
// first output's slot.
func forwardK(tp *ad.Tape, K int, g []ad.Var, as, bs, ws, xs []float64) int32 {
	n := len(bs) / K
	for t := range n {
		prev := g[t*K:][:K]
		out := g[(t+1)*K:][:K]
		for k := range K {
			cell := t*K + k
			b := bs[cell]
			m := math.Inf(-1)
			for j := range K {
				v := prev[j].Val + as[j*K+k] + b
				xs[j], m = v, max(m, v)
			}
			w := ws[cell*K:][:K]
			if math.IsInf(m, 0) {
				clear(w)
				out[k] = tp.Var(m)
				continue
			}
			s := 0.0
			for j, x := range xs {
				ex := 1.0
				if x != m {
					ex = math.Exp(x - m)
				}
				w[j] = ex
				s += ex
			}
			r := 1 / s
			for j := range w {
				w[j] *= r
			}
			out[k] = tp.Var(m + math.Log(s))
		}
	}
	return g[K].ID()
}

// emission evaluates the emission op, exponential_lpdf(y | beta), as
// scalarExponential does, at t: it returns its value and writes its
// partials to bid, bd. lb is the last beta for this k with its logarithm
// and reciprocal, sl the leaves' strided reads. A failed check is
// reported by op's closure.
func (f *hmmForward) emission(e *env, op *hmmOp, t int, lb []float64, sl []stridedLeaf, bid []int32, bd []float64) float64 {
	var y, b ad.Var
	if sl[0].ok {
		y = sl[0].r[sl[0].off+sl[0].stride*t]
	} else {
		y = op.em.y.get(e)
	}
	if sl[1].ok {
		b = sl[1].r[sl[1].off+sl[1].stride*t]
	} else {
		b = op.em.b.get(e)
	}
	if !(y.Val >= 0) || !(b.Val > 0 && b.Val <= math.MaxFloat64) {
		op.r(e)
	}
	if lb[0] != b.Val {
		lb[0], lb[1], lb[2] = b.Val, math.Log(b.Val), 1/b.Val
	}
	lp := -b.Val * y.Val
	lp += lb[1]
	bid[op.ent], bd[op.ent] = y.ID(), op.sign*-b.Val
	bid[op.ent+1], bd[op.ent+1] = b.ID(), op.sign*(lb[2]-y.Val)
	return lp
}

// hmmBackward is the forward recursion's reverse pass: ints are K, the
// number of steps n, the operands of A per element nA, the partials of B
// per element nE, the first output's slot (the outputs are consecutive,
// gamma[t, k] for each t then k), gamma[a - 1, :]'s slots, A's (j, k,
// operand) and B's (t, k, partial) slots; flts are A's signs, each
// step's softmax weights and B's partials.
func hmmBackward(adj []float64, ints []int32, flts []float64) {
	K, n, nA, nE := int(ints[0]), int(ints[1]), int(ints[2]), int(ints[3])
	if K == 2 {
		hmmBackward2(adj, ints, flts)
		return
	}
	first := int(ints[4])
	prev0 := ints[5:][:K]
	aIDs := ints[5+K:][:K*K*nA]
	bIDs := ints[5+K+K*K*nA:][:n*K*nE]
	sa, ws, bd := flts[:nA], flts[nA:][:n*K*K], flts[nA+n*K*K:][:n*K*nE]
	for t := n - 1; t >= 0; t-- {
		for k := K - 1; k >= 0; k-- {
			cell := t*K + k
			g := adj[first+cell]
			if g == 0 {
				continue
			}
			w := ws[cell*K:][:K]
			sum := 0.0
			for j, wj := range w {
				gw := g * wj
				sum += wj
				if t == 0 {
					adj[prev0[j]] += gw
				} else {
					adj[first+(t-1)*K+j] += gw
				}
				for i, id := range aIDs[(j*K+k)*nA:][:nA] {
					adj[id] += gw * sa[i]
				}
			}
			gs := g * sum
			for i, id := range bIDs[cell*nE:][:nE] {
				adj[id] += gs * bd[cell*nE+i]
			}
		}
	}
}

// hmmBackward2 is hmmBackward for K = 2, with the same additions in the
// same order, but for those to slot 0 (constants), which are skipped: the
// adjoints of gamma[t - 1, :] are carried in locals (the outputs are
// fresh slots no operand shares) and stored as they are complete.
func hmmBackward2(adj []float64, ints []int32, flts []float64) {
	n, nA, nE := int(ints[1]), int(ints[2]), int(ints[3])
	first := int(ints[4])
	prev0 := ints[5:][:2]
	aIDs := ints[7:][:4*nA]
	bIDs := ints[7+4*nA:][:n*2*nE]
	sa, ws, bd := flts[:nA], flts[nA:][:n*4], flts[nA+n*4:][:n*2*nE]
	out := adj[first:][:2*n]
	for t := n - 1; t >= 0; t-- {
		var c [2]float64 // gamma[t - 1, :]'s adjoints, when t > 0
		if t > 0 {
			c[0], c[1] = out[2*(t-1)], out[2*(t-1)+1]
		}
		for k := 1; k >= 0; k-- {
			cell := 2*t + k
			g := out[cell]
			if g == 0 {
				continue
			}
			w := ws[2*cell:][:2]
			for j, wj := range w {
				gw := g * wj
				if t == 0 {
					adj[prev0[j]] += gw
				} else {
					c[j] += gw
				}
				for i, id := range aIDs[(2*j+k)*nA:][:nA] {
					adj[id] += gw * sa[i]
				}
			}
			gs := g * (w[0] + w[1])
			for i, id := range bIDs[cell*nE:][:nE] {
				if id != 0 {
					adj[id] += gs * bd[cell*nE+i]
				}
			}
		}
		if t > 0 {
			out[2*(t-1)], out[2*(t-1)+1] = c[0], c[1]
		}
	}
}
