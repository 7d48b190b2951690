package transform

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
)

func simplexILRCase(k int) vecCase {
	out := make([]ad.Var, k)
	return vecCase{
		name: "simplex_ilr",
		n:    k - 1,
		con: func(t *ad.Tape, y []ad.Var, lj *ad.Var) ([]ad.Var, error) {
			return out, SimplexILR(t, y, out, lj)
		},
		unc: func(x []float64) ([]float64, error) {
			y := make([]float64, SimplexSize(len(x)))
			return y, UnconstrainSimplexILR(x, y)
		},
		free: func(x []float64) []float64 { return x[:k-1] },
	}
}

func init() {
	c := simplexILRCase(4)
	c.valid = [][]float64{{0.1, 0.2, 0.3, 0.4}, {0.97, 0.01, 0.01, 0.01}, {0.25, 0.25, 0.25, 0.25}}
	c.bad = []badValue{
		{[]float64{0.5, 0.5, 0.2, 0}, "simplex_free: Simplex variable is not a valid simplex. sum(Simplex variable) = 1.2"},
		{[]float64{0.5, 0.6, -0.1, 0}, "Simplex variable[3] = -0.1, but should be greater than or equal to 0"},
	}
	vecCases = append(vecCases, c, simplexILRCase(2), simplexILRCase(7))
}

// TestSimplexILRValues checks SimplexILR against Stan Math's
// simplex_constrain (2.37) written out: z from the loop i = N..1 of
// w = y_i/√(i(i+1)), z_{i-1} += Σw, z_i -= i w, then softmax(z); its log
// Jacobian is Σ log x + ½ log K. Decreasing y gives an increasing simplex
// (the User's Guide's ordered simplexes rely on it).
func TestSimplexILRValues(t *testing.T) {
	y := []float64{0.7, -1.3, 0.4}
	n := len(y)
	z := make([]float64, n+1)
	sumW := 0.0
	for i := n; i > 0; i-- {
		w := y[i-1] / math.Sqrt(float64(i*(i+1)))
		sumW += w
		z[i-1] += sumW
		z[i] -= w * float64(i)
	}
	s := 0.0
	for _, v := range z {
		s += math.Exp(v)
	}
	want := make([]float64, n+1)
	wlj := 0.5 * math.Log(float64(n+1))
	for i, v := range z {
		want[i] = math.Exp(v) / s
		wlj += math.Log(want[i])
	}
	out := make([]ad.Var, n+1)
	lj := ad.Const(0)
	if err := SimplexILR(nil, consts(y), out, &lj); err != nil {
		t.Fatal(err)
	}
	checkClose(t, "simplex_constrain", vals(out), want, 1e-15)
	if !near(lj.Val, wlj, 1e-14) {
		t.Errorf("log Jacobian %v, want %v", lj.Val, wlj)
	}
	back := make([]float64, n)
	if err := UnconstrainSimplexILR(want, back); err != nil {
		t.Fatal(err)
	}
	checkClose(t, "simplex_free", back, y, 1e-14)

	if err := SimplexILR(nil, consts([]float64{-0.5, -1, -2}), out, nil); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(out); i++ {
		if !(out[i].Val > out[i-1].Val) {
			t.Errorf("simplex of a decreasing y is not increasing: %v", vals(out))
		}
	}
}
