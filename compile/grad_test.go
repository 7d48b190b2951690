package compile

import (
	"math"
	"testing"

	"github.com/gostan/gostan/model"
)

// checkGradFD compiles src (without data) and compares its gradient at x
// with central finite differences in every coordinate.
func checkGradFD(t *testing.T, src string, x []float64) {
	t.Helper()
	p, cerr, err := compileSource(src)
	if cerr != nil || err != nil {
		t.Fatal(cerr, err)
	}
	m, err := p.NewModel(model.Data{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	g := make([]float64, len(x))
	if _, err := m.LogDensity(x, g); err != nil {
		t.Fatal(err)
	}
	for i := range x {
		fd, _, err := centralDiff(m, x, i)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(fd-g[i]) > 1e-6*math.Max(1, math.Abs(fd)) {
			t.Errorf("d lp / d x[%d] = %v, finite difference %v", i, g[i], fd)
		}
	}
}

// TestTrigammaGradient: trigamma's value depends on its argument (it was
// compiled as a constant), on both sides of the reflection.
func TestTrigammaGradient(t *testing.T) {
	checkGradFD(t, `parameters { real a; vector[2] b; } model { target += trigamma(a) + sum(trigamma(b)); }`, []float64{-0.2, 0.7, 2.5})
}
