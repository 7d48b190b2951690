package compile

import (
	"math"
	"testing"
)

// TestEigenGradient checks eigenvalues_sym and eigenvectors_sym of
// matrices built from parameters (with separate and shared upper and
// lower entries) against finite differences.
func TestEigenGradient(t *testing.T) {
	m, err := build(t, "testdata/eigen.stan", nil)
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{0.4, -0.7, 0.3}
	grad := make([]float64, 3)
	if _, err := m.LogDensity(x, grad); err != nil {
		t.Fatal(err)
	}
	for i := range x {
		h := 1e-6
		xp := append([]float64(nil), x...)
		xm := append([]float64(nil), x...)
		xp[i] += h
		xm[i] -= h
		fp, _ := m.LogDensity(xp, nil)
		fm, _ := m.LogDensity(xm, nil)
		if fd := (fp - fm) / (2 * h); math.Abs(fd-grad[i]) > 1e-6*math.Max(1, math.Abs(fd)) {
			t.Errorf("d lp / d x[%d] = %v, finite difference %v", i, grad[i], fd)
		}
	}
}
