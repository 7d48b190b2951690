package advi

import (
	"math"
	"math/rand/v2"
)

// Algorithm chooses the family of the approximation.
type Algorithm int

const (
	Meanfield Algorithm = iota
	Fullrank
)

func (a Algorithm) String() string {
	if a == Fullrank {
		return "fullrank"
	}
	return "meanfield"
}

// approx is a Gaussian N(mu, LLᵀ) on the unconstrained space; meanfield
// stores L = diag(exp(omega)) by omega, fullrank stores L's lower triangle
// (row-major, d×d). Its parameters are one flat vector, so that the
// step-size sequence treats them elementwise as Stan does.
type approx struct {
	alg Algorithm
	d   int
	par []float64 // mu, then omega (d) or L (d×d)
}

func newApprox(alg Algorithm, mu []float64) *approx {
	d := len(mu)
	a := &approx{alg: alg, d: d}
	if alg == Meanfield {
		a.par = make([]float64, 2*d)
	} else {
		a.par = make([]float64, d+d*d)
		for i := range d {
			a.par[d+i*d+i] = 1
		}
	}
	copy(a.par, mu)
	return a
}

func (a *approx) clone() *approx {
	return &approx{alg: a.alg, d: a.d, par: append([]float64(nil), a.par...)}
}

func (a *approx) mu() []float64 { return a.par[:a.d] }

// transform maps a standard normal draw eta to zeta = mu + L eta.
func (a *approx) transform(eta, zeta []float64) {
	d := a.d
	if a.alg == Meanfield {
		for i := range d {
			zeta[i] = a.par[i] + eta[i]*math.Exp(a.par[d+i])
		}
		return
	}
	l := a.par[d:]
	for i := range d {
		s := a.par[i]
		for j := 0; j <= i; j++ {
			s += l[i*d+j] * eta[j]
		}
		zeta[i] = s
	}
}

func (a *approx) sample(rng *rand.Rand, eta, zeta []float64) {
	for i := range eta {
		eta[i] = rng.NormFloat64()
	}
	a.transform(eta, zeta)
}

// entropy of the Gaussian: ½ d (1 + log 2π) + log|det L|.
func (a *approx) entropy() float64 {
	return 0.5*float64(a.d)*(1+math.Log(2*math.Pi)) + a.logDetL()
}

// logDetL is log|det L|.
func (a *approx) logDetL() float64 {
	d := a.d
	s := 0.0
	for i := range d {
		if a.alg == Meanfield {
			s += a.par[d+i]
		} else {
			s += math.Log(math.Abs(a.par[d+i*d+i]))
		}
	}
	return s
}

// logQ is the log density of the draw zeta = mu + L eta: log N(eta; 0, I)
// - log|det L|. (Stan's log_g__ keeps only -½|eta|², dropping what is the
// same for every draw; gostan writes the normalised density.)
func (a *approx) logQ(eta []float64) float64 {
	s := -0.5*float64(a.d)*math.Log(2*math.Pi) - a.logDetL()
	for _, e := range eta {
		s -= 0.5 * e * e
	}
	return s
}

// addEntropyGrad adds the entropy's gradient: 1 per omega, 1/L_ii on
// L's diagonal.
func (a *approx) addEntropyGrad(g []float64) {
	d := a.d
	for i := range d {
		if a.alg == Meanfield {
			g[d+i]++
		} else {
			g[d+i*d+i] += 1 / a.par[d+i*d+i]
		}
	}
}

// accumulate adds one draw's contribution to the ELBO gradient, given the
// model gradient gz at zeta = mu + L eta: d/dmu = gz, d/domega = gz ⊙ eta
// (times exp(omega), applied in finish), d/dL = gz etaᵀ (lower triangle).
func (a *approx) accumulate(g, gz, eta []float64) {
	d := a.d
	for i := range d {
		g[i] += gz[i]
		if a.alg == Meanfield {
			g[d+i] += gz[i] * eta[i]
			continue
		}
		for j := 0; j <= i; j++ {
			g[d+i*d+j] += gz[i] * eta[j]
		}
	}
}

// finish averages n draws' contributions and adds the entropy term.
func (a *approx) finish(g []float64, n int) {
	for i := range g {
		g[i] /= float64(n)
	}
	if a.alg == Meanfield {
		for i := range a.d {
			g[a.d+i] *= math.Exp(a.par[a.d+i])
		}
	}
	a.addEntropyGrad(g)
}
