package autoguide

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/infer/laplace"
	"github.com/gostan/gostan/infer/optimize"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// Preconditioning a guide: the guide lives on u with z = mode + L u, where
// mode is the posterior's mode on the unconstrained scale (L-BFGS, the
// Jacobian included) and L L' is the Laplace covariance (-H)⁻¹ there. A
// near-Gaussian posterior is then near N(0, I) in u whatever its scales
// and correlations, so Adam's steps, which are alike in every coordinate,
// suit it, and the guide starts where the posterior is. This is the
// affine preconditioning of variational families (as in Pathfinder's and
// Stan's use of the Laplace approximation as a start); NumPyro's guides
// have none.

// affine is the map z = mode + L u.
type affine struct {
	mode    []float64
	l       *mat.TriDense
	logDetL float64 // log |det L|, the log-Jacobian of the map
}

func newAffine(mode []float64, l *mat.TriDense) affine {
	a := affine{mode: mode, l: l}
	for i := range mode {
		a.logDetL += math.Log(math.Abs(l.At(i, i)))
	}
	return a
}

// forward writes z = mode + L u.
func (a affine) forward(u, z []float64) {
	for i := range z {
		s := a.mode[i]
		for j := 0; j <= i; j++ {
			s += a.l.At(i, j) * u[j]
		}
		z[i] = s
	}
}

// addLogJacobian is v + log |det L|.
func (a affine) addLogJacobian(v float64, _ []float64) float64 { return v + a.logDetL }

// pullGradient writes gu = Lᵀ gz; the log-Jacobian is constant.
func (a affine) pullGradient(_, gz, gu []float64, _ bool) {
	for j := range gu {
		s := 0.0
		for i := j; i < len(gz); i++ {
			s += a.l.At(i, j) * gz[i]
		}
		gu[j] = s
	}
}

// whitened is a guide on u seen as a guide on z.
type whitened struct {
	affine
	inner svi.Guide
	u     []float64
	pb    *pulledBack
}

// precondition finds m's mode from loc and the Laplace factor there, and
// returns the affine map; ok is false where the mode or a negative definite
// Hessian is not found, and the guide is then left as it is.
func precondition(m model.Model, loc []float64) (mode []float64, l *mat.TriDense, ok bool) {
	// The relative tests stop L-BFGS early on a badly scaled posterior,
	// the case this is for; the absolute ones decide.
	cfg := optimize.DefaultConfig()
	cfg.Init, cfg.TolRelObj, cfg.TolRelGrad = loc, 0, 0
	// A line search that cannot improve any more is where it stops at a
	// mode reached to rounding; whatever the code, the Hessian there must
	// be negative definite, and the guide still moves its location.
	res, err := optimize.Maximize(m.LogDensity, m.Dim(), cfg, nil)
	if err != nil {
		return nil, nil, false
	}
	h, err := laplace.Hessian(m.LogDensity, res.X)
	if err != nil {
		return nil, nil, false
	}
	d := m.Dim()
	neg := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			neg.SetSym(i, j, -h.At(i, j))
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(neg) {
		return nil, nil, false
	}
	var cov mat.SymDense
	if err := ch.InverseTo(&cov); err != nil {
		return nil, nil, false
	}
	var cc mat.Cholesky
	if !cc.Factorize(&cov) {
		return nil, nil, false
	}
	l = mat.NewTriDense(d, mat.Lower, nil)
	cc.LTo(l)
	return res.X, l, true
}

// newWhitened wraps a guide on u; it has a Mean when the guide has one.
func newWhitened(inner svi.Guide, mode []float64, l *mat.TriDense) svi.Guide {
	d := len(mode)
	a := newAffine(mode, l)
	w := &whitened{affine: a, inner: inner, u: make([]float64, d), pb: pullBack(a, d, true)}
	if _, ok := inner.(svi.Meaner); ok {
		return whitenedMean{w}
	}
	return w
}

func (w *whitened) Params() []float64 { return w.inner.Params() }

// ELBOGrad runs the inner guide on the density of u, log p(mode + L u) +
// log |det L|, whose gradient is Lᵀ ∇log p: the ELBO is the same number
// as the implied guide's on z.
func (w *whitened) ELBOGrad(rng *rand.Rand, lp func(z, g []float64) (float64, error), grad []float64) (float64, error) {
	return w.inner.ELBOGrad(rng, w.pb.on(lp), grad)
}

func (w *whitened) Sample(rng *rand.Rand, z []float64) {
	w.inner.Sample(rng, w.u)
	w.forward(w.u, z)
}

// SampleLogQ is the implied guide's draw and log density on z.
func (w *whitened) SampleLogQ(rng *rand.Rand, z []float64) float64 {
	s, ok := w.inner.(svi.LogQSampler)
	if !ok {
		w.Sample(rng, z)
		return math.NaN()
	}
	lq := s.SampleLogQ(rng, w.u)
	w.forward(w.u, z)
	return lq - w.logDetL
}

// whitenedMean is a whitened guide whose inner guide has a closed-form
// mean.
type whitenedMean struct{ *whitened }

// Mean is mode + L · (the inner guide's mean).
func (w whitenedMean) Mean() []float64 {
	z := make([]float64, len(w.mode))
	w.forward(w.inner.(svi.Meaner).Mean(), z)
	return z
}

// Preconditioned is m seen on u with z = mode + L u, the mode and the
// Laplace factor found from loc as for a preconditioned guide, for
// algorithms that take a model (Stein VI's particles); ok is false where
// they are not found. Its log density is m's at z plus log |det L|, its
// outputs m's at z. It serves one goroutine; Clone gives another.
func Preconditioned(m model.Model, loc []float64) (pm model.Model, ok bool) {
	mode, l, ok := precondition(m, loc)
	if !ok {
		return m, false
	}
	return newWhitenedModel(m, newAffine(mode, l)), true
}

type whitenedModel struct {
	affine
	m  model.Model
	z  []float64 // Write's
	lp lpFunc    // m's log density pulled back to u
}

func newWhitenedModel(m model.Model, a affine) *whitenedModel {
	d := m.Dim()
	return &whitenedModel{affine: a, m: m, z: make([]float64, d), lp: pullBack(a, d, true).on(m.LogDensity)}
}

func (w *whitenedModel) Dim() int        { return w.m.Dim() }
func (w *whitenedModel) Names() []string { return w.m.Names() }
func (w *whitenedModel) Clone() model.Model {
	return newWhitenedModel(w.m.Clone(), w.affine)
}

func (w *whitenedModel) LogDensity(u, grad []float64) (float64, error) {
	return w.lp(u, grad)
}

func (w *whitenedModel) Write(u []float64, rng *rand.Rand, out []float64) error {
	w.forward(u, w.z)
	return w.m.Write(w.z, rng, out)
}
