package compile

import (
	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/types"
)

// Vectorised truncation (Stan 2.31; Reference Manual, "Vectorizing
// truncated distributions"): y ~ dist(θ) T[L, U] with y or θ containers
// and scalar bounds. Every element of y must lie in [L, U], and the term
// added is the one the manual gives:
//
//   - when only y is a container, the scalar term times size(y);
//   - with one bound, -lcdf(U | θ) or -lccdf(L | θ), vectorised over θ
//     (their sums over the elements);
//   - with both, -Σ_n log_diff_exp(lcdf(U | θ_n), lcdf(L | θ_n)) over the
//     elements n of θ, since a difference of sums is not the sum of the
//     differences.
//
// Integer variates take L - 1 in L's place, as in the scalar case.

// vectorTruncation is truncation's term when the variate or a parameter
// is a container, for families with vectorised CDFs (d.lcdf or d.disc).
func (c *compiler) vectorTruncation(s *ast.TildeStmt, d density, args []cexpr) func(*env) ad.Var {
	isInt := args[0].t.Kind == types.Int
	lo, hi, ok := c.truncBounds(s, isInt)
	if !ok {
		return nil
	}
	scalarParams := true
	for _, a := range args[1:] {
		scalarParams = scalarParams && a.t.IsScalar()
	}
	nInts := 0
	switch {
	case d.disc != nil:
		nInts = d.ints - 1 // the integer parameters after the variate
	case d.truncCDF != nil:
		nInts = len(args) - 1 // a family of ints only
	}
	params := newDensityArgs(c, args[1:], nInts)
	var yi func(*env) []int
	var yr func(*env) []ad.Var
	if isInt {
		yi = intsOf(args[0])
	} else {
		yr = asVector(c, args[0])
	}
	// pick holds one element of each parameter, broadcasting scalars.
	type pick struct {
		bound   [1]int
		boundR  [1]ad.Var
		ints    [][]int
		reals   [][]ad.Var
		oneI    [][1]int
		oneR    [][1]ad.Var
		allInts [][]int
		allR    [][]ad.Var
	}
	work := newState(c, func() *pick { return &pick{} })
	pos := c.pos(s.Pos())
	// cdf is the log CDF (or CCDF when upper) at bound b of element k of
	// the parameters, or of all of them (summed) when k < 0.
	cdf := func(e *env, w *densitySlices, b truncBound, upper bool, k int) ad.Var {
		p := work.of(e)
		ints, reals := w.ints, w.reals
		if k >= 0 {
			p.oneI = append(p.oneI[:0], make([][1]int, len(ints))...)
			p.oneR = append(p.oneR[:0], make([][1]ad.Var, len(reals))...)
			p.ints, p.reals = p.ints[:0], p.reals[:0]
			for i, v := range ints {
				p.oneI[i][0] = v[min(k, len(v)-1)]
				p.ints = append(p.ints, p.oneI[i][:])
			}
			for i, v := range reals {
				p.oneR[i][0] = v[min(k, len(v)-1)]
				p.reals = append(p.reals, p.oneR[i][:])
			}
			ints, reals = p.ints, p.reals
		}
		var v ad.Var
		var err error
		switch {
		case d.truncCDF != nil:
			p.bound[0] = b.i
			p.allInts = append(append(p.allInts[:0], p.bound[:]), ints...)
			var f float64
			f, err = d.truncCDF(p.allInts, upper)
			v = ad.Const(f)
		case d.disc != nil:
			p.bound[0] = b.i
			p.allInts = append(append(p.allInts[:0], p.bound[:]), ints...)
			if upper {
				v, err = d.disc.Lccdf(e.t, p.allInts, reals...)
			} else {
				v, err = d.disc.Lcdf(e.t, p.allInts, reals...)
			}
		default:
			p.boundR[0] = b.r
			p.allR = append(append(p.allR[:0], p.boundR[:]), reals...)
			if upper {
				v, err = d.lccdf(e.t, p.allR)
			} else {
				v, err = d.lcdf(e.t, p.allR)
			}
		}
		if err != nil {
			panic(&evalError{pos: pos, err: err})
		}
		return v
	}
	bound := func(e *env, x cexpr, shift int) truncBound {
		if isInt {
			return truncBound{i: x.i(e) + shift}
		}
		return truncBound{r: x.real()(e)}
	}
	// outside reports an element of y below lo or above hi.
	outside := func(e *env) bool {
		if isInt {
			var l, h int
			if lo.i != nil {
				l = lo.i(e)
			}
			if hi.i != nil {
				h = hi.i(e)
			}
			for _, y := range yi(e) {
				if lo.i != nil && y < l || hi.i != nil && y > h {
					return true
				}
			}
			return false
		}
		var l, h float64
		if lo.t.Kind != types.Invalid {
			l = lo.real()(e).Val
		}
		if hi.t.Kind != types.Invalid {
			h = hi.real()(e).Val
		}
		for _, y := range yr(e) {
			if lo.t.Kind != types.Invalid && y.Val < l || hi.t.Kind != types.Invalid && y.Val > h {
				return true
			}
		}
		return false
	}
	size := func(e *env) int {
		if isInt {
			return len(yi(e))
		}
		return len(yr(e))
	}
	// The dist package's discrete families have support n >= 0, so
	// F(L-1) = 0 for L <= 0 (their CDFs reject n < 0).
	nonNegative := d.disc != nil
	shift := 0
	if isInt {
		shift = -1
	}
	return func(e *env) ad.Var {
		if outside(e) {
			return ad.Const(negInf)
		}
		w := params.eval(e)
		t := e.t
		switch {
		case s.TruncLo != nil && s.TruncHi != nil:
			// The term of element k of the parameters (all of them, k < 0).
			term := func(k int) ad.Var {
				l := bound(e, lo, shift)
				if nonNegative && l.i < 0 {
					return cdf(e, w, bound(e, hi, 0), false, k)
				}
				return t.LogDiffExp(cdf(e, w, bound(e, hi, 0), false, k), cdf(e, w, l, false, k))
			}
			if scalarParams {
				return t.Mul(ad.Const(-float64(size(e))), term(0))
			}
			m := 0
			for _, v := range w.ints {
				m = max(m, len(v))
			}
			for _, v := range w.reals {
				m = max(m, len(v))
			}
			sum := ad.Const(0)
			for k := range m {
				sum = t.Add(sum, term(k))
			}
			return t.Neg(sum)
		case s.TruncLo != nil:
			l := bound(e, lo, shift)
			if nonNegative && l.i < 0 {
				return ad.Const(0)
			}
			v := cdf(e, w, l, true, -1)
			if scalarParams {
				return t.Mul(ad.Const(-float64(size(e))), v)
			}
			return t.Neg(v)
		default:
			v := cdf(e, w, bound(e, hi, 0), false, -1)
			if scalarParams {
				return t.Mul(ad.Const(-float64(size(e))), v)
			}
			return t.Neg(v)
		}
	}
}

// anyContainer reports whether the variate or a parameter of a ~ is a
// container.
func anyContainer(args []cexpr) bool {
	for _, a := range args {
		if !a.t.IsScalar() {
			return true
		}
	}
	return false
}
