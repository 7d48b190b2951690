package transform

import (
	"math"
	"strings"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
	"github.com/gostan/gostan/internal/race"
)

type scalarCase struct {
	name string
	con  func(t *ad.Tape, x, a, b ad.Var, lj *ad.Var) (ad.Var, error)
	unc  func(y, a, b float64) (float64, error)
	a, b float64
	ys   []float64 // constrained values inside the support
	bad  []float64 // constrained values outside it
	err  string    // expected error for bad[0]
}

var inf = math.Inf(1)

var scalarCases = []scalarCase{
	{name: "lower", a: 1.5, ys: []float64{1.5 + 1e-6, 2, 40}, bad: []float64{-1}, err: "lb_free: Lower bounded variable is -1, but must be greater than or equal to 1.5",
		con: func(t *ad.Tape, x, a, _ ad.Var, lj *ad.Var) (ad.Var, error) { return Lower(t, x, a, lj), nil },
		unc: func(y, a, _ float64) (float64, error) { return UnconstrainLower(y, a) }},
	{name: "lower-inf", a: -inf, ys: []float64{-3, 2},
		con: func(t *ad.Tape, x, a, _ ad.Var, lj *ad.Var) (ad.Var, error) { return Lower(t, x, a, lj), nil },
		unc: func(y, a, _ float64) (float64, error) { return UnconstrainLower(y, a) }},
	{name: "upper", b: -2, ys: []float64{-2.5, -100}, bad: []float64{0}, err: "ub_free: Upper bounded variable is 0, but must be less than or equal to -2",
		con: func(t *ad.Tape, x, _, b ad.Var, lj *ad.Var) (ad.Var, error) { return Upper(t, x, b, lj), nil },
		unc: func(y, _, b float64) (float64, error) { return UnconstrainUpper(y, b) }},
	{name: "upper-inf", b: inf, ys: []float64{-3, 2},
		con: func(t *ad.Tape, x, _, b ad.Var, lj *ad.Var) (ad.Var, error) { return Upper(t, x, b, lj), nil },
		unc: func(y, _, b float64) (float64, error) { return UnconstrainUpper(y, b) }},
	{name: "lower-upper", a: -1, b: 3, ys: []float64{-0.999, 0, 1, 2.9}, bad: []float64{3.5, -2}, err: "lub_free: Bounded variable is 3.5, but must be in the interval [-1, 3]",
		con: LowerUpper, unc: UnconstrainLowerUpper},
	{name: "lower-upper-lower-only", a: 0, b: inf, ys: []float64{0.1, 5}, bad: []float64{-1}, err: "lb_free",
		con: LowerUpper, unc: UnconstrainLowerUpper},
	{name: "lower-upper-upper-only", a: -inf, b: 1, ys: []float64{0.9, -5}, bad: []float64{2}, err: "ub_free",
		con: LowerUpper, unc: UnconstrainLowerUpper},
	{name: "lower-upper-none", a: -inf, b: inf, ys: []float64{0.9, -5},
		con: LowerUpper, unc: UnconstrainLowerUpper},
	{name: "offset-multiplier", a: 2, b: 0.25, ys: []float64{-3, 2, 7},
		con: OffsetMultiplier, unc: UnconstrainOffsetMultiplier},
}

func TestScalarRoundTripAndJacobian(t *testing.T) {
	for _, c := range scalarCases {
		for _, y := range c.ys {
			x, err := c.unc(y, c.a, c.b)
			if err != nil {
				t.Fatalf("%s: unconstrain %v: %v", c.name, y, err)
			}
			lj := ad.Const(0)
			got, err := c.con(nil, ad.Const(x), ad.Const(c.a), ad.Const(c.b), &lj)
			if err != nil {
				t.Fatalf("%s: constrain %v: %v", c.name, x, err)
			}
			if !near(got.Val, y, 1e-12) {
				t.Errorf("%s: constrain(unconstrain(%v)) = %v", c.name, y, got.Val)
			}
			f := func(v []float64) []float64 {
				r, _ := c.con(nil, ad.Const(v[0]), ad.Const(c.a), ad.Const(c.b), nil)
				return []float64{r.Val}
			}
			if want := fdLogDet(f, []float64{x}); !near(lj.Val, want, 1e-7) {
				t.Errorf("%s at x=%v: log-Jacobian %.12g, finite differences %.12g", c.name, x, lj.Val, want)
			}
		}
	}
}

