package transform

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
)

func simplexCase(k int) vecCase {
	out := make([]ad.Var, k)
	return vecCase{
		name: "simplex",
		n:    k - 1,
		con: func(t *ad.Tape, y []ad.Var, lj *ad.Var) ([]ad.Var, error) {
			return out, Simplex(t, y, out, lj)
		},
		unc: func(x []float64) ([]float64, error) {
			y := make([]float64, SimplexSize(len(x)))
			return y, UnconstrainSimplex(x, y)
		},
		free: func(x []float64) []float64 { return x[:k-1] },
	}
}

func init() {
	c := simplexCase(4)
	c.valid = [][]float64{{0.1, 0.2, 0.3, 0.4}, {0.97, 0.01, 0.01, 0.01}, {0.25, 0.25, 0.25, 0.25}}
	c.bad = []badValue{
		{[]float64{0.5, 0.5, 0.2, 0}, "simplex_free: Simplex variable is not a valid simplex. sum(Simplex variable) = 1.2, but should be 1"},
		{[]float64{0.5, 0.6, -0.1, 0}, "Simplex variable[3] = -0.1, but should be greater than or equal to 0"},
		{[]float64{0.5, 0.5, math.NaN(), 0}, "not a valid simplex"},
	}
	vecCases = append(vecCases, c)
	c = simplexCase(2)
	c.valid = [][]float64{{0.3, 0.7}}
	vecCases = append(vecCases, c, simplexCase(7))
}

// TestSimplexValues checks Stan's stick-breaking layout directly: y = 0 is
// the uniform simplex, and for K = 3 the first break is inv_logit(y1 - log 2).
func TestSimplexValues(t *testing.T) {
	out := make([]ad.Var, 5)
	if err := Simplex(nil, consts(make([]float64, 4)), out, nil); err != nil {
		t.Fatal(err)
	}
	checkClose(t, "simplex(0)", vals(out), []float64{0.2, 0.2, 0.2, 0.2, 0.2}, 1e-15)

	y1, y2 := 0.7, -1.3
	z1 := 1 / (1 + math.Exp(-(y1 - math.Log(2))))
	z2 := 1 / (1 + math.Exp(-y2))
	out = out[:3]
	lj := ad.Const(0)
	if err := Simplex(nil, consts([]float64{y1, y2}), out, &lj); err != nil {
		t.Fatal(err)
	}
	want := []float64{z1, (1 - z1) * z2, (1 - z1) * (1 - z2)}
	checkClose(t, "simplex", vals(out), want, 1e-15)
	// Stan's increments: log z_k + log(1 - z_k) + log(stick before k).
	wlj := math.Log(z1*(1-z1)) + math.Log(z2*(1-z2)) + math.Log(1-z1)
	if !near(lj.Val, wlj, 1e-14) {
		t.Errorf("lj = %v, want %v", lj.Val, wlj)
	}
	if err := Simplex(nil, consts([]float64{1}), out, nil); err == nil {
		t.Error("no error for mismatched sizes")
	}
	if err := UnconstrainSimplex([]float64{1}, nil); err != nil {
		t.Errorf("simplex[1]: %v", err)
	}
}
