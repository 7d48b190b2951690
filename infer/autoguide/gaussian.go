package autoguide

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/infer/laplace"
	"github.com/gostan/gostan/mathx"
)

// initScale is NumPyro's default init_scale.
const initScale = 0.1

func softplus(x float64) float64 { return mathx.Log1pExp(x) }

// softplusInv inverts softplus.
func softplusInv(y float64) float64 { return math.Log(math.Expm1(y)) }

// lpFunc evaluates a model's log density and gradient.
type lpFunc = func(z, g []float64) (float64, error)

// locScale is what the Gaussian guides with a location and a reparameterised
// draw z = loc + (scale) ε share: the dimension, the parameters (loc
// first), NumPyro's parameterisation or gostan's, the draw's ε, z and
// gradient of log p, and where ε comes from.
type locScale struct {
	d       int
	par     []float64
	numpyro bool
	eps, z  []float64
	g       []float64
	noise
}

func newLocScale(loc []float64, params int, numpyro bool, keys *numpyroKeys) locScale {
	d := len(loc)
	g := locScale{d: d, par: make([]float64, params), numpyro: numpyro, eps: make([]float64, d), z: make([]float64, d),
		g: make([]float64, d), noise: noise{keys}}
	copy(g.par, loc)
	return g
}

func (q *locScale) Params() []float64 { return q.par }

// Mean is loc.
func (q *locScale) Mean() []float64 { return q.par[:q.d] }

// DiagonalNormal is N(loc, diag(scale²)), scale = softplus(raw), or
// exp(raw) as NumPyro 0.7's AutoDiagonalNormal has it (AsNumPyro). Its
// parameters are loc, then the raw scales.
type DiagonalNormal struct{ locScale }

// NewDiagonalNormal starts at loc with scales init_scale.
func NewDiagonalNormal(loc []float64) *DiagonalNormal {
	return newDiagonalNormal(loc, initScale, false, nil)
}

func newDiagonalNormal(loc []float64, scale float64, numpyro bool, keys *numpyroKeys) *DiagonalNormal {
	d := len(loc)
	q := &DiagonalNormal{newLocScale(loc, 2*d, numpyro, keys)}
	for i := range d {
		q.par[d+i] = scaleInv(scale, numpyro)
	}
	return q
}

// scaleOf maps a raw scale parameter to the scale, exp as NumPyro 0.7's
// constraints.positive or softplus, and returns the map's derivative.
func scaleOf(raw float64, exp bool) (s, ds float64) {
	if exp {
		s = math.Exp(raw)
		return s, s
	}
	return softplus(raw), mathx.InvLogit(raw)
}

// scaleInv inverts scaleOf.
func scaleInv(s float64, exp bool) float64 {
	if exp {
		return math.Log(s)
	}
	return softplusInv(s)
}

func (q *DiagonalNormal) scale(i int) float64 {
	s, _ := scaleOf(q.par[q.d+i], q.numpyro)
	return s
}

// SampleLogQ draws z = loc + scale ε with log q(z) = log N(ε; 0, I) - Σ log scale.
func (q *DiagonalNormal) SampleLogQ(rng *rand.Rand, z []float64) float64 {
	q.Sample(rng, z)
	return choleskyLogQ(q.eps, q.scale)
}

func (q *DiagonalNormal) Sample(rng *rand.Rand, z []float64) {
	q.posterior(rng, q.eps)
	for i := range q.d {
		z[i] = q.par[i] + q.scale(i)*q.eps[i]
	}
}

