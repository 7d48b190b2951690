package transform

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
)

func unitVectorCase(k int) vecCase {
	out := make([]ad.Var, k)
	return vecCase{
		name: "unit_vector",
		n:    k,
		con: func(t *ad.Tape, y []ad.Var, lj *ad.Var) ([]ad.Var, error) {
			return out, UnitVector(t, y, out, lj)
		},
		unc: func(x []float64) ([]float64, error) {
			y := make([]float64, len(x))
			return y, UnconstrainUnitVector(x, y)
		},
		many: true,
	}
}

func init() {
	c := unitVectorCase(3)
	c.valid = [][]float64{{0.6, 0, -0.8}, {0, 1, 0}}
	c.bad = []badValue{
		{[]float64{0.6, 0.1, -0.8}, "unit_vector_free: Unit vector variable is not a valid unit vector. The sum of the squares of the elements should be 1, but is 1.01"},
		{[]float64{}, "non-zero size"},
	}
	vecCases = append(vecCases, c, unitVectorCase(1), unitVectorCase(6))
}

func TestUnitVectorValues(t *testing.T) {
	y := []float64{3, -4, 12}
	out := make([]ad.Var, 3)
	lj := ad.Const(1)
	if err := UnitVector(nil, consts(y), out, &lj); err != nil {
		t.Fatal(err)
	}
	checkClose(t, "unit_vector", vals(out), []float64{3.0 / 13, -4.0 / 13, 12.0 / 13}, 1e-15)
	if lj.Val != 1-0.5*169 {
		t.Errorf("lj = %v, want %v", lj.Val, 1-0.5*169)
	}
	for _, bad := range [][]float64{{0, 0, 0}, {math.Inf(1), 0, 0}, {math.NaN(), 1, 1}} {
		if err := UnitVector(nil, consts(bad), out, &lj); err == nil {
			t.Errorf("no error for %v", bad)
		}
	}
	if err := UnitVector(nil, consts([]float64{0, 0, 0}), out, &lj); err == nil ||
		err.Error() != "unit_vector_constrain: norm is 0, but must be positive finite!" {
		t.Errorf("zero vector: %v", err)
	}
}
