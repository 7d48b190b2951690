package compile

import (
	"math"

	"github.com/gostan/gostan/mathx"
)

// laplaceBuiltin is one of the embedded Laplace approximation's built-in
// likelihoods (Stan Functions Reference, "Built-in Laplace marginal
// likelihood functions"): observation i is y[i] given
// z = θ[g(i)] + m[g(i)], through
//
//	poisson_log:        log Poisson(y | exp(z))
//	neg_binomial_2_log: log NegBinomial2(y | exp(z), eta)
//	bernoulli_logit:    log Bernoulli(y | inv_logit(z))
//
// Its parameters η are eta (neg_binomial_2_log only) then m, and its
// derivatives in θ up to the third are analytic; the Hessian is diagonal.
type laplaceBuiltin struct {
	family string
	y, grp []int // observations and their groups, 0-based
	m      []float64
	eta    float64
}

// nEta is the number of the likelihood's parameters: [eta,] m.
func (l *laplaceBuiltin) nEta() int {
	if l.family == "neg_binomial_2_log" {
		return 1 + len(l.m)
	}
	return len(l.m)
}

// mOff is where m starts in η.
func (l *laplaceBuiltin) mOff() int { return l.nEta() - len(l.m) }

// obs returns observation i's log likelihood, its first three derivatives
// in z, and the derivatives of the log likelihood and of the first two in
// eta (neg_binomial_2_log only).
func (l *laplaceBuiltin) obs(i int, z float64) (ll, d1, d2, d3, de, d1e, d2e float64) {
	y := float64(l.y[i])
	switch l.family {
	case "poisson_log":
		ez := math.Exp(z)
		lg, _ := math.Lgamma(y + 1)
		return y*z - ez - lg, y - ez, -ez, -ez, 0, 0, 0
	case "bernoulli_logit":
		p := mathx.InvLogit(z)
		q := p * (1 - p)
		return y*z - mathx.Log1pExp(z), y - p, -q, -q * (1 - 2*p), 0, 0, 0
	}
	// neg_binomial_2_log with mean μ = exp(z) and dispersion φ = eta:
	// lgamma(y+φ) - lgamma(y+1) - lgamma(φ) + φ log φ + y z - (y+φ) log(μ+φ),
	// whose derivatives in z are those of -(y+φ) log(1 + exp(z - log φ)).
	phi := l.eta
	lmp := mathx.Log1pExp(z-math.Log(phi)) + math.Log(phi) // log(μ + φ)
	p := mathx.InvLogit(z - math.Log(phi))                 // μ / (μ + φ)
	q := p * (1 - p)
	a, _ := math.Lgamma(y + phi)
	b, _ := math.Lgamma(y + 1)
	c, _ := math.Lgamma(phi)
	ll = a - b - c + phi*math.Log(phi) + y*z - (y+phi)*lmp
	d1 = y - (y+phi)*p
	d2 = -(y + phi) * q
	d3 = -(y + phi) * q * (1 - 2*p)
	de = mathx.Digamma(y+phi) - mathx.Digamma(phi) + math.Log(phi) + 1 - lmp - (y+phi)*(1-p)/phi
	d1e = -p + (y+phi)*q/phi
	d2e = -q + (y+phi)*(1-2*p)*q/phi
	return
}

func (l *laplaceBuiltin) grad(theta, g, ge []float64) float64 {
	clear(g)
	if ge != nil {
		clear(ge)
	}
	off := l.mOff()
	total := 0.0
	for i, j := range l.grp {
		ll, d1, _, _, de, _, _ := l.obs(i, theta[j]+l.m[j])
		total += ll
		g[j] += d1
		if ge != nil {
			ge[off+j] += d1
			if off > 0 {
				ge[0] += de
			}
		}
	}
	return total
}

func (l *laplaceBuiltin) hess(theta []float64, b int, h []float64) {
	clear(h)
	for i, j := range l.grp {
		_, _, d2, _, _, _, _ := l.obs(i, theta[j]+l.m[j])
		k, r := j/b, j%b
		h[k*b*b+r*b+r] += d2
	}
}

func (l *laplaceBuiltin) third(theta []float64, b int, S, _, s2, ge []float64) {
	clear(s2)
	off := l.mOff()
	for i, j := range l.grp {
		_, _, _, d3, _, _, d2e := l.obs(i, theta[j]+l.m[j])
		k, r := j/b, j%b
		sjj := S[k*b*b+r*b+r]
		s2[j] += 0.5 * sjj * d3
		if ge != nil {
			ge[off+j] += 0.5 * sjj * d3
			if off > 0 {
				ge[0] += 0.5 * sjj * d2e
			}
		}
	}
}

func (l *laplaceBuiltin) hvpEta(theta, v, ge []float64) {
	off := l.mOff()
	for i, j := range l.grp {
		_, _, d2, _, _, d1e, _ := l.obs(i, theta[j]+l.m[j])
		ge[off+j] += v[j] * d2
		if off > 0 {
			ge[0] += v[j] * d1e
		}
	}
}
