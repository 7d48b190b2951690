package dist_test

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gostan/gostan/ad"
	. "github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/internal/fdcheck"
)

// TestCDFs checks every implemented CDF: its derivative in the variate is
// the density, it matches gonum where gonum has the distribution, and the
// gradients of its lcdf and lccdf match finite differences.
func TestCDFs(t *testing.T) {
	cases := []struct {
		u    *Univariate
		x    []float64
		want float64 // gonum's CDF, or NaN
	}{
		{StdNormal, []float64{0.7}, distuv.UnitNormal.CDF(0.7)},
		{StudentT, []float64{0.7, 3.5, -0.2, 1.3}, distuv.StudentsT{Mu: -0.2, Sigma: 1.3, Nu: 3.5}.CDF(0.7)},
		{StudentT, []float64{-1.7, 5, -0.2, 1.3}, distuv.StudentsT{Mu: -0.2, Sigma: 1.3, Nu: 5}.CDF(-1.7)},
		{Cauchy, []float64{0.7, -0.2, 1.3}, math.NaN()},
		{DoubleExponential, []float64{0.7, -0.2, 1.3}, distuv.Laplace{Mu: -0.2, Scale: 1.3}.CDF(0.7)},
		{DoubleExponential, []float64{-0.7, -0.2, 1.3}, distuv.Laplace{Mu: -0.2, Scale: 1.3}.CDF(-0.7)},
		{Logistic, []float64{0.7, -0.2, 1.3}, math.NaN()},
		{Loglogistic, []float64{1.7, 0.8, 2.5}, 1 / (1 + math.Pow(1.7/0.8, -2.5))},
		{Loglogistic, []float64{0.3, 1.2, 0.7}, 1 / (1 + math.Pow(0.3/1.2, -0.7))},
		{Gumbel, []float64{0.7, -0.2, 1.3}, distuv.GumbelRight{Mu: -0.2, Beta: 1.3}.CDF(0.7)},
		{Lognormal, []float64{0.7, -0.2, 1.3}, distuv.LogNormal{Mu: -0.2, Sigma: 1.3}.CDF(0.7)},
		{Exponential, []float64{1.7, 0.8}, distuv.Exponential{Rate: 0.8}.CDF(1.7)},
		{Weibull, []float64{1.7, 2.5, 1.8}, distuv.Weibull{K: 2.5, Lambda: 1.8}.CDF(1.7)},
		{Frechet, []float64{1.7, 2.5, 0.8}, math.NaN()},
		{Rayleigh, []float64{1.7, 0.8}, math.NaN()},
		{Pareto, []float64{1.7, 0.8, 2.5}, distuv.Pareto{Xm: 0.8, Alpha: 2.5}.CDF(1.7)},
		{ParetoType2, []float64{1.7, 0.3, 0.8, 2.5}, math.NaN()},
		{Uniform, []float64{0.3, -0.4, 2.2}, 0.7 / 2.6},
		{Gamma, []float64{1.7, 2.5, 0.8}, distuv.Gamma{Alpha: 2.5, Beta: 0.8}.CDF(1.7)},
		{InvGamma, []float64{1.7, 2.5, 0.8}, distuv.InverseGamma{Alpha: 2.5, Beta: 0.8}.CDF(1.7)},
		{ChiSquare, []float64{1.7, 3.3}, distuv.ChiSquared{K: 3.3}.CDF(1.7)},
		{InvChiSquare, []float64{1.7, 3.3}, distuv.InverseGamma{Alpha: 3.3 / 2, Beta: 0.5}.CDF(1.7)},
		{ScaledInvChiSquare, []float64{1.7, 3.3, 0.8}, distuv.InverseGamma{Alpha: 3.3 / 2, Beta: 3.3 * 0.64 / 2}.CDF(1.7)},
		{Beta, []float64{0.3, 2.5, 1.8}, distuv.Beta{Alpha: 2.5, Beta: 1.8}.CDF(0.3)},
		{BetaProportion, []float64{0.3, 0.4, 5}, distuv.Beta{Alpha: 2, Beta: 3}.CDF(0.3)},
		{SkewNormal, []float64{0.3, -0.4, 1.2, 2}, math.NaN()},
		{ExpModNormal, []float64{0.3, -0.4, 1.2, 2}, math.NaN()},
		{VonMises, []float64{0.3, -0.4, 2.2}, math.NaN()},
		{VonMises, []float64{-2.5, 0.1, 0.5}, math.NaN()},
		{SkewDoubleExponential, []float64{-1.1, -0.4, 1.2, 0.3}, 0.3 * math.Exp(-2*0.7*0.7/1.2)},
		{SkewDoubleExponential, []float64{0.3, -0.4, 1.2, 0.3}, 1 - 0.7*math.Exp(-2*0.3*0.7/1.2)},
	}
	vars := func(x []float64) [][]ad.Var {
		out := make([][]ad.Var, len(x))
		for i := range x {
			out[i] = consts(x[i])
		}
		return out
	}
	for _, c := range cases {
		name := c.u.Name
		cdf, err := c.u.Cdf(nil, vars(c.x)...)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !math.IsNaN(c.want) && math.Abs(cdf.Val-c.want) > 1e-9 {
			t.Errorf("%s cdf%v = %.15g, gonum %.15g", name, c.x, cdf.Val, c.want)
		}
		// dF/dy is the density.
		h := 1e-5 * math.Max(1, math.Abs(c.x[0]))
		at := func(y float64) float64 {
			x := append([]float64{y}, c.x[1:]...)
			v, _ := c.u.Cdf(nil, vars(x)...)
			return v.Val
		}
		fd := (at(c.x[0]+h) - at(c.x[0]-h)) / (2 * h)
		lp, _ := c.u.Lpdf(nil, false, vars(c.x)...)
		if math.Abs(fd-math.Exp(lp.Val)) > 1e-6*math.Max(1, fd) {
			t.Errorf("%s: dF/dy = %v, density %v", name, fd, math.Exp(lp.Val))
		}
		for _, upper := range []bool{false, true} {
			u := c.u
			f := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
				s := make([][]ad.Var, len(v))
				for i := range v {
					s[i] = v[i : i+1]
				}
				if upper {
					return u.Lccdf(tp, s...)
				}
				return u.Lcdf(tp, s...)
			}
			if err := fdcheck.Check(f, c.x, 1e-5); err != nil {
				t.Errorf("%s (upper %v): gradient: %v", name, upper, err)
			}
		}
	}
}

