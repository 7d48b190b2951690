package transform

import (
	"math"

	"github.com/gostan/gostan/ad"
)

// CholeskyFactorCorrSize returns the unconstrained length of a
// cholesky_factor_corr[k] or corr_matrix[k]: k(k-1)/2.
func CholeskyFactorCorrSize(k int) int { return k * (k - 1) / 2 }

// CorrMatrixSize returns the unconstrained length of a corr_matrix[k].
func CorrMatrixSize(k int) int { return CholeskyFactorCorrSize(k) }

// Both correlation transforms take canonical partial correlations z = tanh(y)
// (Lewandowski, Kurowicka and Joe 2009) and build the Cholesky factor L of a
// correlation matrix row by row: with w_0 = 1, L(i,j) = z_ij w_j and
// w_{j+1} = w_j sech(y_ij) (= w_j sqrt(1 - z_ij^2)), and L(i,i) = w_i, so
// each row has unit length. corr_matrix computes w_j as that product, as
// Stan's read_corr_L does (a product of 1 - z^2 under a square root);
// cholesky_factor_corr follows Stan's cholesky_corr_constrain instead, w_j =
// sqrt(1 - sum of squares so far), cancellation included (see
// CholeskyFactorCorr).

// lSpan is the number of floats holding the (z, sech, w) triples of rows
// 1..i-1.
func lSpan(i int) int { return 3 * i * (i - 1) / 2 }

// corrRow computes row i of L from the unconstrained values y(j) of its
// CPCs in column order, passing L(i,j) for j <= i to set and, unless zcw is
// nil, storing the triples in zcw.
func corrRow(i int, y func(j int) float64, set func(j int, v float64), zcw []float64) {
	w := 1.0
	for j := range i {
		v := y(j)
		z, c := math.Tanh(v), 1/math.Cosh(v)
		if zcw != nil {
			zcw[3*j], zcw[3*j+1], zcw[3*j+2] = z, c, w
		}
		set(j, z*w)
		w *= c
	}
	set(i, w)
}

// corrRowBackward propagates the adjoints al of row i of L (al[j] for
// L(i,j), j <= i) to the row's unconstrained values, whose ids are yid.
func corrRowBackward(adj []float64, i int, yid []int32, zcw, al []float64) {
	aw := al[i]
	for j := i - 1; j >= 0; j-- {
		z, c, w := zcw[3*j], zcw[3*j+1], zcw[3*j+2]
		adj[yid[j]] += w * c * (al[j]*c - aw*z)
		aw = al[j]*z + aw*c
	}
}

// logSech returns log(sech(y)) = 0.5 log(1 - tanh(y)^2) without underflow.
func logSech(y float64) float64 {
	a := math.Abs(y)
	return math.Ln2 - a - math.Log1p(math.Exp(-2*a))
}

// CholeskyFactorCorr maps y (length k(k-1)/2) to the Cholesky factor of a
// k x k correlation matrix, written column-major to out (length k*k), by
// Stan's cholesky_corr_constrain. Stan's layout takes the CPCs row by row
// through the strict lower triangle: (2,1), (3,1), (3,2), (4,1), ... It adds
// Stan's log-Jacobian to lj: sum over the CPCs of log(1 - z^2), plus, for
// every entry after the first of a row, 0.5 log(1 - s) with s the sum of
// squares of the row's entries before it.
//
// Unlike the other correlation transforms it follows Stan 2.21's arithmetic
// exactly: each entry's w is sqrt(1 - s) with s summed as the row goes, so
// late entries of long rows, where 1 - s is tiny, carry Stan's cancellation
// error. Its derivative is that of the same arithmetic. For a 30 x 30 factor
// the log density then agrees with Stan's to rounding, where the product
// of sech (the exact value) differs from it by 1e-4 relative.
func CholeskyFactorCorr(t *ad.Tape, y, out []ad.Var, k int, lj *ad.Var) error {
	const fn = "cholesky_corr_constrain"
	if err := corrSizes(fn, y, out, k); err != nil {
		return err
	}
	clear(out)
	if k == 0 {
		return nil
	}
	out[0] = ad.Const(1)
	n := len(y)
	row := func(i int) []ad.Var { return y[i*(i-1)/2 : i*(i+1)/2] }
	jac := 0.0
	if !ad.AnyVar(y) {
		for i := 1; i < k; i++ {
			yi := row(i)
			jac += stanCorrRow(i, func(j int) float64 { return yi[j].Val },
				func(j int, v float64) { out[i+j*k] = ad.Const(v) }, nil)
		}
		if lj != nil {
			*lj = ad.Const(lj.Val + jac)
		}
		return nil
	}
	// Node data: ints = k, y ids, ids of L(i,j) for i >= 1, j <= i row by
	// row; flts = (z, s) pairs of the CPCs in y's order, then two rows of
	// scratch.
	nOut := (k - 1) * (k + 2) / 2
	ints, flts := t.CustomSpace(1+n+nOut, 2*n+2*k)
	ints[0] = int32(k)
	for p, v := range y {
		ints[1+p] = v.ID()
	}
	q := 1 + n
	for i := 1; i < k; i++ {
		yi := row(i)
		jac += stanCorrRow(i, func(j int) float64 { return yi[j].Val }, func(j int, v float64) {
			x := t.Var(v)
			out[i+j*k] = x
			ints[q+j] = x.ID()
		}, flts[i*(i-1):])
		q += i + 1
	}
	t.CustomCommit(choleskyCorrBackward, 1+n+nOut, 2*n+2*k)
	if lj != nil {
		// The Jacobian's partials: the same reverse sweep, with a unit
		// adjoint on the Jacobian and none on L.
		al, az := flts[2*n:2*n+k], flts[2*n+k:]
		b := t.Begin()
		b.Add(*lj, 1)
		for i := 1; i < k; i++ {
			clear(al[:i+1])
			zs := flts[i*(i-1) : i*(i+1)]
			stanCorrRowBackward(i, zs, al, 1, az)
			for j, v := range row(i) {
				z := zs[2*j]
				b.Add(v, az[j]*(1-z*z)-2*z)
			}
		}
		*lj = b.End(lj.Val + jac)
	}
	return nil
}

