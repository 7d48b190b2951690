package autoguide

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/infer/svi"
)

// TestGaussianGuideDensity checks that each Gaussian guide's log q agrees
// with its draws: with a flat model, ELBOGrad returns -log q(z) at its
// draw z, so E_q[r(z)/q(z)] must be 1 for a normalised density r, here a
// normal at the draws' mean with a quarter of their covariance. It also
// checks that Sample draws from the same distribution as ELBOGrad.
func TestGaussianGuideDensity(t *testing.T) {
	const d, n = 3, 100000
	loc := []float64{0.5, -1, 2}
	for name, q := range map[string]svi.Guide{
		"diagonal": NewDiagonalNormal(loc),
		"mvn":      NewMultivariateNormal(loc),
		"lowrank":  NewLowRankMultivariateNormal(loc, 2),
	} {
		// Parameters away from their initial values, so that scales and
		// correlations are not trivial.
		prng := rand.New(rand.NewPCG(1, 2))
		for i := range q.Params() {
			q.Params()[i] += 0.6 * prng.NormFloat64()
		}
		z := make([]float64, d)
		flat := func(x, g []float64) (float64, error) {
			copy(z, x)
			clear(g)
			return 0, nil
		}
		rng := rand.New(rand.NewPCG(3, 4))
		grad := make([]float64, len(q.Params()))
		var mean, smean [d]float64
		cov := mat.NewSymDense(d, nil)
		const m = 20000
		var zs [][d]float64
		for range m {
			if _, err := q.ELBOGrad(rng, flat, grad); err != nil {
				t.Fatal(err)
			}
			q.Sample(rng, grad[:d:d])
			zs = append(zs, [d]float64(z))
			for i := range d {
				mean[i] += z[i] / m
				smean[i] += grad[i] / m
			}
		}
		for _, x := range zs {
			for i := range d {
				for j := i; j < d; j++ {
					cov.SetSym(i, j, cov.At(i, j)+0.25*(x[i]-mean[i])*(x[j]-mean[j])/m)
				}
			}
		}
		for i := range d {
			if se := math.Sqrt(4*cov.At(i, i)/m) * math.Sqrt2; math.Abs(smean[i]-mean[i]) > 4*se {
				t.Errorf("%s: Sample's mean[%d] = %.4f, ELBOGrad's draws' %.4f", name, i, smean[i], mean[i])
			}
		}
		var chol mat.Cholesky
		if !chol.Factorize(cov) {
			t.Fatalf("%s: the draws' covariance is singular", name)
		}
		logNorm := -0.5*chol.LogDet() - 0.5*d*math.Log(2*math.Pi)
		u := mat.NewVecDense(d, nil)
		w := mat.NewVecDense(d, nil)
		sum, sq := 0.0, 0.0
		for range n {
			negLogQ, err := q.ELBOGrad(rng, flat, grad)
			if err != nil {
				t.Fatal(err)
			}
			for i := range d {
				u.SetVec(i, z[i]-mean[i])
			}
			if err := chol.SolveVecTo(w, u); err != nil {
				t.Fatal(err)
			}
			logR := logNorm - 0.5*mat.Dot(u, w)
			r := math.Exp(logR + negLogQ)
			sum += r
			sq += r * r
		}
		est := sum / n
		se := math.Sqrt((sq/n - est*est) / n)
		if se > 0.02 || math.Abs(est-1) > 4*se {
			t.Errorf("%s: E_q[r/q] = %.4f ± %.4f, want 1", name, est, se)
		}
	}
}
