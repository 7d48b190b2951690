package transform

import (
	"math"

	"github.com/gostan/gostan/ad"
)

// The sum-to-zero transforms (Stan 2.36) are linear isometries: a
// sum_to_zero_vector[K] is V y, where the K-1 columns of V are an
// orthonormal basis of the vectors that sum to zero, and a
// sum_to_zero_matrix[N, M] is P X Qᵀ with such bases P and Q of its
// columns and rows. Their Jacobians are constant, so nothing is added to
// the log density, and each inverse is the transpose.
//
// The bases are Helmert's, with a_k = 1/√((k+1)(k+2)) and b_k = (k+1) a_k
// (0-based k), so that each basis vector has unit norm and sums to zero:
//
//	vector: v_k = a_k at 0..k, -b_k at k+1, 0 after;
//	matrix: p_k = -a_k at 0..k-1, b_k at k, 0 after, but -a_k at the end.
//
// These are the coordinates Stan's sum_to_zero_constrain uses, for
// vectors and for matrices respectively.

func helmert(k int) (a, b float64) {
	a = 1 / math.Sqrt(float64(k+1)*float64(k+2))
	return a, float64(k+1) * a
}

// helmertV sets z (n+1 values) to V y (n values).
func helmertV(n int, y func(int) float64, z func(int, float64)) {
	suffix := 0.0 // Σ_{k ≥ p} a_k y_k
	for p := n; p >= 0; p-- {
		if p < n {
			a, _ := helmert(p)
			suffix += a * y(p)
		}
		v := suffix
		if p >= 1 {
			_, b := helmert(p - 1)
			v -= b * y(p-1)
		}
		z(p, v)
	}
}

// helmertVT sets y (n values) to Vᵀ z (n+1 values).
func helmertVT(n int, z func(int) float64, y func(int, float64)) {
	prefix := 0.0 // Σ_{p ≤ k} z_p
	for k := range n {
		prefix += z(k)
		a, b := helmert(k)
		y(k, a*prefix-b*z(k+1))
	}
}

// helmertP sets z (n+1 values) to P x (n values).
func helmertP(n int, x func(int) float64, z func(int, float64)) {
	suffix := 0.0 // Σ_{k > r} a_k x_k
	for r := n - 1; r >= 0; r-- {
		a, b := helmert(r)
		z(r, b*x(r)-suffix)
		suffix += a * x(r)
	}
	z(n, -suffix)
}

// helmertPT sets x (n values) to Pᵀ z (n+1 values).
func helmertPT(n int, z func(int) float64, x func(int, float64)) {
	prefix := 0.0 // Σ_{r < k} z_r
	last := z(n)
	for k := range n {
		a, b := helmert(k)
		x(k, -a*prefix+b*z(k)-a*last)
		prefix += z(k)
	}
}

// SumToZeroSize is the unconstrained size of a sum_to_zero_vector[k].
func SumToZeroSize(k int) int { return max(k-1, 0) }

// SumToZeroMatrixSize is the unconstrained size of a
// sum_to_zero_matrix[n, m].
func SumToZeroMatrixSize(n, m int) int { return max(n-1, 0) * max(m-1, 0) }

// SumToZero maps y (k-1 values) to the sum_to_zero_vector[k] out. Its
// Jacobian is constant: lj is left as it is.
func SumToZero(t *ad.Tape, y, out []ad.Var, _ *ad.Var) error {
	k := len(out)
	if k == 0 {
		return errorf("sum_to_zero_constrain", "a sum_to_zero_vector needs at least one element")
	}
	if len(y) != SumToZeroSize(k) {
		return sizeError("sum_to_zero_constrain", "unconstrained sum_to_zero_vector", len(y), SumToZeroSize(k))
	}
	n := k - 1
	get := func(i int) float64 { return y[i].Val }
	if !ad.AnyVar(y) {
		helmertV(n, get, func(p int, v float64) { out[p] = ad.Const(v) })
		return nil
	}
	// One node: ints = y ids, x ids.
	ints, _ := t.CustomSpace(n+k, 0)
	helmertV(n, get, func(p int, v float64) {
		out[p] = t.Var(v)
		ints[n+p] = out[p].ID()
	})
	for i, v := range y {
		ints[i] = v.ID()
	}
	t.CustomCommit(sumToZeroBackward, n+k, 0)
	return nil
}

func sumToZeroBackward(adj []float64, ints []int32, _ []float64) {
	n := (len(ints) - 1) / 2
	y, x := ints[:n], ints[n:]
	helmertVT(n, func(p int) float64 { return adj[x[p]] }, func(k int, v float64) { adj[y[k]] += v })
}

// UnconstrainSumToZero writes to y (k-1 values) the coordinates of the
// sum_to_zero_vector x (k values).
func UnconstrainSumToZero(x, y []float64) error {
	const fn = "sum_to_zero_free"
	k := len(x)
	if k == 0 {
		return errorf(fn, "a sum_to_zero_vector needs at least one element")
	}
	if len(y) != SumToZeroSize(k) {
		return sizeError(fn, "unconstrained sum_to_zero_vector", len(y), SumToZeroSize(k))
	}
	if err := checkSumToZero(fn, x, k, 1, 0); err != nil {
		return err
	}
	helmertVT(k-1, func(p int) float64 { return x[p] }, func(i int, v float64) { y[i] = v })
	return nil
}

