package compile

import (
	"math"
	"testing"
)

// daeChem is Robertson's chemical kinetics problem as a DAE (the example of
// Stan's DAE chapter), its rates scaled by a, b, c, and as the ODE it
// reduces to by y3 = 1 - y1 - y2.
const daeChem = `functions {
  vector chem(real t, vector y, vector yp, real a, real b, real c) {
    vector[3] r;
    r[1] = yp[1] + 0.04 * a * y[1] - 1e4 * b * y[2] * y[3];
    r[2] = yp[2] - 0.04 * a * y[1] + 1e4 * b * y[2] * y[3] + 3e7 * c * y[2]^2;
    r[3] = y[1] + y[2] + y[3] - 1;
    return r;
  }
  vector chem_ode(real t, vector y, real a, real b, real c) {
    real y3 = 1 - y[1] - y[2];
    vector[2] dy;
    dy[1] = -0.04 * a * y[1] + 1e4 * b * y[2] * y3;
    dy[2] = 0.04 * a * y[1] - 1e4 * b * y[2] * y3 - 3e7 * c * y[2]^2;
    return dy;
  }
}
`

// TestDAE solves Robertson's problem with dae and dae_tol and checks the
// solution against ode_rk45_tol on the reduced ODE (an explicit
// Runge-Kutta solver) and against the reference value at t = 40 (Hairer
// and Wanner, "Solving Ordinary Differential Equations II", the Robertson
// problem), and the gradient in the rates and the initial state by finite
// differences.
func TestDAE(t *testing.T) {
	at := []float64{1, 1.2, 0.8, 0.9}
	weights := "[1, 1e4, 1]'"
	dae := "dae(chem, [x[4], 1e-5, 1 - x[4] - 1e-5]', [0, 0, 0]', 0, {0.4, 4.0}, x[1], x[2], x[3])"
	daeTol := "dae_tol(chem, [x[4], 1e-5, 1 - x[4] - 1e-5]', [0, 0, 0]', 0, {0.4, 4.0}, 1e-9, 1e-11, 100000, x[1], x[2], x[3])"
	ode := "ode_rk45_tol(chem_ode, [x[4], 1e-5]', 0, {0.4, 4.0}, 1e-11, 1e-13, 100000000, x[1], x[2], x[3])"
	eval := func(target string) (float64, []float64) {
		m := buildSource(t, daeChem+"parameters { vector[4] x; }\nmodel { "+target+" }\n", nil)
		g := make([]float64, len(at))
		lp, err := m.LogDensity(at, g)
		if err != nil {
			t.Fatal(err)
		}
		return lp, g
	}
	for _, k := range []string{"1", "2"} {
		want, wantG := eval("vector[2] y = " + ode + "[" + k + "]; target += dot_product([y[1], y[2], 1 - y[1] - y[2]]', " + weights + ");")
		for _, sol := range []string{dae, daeTol} {
			lp, g := eval("target += dot_product(" + sol + "[" + k + "], " + weights + ");")
			if math.Abs(lp-want) > 1e-8*math.Abs(want) {
				t.Errorf("%s[%s] = %.12g, the ODE's %.12g", sol, k, lp, want)
			}
			for i := range g {
				if math.Abs(g[i]-wantG[i]) > 1e-5*math.Max(1e-2, math.Abs(wantG[i])) {
					t.Errorf("%s[%s]: d/dx[%d] = %.10g, the ODE's %.10g", sol, k, i+1, g[i], wantG[i])
				}
			}
		}
	}
	// Finite differences of the solution at steps far above its tolerance.
	m := buildSource(t, daeChem+"parameters { vector[4] x; }\nmodel { target += dot_product("+dae+"[2], "+weights+"); }\n", nil)
	g := make([]float64, len(at))
	if _, err := m.LogDensity(at, g); err != nil {
		t.Fatal(err)
	}
	for i := range at {
		xp, xm := append([]float64(nil), at...), append([]float64(nil), at...)
		xp[i] += 1e-3
		xm[i] -= 1e-3
		fp, _ := m.LogDensity(xp, nil)
		fm, _ := m.LogDensity(xm, nil)
		if fd := (fp - fm) / 2e-3; math.Abs(fd-g[i]) > 1e-4*math.Max(0.1, math.Abs(fd)) {
			t.Errorf("dae: d/dx[%d] = %.10g, finite difference %.10g", i+1, g[i], fd)
		}
	}
	// The reference solution from the consistent start (1, 0, 0).
	m = buildSource(t, daeChem+"model {}\ngenerated quantities { array[1] vector[3] y = dae(chem, [1, 0, 0]', [-0.04, 0.04, 0]', 0, {40.0}, 1, 1, 1); }\n", nil)
	out := make([]float64, 3)
	if err := m.Write(nil, nil, out); err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0.7158270687, 0.9185534764e-5, 0.2841637457} {
		if math.Abs(out[i]-want) > 1e-7*math.Abs(want) {
			t.Errorf("y%d(40) = %.10g, want %.10g", i+1, out[i], want)
		}
	}
}
