package compile

import (
	"math"
	"sort"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestMoreLinearAlgebra checks the matrix functions of linalg_more.go
// against gonum, through weighted sums of their entries, and their
// gradients against finite differences.
func TestMoreLinearAlgebra(t *testing.T) {
	at := []float64{0.3, -0.2, 0.5, 0.1, 0.4, -0.6, 0.2, 0.7, -0.1, 1.2, -0.8, 0.4}
	A, S := stanA, stanS
	inv := func(m mat.Matrix) *mat.Dense {
		var r mat.Dense
		if err := r.Inverse(m); err != nil {
			t.Fatal(err)
		}
		return &r
	}
	lowerOf := func(m mat.Matrix) *mat.Dense {
		l := mat.DenseCopyOf(m)
		for j := range 3 {
			for i := range j {
				l.Set(i, j, 0)
			}
		}
		return l
	}
	// pinv is the pseudo-inverse from gonum's SVD: V Σ⁻¹ Uᵀ.
	pinv := func(m mat.Matrix) *mat.Dense {
		var svd mat.SVD
		svd.Factorize(m, mat.SVDThin)
		var u, v mat.Dense
		svd.UTo(&u)
		svd.VTo(&v)
		s := svd.Values(nil)
		for j := range s {
			for i := range v.RawMatrix().Rows {
				v.Set(i, j, v.At(i, j)/s[j])
			}
		}
		var r mat.Dense
		r.Mul(&v, u.T())
		return &r
	}
	checkExprs(t, linalgDecls, at, []exprCase{
		{"log_determinant_spd(" + S + ")", func(x []float64) float64 {
			ld, _ := mat.LogDet(goS(x))
			return ld
		}},
		{"sum(W .* chol2inv(" + A + "))", func(x []float64) float64 {
			var llt mat.Dense
			l := lowerOf(goA(x))
			llt.Mul(l, l.T())
			return weighed(inv(&llt))
		}},
		{"sum(W .* symmetrize_from_lower_tri(" + A + "))", func(x []float64) float64 {
			l := lowerOf(goA(x))
			var s mat.Dense
			s.Add(l, l.T())
			for i := range 3 {
				s.Set(i, i, goA(x).At(i, i))
			}
			return weighed(&s)
		}},
		{"sum(W .* matrix_power(" + A + ", 3)) + sum(W .* matrix_power(" + A + ", 0)) + sum(W .* matrix_power(" + A + ", 1))", func(x []float64) float64 {
			var a3 mat.Dense
			a3.Pow(goA(x), 3)
			return weighed(&a3) + weighed(mat.NewDiagDense(3, []float64{1, 1, 1})) + weighed(goA(x))
		}},
		{"sum(W .* matrix_exp_multiply(0.1 * " + A + ", W)) + sum(W .* scale_matrix_exp_multiply(x[10], 0.1 * " + A + ", W))", func(x []float64) float64 {
			var a, e, r, as, es, rs mat.Dense
			a.Scale(0.1, goA(x))
			e.Exp(&a)
			r.Mul(&e, linW)
			as.Scale(x[9], &a)
			es.Exp(&as)
			rs.Mul(&es, linW)
			return weighed(&r) + weighed(&rs)
		}},
		// trace(A Aᵀ) and trace of a 3×2 by a 2×3.
		{"trace_dot(" + A + ", " + A + "') + trace_dot(block(" + A + ", 1, 1, 3, 2), W[1:2, ])", func(x []float64) float64 {
			var p, q mat.Dense
			p.Mul(goA(x), goA(x).T())
			q.Mul(goA(x).Slice(0, 3, 0, 2), linW.Slice(0, 2, 0, 3))
			return mat.Trace(&p) + mat.Trace(&q)
		}},
		{"sum(W .* generalized_inverse(" + A + "))", func(x []float64) float64 { return weighed(inv(goA(x))) }},
		// A tall and a wide matrix: the first two columns, and their
		// transpose.
		{"sum(W[1:2, ] .* generalized_inverse(block(" + A + ", 1, 1, 3, 2))) + sum(W[, 1:2] .* generalized_inverse(block(" + A + ", 1, 1, 3, 2)'))", func(x []float64) float64 {
			tall := goA(x).Slice(0, 3, 0, 2)
			var p1, p2 mat.Dense
			p1.MulElem(linW.Slice(0, 2, 0, 3), pinv(tall))
			p2.MulElem(linW.Slice(0, 3, 0, 2), pinv(tall.T()))
			return mat.Sum(&p1) + mat.Sum(&p2)
		}},
	})
	// Sample quantiles, of data (Stan's quantile takes data only).
	at = []float64{0.3, -0.2, 0.5, 0.1, 0.45, -0.6, 0.2, 0.7, -0.1, 1.2, -0.8, 0.4}
	checkExprs(t, dataVector("xd", at), at, []exprCase{
		{"quantile(xd, 0.3) + sum(quantile(to_array_1d(xd), {0, 0.5, 1})) + quantile(xd', 0.77)", func(x []float64) float64 {
			s := append([]float64(nil), x...)
			sort.Float64s(s)
			q := func(p float64) float64 {
				h := 11 * p
				lo := math.Floor(h)
				if lo >= 11 {
					return s[11]
				}
				return s[int(lo)] + (h-lo)*(s[int(lo)+1]-s[int(lo)])
			}
			return q(0.3) + s[0] + (s[5]+s[6])/2 + s[11] + q(0.77)
		}},
	})
}

// TestQR checks qr_Q, qr_R and their thin forms against gonum's QR with
// R's diagonal made nonnegative, for a tall and a wide matrix.
func TestQR(t *testing.T) {
	at := []float64{0.3, -0.2, 0.5, 0.1, 0.4, -0.6, 0.2, 0.7, -0.1, 1.2, -0.8, 0.4}
	// gonumQR returns Q (m×m) and R (m×n) of m with R_ii ≥ 0.
	gonumQR := func(m mat.Matrix) (*mat.Dense, *mat.Dense) {
		var f mat.QR
		f.Factorize(m)
		var q, r mat.Dense
		f.QTo(&q)
		f.RTo(&r)
		rows, cols := m.Dims()
		for i := range min(rows, cols) {
			if r.At(i, i) < 0 {
				for j := range cols {
					r.Set(i, j, -r.At(i, j))
				}
				for l := range rows {
					q.Set(l, i, -q.At(l, i))
				}
			}
		}
		return &q, &r
	}
	weigh := func(w, m mat.Matrix) float64 {
		var p mat.Dense
		p.MulElem(w, m)
		return mat.Sum(&p)
	}
	tall := "block(" + stanA + ", 1, 1, 3, 2)"
	wide := tall + "'"
	goTall := func(x []float64) mat.Matrix { return goA(x).Slice(0, 3, 0, 2) }
	checkExprs(t, linalgDecls, at, []exprCase{
		{"sum(W .* qr_Q(" + tall + ")) + sum(W[, 1:2] .* qr_R(" + tall + "))", func(x []float64) float64 {
			q, r := gonumQR(goTall(x))
			return weigh(linW, q) + weigh(linW.Slice(0, 3, 0, 2), r)
		}},
		{"sum(W[, 1:2] .* qr_thin_Q(" + tall + ")) + sum(W[1:2, 1:2] .* qr_thin_R(" + tall + "))", func(x []float64) float64 {
			q, r := gonumQR(goTall(x))
			return weigh(linW.Slice(0, 3, 0, 2), q.Slice(0, 3, 0, 2)) + weigh(linW.Slice(0, 2, 0, 2), r.Slice(0, 2, 0, 2))
		}},
		{"sum(W[1:2, 1:2] .* qr_Q(" + wide + ")) + sum(W[1:2, ] .* qr_R(" + wide + ")) + sum(W[1:2, 1:2] .* qr_thin_Q(" + wide + ")) + sum(W[1:2, ] .* qr_thin_R(" + wide + "))", func(x []float64) float64 {
			// gonum factorizes tall matrices only: Q is that of the
			// leading square block, and R = Qᵀ A.
			w := goTall(x).T()
			q, _ := gonumQR(mat.DenseCopyOf(w).Slice(0, 2, 0, 2))
			var r mat.Dense
			r.Mul(q.T(), w)
			return 2 * (weigh(linW.Slice(0, 2, 0, 2), q) + weigh(linW.Slice(0, 2, 0, 3), &r))
		}},
		{"sum(W .* qr_Q(" + stanA + ")) + sum(W .* qr_R(" + stanA + "))", func(x []float64) float64 {
			q, r := gonumQR(goA(x))
			return weigh(linW, q) + weigh(linW, r)
		}},
	})
}

// TestSVD checks svd_U and svd_V of a tall and a wide matrix against
// gonum's SVD through quantities a vector's sign does not change (squared
// projections), and that U diag(σ) Vᵀ rebuilds the matrix.
func TestSVD(t *testing.T) {
	at := []float64{0.3, -0.2, 0.5, 0.1, 0.4, -0.6, 0.2, 0.7, -0.1, 1.2, -0.8, 0.4}
	tall := "block(" + stanA + ", 1, 1, 3, 2)"
	goTall := func(x []float64) mat.Matrix { return goA(x).Slice(0, 3, 0, 2) }
	// proj is Σ_j (wᵀ c_j)² (j + 1) over the columns c_j of m.
	proj := func(w []float64, m mat.Matrix) float64 {
		r, c := m.Dims()
		s := 0.0
		for j := range c {
			d := 0.0
			for i := range r {
				d += w[i] * m.At(i, j)
			}
			s += d * d * float64(j+1)
		}
		return s
	}
	gonumSVD := func(m mat.Matrix) (u, v mat.Dense) {
		var f mat.SVD
		f.Factorize(m, mat.SVDThin)
		f.UTo(&u)
		f.VTo(&v)
		return u, v
	}
	w3, w2 := []float64{1, -2, 0.5}, []float64{1, -2}
	checkExprs(t, linalgDecls, at, []exprCase{
		{"dot_product(square(w' * svd_U(" + tall + ")), [1, 2]) + dot_product(square(w[1:2]' * svd_V(" + tall + ")), [1, 2])", func(x []float64) float64 {
			u, v := gonumSVD(goTall(x))
			return proj(w3, &u) + proj(w2, &v)
		}},
		{"dot_product(square(w[1:2]' * svd_U(" + tall + "')), [1, 2]) + dot_product(square(w' * svd_V(" + tall + "')), [1, 2])", func(x []float64) float64 {
			u, v := gonumSVD(goTall(x).T())
			return proj(w2, &u) + proj(w3, &v)
		}},
		{"sum(W[, 1:2] .* (svd_U(" + tall + ") * diag_matrix(singular_values(" + tall + ")) * svd_V(" + tall + ")'))", func(x []float64) float64 {
			var p mat.Dense
			p.MulElem(linW.Slice(0, 3, 0, 2), goTall(x))
			return mat.Sum(&p)
		}},
		{"dot_product(square(w' * svd_U(" + stanA + ")), [1, 2, 3]) + dot_product(square(w' * svd_V(" + stanA + ")), [1, 2, 3])", func(x []float64) float64 {
			u, v := gonumSVD(goA(x))
			return proj(w3, &u) + proj(w3, &v)
		}},
	})
}
