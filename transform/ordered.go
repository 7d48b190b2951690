package transform

import (
	"math"

	"github.com/gostan/gostan/ad"
)

// Ordered maps y to the increasing vector out (same length) by Stan's
// ordered_constrain: x_1 = y_1, x_k = x_{k-1} + exp(y_k). It adds
// sum_{k>1} y_k to lj.
func Ordered(t *ad.Tape, y, out []ad.Var, lj *ad.Var) error {
	if len(out) != len(y) {
		return sizeError("ordered_constrain", "ordered vector", len(out), len(y))
	}
	increasing(t, y, out, false)
	if lj != nil && len(y) > 1 {
		*lj = sumInto(t, *lj, y[1:])
	}
	return nil
}

// PositiveOrdered maps y to the positive increasing vector out by Stan's
// positive_ordered_constrain: x_1 = exp(y_1), x_k = x_{k-1} + exp(y_k). It
// adds sum_k y_k to lj.
func PositiveOrdered(t *ad.Tape, y, out []ad.Var, lj *ad.Var) error {
	if len(out) != len(y) {
		return sizeError("positive_ordered_constrain", "positive ordered vector", len(out), len(y))
	}
	increasing(t, y, out, true)
	if lj != nil {
		*lj = sumInto(t, *lj, y)
	}
	return nil
}

// sumInto returns acc + sum(v) as one statement.
func sumInto(t *ad.Tape, acc ad.Var, v []ad.Var) ad.Var {
	b := t.Begin()
	b.Add(acc, 1)
	s := acc.Val
	for _, x := range v {
		s += x.Val
		b.Add(x, 1)
	}
	return b.End(s)
}

// increasing computes the cumulative sums of exp(y) (of y_1 itself for the
// first element unless positive) as one custom node.
func increasing(t *ad.Tape, y, out []ad.Var, positive bool) {
	k := len(y)
	if k == 0 {
		return
	}
	first := func(v float64) (x, d float64) {
		if positive {
			e := math.Exp(v)
			return e, e
		}
		return v, 1
	}
	if !ad.AnyVar(y) {
		s, _ := first(y[0].Val)
		out[0] = ad.Const(s)
		for i := 1; i < k; i++ {
			s += math.Exp(y[i].Val)
			out[i] = ad.Const(s)
		}
		return
	}
	// Node data: ints = y ids, x ids; flts = dx_k/dy_k.
	ints, flts := t.CustomSpace(2*k, k)
	s, d := first(y[0].Val)
	flts[0] = d
	for i := range k {
		if i > 0 {
			flts[i] = math.Exp(y[i].Val)
			s += flts[i]
		}
		out[i] = t.Var(s)
		ints[i] = y[i].ID()
		ints[k+i] = out[i].ID()
	}
	t.CustomCommit(increasingBackward, 2*k, k)
}

// increasingBackward: dx_j/dy_k = d_k for j >= k, so y_k's adjoint is d_k
// times the sum of the adjoints of x_k..x_K.
func increasingBackward(adj []float64, ints []int32, flts []float64) {
	k := len(flts)
	acc := 0.0
	for i := k - 1; i >= 0; i-- {
		acc += adj[ints[k+i]]
		adj[ints[i]] += acc * flts[i]
	}
}

// UnconstrainOrdered writes to y the unconstrained coordinates of the
// strictly increasing vector x, Stan's ordered_free.
func UnconstrainOrdered(x, y []float64) error {
	const fn = "ordered_free"
	if len(y) != len(x) {
		return sizeError(fn, "unconstrained ordered vector", len(y), len(x))
	}
	if err := checkOrdered(fn, "Ordered variable", "ordered", x); err != nil {
		return err
	}
	for i := range x {
		if i == 0 {
			y[0] = x[0]
		} else {
			y[i] = math.Log(x[i] - x[i-1])
		}
	}
	return nil
}

// UnconstrainPositiveOrdered writes to y the unconstrained coordinates of
// the positive, strictly increasing vector x, Stan's positive_ordered_free.
func UnconstrainPositiveOrdered(x, y []float64) error {
	const fn = "positive_ordered_free"
	if len(y) != len(x) {
		return sizeError(fn, "unconstrained positive ordered vector", len(y), len(x))
	}
	if len(x) > 0 && !(x[0] >= 0) {
		return errorf(fn, "Positive ordered variable is not a valid positive_ordered vector. The element at 1 is %v, but should be positive.", x[0])
	}
	if err := checkOrdered(fn, "Positive ordered variable", "positive_ordered", x); err != nil {
		return err
	}
	for i := range x {
		if i == 0 {
			y[0] = math.Log(x[0])
		} else {
			y[i] = math.Log(x[i] - x[i-1])
		}
	}
	return nil
}

func checkOrdered(fn, name, kind string, x []float64) error {
	for i := 1; i < len(x); i++ {
		if !(x[i] > x[i-1]) {
			return errorf(fn, "%s is not a valid %s vector. The element at %d is %v, but should be greater than the previous element, %v", name, kind, i+1, x[i], x[i-1])
		}
	}
	return nil
}
