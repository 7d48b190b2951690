package transform

import (
	"math"

	"github.com/gostan/gostan/ad"
)

// CovMatrixSize returns the unconstrained length of a cov_matrix[k]:
// k + k(k-1)/2.
func CovMatrixSize(k int) int { return k * (k + 1) / 2 }

// CovMatrix maps x (length k(k+1)/2) to a k x k covariance matrix, written
// column-major to out (length k*k), by Stan's cov_matrix_constrain: x holds
// the lower triangle of a Cholesky factor L row by row, (1,1), (2,1), (2,2),
// (3,1), ..., with each diagonal entry as its log, and the result is L L^T.
// It adds Stan's log-Jacobian, k log 2 + sum_m (k - m + 1) x_mm (0-based m,
// x_mm the log of L(m,m)), to lj.
func CovMatrix(t *ad.Tape, x, out []ad.Var, k int, lj *ad.Var) error {
	const fn = "cov_matrix_constrain"
	np := CovMatrixSize(k)
	if k < 0 || len(x) != np {
		return sizeError(fn, "unconstrained vector", len(x), np)
	}
	if len(out) != k*k {
		return sizeError(fn, "result", len(out), k*k)
	}
	if !ad.AnyVar(x) {
		// The diagonal of out holds L(i,i) until the strict lower triangle
		// of L L^T, which needs it, is done.
		for i := range k {
			out[i+i*k] = ad.Const(math.Exp(x[packed(i, i)].Val))
		}
		for i := range k {
			for j := range i {
				s := x[packed(i, j)].Val * out[j+j*k].Val
				for m := range j {
					s += x[packed(i, m)].Val * x[packed(j, m)].Val
				}
				out[i+j*k] = ad.Const(s)
			}
		}
		for i := range k {
			d := out[i+i*k].Val
			s := d * d
			for m := range i {
				s += x[packed(i, m)].Val * x[packed(i, m)].Val
			}
			out[i+i*k] = ad.Const(s)
			for j := range i {
				out[j+i*k] = out[i+j*k]
			}
		}
	} else {
		// Node data: ints = k, x ids, ids of (L L^T)(i,j) for j <= i packed;
		// flts = L packed, scratch for L's adjoints.
		ints, flts := t.CustomSpace(1+2*np, 2*np)
		ints[0] = int32(k)
		l := flts[:np]
		for p, v := range x {
			ints[1+p] = v.ID()
			l[p] = v.Val
		}
		for i := range k {
			l[packed(i, i)] = math.Exp(l[packed(i, i)])
		}
		for i := range k {
			for j := 0; j <= i; j++ {
				s := 0.0
				for m := 0; m <= j; m++ {
					s += l[packed(i, m)] * l[packed(j, m)]
				}
				v := t.Var(s)
				out[i+j*k], out[j+i*k] = v, v
				ints[1+np+packed(i, j)] = v.ID()
			}
		}
		t.CustomCommit(covMatrixBackward, 1+2*np, 2*np)
	}
	if lj != nil {
		b := t.Begin()
		b.Add(*lj, 1)
		s := lj.Val + float64(k)*math.Ln2
		for m := range k {
			c := float64(k - m + 1)
			v := x[packed(m, m)]
			s += c * v.Val
			b.Add(v, c)
		}
		*lj = b.End(s)
	}
	return nil
}

func covMatrixBackward(adj []float64, ints []int32, flts []float64) {
	k := int(ints[0])
	np := k * (k + 1) / 2
	l, al := flts[:np], flts[np:]
	clear(al)
	for i := range k {
		for j := 0; j <= i; j++ {
			a := adj[ints[1+np+packed(i, j)]]
			if a == 0 {
				continue
			}
			if i == j {
				for m := 0; m <= i; m++ {
					al[packed(i, m)] += 2 * a * l[packed(i, m)]
				}
				continue
			}
			for m := 0; m <= j; m++ {
				al[packed(i, m)] += a * l[packed(j, m)]
				al[packed(j, m)] += a * l[packed(i, m)]
			}
		}
	}
	for i := range k {
		for j := 0; j <= i; j++ {
			p := packed(i, j)
			d := al[p]
			if i == j {
				d *= l[p] // L(i,i) = exp(x)
			}
			adj[ints[1+p]] += d
		}
	}
}

