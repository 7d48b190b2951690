package compile

import (
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The matrix functions that record one tape node each (Cholesky, the
// triangular solves, the diagonal scalings, sums of containers) against
// gonum's values and finite differences. x[1:6] fill a lower-triangular
// 3×3 L by column (shifted to a positive diagonal), x[7:9] a vector v,
// x[10:15] a 3×2 matrix B by column.
func TestMatrixNodes(t *testing.T) {
	at := []float64{0.4, -0.3, 0.2, 0.5, 0.1, -0.6, 0.7, -0.2, 0.9, 1.1, -0.4, 0.3, 0.8, -0.9, 0.25}
	decls := `transformed data { matrix[3, 3] W = to_matrix({1, -0.5, 2, 0.25, -1.5, 0.75, 3, -2, 1.25}, 3, 3); }`
	L := "[[x[1] + 2, 0, 0], [x[2], x[4] + 2, 0], [x[3], x[5], x[6] + 2]]"
	v := "x[7:9]"
	B := "to_matrix(x[10:15], 3, 2)"
	lower := func(x []float64) *mat.TriDense {
		return mat.NewTriDense(3, mat.Lower, []float64{x[0] + 2, 0, 0, x[1], x[3] + 2, 0, x[2], x[4], x[5] + 2})
	}
	vec := func(x []float64) *mat.VecDense { return mat.NewVecDense(3, append([]float64(nil), x[6:9]...)) }
	bm := func(x []float64) *mat.Dense {
		b := mat.NewDense(3, 2, nil)
		for j := range 2 {
			for i := range 3 {
				b.Set(i, j, x[9+i+3*j])
			}
		}
		return b
	}
	w := mat.NewDense(3, 3, []float64{1, 0.25, 3, -0.5, -1.5, -2, 2, 0.75, 1.25}) // W row by row
	// weighed is Σ W ∘ m over a 3×3 m, or Σ m over others.
	weighed := func(m mat.Matrix) float64 {
		r, c := m.Dims()
		s := 0.0
		for i := range r {
			for j := range c {
				f := 1.0
				if r == 3 && c == 3 {
					f = w.At(i, j)
				}
				s += f * m.At(i, j)
			}
		}
		return s
	}
	checkExprs(t, decls, at, []exprCase{
		{"sum(W .* cholesky_decompose(multiply_lower_tri_self_transpose(" + L + ")))", func(x []float64) float64 {
			return weighed(lower(x))
		}},
		{"sum(mdivide_left_tri_low(" + L + ", " + v + "))", func(x []float64) float64 {
			var r mat.VecDense
			r.SolveVec(lower(x), vec(x))
			return weighed(&r)
		}},
		{"sum(mdivide_left_tri_low(" + L + ", " + B + "))", func(x []float64) float64 {
			var r mat.Dense
			r.Solve(lower(x), bm(x))
			return weighed(&r)
		}},
		{"sum(mdivide_right_tri_low(" + B + "', " + L + "))", func(x []float64) float64 {
			var inv, r mat.Dense
			inv.Inverse(lower(x))
			r.Mul(bm(x).T(), &inv)
			return weighed(&r)
		}},
		{"sum(W .* diag_pre_multiply(" + v + ", " + L + "))", func(x []float64) float64 {
			var r mat.Dense
			r.Mul(mat.NewDiagDense(3, vec(x).RawVector().Data), lower(x))
			return weighed(&r)
		}},
		{"sum(W .* diag_post_multiply(" + L + ", " + v + "'))", func(x []float64) float64 {
			var r mat.Dense
			r.Mul(lower(x), mat.NewDiagDense(3, vec(x).RawVector().Data))
			return weighed(&r)
		}},
		{"sum(W .* quad_form_diag(" + L + ", " + v + "))", func(x []float64) float64 {
			var r mat.Dense
			d := mat.NewDiagDense(3, vec(x).RawVector().Data)
			r.Product(d, lower(x), d)
			return weighed(&r)
		}},
		{"sum(W .* (" + L + " + diag_matrix(" + v + ") - W))", func(x []float64) float64 {
			var r mat.Dense
			r.Add(lower(x), mat.NewDiagDense(3, vec(x).RawVector().Data))
			r.Sub(&r, w)
			return weighed(&r)
		}},
	})
}
