package dist

import (
	"math"
	"testing"
)

// TestWienerSeries checks the small-time series of the standard first
// passage time density (used for u < 1) against the large-time series
// summed far, values and partials.
func TestWienerSeries(t *testing.T) {
	for _, u := range []float64{0.05, 0.3, 0.9} {
		for _, w := range []float64{0.2, 0.6} {
			lf, du, dw := wienerStd(u, w)
			s, su, sw := 0.0, 0.0, 0.0
			for k := 1; k < 400; k++ {
				kp := float64(k) * math.Pi
				e := float64(k) * math.Exp(-kp*kp*u/2)
				s += e * math.Sin(kp*w)
				su -= e * kp * kp / 2 * math.Sin(kp*w)
				sw += e * kp * math.Cos(kp*w)
			}
			if math.Abs(lf-math.Log(math.Pi*s)) > 1e-12 || math.Abs(du-su/s) > 1e-9*math.Max(1, math.Abs(du)) || math.Abs(dw-sw/s) > 1e-9*math.Max(1, math.Abs(dw)) {
				t.Errorf("F(%v, %v): small-time series (%v, %v, %v), large-time (%v, %v, %v)", u, w, lf, du, dw, math.Log(math.Pi*s), su/s, sw/s)
			}
		}
	}
}
