package compile

import (
	"math"
	"testing"
)

// TestHypergeometric checks the hypergeometric functions against their
// closed forms: 1F0(a; ; z) = (1-z)^-a, 2F1(1, 1; 2; z) = -log(1-z)/z,
// 2F1(a, b; b; z) = (1-z)^-a, 3F2 with cancelling parameters, and
// 1F1(a; a; z) = e^z; gradients by finite differences.
func TestHypergeometric(t *testing.T) {
	at := []float64{0.7, 0.4, 1.6}
	checkExprs(t, "", at, []exprCase{
		{"hypergeometric_1F0(x[1], x[2] - 1) + hypergeometric_2F1(1, 1, 2, x[2])", func(v []float64) float64 {
			return math.Pow(2-v[1], -v[0]) - math.Log1p(-v[1])/v[1]
		}},
		{"hypergeometric_2F1(x[1], x[3], x[3], x[2] / 2)", func(v []float64) float64 { return math.Pow(1-v[1]/2, -v[0]) }},
		{"hypergeometric_3F2([x[1], x[3], 2.5]', [x[3], 2.5], -x[2]) + hypergeometric_pFq({x[3]}, [x[3]]', x[1])", func(v []float64) float64 {
			return math.Pow(1+v[1], -v[0]) + math.Exp(v[0])
		}},
		{"hypergeometric_2F1(x[1], x[2], x[3], -0.6) + hypergeometric_pFq([x[1], x[2]]', [x[3]]', 0.3)", nil},
	})
}
