package ad_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// weights returns n fixed, distinct weights for reducing a vector result to
// a scalar, so that every output's adjoint is exercised.
func weights(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = math.Sin(float64(i)+1) + 0.1
	}
	return w
}

// reduce returns Σ w_i v_i.
func reduce(tp *ad.Tape, v []ad.Var) ad.Var {
	y, err := tp.DotData(v, weights(len(v)))
	if err != nil {
		panic(err)
	}
	return y
}

func vals(v []ad.Var) []float64 {
	r := make([]float64, len(v))
	for i, x := range v {
		r[i] = x.Val
	}
	return r
}

func TestVectorGradients(t *testing.T) {
	x0 := []float64{0.3, -1.2, 2.5, 0.7, -0.4, 1.1}
	half := func(x []ad.Var) ([]ad.Var, []ad.Var) { return x[:3], x[3:] }
	cases := []struct {
		name string
		f    fdcheck.Func
	}{
		{"ElemAdd", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			a, b := half(x)
			r, err := tp.ElemAdd(a, b)
			return reduce(tp, r), err
		}},
		{"ElemSub", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			a, b := half(x)
			r, err := tp.ElemSub(a, b)
			return reduce(tp, r), err
		}},
		{"ElemAdd and ElemSub with constants and zeros", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			a := []ad.Var{x[0], ad.Const(0), x[1], ad.Const(2), x[2], ad.Const(0)}
			b := []ad.Var{ad.Const(0), x[3], x[4], x[5], ad.Const(1.5), ad.Const(0)}
			r, err := tp.ElemAdd(a, b)
			if err != nil {
				return ad.Var{}, err
			}
			s, err := tp.ElemSub(b, r)
			if err != nil {
				return ad.Var{}, err
			}
			q, err := tp.ElemSub(a, b)
			return tp.Add(reduce(tp, s), reduce(tp, q)), err
		}},
		{"ElemMul", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			a, b := half(x)
			r, err := tp.ElemMul(a, b)
			return reduce(tp, r), err
		}},
		{"ElemDiv", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			a, b := half(x)
			r, err := tp.ElemDiv(a, b)
			return reduce(tp, r), err
		}},
		{"Scalar broadcast", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			s := x[5]
			r := tp.AddScalar(x[:5], s)
			r = tp.SubScalar(r, tp.Square(s))
			r = tp.MulScalar(r, s)
			r = tp.DivScalar(r, tp.Exp(s))
			return reduce(tp, r), nil
		}},
		{"Dot", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			a, b := half(x)
			return tp.Dot(a, b)
		}},
		{"Dot with itself", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.Dot(x, x) }},
		{"DotData", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.DotData(x, weights(6)) }},
		{"DotSelf", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.DotSelf(x), nil }},
		{"Mean", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.Mean(x), nil }},
		{"Variance", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.Variance(x), nil }},
		{"Sd", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.Sd(x), nil }},
		{"LogSumExp", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.LogSumExp(x), nil }},
		{"LogSumExp of more than 8", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return tp.LogSumExp(append(append([]ad.Var{}, x...), x[1:]...)), nil
		}},
		{"Softmax", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return reduce(tp, tp.Softmax(x)), nil }},
		{"LogSoftmax", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return reduce(tp, tp.LogSoftmax(x)), nil }},
		{"Norm1", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.Norm1(x), nil }},
		{"Norm2", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.Norm2(x), nil }},
		{"SquaredDistance", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			a, b := half(x)
			return tp.SquaredDistance(a, b)
		}},
		{"Distance", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			a, b := half(x)
			return tp.Distance(a, b)
		}},
		{"CumulativeSum", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return reduce(tp, tp.CumulativeSum(x)), nil }},
		{"Prod", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.Prod(x), nil }},
		{"Max", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.Mul(tp.Max(x), x[0]), nil }},
		{"Min", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.Mul(tp.Min(x), x[0]), nil }},
		{"Softmax of mixed operands", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return reduce(tp, tp.Softmax([]ad.Var{x[0], ad.Const(1), x[1]})), nil
		}},
	}
	for _, c := range cases {
		if err := fdcheck.Check(c.f, x0, 1e-6); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestVectorValues(t *testing.T) {
	x := []float64{0.3, -1.2, 2.5, 0.7, -0.4, 1.1}
	cx := make([]ad.Var, len(x))
	for i, v := range x {
		cx[i] = ad.Const(v)
	}
	var tp *ad.Tape
	z := 0.0
	for _, v := range x {
		z += math.Exp(v)
	}
	lse := math.Log(z)
	check := func(name string, got, want float64) {
		t.Helper()
		if !(math.Abs(got-want) <= 1e-14*math.Max(1, math.Abs(want))) {
			t.Errorf("%s = %.17g, want %.17g", name, got, want)
		}
	}
	check("LogSumExp", tp.LogSumExp(cx).Val, lse)
	for i, s := range tp.Softmax(cx) {
		check("Softmax", s.Val, math.Exp(x[i])/z)
	}
	for i, s := range tp.LogSoftmax(cx) {
		check("LogSoftmax", s.Val, x[i]-lse)
	}
	check("Mean", tp.Mean(cx).Val, stat.Mean(x, nil))
	check("Variance", tp.Variance(cx).Val, stat.Variance(x, nil))
	check("Sd", tp.Sd(cx).Val, stat.StdDev(x, nil))
	check("DotSelf", tp.DotSelf(cx).Val, floats.Dot(x, x))
	d, _ := tp.Dot(cx[:3], cx[3:])
	check("Dot", d.Val, floats.Dot(x[:3], x[3:]))
	check("Norm1", tp.Norm1(cx).Val, floats.Norm(x, 1))
	check("Norm2", tp.Norm2(cx).Val, floats.Norm(x, 2))
	dist, _ := tp.Distance(cx[:3], cx[3:])
	check("Distance", dist.Val, floats.Distance(x[:3], x[3:], 2))
	sq, _ := tp.SquaredDistance(cx[:3], cx[3:])
	check("SquaredDistance", sq.Val, dist.Val*dist.Val)
	check("Prod", tp.Prod(cx).Val, floats.Prod(x))
	check("Max", tp.Max(cx).Val, floats.Max(x))
	check("Min", tp.Min(cx).Val, floats.Min(x))
	cum := make([]float64, len(x))
	floats.CumSum(cum, x)
	for i, c := range tp.CumulativeSum(cx) {
		check("CumulativeSum", c.Val, cum[i])
	}
	if v := tp.LogSumExp(nil).Val; !math.IsInf(v, -1) {
		t.Errorf("LogSumExp of nothing = %v, want -Inf", v)
	}
	big := []ad.Var{ad.Const(1000), ad.Const(1000)}
	check("LogSumExp without overflow", tp.LogSumExp(big).Val, 1000+math.Ln2)
}

// Prod's partials are exact with a zero element, where dividing the
// product by each element would give NaN.
func TestProdWithZero(t *testing.T) {
	tp := ad.NewTape()
	x := []ad.Var{tp.Var(2), tp.Var(0), tp.Var(3)}
	tp.Grad(tp.Prod(x))
	want := []float64{0, 6, 0}
	for i, w := range want {
		if g := tp.Adjoint(x[i]); g != w {
			t.Errorf("d prod / d x[%d] = %v, want %v", i, g, w)
		}
	}
}

func TestVectorSizeErrors(t *testing.T) {
	tp := ad.NewTape()
	a, b := []ad.Var{tp.Var(1), tp.Var(2)}, []ad.Var{tp.Var(3)}
	_, err := tp.ElemAdd(a, b)
	want := "add: size of a (2) and size of b (1) must match in size"
	if err == nil || err.Error() != want {
		t.Errorf("ElemAdd error %v, want %q", err, want)
	}
	if _, err := tp.Dot(a, b); err == nil {
		t.Error("Dot of different sizes: no error")
	}
}

func TestVectorConstants(t *testing.T) {
	for _, tp := range []*ad.Tape{ad.NewTape(), nil} {
		c := []ad.Var{ad.Const(1), ad.Const(2), ad.Const(-1)}
		outs := [][]ad.Var{tp.Softmax(c), tp.LogSoftmax(c), tp.AddScalar(c, ad.Const(2)),
			tp.SubScalar(c, ad.Const(2)), tp.MulScalar(c, ad.Const(2)), tp.DivScalar(c, ad.Const(2))}
		for _, f := range []func(a, b []ad.Var) ([]ad.Var, error){tp.ElemAdd, tp.ElemSub, tp.ElemMul, tp.ElemDiv} {
			r, err := f(c, c)
			if err != nil {
				t.Fatal(err)
			}
			outs = append(outs, r)
		}
		d, _ := tp.Dot(c, c)
		outs = append(outs, []ad.Var{tp.LogSumExp(c), tp.Mean(c), tp.Variance(c), tp.Sd(c), tp.DotSelf(c), d})
		for _, o := range outs {
			if ad.AnyVar(o) {
				t.Error("constant operands gave a variable")
			}
		}
		if tp != nil && tp.Len() != 0 {
			t.Errorf("constant operands recorded %d variables", tp.Len())
		}
	}
}

// Adding a constant zero returns the other operand and records nothing,
// unless IEEE addition would change the sign of a zero.
func TestElemAddZero(t *testing.T) {
	tp := ad.NewTape()
	x, nz := tp.Var(1.5), tp.Var(math.Copysign(0, -1))
	n := tp.Len()
	r, _ := tp.ElemAdd([]ad.Var{x, ad.Const(0)}, []ad.Var{ad.Const(0), x})
	s, _ := tp.ElemSub([]ad.Var{x}, []ad.Var{ad.Const(0)})
	if r[0] != x || r[1] != x || s[0] != x || tp.Len() != n {
		t.Errorf("x + 0, 0 + x, x - 0 = %v, %v, %v, recording %d variables; want x itself", r[0], r[1], s[0], tp.Len()-n)
	}
	// -0 + 0 is +0: a new variable with that value.
	r, _ = tp.ElemAdd([]ad.Var{nz}, []ad.Var{ad.Const(0)})
	if r[0] == nz || math.Signbit(r[0].Val) {
		t.Errorf("-0 + 0 = %v (the operand itself: %v), want +0", r[0].Val, r[0] == nz)
	}
}