// stanCorrRow computes row i of L from the unconstrained values y(j) of its
// CPCs in column order as Stan's cholesky_corr_constrain does, passing L(i,j)
// for j <= i to set and, unless zs is nil, storing z_j = tanh(y(j)) and the
// sum of squares s after L(i,j) in zs[2j], zs[2j+1]. It returns the row's
// part of the log-Jacobian.
func stanCorrRow(i int, y func(j int) float64, set func(j int, v float64), zs []float64) float64 {
	jac := 0.0
	s := 0.0
	for j := range i {
		z := math.Tanh(y(j))
		jac += math.Log1p(-z * z)
		x := z
		if j > 0 {
			jac += 0.5 * math.Log1p(-s)
			x = z * math.Sqrt(1-s)
		}
		s += x * x
		set(j, x)
		if zs != nil {
			zs[2*j], zs[2*j+1] = z, s
		}
	}
	set(i, math.Sqrt(1-s))
	return jac
}

// stanCorrRowBackward runs the reverse sweep of stanCorrRow for row i from
// the adjoints al of L(i,0..i) and aj of the row's log-Jacobian (without its
// log(1 - z^2) terms, whose partials are direct), writing the adjoints of
// the CPCs z_j to az.
func stanCorrRowBackward(i int, zs, al []float64, aj float64, az []float64) {
	// as is the adjoint of the running sum of squares s.
	as := -0.5 * al[i] / math.Sqrt(1-zs[2*i-1])
	for j := i - 1; j >= 1; j-- {
		z, s := zs[2*j], zs[2*j-1] // s before L(i,j)
		r := math.Sqrt(1 - s)
		ax := al[j] + 2*z*r*as
		az[j] = ax * r
		as += -0.5*ax*z/r - 0.5*aj/(1-s)
	}
	az[0] = al[0] + 2*zs[0]*as
}

func choleskyCorrBackward(adj []float64, ints []int32, flts []float64) {
	k := int(ints[0])
	n := k * (k - 1) / 2
	al, az := flts[2*n:2*n+k], flts[2*n+k:]
	q := 1 + n
	for i := 1; i < k; i++ {
		for j := 0; j <= i; j++ {
			al[j] = adj[ints[q]]
			q++
		}
		zs := flts[i*(i-1) : i*(i+1)]
		stanCorrRowBackward(i, zs, al, 0, az)
		yid := ints[1+i*(i-1)/2:]
		for j := range i {
			z := zs[2*j]
			adj[yid[j]] += az[j] * (1 - z*z)
		}
	}
}

func corrSizes(fn string, y, out []ad.Var, k int) error {
	if k < 0 || len(y) != k*(k-1)/2 {
		return sizeError(fn, "unconstrained vector", len(y), k*(k-1)/2)
	}
	if len(out) != k*k {
		return sizeError(fn, "result", len(out), k*k)
	}
	return nil
}

