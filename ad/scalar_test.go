package ad_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
	"gonum.org/v1/gonum/mathext"
)

type scalarCase struct {
	name string
	f    func(t *ad.Tape, x []ad.Var) ad.Var
	at   [][]float64
}

func un(f func(*ad.Tape, ad.Var) ad.Var) func(*ad.Tape, []ad.Var) ad.Var {
	return func(t *ad.Tape, x []ad.Var) ad.Var { return f(t, x[0]) }
}

func bin(f func(*ad.Tape, ad.Var, ad.Var) ad.Var) func(*ad.Tape, []ad.Var) ad.Var {
	return func(t *ad.Tape, x []ad.Var) ad.Var { return f(t, x[0], x[1]) }
}

func pts(xs ...float64) [][]float64 {
	r := make([][]float64, len(xs))
	for i, x := range xs {
		r[i] = []float64{x}
	}
	return r
}

var scalarCases = []scalarCase{
	{"Sqrt", un((*ad.Tape).Sqrt), pts(0.3, 4)},
	{"Cbrt", un((*ad.Tape).Cbrt), pts(-2.5, 0.4, 8)},
	{"Square", un((*ad.Tape).Square), pts(-1.5, 3)},
	{"Pow", bin((*ad.Tape).Pow), [][]float64{{1.3, 2.7}, {0.4, -1.5}, {2, 0}}},
	{"Exp2", un((*ad.Tape).Exp2), pts(-1.2, 3.5)},
	{"Expm1", un((*ad.Tape).Expm1), pts(-1e-3, 0.7)},
	{"Log2", un((*ad.Tape).Log2), pts(0.3, 9)},
	{"Log10", un((*ad.Tape).Log10), pts(0.3, 90)},
	{"Log1p", un((*ad.Tape).Log1p), pts(-0.5, 2)},
	{"Log1m", un((*ad.Tape).Log1m), pts(-2, 0.6)},
	{"Log1pExp", un((*ad.Tape).Log1pExp), pts(-30, -1, 0, 2, 40)},
	{"Log1mExp", un((*ad.Tape).Log1mExp), pts(-0.1, -0.8, -5)},
	{"LogDiffExp", bin((*ad.Tape).LogDiffExp), [][]float64{{1.5, -0.5}, {0.1, 0}}},
	{"LogSumExp2", bin((*ad.Tape).LogSumExp2), [][]float64{{1.5, -0.5}, {-20, 3}}},
	{"LogMix", func(t *ad.Tape, x []ad.Var) ad.Var { return t.LogMix(x[0], x[1], x[2]) },
		[][]float64{{0.3, -1.2, 0.4}, {0.9, 5, -3}}},
	{"InvLogit", un((*ad.Tape).InvLogit), pts(-3, 0.5, 4)},
	{"Logit", un((*ad.Tape).Logit), pts(0.1, 0.5, 0.97)},
	{"LogInvLogit", un((*ad.Tape).LogInvLogit), pts(-3, 0.5, 4)},
	{"Log1mInvLogit", un((*ad.Tape).Log1mInvLogit), pts(-3, 0.5, 4)},
	{"Sin", un((*ad.Tape).Sin), pts(-1, 2)},
	{"Cos", un((*ad.Tape).Cos), pts(-1, 2)},
	{"Tan", un((*ad.Tape).Tan), pts(-1, 0.3)},
	{"Asin", un((*ad.Tape).Asin), pts(-0.7, 0.2)},
	{"Acos", un((*ad.Tape).Acos), pts(-0.7, 0.2)},
	{"Atan", un((*ad.Tape).Atan), pts(-3, 0.2)},
	{"Atan2", bin((*ad.Tape).Atan2), [][]float64{{1, 2}, {-0.5, -3}, {2, -1}}},
	{"Sinh", un((*ad.Tape).Sinh), pts(-1, 2)},
	{"Cosh", un((*ad.Tape).Cosh), pts(-1, 2)},
	{"Tanh", un((*ad.Tape).Tanh), pts(-1, 0.3)},
	{"Asinh", un((*ad.Tape).Asinh), pts(-3, 0.2)},
	{"Acosh", un((*ad.Tape).Acosh), pts(1.5, 7)},
	{"Atanh", un((*ad.Tape).Atanh), pts(-0.7, 0.2)},
	{"Erf", un((*ad.Tape).Erf), pts(-1, 0.3, 2)},
	{"Erfc", un((*ad.Tape).Erfc), pts(-1, 0.3, 2)},
	{"Phi", un((*ad.Tape).Phi), pts(-3, 0.3, 2)},
	{"PhiApprox", un((*ad.Tape).PhiApprox), pts(-3, 0.3, 2)},
	{"InvPhi", un((*ad.Tape).InvPhi), pts(0.025, 0.5, 0.9)},
	{"Lgamma", un((*ad.Tape).Lgamma), pts(0.3, 4.5, -1.5)},
	{"Digamma", un((*ad.Tape).Digamma), pts(0.3, 4.5, 20, -1.5)},
	{"Tgamma", un((*ad.Tape).Tgamma), pts(0.3, 4.5, -1.5)},
	{"Lbeta", bin((*ad.Tape).Lbeta), [][]float64{{2.5, 0.7}, {30, 0.2}}},
	{"Lchoose", bin((*ad.Tape).Lchoose), [][]float64{{10.5, 3.2}, {7, 0.5}}},
	{"BinomialCoefficientLog", bin((*ad.Tape).BinomialCoefficientLog), [][]float64{{10.5, 3.2}}},
	{"Abs", un((*ad.Tape).Abs), pts(-2, 3)},
	{"Fabs", un((*ad.Tape).Fabs), pts(-2, 3)},
	{"Fmin", bin((*ad.Tape).Fmin), [][]float64{{1, 2}, {3, -1}}},
	{"Fmax", bin((*ad.Tape).Fmax), [][]float64{{1, 2}, {3, -1}}},
	{"Fdim", bin((*ad.Tape).Fdim), [][]float64{{1, 2}, {3, -1}}},
	{"Fma", func(t *ad.Tape, x []ad.Var) ad.Var { return t.Fma(x[0], x[1], x[2]) },
		[][]float64{{1.5, -2, 0.3}}},
	{"Hypot", bin((*ad.Tape).Hypot), [][]float64{{3, 4}, {-1, 0.2}}},
	{"InvSqrt", un((*ad.Tape).InvSqrt), pts(0.3, 4)},
	{"Inv", un((*ad.Tape).Inv), pts(-0.3, 4)},
	{"InvSquare", un((*ad.Tape).InvSquare), pts(-0.3, 4)},
	{"Floor", un((*ad.Tape).Floor), pts(-1.5, 2.3)},
	{"Ceil", un((*ad.Tape).Ceil), pts(-1.5, 2.3)},
	{"Round", un((*ad.Tape).Round), pts(-1.7, 2.3)},
	{"Trunc", un((*ad.Tape).Trunc), pts(-1.5, 2.3)},
}

