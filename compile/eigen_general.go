package compile

import (
	"fmt"
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// eigenvalues and eigenvectors of a general real matrix, complex in
// general, from gonum's (LAPACK's) eigendecomposition; their order is
// LAPACK's, as Stan's is Eigen's: neither is specified.

// addGeneralEigen defines them.
func (l *library) addGeneralEigen() {
	l.fn("eigenvalues", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fm, buf := a[0].v, c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			m := fm(e)
			vals, err := eigenvalues(e.t, m)
			if err != nil {
				fail(pos, "%v", err)
			}
			b := buf.of(e)
			b.shapeComplex([]int{len(vals)})
			for k, z := range vals {
				b.R[2*k], b.R[2*k+1] = z.re, z.im
			}
			return b
		}}, nil
	})
	l.fn("eigenvectors", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fm, buf := a[0].v, c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			m := fm(e)
			if !m.isConst() {
				// A vector's phase is arbitrary, so it has no derivative
				// until one is fixed; this does not pretend to one.
				fail(pos, "eigenvectors: the derivative of eigenvectors of a non-symmetric matrix is not implemented; use eigenvectors_sym for a symmetric one, or data")
			}
			var f mat.Eigen
			n, err := eigenFactor(&f, m, mat.EigenRight)
			if err != nil {
				fail(pos, "%v", err)
			}
			var v mat.CDense
			f.VectorsTo(&v)
			b := buf.of(e)
			b.shapeComplex([]int{n, n})
			for j := range n {
				for i := range n {
					z := v.At(i, j)
					b.R[2*(i+j*n)], b.R[2*(i+j*n)+1] = ad.Const(real(z)), ad.Const(imag(z))
				}
			}
			return b
		}}, nil
	})
}

// eigenFactor factorizes the square matrix m.
func eigenFactor(f *mat.Eigen, m *value, kind mat.EigenKind) (int, error) {
	r, c := m.Dims[0], m.Dims[1]
	if r != c {
		return 0, fmt.Errorf("Expecting a square matrix; rows of m (%d) and columns of m (%d) must match in size", r, c)
	}
	if r == 0 {
		return 0, fmt.Errorf("m has size 0, but must have a non-zero size")
	}
	for _, x := range m.R {
		if math.IsNaN(x.Val) || math.IsInf(x.Val, 0) {
			return 0, fmt.Errorf("m is not finite")
		}
	}
	if !f.Factorize(denseOf(m), kind) {
		return 0, fmt.Errorf("the eigendecomposition did not converge")
	}
	return r, nil
}

// eigenvalues returns the eigenvalues of m with their derivatives: for
// right and left eigenvectors v and u of λ, dλ = uᴴ dA v / (uᴴ v), so
// ∂λ/∂A_ij = conj(u_i) v_j / (uᴴ v), whose real and imaginary parts are
// the partials of λ's parts.
func eigenvalues(t *ad.Tape, m *value) ([]cplx, error) {
	var f mat.Eigen
	kind := mat.EigenNone
	if !m.isConst() {
		kind = mat.EigenBoth
	}
	n, err := eigenFactor(&f, m, kind)
	if err != nil {
		return nil, fmt.Errorf("eigenvalues: %v", err)
	}
	vals := f.Values(nil)
	out := make([]cplx, n)
	if kind == mat.EigenNone {
		for k, z := range vals {
			out[k] = cplx{ad.Const(real(z)), ad.Const(imag(z))}
		}
		return out, nil
	}
	var u, v mat.CDense
	f.LeftVectorsTo(&u)
	f.VectorsTo(&v)
	for k, z := range vals {
		var den complex128
		for i := range n {
			den += cmplx.Conj(u.At(i, k)) * v.At(i, k)
		}
		for part := range 2 {
			b := t.Begin()
			for j := range n {
				for i := range n {
					d := cmplx.Conj(u.At(i, k)) * v.At(j, k) / den
					p := real(d)
					if part == 1 {
						p = imag(d)
					}
					b.Add(m.R[i+j*n], p)
				}
			}
			if part == 0 {
				out[k].re = b.End(real(z))
			} else {
				out[k].im = b.End(imag(z))
			}
		}
	}
	return out, nil
}