// SumToZeroMatrix maps y ((n-1)×(m-1), column-major) to the
// sum_to_zero_matrix[n, m] out: P on each column, then Q on each row. Its
// Jacobian is constant: lj is left as it is.
func SumToZeroMatrix(t *ad.Tape, y, out []ad.Var, n, m int, _ *ad.Var) error {
	if n < 1 || m < 1 || len(out) != n*m || len(y) != SumToZeroMatrixSize(n, m) {
		return sizeError("sum_to_zero_constrain", "unconstrained sum_to_zero_matrix", len(y), SumToZeroMatrixSize(n, m))
	}
	ny := len(y)
	if ny == 0 {
		for i := range out {
			out[i] = ad.Const(0)
		}
		return nil
	}
	// The n×(m-1) intermediate lives in the node's floats, which the
	// backward pass reuses for the adjoints'.
	constant := !ad.AnyVar(y)
	var ints []int32
	var tmp []float64
	if constant {
		tmp = make([]float64, n*(m-1))
	} else {
		ints, tmp = t.CustomSpace(2+ny+n*m, n*(m-1))
	}
	for j := range m - 1 {
		col := y[j*(n-1):]
		helmertP(n-1, func(i int) float64 { return col[i].Val }, func(r int, v float64) { tmp[j*n+r] = v })
	}
	for i := range n {
		helmertP(m-1, func(c int) float64 { return tmp[i+c*n] }, func(c int, v float64) {
			if constant {
				out[i+c*n] = ad.Const(v)
			} else {
				out[i+c*n] = t.Var(v)
			}
		})
	}
	if constant {
		return nil
	}
	ints[0], ints[1] = int32(n), int32(m)
	for i, v := range y {
		ints[2+i] = v.ID()
	}
	for i, v := range out {
		ints[2+ny+i] = v.ID()
	}
	t.CustomCommit(sumToZeroMatrixBackward, 2+ny+n*m, n*(m-1))
	return nil
}

func sumToZeroMatrixBackward(adj []float64, ints []int32, tmp []float64) {
	n, m := int(ints[0]), int(ints[1])
	ny := (n - 1) * (m - 1)
	y, x := ints[2:2+ny], ints[2+ny:]
	for i := range n {
		helmertPT(m-1, func(c int) float64 { return adj[x[i+c*n]] }, func(c int, v float64) { tmp[i+c*n] = v })
	}
	for j := range m - 1 {
		helmertPT(n-1, func(r int) float64 { return tmp[j*n+r] }, func(i int, v float64) { adj[y[j*(n-1)+i]] += v })
	}
}

// UnconstrainSumToZeroMatrix writes to y ((n-1)×(m-1)) the coordinates of
// the sum_to_zero_matrix x (n×m, column-major).
func UnconstrainSumToZeroMatrix(x []float64, n, m int, y []float64) error {
	const fn = "sum_to_zero_free"
	if n < 1 || m < 1 || len(x) != n*m || len(y) != SumToZeroMatrixSize(n, m) {
		return sizeError(fn, "unconstrained sum_to_zero_matrix", len(y), SumToZeroMatrixSize(n, m))
	}
	for j := range m {
		if err := checkSumToZero(fn, x[j*n:], n, 1, j+1); err != nil {
			return err
		}
	}
	for i := range n {
		if err := checkSumToZero(fn, x[i:], m, n, -(i + 1)); err != nil {
			return err
		}
	}
	if len(y) == 0 {
		return nil
	}
	tmp := make([]float64, n*(m-1))
	for i := range n {
		helmertPT(m-1, func(c int) float64 { return x[i+c*n] }, func(c int, v float64) { tmp[i+c*n] = v })
	}
	for j := range m - 1 {
		helmertPT(n-1, func(r int) float64 { return tmp[j*n+r] }, func(i int, v float64) { y[j*(n-1)+i] = v })
	}
	return nil
}

// checkSumToZero checks that the k values of x at stride s sum to zero;
// which is 0 for a vector, j for a matrix's column j and -i for its row i.
func checkSumToZero(fn string, x []float64, k, s, which int) error {
	sum := 0.0
	for i := range k {
		sum += x[i*s]
	}
	switch {
	case math.Abs(sum) <= constraintTolerance:
		return nil
	case which == 0:
		return errorf(fn, "sum_to_zero variable does not sum to zero. sum(sum_to_zero variable) = %v, but should be 0", sum)
	case which > 0:
		return errorf(fn, "sum_to_zero variable does not sum to zero in column %d: its sum is %v, but should be 0", which, sum)
	}
	return errorf(fn, "sum_to_zero variable does not sum to zero in row %d: its sum is %v, but should be 0", -which, sum)
}
