package dist_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"gonum.org/v1/gonum/mat"
)

// mvOmega is a precision matrix (row-major).
var mvOmega = []float64{
	1.2, -0.3, 0.1,
	-0.3, 0.8, 0.25,
	0.1, 0.25, 1.7,
}

func TestMultiNormalPrecValues(t *testing.T) {
	const k = 3
	var inv mat.Dense
	if err := inv.Inverse(mat.NewDense(k, k, append([]float64(nil), mvOmega...))); err != nil {
		t.Fatal(err)
	}
	sigma := inv.RawMatrix().Data
	for i := range k { // symmetrise the rounding
		for j := range i {
			sigma[j*k+i] = sigma[i*k+j]
		}
	}
	d := gonumNormal(t, mvMu, sigma)
	want := d.LogProb(mvY1) + d.LogProb(mvY2)
	got, err := dist.MultiNormalPrecLpdf(nil, false, constVecs(mvY1, mvY2), constVecs(mvMu), constMat(k, mvOmega))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "multi_normal_prec_lpdf", got.Val, want, 1e-13)

	tp := ad.NewTape()
	yv := [][]ad.Var{{tp.Var(mvY1[0]), ad.Const(mvY1[1]), ad.Const(mvY1[2])}}
	full, _ := dist.MultiNormalPrecLpdf(nil, false, constVecs(mvY1), constVecs(mvMu), constMat(k, mvOmega))
	prop, _ := dist.MultiNormalPrecLpdf(tp, true, yv, constVecs(mvMu), constMat(k, mvOmega))
	near(t, "multi_normal_prec_lupdf", prop.Val, full.Val+1.5*math.Log(2*math.Pi)-0.5*logDetOf(t, k, mvOmega), 1e-13)
}

func TestMultiNormalPrecGradients(t *testing.T) {
	const k = 3
	gradCheck(t, "multi_normal_prec_lpdf", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a := split(x, 6, 3, 6)
		return dist.MultiNormalPrecLpdf(tp, false, vecsOf(a[0], k), vecsOf(a[1], k), symFrom(a[2], k))
	}, append(flat(mvY1, mvY2, mvMu), lowerVals(k, mvOmega)...)...)
	gradCheck(t, "multi_normal_prec_lpdf broadcast y", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a := split(x, 3, 6, 6)
		return dist.MultiNormalPrecLpdf(tp, false, vecsOf(a[0], k), vecsOf(a[1], k), symFrom(a[2], k))
	}, append(flat(mvMu, mvY1, mvY2), lowerVals(k, mvOmega)...)...)
	checkEntrywise(t, "multi_normal_prec_lpdf", k, mvOmega, func(tp *ad.Tape, s ad.Matrix) (ad.Var, error) {
		return dist.MultiNormalPrecLpdf(tp, false, constVecs(mvY1, mvY2), constVecs(mvMu), s)
	})
}

func TestMultiNormalPrecErrors(t *testing.T) {
	bad := append([]float64(nil), mvOmega...)
	bad[5] = 0.5
	_, err := dist.MultiNormalPrecLpdf(nil, false, constVecs(mvY1), constVecs(mvMu), constMat(3, bad))
	wantErr(t, "asymmetric", err, "multi_normal_prec_lpdf: Precision matrix is not symmetric. Precision matrix[2,3] = 0.5, but Precision matrix[3,2] = 0.25")
	_, err = dist.MultiNormalPrecLpdf(nil, false, constVecs([]float64{0, 0}), constVecs([]float64{0, 0}), constMat(2, []float64{-1, 0, 0, 1}))
	wantErr(t, "indefinite", err, "multi_normal_prec_lpdf: Precision matrix is not positive definite.")
}
