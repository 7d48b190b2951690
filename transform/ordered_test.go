package transform

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
)

func orderedCase(name string, k int, con func(*ad.Tape, []ad.Var, []ad.Var, *ad.Var) error,
	unc func(x, y []float64) error) vecCase {
	out := make([]ad.Var, k)
	return vecCase{
		name: name,
		n:    k,
		con: func(t *ad.Tape, y []ad.Var, lj *ad.Var) ([]ad.Var, error) {
			return out, con(t, y, out, lj)
		},
		unc: func(x []float64) ([]float64, error) {
			y := make([]float64, len(x))
			return y, unc(x, y)
		},
		free: func(x []float64) []float64 { return x },
	}
}

func init() {
	c := orderedCase("ordered", 4, Ordered, UnconstrainOrdered)
	c.valid = [][]float64{{-3, -1, 0.5, 10}, {1, 1.000001, 2, 3}}
	c.bad = []badValue{
		{[]float64{1, 2, 2, 3}, "ordered_free: Ordered variable is not a valid ordered vector. The element at 3 is 2, but should be greater than the previous element, 2"},
		{[]float64{1, 0, 2, 3}, "The element at 2 is 0"},
	}
	p := orderedCase("positive_ordered", 4, PositiveOrdered, UnconstrainPositiveOrdered)
	p.valid = [][]float64{{0.1, 1, 2.5, 10}, {1e-3, 1, 1.5, 1.6}}
	p.bad = []badValue{
		{[]float64{-1, 2, 3, 4}, "positive_ordered_free: Positive ordered variable is not a valid positive_ordered vector. The element at 1 is -1, but should be positive."},
		{[]float64{1, 2, 1.5, 4}, "The element at 3 is 1.5, but should be greater than the previous element, 2"},
	}
	vecCases = append(vecCases, c, p,
		orderedCase("ordered", 1, Ordered, UnconstrainOrdered),
		orderedCase("positive_ordered", 1, PositiveOrdered, UnconstrainPositiveOrdered))
}

func TestOrderedValues(t *testing.T) {
	y := []float64{0.5, -1, 2}
	out := make([]ad.Var, 3)
	lj := ad.Const(0)
	if err := Ordered(nil, consts(y), out, &lj); err != nil {
		t.Fatal(err)
	}
	checkClose(t, "ordered", vals(out), []float64{0.5, 0.5 + math.Exp(-1), 0.5 + math.Exp(-1) + math.Exp(2)}, 1e-15)
	if lj.Val != 1 {
		t.Errorf("ordered lj = %v, want 1", lj.Val)
	}
	lj = ad.Const(0)
	if err := PositiveOrdered(nil, consts(y), out, &lj); err != nil {
		t.Fatal(err)
	}
	checkClose(t, "positive_ordered", vals(out), []float64{math.Exp(0.5), math.Exp(0.5) + math.Exp(-1), math.Exp(0.5) + math.Exp(-1) + math.Exp(2)}, 1e-15)
	if lj.Val != 1.5 {
		t.Errorf("positive_ordered lj = %v, want 1.5", lj.Val)
	}
	if err := Ordered(nil, consts(y), out[:2], nil); err == nil {
		t.Error("no error for mismatched sizes")
	}
	if err := Ordered(nil, nil, nil, &lj); err != nil {
		t.Errorf("empty ordered: %v", err)
	}
}