// Every function's gradient matches finite differences, and constant
// arguments give a constant result with nothing recorded.
func TestScalarGradients(t *testing.T) {
	for _, c := range append(scalarCases, specialCases...) {
		f := func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return c.f(tp, x), nil }
		for _, x0 := range c.at {
			if err := fdcheck.Check(f, x0, 1e-6); err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			tp := ad.NewTape()
			cs := make([]ad.Var, len(x0))
			for i, v := range x0 {
				cs[i] = ad.Const(v)
			}
			if y := c.f(tp, cs); !y.IsConst() || tp.Len() != 0 {
				t.Errorf("%s%v: constant arguments recorded %d variables", c.name, x0, tp.Len())
			}
			var nilTape *ad.Tape
			if y := c.f(nilTape, cs); !y.IsConst() {
				t.Errorf("%s%v: nil tape gave a variable", c.name, x0)
			}
		}
	}
}

// Values against mpmath (30 digits) and closed forms.
func TestScalarValues(t *testing.T) {
	var tp *ad.Tape
	c := ad.Const
	cases := []struct {
		name      string
		got, want float64
		tol       float64 // relative; 1e-13 when zero
	}{
		{"Pow", tp.Pow(c(1.3), c(2.7)).Val, 2.03070599638508967368869113668, 0},
		{"Pow(0, 2)", tp.Pow(c(0), c(2)).Val, 0, 0},
		{"Cbrt", tp.Cbrt(c(-27)).Val, -3, 0},
		{"LogMix", tp.LogMix(c(0.3), c(-1.2), c(0.4)).Val, 0.126311499742132843777430847257, 0},
		{"LogDiffExp", tp.LogDiffExp(c(1.5), c(-0.5)).Val, 1.3545865421311409430273518499, 0},
		{"Log1mExp(-0.1)", tp.Log1mExp(c(-0.1)).Val, -2.35216846104409080891949718706, 0},
		{"Log1mExp(-5)", tp.Log1mExp(c(-5)).Val, -0.00676074944948855782592113409254, 0},
		{"Log1pExp(3)", tp.Log1pExp(c(3)).Val, 3.04858735157374205875892591985, 0},
		{"Log1pExp(-40)", tp.Log1pExp(c(-40)).Val, 4.24835425529156112853907064098e-18, 0},
		{"PhiApprox", tp.PhiApprox(c(0.8)).Val, 0.788216240945119213638361630693, 0},
		{"Phi", tp.Phi(c(-1.1)).Val, 0.135666060946382675173057038026, 0},
		{"InvPhi", tp.InvPhi(c(0.025)).Val, -1.95996398454005423552459443052, 0},
		{"Lbeta", tp.Lbeta(c(2.5), c(0.7)).Val, -0.339854710150323271934972343894, 0},
		{"Digamma", tp.Digamma(c(3.3)).Val, 1.03482248905962174905111307345, 1e-10}, // mathx.Digamma (gonum) is good to ~1e-11
		{"Tgamma", tp.Tgamma(c(4.5)).Val, 11.6317283965674489291442241094, 0},
		{"Lchoose", tp.Lchoose(c(10.5), c(3.2)).Val, 5.1076779684300570333720606065, 0},
		{"Lchoose large n", tp.Lchoose(c(1e6), c(3.5)).Val, 45.9005460070281421374934586647, 1e-11}, // through mathx.Lbeta
		{"Lchoose(5, 2)", tp.Lchoose(c(5), c(2)).Val, math.Log(10), 0},
		{"Fdim", tp.Fdim(c(1), c(3)).Val, 0, 0},
		{"Fmin NaN", tp.Fmin(c(math.NaN()), c(3)).Val, 3, 0},
		{"Fmax NaN", tp.Fmax(c(2), c(math.NaN())).Val, 2, 0},
		{"Round", tp.Round(c(-2.5)).Val, -3, 0},
		{"Hypot", tp.Hypot(c(3), c(4)).Val, 5, 0},
	}
	for _, k := range cases {
		if k.tol == 0 {
			k.tol = 1e-13
		}
		if !(math.Abs(k.got-k.want) <= k.tol*math.Max(1, math.Abs(k.want))) {
			t.Errorf("%s = %.17g, want %.17g", k.name, k.got, k.want)
		}
	}
}

