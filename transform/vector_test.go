package transform

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
	"github.com/gostan/gostan/internal/race"
)

// vecCase describes a vector or matrix transform for the shared tests.
type vecCase struct {
	name string
	n    int // unconstrained length
	con  func(t *ad.Tape, y []ad.Var, lj *ad.Var) ([]ad.Var, error)
	unc  func(x []float64) ([]float64, error)
	// free picks the coordinates of a constrained value that the Jacobian
	// is taken with respect to: n of them.
	free  func(x []float64) []float64
	valid [][]float64 // constrained values inside the support
	bad   []badValue
	// many says that many y map to one value (unit_vector): no inverse
	// from the y side and no Jacobian determinant to compare.
	many bool
	// constJacobian: the transform adds nothing to lj, its Jacobian in the
	// free coordinates being constant (sum_to_zero).
	constJacobian bool
}

type badValue struct {
	x   []float64
	err string // substring of the expected error
}

var vecCases []vecCase

// randomY returns reproducible unconstrained points of moderate size.
func randomY(n, count int) [][]float64 {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	ys := make([][]float64, count)
	for i := range ys {
		ys[i] = make([]float64, n)
		for j := range ys[i] {
			ys[i][j] = r.NormFloat64()
		}
	}
	return ys
}

func constrain(c vecCase, y []float64) ([]float64, float64, error) {
	lj := ad.Const(0)
	out, err := c.con(nil, consts(y), &lj)
	return vals(out), lj.Val, err
}

func TestVectorRoundTrip(t *testing.T) {
	for _, c := range vecCases {
		for _, x := range c.valid {
			y, err := c.unc(x)
			if err != nil {
				t.Fatalf("%s: unconstrain %v: %v", c.name, x, err)
			}
			if len(y) != c.n {
				t.Fatalf("%s: unconstrained length %d, want %d", c.name, len(y), c.n)
			}
			got, _, err := constrain(c, y)
			if err != nil {
				t.Fatalf("%s: constrain: %v", c.name, err)
			}
			checkClose(t, c.name+" constrain(unconstrain(x))", got, x, 1e-10)
		}
		if c.many {
			continue
		}
		for _, y := range randomY(c.n, 5) {
			x, _, err := constrain(c, y)
			if err != nil {
				t.Fatalf("%s: constrain: %v", c.name, err)
			}
			back, err := c.unc(x)
			if err != nil {
				t.Fatalf("%s: unconstrain %v: %v", c.name, x, err)
			}
			checkClose(t, c.name+" unconstrain(constrain(y))", back, y, 1e-8)
		}
	}
}

func TestVectorJacobian(t *testing.T) {
	for _, c := range vecCases {
		if c.many {
			continue
		}
		first := math.NaN()
		for _, y := range randomY(c.n, 4) {
			_, lj, err := constrain(c, y)
			if err != nil {
				t.Fatal(err)
			}
			f := func(v []float64) []float64 {
				x, _, _ := constrain(c, v)
				return c.free(x)
			}
			want := fdLogDet(f, y)
			if c.constJacobian {
				if math.IsNaN(first) {
					first = want
				}
				if lj != 0 || !near(want, first, 1e-6) {
					t.Errorf("%s at %v: log-Jacobian %.12g, want 0 for a constant %.12g (here %.12g)", c.name, y, lj, first, want)
				}
				continue
			}
			if !near(lj, want, 1e-6) {
				t.Errorf("%s at %v: log-Jacobian %.12g, finite differences %.12g", c.name, y, lj, want)
			}
		}
	}
}

func TestVectorGradient(t *testing.T) {
	for _, c := range vecCases {
		f := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
			lj := ad.Const(0.25)
			out, err := c.con(tp, v, &lj)
			if err != nil {
				return ad.Var{}, err
			}
			return weighted(tp, out, lj), nil
		}
		// Without the Jacobian, too.
		g := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
			out, err := c.con(tp, v, nil)
			if err != nil {
				return ad.Var{}, err
			}
			return weighted(tp, out, ad.Var{}), nil
		}
		for _, y := range randomY(c.n, 3) {
			if err := fdcheck.Check(f, y, 1e-6); err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			if err := fdcheck.Check(g, y, 1e-6); err != nil {
				t.Errorf("%s without Jacobian: %v", c.name, err)
			}
		}
	}
}

func TestVectorErrors(t *testing.T) {
	for _, c := range vecCases {
		for _, b := range c.bad {
			_, err := c.unc(b.x)
			if err == nil || !strings.Contains(err.Error(), b.err) {
				t.Errorf("%s: unconstrain(%v) error %v, want %q", c.name, b.x, err, b.err)
			}
		}
	}
}

// TestConstrainAllocs checks that constraining on a reused tape allocates
// nothing once the tape has grown.
func TestConstrainAllocs(t *testing.T) {
	tp := ad.NewTape()
	for _, c := range vecCases {
		y0 := randomY(c.n, 1)[0]
		y := make([]ad.Var, c.n)
		var out []ad.Var
		var lj ad.Var // outside run: &lj passed to a func value escapes
		run := func() {
			tp.Reset()
			for i, v := range y0 {
				y[i] = tp.Var(v)
			}
			lj = ad.Var{}
			var err error
			out, err = c.con(tp, y, &lj)
			if err != nil {
				t.Fatal(err)
			}
			tp.Grad(weighted(tp, out, lj))
		}
		run()
		if n := testing.AllocsPerRun(20, run); n != 0 && !race.Enabled {
			t.Errorf("%s: %v allocations per run", c.name, n)
		}
	}
}

// TestConstantsRecordNothing checks that constant inputs give constant
// results and leave the tape empty.
func TestConstantsRecordNothing(t *testing.T) {
	tp := ad.NewTape()
	for _, c := range vecCases {
		lj := ad.Const(0)
		out, err := c.con(tp, consts(randomY(c.n, 1)[0]), &lj)
		if err != nil {
			t.Fatal(err)
		}
		if tp.Len() != 0 || ad.AnyVar(out) || !lj.IsConst() {
			t.Errorf("%s: constants recorded %d variables", c.name, tp.Len())
		}
	}
}