// rowCPCs returns the unconstrained CPCs of row i of a correlation
// Cholesky factor from its entries l(j), j <= i (the diagonal last):
// y_j = atanh(l_j / w_j), the inverse of corrRow. As the row has unit
// length, w_j^2 = 1 - sum_{m<j} l_m^2 is summed from the end of the row
// instead, which avoids cancellation. It reads l(j) before it sets y_j, so
// the CPCs may overwrite the entries.
func rowCPCs(i int, l func(j int) float64, set func(j int, y float64)) {
	d := l(i)
	ss := d * d
	for j := i - 1; j >= 0; j-- {
		lj := l(j)
		ss += lj * lj
		set(j, math.Atanh(lj/math.Sqrt(ss)))
	}
}

// UnconstrainCholeskyFactorCorr writes to y (length k(k-1)/2) the
// unconstrained coordinates of x, the k x k Cholesky factor of a correlation
// matrix stored column-major, as Stan's cholesky_corr_free does.
func UnconstrainCholeskyFactorCorr(x []float64, k int, y []float64) error {
	const fn = "cholesky_corr_free"
	if err := freeSizes(fn, x, k, k, y, CholeskyFactorCorrSize(k)); err != nil {
		return err
	}
	if err := checkCholeskyFactor(fn, x, k, k); err != nil {
		return err
	}
	for i := range k {
		ss := 0.0
		for j := 0; j <= i; j++ {
			ss += x[i+j*k] * x[i+j*k]
		}
		if !(math.Abs(1-ss) <= constraintTolerance) {
			return errorf(fn, "x row %d is not a valid unit vector. The sum of the squares of the elements should be 1, but is %v", i+1, ss)
		}
		rowCPCs(i, func(j int) float64 { return x[i+j*k] }, func(j int, v float64) { y[i*(i-1)/2+j] = v })
	}
	return nil
}

// freeSizes checks the sizes of a float64 inverse's arguments: x is m x n
// and y has length ny.
func freeSizes(fn string, x []float64, m, n int, y []float64, ny int) error {
	if m < 0 || n < 0 || len(x) != m*n {
		return errorf(fn, "x has %d elements, but a %d x %d matrix has %d", len(x), m, n, max(m, 0)*max(n, 0))
	}
	if len(y) != ny {
		return sizeError(fn, "unconstrained vector", len(y), ny)
	}
	return nil
}

// checkCholeskyFactor checks that the m x n matrix x (column-major) is lower
// triangular with a positive diagonal, as Stan's check_cholesky_factor does.
func checkCholeskyFactor(fn string, x []float64, m, n int) error {
	if m < n {
		return errorf(fn, "x has %d rows, but must have at least as many as its %d columns", m, n)
	}
	for j := range n {
		for i := range j {
			if x[i+j*m] != 0 {
				return errorf(fn, "x is not lower triangular; x[%d,%d]=%v", i+1, j+1, x[i+j*m])
			}
		}
		if d := x[j+j*m]; !(d > 0) {
			return errorf(fn, "x[%d,%d] is %v, but must be positive", j+1, j+1, d)
		}
	}
	return nil
}

// CorrMatrix maps y (length k(k-1)/2) to a k x k correlation matrix,
// written column-major to out (length k*k), by Stan's corr_matrix_constrain:
// the CPCs build a Cholesky factor L as in CholeskyFactorCorr, but are taken
// column by column, (2,1), (3,1), ..., (k,1), (3,2), ..., and the result is
// L L^T with an exact unit diagonal. It adds Stan's log-Jacobian, sum over
// the CPC z_ij of column j (0-based) of (1 + (k-j-2)/2) log(1 - z_ij^2), to
// lj.
func CorrMatrix(t *ad.Tape, y, out []ad.Var, k int, lj *ad.Var) error {
	if err := corrSizes("corr_matrix_constrain", y, out, k); err != nil {
		return err
	}
	clear(out)
	// col returns the position in y of the CPC at (i, j), i > j.
	col := func(i, j int) int { return j*(k-1) - j*(j-1)/2 + i - j - 1 }
	if !ad.AnyVar(y) {
		// L(i,j) is held transposed in the upper triangle of out while the
		// strict lower triangle receives L L^T.
		for i := range k {
			corrRow(i, func(j int) float64 { return y[col(i, j)].Val },
				func(j int, v float64) { out[j+i*k] = ad.Const(v) }, nil)
		}
		for i := range k {
			for j := range i {
				s := 0.0
				for m := 0; m <= j; m++ {
					s += out[m+i*k].Val * out[m+j*k].Val
				}
				out[i+j*k] = ad.Const(s)
			}
		}
		for i := range k {
			for j := range i {
				out[j+i*k] = out[i+j*k]
			}
			out[i+i*k] = ad.Const(1)
		}
	} else {
		// Node data: ints = k, y ids in row order, ids of R(i,j) for i > j
		// row by row; flts = triples, L packed, scratch for L's adjoints.
		n := len(y)
		np := k * (k + 1) / 2
		ints, flts := t.CustomSpace(1+2*n, lSpan(k)+2*np)
		ints[0] = int32(k)
		l := flts[lSpan(k) : lSpan(k)+np]
		l[0] = 1
		for i := 1; i < k; i++ {
			for j := range i {
				ints[1+i*(i-1)/2+j] = y[col(i, j)].ID()
			}
			corrRow(i, func(j int) float64 { return y[col(i, j)].Val },
				func(j int, v float64) { l[packed(i, j)] = v }, flts[lSpan(i):])
		}
		q := 1 + n
		for i := range k {
			out[i+i*k] = ad.Const(1)
			for j := range i {
				s := 0.0
				for m := 0; m <= j; m++ {
					s += l[packed(i, m)] * l[packed(j, m)]
				}
				v := t.Var(s)
				out[i+j*k], out[j+i*k] = v, v
				ints[q] = v.ID()
				q++
			}
		}
		t.CustomCommit(corrMatrixBackward, 1+2*n, lSpan(k)+2*np)
	}
	if lj != nil {
		b := t.Begin()
		b.Add(*lj, 1)
		s := lj.Val
		p := 0
		for j := 0; j < k-1; j++ {
			coef := 1 + 0.5*float64(k-j-2)
			for range k - 1 - j {
				v := y[p]
				s += 2 * coef * logSech(v.Val)
				b.Add(v, -2*coef*math.Tanh(v.Val))
				p++
			}
		}
		*lj = b.End(s)
	}
	return nil
}

