package transform

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
)

// CholeskyCorrSize is the unconstrained size of a K×K Cholesky factor of a
// correlation matrix.
func CholeskyCorrSize(k int) int { return k * (k - 1) / 2 }

// CholeskyCovSize is the unconstrained size of an M×N Cholesky factor of a
// covariance matrix.
func CholeskyCovSize(m, n int) int { return n*(n+1)/2 + (m-n)*n }

// CovMatrixSize is the unconstrained size of a K×K covariance matrix.
func CovMatrixSize(k int) int { return k + k*(k-1)/2 }

// CorrMatrixSize is the unconstrained size of a K×K correlation matrix.
func CorrMatrixSize(k int) int { return k * (k - 1) / 2 }

// tanhLJ maps y to tanh(y), adding log(1 - tanh²y) to lj (Stan's
// corr_constrain).
func tanhLJ(t *ad.Tape, y ad.Var, lj *ad.Var) ad.Var {
	z := t.Tanh(y)
	if lj != nil {
		th := z.Val
		// d/dy log(1 - tanh²y) = -2 tanh y
		*lj = t.Add(*lj, t.Unary(math.Log1p(-th*th), y, -2*th))
	}
	return z
}

// CholeskyCorr fills the K×K matrix x (column-major) with the Cholesky
// factor of a correlation matrix built row by row from canonical partial
// correlations tanh(y) (Stan's cholesky_corr_constrain).
func CholeskyCorr(t *ad.Tape, y []ad.Var, x ad.Matrix, lj *ad.Var) {
	k := x.Rows
	for i := range x.Data {
		x.Data[i] = ad.Var{}
	}
	if k == 0 {
		return
	}
	x.Set(0, 0, ad.Const(1))
	pos := 0
	for i := 1; i < k; i++ {
		z := tanhLJ(t, y[pos], lj)
		pos++
		x.Set(i, 0, z)
		sumSq := t.Square(z)
		for j := 1; j < i; j++ {
			z := tanhLJ(t, y[pos], lj)
			pos++
			rem := t.Sub(ad.Const(1), sumSq)
			addLJ(t, lj, t.Unary(0.5*math.Log(rem.Val), rem, 0.5/rem.Val))
			v := t.Mul(z, t.Sqrt(rem))
			x.Set(i, j, v)
			sumSq = t.Add(sumSq, t.Square(v))
		}
		x.Set(i, i, t.Sqrt(t.Sub(ad.Const(1), sumSq)))
	}
}

// UnconstrainCholeskyCorr inverts CholeskyCorr; l is K×K row-major.
func UnconstrainCholeskyCorr(l []float64, k int, y []float64) error {
	if err := checkCholeskyCorr(l, k); err != nil {
		return err
	}
	pos := 0
	for i := 1; i < k; i++ {
		y[pos] = math.Atanh(l[i*k])
		pos++
		sumSq := l[i*k] * l[i*k]
		for j := 1; j < i; j++ {
			y[pos] = math.Atanh(l[i*k+j] / math.Sqrt(1-sumSq))
			pos++
			sumSq += l[i*k+j] * l[i*k+j]
		}
	}
	return nil
}

func checkCholeskyCorr(l []float64, k int) error {
	for i := range k {
		ss := 0.0
		for j := range k {
			v := l[i*k+j]
			if j > i && v != 0 {
				return fmt.Errorf("is not lower triangular; element [%d,%d] is %v", i+1, j+1, v)
			}
			ss += v * v
		}
		if !(l[i*k+i] > 0) {
			return &DomainError{l[i*k+i], fmt.Sprintf("positive (diagonal element [%d,%d] of a Cholesky factor)", i+1, i+1)}
		}
		if math.Abs(ss-1) > 1e-8 {
			return fmt.Errorf("is not a valid Cholesky factor of a correlation matrix: row %d has norm %v, but should be 1", i+1, math.Sqrt(ss))
		}
	}
	return nil
}

// CholeskyCov fills the M×N matrix x with a Cholesky factor of a
// covariance matrix: row by row, the strictly lower entries as they are,
// the diagonal exponentiated (log Jacobian: the sum of the diagonal's
// unconstrained values), and the rows below N in full.
func CholeskyCov(t *ad.Tape, y []ad.Var, x ad.Matrix, lj *ad.Var) {
	m, n := x.Rows, x.Cols
	pos := 0
	for i := range m {
		for j := range n {
			switch {
			case i >= n || j < i:
				x.Set(i, j, y[pos])
				pos++
			case j == i:
				addLJ(t, lj, y[pos])
				x.Set(i, j, t.Exp(y[pos]))
				pos++
			default:
				x.Set(i, j, ad.Var{})
			}
		}
	}
}

// UnconstrainCholeskyCov inverts CholeskyCov; l is M×N row-major.
func UnconstrainCholeskyCov(l []float64, m, n int, y []float64) error {
	pos := 0
	for i := range m {
		for j := range n {
			v := l[i*n+j]
			switch {
			case i >= n || j < i:
				y[pos] = v
				pos++
			case j == i:
				if !(v > 0) {
					return &DomainError{v, fmt.Sprintf("positive (diagonal element [%d,%d] of a Cholesky factor)", i+1, i+1)}
				}
				y[pos] = math.Log(v)
				pos++
			case v != 0:
				return fmt.Errorf("is not lower triangular; element [%d,%d] is %v", i+1, j+1, v)
			}
		}
	}
	return nil
}

