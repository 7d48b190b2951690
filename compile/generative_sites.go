package compile

// The generative view's prior sites at run time: the families' samplers
// and CDFs (from dist), truncation, and the draws (see generative.go).

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/mathx"
	"github.com/gostan/gostan/stan/token"
)

// uniFamily is a univariate family's sampler and CDFs, from dist.
type uniFamily struct {
	rng         func(r *rand.Rand, p []float64) (float64, error)
	mean        func(p []float64) (float64, bool)
	lcdf, lccdf func(t *ad.Tape, r [][]ad.Var) (ad.Var, error)
}

func familyOf(name string) uniFamily {
	d := stdlib().densities[name]
	f := uniFamily{lcdf: d.lcdf, lccdf: d.lccdf}
	if u := d.uni; u != nil {
		f.rng = func(r *rand.Rand, p []float64) (float64, error) { return u.Rng(r, p...) }
		f.mean = func(p []float64) (float64, bool) { return u.Mean(p...) }
	} else {
		f.rng = func(r *rand.Rand, p []float64) (float64, error) { return dist.NormalRng(r, p[0], p[1]) }
		f.mean = func(p []float64) (float64, bool) { return p[0], true }
	}
	return f
}

// at is a log CDF (or CCDF) at x with parameters p.
func (f uniFamily) at(t *ad.Tape, w *siteWork, cdf func(*ad.Tape, [][]ad.Var) (ad.Var, error), p []float64, x float64) (float64, error) {
	w.x[0] = ad.Const(x)
	w.args = append(w.args[:0], w.x[:])
	for k, v := range p {
		w.pv[k] = ad.Const(v)
		w.args = append(w.args, w.pv[k:k+1])
	}
	v, err := cdf(t, w.args)
	return v.Val, err
}

// logMass is the log of the family's mass in [lo, hi] with parameters p,
// from whichever tail keeps the precision.
func (f uniFamily) logMass(t *ad.Tape, w *siteWork, p []float64, lo, hi float64) (float64, error) {
	if math.IsInf(lo, -1) && math.IsInf(hi, 1) {
		return 0, nil
	}
	at := func(cdf func(*ad.Tape, [][]ad.Var) (ad.Var, error), x float64) (float64, error) {
		return f.at(t, w, cdf, p, x)
	}
	switch {
	case math.IsInf(lo, -1):
		return at(f.lcdf, hi)
	case math.IsInf(hi, 1):
		return at(f.lccdf, lo)
	}
	a, err := at(f.lcdf, lo)
	if err != nil {
		return 0, err
	}
	if a < -math.Ln2 {
		b, err := at(f.lcdf, hi)
		return mathx.LogDiffExp(b, a), err
	}
	// lo is above the median: the upper tails are the precise ones.
	a, err = at(f.lccdf, lo)
	if err != nil {
		return 0, err
	}
	b, err := at(f.lccdf, hi)
	return mathx.LogDiffExp(a, b), err
}

// rejections is how many draws a truncated prior rejects before it draws
// by inverting its CDF instead.
const rejections = 64

