package mathx

import (
	"math"
	"testing"
)

// InvIncBeta against the inverses that have closed forms: I_x(1, b) =
// 1 - (1-x)^b, I_x(a, 1) = x^a and I_x(1/2, 1/2) = (2/π) asin √x; and
// elsewhere against IncBeta itself.
func TestInvIncBeta(t *testing.T) {
	for _, p := range []float64{1e-8, 0.01, 0.3, 0.5, 0.77, 0.999} {
		for _, k := range []struct{ a, b, want float64 }{
			{1, 3.5, -math.Expm1(math.Log1p(-p) / 3.5)},
			{0.3, 1, math.Pow(p, 1/0.3)},
			{0.5, 0.5, math.Pow(math.Sin(math.Pi*p/2), 2)},
		} {
			if got := InvIncBeta(k.a, k.b, p); math.Abs(got-k.want) > 1e-13*k.want {
				t.Errorf("InvIncBeta(%v, %v, %v) = %.17g, want %.17g", k.a, k.b, p, got, k.want)
			}
		}
		for _, ab := range [][2]float64{{2.5, 0.7}, {0.4, 3}, {30, 50}} {
			x := InvIncBeta(ab[0], ab[1], p)
			if got := IncBeta(ab[0], ab[1], x); math.Abs(got-p) > 1e-12*p {
				t.Errorf("IncBeta(%v, %v, InvIncBeta(%v)) = %.17g", ab[0], ab[1], p, got)
			}
		}
	}
	for _, bad := range [][3]float64{{-1, 2, 0.5}, {1, 2, 1.5}, {1, 0, 0.5}} {
		if v := InvIncBeta(bad[0], bad[1], bad[2]); !math.IsNaN(v) {
			t.Errorf("InvIncBeta%v = %v, want NaN", bad, v)
		}
	}
}
