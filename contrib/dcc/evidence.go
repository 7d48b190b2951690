package dcc

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/mathx"
	"github.com/gostan/gostan/ppl"
)

var errNoDraws = errors.New("NUTS made fewer than two draws")

// proposal is a normal on the unconstrained scale: mean + L·ε.
type proposal struct {
	mean   []float64
	l      *mat.TriDense // lower Cholesky factor; nil for the diagonal sd
	sd     []float64
	logDet float64 // log |det L|
}

// fitProposal fits a normal to the draws, its spread times scale.
func fitProposal(thetas [][]float64, scale float64, diagonal bool) (*proposal, error) {
	d := len(thetas[0])
	n := float64(len(thetas))
	q := &proposal{mean: make([]float64, d)}
	for _, th := range thetas {
		for i, v := range th {
			q.mean[i] += v / n
		}
	}
	if !diagonal {
		cov := mat.NewSymDense(d, nil)
		for i := range d {
			for j := 0; j <= i; j++ {
				c := 0.0
				for _, th := range thetas {
					c += (th[i] - q.mean[i]) * (th[j] - q.mean[j])
				}
				cov.SetSym(i, j, c/(n-1)*scale*scale)
			}
		}
		var ch mat.Cholesky
		if !ch.Factorize(cov) {
			return nil, errors.New("the draws' covariance is not positive definite: use more draws, or Options.Diagonal")
		}
		q.l = mat.NewTriDense(d, mat.Lower, nil)
		ch.LTo(q.l)
		for i := range d {
			q.logDet += math.Log(q.l.At(i, i))
		}
		return q, nil
	}
	q.sd = make([]float64, d)
	for i := range d {
		ss := 0.0
		for _, th := range thetas {
			ss += (th[i] - q.mean[i]) * (th[i] - q.mean[i])
		}
		q.sd[i] = math.Sqrt(ss/(n-1)) * scale
		if !(q.sd[i] > 0) || math.IsInf(q.sd[i], 0) {
			return nil, fmt.Errorf("unconstrained parameter %d has draws of standard deviation %v: the proposal needs a positive one", i+1, q.sd[i])
		}
		q.logDet += math.Log(q.sd[i])
	}
	return q, nil
}

// draw sets z to a draw and returns its log density.
func (q *proposal) draw(rng *rand.Rand, eps, z []float64) float64 {
	d := len(z)
	ss := 0.0
	for i := range eps {
		eps[i] = rng.NormFloat64()
		ss += eps[i] * eps[i]
	}
	for i := range d {
		z[i] = q.mean[i]
		if q.l == nil {
			z[i] += q.sd[i] * eps[i]
			continue
		}
		for j := 0; j <= i; j++ {
			z[i] += q.l.At(i, j) * eps[j]
		}
	}
	return -0.5*float64(d)*math.Log(2*math.Pi) - q.logDet - 0.5*ss
}

// evidence estimates log Z of the SLP p by importance sampling from a
// normal fitted to its unconstrained draws, log-mean-exp of
// log p(z, y) - log q(z); it also returns the weights' effective sample
// size. Points where the density fails count as weight zero.
func evidence(p *ppl.Posterior, thetas [][]float64, opts Options, rng *rand.Rand) (logZ, ess float64, err error) {
	n := opts.NumProposals
	if p.Dim() == 0 {
		// No continuous site: Z is the density itself.
		lp, err := p.LogDensity(nil, nil)
		return lp, float64(n), err
	}
	if len(thetas) < 2 {
		return 0, 0, errNoDraws
	}
	q, err := fitProposal(thetas, opts.ProposalScale, opts.Diagonal)
	if err != nil {
		return 0, 0, err
	}
	lw := make([]float64, n)
	z, eps := make([]float64, p.Dim()), make([]float64, p.Dim())
	for i := range lw {
		lq := q.draw(rng, eps, z)
		lp, err := p.LogDensity(z, nil)
		if err != nil || math.IsNaN(lp) {
			lp = math.Inf(-1)
		}
		lw[i] = lp - lq
	}
	lse := mathx.LogSumExp(lw)
	if math.IsInf(lse, -1) {
		return 0, 0, errors.New("the model's density failed at every importance sample")
	}
	// ESS = (Σw)² / Σw², on the log scale.
	sq := make([]float64, n)
	for i, v := range lw {
		sq[i] = 2 * v
	}
	ess = math.Exp(2*lse - mathx.LogSumExp(sq))
	return lse - math.Log(float64(n)), ess, nil
}