// drawIn draws from the family restricted to the open interval (lo, hi):
// by rejection while the interval holds much of the mass, else by
// inverting the CDF (dist has no quantile functions; its CDFs are inverted
// by bisection).
func (f uniFamily) drawIn(t *ad.Tape, w *siteWork, r *rand.Rand, p []float64, lo, hi float64) (float64, error) {
	for range rejections {
		x, err := f.rng(r, p)
		if err != nil {
			return 0, err
		}
		if x > lo && x < hi {
			return x, nil
		}
	}
	if f.lcdf == nil || f.lccdf == nil {
		return 0, fmt.Errorf("none of %d draws fell inside the bounds (%v, %v), and the family has no CDF to invert", rejections, lo, hi)
	}
	logM, err := f.logMass(t, w, p, lo, hi)
	if err != nil {
		return 0, err
	}
	if math.IsInf(logM, -1) || math.IsNaN(logM) {
		return 0, fmt.Errorf("the prior has no mass inside the bounds (%v, %v)", lo, hi)
	}
	logU := math.Log(r.Float64()) + logM
	// Solve for x in whichever tail is precise at lo: F(x) = F(lo) + u·M,
	// or, above the median, S(x) = S(lo) - u·M with S = 1 - F.
	cdf, sign := f.lcdf, 1.0
	var target float64
	if math.IsInf(lo, -1) {
		target = logU
	} else if a, err := f.at(t, w, f.lcdf, p, lo); err != nil {
		return 0, err
	} else if a < -math.Ln2 {
		target = mathx.LogSumExp2(a, logU)
	} else {
		s, err := f.at(t, w, f.lccdf, p, lo)
		if err != nil {
			return 0, err
		}
		cdf, sign, target = f.lccdf, -1, mathx.LogDiffExp(s, logU)
	}
	// below says the root is above x: the (signed) log CDF is below target.
	below := func(x float64) (bool, error) {
		v, err := f.at(t, w, cdf, p, x)
		return sign*v < sign*target, err
	}
	// Finite brackets inside (lo, hi), stepping out from a finite end.
	a, b := lo, hi
	start := 0.0
	switch {
	case !math.IsInf(lo, -1) && !math.IsInf(hi, 1):
	case !math.IsInf(lo, -1):
		start = lo
	case !math.IsInf(hi, 1):
		start = hi
	}
	for step := 1.0; math.IsInf(a, -1) || math.IsInf(b, 1); step *= 2 {
		if step > 1e300 {
			return 0, fmt.Errorf("cannot bracket the prior's quantile in (%v, %v)", lo, hi)
		}
		if math.IsInf(a, -1) {
			if ok, err := below(start - step); err != nil {
				return 0, err
			} else if ok {
				a = start - step
			}
		}
		if math.IsInf(b, 1) {
			if ok, err := below(start + step); err != nil {
				return 0, err
			} else if !ok {
				b = start + step
			}
		}
	}
	for range 200 {
		m := a + (b-a)/2
		if m <= a || m >= b {
			break
		}
		ok, err := below(m)
		if err != nil {
			return 0, err
		}
		if ok {
			a = m
		} else {
			b = m
		}
	}
	x := a + (b-a)/2
	if !(x > lo && x < hi) {
		return 0, fmt.Errorf("the prior's quantile %v is not inside the bounds (%v, %v)", x, lo, hi)
	}
	return x, nil
}

// siteWork is a prior site's per-model buffers.
type siteWork struct {
	sel  selector
	all  []int
	p    []float64
	x    [1]ad.Var
	pv   [3]ad.Var
	args [][]ad.Var
	vals []float64
	many []float64 // the draws an initialisation takes the median of
}

// uniSite is a compiled univariate prior site: the selection of the
// parameter, the family's parameters and the truncation.
type uniSite struct {
	pv      *paramVar
	get     func(*env) *value
	arrDims int
	idx     []index
	params  *densityArgs
	lo, hi  func(*env) ad.Var
	fam     uniFamily
	pos     token.Position
	work    stateSlot[siteWork]
}

func (c *compiler) uniSite(s *priorSite) *uniSite {
	ref, v, idx, _ := c.lvalue(s.lhs)
	u := &uniSite{pv: c.gen.pvs[s.param], get: ref.getter(), arrDims: v.Type.Dims, idx: idx,
		fam: familyOf(s.family), pos: s.pos, work: zeroState[siteWork](c)}
	args := make([]cexpr, len(s.args))
	for k, a := range s.args {
		args[k] = c.expr(a)
	}
	u.params = newDensityArgs(c, args, 0)
	if s.lo != nil {
		u.lo = c.expr(s.lo).real()
	}
	if s.hi != nil {
		u.hi = c.expr(s.hi).real()
	}
	return u
}

// offsets are the stored elements the site selects.
func offsets(e *env, w *siteWork, dst *value, arrDims int, idx []index, pos token.Position) []int {
	if idx != nil {
		w.sel.run(e, dst, arrDims, idx, pos)
		return w.sel.offs
	}
	w.all = w.all[:0]
	for o := range dst.R {
		w.all = append(w.all, o)
	}
	return w.all
}

// element fills w.p with element i's family parameters, broadcasting.
func (u *uniSite) element(w *siteWork, reals [][]ad.Var, i, n int) []float64 {
	w.p = w.p[:0]
	for k, a := range reals {
		if len(a) != 1 && len(a) != n {
			fail(u.pos, "size mismatch: the prior gives %d values, but argument %d has %d", n, k+1, len(a))
		}
		w.p = append(w.p, a[min(i, len(a)-1)].Val)
	}
	return w.p
}

