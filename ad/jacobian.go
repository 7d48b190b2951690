package ad

import "gonum.org/v1/gonum/floats"

// Jacobian records m = len(vals) outputs that depend on a few inputs
// through the dense Jacobian jac, one column per input: jac[j*m+k] is the
// partial of output k with respect to in[j]. It is one custom node however
// many outputs there are, the shape of a covariance matrix built from a
// magnitude and a length scale: n² entries, two partials each, and a
// reverse pass of one dot product per input. Constant inputs are skipped;
// with none varying, the outputs are constants. The outputs come from the
// tape's arena.
func (t *Tape) Jacobian(vals []float64, in []Var, jac []float64) []Var {
	m := len(vals)
	r := t.vec(m)
	nv := 0
	for _, x := range in {
		if x.id != 0 {
			nv++
		}
	}
	if nv == 0 || m == 0 {
		for k, v := range vals {
			r[k] = Const(v)
		}
		return r
	}
	// ints: m, first output ID, then the IDs of the varying inputs; flts:
	// their columns of jac.
	ints, flts := t.CustomSpace(2+nv, nv*m)
	ints[0] = int32(m)
	q := 0
	for j, x := range in {
		if x.id != 0 {
			ints[2+q] = x.id
			copy(flts[q*m:(q+1)*m], jac[j*m:(j+1)*m])
			q++
		}
	}
	ints[1] = t.outputs(r, vals, true)
	t.CustomCommit(jacobianBackward, 2+nv, nv*m)
	return r
}

func jacobianBackward(adj []float64, ints []int32, flts []float64) {
	m, out := int(ints[0]), int(ints[1])
	a := adj[out : out+m]
	for q, id := range ints[2:] {
		adj[id] += floats.Dot(a, flts[q*m:(q+1)*m])
	}
}
