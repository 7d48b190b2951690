package dist_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gostan/gostan/ad"
	. "github.com/gostan/gostan/dist"
)

// TestRngs draws from every family and compares the sample's CDF at a few
// points with the family's own CDF (a Kolmogorov–Smirnov style check):
// wrong parameters or a wrong construction shift it by far more than the
// 0.02 allowed with 20000 draws.
func TestRngs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		u *Univariate
		p []float64
	}{
		{StdNormal, nil}, {StudentT, []float64{3.5, -0.2, 1.3}}, {Cauchy, []float64{-0.2, 1.3}},
		{DoubleExponential, []float64{-0.2, 1.3}}, {Logistic, []float64{-0.2, 1.3}}, {Loglogistic, []float64{0.8, 2.5}}, {Gumbel, []float64{-0.2, 1.3}},
		{Lognormal, []float64{-0.2, 1.3}}, {ChiSquare, []float64{3.3}}, {InvChiSquare, []float64{3.3}},
		{ScaledInvChiSquare, []float64{3.3, 0.8}}, {Exponential, []float64{0.8}}, {Gamma, []float64{2.5, 0.8}},
		{InvGamma, []float64{2.5, 0.8}}, {Weibull, []float64{2.5, 1.8}}, {Frechet, []float64{2.5, 0.8}},
		{Rayleigh, []float64{0.8}}, {Pareto, []float64{0.8, 2.5}}, {ParetoType2, []float64{0.3, 0.8, 2.5}},
		{Beta, []float64{2.5, 1.8}}, {BetaProportion, []float64{0.4, 5}}, {Uniform, []float64{-0.4, 2.2}},
		{SkewNormal, []float64{-0.4, 1.2, 2}}, {ExpModNormal, []float64{-0.4, 1.2, 2}},
		{SkewDoubleExponential, []float64{-0.4, 1.2, 0.3}},
	}
	const n = 20000
	for _, c := range cases {
		xs := make([]float64, n)
		for i := range xs {
			x, err := c.u.Rng(r, c.p...)
			if err != nil {
				t.Fatalf("%s: %v", c.u.Name, err)
			}
			xs[i] = x
		}
		for _, q := range []float64{0.2, 0.5, 0.8} {
			x := quantile(xs, q)
			args := [][]ad.Var{consts(x)}
			for _, v := range c.p {
				args = append(args, consts(v))
			}
			f, err := c.u.Cdf(nil, args...)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(f.Val-q) > 0.02 {
				t.Errorf("%s: the empirical %.1f quantile has CDF %.3f", c.u.Name, q, f.Val)
			}
		}
	}
	if _, err := Gamma.Rng(r, -1, 1); err == nil || err.Error() != "gamma_rng: Shape parameter is -1, but must be positive finite" {
		t.Errorf("error: %v", err)
	}
}

func quantile(xs []float64, q float64) float64 {
	s := append([]float64(nil), xs...)
	slices.Sort(s)
	return s[int(q*float64(len(s)))]
}

func TestDiscreteRngs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cases := []struct {
		d    *Discrete
		ints []int
		p    []float64
		mean float64
	}{
		{Bernoulli, nil, []float64{0.3}, 0.3},
		{BernoulliLogit, nil, []float64{0.4}, 1 / (1 + math.Exp(-0.4))},
		{Binomial, []int{10}, []float64{0.3}, 3},
		{BinomialLogit, []int{10}, []float64{0}, 5},
		{Poisson, nil, []float64{2.5}, 2.5},
		{PoissonLog, nil, []float64{0.9}, math.Exp(0.9)},
		{NegBinomial, nil, []float64{3, 1.2}, 2.5},
		{NegBinomial2, nil, []float64{2.5, 3}, 2.5},
		{NegBinomial2Log, nil, []float64{math.Log(2.5), 3}, 2.5},
		{BetaBinomial, []int{10}, []float64{2, 5}, 10 * 2.0 / 7},
		// The mean is rβ/(α-1).
		{BetaNegBinomial, nil, []float64{2.5, 6, 3}, 2.5 * 3 / 5},
		// The mean is α/(α-1).
		{YuleSimon, nil, []float64{4}, 4.0 / 3},
	}
	const n = 40000
	for _, c := range cases {
		s := 0.0
		for range n {
			k, err := c.d.Rng(r, c.ints, c.p...)
			if err != nil {
				t.Fatalf("%s: %v", c.d.Name, err)
			}
			s += float64(k)
		}
		if m := s / n; math.Abs(m-c.mean) > 0.05*math.Max(1, c.mean) {
			t.Errorf("%s: sample mean %v, want %v", c.d.Name, m, c.mean)
		}
	}
}

