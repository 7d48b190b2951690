package dist_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestMultiStudentTValues(t *testing.T) {
	// k = 1 is the univariate Student-t with scale sqrt(Σ).
	for _, c := range [][4]float64{{0.3, 4.5, -1, 2.2}, {5, 1, 0, 0.3}, {-2, 30, 1, 1}} {
		want := distuv.StudentsT{Mu: c[2], Sigma: math.Sqrt(c[3]), Nu: c[1]}.LogProb(c[0])
		got, err := dist.MultiStudentTLpdf(nil, false, constVecs([]float64{c[0]}), ad.Const(c[1]), constVecs([]float64{c[2]}), constMat(1, []float64{c[3]}))
		if err != nil {
			t.Fatal(err)
		}
		near(t, "multi_student_t_lpdf k=1", got.Val, want, 1e-13)
	}
	// k = 3, two vectors, from mpmath at 30 digits.
	const ref = -7.79931092914339527095
	got, err := dist.MultiStudentTLpdf(nil, false, constVecs(mvY1, mvY2), ad.Const(4.5), constVecs(mvMu), constMat(3, mvSigma))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "multi_student_t_lpdf k=3", got.Val, ref, 1e-13)

	// propto with varying y only keeps the kernel.
	tp := ad.NewTape()
	yv := [][]ad.Var{{tp.Var(mvY1[0]), ad.Const(mvY1[1]), ad.Const(mvY1[2])}}
	q := gonumNormal(t, mvMu, mvSigma).quad(mvY1)
	prop, _ := dist.MultiStudentTLpdf(tp, true, yv, ad.Const(4.5), constVecs(mvMu), constMat(3, mvSigma))
	near(t, "multi_student_t_lupdf", prop.Val, -0.5*7.5*math.Log1p(q/4.5), 1e-13)
}

func TestMultiStudentTGradients(t *testing.T) {
	const k = 3
	for _, nu := range []float64{0.7, 4.5, 40} {
		gradCheck(t, "multi_student_t_lpdf", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			a := split(x, 1, 6, 3, 6)
			return dist.MultiStudentTLpdf(tp, false, vecsOf(a[1], k), a[0][0], vecsOf(a[2], k), symFrom(a[3], k))
		}, append(append([]float64{nu}, flat(mvY1, mvY2, mvMu)...), lowerVals(k, mvSigma)...)...)
	}
	gradCheck(t, "multi_student_t_lpdf broadcast y", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a := split(x, 1, 3, 6, 6)
		return dist.MultiStudentTLpdf(tp, false, vecsOf(a[1], k), a[0][0], vecsOf(a[2], k), symFrom(a[3], k))
	}, append(append([]float64{3}, flat(mvMu, mvY1, mvY2)...), lowerVals(k, mvSigma)...)...)
	checkEntrywise(t, "multi_student_t_lpdf", k, mvSigma, func(tp *ad.Tape, s ad.Matrix) (ad.Var, error) {
		return dist.MultiStudentTLpdf(tp, false, constVecs(mvY1, mvY2), ad.Const(4.5), constVecs(mvMu), s)
	})
}

func TestMultiStudentTErrors(t *testing.T) {
	_, err := dist.MultiStudentTLpdf(nil, false, constVecs(mvY1), ad.Const(-1), constVecs(mvMu), constMat(3, mvSigma))
	wantErr(t, "nu", err, "multi_student_t_lpdf: Degrees of freedom parameter is -1, but must be positive finite")
	_, err = dist.MultiStudentTLpdf(nil, false, constVecs([]float64{0, 0}), ad.Const(3), constVecs([]float64{0, 0}), constMat(2, []float64{1, 0, 0, -2}))
	wantErr(t, "indefinite", err, "multi_student_t_lpdf: Scale parameter is not positive definite.")
	_, err = dist.MultiStudentTRng(rand.New(rand.NewPCG(1, 1)), 3, []float64{0}, mat.NewDense(2, 2, []float64{1, 0, 0, 1}))
	wantErr(t, "rng size", err, "multi_student_t_rng: size of Location parameter (1) and size of Scale parameter (2) must match")
}

func TestMultiStudentTRng(t *testing.T) {
	const k, n, nu = 3, 20000, 30.0
	r := rand.New(rand.NewPCG(9, 10))
	draws := make([][]float64, n)
	for i := range draws {
		d, err := dist.MultiStudentTRng(r, nu, mvMu, mat.NewDense(k, k, append([]float64(nil), mvSigma...)))
		if err != nil {
			t.Fatal(err)
		}
		draws[i] = d
	}
	cov := make([]float64, k*k)
	for i, s := range mvSigma {
		cov[i] = s * nu / (nu - 2)
	}
	checkMoments(t, "multi_student_t_rng", draws, mvMu, cov)
}
