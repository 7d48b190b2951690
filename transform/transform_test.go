package transform

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
)

// A case is a transform seen as a map from n unconstrained reals to the
// free coordinates of its value (n of them, so that the Jacobian is
// square), its full value, and its inverse.
type tcase struct {
	name string
	n    int
	// constrain returns the free coordinates, the full value (row-major
	// for matrices) and the log Jacobian.
	constrain   func(t *ad.Tape, y []ad.Var) (free, full []ad.Var, lj ad.Var)
	unconstrain func(full []float64) ([]float64, error)
}

func matRowMajor(m ad.Matrix) []ad.Var {
	out := make([]ad.Var, 0, len(m.Data))
	for i := range m.Rows {
		for j := range m.Cols {
			out = append(out, m.At(i, j))
		}
	}
	return out
}

func lowerOf(m ad.Matrix, strict bool) []ad.Var {
	var out []ad.Var
	for i := range m.Rows {
		for j := 0; j < m.Cols && (j < i || !strict && j == i); j++ {
			out = append(out, m.At(i, j))
		}
	}
	return out
}

func cases() []tcase {
	c := ad.Const
	scalar := func(name string, f func(t *ad.Tape, y ad.Var, lj *ad.Var) ad.Var, inv func(float64) (float64, error)) tcase {
		return tcase{name, 1, func(t *ad.Tape, y []ad.Var) ([]ad.Var, []ad.Var, ad.Var) {
			var lj ad.Var
			x := f(t, y[0], &lj)
			return []ad.Var{x}, []ad.Var{x}, lj
		}, func(x []float64) ([]float64, error) {
			v, err := inv(x[0])
			return []float64{v}, err
		}}
	}
	mat := func(name string, n, k int, f func(t *ad.Tape, y []ad.Var, x ad.Matrix, lj *ad.Var), strict bool, inv func(s []float64, y []float64) error) tcase {
		return tcase{name, n, func(t *ad.Tape, y []ad.Var) ([]ad.Var, []ad.Var, ad.Var) {
			var lj ad.Var
			x := ad.Matrix{Rows: k, Cols: k, Data: make([]ad.Var, k*k)}
			f(t, y, x, &lj)
			return lowerOf(x, strict), matRowMajor(x), lj
		}, func(s []float64) ([]float64, error) {
			y := make([]float64, n)
			return y, inv(s, y)
		}}
	}
	vec := func(name string, n, k int, f func(t *ad.Tape, y, x []ad.Var, lj *ad.Var), inv func(x, y []float64) error) tcase {
		return tcase{name, n, func(t *ad.Tape, y []ad.Var) ([]ad.Var, []ad.Var, ad.Var) {
			var lj ad.Var
			x := make([]ad.Var, k)
			f(t, y, x, &lj)
			return x[:n], x, lj
		}, func(x []float64) ([]float64, error) {
			y := make([]float64, n)
			return y, inv(x, y)
		}}
	}
	return []tcase{
		scalar("lower", func(t *ad.Tape, y ad.Var, lj *ad.Var) ad.Var { return Lower(t, y, c(2), lj) }, func(x float64) (float64, error) { return UnconstrainLower(x, 2) }),
		scalar("upper", func(t *ad.Tape, y ad.Var, lj *ad.Var) ad.Var { return Upper(t, y, c(-1), lj) }, func(x float64) (float64, error) { return UnconstrainUpper(x, -1) }),
		scalar("lower-upper", func(t *ad.Tape, y ad.Var, lj *ad.Var) ad.Var { return LowerUpper(t, y, c(-1), c(3), lj) }, func(x float64) (float64, error) { return UnconstrainLowerUpper(x, -1, 3) }),
		scalar("offset-multiplier", func(t *ad.Tape, y ad.Var, lj *ad.Var) ad.Var { return OffsetMultiplier(t, y, c(1), c(2.5), lj) }, func(x float64) (float64, error) { return UnconstrainOffsetMultiplier(x, 1, 2.5) }),
		vec("simplex", 3, 4, Simplex, UnconstrainSimplex),
		vec("ordered", 4, 4, Ordered, func(x, y []float64) error { return UnconstrainOrdered(x, y, false) }),
		vec("positive_ordered", 4, 4, PositiveOrdered, func(x, y []float64) error { return UnconstrainOrdered(x, y, true) }),
		mat("cholesky_factor_corr", 6, 4, CholeskyCorr, true, func(s, y []float64) error { return UnconstrainCholeskyCorr(s, 4, y) }),
		mat("cov_matrix", 6, 3, CovMatrix, false, func(s, y []float64) error { return UnconstrainCovMatrix(s, 3, y) }),
		mat("corr_matrix", 6, 4, CorrMatrix, true, func(s, y []float64) error { return UnconstrainCorrMatrix(s, 4, y) }),
		{"cholesky_factor_cov", 9, func(t *ad.Tape, y []ad.Var) ([]ad.Var, []ad.Var, ad.Var) {
			var lj ad.Var
			x := ad.Matrix{Rows: 4, Cols: 3, Data: make([]ad.Var, 12)}
			CholeskyCov(t, y, x, &lj)
			return lowerOf(x, false), matRowMajor(x), lj
		}, func(s []float64) ([]float64, error) {
			y := make([]float64, 9)
			return y, UnconstrainCholeskyCov(s, 4, 3, y)
		}},
	}
}

