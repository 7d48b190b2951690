package compile

import (
	"fmt"
	"math"
	"slices"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Functions that build, reshape and rank containers, and the Gaussian
// process covariance functions.

// addReshapeFuncs defines them.
func (l *library) addReshapeFuncs() {
	m := map[string]builtin{}
	for name, f := range map[string]builtin{
		"linspaced_vector":     linspaced,
		"linspaced_row_vector": linspaced,
		"linspaced_array":      linspaced,
		"linspaced_int_array":  linspacedInt,
		"one_hot_vector":       oneHot,
		"one_hot_int_array":    oneHot,
		"one_hot_array":        oneHot,
		"one_hot_row_vector":   oneHot,
		"zeros_vector":         filled(0),
		"zeros_row_vector":     filled(0),
		"zeros_array":          filled(0),
		"zeros_int_array":      filled(0),
		"ones_vector":          filled(1),
		"ones_row_vector":      filled(1),
		"ones_array":           filled(1),
		"ones_int_array":       filled(1),
		"uniform_simplex":      filled(-1),
		"rank":                 rankFn,
		"sort_indices_asc":     sortIndices(false),
		"sort_indices_desc":    sortIndices(true),
		"to_array_2d":          toArray2d,
		"to_int":               toInt,
		"append_array":         appendArray,
		"log_mix":              logMix,
		"gp_exp_quad_cov":      gpCov(gpExpQuadK),
		"cov_exp_quad":         gpCov(gpExpQuadK),
		"gp_matern32_cov":      gpCov(gpMatern32K),
		"gp_matern52_cov":      gpCov(gpMatern52K),
		"gp_exponential_cov":   gpCov(gpExponentialK),
		"gp_periodic_cov":      gpCov(gpPeriodicK),
		"gp_dot_prod_cov":      gpDotProd,
	} {
		m[name] = f
	}
	for name, f := range m {
		l.fn(name, f)
	}
}

// checkSize fails when a function's size arguments are negative or ask
// for more than MaxElements elements.
func checkSize(pos token.Position, fn string, dims ...int) {
	if elementsOK(dims) {
		return
	}
	dims = slices.Clone(dims)
	for _, n := range dims {
		if n < 0 {
			fail(pos, "%s: size is %d, but must be nonnegative", fn, n)
		}
	}
	if err := checkElements(fn+"'s result", dims); err != nil {
		panic(&evalError{pos: pos, err: err})
	}
}

// linspaced is linspaced_vector, linspaced_row_vector and linspaced_array:
// k values from lo to hi, spaced as Eigen's LinSpaced spaces them (k = 1
// gives hi).
func linspaced(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	fk, flo, fhi := a[0].i, a[1].real(), a[2].real()
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [1]int
		k, lo, hi := fk(e), flo(e), fhi(e)
		checkSize(pos, "linspaced", k)
		if math.IsNaN(lo.Val) || math.IsInf(lo.Val, 0) || math.IsNaN(hi.Val) || math.IsInf(hi.Val, 0) {
			fail(pos, "linspaced: low (%v) and high (%v) must be finite", lo.Val, hi.Val)
		}
		if hi.Val < lo.Val {
			fail(pos, "linspaced: high is %v, but must be greater than or equal to %v", hi.Val, lo.Val)
		}
		dims[0] = k
		buf.shape(dims[:], false)
		if k == 1 {
			buf.R[0] = hi
			return buf
		}
		tp := e.t
		step := tp.Div(tp.Sub(hi, lo), ad.Const(float64(k-1)))
		flip := math.Abs(hi.Val) < math.Abs(lo.Val)
		for i := range k {
			switch {
			case flip && i == 0:
				buf.R[i] = lo
			case flip:
				buf.R[i] = tp.Sub(hi, tp.Mul(ad.Const(float64(k-1-i)), step))
			case i == k-1:
				buf.R[i] = hi
			default:
				buf.R[i] = tp.Add(lo, tp.Mul(ad.Const(float64(i)), step))
			}
		}
		return buf
	}}, nil
}

