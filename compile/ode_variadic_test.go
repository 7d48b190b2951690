package compile

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gostan/gostan/internal/race"
	"github.com/gostan/gostan/model"
)

// odeVariadicLinear is odeLinear (ode_test.go) in the variadic interface:
// the decay rate a real, the angular speed in a vector.
const odeVariadicLinear = `functions {
  vector sys(real t, vector y, real k, vector w) {
    return [-k * y[1], -w[1] * y[3], w[1] * y[2]]';
  }
}
data {
  int T;
  array[T] real ts;
  int n;
  int i;
}
parameters {
  real k;
  vector[1] w;
  vector[3] y0;
}
model {
  target += SOLVER(sys, y0, 0, ts, TOLk, w)[n][i];
}
generated quantities {
  array[T] vector[3] yd = SOLVER(sys, [1.0, 0.5, -0.8]', 0, ts, TOL0.7, [1.3]');
}
`

// TestODEVariadicLinear compares each variadic solver's solution and
// sensitivities with the closed form, at the default tolerances and at
// tight ones.
func TestODEVariadicLinear(t *testing.T) {
	ts := []float64{0.1, 0.5, 1, 2.5, 5, 10}
	T := len(ts)
	k, w, y0 := 0.7, 1.3, [3]float64{1, 0.5, -0.8}
	theta := []float64{k, w, y0[0], y0[1], y0[2]}
	for _, solver := range []string{"ode_rk45", "ode_bdf", "ode_adams", "ode_ckrk"} {
		for _, tight := range []bool{false, true} {
			name, tol, vtol, dtol := solver, "", 1e-5, 1e-4
			if tight {
				name, tol, vtol, dtol = solver+"_tol", "1e-9, 1e-9, 1000000, ", 1e-7, 1e-6
			}
			src := strings.ReplaceAll(strings.ReplaceAll(odeVariadicLinear, "SOLVER", name), "TOL", tol)
			for n := range T {
				for i := range 3 {
					m := buildSource(t, src, linearData(ts, n, i))
					grad := make([]float64, 5)
					lp, err := m.LogDensity(theta, grad)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					y, d := linearExact(ts[n], k, w, y0)
					if math.Abs(lp-y[i]) > vtol {
						t.Errorf("%s: y[%d][%d] = %v, exact %v", name, n+1, i+1, lp, y[i])
					}
					for j, g := range grad {
						if math.Abs(g-d[i][j]) > dtol {
							t.Errorf("%s: d y[%d][%d] / d theta[%d] = %v, exact %v", name, n+1, i+1, j+1, g, d[i][j])
						}
					}
					if n > 0 || i > 0 {
						continue
					}
					out := make([]float64, len(m.Names()))
					if err := m.Write(theta, nil, out); err != nil {
						t.Fatal(err)
					}
					cols := 0
					for c, col := range m.Names() {
						var nn, ii int
						if !strings.HasPrefix(col, "yd[") {
							continue
						}
						cols++
						if _, err := sscanIdx(col[2:], &nn, &ii); err != nil {
							t.Fatal(err)
						}
						y, _ := linearExact(ts[nn-1], k, w, y0)
						if math.Abs(out[c]-y[ii-1]) > vtol {
							t.Errorf("%s: %s = %v, exact %v", name, col, out[c], y[ii-1])
						}
					}
					if cols != 3*T {
						t.Errorf("%s: %d columns yd[...], want %d", name, cols, 3*T)
					}
				}
			}
		}
	}
}

// odeVariadicKinds passes arguments of every kind through to the system
// function, some data, some parameters, one declared data.
const odeVariadicKinds = `functions {
  vector f(real t, vector y, real a, vector b, array[] real c, matrix m, array[] int k, data real d, row_vector r) {
    return -a * y + b * c[1] * sin(t) + m * y * k[1] * d + r' * c[2];
  }
}
data {
  array[3] real ts;
}
parameters {
  real a;
  vector[2] b;
  array[2] real c;
  matrix[2, 2] m;
  vector[2] y0;
}
model {
  array[3] vector[2] y = ode_rk45_tol(f, y0, 0.5, ts, 1e-11, 1e-11, 1000000, exp(a), b, c, m, {1, 2}, 0.25, [0.5, -1]);
  target += dot_product(y[1], [1, -2]') + y[2][1] - 3 * y[3][2];
}
`

// TestODEVariadicKinds compares the gradient with respect to arguments of
// every kind with finite differences.
func TestODEVariadicKinds(t *testing.T) {
	data := model.Data{"ts": {Dims: []int{3}, Elems: []float64{0.75, 1.5, 1.5}}}
	m := buildSource(t, odeVariadicKinds, data)
	x := []float64{-0.3, 0.2, -0.4, 0.6, 0.1, -0.2, 0.15, 0.05, -0.25, 1.0, -0.5}
	if m.Dim() != len(x) {
		t.Fatalf("dimension %d, want %d", m.Dim(), len(x))
	}
	checkModelAt(t, "ode_rk45_tol with every kind of argument", m, x, nil)
}