// bounds are element o's support under the prior: its declared bounds
// within the truncation (tlo, thi).
func (u *uniSite) bounds(e *env, o int, tlo, thi float64) (float64, float64) {
	lo := max(boundAt(e, u.pv.lower, o, math.Inf(-1)).Val, tlo)
	hi := min(boundAt(e, u.pv.upper, o, math.Inf(1)).Val, thi)
	return lo, hi
}

// truncation is the statement's T[lo, hi], infinite where absent.
func (u *uniSite) truncation(e *env) (float64, float64) {
	lo, hi := math.Inf(-1), math.Inf(1)
	if u.lo != nil {
		lo = u.lo(e).Val
	}
	if u.hi != nil {
		hi = u.hi(e).Val
	}
	return lo, hi
}

// priorShift compiles the log mass that moves from a site's prior to the
// likelihood: log M of the declared bounds (within the truncation) less
// the truncation's own log mass, which the statement already divides by.
// It is nil when the parameter has no bounds, and so needs no shift.
func (c *compiler) priorShift(s *priorSite) func(*env) float64 {
	pv := c.gen.pvs[s.param]
	if pv.lower == nil && pv.upper == nil || !isUnivariate(s.family) {
		return nil
	}
	u := c.uniSite(s)
	truncated := s.lo != nil || s.hi != nil
	return func(e *env) float64 {
		w := u.work.of(e)
		reals := u.params.eval(e).reals
		dst := u.get(e)
		offs := offsets(e, w, dst, u.arrDims, u.idx, u.pos)
		tlo, thi := u.truncation(e)
		d := 0.0
		for i, o := range offs {
			p := u.element(w, reals, i, len(offs))
			lo, hi := u.bounds(e, o, tlo, thi)
			m, err := u.fam.logMass(e.t, w, p, lo, hi)
			if err != nil {
				panic(&evalError{pos: u.pos, err: err})
			}
			d += m
			if truncated {
				mt, err := u.fam.logMass(e.t, w, p, tlo, thi)
				if err != nil {
					panic(&evalError{pos: u.pos, err: err})
				}
				d -= mt
			}
		}
		return d
	}
}

func isUnivariate(family string) bool {
	return family == "normal" || stdlib().densities[family].uni != nil
}

// priorDraw compiles a site's draw: the elements it selects are drawn
// from its family, within their bounds, and marked drawn.
func (c *compiler) priorDraw(s *priorSite) stmtFn {
	gp := c.gen.params[s.param]
	pv := c.gen.pvs[s.param]
	marks, pos := gp.marks, s.pos
	mark := func(e *env, dst *value, offs []int) {
		m := *marks.of(e)
		for _, o := range offs {
			if m[o] {
				fail(pos, "%s is given a prior twice", elementName(pv.name, dst.Dims, pv.v.Type, o))
			}
			m[o] = true
		}
	}
	if isUnivariate(s.family) {
		u := c.uniSite(s)
		return func(e *env) ctrl {
			w := u.work.of(e)
			reals := u.params.eval(e).reals
			dst := u.get(e)
			offs := offsets(e, w, dst, u.arrDims, u.idx, u.pos)
			mark(e, dst, offs)
			tlo, thi := u.truncation(e)
			for i, o := range offs {
				p := u.element(w, reals, i, len(offs))
				lo, hi := u.bounds(e, o, tlo, thi)
				x, err := u.pick(e, w, p, lo, hi)
				if err != nil {
					fail(pos, "drawing %s from its prior: %v", elementName(pv.name, dst.Dims, pv.v.Type, o), err)
				}
				dst.R[o] = ad.Const(x)
			}
			return next
		}
	}
	return c.multiDraw(s, mark)
}

