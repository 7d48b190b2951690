package dist_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestDirichletValues(t *testing.T) {
	// Two components: the Dirichlet is the beta density of the first.
	for _, c := range [][4]float64{{0.3, 0.7, 2.5, 1.5}, {0.9, 0.1, 0.4, 3}, {0.5, 0.5, 1, 1}} {
		got, err := dist.DirichletLpdf(nil, false, constVecs([]float64{c[0], c[1]}), constVecs([]float64{c[2], c[3]}))
		if err != nil {
			t.Fatal(err)
		}
		near(t, "dirichlet_lpdf k=2", got.Val, distuv.Beta{Alpha: c[2], Beta: c[3]}.LogProb(c[0]), 1e-13)
	}
	// Three components, two simplexes against one alpha; reference values
	// from mpmath: loggamma(sum a) - sum loggamma(a) + sum (a-1) log(th).
	th1, th2, a := []float64{0.2, 0.3, 0.5}, []float64{0.6, 0.1, 0.3}, []float64{1.5, 2, 0.7}
	const ref1, ref2 = 0.107723021689165929883, -0.288335435515091710853
	got, _ := dist.DirichletLpdf(nil, false, constVecs(th1, th2), constVecs(a))
	near(t, "dirichlet_lpdf k=3", got.Val, ref1+ref2, 1e-13)

	// propto: constant alpha drops the normalising constant.
	tp := ad.NewTape()
	thv := [][]ad.Var{{tp.Var(0.2), tp.Var(0.3), tp.Var(0.5)}}
	prop, _ := dist.DirichletLpdf(tp, true, thv, constVecs(a))
	want := 0.5*math.Log(0.2) + math.Log(0.3) - 0.3*math.Log(0.5)
	near(t, "dirichlet_lupdf", prop.Val, want, 1e-13)
	prop, _ = dist.DirichletLpdf(tp, true, constVecs(th1), constVecs(a))
	if prop.Val != 0 || !prop.IsConst() {
		t.Errorf("propto with constants = %v", prop)
	}
	// alpha = 1 with a zero probability: 0·log 0 counts as 0.
	got, err := dist.DirichletLpdf(nil, false, constVecs([]float64{0, 1}), constVecs([]float64{1, 2}))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "dirichlet_lpdf at a vertex", got.Val, math.Log(2), 1e-15)
}

func TestDirichletGradients(t *testing.T) {
	// Finite differences must stay on the simplex, so theta is
	// (x1, x2, 1 - x1 - x2) on the tape: this checks the partials along
	// the simplex, and the closed form below checks each one.
	gradCheck(t, "dirichlet_lpdf theta and alpha", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		th := []ad.Var{x[0], x[1], tp.Sub(tp.Sub(ad.Const(1), x[0]), x[1])}
		return dist.DirichletLpdf(tp, false, [][]ad.Var{th}, vecsOf(x[2:], 3))
	}, 0.2, 0.3, 1.5, 2, 0.7)
	gradCheck(t, "dirichlet_lpdf alpha", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		return dist.DirichletLpdf(tp, false, constVecs([]float64{0.2, 0.3, 0.5}, []float64{0.6, 0.1, 0.3}), vecsOf(x, 3))
	}, 1.5, 2, 0.7, 0.4, 3.1, 1.2)
	gradCheck(t, "dirichlet_lpdf broadcast alpha", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		return dist.DirichletLpdf(tp, false, constVecs([]float64{0.2, 0.3, 0.5}, []float64{0.6, 0.1, 0.3}), vecsOf(x, 3))
	}, 1.5, 2, 0.7)

	tp := ad.NewTape()
	th := []ad.Var{tp.Var(0.2), tp.Var(0.3), tp.Var(0.5)}
	a := []float64{1.5, 2, 0.7}
	lp, err := dist.DirichletLpdf(tp, false, [][]ad.Var{th, th}, constVecs(a))
	if err != nil {
		t.Fatal(err)
	}
	tp.Grad(lp)
	for j := range th {
		near(t, "d/dtheta", tp.Adjoint(th[j]), 2*(a[j]-1)/th[j].Val, 1e-14)
	}
}

func TestDirichletErrors(t *testing.T) {
	_, err := dist.DirichletLpdf(nil, false, constVecs([]float64{0.2, 0.9}), constVecs([]float64{1, 1}))
	wantErr(t, "sum", err, "dirichlet_lpdf: probabilities is not a valid simplex. sum(probabilities) = 1.1, but should be 1")
	_, err = dist.DirichletLpdf(nil, false, constVecs([]float64{1.1, -0.1}), constVecs([]float64{1, 1}))
	wantErr(t, "negative", err, "dirichlet_lpdf: probabilities is not a valid simplex. probabilities[2] = -0.1, but should be greater than or equal to 0")
	_, err = dist.DirichletLpdf(nil, false, constVecs([]float64{0.5, 0.5}), constVecs([]float64{1, 0}))
	wantErr(t, "alpha", err, "dirichlet_lpdf: prior sample sizes[2] is 0, but must be positive")
	_, err = dist.DirichletLpdf(nil, false, constVecs([]float64{0.5, 0.5}), constVecs([]float64{1, 1, 1}))
	wantErr(t, "sizes", err, "dirichlet_lpdf: size of probabilities (2) and size of prior sample sizes (3) must match")
	_, err = dist.DirichletRng(rand.New(rand.NewPCG(1, 1)), []float64{1, math.Inf(1)})
	wantErr(t, "rng", err, "dirichlet_rng: prior sample sizes[2] is +Inf, but must be positive finite")
}

func TestDirichletRng(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const n = 20000
	for _, alpha := range [][]float64{{2, 0.5, 3.5}, {0.01, 0.02, 0.05}} {
		a0 := 0.0
		for _, a := range alpha {
			a0 += a
		}
		mean := make([]float64, len(alpha))
		for range n {
			d, err := dist.DirichletRng(r, alpha)
			if err != nil {
				t.Fatal(err)
			}
			s := 0.0
			for j, v := range d {
				if !(v >= 0) {
					t.Fatalf("dirichlet_rng(%v) gave %v", alpha, d)
				}
				s += v
				mean[j] += v / n
			}
			if math.Abs(s-1) > 1e-12 {
				t.Fatalf("dirichlet_rng(%v) sums to %v", alpha, s)
			}
		}
		for j, a := range alpha {
			m := a / a0
			sd := math.Sqrt(m * (1 - m) / (a0 + 1))
			if math.Abs(mean[j]-m) > 5*sd/math.Sqrt(n) {
				t.Errorf("dirichlet_rng(%v): mean[%d] = %v, want %v", alpha, j, mean[j], m)
			}
		}
	}
}
