package ad_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
	"github.com/gostan/gostan/internal/race"
)

func TestArithmeticGradients(t *testing.T) {
	f := func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a := tp.Mul(x[0], tp.Exp(x[1]))
		b := tp.Div(tp.Log(x[2]), tp.Sub(x[0], x[1]))
		return tp.Add(tp.Neg(a), tp.Sum([]ad.Var{a, b, b, x[2]})), nil
	}
	if err := fdcheck.Check(f, []float64{0.7, -0.3, 2.5}, 1e-7); err != nil {
		t.Fatal(err)
	}
}

func TestConstantsRecordNothing(t *testing.T) {
	tp := ad.NewTape()
	c := tp.Mul(ad.Const(2), tp.Exp(ad.Const(1)))
	if !c.IsConst() || tp.Len() != 0 || c.Val != 2*math.E {
		t.Fatalf("constant expression: %+v, tape length %d", c, tp.Len())
	}
	var nilTape *ad.Tape
	if v := nilTape.Add(ad.Const(1), ad.Const(2)); v.Val != 3 {
		t.Fatalf("nil tape: %v", v.Val)
	}
}

// A custom node y = x^2 checks that custom adjoints compose with statements.
func square(t *ad.Tape, x ad.Var) ad.Var {
	y := t.Var(x.Val * x.Val)
	t.Custom(squareBackward, []int32{x.ID(), y.ID()}, []float64{x.Val})
	return y
}

func squareBackward(adj []float64, ints []int32, flts []float64) {
	adj[ints[0]] += adj[ints[1]] * 2 * flts[0]
}

func TestCustomNode(t *testing.T) {
	f := func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		if x[0].IsConst() {
			return ad.Const(3 * x[0].Val * x[0].Val), nil
		}
		return tp.Mul(ad.Const(3), square(tp, x[0])), nil
	}
	if err := fdcheck.Check(f, []float64{1.3}, 1e-8); err != nil {
		t.Fatal(err)
	}
}

// TestStatement checks a statement recorded from gathered operands, one of
// them twice: y = x0 sin x1 + x1² + x0 written as partials.
func TestStatement(t *testing.T) {
	f := func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		v := x[0].Val*math.Sin(x[1].Val) + x[1].Val*x[1].Val + x[0].Val
		if x[0].IsConst() {
			return ad.Const(v), nil
		}
		ids := []int32{x[0].ID(), x[1].ID(), x[1].ID(), x[0].ID()}
		ds := []float64{math.Sin(x[1].Val), x[0].Val * math.Cos(x[1].Val), 2 * x[1].Val, 1}
		return tp.Statement(v, ids, ds), nil
	}
	if err := fdcheck.Check(f, []float64{0.8, -1.1}, 1e-8); err != nil {
		t.Fatal(err)
	}
	if v := ad.NewTape().Statement(2.5, nil, nil); !v.IsConst() || v.Val != 2.5 {
		t.Fatalf("no operands: %+v", v)
	}
}

func TestResetAllocatesNothing(t *testing.T) {
	tp := ad.NewTape()
	xs := make([]float64, 100)
	for i := range xs {
		xs[i] = float64(i) / 10
	}
	eval := func() {
		tp.Reset()
		vs := tp.Vars(len(xs))
		for i, x := range xs {
			vs[i] = tp.Exp(tp.Mul(tp.Var(x), ad.Const(0.5)))
		}
		y := tp.Log(tp.Sum(vs))
		tp.Grad(y)
	}
	eval()
	if a := testing.AllocsPerRun(100, eval); a != 0 && !race.Enabled {
		t.Fatalf("steady-state gradient allocates %v times", a)
	}
}