// linspacedInt is Eigen's integer LinSpaced: evenly spaced when high - low
// is at least k - 1 (high lowered to the nearest multiple of the step),
// else repeated values.
func linspacedInt(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	fk, flo, fhi := a[0].i, a[1].i, a[2].i
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [1]int
		k, lo, hi := fk(e), flo(e), fhi(e)
		checkSize(pos, "linspaced_int_array", k)
		if hi < lo {
			fail(pos, "linspaced_int_array: high is %d, but must be greater than or equal to %d", hi, lo)
		}
		dims[0] = k
		buf.shape(dims[:], true)
		if k == 1 {
			buf.I[0] = hi
			return buf
		}
		span := hi - lo
		if span+1 < k {
			div := (k + span) / (span + 1)
			for i := range k {
				buf.I[i] = lo + i/div
			}
			return buf
		}
		step := span / max(k-1, 1)
		for i := range k {
			buf.I[i] = lo + i*step
		}
		return buf
	}}, nil
}

// oneHot is one_hot_vector(n, k), one_hot_row_vector, one_hot_array and
// one_hot_int_array.
func oneHot(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	fn, fk := a[0].i, a[1].i
	isInt := t.Kind == types.Int
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [1]int
		n, k := fn(e), fk(e)
		if n <= 0 {
			fail(pos, "one_hot: size is %d, but must be positive", n)
		}
		checkSize(pos, "one_hot", n)
		if k < 1 || k > n {
			fail(pos, "one_hot: k is %d, but must be in the interval [1, %d]", k, n)
		}
		dims[0] = n
		buf.shape(dims[:], isInt)
		if isInt {
			clear(buf.I)
			buf.I[k-1] = 1
		} else {
			clear(buf.R)
			buf.R[k-1] = ad.Const(1)
		}
		return buf
	}}, nil
}

// filled is zeros_*, ones_* and, for v < 0, uniform_simplex (1/n each).
func filled(v float64) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fn := a[0].i
		isInt := t.Kind == types.Int
		out := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			var dims [1]int
			n := fn(e)
			x := v
			if v < 0 {
				if n <= 0 {
					fail(pos, "uniform_simplex: size is %d, but must be positive", n)
				}
				x = 1 / float64(n)
			}
			checkSize(pos, "filled container", n)
			dims[0] = n
			buf.shape(dims[:], isInt)
			for i := range buf.I {
				buf.I[i] = int(x)
			}
			for i := range buf.R {
				buf.R[i] = ad.Const(x)
			}
			return buf
		}}, nil
	}
}

// rankFn is rank(v, s): how many elements of v are less than v[s].
func rankFn(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	fv, fs := a[0].v, a[1].i
	return cexpr{t: t, i: func(e *env) int {
		v, s := fv(e), fs(e)
		n := len(v.R) + len(v.I)
		if s < 1 || s > n {
			fail(pos, "rank: index %d out of range; expecting index to be between 1 and %d", s, n)
		}
		r := 0
		if v.I != nil {
			for _, x := range v.I {
				if x < v.I[s-1] {
					r++
				}
			}
			return r
		}
		for _, x := range v.R {
			if x.Val < v.R[s-1].Val {
				r++
			}
		}
		return r
	}}, nil
}

// sortIndices returns the 1-based positions of v in sorted order, ties in
// their original order.
func sortIndices(desc bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fv := a[0].v
		out := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			var dims [1]int
			v := fv(e)
			n := len(v.R) + len(v.I)
			at := func(i int) float64 {
				if v.I != nil {
					return float64(v.I[i])
				}
				return v.R[i].Val
			}
			idx := sortIndex(n, func(i, j int) bool {
				if desc {
					return at(i) > at(j)
				}
				return at(i) < at(j)
			})
			dims[0] = n
			buf.shape(dims[:], true)
			for k, i := range idx {
				buf.I[k] = i + 1
			}
			return buf
		}}, nil
	}
}

// toArray2d is a matrix as a 2-D array, row by row.
func toArray2d(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	return relayout(c, t, a[0].v, true), nil
}

// toIntValue truncates x toward 0, which must be in the range of a
// 32-bit int, as Stan's to_int requires.
func toIntValue(pos token.Position, x float64) int {
	if !(x >= math.MinInt32 && x <= math.MaxInt32) {
		fail(pos, "to_int: x is %v, but must be in the interval [%d, %d]", x, math.MinInt32, math.MaxInt32)
	}
	return int(math.Trunc(x))
}

