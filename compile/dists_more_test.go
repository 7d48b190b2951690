package compile

import (
	"math"
	"testing"
)

// TestLoglogistic checks loglogistic's density and CDF in programs
// against their closed forms, with gradients by finite differences.
func TestLoglogistic(t *testing.T) {
	at := []float64{1.7, 0.8, 2.5}
	lpdf := func(y, a, b float64) float64 {
		r := math.Pow(y/a, b)
		return math.Log(b/a) + (b-1)*math.Log(y/a) - 2*math.Log1p(r)
	}
	checkExprs(t, "", at, []exprCase{
		{"loglogistic_lpdf(x[1] | x[2], x[3]) + loglogistic_lpdf(x[2:3] | 1.5, x[3])", func(v []float64) float64 {
			return lpdf(v[0], v[1], v[2]) + lpdf(v[1], 1.5, v[2]) + lpdf(v[2], 1.5, v[2])
		}},
		{"loglogistic_cdf(x[1] | x[2], x[3]) + loglogistic_cdf(x[1] | 2, 3)", func(v []float64) float64 {
			return 1/(1+math.Pow(v[0]/v[1], -v[2])) + 1/(1+math.Pow(v[0]/2, -3))
		}},
	})
}
