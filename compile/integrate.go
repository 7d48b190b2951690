package compile

import (
	"container/heap"
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// integrate_1d(f, a, b, θ, x_r, x_i) and with a relative tolerance after
// x_i: ∫_a^b f(x, xc, θ, x_r, x_i) dx, by adaptive Gauss–Kronrod
// quadrature (Stan uses Boost's double-exponential rules; both converge to
// the integral within the tolerance). An infinite limit is mapped to a
// finite one; an interval across 0 is split there, as Stan splits it. xc
// is the distance from x to the nearer limit, a - x or b - x, computed
// without cancellation, and NaN when a limit is infinite. The gradient in
// θ is the integral of the integrand's gradient, computed with it; in a
// finite limit it is ∓ f at that limit.

// The 15-point Kronrod rule and the 7-point Gauss rule it extends
// (QUADPACK's qk15): nodes in [0, 1), the last the centre.
var (
	gkNodes = [8]float64{0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
		0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
		0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
		0.207784955007898467600689403773245, 0}
	gkWeights = [8]float64{0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
		0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
		0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
		0.204432940075298892414161999234649, 0.209482141084727828012999174891714}
	// The Gauss weights of the nodes 1, 3, 5 and the centre.
	gWeights = [4]float64{0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
		0.381830050505118944950369775488975, 0.417959183673469387755102040816327}
)

// quadInterval is one interval of the adaptive quadrature with its
// estimates of each component's integral, error and integral of |g|.
type quadInterval struct {
	lo, hi         float64
	val, err, norm []float64
	worst          float64 // the largest error relative to its tolerance
}

type quadHeap []*quadInterval

func (h quadHeap) Len() int           { return len(h) }
func (h quadHeap) Less(i, j int) bool { return h[i].worst > h[j].worst }
func (h quadHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *quadHeap) Push(x any)        { *h = append(*h, x.(*quadInterval)) }
func (h *quadHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// quadMaxIntervals bounds the subdivision.
const quadMaxIntervals = 2000

// adaptiveQuad integrates the m components of g (g(t, out) writes them)
// over [lo, hi] until every component's error estimate is within rel times
// the integral of its absolute value. It returns the integrals, or false.
func adaptiveQuad(g func(t float64, out []float64), lo, hi float64, m int, rel float64) ([]float64, bool) {
	fx := make([]float64, m)
	rule := func(a, b float64) *quadInterval {
		c, h := (a+b)/2, (b-a)/2
		iv := &quadInterval{lo: a, hi: b, val: make([]float64, m), err: make([]float64, m), norm: make([]float64, m)}
		gauss := make([]float64, m)
		for k := range 8 {
			for s, sign := range [2]float64{-1, 1} {
				if k == 7 && s == 1 {
					break
				}
				g(c+sign*h*gkNodes[k], fx)
				for j, v := range fx {
					iv.val[j] += gkWeights[k] * v
					iv.norm[j] += gkWeights[k] * math.Abs(v)
					if k%2 == 1 {
						gauss[j] += gWeights[k/2] * v
					}
				}
			}
		}
		for j := range m {
			iv.val[j] *= h
			iv.norm[j] *= math.Abs(h)
			iv.err[j] = math.Abs(iv.val[j] - h*gauss[j])
		}
		return iv
	}
	total := func(h quadHeap, f func(*quadInterval) []float64) []float64 {
		s := make([]float64, m)
		for _, iv := range h {
			for j, v := range f(iv) {
				s[j] += v
			}
		}
		return s
	}
	h := quadHeap{rule(lo, hi)}
	for {
		norm := total(h, func(iv *quadInterval) []float64 { return iv.norm })
		errs := total(h, func(iv *quadInterval) []float64 { return iv.err })
		done := true
		for j := range m {
			tol := rel * norm[j]
			if errs[j] > tol && errs[j] > 1e-300 {
				done = false
			}
		}
		if done {
			return total(h, func(iv *quadInterval) []float64 { return iv.val }), true
		}
		if len(h) >= quadMaxIntervals {
			return total(h, func(iv *quadInterval) []float64 { return iv.val }), false
		}
		for _, iv := range h {
			iv.worst = 0
			for j := range m {
				if norm[j] > 0 {
					iv.worst = math.Max(iv.worst, iv.err[j]/norm[j])
				}
			}
		}
		heap.Init(&h)
		iv := heap.Pop(&h).(*quadInterval)
		mid := (iv.lo + iv.hi) / 2
		heap.Push(&h, rule(iv.lo, mid))
		heap.Push(&h, rule(mid, iv.hi))
	}
}

// integrator is one call site of integrate_1d.
type integrator struct {
	pos    token.Position
	aF, bF func(*env) ad.Var
	relF   func(*env) ad.Var
	args   []*odeArg // θ, x_r, x_i
	call   func(*env) ad.Var
	nested
	xArg, xc   ad.Var
	components int
}

func (c *compiler) integrate1d(x *ast.CallExpr, call *check.Call, args []cexpr, t types.Type) cexpr {
	f := call.FuncArg
	reals, ints := types.Array(types.RealT, 1), types.Array(types.IntT, 1)
	want := []types.Type{types.RealT, types.RealT, reals, reals, ints}
	if !sameSig(f.Sig, types.Signature{Args: want, Ret: types.RealT}) {
		return c.badCall(x, t, "the integrand '%s' must have the signature %v, not %v", f.Name, types.Signature{Args: want, Ret: types.RealT}, f.Sig)
	}
	isScalar := func(a cexpr) bool { return a.t == types.RealT || a.t == types.IntT }
	if (len(args) != 6 && len(args) != 7) || !isScalar(args[1]) || !isScalar(args[2]) ||
		!types.Promotes(args[3].t, reals) || !types.Promotes(args[4].t, reals) || args[5].t != ints || (len(args) == 7 && !isScalar(args[6])) {
		return c.badCall(x, t, "takes (f, real a, real b, array[] real theta, array[] real x_r, array[] int x_i) and an optional relative tolerance")
	}
	s := &integrator{pos: c.pos(x.Pos()), aF: args[1].real(), bF: args[2].real()}
	if len(args) == 7 {
		s.relF = args[6].real()
	} else {
		rel := ad.Const(math.Sqrt(0x1p-52))
		s.relF = func(*env) ad.Var { return rel }
	}
	site := siteSlot(c, s)
	fargs := []cexpr{
		{t: types.RealT, r: func(e *env) ad.Var { return site.of(e).xArg }},
		{t: types.RealT, r: func(e *env) ad.Var { return site.of(e).xc }},
	}
	for k, pt := range want[2:] {
		oa, fa := c.passThrough(args[3+k], pt, false)
		s.args = append(s.args, oa)
		fargs = append(fargs, fa)
	}
	s.call = c.userCall(x, &check.Call{Name: f.Name, Sig: f.Sig, User: f}, fargs, types.RealT).r
	return cexpr{t: t, r: func(e *env) ad.Var { return site.of(e).eval(e) }}
}

func (s *integrator) fail(format string, a ...any) { fail(s.pos, "integrate: "+format, a...) }

// at evaluates the integrand at x with complement xc, writing its value
// and its gradient in θ (when θ depends on parameters) to out.
func (s *integrator) at(x, xc float64, out []float64) {
	tp := s.tape
	tp.Reset()
	s.xArg, s.xc = ad.Const(x), ad.Const(xc)
	th := s.args[0].of(s.e)
	th.pass(tp, th.vars)
	v := s.call(s.e)
	if math.IsNaN(v.Val) || math.IsInf(v.Val, 0) {
		s.fail("the integrand is %v at %v, but must be finite", v.Val, x)
	}
	out[0] = v.Val
	if !th.vars {
		return
	}
	tp.Grad(v)
	for j, a := range th.arg.R {
		out[1+j] = tp.Adjoint(a)
	}
}

func (s *integrator) eval(e *env) ad.Var {
	if s.busy {
		s.fail("the integrand calls the integrator that is calling it")
	}
	a, b, rel := s.aF(e), s.bF(e), s.relF(e).Val
	th := s.args[0].load(e)
	for _, arg := range s.args[1:] {
		arg.load(e)
	}
	if math.IsNaN(a.Val) || math.IsNaN(b.Val) {
		s.fail("the limits of integration must not be NaN")
	}
	if !(rel > 0) {
		s.fail("relative_tolerance is %v, but must be positive", rel)
	}
	for _, v := range s.args[1].of(e).in.R {
		if !v.IsConst() {
			s.fail("the continuous data must be data, but depend on parameters")
		}
	}
	if !(a.Val <= b.Val) {
		s.fail("lower limit (%v) must be less than or equal to the upper limit (%v)", a.Val, b.Val)
	}
	if a.Val == b.Val {
		return ad.Const(0)
	}
	m := 1
	if th.vars {
		m += len(th.in.R)
	}
	saved := s.enter(e)
	defer s.leave(e, saved)
	total := make([]float64, m)
	add := func(v []float64, ok bool) {
		if !ok {
			s.fail("error estimate of integral exceeds the given relative tolerance (%v) times the norm of the integral", rel)
		}
		for j := range v {
			total[j] += v[j]
		}
	}
	buf := make([]float64, m)
	// piece integrates over [lo, hi], one of them possibly infinite.
	piece := func(lo, hi float64) {
		switch {
		case !math.IsInf(lo, 0) && !math.IsInf(hi, 0):
			w := hi - lo
			add(adaptiveQuad(func(u float64, out []float64) {
				// u in [0, 1]: x = lo + w u, distances w u and w (1 - u).
				x := lo + w*u
				var xc float64
				if u < 0.5 {
					xc = -w * u
				} else {
					xc = w * (1 - u)
				}
				s.at(x, xc, out)
				for j := range out {
					out[j] *= w
				}
			}, 0, 1, m, rel))
		case math.IsInf(lo, -1) && math.IsInf(hi, 1):
			add(adaptiveQuad(func(u float64, out []float64) {
				// x = u / (1 - u²), dx = (1 + u²) / (1 - u²)² du.
				d := 1 - u*u
				s.at(u/d, math.NaN(), out)
				for j := range out {
					out[j] *= (1 + u*u) / (d * d)
				}
			}, -1, 1, m, rel))
		case math.IsInf(hi, 1):
			add(adaptiveQuad(func(u float64, out []float64) {
				// x = lo + u / (1 - u), dx = du / (1 - u)².
				s.at(lo+u/(1-u), math.NaN(), out)
				for j := range out {
					out[j] /= (1 - u) * (1 - u)
				}
			}, 0, 1, m, rel))
		default: // lo = -inf
			add(adaptiveQuad(func(u float64, out []float64) {
				s.at(hi-u/(1-u), math.NaN(), out)
				for j := range out {
					out[j] /= (1 - u) * (1 - u)
				}
			}, 0, 1, m, rel))
		}
	}
	if a.Val < 0 && b.Val > 0 {
		piece(a.Val, 0)
		piece(0, b.Val)
	} else {
		piece(a.Val, b.Val)
	}
	// The partials in finite limits: ∓ the integrand there.
	var fa, fb float64
	if !a.IsConst() && !math.IsInf(a.Val, 0) {
		s.at(a.Val, 0, buf)
		fa = buf[0]
	}
	if !b.IsConst() && !math.IsInf(b.Val, 0) {
		s.at(b.Val, 0, buf)
		fb = buf[0]
	}
	s.leave(e, saved)
	bd := e.t.Begin()
	if th.vars {
		for j, v := range th.in.R {
			bd.Add(v, total[1+j])
		}
	}
	bd.Add(a, -fa)
	bd.Add(b, fb)
	return bd.End(total[0])
}
