package dist_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"gonum.org/v1/gonum/mat"
)

func inverseOf(t *testing.T, k int, a []float64) []float64 {
	t.Helper()
	var inv mat.Dense
	if err := inv.Inverse(mat.NewDense(k, k, append([]float64(nil), a...))); err != nil {
		t.Fatal(err)
	}
	out := inv.RawMatrix().Data
	for i := range k {
		for j := range i {
			m := 0.5 * (out[i*k+j] + out[j*k+i])
			out[i*k+j], out[j*k+i] = m, m
		}
	}
	return out
}

func TestInvWishartValues(t *testing.T) {
	// W ~ inv_wishart(ν, S) iff W⁻¹ ~ wishart(ν, S⁻¹); the Jacobian of
	// W ↦ W⁻¹ is det(W)^-(k+1).
	for _, nu := range []float64{2.5, 5.5, 11} {
		want := gonumWishart(t, inverseOf(t, 3, wishW), nu, inverseOf(t, 3, mvSigma)) - 4*logDetOf(t, 3, wishW)
		got, err := dist.InvWishartLpdf(nil, false, constMat(3, wishW), ad.Const(nu), constMat(3, mvSigma))
		if err != nil {
			t.Fatal(err)
		}
		near(t, "inv_wishart_lpdf", got.Val, want, 1e-12)
	}
	// k = 1 is the inverse gamma(ν/2, s/2) density.
	w, nu, s := 0.7, 3.3, 1.9
	lg, _ := math.Lgamma(nu / 2)
	want := nu/2*math.Log(s/2) - lg - (nu/2+1)*math.Log(w) - s/(2*w)
	got, _ := dist.InvWishartLpdf(nil, false, constMat(1, []float64{w}), ad.Const(nu), constMat(1, []float64{s}))
	near(t, "inv_wishart_lpdf k=1", got.Val, want, 1e-14)

	// propto with only S varying keeps what Stan groups with the scale:
	// ν/2 log det S - ½(ν+k+1) log det W - ½ tr(S W⁻¹) - ½νk log 2, all
	// but log Γ_k(ν/2).
	tp := ad.NewTape()
	S := constMat(1, []float64{s})
	S.Data[0] = tp.Var(s)
	prop, _ := dist.InvWishartLpdf(tp, true, constMat(1, []float64{w}), ad.Const(nu), S)
	near(t, "inv_wishart_lupdf", prop.Val, nu/2*math.Log(s)-(nu/2+1)*math.Log(w)-s/(2*w)-nu/2*math.Ln2, 1e-14)
}

func TestInvWishartGradients(t *testing.T) {
	for _, nu := range []float64{2.5, 5.5, 11} {
		wishartGrad(t, "inv_wishart_lpdf", dist.InvWishartLpdf, nu)
	}
}

func TestInvWishartErrors(t *testing.T) {
	_, err := dist.InvWishartLpdf(nil, false, constMat(3, wishW), ad.Const(1.5), constMat(3, mvSigma))
	wantErr(t, "nu", err, "inv_wishart_lpdf: Degrees of freedom parameter is 1.5, but must be greater than 2")
	_, err = dist.InvWishartLpdf(nil, false, constMat(2, []float64{1, 3, 3, 1}), ad.Const(4), constMat(2, []float64{1, 0, 0, 1}))
	wantErr(t, "indefinite", err, "inv_wishart_lpdf: random variable is not positive definite.")
	_, err = dist.InvWishartRng(rand.New(rand.NewPCG(1, 1)), 4, mat.NewDense(2, 2, []float64{1, 0.5, 0.4, 1}))
	wantErr(t, "rng asymmetric", err, "inv_wishart_rng: scale parameter is not symmetric. scale parameter[1,2] = 0.5, but scale parameter[2,1] = 0.4")
}

func TestInvWishartRng(t *testing.T) {
	const n, nu = 20000, 12.0
	r := rand.New(rand.NewPCG(13, 14))
	draws := make([]*mat.Dense, n)
	for i := range draws {
		d, err := dist.InvWishartRng(r, nu, mat.NewDense(3, 3, append([]float64(nil), mvSigma...)))
		if err != nil {
			t.Fatal(err)
		}
		draws[i] = d
	}
	want := make([]float64, 9)
	for i, s := range mvSigma {
		want[i] = s / (nu - 3 - 1)
	}
	checkMatMean(t, "inv_wishart_rng", draws, want)
}