// TestODEVariadicTimes checks the derivatives with respect to a parameter
// initial time and output times: y = y0 e^{-k (t - t0)}, so dy/dt0 = k y
// and dy/dt = -k y.
func TestODEVariadicTimes(t *testing.T) {
	src := `functions {
  vector decay(real t, vector y, real k) { return -k * y; }
}
parameters {
  real t0;
  real dt;
}
model {
  target += ode_rk45_tol(decay, [2.0]', t0, {1.5, t0 + 1.5 + exp(dt)}, 1e-10, 1e-10, 1000000, 0.7)[1][1];
  target += 3 * ode_rk45_tol(decay, [2.0]', t0, {1.5, t0 + 1.5 + exp(dt)}, 1e-10, 1e-10, 1000000, 0.7)[2][1];
}
`
	m := buildSource(t, src, nil)
	x := []float64{0.2, -0.1}
	want := func(x []float64) float64 {
		return 2*math.Exp(-0.7*(1.5-x[0])) + 3*2*math.Exp(-0.7*(1.5+math.Exp(x[1])))
	}
	checkModelAt(t, "ode_rk45_tol with parameter times", m, x, nil)
	grad := make([]float64, 2)
	lp, err := m.LogDensity(x, grad)
	if err != nil {
		t.Fatal(err)
	}
	y1 := 2 * math.Exp(-0.7*(1.5-x[0]))
	y2 := 2 * math.Exp(-0.7*(1.5+math.Exp(x[1])))
	if math.Abs(lp-want(x)) > 1e-8 {
		t.Errorf("lp = %v, want %v", lp, want(x))
	}
	// The second output's time moves with t0: its derivative in t0 is 0.
	if g := 0.7 * y1; math.Abs(grad[0]-g) > 1e-7 {
		t.Errorf("d lp / d t0 = %v, want %v", grad[0], g)
	}
	if g := -3 * 0.7 * y2 * math.Exp(x[1]); math.Abs(grad[1]-g) > 1e-7 {
		t.Errorf("d lp / d dt = %v, want %v", grad[1], g)
	}
}

// TestODEVariadicErrors checks the run-time errors: Stan's checks and
// words, at the call's position.
func TestODEVariadicErrors(t *testing.T) {
	src := `functions {
  vector decay(real t, vector y, real k) { return -k * y; }
  vector short(real t, vector y, real k) { return [y[1]]'; }
  // (A data parameter k passed a parameter is the checker's error.)
}
data {
  int c;
  real bad;
}
parameters {
  real<lower=0> k;
}
model {
  array[1] vector[1] y;
  array[1] vector[2] y2;
  if (c == 1) y = ode_rk45(decay, [1.0]', 0, {1.0, 0.5}, k);
  if (c == 2) y = ode_bdf(decay, [1.0]', 1.5, {1.0}, k);
  if (c == 3) y = ode_rk45_tol(decay, [1.0]', 0, {100.0}, 1e-8, 1e-8, 5, k);
  if (c == 4) y2 = ode_rk45(short, [1.0, 2.0]', 0, {1.0}, k);
  if (c == 5) y = ode_adams(decay, [bad]', 0, {1.0}, k);
  if (c == 6) y = ode_ckrk(decay, [1.0]', 0, {1.0}, bad);
  if (c == 7) y = ode_rk45_tol(decay, [1.0]', 0, {1.0}, -1, 1e-6, 100, k);
  if (c == 8) y = ode_bdf_tol(decay, [1.0]', 0, {1.0}, 1e-6, 1e-6, 0, k);
  target += y[1][1];
}
`
	for c, want := range map[int]string{
		1: ":16:19: ode_rk45: times is not a valid sorted vector. The element at 2 is 0.5, but should be greater than or equal to the previous element, 1",
		2: ":17:19: ode_bdf: initial time is 1.5, but must be less than 1",
		3: ":18:19: ode_rk45_tol: Failed to integrate to next output time (100) in less than max_num_steps steps",
		4: ":19:20: ode_rk45: dy_dt (1) and states (2) must match in size",
		5: ":20:19: ode_adams: initial state[1] is +Inf, but must be finite!",
		6: ":21:19: ode_ckrk: ode parameters and data is +Inf, but must be finite!",
		7: ":22:19: ode_rk45_tol: relative_tolerance is -1, but must be positive finite!",
		8: ":23:19: ode_bdf_tol: max_num_steps is 0, but must be positive!",
	} {
		data := model.Data{"c": {Elems: []float64{float64(c)}, Int: true}, "bad": {Elems: []float64{math.Inf(1)}}}
		m := buildSource(t, src, data)
		_, err := m.LogDensity([]float64{0}, make([]float64, 1))
		if err == nil || !strings.Contains(err.Error(), "gaps.stan"+want) {
			t.Errorf("case %d: error %v, want %q", c, err, want)
		}
	}
}

// TestODEVariadicAllocations checks that a steady-state gradient with a
// variadic solver allocates nothing.
func TestODEVariadicAllocations(t *testing.T) {
	if race.Enabled {
		t.Skip("allocation counts differ under the race detector")
	}
	m := buildSource(t, odeVariadicKinds, model.Data{"ts": {Dims: []int{3}, Elems: []float64{0.75, 1.5, 1.5}}})
	x := []float64{-0.3, 0.2, -0.4, 0.6, 0.1, -0.2, 0.15, 0.05, -0.25, 1.0, -0.5}
	grad := make([]float64, len(x))
	if n := testing.AllocsPerRun(3, func() { m.LogDensity(x, grad) }); n != 0 && !race.Enabled {
		t.Errorf("a gradient evaluation allocates %v times", n)
	}
}

// sscanIdx reads "[n,i]".
func sscanIdx(s string, n, i *int) (int, error) { return fmt.Sscanf(s, "[%d,%d]", n, i) }
