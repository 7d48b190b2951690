package compile

import (
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
	checkModelGrad(t, "program", m, x, 1e-6)
}

// TestTrigammaGradient: trigamma's value depends on its argument (it was
// compiled as a constant), on both sides of the reflection.
func TestTrigammaGradient(t *testing.T) {
	checkGradFD(t, `parameters { real a; vector[2] b; } model { target += trigamma(a) + sum(trigamma(b)); }`, []float64{-0.2, 0.7, 2.5})
}
