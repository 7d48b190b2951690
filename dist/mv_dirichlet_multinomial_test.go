package dist_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/internal/fdcheck"
)

// TestDirichletMultinomial checks the mass against the beta binomial (the
// two-category case), against itself as a sum over all outcomes (it sums
// to 1 over the compositions of N), its gradient by finite differences,
// and the rng's means N α_k / α₀.
func TestDirichletMultinomial(t *testing.T) {
	for _, c := range []struct {
		k, n int
		a, b float64
	}{{3, 10, 2, 5}, {0, 4, 0.5, 1.5}, {7, 7, 3, 0.2}} {
		got, err := dist.DirichletMultinomialLpmf(nil, false, []int{c.k, c.n - c.k}, consts(c.a, c.b))
		if err != nil {
			t.Fatal(err)
		}
		near(t, "dirichlet_multinomial k=2", got.Val, betaBinomial(c.k, c.n, c.a, c.b), 1e-12)
	}
	alpha := []float64{1.5, 0.4, 2.2}
	sum := 0.0
	for i := 0; i <= 5; i++ {
		for j := 0; i+j <= 5; j++ {
			lp, err := dist.DirichletMultinomialLpmf(nil, false, []int{i, j, 5 - i - j}, consts(alpha...))
			if err != nil {
				t.Fatal(err)
			}
			sum += math.Exp(lp.Val)
		}
	}
	near(t, "dirichlet_multinomial total mass", sum, 1, 1e-12)
	if lp, _ := dist.DirichletMultinomialLpmf(nil, false, []int{0, 0, 0}, consts(alpha...)); lp.Val != 0 {
		t.Errorf("no trials: %v, want 0", lp.Val)
	}
	if _, err := dist.DirichletMultinomialLpmf(nil, false, []int{1, 2}, consts(1, -1)); err == nil {
		t.Error("a negative prior size is accepted")
	}
	f := func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		return dist.DirichletMultinomialLpmf(tp, false, []int{2, 0, 5}, x)
	}
	if err := fdcheck.Check(f, alpha, 1e-6); err != nil {
		t.Error(err)
	}
	// propto keeps exactly the terms in α.
	tp := ad.NewTape()
	av := []ad.Var{tp.Var(1.5), tp.Var(0.4), tp.Var(2.2)}
	full, _ := dist.DirichletMultinomialLpmf(tp, false, []int{2, 0, 5}, av)
	prop, _ := dist.DirichletMultinomialLpmf(tp, true, []int{2, 0, 5}, av)
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	near(t, "dirichlet_multinomial_lupmf", full.Val-prop.Val, lg(8)-lg(3)-lg(1)-lg(6), 1e-12)

	r := rand.New(rand.NewPCG(9, 9))
	const draws, n = 20000, 6
	means := make([]float64, 3)
	for range draws {
		k, err := dist.DirichletMultinomialRng(r, alpha, n)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range k {
			means[i] += float64(v) / draws
		}
	}
	for i, a := range alpha {
		if want := n * a / 4.1; math.Abs(means[i]-want) > 0.05 {
			t.Errorf("dirichlet_multinomial_rng: mean of count %d is %v, want %v", i+1, means[i], want)
		}
	}
}
