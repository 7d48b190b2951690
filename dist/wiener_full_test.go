package dist_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// wienerAt evaluates the 7-parameter function of kind at scalars.
func wienerAt(t *testing.T, kind dist.WienerKind, p ...float64) float64 {
	t.Helper()
	lp, err := dist.WienerFull(ad.NewTape(), kind, false, consts(p[0]), consts(p[1]), consts(p[2]), consts(p[3]),
		consts(p[4]), consts(p[5]), consts(p[6]), consts(p[7]), 1e-4)
	if err != nil {
		t.Fatal(err)
	}
	return lp.Val
}

// wiener4 is the 4-parameter density, an independent implementation.
func wiener4(y, a, tau, b, v float64) float64 {
	lp, err := dist.WienerLpdf(ad.NewTape(), false, consts(y), consts(a), consts(tau), consts(b), consts(v))
	if err != nil {
		return 0
	}
	return math.Exp(lp.Val)
}

// TestWienerFullLpdf checks the 7-parameter density against the
// 4-parameter one integrated over the drift (normal), the start (uniform)
// and the non-decision time (uniform) by fixed Gauss-Legendre rules, and
// its gradient by finite differences.
func TestWienerFullLpdf(t *testing.T) {
	const y, a, tau, b, v, sv, sw, st0 = 0.9, 1.3, 0.2, 0.45, 0.8, 0.7, 0.3, 0.25
	want := quad.Fixed(func(u float64) float64 {
		return quad.Fixed(func(r float64) float64 {
			return quad.Fixed(func(d float64) float64 {
				return wiener4(y, a, tau+st0*u, b+sw*(r-0.5), d) * distuv.Normal{Mu: v, Sigma: sv}.Prob(d)
			}, v-10*sv, v+10*sv, 80, nil, 0)
		}, 0, 1, 20, nil, 0)
	}, 0, 1, 20, nil, 0)
	near(t, "wiener_lpdf, 7 parameters", wienerAt(t, dist.WienerPDF, y, a, tau, b, v, sv, sw, st0), math.Log(want), 1e-8)
	// Without variabilities it is the 4- and 5-parameter density.
	near(t, "wiener_lpdf, 7 parameters, s = 0", wienerAt(t, dist.WienerPDF, y, a, tau, b, v, 0, 0, 0), math.Log(wiener4(y, a, tau, b, v)), 1e-13)
	// A non-decision time window reaching past y truncates the integral.
	wantT := quad.Fixed(func(u float64) float64 { return wiener4(y, a, tau+0.7*u, b, v) }, 0, 1, 2000, nil, 0)
	near(t, "wiener_lpdf, s_τ past y", wienerAt(t, dist.WienerPDF, y, a, tau, b, v, 0, 0, 0.8), math.Log(wantT*0.7/0.8), 1e-6)
	for _, p := range [][8]float64{{0.9, 1.3, 0.2, 0.45, 0.8, 0.7, 0.3, 0.25}, {0.9, 1.3, 0.2, 0.45, -0.5, 0.4, 0.05, 0.9}, {2.5, 1.8, 0.1, 0.6, 0.3, 0.2, 0.2, 0.1}} {
		gradCheck(t, "wiener_lpdf, 7 parameters", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return dist.WienerFull(tp, dist.WienerPDF, false, x[0:1], x[1:2], x[2:3], x[3:4], x[4:5], x[5:6], x[6:7], x[7:8], 1e-4)
		}, p[:]...)
	}
}

