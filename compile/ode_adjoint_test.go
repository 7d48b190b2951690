package compile

import (
	"math"
	"strings"
	"testing"
)

// TestODEAdjoint checks ode_adjoint_tol_ctl on the harmonic oscillator
// y1' = y2, y2' = -θ y1 from (1, 0), against cos(√θ t), its gradient by
// finite differences, and Stan's checks of its controls.
func TestODEAdjoint(t *testing.T) {
	decls := `functions {
  vector sho(real t, vector y, real theta) {
    return [y[2], -theta * y[1]]';
  }
}
`
	call := func(interp string) string {
		return "ode_adjoint_tol_ctl(sho, [1, 0]', 0, {0.5, 2.0}, 1e-10, [1e-10, 1e-10]', 1e-8, [1e-8, 1e-8]', 1e-8, 1e-8, 100000, 150, " + interp + ", 2, 2, x[1])"
	}
	checkExprs(t, decls, []float64{1.7}, []exprCase{
		{call("1") + "[2][1] + " + call("2") + "[1][2]", func(x []float64) float64 {
			w := math.Sqrt(x[0])
			return math.Cos(2*w) - w*math.Sin(0.5*w)
		}},
	})
	m := buildSource(t, decls+"parameters { vector[1] x; }\nmodel { target += "+call("3")+"[1][1]; }\n", nil)
	if _, err := m.LogDensity([]float64{1.7}, nil); err == nil || !strings.Contains(err.Error(), "interpolation_polynomial is 3, but must be 1 (Hermite) or 2 (polynomial)") {
		t.Errorf("interpolation_polynomial 3: got %v", err)
	}
}