// toInt is to_int of a real or, elementwise, of an array of reals.
func toInt(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	if a[0].v == nil {
		if a[0].i != nil {
			return a[0], nil
		}
		f := a[0].r
		return cexpr{t: t, i: func(e *env) int { return toIntValue(pos, f(e).Val) }}, nil
	}
	f := a[0].v
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		v := f(e)
		buf.shape(v.Dims, true)
		if v.I != nil {
			copy(buf.I, v.I)
			return buf
		}
		for i, x := range v.R {
			buf.I[i] = toIntValue(pos, x.Val)
		}
		return buf
	}}, nil
}

// appendArray joins two arrays along their first dimension; their
// elements must have the same sizes.
func appendArray(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	isInt := t.Kind == types.Int
	fx, fy := a[0].val(!isInt), a[1].val(!isInt)
	out, dimsOf := c.buf(), c.dimsState()
	return cexpr{t: t, v: func(e *env) *value {
		buf, dims := out.of(e), dimsOf.of(e)
		x, y := fx(e), fy(e)
		if !sameDims(x.Dims[1:], y.Dims[1:]) {
			fail(pos, "append_array: the elements of the first array (size %s) and of the second (size %s) must have the same sizes", dimString(x.Dims[1:]), dimString(y.Dims[1:]))
		}
		*dims = append(append((*dims)[:0], x.Dims[0]+y.Dims[0]), x.Dims[1:]...)
		buf.shape(*dims, isInt)
		if isInt {
			copy(buf.I[copy(buf.I, x.I):], y.I)
		} else {
			copy(buf.R[copy(buf.R, x.R):], y.R)
		}
		return buf
	}}, nil
}

// logMix is log_mix(θ, λ1, λ2) of scalars, log Σ_k θ_k e^{λ_k} of a
// vector or array of mixing proportions and densities, and the sum of that
// over an array of density vectors.
func logMix(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	if len(a) == 3 {
		th, x, y := a[0].real(), a[1].real(), a[2].real()
		return cexpr{t: t, r: func(e *env) ad.Var {
			tv := th(e)
			if !(tv.Val >= 0 && tv.Val <= 1) {
				fail(pos, "log_mix: lambda is %v, but must be in the interval [0, 1]", tv.Val)
			}
			return e.t.LogMix(tv, x(e), y(e))
		}}, nil
	}
	fth := a[0].val(true)
	fl := vectorsOf(a[1])
	if a[1].t.Kind != types.Vector && a[1].t.Kind != types.RowVector {
		// An array of reals is one vector of densities.
		f := a[1].val(true)
		one := newState(c, func() *[1][]ad.Var { return new([1][]ad.Var) })
		fl = func(e *env) [][]ad.Var {
			buf := one.of(e)
			buf[0] = f(e).R
			return buf[:]
		}
	}
	work := newState(c, func() *[]float64 { return new([]float64) })
	return cexpr{t: t, r: func(e *env) ad.Var {
		th := fth(e).R
		w := work.of(e)
		logTh := (*w)[:0]
		for _, p := range th {
			if !(p.Val >= 0 && p.Val <= 1) {
				fail(pos, "log_mix: theta is %v, but must be in the interval [0, 1]", p.Val)
			}
			logTh = append(logTh, math.Log(p.Val))
		}
		*w = logTh
		b := e.t.Begin()
		total := 0.0
		for _, l := range fl(e) {
			if len(l) != len(th) {
				fail(pos, "log_mix: theta (%d) and lambda (%d) must match in size", len(th), len(l))
			}
			// v = log Σ θ_k e^{λ_k}; ∂v/∂λ_k = θ_k e^{λ_k - v}, ∂v/∂θ_k = e^{λ_k - v}.
			m := math.Inf(-1)
			for k, x := range l {
				m = math.Max(m, logTh[k]+x.Val)
			}
			s := 0.0
			for k, x := range l {
				s += math.Exp(logTh[k] + x.Val - m)
			}
			v := m + math.Log(s)
			total += v
			for k, x := range l {
				w := math.Exp(x.Val - v)
				b.Add(x, th[k].Val*w)
				b.Add(th[k], w)
			}
		}
		return b.End(total)
	}}, nil
}

