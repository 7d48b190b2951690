package dist_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
	"gonum.org/v1/gonum/mat"
)

// vecsOf cuts x into vectors of length k.
func vecsOf(x []ad.Var, k int) [][]ad.Var {
	out := make([][]ad.Var, len(x)/k)
	for i := range out {
		out[i] = x[i*k : i*k+k]
	}
	return out
}

// constVecs turns rows of float64s into constant vectors.
func constVecs(rows ...[]float64) [][]ad.Var {
	out := make([][]ad.Var, len(rows))
	for i, r := range rows {
		out[i] = consts(r...)
	}
	return out
}

// flat concatenates float64 slices.
func flat(rows ...[]float64) []float64 {
	var out []float64
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// lowerVals lists the lower triangle of the row-major k×k a, row by row.
func lowerVals(k int, a []float64) []float64 {
	var out []float64
	for i := range k {
		for j := 0; j <= i; j++ {
			out = append(out, a[i*k+j])
		}
	}
	return out
}

// symFrom builds a symmetric k×k matrix whose (i, j) and (j, i) entries are
// the same Var, taken row by row from the lower triangle in x.
func symFrom(x []ad.Var, k int) ad.Matrix {
	m := ad.Matrix{Rows: k, Cols: k, Data: make([]ad.Var, k*k)}
	p := 0
	for i := range k {
		for j := 0; j <= i; j++ {
			m.Set(i, j, x[p])
			m.Set(j, i, x[p])
			p++
		}
	}
	return m
}

// lowerFrom builds a lower-triangular k×k matrix from its lower triangle
// in x, with constant zeros above the diagonal.
func lowerFrom(x []ad.Var, k int) ad.Matrix {
	m := ad.Matrix{Rows: k, Cols: k, Data: make([]ad.Var, k*k)}
	p := 0
	for i := range k {
		for j := 0; j <= i; j++ {
			m.Set(i, j, x[p])
			p++
		}
	}
	return m
}

// constMat turns a row-major k×k float64 matrix into a constant ad.Matrix.
func constMat(k int, a []float64) ad.Matrix {
	m := ad.Matrix{Rows: k, Cols: k, Data: make([]ad.Var, k*k)}
	for i := range k {
		for j := range k {
			m.Set(i, j, ad.Const(a[i*k+j]))
		}
	}
	return m
}

// symDense wraps a row-major symmetric matrix for gonum.
func symDense(k int, a []float64) *mat.SymDense {
	return mat.NewSymDense(k, append([]float64(nil), a...))
}

// cholOf returns the row-major lower Cholesky factor of a row-major SPD a.
func cholOf(t *testing.T, k int, a []float64) []float64 {
	t.Helper()
	var c mat.Cholesky
	if !c.Factorize(symDense(k, a)) {
		t.Fatal("test matrix not positive definite")
	}
	var l mat.TriDense
	c.LTo(&l)
	out := make([]float64, k*k)
	for i := range k {
		for j := 0; j <= i; j++ {
			out[i*k+j] = l.At(i, j)
		}
	}
	return out
}

// checkEntrywise checks Stan's convention for a symmetric matrix argument:
// with every entry a Var of its own, the partials of entries (i, j) and
// (j, i) are equal and sum to the derivative with respect to a shared Var
// (which gradCheck verifies against finite differences). f gets the matrix.
func checkEntrywise(t *testing.T, name string, k int, a []float64, f func(*ad.Tape, ad.Matrix) (ad.Var, error)) {
	t.Helper()
	tp := ad.NewTape()
	m := ad.Matrix{Rows: k, Cols: k, Data: make([]ad.Var, k*k)}
	for i := range k {
		for j := range k {
			m.Set(i, j, tp.Var(a[i*k+j]))
		}
	}
	lp, err := f(tp, m)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	tp.Grad(lp)
	_, shared, err := fdcheck.Gradient(func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		return f(tp, symFrom(x, k))
	}, lowerVals(k, a))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	p := 0
	for i := range k {
		for j := 0; j <= i; j++ {
			gij, gji := tp.Adjoint(m.At(i, j)), tp.Adjoint(m.At(j, i))
			sum := gij
			if i != j {
				sum += gji
			}
			if math.Abs(gij-gji) > 1e-12*math.Max(1, math.Abs(gij)) ||
				math.Abs(sum-shared[p]) > 1e-10*math.Max(1, math.Abs(sum)) {
				t.Errorf("%s: entry partials (%d,%d) %v and %v, shared %v", name, i+1, j+1, gij, gji, shared[p])
			}
			p++
		}
	}
}

// wantErr fails unless err's message is msg.
func wantErr(t *testing.T, what string, err error, msg string) {
	t.Helper()
	if err == nil || err.Error() != msg {
		t.Errorf("%s: got error %v, want %q", what, err, msg)
	}
}
