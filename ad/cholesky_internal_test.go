package ad

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomSPD returns a column-major n×n symmetric positive-definite matrix
// as a constant Matrix: B Bᵀ + n I for a random B.
func randomSPD(rng *rand.Rand, n int) Matrix {
	b := make([]float64, n*n)
	for i := range b {
		b[i] = rng.NormFloat64()
	}
	m := Matrix{Rows: n, Cols: n, Data: make([]Var, n*n)}
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			s := 0.0
			for k := 0; k < n; k++ {
				s += b[i+k*n] * b[j+k*n]
			}
			if i == j {
				s += float64(n)
			}
			m.Data[i+j*n] = Const(s)
		}
	}
	return m
}

// The blocked factorization (dpotrf) and the blocked adjoint agree with
// the unblocked ones, for blocks that divide n and blocks that do not.
func TestCholeskyBlockedAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct{ n, nb int }{{10, 3}, {12, 4}, {cholBlockedFrom + 6, cholBlock}, {2 * cholBlockedFrom, cholBlock}} {
		n := c.n
		a := randomSPD(rng, n)
		l := make([]float64, n*n)
		if err := choleskyInto(l, a, "test", "m"); err != nil {
			t.Fatal(err)
		}
		// The left-looking loop of choleskyInto, for any n.
		ref := make([]float64, n*n)
		for j := 0; j < n; j++ {
			for i := j; i < n; i++ {
				ref[i+j*n] = a.Data[i+j*n].Val
			}
			for k := 0; k < j; k++ {
				for i := j; i < n; i++ {
					ref[i+j*n] -= ref[i+k*n] * ref[j+k*n]
				}
			}
			d := math.Sqrt(ref[j+j*n])
			for i := j; i < n; i++ {
				ref[i+j*n] /= d
			}
			ref[j+j*n] = d
		}
		for i := range l {
			if math.Abs(l[i]-ref[i]) > 1e-12*math.Max(1, math.Abs(ref[i])) {
				t.Fatalf("n = %d: L[%d] = %v, unblocked %v", n, i, l[i], ref[i])
			}
		}
		lbar := make([]float64, n*n)
		for j := 0; j < n; j++ {
			for i := j; i < n; i++ {
				lbar[i+j*n] = rng.NormFloat64()
			}
		}
		w1 := append([]float64(nil), lbar...)
		w2 := append([]float64(nil), lbar...)
		cholRevUnblocked(l, w1, n, n)
		cholRevBlocked(l, w2, make([]float64, c.nb*c.nb), n, c.nb)
		for j := 0; j < n; j++ {
			for i := j; i < n; i++ {
				if d := w1[i+j*n] - w2[i+j*n]; math.Abs(d) > 1e-10*math.Max(1, math.Abs(w1[i+j*n])) {
					t.Fatalf("n = %d, blocks of %d: Ā[%d,%d] = %v blocked, %v unblocked", n, c.nb, i, j, w2[i+j*n], w1[i+j*n])
				}
			}
		}
	}
}
