package dcc

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestProposalDensity: the proposal's draws have the log density of the
// normal with the draws' mean and covariance (its diagonal, for Diagonal)
// scaled by ProposalScale.
func TestProposalDensity(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	thetas := make([][]float64, 500)
	for i := range thetas {
		a, b, c := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
		thetas[i] = []float64{1 + a, -2 + 0.5*a + 0.3*b, 3*b + c}
	}
	const scale = 1.5
	for _, diagonal := range []bool{false, true} {
		q, err := fitProposal(thetas, scale, diagonal)
		if err != nil {
			t.Fatal(err)
		}
		// The reference: the sample covariance by gonum, times scale².
		x := mat.NewDense(len(thetas), 3, nil)
		for i, th := range thetas {
			x.SetRow(i, th)
		}
		cov := mat.NewSymDense(3, nil)
		for i := range 3 {
			for j := 0; j <= i; j++ {
				ci := mat.Col(nil, i, x)
				cj := mat.Col(nil, j, x)
				mi, mj := mean(ci), mean(cj)
				c := 0.0
				for k := range ci {
					c += (ci[k] - mi) * (cj[k] - mj)
				}
				if diagonal && i != j {
					c = 0
				}
				cov.SetSym(i, j, c/float64(len(ci)-1)*scale*scale)
			}
		}
		var ch mat.Cholesky
		if !ch.Factorize(cov) {
			t.Fatalf("the reference covariance %v is not positive definite", mat.Formatted(cov))
		}
		z, eps := make([]float64, 3), make([]float64, 3)
		for range 5 {
			lq := q.draw(rng, eps, z)
			// log N(z; mean, cov) = -(d log 2π + log|cov| + rᵀ cov⁻¹ r) / 2.
			r := mat.NewVecDense(3, nil)
			r.SubVec(mat.NewVecDense(3, append([]float64(nil), z...)), mat.NewVecDense(3, q.mean))
			var s mat.VecDense
			if err := ch.SolveVecTo(&s, r); err != nil {
				t.Fatal(err)
			}
			want := -0.5 * (3*math.Log(2*math.Pi) + ch.LogDet() + mat.Dot(r, &s))
			if math.Abs(lq-want) > 1e-10 {
				t.Errorf("diagonal %v: log q(%v) = %v, want %v", diagonal, z, lq, want)
			}
		}
	}
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
