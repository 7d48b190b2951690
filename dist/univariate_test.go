package dist_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gostan/gostan/ad"
	. "github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/internal/fdcheck"
)

// uniCase is a density at one point with an independent value of its log
// density (NaN when only the gradient is checked).
type uniCase struct {
	u    *Univariate
	x    []float64
	want float64
}

func TestUnivariateDensities(t *testing.T) {
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	cases := []uniCase{
		{StdNormal, []float64{0.7}, distuv.UnitNormal.LogProb(0.7)},
		{StudentT, []float64{0.7, 3.5, -0.2, 1.3}, distuv.StudentsT{Mu: -0.2, Sigma: 1.3, Nu: 3.5}.LogProb(0.7)},
		{Cauchy, []float64{0.7, -0.2, 1.3}, -math.Log(math.Pi*1.3) - math.Log1p(math.Pow((0.7+0.2)/1.3, 2))},
		{DoubleExponential, []float64{0.7, -0.2, 1.3}, distuv.Laplace{Mu: -0.2, Scale: 1.3}.LogProb(0.7)},
		{Logistic, []float64{0.7, -0.2, 1.3}, func() float64 {
			z := (0.7 + 0.2) / 1.3
			return -z - math.Log(1.3) - 2*math.Log1p(math.Exp(-z))
		}()},
		{Gumbel, []float64{0.7, -0.2, 1.3}, distuv.GumbelRight{Mu: -0.2, Beta: 1.3}.LogProb(0.7)},
		{Loglogistic, []float64{1.7, 0.8, 2.5}, math.Log((2.5 / 0.8) * math.Pow(1.7/0.8, 1.5) / math.Pow(1+math.Pow(1.7/0.8, 2.5), 2))},
		{Loglogistic, []float64{0.3, 1.2, 0.7}, math.Log((0.7 / 1.2) * math.Pow(0.3/1.2, -0.3) / math.Pow(1+math.Pow(0.3/1.2, 0.7), 2))},
		{Lognormal, []float64{0.7, -0.2, 1.3}, distuv.LogNormal{Mu: -0.2, Sigma: 1.3}.LogProb(0.7)},
		{ChiSquare, []float64{1.7, 3.3}, distuv.ChiSquared{K: 3.3}.LogProb(1.7)},
		{InvChiSquare, []float64{1.7, 3.3}, distuv.InverseGamma{Alpha: 3.3 / 2, Beta: 0.5}.LogProb(1.7)},
		{ScaledInvChiSquare, []float64{1.7, 3.3, 0.8}, distuv.InverseGamma{Alpha: 3.3 / 2, Beta: 3.3 * 0.64 / 2}.LogProb(1.7)},
		{Exponential, []float64{1.7, 0.8}, distuv.Exponential{Rate: 0.8}.LogProb(1.7)},
		{Gamma, []float64{1.7, 2.5, 0.8}, distuv.Gamma{Alpha: 2.5, Beta: 0.8}.LogProb(1.7)},
		{InvGamma, []float64{1.7, 2.5, 0.8}, distuv.InverseGamma{Alpha: 2.5, Beta: 0.8}.LogProb(1.7)},
		{Weibull, []float64{1.7, 2.5, 0.8}, distuv.Weibull{K: 2.5, Lambda: 0.8}.LogProb(1.7)},
		{Frechet, []float64{1.7, 2.5, 0.8}, math.Log(2.5/0.8) - 3.5*math.Log(1.7/0.8) - math.Pow(1.7/0.8, -2.5)},
		{Rayleigh, []float64{1.7, 0.8}, math.Log(1.7/0.64) - 1.7*1.7/(2*0.64)},
		{Pareto, []float64{1.7, 0.8, 2.5}, distuv.Pareto{Xm: 0.8, Alpha: 2.5}.LogProb(1.7)},
		{ParetoType2, []float64{1.7, 0.3, 0.8, 2.5}, math.Log(2.5/0.8) - 3.5*math.Log1p((1.7-0.3)/0.8)},
		{Beta, []float64{0.3, 2.5, 1.8}, distuv.Beta{Alpha: 2.5, Beta: 1.8}.LogProb(0.3)},
		{BetaProportion, []float64{0.3, 0.4, 5}, distuv.Beta{Alpha: 2, Beta: 3}.LogProb(0.3)},
		{VonMises, []float64{0.3, -0.4, 2.2}, 2.2*math.Cos(0.7) - math.Log(2*math.Pi) - math.Log(besselI0(2.2))},
		{VonMises, []float64{0.3, -0.4, 25}, 25*math.Cos(0.7) - math.Log(2*math.Pi) - math.Log(besselI0(25))},
		{Uniform, []float64{0.3, -0.4, 2.2}, -math.Log(2.6)},
		{SkewNormal, []float64{0.3, -0.4, 1.2, 2}, func() float64 {
			z := 0.7 / 1.2
			return math.Log(2/1.2) + distuv.UnitNormal.LogProb(z) + math.Log(distuv.UnitNormal.CDF(2*z))
		}()},
		{ExpModNormal, []float64{0.3, -0.4, 1.2, 2}, func() float64 {
			mu, s, l, y := -0.4, 1.2, 2.0, 0.3
			return math.Log(l/2) + l/2*(2*mu+l*s*s-2*y) + math.Log(math.Erfc((mu+l*s*s-y)/(math.Sqrt2*s)))
		}()},
		// 2τ(1-τ)/σ exp(-2/σ (1-τ)(μ-y)) below μ, exp(-2/σ τ(y-μ)) above.
		{SkewDoubleExponential, []float64{-1.1, -0.4, 1.2, 0.3}, math.Log(2*0.3*0.7/1.2) - 2/1.2*0.7*0.7},
		{SkewDoubleExponential, []float64{0.3, -0.4, 1.2, 0.3}, math.Log(2*0.3*0.7/1.2) - 2/1.2*0.3*0.7},
	}
	_ = lg
	for _, c := range cases {
		args := consts(c.x...)
		split := make([][]ad.Var, len(args))
		for i := range args {
			split[i] = args[i : i+1]
		}
		lp, err := c.u.Lpdf(nil, false, split...)
		if err != nil {
			t.Errorf("%s%v: %v", c.u.Name, c.x, err)
			continue
		}
		if math.Abs(lp.Val-c.want) > 1e-10*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%s%v = %.15g, want %.15g", c.u.Name, c.x, lp.Val, c.want)
		}
		u := c.u
		f := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
			s := make([][]ad.Var, len(v))
			for i := range v {
				s[i] = v[i : i+1]
			}
			return u.Lpdf(tp, false, s...)
		}
		// The scalar entry point agrees with the vectorised one.
		scalar := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
			var x [4]ad.Var
			copy(x[:], v)
			return u.Scalar(tp, false, x, len(v))
		}
		if err := fdcheck.Check(scalar, c.x, 1e-6); err != nil {
			t.Errorf("%s%v: scalar gradient: %v", c.u.Name, c.x, err)
		}
		if sv, _ := fdcheck.Value(scalar, c.x); math.Abs(sv-lp.Val) > 1e-14*math.Max(1, math.Abs(lp.Val)) {
			t.Errorf("%s%v: Scalar %v, Lpdf %v", c.u.Name, c.x, sv, lp.Val)
		}
		if err := fdcheck.Check(f, c.x, 1e-6); err != nil {
			t.Errorf("%s%v: gradient: %v", c.u.Name, c.x, err)
		}
		// With propto, the terms kept when only the variate varies differ
		// from the full density by a constant.
		g := func(y float64) float64 {
			tp := ad.NewTape()
			s := make([][]ad.Var, len(c.x))
			s[0] = []ad.Var{tp.Var(y)}
			for i := 1; i < len(c.x); i++ {
				s[i] = consts(c.x[i])
			}
			v, _ := u.Lpdf(tp, true, s...)
			full, _ := u.Lpdf(nil, false, append([][]ad.Var{consts(y)}, s[1:]...)...)
			return full.Val - v.Val
		}
		if d1, d2 := g(c.x[0]), g(c.x[0]*1.01+0.001); math.Abs(d1-d2) > 1e-9*math.Max(1, math.Abs(d1)) {
			t.Errorf("%s: dropped terms depend on the variate: %v vs %v", c.u.Name, d1, d2)
		}
	}
}

