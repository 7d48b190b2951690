package compile

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/posteriordb"
)

// odeLinear is a linear system with a closed form: y1 decays at rate k,
// (y2, y3) rotate at angular speed w. The log density is one output,
// y[n, i], picked by the data, so its gradient is that output's
// sensitivities.
const odeLinear = `functions {
  array[] real sys(real t, array[] real y, array[] real theta,
                   array[] real x_r, array[] int x_i) {
    return {-theta[1] * y[1], -theta[2] * y[3], theta[2] * y[2]};
  }
}
data {
  int T;
  array[T] real ts;
  int n;
  int i;
}
transformed data {
  array[0] real x_r;
  array[0] int x_i;
}
parameters {
  real k;
  real w;
  array[3] real y0;
}
transformed parameters {
  array[T, 3] real y = integrate_ode_rk45(sys, y0, 0, ts, {k, w}, x_r, x_i);
}
model {
  target += y[n, i];
}
generated quantities {
  // The same solution with nothing depending on parameters.
  array[T, 3] real yd = integrate_ode_rk45(sys, {1.0, 0.5, -0.8}, 0, ts, {0.7, 1.3}, x_r, x_i);
}
`

// linearExact is odeLinear's solution at t and its derivatives with respect
// to (k, w, y0[1], y0[2], y0[3]).
func linearExact(t, k, w float64, y0 [3]float64) (y [3]float64, d [3][5]float64) {
	e, c, s := math.Exp(-k*t), math.Cos(w*t), math.Sin(w*t)
	y = [3]float64{y0[0] * e, y0[1]*c - y0[2]*s, y0[1]*s + y0[2]*c}
	d[0] = [5]float64{-t * y[0], 0, e, 0, 0}
	d[1] = [5]float64{0, -t * y[2], 0, c, -s}
	d[2] = [5]float64{0, t * y[1], 0, s, c}
	return y, d
}