func TestScalarGradients(t *testing.T) {
	for _, c := range scalarCases {
		// Finite bounds are variables too, as Stan allows parameter bounds.
		f := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
			a, b := v[1], v[2]
			if math.IsInf(c.a, 0) {
				a = ad.Const(c.a)
			}
			if math.IsInf(c.b, 0) {
				b = ad.Const(c.b)
			}
			lj := ad.Const(0.5)
			y, err := c.con(tp, v[0], a, b, &lj)
			if err != nil {
				return ad.Var{}, err
			}
			return weighted(tp, []ad.Var{y}, lj), nil
		}
		for _, x := range []float64{-2.5, 0.3, 1.7} {
			if err := fdcheck.Check(f, []float64{x, c.a, c.b}, 1e-6); err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
		}
	}
}

func TestScalarErrors(t *testing.T) {
	for _, c := range scalarCases {
		for i, y := range c.bad {
			_, err := c.unc(y, c.a, c.b)
			if err == nil {
				t.Errorf("%s: unconstrain(%v) gave no error", c.name, y)
				continue
			}
			if i == 0 && !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %q, want %q", c.name, err, c.err)
			}
		}
	}
	lj := ad.Const(0)
	if _, err := LowerUpper(nil, ad.Const(0), ad.Const(2), ad.Const(1), &lj); err == nil ||
		err.Error() != "lub_constrain: lb is 2, but must be less than 1" {
		t.Errorf("LowerUpper with lb > ub: %v", err)
	}
	for _, om := range [][2]float64{{inf, 1}, {0, 0}, {0, -1}, {0, inf}, {math.NaN(), 1}} {
		if _, err := OffsetMultiplier(nil, ad.Const(0), ad.Const(om[0]), ad.Const(om[1]), &lj); err == nil {
			t.Errorf("OffsetMultiplier(offset %v, multiplier %v) gave no error", om[0], om[1])
		}
		if _, err := UnconstrainOffsetMultiplier(0, om[0], om[1]); err == nil {
			t.Errorf("UnconstrainOffsetMultiplier(offset %v, multiplier %v) gave no error", om[0], om[1])
		}
	}
	if _, err := UnconstrainOffsetMultiplier(0, 0, -1); err == nil ||
		err.Error() != "offset_multiplier_free: multiplier is -1, but must be positive finite!" {
		t.Errorf("multiplier error: %v", err)
	}
}

// TestLowerUpperExtreme checks that a finite x stays strictly inside the
// interval and its log-Jacobian stays finite, as in Stan.
func TestLowerUpperExtreme(t *testing.T) {
	for _, x := range []float64{-800, 800} {
		lj := ad.Const(0)
		y, _ := LowerUpper(nil, ad.Const(x), ad.Const(0), ad.Const(1), &lj)
		if !(y.Val > 0 && y.Val < 1) || math.IsInf(lj.Val, 0) {
			t.Errorf("x=%v: y=%v, lj=%v", x, y.Val, lj.Val)
		}
		if want := -math.Abs(x); !near(lj.Val, want, 1e-12) {
			t.Errorf("x=%v: lj=%v, want %v", x, lj.Val, want)
		}
	}
}

// TestScalarAllocs checks that the scalar transforms allocate nothing on a
// reused tape.
func TestScalarAllocs(t *testing.T) {
	tp := ad.NewTape()
	var lj ad.Var
	run := func() {
		tp.Reset()
		x, lb, ub := tp.Var(0.3), tp.Var(-1), tp.Var(2)
		lj = ad.Var{}
		a := Lower(tp, x, lb, &lj)
		b := Upper(tp, x, ad.Const(1), &lj)
		c, _ := LowerUpper(tp, x, lb, ub, &lj)
		d, _ := OffsetMultiplier(tp, x, lb, ub, &lj)
		tp.Grad(weighted(tp, []ad.Var{a, b, c, d}, lj))
	}
	run()
	if n := testing.AllocsPerRun(20, run); n != 0 && !race.Enabled {
		t.Errorf("%v allocations per run", n)
	}
}
