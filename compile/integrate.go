package compile

import (
	"container/heap"
	"math"
	"strings"

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

// quadTol is when adaptiveQuad stops: every component's error estimate
// within max(rel times the integral of its absolute value, abs), or
// maxIntervals intervals reached (a failure).
type quadTol struct {
	rel, abs     float64
	maxIntervals int
}

// adaptiveQuad integrates the m components of g (g(t, out) writes them)
// over [lo, hi] to the tolerance tol. It returns the integrals, or false.
func adaptiveQuad(g func(t float64, out []float64), lo, hi float64, m int, tol quadTol) ([]float64, bool) {
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
			if errs[j] > max(tol.rel*norm[j], tol.abs) && errs[j] > 1e-300 {
				done = false
			}
		}
		if done {
			return total(h, func(iv *quadInterval) []float64 { return iv.val }), true
		}
		if len(h) >= tol.maxIntervals {
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

// integrator is one call site of integrate_1d or of Stan 2.40's
// integrate_1d_gauss_kronrod and integrate_1d_double_exponential (and
// their _tol forms).
type integrator struct {
	pos        token.Position
	name       string
	aF, bF     func(*env) ad.Var
	relF, absF func(*env) ad.Var
	stepsF     func(*env) int // the _tol forms' maximum number of steps, else nil
	nanXC      bool           // Gauss–Kronrod: xc is NaN, as Stan passes it
	args       []*odeArg      // passed through: θ, x_r, x_i, or all of them
	xr         bool           // integrate_1d: args[1] is x_r, which must be data
	call       func(*env) ad.Var
	nested
	xArg, xc ad.Var
}

func (c *compiler) integrate1d(x *ast.CallExpr, call *check.Call, args []cexpr, t types.Type) cexpr {
	f := call.FuncArg
	reals, ints := types.Array(types.RealT, 1), types.Array(types.IntT, 1)
	want := []types.Type{types.RealT, types.RealT, reals, reals, ints}
	if !sameSig(f.Sig, types.Signature{Args: want, Ret: types.RealT}) {
		return c.badCall(x, t, "the integrand '%s' must have the signature %v, not %v", f.Name, types.Signature{Args: want, Ret: types.RealT}, f.Sig)
	}
	if (len(args) != 6 && len(args) != 7) || !isScalar(args[1].t) || !isScalar(args[2].t) ||
		!types.Promotes(args[3].t, reals) || !types.Promotes(args[4].t, reals) || args[5].t != ints || (len(args) == 7 && !isScalar(args[6].t)) {
		return c.badCall(x, t, "takes (f, real a, real b, array[] real theta, array[] real x_r, array[] int x_i) and an optional relative tolerance")
	}
	s := &integrator{pos: c.pos(x.Pos()), name: "integrate_1d", aF: args[1].real(), bF: args[2].real(), xr: true}
	if len(args) == 7 {
		s.relF = args[6].real()
	} else {
		rel := ad.Const(math.Sqrt(0x1p-52))
		s.relF = func(*env) ad.Var { return rel }
	}
	return c.integrateCall(x, s, f, args[3:], want[2:], t)
}

// integrate1dVariadic is integrate_1d_gauss_kronrod(f, a, b, ...) and
// integrate_1d_double_exponential(f, a, b, ...), and their _tol forms
// (f, a, b, relative tolerance, absolute tolerance, maximum number of
// steps, ...), whose integrand is real f(real x, real xc, ...) (Stan Math
// 5.4). Both run the adaptive Gauss–Kronrod rule above, which converges to
// the integral within the tolerances as Stan's Boost rules do; the
// maximum number of steps bounds the bisection depth (Boost's max_depth
// and max_refinements), so at most 2^steps intervals. Gauss–Kronrod
// passes xc as NaN, as Stan's does; the double-exponential form passes
// the distance to the nearer limit, as integrate_1d.
func (c *compiler) integrate1dVariadic(x *ast.CallExpr, call *check.Call, args []cexpr, t types.Type) cexpr {
	f := call.FuncArg
	name := call.Name
	tol := strings.HasSuffix(name, "_tol")
	first := 3
	if tol {
		first = 6
	}
	if len(args) < first || !isScalar(args[1].t) || !isScalar(args[2].t) || (tol && (!isScalar(args[3].t) || !isScalar(args[4].t) || args[5].t != types.IntT)) {
		return c.badCall(x, t, "takes (f, real a, real b%s, ...)", map[bool]string{false: "", true: ", real relative_tolerance, real absolute_tolerance, int max_steps"}[tol])
	}
	rest := args[first:]
	if len(f.Sig.Args) != 2+len(rest) || f.Sig.Args[0] != types.RealT || f.Sig.Args[1] != types.RealT || f.Sig.Ret != types.RealT {
		return c.badCall(x, t, "the integrand '%s' must take (real, real) and then the arguments after the limits, and return a real, not %v", f.Name, f.Sig)
	}
	pts := f.Sig.Args[2:]
	for k, pt := range pts {
		if !types.Promotes(rest[k].t, pt) {
			return c.badCall(x, t, "argument %d is %v, but the integrand takes %v", first+k+1, rest[k].t, pt)
		}
	}
	s := &integrator{pos: c.pos(x.Pos()), name: strings.TrimSuffix(name, "_tol"), aF: args[1].real(), bF: args[2].real(),
		nanXC: strings.HasPrefix(name, "integrate_1d_gauss_kronrod")}
	if tol {
		s.relF, s.absF, s.stepsF = args[3].real(), args[4].real(), args[5].i
	} else {
		rel := ad.Const(math.Sqrt(0x1p-52))
		s.relF = func(*env) ad.Var { return rel }
	}
	return c.integrateCall(x, s, f, rest, pts, t)
}

// integrateCall compiles the call of the integrand with the arguments
// passed through, of the integrand's parameter types pts.
func (c *compiler) integrateCall(x *ast.CallExpr, s *integrator, f *check.Func, rest []cexpr, pts []types.Type, t types.Type) cexpr {
	site := siteSlot(c, s)
	fargs := []cexpr{
		{t: types.RealT, r: func(e *env) ad.Var { return site.of(e).xArg }},
		{t: types.RealT, r: func(e *env) ad.Var { return site.of(e).xc }},
	}
	for k, pt := range pts {
		oa, fa := c.passThrough(rest[k], pt, declaredData(f.Decl.Params[2+k], s.pos, "%s: argument %d of the integrand", s.name, k+3))
		s.args = append(s.args, oa)
		fargs = append(fargs, fa)
	}
	s.call = c.userCall(x, &check.Call{Name: f.Name, Sig: f.Sig, User: f}, fargs, types.RealT).r
	return cexpr{t: t, r: func(e *env) ad.Var { return site.of(e).eval(e) }}
}

func (s *integrator) fail(format string, a ...any) { fail(s.pos, s.name+": "+format, a...) }

// at evaluates the integrand at x with complement xc, writing its value
// and its gradient in the arguments that depend on parameters to out.
func (s *integrator) at(x, xc float64, out []float64) {
	tp := s.tape
	tp.Reset()
	if s.nanXC {
		xc = math.NaN()
	}
	s.xArg, s.xc = ad.Const(x), ad.Const(xc)
	for _, a := range s.args {
		v := a.of(s.e)
		v.pass(tp, v.vars)
	}
	v := s.call(s.e)
	if math.IsNaN(v.Val) || math.IsInf(v.Val, 0) {
		s.fail("the integrand is %v at %v, but must be finite", v.Val, x)
	}
	out[0] = v.Val
	if len(out) == 1 {
		return
	}
	tp.Grad(v)
	leafAdjoints(tp, s.args, s.e, out[1:])
}

func (s *integrator) eval(e *env) ad.Var {
	if s.busy {
		s.fail("the integrand calls the integrator that is calling it")
	}
	a, b, rel := s.aF(e), s.bF(e), s.relF(e).Val
	for _, arg := range s.args {
		arg.load(e)
	}
	if math.IsNaN(a.Val) || math.IsNaN(b.Val) {
		s.fail("the limits of integration must not be NaN")
	}
	tol := quadTol{rel: rel, maxIntervals: quadMaxIntervals}
	if s.stepsF != nil {
		tol.abs = s.absF(e).Val
		steps := s.stepsF(e)
		switch {
		case !(rel >= 0):
			s.fail("relative_tolerance is %v, but must be nonnegative", rel)
		case !(tol.abs >= 0):
			s.fail("absolute_tolerance is %v, but must be nonnegative", tol.abs)
		case steps < 0:
			s.fail("max_steps is %d, but must be nonnegative", steps)
		}
		tol.maxIntervals = 1 << min(steps, 20)
	} else if !(rel > 0) {
		s.fail("relative_tolerance is %v, but must be positive", rel)
	}
	if s.xr && s.args[1].of(e).vars {
		s.fail("the continuous data must be data, but depend on parameters")
	}
	if !(a.Val <= b.Val) {
		s.fail("lower limit (%v) must be less than or equal to the upper limit (%v)", a.Val, b.Val)
	}
	if a.Val == b.Val {
		if math.IsInf(a.Val, 0) {
			s.fail("Integration endpoints are both %v", a.Val)
		}
		return ad.Const(0)
	}
	saved := s.enter(e)
	defer s.leave(e, saved)
	m := 1
	for _, arg := range s.args {
		if v := arg.of(e); v.vars {
			m += len(v.flat)
		}
	}
	total := make([]float64, m)
	add := func(v []float64, ok bool) {
		if !ok {
			s.fail("error estimate of integral exceeds max(relative_tolerance (%v) times the norm of the integral, absolute_tolerance (%v))", rel, tol.abs)
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
			}, 0, 1, m, tol))
		case math.IsInf(lo, -1) && math.IsInf(hi, 1):
			add(adaptiveQuad(func(u float64, out []float64) {
				// x = u / (1 - u²), dx = (1 + u²) / (1 - u²)² du.
				d := 1 - u*u
				s.at(u/d, math.NaN(), out)
				for j := range out {
					out[j] *= (1 + u*u) / (d * d)
				}
			}, -1, 1, m, tol))
		case math.IsInf(hi, 1):
			add(adaptiveQuad(func(u float64, out []float64) {
				// x = lo + u / (1 - u), dx = du / (1 - u)².
				s.at(lo+u/(1-u), math.NaN(), out)
				for j := range out {
					out[j] /= (1 - u) * (1 - u)
				}
			}, 0, 1, m, tol))
		default: // lo = -inf
			add(adaptiveQuad(func(u float64, out []float64) {
				s.at(hi-u/(1-u), math.NaN(), out)
				for j := range out {
					out[j] /= (1 - u) * (1 - u)
				}
			}, 0, 1, m, tol))
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
	j := 1
	for _, arg := range s.args {
		if v := arg.of(e); v.vars {
			for _, x := range v.flat {
				bd.Add(x, total[j])
				j++
			}
		}
	}
	bd.Add(a, -fa)
	bd.Add(b, fb)
	return bd.End(total[0])
}
