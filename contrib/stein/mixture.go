package stein

import (
	"math"
	"math/rand/v2"
)

// mixtureELBOGrad adds to grad the gradient, with respect to particle i's
// Normal guide (locations, then raw scales), of one reparameterised
// draw's log p(z) - log q(z), where q is the whole mixture
// (1/N) Σ_j N(z; μ_j, σ_j²), not particle i's guide alone: the Stein
// mixture's ELBO, as NumPyro's SteinVI takes it. Its entropy term keeps
// the components apart, so the mixture, not each component, matches the
// posterior. The draw is z = μ_i + σ_i ε; the gradient has the path
// through z and the direct dependence of q on (μ_i, σ_i) at fixed z.
// It returns the draw's value.
func (s *SteinVI) mixtureELBOGrad(i int, rng *rand.Rand, lp func(z, g []float64) (float64, error), grad []float64) (float64, error) {
	d := s.model.Dim()
	pi := s.guides[i].Params()
	for c := range d {
		s.eps[c] = rng.NormFloat64()
		s.z[c] = pi[c] + softplus(pi[d+c])*s.eps[c]
	}
	v, err := lp(s.z, s.gz)
	if err != nil {
		return 0, err
	}
	// log q_j(z) for every component, then the responsibilities w_j.
	top := math.Inf(-1)
	for j, q := range s.guides {
		p := q.Params()
		l := 0.0
		for c := range d {
			sd := softplus(p[d+c])
			u := (s.z[c] - p[c]) / sd
			l -= 0.5*u*u + math.Log(sd) + 0.5*math.Log(2*math.Pi)
		}
		s.logq[j] = l
		top = math.Max(top, l)
	}
	sum := 0.0
	for j := range s.guides {
		s.resp[j] = math.Exp(s.logq[j] - top)
		sum += s.resp[j]
	}
	logQ := top + math.Log(sum) - math.Log(float64(len(s.guides)))
	for j := range s.guides {
		s.resp[j] /= sum
	}
	// ∂/∂z of log p - log q.
	for c := range d {
		dq := 0.0
		for j, q := range s.guides {
			p := q.Params()
			sd := softplus(p[d+c])
			dq -= s.resp[j] * (s.z[c] - p[c]) / (sd * sd)
		}
		s.gz[c] -= dq
	}
	w := s.resp[i]
	for c := range d {
		sd := softplus(pi[d+c])
		u := (s.z[c] - pi[c]) / sd
		// path through z, minus w_i times ∂ log q_i / ∂(μ, σ) at fixed z.
		gMu := s.gz[c] - w*u/sd
		gSd := s.gz[c]*s.eps[c] - w*(u*u-1)/sd
		grad[c] += gMu
		grad[d+c] += gSd * sigmoid(pi[d+c])
	}
	return v - logQ, nil
}