// TestGammaPoissonRngLimits checks that the negative binomial draws
// whose gamma rate would not fit a Poisson draw, or whose gamma scale
// underflows or overflows, fail with Stan's checks instead of panicking
// (gonum's gamma refuses a zero rate) or returning a count past Stan's
// 32-bit int.
func TestGammaPoissonRngLimits(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, c := range []struct {
		d    *Discrete
		p    []float64
		want string
	}{
		{NegBinomial2Log, []float64{800, 1}, "neg_binomial_2_log_rng: Exponential of the log-location parameter divided by the precision parameter is +Inf, but must be positive finite"},
		{NegBinomial2, []float64{1e308, 1e-20}, "neg_binomial_2_rng: Location parameter divided by the precision parameter is +Inf, but must be positive finite"},
		{NegBinomial2, []float64{1e-300, 1e300}, "neg_binomial_2_rng: Location parameter divided by the precision parameter is 0, but must be positive finite"},
		{NegBinomial, []float64{1, 1e-320}, "neg_binomial_rng: Inverse of the inverse scale parameter is +Inf, but must be positive finite"},
		{NegBinomial2, []float64{1e10, 1e6}, "neg_binomial_2_rng: Random number that came from gamma distribution is "},
		{BetaNegBinomial, []float64{1, 1e-300, 1e300}, "beta_neg_binomial_rng: The failure odds of the success probability drawn from the beta distribution is +Inf, but must be positive finite"},
	} {
		k, err := c.d.Rng(r, nil, c.p...)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s%v: %d, %v; want %q", c.d.Name, c.p, k, err, c.want)
		}
	}
	// Just under the limit the draws are near the mean.
	k, err := NegBinomial2.Rng(r, nil, 1e8, 1e6)
	if err != nil || math.Abs(float64(k)-1e8) > 1e6 {
		t.Errorf("neg_binomial_2_rng(1e8, 1e6) = %d, %v; want about 1e8", k, err)
	}
}

func TestCategoricalAndOrderedRngs(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	theta := []float64{0.2, 0.5, 0.3}
	const n = 40000
	counts := make([]float64, 3)
	for range n {
		k, err := CategoricalRng(r, theta)
		if err != nil {
			t.Fatal(err)
		}
		counts[k-1]++
	}
	for i := range theta {
		if math.Abs(counts[i]/n-theta[i]) > 0.01 {
			t.Errorf("categorical frequency %v, want %v", counts[i]/n, theta[i])
		}
	}
	m, _ := MultinomialRng(r, theta, 1000)
	if m[0]+m[1]+m[2] != 1000 || math.Abs(float64(m[1])-500) > 60 {
		t.Errorf("multinomial %v", m)
	}
	// Ordered logistic frequencies match its mass function.
	cuts := []float64{-0.5, 0.4}
	freq := make([]float64, 3)
	for range n {
		k, _ := OrderedLogisticRng(r, 0.3, cuts)
		freq[k-1]++
	}
	for k := 1; k <= 3; k++ {
		lp, _ := OrderedLogisticLpmf(nil, false, []int{k}, consts(0.3), [][]ad.Var{consts(cuts...)})
		if math.Abs(freq[k-1]/n-math.Exp(lp.Val)) > 0.01 {
			t.Errorf("ordered logistic frequency of %d: %v, want %v", k, freq[k-1]/n, math.Exp(lp.Val))
		}
	}
	s := 0.0
	for range n {
		k, _ := HypergeometricRng(r, 5, 6, 4)
		s += float64(k)
	}
	if math.Abs(s/n-3) > 0.03 { // mean N a / (a + b)
		t.Errorf("hypergeometric mean %v, want 3", s/n)
	}
	s = 0
	for range n {
		k, _ := DiscreteRangeRng(r, 2, 6)
		s += float64(k)
	}
	if math.Abs(s/n-4) > 0.03 {
		t.Errorf("discrete_range mean %v, want 4", s/n)
	}
}
