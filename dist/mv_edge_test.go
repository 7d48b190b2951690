package dist_test

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/internal/race"
)

// TestMVEmpty: zero-sized arguments give 0 (or Stan's size error for an
// empty simplex) and empty draws, never a panic.
func TestMVEmpty(t *testing.T) {
	e := ad.Matrix{}
	empty := [][]ad.Var{{}}
	for name, f := range map[string]func() (ad.Var, error){
		"multi_normal":          func() (ad.Var, error) { return dist.MultiNormalLpdf(nil, false, empty, empty, e) },
		"multi_normal no terms": func() (ad.Var, error) { return dist.MultiNormalLpdf(nil, false, nil, empty, e) },
		"multi_normal_cholesky": func() (ad.Var, error) { return dist.MultiNormalCholeskyLpdf(nil, false, empty, empty, e) },
		"multi_normal_prec":     func() (ad.Var, error) { return dist.MultiNormalPrecLpdf(nil, false, empty, empty, e) },
		"multi_student_t":       func() (ad.Var, error) { return dist.MultiStudentTLpdf(nil, false, empty, ad.Const(3), empty, e) },
		"lkj_corr":              func() (ad.Var, error) { return dist.LkjCorrLpdf(nil, false, e, ad.Const(2)) },
		"lkj_corr_cholesky":     func() (ad.Var, error) { return dist.LkjCorrCholeskyLpdf(nil, false, e, ad.Const(2)) },
		"wishart":               func() (ad.Var, error) { return dist.WishartLpdf(nil, false, e, ad.Const(2), e) },
		"inv_wishart":           func() (ad.Var, error) { return dist.InvWishartLpdf(nil, false, e, ad.Const(2), e) },
	} {
		if lp, err := f(); err != nil || lp.Val != 0 {
			t.Errorf("%s on empty arguments: %v, %v", name, lp, err)
		}
	}
	_, err := dist.DirichletLpdf(nil, false, empty, empty)
	wantErr(t, "empty simplex", err, "dirichlet_lpdf: probabilities has size 0, but must have a non-zero size")

	r := rand.New(rand.NewPCG(1, 1))
	for name, f := range map[string]func() (int, error){
		"multi_normal_rng": func() (int, error) { x, err := dist.MultiNormalRng(r, nil, &mat.Dense{}); return len(x), err },
		"multi_student_t_rng": func() (int, error) {
			x, err := dist.MultiStudentTRng(r, 3, nil, &mat.Dense{})
			return len(x), err
		},
		"dirichlet_rng": func() (int, error) { x, err := dist.DirichletRng(r, nil); return len(x), err },
		"lkj_corr_rng": func() (int, error) {
			x, err := dist.LkjCorrRng(r, 0, 1)
			n, _ := x.Dims()
			return n, err
		},
		"wishart_rng": func() (int, error) {
			x, err := dist.WishartRng(r, 1, &mat.Dense{})
			n, _ := x.Dims()
			return n, err
		},
		"inv_wishart_rng": func() (int, error) {
			x, err := dist.InvWishartRng(r, 1, &mat.Dense{})
			n, _ := x.Dims()
			return n, err
		},
	} {
		if n, err := f(); err != nil || n != 0 {
			t.Errorf("%s of size 0: %v, %v", name, n, err)
		}
	}
}

// TestMVAllocs: a steady-state gradient of each density allocates nothing.
func TestMVAllocs(t *testing.T) {
	tp := ad.NewTape()
	vec := func(xs []float64) []ad.Var {
		v := tp.Vars(len(xs))
		for i, x := range xs {
			v[i] = tp.Var(x)
		}
		return v
	}
	mat3 := func(a []float64) ad.Matrix {
		m := tp.Matrix(3, 3)
		for i := range 3 {
			for j := range 3 {
				m.Set(i, j, tp.Var(a[i*3+j]))
			}
		}
		return m
	}
	L := cholOf(t, 3, mvSigma)
	LR := cholOf(t, 3, lkjR)
	ys, mus := make([][]ad.Var, 2), make([][]ad.Var, 1)
	for name, f := range map[string]func() (ad.Var, error){
		"multi_normal_cholesky": func() (ad.Var, error) {
			return dist.MultiNormalCholeskyLpdf(tp, true, ys, mus, mat3(L))
		},
		"multi_normal_prec": func() (ad.Var, error) {
			return dist.MultiNormalPrecLpdf(tp, true, ys, mus, mat3(mvOmega))
		},
		"multi_student_t": func() (ad.Var, error) {
			return dist.MultiStudentTLpdf(tp, true, ys, tp.Var(4), mus, mat3(mvSigma))
		},
		"dirichlet": func() (ad.Var, error) {
			return dist.DirichletLpdf(tp, true, [][]ad.Var{vec([]float64{0.2, 0.3, 0.5})}, mus)
		},
		"lkj_corr":          func() (ad.Var, error) { return dist.LkjCorrLpdf(tp, true, mat3(lkjR), tp.Var(2)) },
		"lkj_corr_cholesky": func() (ad.Var, error) { return dist.LkjCorrCholeskyLpdf(tp, true, mat3(LR), tp.Var(2)) },
		"wishart":           func() (ad.Var, error) { return dist.WishartLpdf(tp, true, mat3(wishW), tp.Var(5), mat3(mvSigma)) },
		"inv_wishart": func() (ad.Var, error) {
			return dist.InvWishartLpdf(tp, true, mat3(wishW), tp.Var(5), mat3(mvSigma))
		},
	} {
		eval := func() {
			tp.Reset()
			ys[0], ys[1], mus[0] = vec(mvY1), vec(mvY2), vec(mvMu)
			if name == "dirichlet" {
				mus[0] = vec([]float64{1.5, 2, 0.7})
			}
			lp, err := f()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			tp.Grad(lp)
		}
		eval()
		if a := testing.AllocsPerRun(20, eval); a != 0 && !race.Enabled {
			t.Errorf("%s: %v allocations per gradient", name, a)
		}
	}
}
