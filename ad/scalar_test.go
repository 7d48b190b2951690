package ad_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
	"github.com/gostan/gostan/mathx"
)

// TestScalarGradients checks every scalar function against finite
// differences and against the float64 function it differentiates.
func TestScalarGradients(t *testing.T) {
	type unary struct {
		name string
		f    func(*ad.Tape, ad.Var) ad.Var
		want func(float64) float64
		at   []float64
	}
	logit := func(p float64) float64 { return math.Log(p / (1 - p)) }
	cases := []unary{
		{"Sqrt", (*ad.Tape).Sqrt, math.Sqrt, []float64{0.3, 4}},
		{"Cbrt", (*ad.Tape).Cbrt, math.Cbrt, []float64{-2, 0.7}},
		{"Square", (*ad.Tape).Square, func(x float64) float64 { return x * x }, []float64{-1.5, 2}},
		{"Exp2", (*ad.Tape).Exp2, math.Exp2, []float64{-1, 3.3}},
		{"Expm1", (*ad.Tape).Expm1, math.Expm1, []float64{-1e-3, 2}},
		{"Log2", (*ad.Tape).Log2, math.Log2, []float64{0.2, 9}},
		{"Log10", (*ad.Tape).Log10, math.Log10, []float64{0.2, 9}},
		{"Log1p", (*ad.Tape).Log1p, math.Log1p, []float64{-0.5, 3}},
		{"Log1m", (*ad.Tape).Log1m, func(x float64) float64 { return math.Log(1 - x) }, []float64{-2, 0.3}},
		{"Log1pExp", (*ad.Tape).Log1pExp, func(x float64) float64 { return math.Log(1 + math.Exp(x)) }, []float64{-3, 0, 4}},
		{"Log1mExp", (*ad.Tape).Log1mExp, func(x float64) float64 { return math.Log(1 - math.Exp(x)) }, []float64{-3, -0.2}},
		{"InvLogit", (*ad.Tape).InvLogit, func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }, []float64{-2, 0.5}},
		{"Logit", (*ad.Tape).Logit, logit, []float64{0.1, 0.8}},
		{"LogInvLogit", (*ad.Tape).LogInvLogit, func(x float64) float64 { return -math.Log(1 + math.Exp(-x)) }, []float64{-2, 3}},
		{"Log1mInvLogit", (*ad.Tape).Log1mInvLogit, func(x float64) float64 { return -math.Log(1 + math.Exp(x)) }, []float64{-2, 3}},
		{"InvCloglog", (*ad.Tape).InvCloglog, func(x float64) float64 { return 1 - math.Exp(-math.Exp(x)) }, []float64{-1, 0.4}},
		{"Sin", (*ad.Tape).Sin, math.Sin, []float64{0.3, 2}},
		{"Cos", (*ad.Tape).Cos, math.Cos, []float64{0.3, 2}},
		{"Tan", (*ad.Tape).Tan, math.Tan, []float64{0.3, -1}},
		{"Asin", (*ad.Tape).Asin, math.Asin, []float64{0.3, -0.8}},
		{"Acos", (*ad.Tape).Acos, math.Acos, []float64{0.3, -0.8}},
		{"Atan", (*ad.Tape).Atan, math.Atan, []float64{0.3, -4}},
		{"Sinh", (*ad.Tape).Sinh, math.Sinh, []float64{0.3, -2}},
		{"Cosh", (*ad.Tape).Cosh, math.Cosh, []float64{0.3, -2}},
		{"Tanh", (*ad.Tape).Tanh, math.Tanh, []float64{0.3, -2}},
		{"Asinh", (*ad.Tape).Asinh, math.Asinh, []float64{0.3, -2}},
		{"Acosh", (*ad.Tape).Acosh, math.Acosh, []float64{1.3, 4}},
		{"Atanh", (*ad.Tape).Atanh, math.Atanh, []float64{0.3, -0.9}},
		{"Erf", (*ad.Tape).Erf, math.Erf, []float64{0.3, -1.2}},
		{"Erfc", (*ad.Tape).Erfc, math.Erfc, []float64{0.3, -1.2}},
		{"Phi", (*ad.Tape).Phi, func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }, []float64{-1.5, 0.7}},
		{"PhiApprox", (*ad.Tape).PhiApprox, func(x float64) float64 { return 1 / (1 + math.Exp(-(0.07056*x*x*x + 1.5976*x))) }, []float64{-1.5, 0.7}},
		{"InvPhi", (*ad.Tape).InvPhi, func(p float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*p) }, []float64{0.05, 0.6}},
		{"Lgamma", (*ad.Tape).Lgamma, func(x float64) float64 { v, _ := math.Lgamma(x); return v }, []float64{0.4, 7.5}},
		{"Digamma", (*ad.Tape).Digamma, mathx.Digamma, []float64{0.4, 7.5}},
		{"Tgamma", (*ad.Tape).Tgamma, math.Gamma, []float64{0.4, 3.5}},
		{"Abs", (*ad.Tape).Abs, math.Abs, []float64{-2, 3}},
		{"Inv", (*ad.Tape).Inv, func(x float64) float64 { return 1 / x }, []float64{-2, 0.3}},
		{"InvSqrt", (*ad.Tape).InvSqrt, func(x float64) float64 { return 1 / math.Sqrt(x) }, []float64{0.2, 5}},
		{"InvSquare", (*ad.Tape).InvSquare, func(x float64) float64 { return 1 / (x * x) }, []float64{-2, 0.3}},
	}
	for _, c := range cases {
		for _, x := range c.at {
			f := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) { return c.f(tp, v[0]), nil }
			if err := fdcheck.Check(f, []float64{x}, 1e-6); err != nil {
				t.Errorf("%s(%v): %v", c.name, x, err)
			}
			if got, want := c.f(nil, ad.Const(x)).Val, c.want(x); math.Abs(got-want) > 1e-13*math.Max(1, math.Abs(want)) {
				t.Errorf("%s(%v) = %v, want %v", c.name, x, got, want)
			}
		}
	}
	binary := []struct {
		name string
		f    func(*ad.Tape, ad.Var, ad.Var) ad.Var
		want func(a, b float64) float64
		at   [][2]float64
	}{
		{"Pow", (*ad.Tape).Pow, math.Pow, [][2]float64{{1.5, 2.2}, {3, -0.5}}},
		{"LogDiffExp", (*ad.Tape).LogDiffExp, func(a, b float64) float64 { return math.Log(math.Exp(a) - math.Exp(b)) }, [][2]float64{{1, 0.2}, {-1, -3}}},
		{"LogSumExp2", (*ad.Tape).LogSumExp2, func(a, b float64) float64 { return math.Log(math.Exp(a) + math.Exp(b)) }, [][2]float64{{1, 0.2}, {-1, -3}}},
		{"Atan2", (*ad.Tape).Atan2, math.Atan2, [][2]float64{{1, 0.2}, {-1, -3}}},
		{"Lbeta", (*ad.Tape).Lbeta, mathx.Lbeta, [][2]float64{{1.5, 0.2}, {4, 7}}},
		{"Lchoose", (*ad.Tape).Lchoose, func(n, k float64) float64 {
			a, _ := math.Lgamma(n + 1)
			b, _ := math.Lgamma(k + 1)
			c, _ := math.Lgamma(n - k + 1)
			return a - b - c
		}, [][2]float64{{10, 3}, {5.5, 2.2}}},
		{"Fmod", (*ad.Tape).Fmod, math.Mod, [][2]float64{{5.3, 2}, {-7.5, 2.2}}},
		{"Hypot", (*ad.Tape).Hypot, math.Hypot, [][2]float64{{3, 4}, {-1, 0.5}}},
		{"MultiplyLog", (*ad.Tape).MultiplyLog, func(a, b float64) float64 { return a * math.Log(b) }, [][2]float64{{3, 4}, {-1, 0.5}}},
		{"Fmin", (*ad.Tape).Fmin, math.Min, [][2]float64{{3, 4}, {1, 0.5}}},
		{"Fmax", (*ad.Tape).Fmax, math.Max, [][2]float64{{3, 4}, {1, 0.5}}},
		{"Fdim", (*ad.Tape).Fdim, math.Dim, [][2]float64{{5, 4}, {1, 0.5}}},
	}
	for _, c := range binary {
		for _, x := range c.at {
			f := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) { return c.f(tp, v[0], v[1]), nil }
			if err := fdcheck.Check(f, x[:], 1e-6); err != nil {
				t.Errorf("%s(%v): %v", c.name, x, err)
			}
			if got, want := c.f(nil, ad.Const(x[0]), ad.Const(x[1])).Val, c.want(x[0], x[1]); math.Abs(got-want) > 1e-13*math.Max(1, math.Abs(want)) {
				t.Errorf("%s(%v) = %v, want %v", c.name, x, got, want)
			}
		}
	}
	ternary := map[string]func(*ad.Tape, ad.Var, ad.Var, ad.Var) ad.Var{"LogMix": (*ad.Tape).LogMix, "Fma": (*ad.Tape).Fma}
	for name, g := range ternary {
		f := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) { return g(tp, v[0], v[1], v[2]), nil }
		if err := fdcheck.Check(f, []float64{0.3, -1.2, 0.8}, 1e-6); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if v := (&ad.Tape{}).LogMix(ad.Const(0.3), ad.Const(-1), ad.Const(2)).Val; math.Abs(v-math.Log(0.3*math.Exp(-1)+0.7*math.Exp(2))) > 1e-14 {
		t.Errorf("LogMix = %v", v)
	}
}
