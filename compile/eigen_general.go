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
			vecs, err := eigenvectors(e.t, fm(e))
			if err != nil {
				fail(pos, "%v", err)
			}
			n := len(vecs)
			b := buf.of(e)
			b.shapeComplex([]int{n, n})
			for j, v := range vecs {
				for i, z := range v {
					b.R[2*(i+j*n)], b.R[2*(i+j*n)+1] = z.re, z.im
				}
			}
			return b
		}}, nil
	})
}

// eigenvectors returns the right eigenvectors of m (vecs[k] that of the
// k-th eigenvalue), normalized as LAPACK's dgeev leaves them: unit
// Euclidean norm, the component of largest modulus real. With
// parameters, their derivatives are those of that normalization: for
// simple eigenvalues, dv_k = Σ_{j≠k} (u_jᴴ dA v_k) / ((λ_k - λ_j) u_jᴴ v_j)
// v_j + c v_k (u_j the left eigenvectors: first-order perturbation of a
// simple eigenvector, Wilkinson, "The Algebraic Eigenvalue Problem", ch.
// 2), where c keeps the norm (Re c = -Re v_kᴴ p, p the sum) and the
// largest component real (Im c = -Im p_m / v_km).
func eigenvectors(t *ad.Tape, m *value) ([][]cplx, error) {
	var f mat.Eigen
	kind := mat.EigenRight
	if !m.isConst() {
		kind = mat.EigenBoth
	}
	n, err := eigenFactor(&f, m, kind)
	if err != nil {
		return nil, fmt.Errorf("eigenvectors: %v", err)
	}
	var v mat.CDense
	f.VectorsTo(&v)
	out := make([][]cplx, n)
	if kind == mat.EigenRight {
		for k := range n {
			out[k] = make([]cplx, n)
			for i := range n {
				z := v.At(i, k)
				out[k][i] = cplx{ad.Const(real(z)), ad.Const(imag(z))}
			}
		}
		return out, nil
	}
	vals := f.Values(nil)
	var u mat.CDense
	f.LeftVectorsTo(&u)
	col := func(x *mat.CDense, k int) []complex128 {
		c := make([]complex128, n)
		for i := range c {
			c[i] = x.At(i, k)
		}
		return c
	}
	V, U := make([][]complex128, n), make([][]complex128, n)
	s := make([]complex128, n) // u_jᴴ v_j
	for j := range n {
		V[j], U[j] = col(&v, j), col(&u, j)
		s[j] = cdot(U[j], V[j])
	}
	g := make([]complex128, n)
	dv := make([][]complex128, n*n) // ∂v_k/∂A_il at i+l*n
	for k := range n {
		vk := V[k]
		big := 0 // the largest component, kept real
		for i := range vk {
			if cmplx.Abs(vk[i]) > cmplx.Abs(vk[big]) {
				big = i
			}
		}
		for j := range n {
			if j != k && vals[j] == vals[k] {
				return nil, fmt.Errorf("eigenvectors: the derivative of the eigenvectors of a repeated eigenvalue (%v) is not defined", vals[k])
			}
		}
		vv := make([]complex128, n) // v_kᴴ v_j
		for j := range n {
			vv[j] = cdot(vk, V[j])
		}
		for l := range n {
			for i := range n {
				var vp, pm complex128
				p := make([]complex128, n)
				for j := range n {
					if j == k {
						g[j] = 0
						continue
					}
					g[j] = cmplx.Conj(U[j][i]) * vk[l] / ((vals[k] - vals[j]) * s[j])
					vp += g[j] * vv[j]
					pm += g[j] * V[j][big]
					for r := range n {
						p[r] += g[j] * V[j][r]
					}
				}
				c := complex(-real(vp), -imag(pm)/real(vk[big]))
				for r := range n {
					p[r] += c * vk[r]
				}
				dv[i+l*n] = p
			}
		}
		out[k] = make([]cplx, n)
		for r := range n {
			for part := range 2 {
				b := t.Begin()
				for q, d := range dv {
					x := real(d[r])
					if part == 1 {
						x = imag(d[r])
					}
					b.Add(m.R[q], x)
				}
				if part == 0 {
					out[k][r].re = b.End(real(vk[r]))
				} else {
					out[k][r].im = b.End(imag(vk[r]))
				}
			}
		}
	}
	return out, nil
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