// UnconstrainCovMatrix writes to y (length k(k+1)/2) the unconstrained
// coordinates of the k x k covariance matrix x (column-major), as Stan's
// cov_matrix_free does. After an error y's contents are unspecified.
func UnconstrainCovMatrix(x []float64, k int, y []float64) error {
	const fn = "cov_matrix_free"
	if err := freeSizes(fn, x, k, k, y, CovMatrixSize(k)); err != nil {
		return err
	}
	if err := checkSymmetric(fn, x, k); err != nil {
		return err
	}
	// y has the packed factor's length: factor in place, then take logs.
	if !choleskyInto(y, func(i, j int) float64 { return x[i+j*k] }, k) {
		return errorf(fn, "x is not positive definite.")
	}
	for i := range k {
		y[packed(i, i)] = math.Log(y[packed(i, i)])
	}
	return nil
}

// CholeskyFactorCovSize returns the unconstrained length of a
// cholesky_factor_cov[m, n]: n(n+1)/2 + (m-n)n.
func CholeskyFactorCovSize(m, n int) int { return n*(n+1)/2 + (m-n)*n }

// CholeskyFactorCov maps x to an m x n (m >= n) Cholesky factor of a
// covariance matrix, written column-major to out (length m*n), by Stan's
// cholesky_factor_constrain: x holds the first n rows' lower triangles row
// by row with each diagonal entry as its log, then the remaining m-n rows
// in full, row by row. It adds the sum of the logged diagonal entries to lj.
func CholeskyFactorCov(t *ad.Tape, x, out []ad.Var, m, n int, lj *ad.Var) error {
	const fn = "cholesky_factor_constrain"
	if n < 0 || m < n {
		return errorf(fn, "num rows (%d) must be greater than or equal to num cols (%d)", m, n)
	}
	if size := CholeskyFactorCovSize(m, n); len(x) != size {
		return sizeError(fn, "unconstrained vector", len(x), size)
	}
	if len(out) != m*n {
		return sizeError(fn, "result", len(out), m*n)
	}
	clear(out)
	p := 0
	for i := range m {
		for j := range min(i, n) {
			out[i+j*m] = x[p]
			p++
		}
		if i < n {
			e := math.Exp(x[p].Val)
			out[i+i*m] = t.Unary(e, x[p], e)
			p++
		}
	}
	if lj != nil {
		b := t.Begin()
		b.Add(*lj, 1)
		s := lj.Val
		for i := range n {
			v := x[packed(i, i)]
			s += v.Val
			b.Add(v, 1)
		}
		*lj = b.End(s)
	}
	return nil
}

// UnconstrainCholeskyFactorCov writes to y the unconstrained coordinates of
// the m x n Cholesky factor x (column-major), as Stan's
// cholesky_factor_free does.
func UnconstrainCholeskyFactorCov(x []float64, m, n int, y []float64) error {
	const fn = "cholesky_factor_free"
	if n < 0 || m < n {
		return errorf(fn, "num rows (%d) must be greater than or equal to num cols (%d)", m, n)
	}
	if err := freeSizes(fn, x, m, n, y, CholeskyFactorCovSize(m, n)); err != nil {
		return err
	}
	if err := checkCholeskyFactor(fn, x, m, n); err != nil {
		return err
	}
	p := 0
	for i := range m {
		for j := range min(i, n) {
			y[p] = x[i+j*m]
			p++
		}
		if i < n {
			y[p] = math.Log(x[i+i*m])
			p++
		}
	}
	return nil
}
