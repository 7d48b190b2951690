package compile

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// The singular value decomposition of a complex matrix (Stan Functions
// Reference, "Complex linear algebra functions": singular_values, svd_U,
// svd_V and svd). gonum factorizes real matrices only, so A = B + iC
// (m×n) is factorized through its real embedding
//
//	M = [B  -C]
//	    [C   B]   (2m×2n),
//
// which is exact: M [x; y] = [p; q] exactly when A (x + iy) = p + iq, so
// M's singular values are A's, each twice, and a pair of M's singular
// vectors [x; y], [p; q] of σ is a pair x + iy, p + iq of A's.

// complexDecomposition returns the compiler of the decomposition name of
// a complex matrix (args are the signature's), or nil.
func complexDecomposition(name string, args []types.Type) func(*compiler, cexpr, types.Type, token.Position) cexpr {
	if len(args) != 1 || args[0].Kind != types.ComplexMatrix || args[0].Dims != 0 {
		return nil
	}
	switch name {
	case "singular_values":
		return complexSingularValues
	case "svd_U":
		return complexSingularVectors(true)
	case "svd_V":
		return complexSingularVectors(false)
	case "eigenvalues":
		return complexEigenCall(true, false)
	case "eigenvectors":
		return complexEigenCall(false, false)
	case "eigenvalues_sym":
		return complexEigenCall(true, true)
	case "eigenvectors_sym":
		return complexEigenCall(false, true)
	}
	return nil
}

// complexSVD is the thin SVD of the complex m×n matrix v (interleaved,
// column-major): the k = min(m, n) singular values, largest first, and
// the left (m×k) and right (n×k) singular vectors, column by column.
// Where singular values repeat, M's vectors of one value are combined
// (Gram–Schmidt on the right vectors, the same combination of the left
// ones, which keeps A v = σ u) into k orthonormal complex pairs.
func complexSVD(v *value, fn string, pos token.Position) (s []float64, u, w [][]complex128) {
	m, n := v.Dims[0], v.Dims[1]
	if m == 0 || n == 0 {
		fail(pos, "%s: m has size 0, but must have a non-zero size", fn)
	}
	emb := mat.NewDense(2*m, 2*n, nil)
	for j := range n {
		for i := range m {
			re, im := v.R[2*(i+j*m)].Val, v.R[2*(i+j*m)+1].Val
			if math.IsNaN(re) || math.IsInf(re, 0) || math.IsNaN(im) || math.IsInf(im, 0) {
				fail(pos, "%s: m is not finite", fn)
			}
			emb.Set(i, j, re)
			emb.Set(m+i, n+j, re)
			emb.Set(m+i, j, im)
			emb.Set(i, n+j, -im)
		}
	}
	var svd mat.SVD
	if !svd.Factorize(emb, mat.SVDThin) {
		fail(pos, "%s: the decomposition failed", fn)
	}
	vals := svd.Values(nil)
	var um, vm mat.Dense
	svd.UTo(&um)
	svd.VTo(&vm)
	k := min(m, n)
	for j := 0; j < 2*k && len(s) < k; j++ {
		x := make([]complex128, n)
		y := make([]complex128, m)
		for i := range n {
			x[i] = complex(vm.At(i, j), vm.At(n+i, j))
		}
		for i := range m {
			y[i] = complex(um.At(i, j), um.At(m+i, j))
		}
		// Remove the components along the pairs kept: only those of
		// the same singular value are not already orthogonal.
		for q := range w {
			c := cdot(w[q], x)
			caxpy(-c, w[q], x)
			caxpy(-c, u[q], y)
		}
		r := math.Sqrt(real(cdot(x, x)))
		if r < 0.5 {
			continue // i times a vector kept
		}
		cscale(1/r, x)
		cscale(1/r, y)
		s, w, u = append(s, vals[j]), append(w, x), append(u, y)
	}
	return s, u, w
}

// cdot is aᴴ b.
func cdot(a, b []complex128) complex128 {
	var s complex128
	for i := range a {
		s += cmplx.Conj(a[i]) * b[i]
	}
	return s
}

// caxpy is y += c x.
func caxpy(c complex128, x, y []complex128) {
	for i := range x {
		y[i] += c * x[i]
	}
}

func cscale(r float64, x []complex128) {
	for i := range x {
		x[i] *= complex(r, 0)
	}
}

// complexSingularValues is singular_values of a complex matrix, with the
// derivative dσ = Re(uᴴ dA v): ∂σ/∂Re A_ij = Re(ū_i v_j) and ∂σ/∂Im A_ij
// = -Im(ū_i v_j).
func complexSingularValues(c *compiler, a cexpr, t types.Type, pos token.Position) cexpr {
	fm, buf := a.cval(c), c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		v := fm(e)
		s, u, w := complexSVD(v, "singular_values", pos)
		m := v.Dims[0]
		out := buf.of(e)
		out.shape([]int{len(s)}, false)
		for q := range s {
			b := e.t.Begin()
			for j := range w[q] {
				for i := range u[q] {
					d := cmplx.Conj(u[q][i]) * w[q][j]
					o := i + j*m
					b.Add(v.R[2*o], real(d))
					b.Add(v.R[2*o+1], -imag(d))
				}
			}
			out.R[q] = b.End(s[q])
		}
		return out
	}}
}

// complexSingularVectors is svd_U (left) or svd_V of a complex matrix.
// Each vector's phase is arbitrary (as a real one's sign is), so it has
// no derivative until a phase is fixed: the matrix must not depend on
// parameters.
func complexSingularVectors(left bool) func(*compiler, cexpr, types.Type, token.Position) cexpr {
	fn := "svd_V"
	if left {
		fn = "svd_U"
	}
	return func(c *compiler, a cexpr, t types.Type, pos token.Position) cexpr {
		fm, buf := a.cval(c), c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			v := fm(e)
			if !v.isConst() {
				fail(pos, "%s: the derivative of the singular vectors of a complex matrix is not implemented (their phases are arbitrary); use singular_values, or a matrix of data", fn)
			}
			_, u, w := complexSVD(v, fn, pos)
			cols := w
			if left {
				cols = u
			}
			rows := len(cols[0])
			out := buf.of(e)
			out.shapeComplex([]int{rows, len(cols)})
			for j, col := range cols {
				for i, z := range col {
					out.R[2*(i+j*rows)], out.R[2*(i+j*rows)+1] = ad.Const(real(z)), ad.Const(imag(z))
				}
			}
			return out
		}}
	}
}
