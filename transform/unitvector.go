package transform

import (
	"math"

	"github.com/gostan/gostan/ad"
)

// UnitVector maps y to the unit vector out = y / |y| (same length), Stan's
// unit_vector_constrain, and adds -|y|^2 / 2 to lj: not a Jacobian, since
// the map is not one to one, but the term that makes the radius a
// chi-distributed variable independent of the direction, so that a density
// on the unit vector becomes a proper density on y. It fails when |y|^2 is 0
// or infinite.
func UnitVector(t *ad.Tape, y, out []ad.Var, lj *ad.Var) error {
	const fn = "unit_vector_constrain"
	k := len(y)
	if len(out) != k {
		return sizeError(fn, "unit vector", len(out), k)
	}
	if k == 0 {
		return errorf(fn, "y has size 0, but must have a non-zero size")
	}
	sn := 0.0
	for _, v := range y {
		sn += v.Val * v.Val
	}
	if !(sn > 0) || math.IsInf(sn, 1) {
		return errorf(fn, "norm is %v, but must be positive finite!", sn)
	}
	r := math.Sqrt(sn)
	if !ad.AnyVar(y) {
		for i, v := range y {
			out[i] = ad.Const(v.Val / r)
		}
	} else {
		// Node data: ints = y ids, x ids; flts = x, |y|.
		ints, flts := t.CustomSpace(2*k, k+1)
		for i, v := range y {
			flts[i] = v.Val / r
			out[i] = t.Var(flts[i])
			ints[i], ints[k+i] = v.ID(), out[i].ID()
		}
		flts[k] = r
		t.CustomCommit(unitVectorBackward, 2*k, k+1)
	}
	if lj != nil {
		b := t.Begin()
		b.Add(*lj, 1)
		for _, v := range y {
			b.Add(v, -v.Val)
		}
		*lj = b.End(lj.Val - 0.5*sn)
	}
	return nil
}

// unitVectorBackward: dx/dy = (I - x x^T) / |y|.
func unitVectorBackward(adj []float64, ints []int32, flts []float64) {
	k := len(flts) - 1
	x, r := flts[:k], flts[k]
	d := 0.0
	for i := range k {
		d += adj[ints[k+i]] * x[i]
	}
	for i := range k {
		adj[ints[i]] += (adj[ints[k+i]] - x[i]*d) / r
	}
}

// UnconstrainUnitVector writes the unit vector x to y, Stan's
// unit_vector_free, after checking that it has unit length.
func UnconstrainUnitVector(x, y []float64) error {
	const fn = "unit_vector_free"
	if len(y) != len(x) {
		return sizeError(fn, "unconstrained unit vector", len(y), len(x))
	}
	if len(x) == 0 {
		return errorf(fn, "Unit vector variable has size 0, but must have a non-zero size")
	}
	sn := 0.0
	for _, v := range x {
		sn += v * v
	}
	if !(math.Abs(1-sn) <= constraintTolerance) {
		return errorf(fn, "Unit vector variable is not a valid unit vector. The sum of the squares of the elements should be 1, but is %v", sn)
	}
	copy(y, x)
	return nil
}