// A covariance kernel: the entry for two points at distance measure u (the
// squared distance |x - x'|², or |x - x'| for sqrtDist) and its partials,
// in closed form, so that a covariance matrix of data points is one tape
// node (ad's Jacobian) with a partial per entry and parameter, as Stan's
// reverse-mode specialisations of these functions are.
type gpKernel struct {
	name   string
	params int // after the points; the first is the magnitude σ
	// prep fills c with the constants k needs from the parameters p, once
	// per matrix, so that an entry costs no division.
	prep func(p []float64, c *[gpConsts]float64)
	// k returns the entry at u and its partial with respect to u, and
	// writes its partials with respect to the parameters into dp.
	k        func(u float64, c *[gpConsts]float64, dp []float64) (v, du float64)
	sqrtDist bool
}

// gpConsts is the most constants a kernel's prep gives.
const gpConsts = 6

var (
	// σ² exp(-u / (2ℓ²)): c = σ², -1/(2ℓ²), 2/σ, 1/ℓ³.
	gpExpQuadK = gpKernel{name: "gp_exp_quad_cov", params: 2,
		prep: func(p []float64, c *[gpConsts]float64) {
			s, l := p[0], p[1]
			c[0], c[1], c[2], c[3] = s*s, -1/(2*l*l), 2/s, 1/(l*l*l)
		},
		k: func(u float64, c *[gpConsts]float64, dp []float64) (float64, float64) {
			v := c[0] * math.Exp(u*c[1])
			dp[0], dp[1] = v*c[2], v*u*c[3]
			return v, v * c[1]
		}}
	// σ² (1 + r) e^{-r} with r = √3 d / ℓ, dr/du = r / (2u):
	// c = σ², √3/ℓ, 2/σ, 1/ℓ, -3/(2ℓ²).
	gpMatern32K = gpKernel{name: "gp_matern32_cov", params: 2,
		prep: func(p []float64, c *[gpConsts]float64) {
			s, l := p[0], p[1]
			c[0], c[1], c[2], c[3], c[4] = s*s, math.Sqrt(3)/l, 2/s, 1/l, -1.5/(l*l)
		},
		k: func(u float64, c *[gpConsts]float64, dp []float64) (float64, float64) {
			r := math.Sqrt(u) * c[1]
			s2e := c[0] * math.Exp(-r)
			v := s2e * (1 + r)
			dp[0], dp[1] = v*c[2], s2e*r*r*c[3]
			return v, s2e * c[4]
		}}
	// σ² (1 + r + r²/3) e^{-r} with r = √5 d / ℓ:
	// c = σ², √5/ℓ, 2/σ, 1/(3ℓ), -5/(6ℓ²).
	gpMatern52K = gpKernel{name: "gp_matern52_cov", params: 2,
		prep: func(p []float64, c *[gpConsts]float64) {
			s, l := p[0], p[1]
			c[0], c[1], c[2], c[3], c[4] = s*s, math.Sqrt(5)/l, 2/s, 1/(3*l), -5/(6*l*l)
		},
		k: func(u float64, c *[gpConsts]float64, dp []float64) (float64, float64) {
			r := math.Sqrt(u) * c[1]
			s2e := c[0] * math.Exp(-r)
			v := s2e * (1 + r + r*r/3)
			dp[0], dp[1] = v*c[2], s2e*r*r*(1+r)*c[3]
			return v, s2e * (1 + r) * c[4]
		}}
	// σ² e^{-d/ℓ}: c = σ², 1/ℓ, 2/σ, 1/ℓ².
	gpExponentialK = gpKernel{name: "gp_exponential_cov", params: 2,
		prep: func(p []float64, c *[gpConsts]float64) {
			s, l := p[0], p[1]
			c[0], c[1], c[2], c[3] = s*s, 1/l, 2/s, 1/(l*l)
		},
		k: func(u float64, c *[gpConsts]float64, dp []float64) (float64, float64) {
			d := math.Sqrt(u)
			v := c[0] * math.Exp(-d*c[1])
			dp[0], dp[1] = v*c[2], v*d*c[3]
			return v, -0.5 * v * c[1] / d
		}}
	// σ² exp(-2 sin²(π d / p) / ℓ²), of the distance d:
	// c = σ², π/p, -2/ℓ², 2/σ, 4/ℓ³, 4π/(ℓ² p²).
	gpPeriodicK = gpKernel{name: "gp_periodic_cov", params: 3,
		prep: func(p []float64, c *[gpConsts]float64) {
			s, l, per := p[0], p[1], p[2]
			c[0], c[1], c[2], c[3], c[4], c[5] = s*s, math.Pi/per, -2/(l*l), 2/s, 4/(l*l*l), 4*math.Pi/(l*l*per*per)
		},
		k: func(d float64, c *[gpConsts]float64, dp []float64) (float64, float64) {
			sn, cs := math.Sincos(d * c[1])
			v := c[0] * math.Exp(sn*sn*c[2])
			dp[0], dp[1], dp[2] = v*c[3], v*sn*sn*c[4], v*sn*cs*d*c[5]
			// ∂v/∂d = v · (-2/ℓ²) · 2 sin cos · π/p.
			return v, 2 * v * sn * cs * c[2] * c[1]
		}, sqrtDist: true}
)