// The derivative of Digamma uses a private trigamma; the Hurwitz zeta
// ζ(2, x) = ψ'(x) for x > 0 and mpmath values check it, including the
// reflection branch.
func TestDigammaDerivative(t *testing.T) {
	want := map[float64]float64{
		0.3:  12.2453645461077313011666359605,
		1.7:  0.79323283016399840877462920119,
		12.5: 0.0832852246015783704435911329396,
		-2.3: 14.7259121609612914880773464367,
		45:   0.0224709646113751837909172219168,
	}
	for x, w := range want {
		tp := ad.NewTape()
		v := tp.Var(x)
		tp.Grad(tp.Digamma(v))
		if g := tp.Adjoint(v); math.Abs(g-w) > 1e-13*math.Abs(w) {
			t.Errorf("trigamma(%v) = %.17g, want %.17g", x, g, w)
		}
	}
	for _, x := range []float64{0.01, 0.5, 2, 11.9, 100} {
		tp := ad.NewTape()
		v := tp.Var(x)
		tp.Grad(tp.Digamma(v))
		if g, w := tp.Adjoint(v), mathext.Zeta(2, x); math.Abs(g-w) > 1e-12*w {
			t.Errorf("trigamma(%v) = %.17g, zeta(2, x) = %.17g", x, g, w)
		}
	}
}

// Edge values: both arguments -Inf, NaN propagation.
func TestScalarEdges(t *testing.T) {
	tp := ad.NewTape()
	a, b := tp.Var(math.Inf(-1)), tp.Var(math.Inf(-1))
	y := tp.LogSumExp2(a, b)
	tp.Grad(y)
	if !math.IsInf(y.Val, -1) || tp.Adjoint(a) != 0 || tp.Adjoint(b) != 0 {
		t.Errorf("log_sum_exp(-Inf, -Inf) = %v with partials (%v, %v), want -Inf, (0, 0)", y.Val, tp.Adjoint(a), tp.Adjoint(b))
	}
	if v := tp.Fdim(ad.Const(math.NaN()), ad.Const(1)).Val; !math.IsNaN(v) {
		t.Errorf("fdim(NaN, 1) = %v, want NaN", v)
	}
}

// At x = 0 Pow's partial in the exponent is 0, not NaN.
func TestPowAtZero(t *testing.T) {
	tp := ad.NewTape()
	x, y := tp.Var(0), tp.Var(2.5)
	tp.Grad(tp.Pow(x, y))
	if gx, gy := tp.Adjoint(x), tp.Adjoint(y); gx != 0 || gy != 0 {
		t.Fatalf("pow(0, 2.5) gradient (%v, %v), want (0, 0)", gx, gy)
	}
}
