package compile

import (
	"fmt"
	"math"
	"math/cmplx"
	"sort"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// eigenvalues, eigenvectors and eigendecompose of a complex matrix, and
// their _sym forms for a Hermitian one (Stan
// Functions Reference, "Complex linear algebra functions",
// "Eigendecomposition"), computed as Eigen's ComplexEigenSolver, which
// Stan runs: the complex Schur form A = U T Uᴴ (complexSchur), whose
// diagonal holds the eigenvalues; the eigenvectors of the triangular T by
// back substitution, mapped back by U and scaled to unit norm; the pairs
// sorted by increasing modulus. As in Stan, the derivatives are those of
// the algorithm's own steps, every operation being recorded on the tape
// when A depends on parameters.

// complexEigen returns the eigenvalues of the complex matrix m and, when
// vectors is set, its eigenvectors (column k, row-major: vecs[i*n+k]).
func complexEigen(t *ad.Tape, m *value, vectors bool) (vals, vecs []cplx, n int, err error) {
	T, U, n, err := complexSchur(t, m, true)
	if err != nil {
		return nil, nil, 0, err
	}
	if n == 0 {
		return nil, nil, 0, fmt.Errorf("m has size 0, but must have a non-zero size")
	}
	vals = make([]cplx, n)
	for k := range n {
		vals[k] = T[k*n+k]
	}
	if vectors {
		vecs = triangularEigenvectors(t, T, U, n)
	}
	// Selection by least modulus, the first of equals kept first.
	for i := range n {
		k := i
		for j := i + 1; j < n; j++ {
			if cmplx.Abs(val(vals[j])) < cmplx.Abs(val(vals[k])) {
				k = j
			}
		}
		if k == i {
			continue
		}
		vals[i], vals[k] = vals[k], vals[i]
		if vectors {
			for r := range n {
				vecs[r*n+i], vecs[r*n+k] = vecs[r*n+k], vecs[r*n+i]
			}
		}
	}
	return vals, vecs, n, nil
}

// triangularEigenvectors returns U X, X's column k the eigenvector of the
// upper triangular T for T_kk with X_kk = 1 (X_ik = -(Σ_{i<j≤k} T_ij
// X_jk)/(T_ii - T_kk) upwards from i = k-1), each column scaled to unit
// norm. A zero divisor (a repeated eigenvalue) is replaced by ε‖T‖, as
// Eigen does.
func triangularEigenvectors(t *ad.Tape, T, U []cplx, n int) []cplx {
	o := schurOps{t}
	norm := 0.0
	for i := range n {
		for j := i; j < n; j++ {
			norm = math.Max(norm, cmplx.Abs(val(T[i*n+j])))
		}
	}
	tiny := cplx{ad.Const(0x1p-52 * norm), ad.Var{}}
	if norm == 0 {
		tiny = cplx{ad.Const(math.SmallestNonzeroFloat64), ad.Var{}}
	}
	out := make([]cplx, n*n)
	x := make([]cplx, n)
	for k := range n {
		x[k] = cplx{ad.Const(1), ad.Var{}}
		for i := k - 1; i >= 0; i-- {
			s := T[i*n+k]
			for j := i + 1; j < k; j++ {
				s = o.add(s, o.mul(T[i*n+j], x[j]))
			}
			d := o.sub(T[i*n+i], T[k*n+k])
			if val(d) == 0 {
				d = tiny
			}
			q := complexDiv(t, s, d)
			x[i] = cplx{t.Neg(q.re), t.Neg(q.im)}
		}
		var ss ad.Var
		for r := range n {
			v := U[r*n+k] // times X_kk = 1
			for j := range k {
				v = o.add(v, o.mul(U[r*n+j], x[j]))
			}
			out[r*n+k] = v
			sq := t.Add(t.Mul(v.re, v.re), t.Mul(v.im, v.im))
			if r == 0 {
				ss = sq
			} else {
				ss = t.Add(ss, sq)
			}
		}
		inv := t.Div(ad.Const(1), t.Sqrt(ss))
		for r := range n {
			out[r*n+k] = o.scale(out[r*n+k], inv)
		}
	}
	return out
}

// complexEigenSym returns the eigenvalues, ascending, and the
// eigenvectors (column k, row-major: vecs[i*n+k]) of the Hermitian matrix
// whose lower triangle is m's, as Eigen's SelfAdjointEigenSolver reads it
// (the diagonal's real parts, the upper triangle the lower one's
// conjugate). Its Schur form is diagonal: the eigenvalues are the real
// diagonal and the eigenvectors U's columns.
func complexEigenSym(t *ad.Tape, m *value) (vals []ad.Var, vecs []cplx, n int, err error) {
	n = m.Dims[0]
	if n != m.Dims[1] {
		return nil, nil, 0, fmt.Errorf("Expecting a square matrix; rows of m (%d) and columns of m (%d) must match in size", n, m.Dims[1])
	}
	if n == 0 {
		return nil, nil, 0, fmt.Errorf("m has size 0, but must have a non-zero size")
	}
	h := &value{}
	h.shapeComplex([]int{n, n})
	for j := range n {
		for i := j; i < n; i++ {
			re, im := m.R[2*(i+j*n)], m.R[2*(i+j*n)+1]
			if i == j {
				h.R[2*(i+j*n)], h.R[2*(i+j*n)+1] = re, ad.Var{}
				continue
			}
			h.R[2*(i+j*n)], h.R[2*(i+j*n)+1] = re, im
			h.R[2*(j+i*n)], h.R[2*(j+i*n)+1] = re, t.Neg(im)
		}
	}
	T, U, n, err := complexSchur(t, h, true)
	if err != nil {
		return nil, nil, 0, err
	}
	order := make([]int, n)
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool { return T[order[a]*n+order[a]].re.Val < T[order[b]*n+order[b]].re.Val })
	vals, vecs = make([]ad.Var, n), make([]cplx, n*n)
	for k, o := range order {
		vals[k] = T[o*n+o].re
		for r := range n {
			vecs[r*n+k] = U[r*n+o]
		}
	}
	return vals, vecs, n, nil
}