func corrMatrixBackward(adj []float64, ints []int32, flts []float64) {
	k := int(ints[0])
	n := k * (k - 1) / 2
	np := k * (k + 1) / 2
	l := flts[lSpan(k) : lSpan(k)+np]
	al := flts[lSpan(k)+np:]
	clear(al)
	q := 1 + n
	for i := range k {
		for j := range i {
			a := adj[ints[q]]
			q++
			if a == 0 {
				continue
			}
			for m := 0; m <= j; m++ {
				al[packed(i, m)] += a * l[packed(j, m)]
				al[packed(j, m)] += a * l[packed(i, m)]
			}
		}
	}
	for i := 1; i < k; i++ {
		corrRowBackward(adj, i, ints[1+i*(i-1)/2:], flts[lSpan(i):], al[packed(i, 0):])
	}
}

// UnconstrainCorrMatrix writes to y (length k(k-1)/2) the unconstrained
// coordinates of the k x k correlation matrix x (column-major), as Stan's
// corr_matrix_free does. After an error y's contents are unspecified.
func UnconstrainCorrMatrix(x []float64, k int, y []float64) error {
	const fn = "corr_matrix_free"
	if err := freeSizes(fn, x, k, k, y, CorrMatrixSize(k)); err != nil {
		return err
	}
	if err := checkSymmetric(fn, x, k); err != nil {
		return err
	}
	for i := range k {
		if d := x[i+i*k]; !(math.Abs(d-1) <= constraintTolerance) {
			return errorf(fn, "x is not a valid correlation matrix. x[%d,%d] is %v, but should be near 1", i+1, i+1, d)
		}
	}
	// Like Stan, rescale to an exact unit diagonal first.
	a := func(i, j int) float64 { return x[i+j*k] / math.Sqrt(x[i+i*k]*x[j+j*k]) }
	// y, column by column as the CPCs go, first receives the strict lower
	// triangle of the Cholesky factor L of a, computed column by column
	// (each column needs only the earlier ones and its diagonal entry, which
	// is recomputed from its row when needed), and then the CPCs, row by
	// row over the row's entries of L.
	col := func(i, j int) int { return j*(k-1) - j*(j-1)/2 + i - j - 1 }
	diag := func(i int) float64 {
		s := a(i, i)
		for m := range i {
			s -= y[col(i, m)] * y[col(i, m)]
		}
		if !(s > 0) {
			return math.NaN()
		}
		return math.Sqrt(s)
	}
	for j := range k {
		d := diag(j)
		if math.IsNaN(d) {
			return errorf(fn, "x is not positive definite.")
		}
		for i := j + 1; i < k; i++ {
			s := a(i, j)
			for m := range j {
				s -= y[col(i, m)] * y[col(j, m)]
			}
			y[col(i, j)] = s / d
		}
	}
	for i := 1; i < k; i++ {
		d := diag(i)
		rowCPCs(i, func(j int) float64 {
			if j == i {
				return d
			}
			return y[col(i, j)]
		}, func(j int, v float64) { y[col(i, j)] = v })
	}
	return nil
}