func writeStan(t *testing.T, src string) string {
	path := filepath.Join(t.TempDir(), "m.stan")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestODELinear compares odeLinear's solution and sensitivities with the
// closed form: within 1e-6 and 1e-5 when solved with tolerances 1e-8, and
// within 1e-5 and 1e-4 with Stan's default tolerances of 1e-6, whose
// errors add up to a few 1e-6 over the ten time units.
func TestODELinear(t *testing.T) {
	for _, c := range []struct {
		tol        string
		vtol, dtol float64
	}{{"", 1e-5, 1e-4}, {", 1e-8, 1e-8, 100000", 1e-6, 1e-5}} {
		t.Run("tolerances"+c.tol, func(t *testing.T) {
			src := strings.Replace(odeLinear, "{k, w}, x_r, x_i)", "{k, w}, x_r, x_i"+c.tol+")", 1)
			src = strings.Replace(src, "{0.7, 1.3}, x_r, x_i)", "{0.7, 1.3}, x_r, x_i"+c.tol+")", 1)
			testODELinear(t, writeStan(t, src), c.vtol, c.dtol)
		})
	}
}

// linearData is the data of the linear system's models: the output times
// ts, and the 0-based output time n and component i the density returns.
func linearData(ts []float64, n, i int) model.Data {
	return model.Data{
		"T":  {Elems: []float64{float64(len(ts))}, Int: true},
		"ts": {Dims: []int{len(ts)}, Elems: ts},
		"n":  {Elems: []float64{float64(n + 1)}, Int: true},
		"i":  {Elems: []float64{float64(i + 1)}, Int: true},
	}
}

func testODELinear(t *testing.T, path string, vtol, dtol float64) {
	ts := []float64{0.1, 0.5, 1, 2.5, 5, 10}
	T := len(ts)
	k, w, y0 := 0.7, 1.3, [3]float64{1, 0.5, -0.8}
	theta := []float64{k, w, y0[0], y0[1], y0[2]}
	worstY, worstD := 0.0, 0.0
	for n := range T {
		for i := range 3 {
			m, err := build(t, path, linearData(ts, n, i))
			if err != nil {
				t.Fatal(err)
			}
			grad := make([]float64, 5)
			lp, err := m.LogDensity(theta, grad)
			if err != nil {
				t.Fatal(err)
			}
			y, d := linearExact(ts[n], k, w, y0)
			worstY = math.Max(worstY, math.Abs(lp-y[i]))
			if math.Abs(lp-y[i]) > vtol {
				t.Errorf("y[%d,%d] = %v, exact %v", n+1, i+1, lp, y[i])
			}
			for j, g := range grad {
				worstD = math.Max(worstD, math.Abs(g-d[i][j]))
				if math.Abs(g-d[i][j]) > dtol {
					t.Errorf("d y[%d,%d] / d theta[%d] = %v, exact %v", n+1, i+1, j+1, g, d[i][j])
				}
			}
			if n > 0 || i > 0 {
				continue
			}
			// Write: the transformed parameters and the data-only solution.
			out := make([]float64, len(m.Names()))
			if err := m.Write(theta, nil, out); err != nil {
				t.Fatal(err)
			}
			for c, name := range m.Names() {
				var nn, ii int
				b := strings.Index(name, "[")
				if b < 0 || !strings.HasPrefix(name, "y") {
					continue
				}
				if _, err := fmt.Sscanf(name[b:], "[%d,%d]", &nn, &ii); err != nil {
					continue
				}
				y, _ := linearExact(ts[nn-1], k, w, y0)
				worstY = math.Max(worstY, math.Abs(out[c]-y[ii-1]))
				if math.Abs(out[c]-y[ii-1]) > vtol {
					t.Errorf("%s = %v, exact %v", name, out[c], y[ii-1])
				}
			}
		}
	}
	t.Logf("largest error against the closed form: %.2g in the solution, %.2g in its derivatives", worstY, worstD)
}

// TestODEDataOnly checks that a solution that depends on data only
// records nothing on the tape.
func TestODEDataOnly(t *testing.T) {
	src := strings.Replace(odeLinear, "target += y[n, i];", `array[T, 3] real yd = integrate_ode_rk45(sys, {1.0, 0.5, -0.8}, 0, ts, {0.7, 1.3}, x_r, x_i);
  target += k * yd[n, i];`, 1)
	src = strings.Replace(src, "array[T, 3] real y = integrate_ode_rk45(sys, y0, 0, ts, {k, w}, x_r, x_i);", "", 1)
	src = strings.Replace(src, "transformed parameters {", "transformed parameters {\n  real unused = 0;", 1)
	data := model.Data{
		"T":  {Elems: []float64{2}, Int: true},
		"ts": {Dims: []int{2}, Elems: []float64{1, 2}},
		"n":  {Elems: []float64{2}, Int: true},
		"i":  {Elems: []float64{3}, Int: true},
	}
	m, err := build(t, writeStan(t, src), data)
	if err != nil {
		t.Fatal(err)
	}
	grad := make([]float64, 5)
	if _, err := m.LogDensity([]float64{1, 0, 0, 0, 0}, grad); err != nil {
		t.Fatal(err)
	}
	y, _ := linearExact(2, 0.7, 1.3, [3]float64{1, 0.5, -0.8})
	if math.Abs(grad[0]-y[2]) > 1e-6 {
		t.Errorf("d lp / d k = %v, want %v", grad[0], y[2])
	}
	// Five leaves, k * yd, the sum of the target and the total.
	if n := m.e.t.Len(); n > 8 {
		t.Errorf("the tape holds %d variables", n)
	}
}

// TestODEErrors checks the run-time errors of the solver: Stan's words,
// at the call's position.
func TestODEErrors(t *testing.T) {
	src := `functions {
  array[] real decay(real t, array[] real y, array[] real theta,
                     array[] real x_r, array[] int x_i) {
    return {-theta[1] * y[1]};
  }
  array[] real short(real t, array[] real y, array[] real theta,
                     array[] real x_r, array[] int x_i) {
    return {y[1]};
  }
  array[] real blowup(real t, array[] real y, array[] real theta,
                      array[] real x_r, array[] int x_i) {
    return {y[1] * y[1]};
  }
}
data {
  int c;
  real bad;
}
transformed data {
  array[0] real x_r;
  array[0] int x_i;
}
parameters {
  real<lower=0> k;
}
model {
  array[1, 1] real y;
  if (c == 1) y = integrate_ode_rk45(decay, {1.0}, 0, {1.0, 0.5}, {k}, x_r, x_i);
  if (c == 2) y = integrate_ode_rk45(decay, {1.0}, 1.5, {1.0}, {k}, x_r, x_i);
  if (c == 3) y = integrate_ode_rk45(decay, {1.0}, 0, {100.0}, {k}, x_r, x_i, 1e-8, 1e-8, 5);
  if (c == 4) y = integrate_ode_rk45(short, {1.0, 2.0}, 0, {1.0}, {k}, x_r, x_i);
  if (c == 5) y = integrate_ode_rk45(decay, {bad}, 0, {1.0}, {k}, x_r, x_i);
  if (c == 6) y = integrate_ode_rk45(blowup, {1.0}, 0, {2.0}, {k}, x_r, x_i);
  if (c == 7) y = integrate_ode_rk45(decay, {1.0}, -k, {1.0}, {k}, x_r, x_i);
  if (c == 8) y = integrate_ode_rk45(decay, {1.0}, 0, {1.0}, {k}, x_r, x_i, -1, 1e-6, 100);
  if (c == 9) y = integrate_ode_bdf(decay, {1.0}, 0, {1.0}, {k}, x_r, x_i, 1e-6, 1e-6, 0);
  target += y[1, 1];
}
`
	path := writeStan(t, src)
	for c, want := range map[int]string{
		1: ":28:19: integrate_ode_rk45: times is not a valid ordered vector. The element at 2 is 0.5, but should be greater than the previous element, 1",
		2: ":29:19: integrate_ode_rk45: initial time is 1.5, but must be less than 1",
		3: ":30:19: integrate_ode_rk45: Failed to integrate to next output time (100) in less than max_num_steps (5) steps",
		4: ":31:19: coupled_ode_system: dz_dt (1) and states (2) must match in size",
		5: ":32:19: integrate_ode_rk45: initial state[1] is +Inf, but must be finite!",
		6: ":33:19: integrate_ode_rk45: the solution is not finite at t = 1",
		7: ":34:19: integrate_ode_rk45: the initial time must be data, but depends on parameters",
		8: ":35:19: integrate_ode_rk45: relative_tolerance, -1, must be greater than 0",
		9: ":36:19: integrate_ode_bdf: max_num_steps, 0, must be greater than 0",
	} {
		data := model.Data{"c": {Elems: []float64{float64(c)}, Int: true}, "bad": {Elems: []float64{math.Inf(1)}}}
		m, err := build(t, path, data)
		if err != nil {
			t.Fatal(err)
		}
		_, err = m.LogDensity([]float64{0}, make([]float64, 1))
		if err == nil || !strings.Contains(err.Error(), path+want) {
			t.Errorf("case %d: error %v, want %q", c, err, want)
		}
	}
}

// TestODECompileErrors checks the calls that cannot be compiled.
func TestODECompileErrors(t *testing.T) {
	src := `functions {
  array[] real wrong(real t, vector y, array[] real theta,
                     array[] real x_r, array[] int x_i) {
    return {-theta[1] * y[1]};
  }
}
transformed data {
  array[1, 1] real y = integrate_ode_rk45(wrong, {1.0}, 0, {1.0}, {1.0}, {0.0}, {0});
}
parameters {
  real k;
}
model {
  k ~ normal(0, 1);
}
`
	_, err := File(writeStan(t, src))
	want := ":8:43: the function 'wrong' passed to integrate_ode_rk45 must have the signature (real, array[] real, array[] real, array[] real, array[] int) => array[] real"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

// odePosteriors are the PosteriorDB posteriors whose models solve ODEs.
var odePosteriors = []string{"hudson_lynx_hare-lotka_volterra", "sir-sir", "soil_carbon-soil_incubation"}

// tightenODE rewrites every integrate_ode_* call of a Stan program to
// solve with relative and absolute tolerances of 1e-10: the reference
// against which the gradient at a model's own tolerances is judged.
func tightenODE(src string) string {
	var b strings.Builder
	for {
		k := strings.Index(src, "integrate_ode_")
		if k < 0 {
			b.WriteString(src)
			return b.String()
		}
		open := k + strings.Index(src[k:], "(")
		depth, commas, end := 0, []int{}, -1
		for j := open; j < len(src) && end < 0; j++ {
			switch src[j] {
			case '(', '{', '[':
				depth++
			case ')', '}', ']':
				depth--
				if depth == 0 {
					end = j
				}
			case ',':
				if depth == 1 {
					commas = append(commas, j)
				}
			}
		}
		args := src[open+1 : end]
		if len(commas) == 9 {
			args = src[open+1 : commas[6]]
		}
		b.WriteString(src[:open+1] + args + ", 1e-10, 1e-10, 100000000)")
		src = src[end+1:]
	}
}

func odePosteriorModel(t *testing.T, db *posteriordb.DB, name string, tight bool) *Model {
	p, err := db.Posterior(name)
	if err != nil {
		t.Fatal(err)
	}
	data, err := db.Data(p.DataName)
	if err != nil {
		t.Fatal(err)
	}
	path := db.ModelPath(p.ModelName)
	if tight {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		path = writeStan(t, tightenODE(string(src)))
	}
	m, err := build(t, path, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

// TestODEPosteriorDB evaluates the PosteriorDB models that solve ODEs: at
// Stan's points, their densities and gradients against Stan's (logged:
// TestGolden holds them to its tolerances); at a random point, their
// gradients against central finite differences of the log density with the
// solver's tolerances tightened to 1e-10, the derivative of the exact
// solution. The gradient of that tightened model agrees with them within
// 1e-5 relative. The gradient of the model as written, the solution of the
// forward sensitivities at its own tolerances, is held to 1e-4 relative for
// sir and soil_incubation (relative and absolute tolerances 1e-6) and only
// logged for lotka_volterra: at its absolute tolerance of 1e-3 the
// solution itself can be far from the exact one (at this point lp is
// -63080 instead of -82256), and so is its gradient, Stan's as well. The
// difference quotients of a model at its own tolerances are no reference:
// the adaptive solver's solution is not smooth in the parameters to within
// its tolerances.
func TestODEPosteriorDB(t *testing.T) {
	db, root := sharedPosteriorDB(t)
	for _, name := range odePosteriors {
		m := odePosteriorModel(t, db, name, false)
		tight := odePosteriorModel(t, db, name, true)
		dim := m.Dim()
		grad := make([]float64, dim)

		// Stan's points.
		if g, ok := stanGolden(root, name); ok {
			var lp0, s0, worstLP, worstG float64
			for k, pt := range g.Points {
				lp, err := m.LogDensity(pt.Upars, grad)
				if err != nil {
					t.Errorf("%s at Stan's point %d: %v", name, k, err)
					continue
				}
				if k == 0 {
					lp0, s0 = lp, pt.LP
				}
				worstLP = math.Max(worstLP, math.Abs((lp-lp0)-(pt.LP-s0))/math.Max(1, math.Abs(pt.LP-s0)))
				for i, gi := range grad {
					worstG = math.Max(worstG, math.Abs(gi-pt.Grad[i])/math.Max(1e-8, math.Abs(pt.Grad[i])))
				}
			}
			t.Logf("%s at Stan's %d points: lp differences within %.2g relative, gradients within %.2g", name, len(g.Points), worstLP, worstG)
		}

		// A random point where the density is finite (as Stan initialises).
		rng := rand.New(rand.NewPCG(11, 11))
		x := make([]float64, dim)
		var lp float64
		var err error
		for {
			for i := range x {
				x[i] = rng.Float64()*4 - 2
			}
			if lp, err = m.LogDensity(x, grad); err == nil {
				break
			}
		}
		tgrad := make([]float64, dim)
		tlp, err := tight.LogDensity(x, tgrad)
		if err != nil {
			t.Fatal(err)
		}
		rtol := 1e-4
		if name == "hudson_lynx_hare-lotka_volterra" {
			rtol = math.Inf(1)
		}
		worstT, worstM := 0.0, 0.0
		for i := range x {
			fd, _, err := centralDiff(tight, x, i)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			scale := math.Max(1, math.Abs(fd))
			worstT = math.Max(worstT, math.Abs(tgrad[i]-fd)/scale)
			worstM = math.Max(worstM, math.Abs(grad[i]-fd)/scale)
			if math.Abs(tgrad[i]-fd) > 1e-5*scale {
				t.Errorf("%s with tolerances 1e-10: d lp / d theta[%d] = %v, finite difference %v", name, i, tgrad[i], fd)
			}
			if math.Abs(grad[i]-fd) > rtol*scale {
				t.Errorf("%s: d lp / d theta[%d] = %v, finite difference at tolerances 1e-10 %v", name, i, grad[i], fd)
			}
		}
		start, n := time.Now(), 0
		for time.Since(start) < 200*time.Millisecond {
			m.LogDensity(x, grad)
			n++
		}
		t.Logf("%s at a random point (lp %.6g, %.6g at tolerances 1e-10): gradient within %.2g relative of the finite differences at tolerances 1e-10 (%.2g at those tolerances); %v per gradient",
			name, lp, tlp, worstM, worstT, time.Since(start)/time.Duration(n))
	}
}

// BenchmarkODEGrad times a gradient of each PosteriorDB model that solves
// ODEs, at Stan's first point.
func BenchmarkODEGrad(b *testing.B) {
	db, root := sharedPosteriorDB(b)
	for _, name := range odePosteriors {
		b.Run(name, func(b *testing.B) {
			p, _ := db.Posterior(name)
			data, _ := db.Data(p.DataName)
			m, err := build(b, db.ModelPath(p.ModelName), data)
			if err != nil {
				b.Fatal(err)
			}
			g, ok := stanGolden(root, name)
			if !ok {
				b.Skip("no golden point")
			}
			x := g.Points[0].Upars
			grad := make([]float64, m.Dim())
			b.ReportAllocs()
			loopCPU(b, func() {
				if _, err := m.LogDensity(x, grad); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// anyPosteriorDB opens the PosteriorDB named by $GOSTAN_POSTERIORDB, or
// without it the repository's small copy, returning it with its root.
func anyPosteriorDB(tb testing.TB) (*posteriordb.DB, string) {
	root := os.Getenv("GOSTAN_POSTERIORDB")
	if root == "" {
		root = filepath.Join("..", "testdata", "posteriordb")
	}
	db, err := posteriordb.Open(root)
	if err != nil {
		tb.Fatal(err)
	}
	return db, root
}

// sharedPosteriorDB opens the whole PosteriorDB named by
// $GOSTAN_POSTERIORDB, returning it with its root, and skips without it.
func sharedPosteriorDB(tb testing.TB) (*posteriordb.DB, string) {
	root := os.Getenv("GOSTAN_POSTERIORDB")
	if root == "" {
		tb.Skip("GOSTAN_POSTERIORDB is not set")
	}
	db, err := posteriordb.Open(root)
	if err != nil {
		tb.Fatal(err)
	}
	return db, root
}

// stanGolden reads Stan's golden points of a posterior, kept beside the
// PosteriorDB at root (in golden/stan or golden/stan/points); ok is false
// when there are none.
func stanGolden(root, name string) (g golden, ok bool) {
	dir := filepath.Join(root, "..", "golden", "stan")
	b, err := os.ReadFile(filepath.Join(dir, name+".json"))
	if err != nil {
		b, err = os.ReadFile(filepath.Join(dir, "points", name+".json"))
	}
	if err != nil || json.Unmarshal(b, &g) != nil || len(g.Points) == 0 {
		return golden{}, false
	}
	return g, true
}