// CovMatrix fills the K×K matrix x with L Lᵀ, where L is lower triangular
// with an exponentiated diagonal, read row by row (Stan's
// cov_matrix_constrain), and the log Jacobian
// K log 2 + Σ_k (K - k + 1) log L_kk (k from 0).
func CovMatrix(t *ad.Tape, y []ad.Var, x ad.Matrix, lj *ad.Var) {
	k := x.Rows
	l := make([]ad.Var, k*k) // row-major lower triangle
	pos := 0
	for i := range k {
		for j := 0; j < i; j++ {
			l[i*k+j] = y[pos]
			pos++
		}
		l[i*k+i] = t.Exp(y[pos])
		if lj != nil {
			// log L_ii = y, weighted by K - i + 1 with i from 0: the
			// product's Jacobian and the exp's together.
			w := float64(k - i + 1)
			*lj = t.Add(*lj, t.Unary(w*y[pos].Val, y[pos], w))
		}
		pos++
	}
	if lj != nil {
		*lj = t.Add(*lj, ad.Const(float64(k)*math.Ln2))
	}
	lowerTriSelfTranspose(t, l, k, x)
}

// lowerTriSelfTranspose sets x = L Lᵀ for L lower triangular, row-major.
func lowerTriSelfTranspose(t *ad.Tape, l []ad.Var, k int, x ad.Matrix) {
	for i := range k {
		for j := 0; j <= i; j++ {
			b := t.Begin()
			s := 0.0
			for m := 0; m <= j; m++ {
				a, c := l[i*k+m], l[j*k+m]
				s += a.Val * c.Val
				b.Add(a, c.Val)
				b.Add(c, a.Val)
			}
			v := b.End(s)
			x.Set(i, j, v)
			x.Set(j, i, v)
		}
	}
}

// UnconstrainCovMatrix inverts CovMatrix; s is K×K row-major.
func UnconstrainCovMatrix(s []float64, k int, y []float64) error {
	l, err := cholesky(s, k)
	if err != nil {
		return err
	}
	pos := 0
	for i := range k {
		for j := 0; j < i; j++ {
			y[pos] = l.At(i, j)
			pos++
		}
		y[pos] = math.Log(l.At(i, i))
		pos++
	}
	return nil
}

func cholesky(s []float64, k int) (*mat.TriDense, error) {
	for i := range k {
		for j := range i {
			if math.Abs(s[i*k+j]-s[j*k+i]) > 1e-8*math.Max(1, math.Abs(s[i*k+j])) {
				return nil, fmt.Errorf("is not symmetric: element [%d,%d] is %v, but element [%d,%d] is %v", i+1, j+1, s[i*k+j], j+1, i+1, s[j*k+i])
			}
		}
	}
	var c mat.Cholesky
	if !c.Factorize(mat.NewSymDense(k, append([]float64(nil), s...))) {
		return nil, fmt.Errorf("is not positive definite")
	}
	var l mat.TriDense
	c.LTo(&l)
	return &l, nil
}

// CorrMatrix fills the K×K matrix x with a correlation matrix built from
// canonical partial correlations tanh(y) read column by column (Stan's
// corr_matrix_constrain via read_corr_L), with its log Jacobian.
func CorrMatrix(t *ad.Tape, y []ad.Var, x ad.Matrix, lj *ad.Var) {
	k := x.Rows
	if k == 0 {
		return
	}
	cpc := make([]ad.Var, len(y))
	for i, v := range y {
		cpc[i] = tanhLJ(t, v, lj)
	}
	// log|J| of the CPCs to the correlations: ½ Σ (K - k - 1) log(1 - cpc²)
	// over columns k = 1..K-2 (Joe 2006, eq. 11, as in Stan's read_corr_L).
	pos := 0
	for col := 1; col <= k-2; col++ {
		for i := col + 1; i <= k; i++ {
			c := cpc[pos]
			w := 0.5 * float64(k-col-1)
			addLJ(t, lj, t.Unary(w*math.Log1p(-c.Val*c.Val), c, -2*w*c.Val/(1-c.Val*c.Val)))
			pos++
		}
	}
	// L column by column: acc_i is 1 - Σ of the squares so far in row i.
	l := make([]ad.Var, k*k) // row-major
	acc := make([]ad.Var, k)
	for i := range acc {
		acc[i] = ad.Const(1)
	}
	l[0] = ad.Const(1)
	pos = 0
	for j := range k {
		if j > 0 {
			l[j*k+j] = t.Sqrt(acc[j])
		}
		for i := j + 1; i < k; i++ {
			v := t.Mul(cpc[pos], t.Sqrt(acc[i]))
			pos++
			l[i*k+j] = v
			acc[i] = t.Sub(acc[i], t.Square(v))
		}
	}
	lowerTriSelfTranspose(t, l, k, x)
}

// UnconstrainCorrMatrix inverts CorrMatrix; s is K×K row-major.
func UnconstrainCorrMatrix(s []float64, k int, y []float64) error {
	for i := range k {
		if math.Abs(s[i*k+i]-1) > 1e-8 {
			return fmt.Errorf("is not a valid correlation matrix: diagonal element [%d,%d] is %v, but should be 1", i+1, i+1, s[i*k+i])
		}
	}
	l, err := cholesky(s, k)
	if err != nil {
		return err
	}
	pos := 0
	for j := range k {
		for i := j + 1; i < k; i++ {
			ss := 0.0
			for m := 0; m < j; m++ {
				ss += l.At(i, m) * l.At(i, m)
			}
			y[pos] = math.Atanh(l.At(i, j) / math.Sqrt(1-ss))
			pos++
		}
	}
	return nil
}
