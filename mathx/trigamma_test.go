package mathx

import (
	"math"
	"testing"
)

func TestTrigamma(t *testing.T) {
	// Closed forms: ψ'(1) = π²/6, ψ'(1/2) = π²/2, ψ'(n+1) = π²/6 - Σ_{k≤n} 1/k².
	cases := map[float64]float64{1: math.Pi * math.Pi / 6, 0.5: math.Pi * math.Pi / 2,
		4: math.Pi*math.Pi/6 - 1 - 0.25 - 1.0/9, -0.5: math.Pi*math.Pi/2 + 4}
	for x, want := range cases {
		if got := Trigamma(x); math.Abs(got-want) > 1e-13*want {
			t.Errorf("Trigamma(%v) = %.17g, want %.17g", x, got, want)
		}
	}
	// It is the derivative of Digamma.
	for _, x := range []float64{0.1, 1.3, 7.5, 42, 1e4} {
		h := 1e-5 * math.Max(1, x)
		fd := (Digamma(x+h) - Digamma(x-h)) / (2 * h)
		if got := Trigamma(x); math.Abs(got-fd) > 1e-7*math.Abs(got) {
			t.Errorf("Trigamma(%v) = %v, finite difference of Digamma %v", x, got, fd)
		}
	}
	if !math.IsInf(Trigamma(0), 1) || !math.IsInf(Trigamma(-2), 1) {
		t.Error("poles")
	}
}