// complexEigenCall compiles eigenvalues (values) or eigenvectors of a
// complex matrix, or their _sym forms (sym: a Hermitian matrix, real
// eigenvalues in ascending order).
func complexEigenCall(values, sym bool) func(*compiler, cexpr, types.Type, token.Position) cexpr {
	fn := "eigenvectors"
	if values {
		fn = "eigenvalues"
	}
	if sym {
		fn += "_sym"
	}
	return func(c *compiler, a cexpr, t types.Type, pos token.Position) cexpr {
		fm, buf := a.cval(c), c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			var vals, vecs []cplx
			var n int
			var err error
			if sym {
				var re []ad.Var
				re, vecs, n, err = complexEigenSym(e.t, fm(e))
				vals = make([]cplx, len(re))
				for k, v := range re {
					vals[k] = cplx{re: v}
				}
			} else {
				vals, vecs, n, err = complexEigen(e.t, fm(e), !values)
			}
			if err != nil {
				fail(pos, "%s: %v", fn, err)
			}
			b := buf.of(e)
			if values {
				b.shapeComplex([]int{n})
				for k, z := range vals {
					b.R[2*k], b.R[2*k+1] = z.re, z.im
				}
				return b
			}
			setComplexMatrix(b, vecs, n)
			return b
		}}
	}
}

// setComplexMatrix makes b the n×n complex matrix z, stored row by row,
// in a value's column-major layout.
func setComplexMatrix(b *value, z []cplx, n int) {
	b.shapeComplex([]int{n, n})
	for i := range n {
		for j := range n {
			w := z[i*n+j]
			b.R[2*(i+j*n)], b.R[2*(i+j*n)+1] = w.re, w.im
		}
	}
}