// ELBOGrad uses z = loc + scale ε: -log q(z) = ½|ε|² + Σ log scale + const.
func (q *DiagonalNormal) ELBOGrad(rng *rand.Rand, lp lpFunc, grad []float64) (float64, error) {
	d := q.d
	q.step(rng, q.eps)
	for i := range d {
		q.z[i] = q.par[i] + q.scale(i)*q.eps[i]
	}
	v, err := lp(q.z, q.g)
	if err != nil {
		return 0, err
	}
	elbo := v + 0.5*float64(d)*(1+math.Log(2*math.Pi))
	for i := range d {
		s, ds := scaleOf(q.par[d+i], q.numpyro)
		elbo += math.Log(s) + 0.5*q.eps[i]*q.eps[i] - 0.5
		grad[i] += q.g[i]
		grad[d+i] += (q.g[i]*q.eps[i] + 1/s) * ds
	}
	return elbo, nil
}

// MultivariateNormal is N(loc, L Lᵀ) with L lower triangular, its
// diagonal softplus-transformed, or exp-transformed as NumPyro 0.7's
// constraints.lower_cholesky (AsNumPyro). Its parameters are loc, then L
// row by row (the lower triangle, the diagonal raw).
type MultivariateNormal struct{ locScale }

// NewMultivariateNormal starts at loc with L = init_scale · I.
func NewMultivariateNormal(loc []float64) *MultivariateNormal {
	return newMultivariateNormal(loc, initScale, false, nil)
}

func newMultivariateNormal(loc []float64, scale float64, numpyro bool, keys *numpyroKeys) *MultivariateNormal {
	d := len(loc)
	q := &MultivariateNormal{newLocScale(loc, d+d*(d+1)/2, numpyro, keys)}
	k := d
	for i := range d {
		k += i
		q.par[k] = scaleInv(scale, numpyro)
		k++
	}
	return q
}

// SampleLogQ draws z = loc + L ε with log q(z) = log N(ε; 0, I) - Σ log L_ii.
func (q *MultivariateNormal) SampleLogQ(rng *rand.Rand, z []float64) float64 {
	q.Sample(rng, z)
	return choleskyLogQ(q.eps, func(i int) float64 { return q.lower(i, i) })
}

// choleskyLogQ is the log density of z = loc + L ε, L lower triangular
// with diagonal diag: log N(ε; 0, I) - Σ log L_ii.
func choleskyLogQ(eps []float64, diag func(i int) float64) float64 {
	logQ := -0.5 * float64(len(eps)) * math.Log(2*math.Pi)
	for i, e := range eps {
		logQ -= 0.5*e*e + math.Log(diag(i))
	}
	return logQ
}

// lower returns L(i, j) from the packed parameters.
func (q *MultivariateNormal) lower(i, j int) float64 {
	v := q.par[q.d+i*(i+1)/2+j]
	if i == j {
		s, _ := scaleOf(v, q.numpyro)
		return s
	}
	return v
}

func (q *MultivariateNormal) transform(eps, z []float64) {
	for i := range q.d {
		s := q.par[i]
		for j := 0; j <= i; j++ {
			s += q.lower(i, j) * eps[j]
		}
		z[i] = s
	}
}

func (q *MultivariateNormal) Sample(rng *rand.Rand, z []float64) {
	q.posterior(rng, q.eps)
	q.transform(q.eps, z)
}

func (q *MultivariateNormal) ELBOGrad(rng *rand.Rand, lp lpFunc, grad []float64) (float64, error) {
	d := q.d
	q.step(rng, q.eps)
	q.transform(q.eps, q.z)
	v, err := lp(q.z, q.g)
	if err != nil {
		return 0, err
	}
	elbo := v + 0.5*float64(d)*(1+math.Log(2*math.Pi))
	for i := range d {
		grad[i] += q.g[i]
		base := d + i*(i+1)/2
		for j := 0; j < i; j++ {
			grad[base+j] += q.g[i] * q.eps[j]
		}
		s, ds := scaleOf(q.par[base+i], q.numpyro)
		elbo += math.Log(s) + 0.5*q.eps[i]*q.eps[i] - 0.5
		grad[base+i] += (q.g[i]*q.eps[i] + 1/s) * ds
	}
	return elbo, nil
}

