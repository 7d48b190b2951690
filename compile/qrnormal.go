package compile

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	gfloats "gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/lapack/lapack64"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/types"
)

// A normal regression whose variate y and design A are fixed data and
// whose scale is one scalar needs the data only through a thin QR
// factorisation A = Q R, taken once per model: for coefficients θ,
//
//	‖y − Aθ‖² = ‖Qᵀy − Rθ‖² + ‖y − QQᵀy‖²,
//
// since y − Aθ splits into Q(Qᵀy − Rθ) and the part of y orthogonal to
// A's columns. A gradient then costs O(P²) for P columns instead of the
// O(N P) of Aθ and Aᵀr, with ∂/∂θ ‖y − Aθ‖² = −2 Rᵀ(Qᵀy − Rθ).
//
// Both terms are taken relative to the least-squares fit θ̂, by one step
// of iterative refinement (Björck, Numerical Methods for Least Squares
// Problems, §2.9): with r̂ = y − Aθ̂ computed row by row from the data,
// Qᵀy − Rθ = Qᵀr̂ + R(θ̂ − θ) and ‖y − QQᵀy‖² = ‖r̂ − QQᵀr̂‖², the latter
// the tail of Householder's Q_fullᵀ r̂. Near the fit, where residuals
// are tiny beside y, nothing then cancels at the scale of y: not the
// sum of squares (as yᵀy − ‖Qᵀy‖² would) nor the gradient (as Qᵀy − Rθ
// would, by √N times the direct pass's rounding).

// qrNormal is the factorised sum of squares of one regression.
type qrNormal struct {
	n, p int
	r    []float64 // R, p×p upper triangular, row-major
	fit  []float64 // θ̂
	qtr  []float64 // Qᵀr̂
	c    float64   // ‖r̂ − QQᵀr̂‖²
	d, g []float64 // Qᵀy − Rθ and Rᵀ(Qᵀy − Rθ) = Aᵀ(y − Aθ) at the last evaluation
}

// newQRNormal factorises the design of p columns, col(j) each of
// len(y) rows, by Householder reflections (LAPACK's geqrf and ormqr, in
// gonum); it returns nil when the data are not all finite or there are
// not more rows than columns, where the caller keeps the direct
// evaluation (and its errors).
func newQRNormal(y []float64, p int, col func(j int) []float64) *qrNormal {
	n := len(y)
	if n <= p {
		return nil
	}
	finite := func(x []float64) bool {
		for _, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
		}
		return true
	}
	if !finite(y) {
		return nil
	}
	a := make([]float64, n*p)
	for j := range p {
		x := col(j)
		if !finite(x) {
			return nil
		}
		for i, v := range x {
			a[i*p+j] = v
		}
	}
	m := blas64.General{Rows: n, Cols: p, Stride: p, Data: a}
	tau := make([]float64, p)
	res := append([]float64(nil), y...)
	vec := blas64.General{Rows: n, Cols: 1, Stride: 1, Data: res}
	work := []float64{0}
	lapack64.Geqrf(m, tau, work, -1)
	lw := int(work[0])
	lapack64.Ormqr(blas.Left, blas.Trans, m, tau, vec, work, -1)
	work = make([]float64, max(lw, int(work[0])))
	lapack64.Geqrf(m, tau, work, len(work))
	// qt overwrites res with Q_fullᵀ res.
	qt := func() { lapack64.Ormqr(blas.Left, blas.Trans, m, tau, vec, work, len(work)) }
	q := &qrNormal{n: n, p: p, r: make([]float64, p*p), fit: make([]float64, p), qtr: make([]float64, p), d: make([]float64, p), g: make([]float64, p)}
	for i := range p {
		copy(q.r[i*p+i:(i+1)*p], a[i*p+i:(i+1)*p])
	}
	// θ̂ solves R θ̂ = (Qᵀy)[:p]; a singular R leaves θ̂ = 0, r̂ = y.
	qt()
	for i := p - 1; i >= 0; i-- {
		s := res[i]
		for k := i + 1; k < p; k++ {
			s -= q.r[i*p+k] * q.fit[k]
		}
		q.fit[i] = s / q.r[i*p+i]
	}
	if !finite(q.fit) {
		clear(q.fit)
	}
	copy(res, y)
	for j := range p {
		gfloats.AddScaled(res, -q.fit[j], col(j))
	}
	qt()
	copy(q.qtr, res[:p])
	for _, v := range res[p:] {
		q.c += v * v
	}
	return q
}