// gpCov compiles a covariance function of one set of points (a symmetric
// matrix) or two (x1 × x2), the points reals or vectors. Of data points it
// is one tape node; of varying points, a statement per entry.
func gpCov(k gpKernel) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		two := len(a) == 2+k.params
		if len(a) != 1+k.params && !two {
			return cexpr{}, fmt.Errorf("%s takes %d or %d arguments", k.name, 1+k.params, 2+k.params)
		}
		fx1 := a[0].val(true)
		fx2 := fx1
		np := 1
		if two {
			fx2 = a[1].val(true)
			np = 2
		}
		fp := make([]func(*env) ad.Var, k.params)
		// ard is set when the length scale is an array, one per dimension
		// of vector points (automatic relevance determination): the
		// kernel of the points scaled by them, at length scale 1.
		var ard func(*env) *value
		for i := range fp {
			if i == 1 && a[np+i].t.Dims > 0 {
				ard = a[np+i].val(true)
				fp[i] = func(*env) ad.Var { return ad.Const(1) }
				continue
			}
			fp[i] = a[np+i].real()
		}
		// The parameters, their values and partials; the values and
		// Jacobian of a node.
		type gpWork struct {
			p         []ad.Var
			pv, dp    []float64
			c         [gpConsts]float64
			vals, jac []float64
		}
		work := newState(c, func() *gpWork {
			return &gpWork{p: make([]ad.Var, k.params), pv: make([]float64, k.params), dp: make([]float64, k.params)}
		})
		out := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			buf, w := out.of(e), work.of(e)
			p, pv, dp := w.p, w.pv, w.dp
			var dims [2]int
			x1, x2 := fx1(e), fx2(e)
			if ard != nil {
				x1, x2 = gpScaled(e, pos, k.name, x1, x2, two, ard(e).R)
			}
			for i, f := range fp {
				p[i] = f(e)
				pv[i] = p[i].Val
				if !(pv[i] > 0) || math.IsInf(pv[i], 0) {
					fail(pos, "%s: %s is %v, but must be positive finite", k.name, [...]string{"magnitude", "length scale", "period"}[i], pv[i])
				}
			}
			n1, n2 := x1.Dims[0], x2.Dims[0]
			d := size(x1.Dims[1:])
			if size(x2.Dims[1:]) != d {
				fail(pos, "%s: the points of the two sets have different sizes: %d and %d", k.name, d, size(x2.Dims[1:]))
			}
			constPoints := true
			for _, v := range [2]*value{x1, x2} {
				for _, x := range v.R {
					if math.IsNaN(x.Val) {
						fail(pos, "%s: x is nan, but must not be nan", k.name)
					}
					constPoints = constPoints && x.IsConst()
				}
			}
			dims[0], dims[1] = n1, n2
			buf.shape(dims[:], false)
			tp := e.t
			k.prep(pv, &w.c)
			// measure is the distance measure between point i of x1 and
			// point j of x2.
			measure := func(i, j int) float64 {
				s := 0.0
				for q := range d {
					diff := x1.R[i*d+q].Val - x2.R[j*d+q].Val
					s += diff * diff
				}
				if k.sqrtDist {
					s = math.Sqrt(s)
				}
				return s
			}
			if constPoints {
				// The entries by column, the lower triangle of one set.
				m := n1 * n2
				if !two {
					m = n1 * (n1 + 1) / 2
				}
				w.vals = slices.Grow(w.vals[:0], m)[:m]
				w.jac = slices.Grow(w.jac[:0], m*k.params)[:m*k.params]
				q := 0
				for j := range n2 {
					i0 := 0
					if !two {
						i0 = j
					}
					for i := i0; i < n1; i++ {
						w.vals[q], _ = k.k(measure(i, j), &w.c, dp)
						for r, g := range dp {
							w.jac[r*m+q] = g
						}
						q++
					}
				}
				outs := tp.Jacobian(w.vals, p, w.jac)
				q = 0
				for j := range n2 {
					i0 := 0
					if !two {
						i0 = j
					}
					for i := i0; i < n1; i++ {
						buf.R[i+j*n1] = outs[q]
						if !two {
							buf.R[j+i*n1] = outs[q]
						}
						q++
					}
				}
				return buf
			}
			for i := range n1 {
				jEnd := n2
				if !two {
					jEnd = i + 1
				}
				for j := range jEnd {
					b := tp.Begin()
					u := measure(i, j)
					v, du := k.k(u, &w.c, dp)
					if u != 0 {
						// ∂u/∂x1 = 2 diff for the squared distance, diff / d
						// for the distance.
						f := 2 * du
						if k.sqrtDist {
							f = du / u
						}
						for q := range d {
							xi, xj := x1.R[i*d+q], x2.R[j*d+q]
							diff := xi.Val - xj.Val
							b.Add(xi, f*diff)
							b.Add(xj, -f*diff)
						}
					}
					for r, x := range p {
						b.Add(x, dp[r])
					}
					buf.R[i+j*n1] = b.End(v)
					if !two {
						buf.R[j+i*n1] = buf.R[i+j*n1]
					}
				}
			}
			return buf
		}}, nil
	}
}