func TestDiscreteCDFs(t *testing.T) {
	cases := []struct {
		d     *Discrete
		ints  []int
		reals []float64
	}{
		{Bernoulli, []int{0}, []float64{0.3}},
		{Binomial, []int{3, 10}, []float64{0.3}},
		{Poisson, []int{4}, []float64{2.5}},
		{NegBinomial2, []int{4}, []float64{2.5, 3}},
		{NegBinomial, []int{4}, []float64{3, 1.2}},
		{BetaBinomial, []int{3, 10}, []float64{2, 5}},
		{BetaNegBinomial, []int{4}, []float64{2.5, 3, 1.5}},
		{BetaNegBinomial, []int{0}, []float64{0.7, 1.2, 4}},
		{YuleSimon, []int{4}, []float64{1.3}},
	}
	for _, c := range cases {
		ints := make([][]int, len(c.ints))
		for i, n := range c.ints {
			ints[i] = []int{n}
		}
		// The CDF is the sum of the mass function up to n.
		want := 0.0
		for k := 0; k <= c.ints[0]; k++ {
			if k == 0 && c.d == YuleSimon { // its support starts at 1
				continue
			}
			ik := append([][]int{{k}}, ints[1:]...)
			rs := make([][]ad.Var, len(c.reals))
			for i, x := range c.reals {
				rs[i] = consts(x)
			}
			lp, err := c.d.Lpmf(nil, false, ik, rs...)
			if err != nil {
				t.Fatal(err)
			}
			want += math.Exp(lp.Val)
		}
		rs := make([][]ad.Var, len(c.reals))
		for i, x := range c.reals {
			rs[i] = consts(x)
		}
		got, err := c.d.Lcdf(nil, ints, rs...)
		if err != nil || math.Abs(math.Exp(got.Val)-want) > 1e-10 {
			t.Errorf("%s: cdf %v (%v), sum of the pmf %v", c.d.Name, math.Exp(got.Val), err, want)
		}
		for _, upper := range []bool{false, true} {
			d := c.d
			f := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
				s := make([][]ad.Var, len(v))
				for i := range v {
					s[i] = v[i : i+1]
				}
				if upper {
					return d.Lccdf(tp, ints, s...)
				}
				return d.Lcdf(tp, ints, s...)
			}
			if err := fdcheck.Check(f, c.reals, 1e-5); err != nil {
				t.Errorf("%s (upper %v): gradient: %v", c.d.Name, upper, err)
			}
		}
	}
}

// TestCDFErrorsNameTheFunction checks that the CDF errors name the
// function called, also for the families whose CDFs are defined apart from
// the others (von Mises's once lacked the name).
func TestCDFErrorsNameTheFunction(t *testing.T) {
	for _, c := range []struct {
		u      *Univariate
		params int
	}{{VonMises, 2}, {SkewDoubleExponential, 3}, {Cauchy, 2}} {
		base := strings.TrimSuffix(c.u.Name, "_lpdf")
		bad := [][]ad.Var{{ad.Const(0.5)}}
		for range c.params {
			bad = append(bad, []ad.Var{ad.Const(math.NaN())})
		}
		for suffix, f := range map[string]func(*ad.Tape, ...[]ad.Var) (ad.Var, error){
			"_lcdf": c.u.Lcdf, "_lccdf": c.u.Lccdf, "_cdf": c.u.Cdf,
		} {
			var tp ad.Tape
			_, err := f(&tp, bad...)
			if err == nil || !strings.HasPrefix(err.Error(), base+suffix+": ") {
				t.Errorf("%s%s with NaN parameters: error %v, want one naming the function", base, suffix, err)
			}
		}
	}
}