// multiDraw compiles the draw of a multivariate site: a simplex, a
// correlation or covariance matrix or its Cholesky factor, or vectors
// (an array of them when the location is broadcast or an array).
func (c *compiler) multiDraw(s *priorSite, mark func(*env, *value, []int)) stmtFn {
	pv := c.gen.pvs[s.param]
	ref, v, idx, _ := c.lvalue(s.lhs)
	get, arrDims, pos := ref.getter(), v.Type.Dims, s.pos
	args := make([]func(*env) *value, len(s.args))
	reals := make([]func(*env) ad.Var, len(s.args))
	for k, a := range s.args {
		x := c.expr(a)
		if x.v != nil {
			args[k] = x.val(true)
		} else {
			reals[k] = x.real()
		}
	}
	work := zeroState[siteWork](c)
	family := s.family
	return func(e *env) ctrl {
		w := work.of(e)
		dst := get(e)
		offs := offsets(e, w, dst, arrDims, idx, pos)
		mark(e, dst, offs)
		n := len(offs)
		once := func() (err error) {
			switch family {
			case "dirichlet":
				var x []float64
				x, err = dist.DirichletRng(e.rng, floats(w, args[0](e)))
				w.vals = append(w.vals, x...)
			case "lkj_corr_cholesky", "lkj_corr", "wishart", "inv_wishart":
				k := int(math.Round(math.Sqrt(float64(n))))
				var m *mat.Dense
				switch family {
				case "lkj_corr_cholesky":
					m, err = dist.LkjCorrCholeskyRng(e.rng, k, reals[0](e).Val)
				case "lkj_corr":
					m, err = dist.LkjCorrRng(e.rng, k, reals[0](e).Val)
				case "wishart":
					m, err = dist.WishartRng(e.rng, reals[0](e).Val, dense(args[1](e)))
				default:
					m, err = dist.InvWishartRng(e.rng, reals[0](e).Val, dense(args[1](e)))
				}
				if err == nil {
					for j := range k {
						for i := range k {
							w.vals = append(w.vals, m.At(i, j)) // column-major
						}
					}
				}
			default: // multi_normal, multi_normal_cholesky, multi_student_t
				nu, loc := 0.0, args
				if family == "multi_student_t" {
					nu, loc = reals[0](e).Val, args[1:]
				}
				mu, sigma := floats(w, loc[0](e)), dense(loc[1](e))
				k, _ := sigma.Dims()
				if k == 0 || n%k != 0 || len(mu) != k && len(mu) != n {
					fail(pos, "size mismatch: %d values drawn from %s with a location of %d and a %d×%d matrix", n, family, len(mu), k, k)
				}
				for b := 0; b < n/k && err == nil; b++ {
					m := mu[min(b*k, len(mu)-k):][:k]
					var x []float64
					switch family {
					case "multi_normal":
						x, err = dist.MultiNormalRng(e.rng, m, sigma)
					case "multi_normal_cholesky":
						x, err = dist.MultiNormalCholeskyRng(e.rng, m, sigma)
					default:
						x, err = dist.MultiStudentTRng(e.rng, nu, m, sigma)
					}
					w.vals = append(w.vals, x...)
				}
			}
			return err
		}
		w.vals = w.vals[:0]
		var err error
		switch {
		case e.init == 0:
			err = once()
		case e.init == initMean || !coordinatewise(family):
			if !multiMean(family, w, n, args, reals, e) {
				err = medianOf(w, medianSamples, n, once)
			}
		default:
			err = medianOf(w, e.init, n, once)
		}
		if err == nil && family == "dirichlet" && e.init != 0 {
			// The coordinatewise median of simplexes is not one.
			normalise(w.vals)
		}
		if err != nil {
			fail(pos, "drawing %s from its prior: %v", pv.name, err)
		}
		if len(w.vals) != n {
			fail(pos, "size mismatch: %s draws %d values for %d elements of '%s'", family, len(w.vals), n, pv.name)
		}
		for i, o := range offs {
			dst.R[o] = ad.Const(w.vals[i])
		}
		return next
	}
}

// floats are a value's reals, in w.p.
func floats(w *siteWork, v *value) []float64 {
	w.p = w.p[:0]
	for _, x := range v.R {
		w.p = append(w.p, x.Val)
	}
	return w.p
}

// dense is a matrix value as a gonum matrix.
func dense(v *value) *mat.Dense {
	m := v.matrix()
	out := mat.NewDense(max(m.Rows, 1), max(m.Cols, 1), nil)
	for j := range m.Cols {
		for i := range m.Rows {
			out.Set(i, j, m.Data[i+j*m.Rows].Val)
		}
	}
	return out
}