// besselI0 by its power series, an independent check of logBesselI0.
func besselI0(x float64) float64 {
	s, term := 1.0, 1.0
	for k := 1; k < 300; k++ {
		term *= (x / 2) * (x / 2) / float64(k*k)
		s += term
	}
	return s
}

func TestDiscreteDensities(t *testing.T) {
	cases := []struct {
		d     *Discrete
		ints  []int
		reals []float64
		want  float64
	}{
		{Bernoulli, []int{1}, []float64{0.3}, math.Log(0.3)},
		{Bernoulli, []int{0}, []float64{0.3}, math.Log(0.7)},
		{BernoulliLogit, []int{1}, []float64{0.4}, math.Log(1 / (1 + math.Exp(-0.4)))},
		{Binomial, []int{3, 10}, []float64{0.3}, distuv.Binomial{N: 10, P: 0.3}.LogProb(3)},
		{BinomialLogit, []int{3, 10}, []float64{-0.4}, distuv.Binomial{N: 10, P: 1 / (1 + math.Exp(0.4))}.LogProb(3)},
		{Poisson, []int{4}, []float64{2.5}, distuv.Poisson{Lambda: 2.5}.LogProb(4)},
		{PoissonLog, []int{4}, []float64{0.9}, distuv.Poisson{Lambda: math.Exp(0.9)}.LogProb(4)},
		{NegBinomial2, []int{4}, []float64{2.5, 3}, negBin2(4, 2.5, 3)},
		{NegBinomial2Log, []int{4}, []float64{math.Log(2.5), 3}, negBin2(4, 2.5, 3)},
		{NegBinomial, []int{4}, []float64{3, 3 / 2.5}, negBin2(4, 2.5, 3)},
		{BetaBinomial, []int{3, 10}, []float64{2, 5}, betaBinomial(3, 10, 2, 5)},
		{BetaNegBinomial, []int{4}, []float64{2.5, 3, 1.5}, betaNegBinomial(4, 2.5, 3, 1.5)},
		{BetaNegBinomial, []int{0}, []float64{0.7, 1.2, 4}, betaNegBinomial(0, 0.7, 1.2, 4)},
		// α B(n, α+1) with B from math.Gamma: 2.5 Γ(3) Γ(3.5) / Γ(6.5).
		{YuleSimon, []int{3}, []float64{2.5}, math.Log(2.5 * math.Gamma(3) * math.Gamma(3.5) / math.Gamma(6.5))},
		{YuleSimon, []int{1}, []float64{0.4}, math.Log(0.4 / 1.4)},
	}
	for _, c := range cases {
		ints := make([][]int, len(c.ints))
		for i, n := range c.ints {
			ints[i] = []int{n}
		}
		reals := make([][]ad.Var, len(c.reals))
		for i, x := range c.reals {
			reals[i] = consts(x)
		}
		lp, err := c.d.Lpmf(nil, false, ints, reals...)
		if err != nil {
			t.Errorf("%s: %v", c.d.Name, err)
			continue
		}
		if math.Abs(lp.Val-c.want) > 1e-10*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%s(%v | %v) = %.15g, want %.15g", c.d.Name, c.ints, c.reals, lp.Val, c.want)
		}
		d := c.d
		f := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
			s := make([][]ad.Var, len(v))
			for i := range v {
				s[i] = v[i : i+1]
			}
			return d.Lpmf(tp, false, ints, s...)
		}
		if err := fdcheck.Check(f, c.reals, 1e-6); err != nil {
			t.Errorf("%s: gradient: %v", c.d.Name, err)
		}
	}
	// Errors in Stan's words.
	_, err := Poisson.Lpmf(nil, false, [][]int{{1, -2}}, consts(1))
	if err == nil || err.Error() != "poisson_lpmf: Number of successes[2] is -2, but must be nonnegative" {
		t.Errorf("error: %v", err)
	}
	_, err = Binomial.Lpmf(nil, false, [][]int{{5}, {3}}, consts(0.5))
	if err == nil || err.Error() != "binomial_lpmf: Number of successes is 5, but must be in the interval [0, 3]" {
		t.Errorf("error: %v", err)
	}
}