// gpScaled divides each coordinate of the vector points by its length
// scale, for the kernels with one length scale per dimension (Stan's
// Functions Reference, "Gaussian process covariance functions").
func gpScaled(e *env, pos token.Position, name string, x1, x2 *value, two bool, l []ad.Var) (*value, *value) {
	for _, v := range l {
		if !(v.Val > 0) || math.IsInf(v.Val, 0) {
			fail(pos, "%s: length scale is %v, but must be positive finite", name, v.Val)
		}
	}
	scale := func(x *value) *value {
		d := size(x.Dims[1:])
		if d != len(l) {
			fail(pos, "%s: the points have %d dimensions, but there are %d length scales", name, d, len(l))
		}
		r := make([]ad.Var, len(x.R))
		for i, v := range x.R {
			r[i] = e.t.Div(v, l[i%d])
		}
		return &value{Dims: x.Dims, R: r}
	}
	s1 := scale(x1)
	if !two {
		return s1, s1
	}
	return s1, scale(x2)
}

// gpDotProd is the dot product covariance σ² + x_i · x'_j of one set of
// points (reals or vectors) or of two.
func gpDotProd(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	two := len(a) == 3
	fx1, fs := a[0].val(true), a[len(a)-1].real()
	fx2 := fx1
	if two {
		fx2 = a[1].val(true)
	}
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [2]int
		x1, x2, s := fx1(e), fx2(e), fs(e)
		if !(s.Val >= 0) || math.IsInf(s.Val, 0) {
			fail(pos, "gp_dot_prod_cov: sigma is %v, but must be nonnegative and finite", s.Val)
		}
		n1, n2 := x1.Dims[0], x2.Dims[0]
		d := size(x1.Dims[1:])
		if size(x2.Dims[1:]) != d {
			fail(pos, "gp_dot_prod_cov: the points of the two sets have different sizes: %d and %d", d, size(x2.Dims[1:]))
		}
		dims[0], dims[1] = n1, n2
		buf.shape(dims[:], false)
		s2 := e.t.Square(s)
		for i := range n1 {
			jEnd := n2
			if !two {
				jEnd = i + 1
			}
			for j := range jEnd {
				v := s2
				for q := range d {
					v = e.t.Add(v, e.t.Mul(x1.R[i*d+q], x2.R[j*d+q]))
				}
				buf.R[i+j*n1] = v
				if !two {
					buf.R[j+i*n1] = v
				}
			}
		}
		return buf
	}}, nil
}
