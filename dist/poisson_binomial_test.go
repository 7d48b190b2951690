package dist_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/internal/race"
)

// pbBrute is P(X = k) by enumerating all 2^N outcomes of the trials.
func pbBrute(theta []float64) []float64 {
	n := len(theta)
	p := make([]float64, n+1)
	for mask := range 1 << n {
		pr, k := 1.0, 0
		for j, th := range theta {
			if mask&(1<<j) != 0 {
				pr *= th
				k++
			} else {
				pr *= 1 - th
			}
		}
		p[k] += pr
	}
	return p
}

// TestPoissonBinomial checks the pmf and CDFs against enumeration of every
// outcome and, with equal probabilities, the binomial pmf; their gradients
// against finite differences; and the rng's mean.
func TestPoissonBinomial(t *testing.T) {
	theta := []float64{0.1, 0.7, 0.45, 0.9, 0.3}
	brute := pbBrute(theta)
	tp := ad.NewTape()
	for y := range len(theta) + 1 {
		lp, err := dist.PoissonBinomialLpmf(tp, []int{y}, [][]ad.Var{consts(theta...)})
		if err != nil {
			t.Fatal(err)
		}
		cdf, ccdf := 0.0, 0.0
		for m, p := range brute {
			if m <= y {
				cdf += p
			} else {
				ccdf += p
			}
		}
		lc, _ := dist.PoissonBinomialLcdf(tp, []int{y}, [][]ad.Var{consts(theta...)})
		lcc, _ := dist.PoissonBinomialLccdf(tp, []int{y}, [][]ad.Var{consts(theta...)})
		for _, c := range [][3]float64{{lp.Val, math.Log(brute[y])}, {lc.Val, math.Log(cdf)}, {lcc.Val, math.Log(ccdf)}} {
			if math.Abs(c[0]-c[1]) > 1e-12*math.Max(1, math.Abs(c[1])) && !(math.IsInf(c[0], -1) && math.IsInf(c[1], -1)) {
				t.Errorf("y=%d: %v, enumeration %v", y, c[0], c[1])
			}
		}
	}
	// Equal probabilities: Binomial(4, 0.3), P(2) = 6 · 0.09 · 0.49.
	lp, _ := dist.PoissonBinomialLpmf(tp, []int{2}, [][]ad.Var{consts(0.3, 0.3, 0.3, 0.3)})
	if want := math.Log(6 * 0.09 * 0.49); math.Abs(lp.Val-want) > 1e-13 {
		t.Errorf("binomial case: %v, want %v", lp.Val, want)
	}
	// Vectorised: two variates, one theta each; a theta for both.
	two, _ := dist.PoissonBinomialLpmf(tp, []int{1, 3}, [][]ad.Var{consts(theta[:3]...), consts(theta...)})
	if want := math.Log(pbBrute(theta[:3])[1]) + math.Log(brute[3]); math.Abs(two.Val-want) > 1e-12 {
		t.Errorf("two variates: %v, want %v", two.Val, want)
	}
	shared, _ := dist.PoissonBinomialLpmf(tp, []int{0, 5}, [][]ad.Var{consts(theta...)})
	if want := math.Log(brute[0]) + math.Log(brute[5]); math.Abs(shared.Val-want) > 1e-12 {
		t.Errorf("shared theta: %v, want %v", shared.Val, want)
	}
	for _, f := range []struct {
		name string
		fn   func(*ad.Tape, []int, [][]ad.Var) (ad.Var, error)
	}{{"lpmf", dist.PoissonBinomialLpmf}, {"lcdf", dist.PoissonBinomialLcdf}, {"lccdf", dist.PoissonBinomialLccdf}} {
		for y := range len(theta) {
			gradCheck(t, f.name, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
				return f.fn(tp, []int{y, 2}, [][]ad.Var{x})
			}, theta...)
		}
	}
	for _, bad := range []struct {
		y    []int
		th   []float64
		want string
	}{
		{[]int{-1}, theta, "Successes variable[1] is -1, but must be in the interval [0, 5]"},
		{[]int{6}, theta, "Successes variable[1] is 6, but must be in the interval [0, 5]"},
		{[]int{1, 9}, theta, "Successes variable[2] is 9, but must be in the interval [0, 5]"},
		{[]int{1}, []float64{0.5, 1.5}, "Probability parameters[2] is 1.5, but must be in the interval [0, 1]"},
		{[]int{1}, []float64{math.NaN()}, "Probability parameters[1] is NaN, but must be in the interval [0, 1]"},
	} {
		// A failed call records nothing: the next statement's gradient
		// is its own.
		tp := ad.NewTape()
		th := make([]ad.Var, len(bad.th))
		for i, v := range bad.th {
			th[i] = tp.Var(v)
		}
		_, err := dist.PoissonBinomialLpmf(tp, bad.y, [][]ad.Var{th})
		if err == nil || !strings.Contains(err.Error(), "poisson_binomial_lpmf: "+bad.want) {
			t.Errorf("%v, %v: error %v, want %q", bad.y, bad.th, err, bad.want)
		}
		z := tp.Mul(th[0], ad.Const(2))
		tp.Grad(z)
		for i, v := range th {
			if want := float64(2 * (1 - min(i, 1))); tp.Adjoint(v) != want {
				t.Errorf("%v, %v: after the error, d(2 theta[1])/d theta[%d] = %v, want %v", bad.y, bad.th, i+1, tp.Adjoint(v), want)
			}
		}
	}
	if _, err := dist.PoissonBinomialLpmf(tp, []int{1, 2, 3}, [][]ad.Var{consts(theta...), consts(theta...)}); err == nil {
		t.Error("3 variates and 2 thetas: no error")
	}
	// A steady-state gradient allocates nothing: the tables are scratch.
	eval := func() {
		tp.Reset()
		th := make([]ad.Var, 0, 8)
		for _, v := range theta {
			th = append(th, tp.Var(v))
		}
		lp, err := dist.PoissonBinomialLpmf(tp, []int{1, 2}, [][]ad.Var{th, th[:3]})
		if err != nil {
			t.Fatal(err)
		}
		tp.Grad(lp)
	}
	eval()
	if a := testing.AllocsPerRun(10, eval); a != 0 && !race.Enabled {
		t.Errorf("%v allocations per gradient", a)
	}
	r := rand.New(rand.NewPCG(3, 4))
	sum := 0.0
	const n = 100000
	for range n {
		k, err := dist.PoissonBinomialRng(r, theta)
		if err != nil {
			t.Fatal(err)
		}
		sum += float64(k)
	}
	// Mean Σθ = 2.45, variance Σθ(1-θ) = 0.9475: 5 standard errors.
	if mean := sum / n; math.Abs(mean-2.45) > 5*math.Sqrt(0.9475/n) {
		t.Errorf("rng mean %v, want 2.45", mean)
	}
}