// TestWienerCDF checks the unnormalised CDFs of the 4-parameter model
// against the density integrated by Gauss-Legendre, below and above the
// switch between the small- and large-time series; that they sum to the
// probability of the upper boundary; and their gradients.
func TestWienerCDF(t *testing.T) {
	const a, tau, b = 1.3, 0.2, 0.4
	for _, v := range []float64{0.8, -1.1, 0} {
		// The upper boundary's probability: (1 - e^{-2vaβ})/(1 - e^{-2va}).
		P := b
		if v != 0 {
			P = -math.Expm1(-2*v*a*b) / -math.Expm1(-2*v*a)
		}
		for _, y := range []float64{0.5, 1.5, 3} {
			F := quad.Fixed(func(s float64) float64 { return wiener4(s, a, tau, b, v) }, tau, y, 400, nil, 0)
			near(t, "wiener_lcdf_unnorm", wienerAt(t, dist.WienerCDF, y, a, tau, b, v, 0, 0, 0), math.Log(F), 1e-10)
			near(t, "wiener_lccdf_unnorm", wienerAt(t, dist.WienerCCDF, y, a, tau, b, v, 0, 0, 0), math.Log(P-F), 1e-9)
		}
	}
	// With drift variability: the 4-parameter CDFs (series) averaged over
	// the normal drift by Gauss-Legendre.
	for _, kind := range []dist.WienerKind{dist.WienerCDF, dist.WienerCCDF} {
		for _, y := range []float64{0.5, 2.5} {
			const v, sv = 0.4, 1.3
			want := quad.Fixed(func(d float64) float64 {
				return math.Exp(wienerAt(t, kind, y, a, tau, b, d, 0, 0, 0)) * distuv.Normal{Mu: v, Sigma: sv}.Prob(d)
			}, v-12*sv, v+12*sv, 300, nil, 0)
			near(t, "wiener CDFs with s_δ", wienerAt(t, kind, y, a, tau, b, v, sv, 0, 0), math.Log(want), 1e-9)
		}
	}
	zero := consts(0)
	for _, kind := range []dist.WienerKind{dist.WienerCDF, dist.WienerCCDF} {
		for _, p := range [][]float64{{0.9, 1.3, 0.2, 0.45, 0.8}, {3.5, 1.3, 0.2, 0.45, -0.8}} {
			gradCheck(t, "wiener CDFs, 4 parameters", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
				return dist.WienerFull(tp, kind, false, x[0:1], x[1:2], x[2:3], x[3:4], x[4:5], zero, zero, zero, 1e-4)
			}, p...)
		}
		// With each variability: the drift's and the start's, then the
		// drift's and the non-decision time's, reaching past y.
		for _, p := range [][8]float64{{1.2, 1.1, 0.3, 0.5, 0.2, 1.5, 0.1, 0}, {1.2, 1.1, 0.3, 0.5, 0.2, 0.5, 0, 1.1}} {
			vars := func(x []ad.Var) []ad.Var {
				if p[6] == 0 {
					return []ad.Var{x[5], zero[0], x[6]}
				}
				return []ad.Var{x[5], x[6], zero[0]}
			}
			gradCheck(t, "wiener CDFs, 7 parameters", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
				v := vars(x)
				return dist.WienerFull(tp, kind, false, x[0:1], x[1:2], x[2:3], x[3:4], x[4:5], v[0:1], v[1:2], v[2:3], 1e-4)
			}, append(p[:6:6], p[6]+p[7])...)
		}
	}
}

// TestWienerFullCDF checks the 7-parameter CDF against its density
// integrated by Gauss-Legendre, and the complementary CDF against the
// density integrated from y on.
func TestWienerFullCDF(t *testing.T) {
	const y, a, tau, b, v, sv, sw, st0 = 1.1, 1.2, 0.2, 0.45, 0.6, 0.5, 0.2, 0.3
	pdf := func(s float64) float64 {
		if s <= tau {
			return 0
		}
		return math.Exp(wienerAt(t, dist.WienerPDF, s, a, tau, b, v, sv, sw, st0))
	}
	F := quad.Fixed(pdf, tau, y, 200, nil, 0)
	near(t, "wiener_lcdf_unnorm, 7 parameters", wienerAt(t, dist.WienerCDF, y, a, tau, b, v, sv, sw, st0), math.Log(F), 1e-8)
	Q := quad.Fixed(pdf, y, y+6, 200, nil, 0) + quad.Fixed(pdf, y+6, y+60, 400, nil, 0)
	near(t, "wiener_lccdf_unnorm, 7 parameters", wienerAt(t, dist.WienerCCDF, y, a, tau, b, v, sv, sw, st0), math.Log(Q), 1e-7)
}

// TestWienerFullErrors checks the domain errors Stan reports.
func TestWienerFullErrors(t *testing.T) {
	_, err := dist.WienerFull(ad.NewTape(), dist.WienerPDF, false, consts(1), consts(1), consts(0.2), consts(0.3), consts(0), consts(0), consts(0.7), consts(0), 1e-4)
	wantErr(t, "s_β past β", err, "wiener_lpdf: A-priori bias ± its variability / 2 is [-0.04999999999999999, 0.6499999999999999], but must lie in (0, 1)")
	_, err = dist.WienerFull(ad.NewTape(), dist.WienerCDF, false, consts(1), consts(1), consts(0.2), consts(0.3), consts(0), consts(-1), consts(0), consts(0), 1e-4)
	wantErr(t, "negative s_δ", err, "wiener_lcdf_unnorm: Inter-trial variability in drift rate is -1, but must be nonnegative finite!")
	_, err = dist.WienerFull(ad.NewTape(), dist.WienerPDF, false, consts(1), consts(1), consts(0.2), consts(0.3), consts(0), consts(0), consts(0), consts(0), 0)
	wantErr(t, "zero precision", err, "wiener_lpdf: Precision is 0, but must be positive finite!")
}