func negBin2(n int, mu, phi float64) float64 {
	a, _ := math.Lgamma(float64(n) + phi)
	b, _ := math.Lgamma(phi)
	c, _ := math.Lgamma(float64(n) + 1)
	return a - b - c + float64(n)*math.Log(mu/(mu+phi)) + phi*math.Log(phi/(mu+phi))
}

func betaBinomial(k, n int, a, b float64) float64 {
	lb := func(x, y float64) float64 {
		p, _ := math.Lgamma(x)
		q, _ := math.Lgamma(y)
		r, _ := math.Lgamma(x + y)
		return p + q - r
	}
	c, _ := math.Lgamma(float64(n + 1))
	d, _ := math.Lgamma(float64(k + 1))
	e, _ := math.Lgamma(float64(n - k + 1))
	return c - d - e + lb(float64(k)+a, float64(n-k)+b) - lb(a, b)
}

// betaNegBinomial is the log of the beta negative binomial mass from its
// construction: the negative binomial mass Γ(n+r)/(n! Γ(r)) θ^r (1-θ)^n
// integrated against the Beta(α, β) density of θ by quadrature.
func betaNegBinomial(n int, r, a, b float64) float64 {
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	k := float64(n)
	beta := distuv.Beta{Alpha: a, Beta: b}
	f := func(th float64) float64 {
		return math.Exp(lg(k+r)-lg(k+1)-lg(r)+r*math.Log(th)+k*math.Log1p(-th)) * beta.Prob(th)
	}
	return math.Log(quad.Fixed(f, 0, 1, 2000, nil, 0))
}