// pick is the site's value for one element: a draw from its prior, or,
// when the model is being initialised (Model.InitPrior), the median of
// e.init draws or the family's mean. A mean that does not exist or falls
// outside the bounds gives way to the median of medianSamples draws, as
// NumPyro's init_to_mean falls back to init_to_median.
func (u *uniSite) pick(e *env, w *siteWork, p []float64, lo, hi float64) (float64, error) {
	n := e.init
	switch {
	case n == 0:
		return u.fam.drawIn(e.t, w, e.rng, p, lo, hi)
	case n == initMean:
		if m, ok := u.fam.mean(p); ok && m > lo && m < hi {
			return m, nil
		}
		n = medianSamples
	}
	w.many = w.many[:0]
	for range n {
		x, err := u.fam.drawIn(e.t, w, e.rng, p, lo, hi)
		if err != nil {
			return 0, err
		}
		w.many = append(w.many, x)
	}
	return median(w.many), nil
}

// normalise scales x to sum to 1.
func normalise(x []float64) {
	s := 0.0
	for _, v := range x {
		s += v
	}
	for i := range x {
		x[i] /= s
	}
}

// medianSamples is NumPyro's default number of draws for init_to_median.
const medianSamples = 15

// median is the median of x (the mean of the middle two for an even
// count, as NumPy's); x is reordered.
func median(x []float64) float64 {
	slices.Sort(x)
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	return (x[n/2-1] + x[n/2]) / 2
}

// coordinatewise says whether the median of a multivariate family's draws,
// taken coordinate by coordinate, is a point of its support (after
// renormalising, for a simplex): not for the matrices, whose medians are
// neither correlation nor positive definite matrices in general, and
// which initialise at their means.
func coordinatewise(family string) bool {
	switch family {
	case "lkj_corr_cholesky", "lkj_corr", "wishart", "inv_wishart":
		return false
	}
	return true
}

// medianOf runs once (which appends one draw of n values to w.vals) k
// times and leaves in w.vals the coordinatewise median.
func medianOf(w *siteWork, k, n int, once func() error) error {
	for range k {
		if err := once(); err != nil {
			return err
		}
	}
	w.many = append(w.many[:0], w.vals...)
	w.vals = w.vals[:n]
	col := make([]float64, k)
	for i := range n {
		for j := range k {
			col[j] = w.many[j*n+i]
		}
		w.vals[i] = median(col)
	}
	return nil
}

// multiMean writes into w.vals the mean of a multivariate family's n
// values, reporting false where it has none here: the Dirichlet's α/Σα,
// the Gaussian's and the Student-t's location (ν > 1), the LKJ families'
// identity, the Wishart's νS and the inverse Wishart's S/(ν-k-1)
// (ν > k+1).
func multiMean(family string, w *siteWork, n int, args []func(*env) *value, reals []func(*env) ad.Var, e *env) bool {
	switch family {
	case "dirichlet":
		a := floats(w, args[0](e))
		w.vals = append(w.vals[:0], a...)
		normalise(w.vals)
	case "multi_normal", "multi_normal_cholesky", "multi_student_t":
		loc := args
		if family == "multi_student_t" {
			if reals[0](e).Val <= 1 {
				return false
			}
			loc = args[1:]
		}
		mu := floats(w, loc[0](e))
		if len(mu) == 0 || n%len(mu) != 0 {
			return false
		}
		w.vals = w.vals[:0]
		for len(w.vals) < n {
			w.vals = append(w.vals, mu...)
		}
	case "lkj_corr_cholesky", "lkj_corr":
		k := int(math.Round(math.Sqrt(float64(n))))
		w.vals = append(w.vals[:0], make([]float64, n)...)
		for i := range k {
			w.vals[i*k+i] = 1
		}
	case "wishart", "inv_wishart":
		nu, s := reals[0](e).Val, args[1](e)
		k := int(math.Round(math.Sqrt(float64(n))))
		f := nu
		if family == "inv_wishart" {
			if nu <= float64(k)+1 {
				return false
			}
			f = 1 / (nu - float64(k) - 1)
		}
		w.vals = w.vals[:0]
		for _, x := range s.R {
			w.vals = append(w.vals, f*x.Val)
		}
	default:
		return false
	}
	return len(w.vals) == n
}