// sumSq returns ‖y − Aθ‖² and leaves Aᵀ(y − Aθ) in q.g.
func (q *qrNormal) sumSq(theta []float64) float64 {
	p, r, d, g := q.p, q.r, q.d[:q.p], q.g[:q.p]
	fit := q.fit[:p]
	theta = theta[:p]
	for k := range p {
		g[k] = fit[k] - theta[k] // θ̂ − θ, for now
	}
	ss := q.c
	for i := range p {
		row := r[i*p+i : (i+1)*p]
		s := q.qtr[i]
		for k, v := range row {
			s += v * g[i+k]
		}
		d[i] = s
		ss += s * s
	}
	for k := range p {
		s := 0.0
		for i := 0; i <= k; i++ {
			s += r[i*p+k] * d[i]
		}
		g[k] = s
	}
	return ss
}

// qrOperand is a tape variable whose value, times scale, is (or adds
// to) the coefficient θ_col.
type qrOperand struct {
	v     ad.Var
	col   int
	scale float64
}

// density is the normal log density of the regression at θ with scale
// sv, -‖y − Aθ‖²/(2σ²) with normalScale's terms, recorded as one tape
// statement with partial scale · (Aᵀ(y − Aθ))_col / σ² for each operand.
// It reports false where the caller's direct evaluation must decide, so
// that errors and edge values stay its own: a scale that is not positive
// and finite, a coefficient that is not finite, a sum of squares that
// overflows. The one implementation behind the fused regressions,
// normal_id_glm and the affine loops (affine.go).
func (q *qrNormal) density(t *ad.Tape, theta []float64, ops []qrOperand, sv ad.Var, propto bool) (ad.Var, bool) {
	sd := sv.Val
	if !(sd > 0) || math.IsInf(sd, 1) {
		return ad.Var{}, false
	}
	for _, v := range theta {
		if v-v != 0 {
			return ad.Var{}, false
		}
	}
	ss := q.sumSq(theta)
	if ss-ss != 0 {
		return ad.Var{}, false
	}
	n := float64(q.n)
	inv := 1 / sd
	inv2 := inv * inv
	lp := -0.5 * ss * inv2
	b := t.Begin()
	if t != nil {
		b.Grow(len(ops) + 1)
	}
	for _, o := range ops {
		b.Add(o.v, o.scale*q.g[o.col]*inv2)
	}
	lp = normalScale(&b, lp, sv, n, ss*inv2*inv-n*inv, propto)
	return b.End(lp), true
}

// qrGLM compiles normal_id_glm_lpdf(y | x, alpha, beta, sigma) from the
// factorisation of [1 x] when y and x are fixed data and alpha and sigma
// scalars, or returns nil. direct is the general evaluation, which
// decides whatever the factorisation does not: data that cannot be
// factorised, sizes that disagree, invalid or non-finite arguments.
func qrGLM(c *compiler, a []cexpr, propto bool, direct func(*env) ad.Var) func(*env) ad.Var {
	if !a[0].fixed || a[0].v == nil || !a[1].fixed || a[1].t.Kind == types.RowVector || a[2].v != nil || a[4].v != nil {
		return nil
	}
	y, x, alpha, beta, sigma := a[0].val(true), designOf(a[1], nil), a[2].real(), asVector(c, a[3]), a[4].real()
	type glmWork struct {
		qr    *qrNormal
		theta []float64
		ops   []qrOperand
	}
	slot := zeroState[glmWork](c)
	built := c.whenBuilt(func(e *env) {
		w := slot.of(e)
		defer func() {
			// Data the design cannot be read from leave the error to the
			// direct evaluation.
			if r := recover(); r != nil {
				if _, ok := r.(*evalError); !ok {
					panic(r)
				}
				w.qr = nil
			}
		}()
		yv, d := floatsOf(nil, y(e).R), x(e)
		if len(yv) != d.Rows || d.Vars != nil {
			return
		}
		ones := make([]float64, d.Rows)
		for i := range ones {
			ones[i] = 1
		}
		w.qr = newQRNormal(yv, d.Cols+1, func(j int) []float64 {
			if j == 0 {
				return ones
			}
			return d.Val[(j-1)*d.Rows : j*d.Rows]
		})
	})
	return func(e *env) ad.Var {
		if built != nil {
			built(e)
		}
		w := slot.of(e)
		if w.qr == nil {
			return direct(e)
		}
		al, be, sv := alpha(e), beta(e), sigma(e)
		if len(be)+1 != w.qr.p {
			return direct(e)
		}
		if len(w.ops) != w.qr.p {
			w.theta, w.ops = make([]float64, w.qr.p), make([]qrOperand, w.qr.p)
			for j := range w.ops {
				w.ops[j] = qrOperand{col: j, scale: 1}
			}
		}
		w.theta[0], w.ops[0].v = al.Val, al
		for j, v := range be {
			w.theta[j+1], w.ops[j+1].v = v.Val, v
		}
		if lp, ok := w.qr.density(e.t, w.theta, w.ops, sv, propto); ok {
			return lp
		}
		return direct(e)
	}
}
