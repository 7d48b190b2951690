package compile

import (
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
)

// TestWienerForms checks every form of wiener Stan has (the 4-, 5- and
// 7-parameter densities, with and without precision, scalar and vector,
// and the unnormalised CDFs) against the dist functions they call, which
// dist's tests hold to independent integrals, and their gradients by
// finite differences.
func TestWienerForms(t *testing.T) {
	at := []float64{0.8, 0.5, 0.3}
	c := func(x ...float64) []ad.Var {
		v := make([]ad.Var, len(x))
		for i := range x {
			v[i] = ad.Const(x[i])
		}
		return v
	}
	full := func(kind dist.WienerKind, p ...float64) float64 {
		for len(p) < 8 {
			p = append(p, 0)
		}
		lp, err := dist.WienerFull(ad.NewTape(), kind, false, c(p[0]), c(p[1]), c(p[2]), c(p[3]), c(p[4]), c(p[5]), c(p[6]), c(p[7]), 1e-4)
		if err != nil {
			t.Fatal(err)
		}
		return lp.Val
	}
	checkExprs(t, "", at, []exprCase{
		{"wiener_lpdf(1.1 | 1.3, 0.2, 0.45, x[1], x[2])", func(x []float64) float64 { return full(dist.WienerPDF, 1.1, 1.3, 0.2, 0.45, x[0], x[1]) }},
		{"wiener_lpdf(1.1 | 1.3, 0.2, 0.45, x[1], x[2], 1e-6)", func(x []float64) float64 { return full(dist.WienerPDF, 1.1, 1.3, 0.2, 0.45, x[0], x[1]) }},
		{"wiener_lpdf(1.1 | 1.3, 0.2, 0.45, x[1], x[2], 0.2, x[3])", func(x []float64) float64 {
			return full(dist.WienerPDF, 1.1, 1.3, 0.2, 0.45, x[0], x[1], 0.2, x[2])
		}},
		{"wiener_lpdf(1.1 | 1.3, 0.2, 0.45, x[1], x[2], 0.2, x[3], 1e-6)", func(x []float64) float64 {
			return full(dist.WienerPDF, 1.1, 1.3, 0.2, 0.45, x[0], x[1], 0.2, x[2])
		}},
		{"wiener_lpdf([1.1, 0.9]' | [1.3, 1.3]', [0.2, 0.2]', [0.45, 0.45]', [x[1], x[1]]', [x[2], x[2]]', [0.2, 0.2]', [x[3], x[3]]')", func(x []float64) float64 {
			return full(dist.WienerPDF, 1.1, 1.3, 0.2, 0.45, x[0], x[1], 0.2, x[2]) + full(dist.WienerPDF, 0.9, 1.3, 0.2, 0.45, x[0], x[1], 0.2, x[2])
		}},
		{"wiener_lcdf_unnorm(1.1, 1.3, 0.2, 0.45, x[1]) + wiener_lccdf_unnorm(1.1, 1.3, 0.2, 0.45, x[1], 1e-6)", func(x []float64) float64 {
			return full(dist.WienerCDF, 1.1, 1.3, 0.2, 0.45, x[0]) + full(dist.WienerCCDF, 1.1, 1.3, 0.2, 0.45, x[0])
		}},
		{"wiener_lcdf_unnorm([1.1]', [1.3]', [0.2]', [0.45]', [x[1]]', [x[2]]', [0.1]', [0]', 1e-6)", func(x []float64) float64 {
			return full(dist.WienerCDF, 1.1, 1.3, 0.2, 0.45, x[0], x[1], 0.1)
		}},
	})
	// The ~ statement drops nothing here: every argument but y varies.
	m := buildSource(t, "parameters { vector[3] x; }\nmodel { 1.1 ~ wiener(1.3, 0.2, 0.45, x[1], x[2], 0.2, x[3]); }\n", nil)
	checkModelAt(t, "~ wiener, 7 parameters", m, at, func(x []float64) float64 {
		return full(dist.WienerPDF, 1.1, 1.3, 0.2, 0.45, x[0], x[1], 0.2, x[2])
	})
}
