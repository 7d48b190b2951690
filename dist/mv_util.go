package dist

import (
	"fmt"
	"math"
	"sync"

	"github.com/gostan/gostan/ad"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// Argument names of the multivariate distributions (range 160-191).
const (
	argSimplex argName = 160 + iota
	argMVRandom
)

// MatrixError reports a matrix argument that is not of the required kind
// (square, symmetric, positive definite, triangular), in Stan's words:
// "multi_normal_lpdf: Covariance matrix is not positive definite."
type MatrixError struct {
	Func string
	Msg  string
}

func (e *MatrixError) Error() string { return e.Func + ": " + e.Msg }

// constraintTolerance is Stan's CONSTRAINT_TOLERANCE: how far a symmetric
// matrix may be from symmetric, a simplex from sum 1, a correlation matrix's
// diagonal from 1.
const constraintTolerance = 1e-8

// scratch hands out float64 buffers for one call. Buffers come from a pool
// and are kept between calls, so a steady-state evaluation allocates nothing.
type scratch struct {
	buf  []float64
	off  int
	need int
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// floats returns n zeroed float64s valid until release.
func (s *scratch) floats(n int) []float64 {
	s.need += n
	if s.off+n > len(s.buf) {
		return make([]float64, n) // grown to fit at release
	}
	r := s.buf[s.off : s.off+n : s.off+n]
	s.off += n
	clear(r)
	return r
}

func (s *scratch) release() {
	if s.need > len(s.buf) {
		s.buf = make([]float64, 2*s.need)
	}
	s.off, s.need = 0, 0
	scratchPool.Put(s)
}

// vecs is an array-of-vectors argument such as Stan's `array[] vector y`;
// a single vector broadcasts against the other arguments.
type vecs struct {
	v       [][]ad.Var
	name    argName
	varying bool
}

func newVecs(name argName, v [][]ad.Var) vecs {
	a := vecs{v: v, name: name}
	for _, x := range v {
		for _, e := range x {
			if !e.IsConst() {
				a.varying = true
				return a
			}
		}
	}
	return a
}

// idx maps term i to the vector it uses.
func (a *vecs) idx(i int) int {
	if len(a.v) == 1 {
		return 0
	}
	return i
}

// terms returns the number of terms of a density over arrays of vectors:
// arrays of one vector broadcast, other lengths must agree. It also checks
// that every vector has length k.
func terms(fn string, k int, kName argName, args ...*vecs) (int, error) {
	n := 1
	var first *vecs
	for _, a := range args {
		if len(a.v) == 0 {
			return 0, nil
		}
		if len(a.v) == 1 {
			continue
		}
		if first == nil {
			first, n = a, len(a.v)
		} else if len(a.v) != len(first.v) {
			return 0, &SizeError{fn, first.name.String(), a.name.String(), len(first.v), len(a.v)}
		}
	}
	for _, a := range args {
		for _, x := range a.v {
			if len(x) != k {
				return 0, &SizeError{fn, a.name.String(), kName.String(), len(x), k}
			}
		}
	}
	return n, nil
}

// checkVecs returns a DomainError for the first element failing ok.
func checkVecs(fn string, a *vecs, rule string, ok func(float64) bool) error {
	for _, x := range a.v {
		for i, e := range x {
			if !ok(e.Val) {
				return &DomainError{fn, a.name.String(), i + 1, e.Val, rule}
			}
		}
	}
	return nil
}

// addVecs adds the accumulated partials g (k per vector) of a varying
// array-of-vectors argument.
func addVecs(b *ad.Builder, a *vecs, g []float64, k int) {
	if !a.varying {
		return
	}
	for j, x := range a.v {
		for i, e := range x {
			b.Add(e, g[j*k+i])
		}
	}
}

// addMat adds the partials g (row-major) of a varying matrix argument m
// (column-major): every entry gets its own partial, as Stan's gradient with
// respect to a matrix treats each entry as given.
func addMat(b *ad.Builder, m ad.Matrix, g []float64) {
	n := m.Cols
	for j := range m.Cols {
		for i := range m.Rows {
			b.Add(m.Data[i+j*m.Rows], g[i*n+j])
		}
	}
}

// addLower adds the partials g (row-major) of the lower triangle of a
// varying matrix argument m (column-major) that only its lower triangle
// enters, as a Cholesky factor's.
func addLower(b *ad.Builder, m ad.Matrix, g []float64) {
	n := m.Cols
	for j := range m.Cols {
		for i := j; i < m.Rows; i++ {
			b.Add(m.Data[i+j*m.Rows], g[i*n+j])
		}
	}
}

// load copies the values of the square matrix m into row-major dst.
func load(m ad.Matrix, dst []float64) {
	n := m.Rows
	for j := range n {
		for i := range n {
			dst[i*n+j] = m.Data[i+j*n].Val
		}
	}
}

func checkSquare(fn string, name argName, m ad.Matrix) error {
	if m.Rows != m.Cols {
		s := name.String()
		return &MatrixError{fn, fmt.Sprintf("Expecting a square matrix; rows of %s (%d) and columns of %s (%d) must match in size", s, m.Rows, s, m.Cols)}
	}
	return nil
}

// checkSymmetric checks a row-major n×n matrix as Stan's check_symmetric.
func checkSymmetric(fn string, name argName, n int, a []float64) error {
	for i := range n {
		for j := i + 1; j < n; j++ {
			if !(math.Abs(a[i*n+j]-a[j*n+i]) <= constraintTolerance) {
				s := name.String()
				return &MatrixError{fn, fmt.Sprintf("%s is not symmetric. %s[%d,%d] = %v, but %s[%d,%d] = %v",
					s, s, i+1, j+1, a[i*n+j], s, j+1, i+1, a[j*n+i])}
			}
		}
	}
	return nil
}

func notPosDef(fn string, name argName) error {
	return &MatrixError{fn, name.String() + " is not positive definite."}
}

// checkCholeskyFactor checks that a row-major n×n matrix is lower
// triangular with a positive diagonal, as Stan's check_cholesky_factor.
func checkCholeskyFactor(fn string, name argName, n int, a []float64) error {
	if err := checkLowerTriangular(fn, name, n, a); err != nil {
		return err
	}
	for i := range n {
		if !(a[i*n+i] > 0) {
			return &DomainError{fn, name.String(), i + 1, a[i*n+i], rulePositive}
		}
	}
	return nil
}

func checkLowerTriangular(fn string, name argName, n int, a []float64) error {
	for i := range n {
		for j := i + 1; j < n; j++ {
			if a[i*n+j] != 0 {
				s := name.String()
				return &MatrixError{fn, fmt.Sprintf("%s is not lower triangular; %s[%d,%d]=%v", s, s, i+1, j+1, a[i*n+j])}
			}
		}
	}
	return nil
}

// cholesky overwrites the lower triangle of the symmetric row-major a with
// its Cholesky factor L (A = L Lᵀ) and zeroes the upper triangle. It reports
// whether a is positive definite.
func cholesky(n int, a []float64) bool {
	_, ok := lapack64.Potrf(blas64.Symmetric{Uplo: blas.Lower, N: n, Stride: n, Data: a})
	for i := range n {
		clear(a[i*n+i+1 : i*n+n])
	}
	return ok
}

func lower(n int, l []float64) blas64.Triangular {
	return blas64.Triangular{Uplo: blas.Lower, Diag: blas.NonUnit, N: n, Stride: n, Data: l}
}

// solveL overwrites x with L⁻¹x.
func solveL(n int, l, x []float64) {
	blas64.Trsv(blas.NoTrans, lower(n, l), blas64.Vector{N: n, Inc: 1, Data: x})
}

// solveLT overwrites x with L⁻ᵀx.
func solveLT(n int, l, x []float64) {
	blas64.Trsv(blas.Trans, lower(n, l), blas64.Vector{N: n, Inc: 1, Data: x})
}

// invFromChol writes (L Lᵀ)⁻¹, full and row-major, into dst.
func invFromChol(n int, l, dst []float64) {
	copy(dst, l[:n*n])
	lapack64.Potri(lower(n, dst))
	for i := range n {
		for j := i + 1; j < n; j++ {
			dst[i*n+j] = dst[j*n+i]
		}
	}
}

// logDetChol returns log det(L Lᵀ).
func logDetChol(n int, l []float64) float64 {
	s := 0.0
	for i := range n {
		s += math.Log(l[i*n+i])
	}
	return 2 * s
}

// residual fills r with y - mu.
func residual(r []float64, y, mu []ad.Var) {
	for j := range r {
		r[j] = y[j].Val - mu[j].Val
	}
}

// lmgamma returns the log of the multivariate gamma function Γ_k(x).
func lmgamma(k int, x float64) float64 {
	s := float64(k*(k-1)) / 4 * math.Log(math.Pi)
	for j := range k {
		lg, _ := math.Lgamma(x - float64(j)/2)
		s += lg
	}
	return s
}

// logTwoPi is log(2π).
var logTwoPi = math.Log(2 * math.Pi)