func values(v []ad.Var) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x.Val
	}
	return out
}

// TestTransforms checks, at random points, that unconstrain inverts
// constrain, that the log Jacobian is log|det| of the finite-difference
// Jacobian of the free coordinates, and that the gradient of a weighted
// sum of the outputs plus the log Jacobian is right.
func TestTransforms(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range cases() {
		for range 3 {
			y0 := make([]float64, tc.n)
			for i := range y0 {
				y0[i] = rng.NormFloat64()
			}
			tape := ad.NewTape()
			yv := make([]ad.Var, tc.n)
			for i, v := range y0 {
				yv[i] = tape.Var(v)
			}
			_, full, lj := tc.constrain(tape, yv)
			back, err := tc.unconstrain(values(full))
			if err != nil {
				t.Errorf("%s: unconstrain: %v", tc.name, err)
				continue
			}
			for i := range y0 {
				if math.Abs(back[i]-y0[i]) > 1e-9 {
					t.Errorf("%s: round trip %v -> %v", tc.name, y0, back)
					break
				}
			}
			free := func(y []float64) []float64 {
				v := make([]ad.Var, len(y))
				for i, x := range y {
					v[i] = ad.Const(x)
				}
				f, _, _ := tc.constrain(ad.NewTape(), v)
				return values(f)
			}
			jac := mat.NewDense(tc.n, tc.n, nil)
			for j := range tc.n {
				h := 1e-6
				yp, ym := append([]float64(nil), y0...), append([]float64(nil), y0...)
				yp[j] += h
				ym[j] -= h
				fp, fm := free(yp), free(ym)
				for i := range tc.n {
					jac.Set(i, j, (fp[i]-fm[i])/(2*h))
				}
			}
			var lu mat.LU
			lu.Factorize(jac)
			logDet, _ := lu.LogDet()
			if math.Abs(logDet-lj.Val) > 1e-6*math.Max(1, math.Abs(logDet)) {
				t.Errorf("%s: log Jacobian %v, finite differences give %v", tc.name, lj.Val, logDet)
			}
			w := make([]float64, len(full))
			for i := range w {
				w[i] = rng.NormFloat64()
			}
			f := func(tp *ad.Tape, y []ad.Var) (ad.Var, error) {
				_, full, lj := tc.constrain(tp, y)
				s := lj
				for i, v := range full {
					s = tp.Add(s, tp.Mul(ad.Const(w[i]), v))
				}
				return s, nil
			}
			if err := fdcheck.Check(f, y0, 1e-6); err != nil {
				t.Errorf("%s: gradient: %v", tc.name, err)
			}
		}
	}
}

func TestUnconstrainErrors(t *testing.T) {
	checks := []struct {
		err  error
		want string
	}{
		{func() error { _, e := UnconstrainLower(-1, 0); return e }(), "is -1, but must be >= 0"},
		{func() error { _, e := UnconstrainUpper(2, 1); return e }(), "is 2, but must be <= 1"},
		{func() error { _, e := UnconstrainLowerUpper(2, 0, 1); return e }(), "is 2, but must be in the interval [0, 1]"},
		{UnconstrainSimplex([]float64{0.5, 0.6}, make([]float64, 1)), "is not a valid simplex. sum(x) = 1.1, but should be 1"},
		{UnconstrainOrdered([]float64{1, 0}, make([]float64, 2), false), "is not a valid ordered vector"},
		{UnconstrainCovMatrix([]float64{1, 2, 2, 1}, 2, make([]float64, 3)), "is not positive definite"},
		{UnconstrainCovMatrix([]float64{1, 0.5, 0.4, 1}, 2, make([]float64, 3)), "is not symmetric"},
		{UnconstrainCorrMatrix([]float64{2, 0, 0, 1}, 2, make([]float64, 1)), "diagonal element [1,1] is 2, but should be 1"},
		{UnconstrainCholeskyCov([]float64{1, 1, 0, 1}, 2, 2, make([]float64, 3)), "is not lower triangular"},
		{UnconstrainUnitVector([]float64{1, 1}, make([]float64, 2)), "is not a valid unit vector"},
	}
	for _, c := range checks {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("error %v, want %q", c.err, c.want)
		}
	}
}

func TestUnitVector(t *testing.T) {
	tape := ad.NewTape()
	y := []ad.Var{tape.Var(3), tape.Var(4)}
	x := make([]ad.Var, 2)
	var lj ad.Var
	UnitVector(tape, y, x, &lj)
	if math.Abs(x[0].Val-0.6) > 1e-15 || math.Abs(x[1].Val-0.8) > 1e-15 || lj.Val != -12.5 {
		t.Fatalf("x = %v, lj = %v", values(x), lj.Val)
	}
	f := func(tp *ad.Tape, y []ad.Var) (ad.Var, error) {
		x := make([]ad.Var, 2)
		var lj ad.Var
		UnitVector(tp, y, x, &lj)
		return tp.Add(lj, tp.Add(x[0], tp.Mul(ad.Const(3), x[1]))), nil
	}
	if err := fdcheck.Check(f, []float64{0.3, -1.2}, 1e-6); err != nil {
		t.Error(err)
	}
}
