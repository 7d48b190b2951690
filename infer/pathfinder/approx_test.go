package pathfinder

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// twoLoop applies the L-BFGS inverse Hessian with initial matrix diag(α)
// to v by Nocedal and Wright's two-loop recursion (Algorithm 7.4), an
// independent computation of the compact form newGaussian factors.
func twoLoop(h *history, v []float64) []float64 {
	m := len(h.s)
	q := append([]float64(nil), v...)
	a := make([]float64, m)
	for i := m - 1; i >= 0; i-- {
		a[i] = floats.Dot(h.s[i], q) / floats.Dot(h.s[i], h.y[i])
		floats.AddScaled(q, -a[i], h.y[i])
	}
	for k := range q {
		q[k] *= h.alpha[k]
	}
	for i := range m {
		b := floats.Dot(h.y[i], q) / floats.Dot(h.s[i], h.y[i])
		floats.AddScaled(q, a[i]-b, h.s[i])
	}
	return q
}

// randomHistory fills a history with pairs from a random positive definite
// Hessian, as L-BFGS on a quadratic would see them.
func randomHistory(rng *rand.Rand, n, m int) *history {
	b := mat.NewDense(n, n, nil)
	for i := range n {
		for j := range n {
			b.Set(i, j, rng.NormFloat64())
		}
		b.Set(i, i, b.At(i, i)+3)
	}
	hess := mat.NewSymDense(n, nil)
	hess.SymOuterK(1, b)
	h := newHistory(n, m)
	for range m + 2 {
		s := make([]float64, n)
		for i := range s {
			s[i] = rng.NormFloat64()
		}
		y := make([]float64, n)
		mat.NewVecDense(n, y).MulVec(hess, mat.NewVecDense(n, s))
		if !h.add(s, y) {
			panic("a pair from a positive definite Hessian was rejected")
		}
	}
	return h
}

// The approximation's covariance is the L-BFGS inverse Hessian and its
// mean the quasi-Newton step, in the dense (2J ≥ n) and low-rank forms.
func TestApproximationIsLBFGSInverseHessian(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{4, 10, 25} {
		h := randomHistory(rng, n, 5)
		x, g := make([]float64, n), make([]float64, n)
		for i := range n {
			x[i], g[i] = rng.NormFloat64(), rng.NormFloat64()
		}
		q, err := newGaussian(x, g, h)
		if err != nil {
			t.Fatal(err)
		}
		if dense := q.l != nil; dense != (n <= 10) {
			t.Errorf("n=%d: dense form %v", n, dense)
		}
		cov := q.Cov()
		e := make([]float64, n)
		worst := 0.0
		for j := range n {
			clear(e)
			e[j] = 1
			col := twoLoop(h, e)
			for i := range n {
				worst = math.Max(worst, math.Abs(cov.At(i, j)-col[i])/math.Sqrt(cov.At(i, i)*cov.At(j, j)))
			}
		}
		step := twoLoop(h, g)
		for i := range n {
			worst = math.Max(worst, math.Abs(q.Mean[i]-x[i]-step[i])/math.Sqrt(cov.At(i, i)))
		}
		if worst > 1e-9 {
			t.Errorf("n=%d: largest relative difference from the two-loop recursion %g", n, worst)
		}
		var ch mat.Cholesky
		ch.Factorize(cov)
		if d := ch.LogDet()/2 - q.LogDetCholH; math.Abs(d) > 1e-9 {
			t.Errorf("n=%d: log|det A| %v, but ½ log det H = %v", n, q.LogDetCholH, ch.LogDet()/2)
		}
	}
}