// Delta is a point mass at loc: SVI with it finds the MAP point of the
// unconstrained density, Jacobian included (NumPyro's AutoDelta finds the
// constrained one: see AsNumPyro).
type Delta struct {
	par []float64
	g   []float64
	// lp, when not nil, is the density maximised instead of SVI's.
	lp lpFunc
}

// NewDelta starts at loc.
func NewDelta(loc []float64) *Delta {
	return &Delta{par: append([]float64(nil), loc...), g: make([]float64, len(loc))}
}

func (q *Delta) Params() []float64 { return q.par }

// Mean is the point.
func (q *Delta) Mean() []float64 { return q.par }

// SampleLogQ returns the point with log q = +Inf: a point mass's density
// at its atom, the limit of a Gaussian's as its scale shrinks.
func (q *Delta) SampleLogQ(_ *rand.Rand, z []float64) float64 {
	copy(z, q.par)
	return math.Inf(1)
}

func (q *Delta) Sample(_ *rand.Rand, z []float64) { copy(z, q.par) }

func (q *Delta) ELBOGrad(_ *rand.Rand, lp lpFunc, grad []float64) (float64, error) {
	if q.lp != nil {
		lp = q.lp
	}
	v, err := lp(q.par, q.g)
	if err != nil {
		return 0, err
	}
	for i, gi := range q.g {
		grad[i] += gi
	}
	return v, nil
}

// Laplace is LaplaceApproximation: fitted as a Delta, then drawn from
// N(mode, (-H)⁻¹) with H the Hessian of the log density at the mode,
// computed by central differences of the gradient (laplace.Hessian).
type Laplace struct {
	*Delta
	chol *mat.TriDense
	noise
}

// NewLaplace starts at loc.
func NewLaplace(loc []float64) *Laplace { return &Laplace{Delta: NewDelta(loc)} }

// Finish computes the Gaussian at the fitted mode.
func (q *Laplace) Finish(lp lpFunc) error {
	d := len(q.par)
	hess, err := laplace.Hessian(lp, q.par)
	if err != nil {
		return err
	}
	h := mat.NewSymDense(d, nil) // -H
	h.ScaleSym(-1, hess)
	// The covariance is (-H)⁻¹; where -H is not positive definite (a
	// saddle or a flat direction at the fitted point) its eigenvalues are
	// clipped from below, so the Gaussian stays proper.
	var es mat.EigenSym
	if !es.Factorize(h, true) {
		return errNotDefinite
	}
	vals := es.Values(nil)
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	top := 0.0
	for _, v := range vals {
		top = math.Max(top, v)
	}
	if top <= 0 {
		return errNotDefinite
	}
	cov := mat.NewSymDense(d, nil)
	for a := range d {
		for b := a; b < d; b++ {
			s := 0.0
			for k, v := range vals {
				s += vecs.At(a, k) * vecs.At(b, k) / math.Max(v, 1e-8*top)
			}
			cov.SetSym(a, b, s)
		}
	}
	var cc mat.Cholesky
	if !cc.Factorize(cov) {
		return errNotDefinite
	}
	q.chol = mat.NewTriDense(d, mat.Lower, nil)
	cc.LTo(q.chol)
	return nil
}

func (q *Laplace) Sample(rng *rand.Rand, z []float64) { q.draw(rng, z) }

// SampleLogQ draws z = mode + L ε, L the covariance's Cholesky factor, with
// log q(z) = log N(ε; 0, I) - Σ log L_ii.
func (q *Laplace) SampleLogQ(rng *rand.Rand, z []float64) float64 {
	return choleskyLogQ(q.draw(rng, z), func(i int) float64 { return q.chol.At(i, i) })
}

// draw draws z and returns its standard normal ε.
func (q *Laplace) draw(rng *rand.Rand, z []float64) []float64 {
	d := len(q.par)
	eps := make([]float64, d)
	q.posterior(rng, eps)
	for i := range d {
		s := q.par[i]
		for j := 0; j <= i; j++ {
			s += q.chol.At(i, j) * eps[j]
		}
		z[i] = s
	}
	return eps
}
