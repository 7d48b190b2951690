package compile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gostan/gostan/model"
)

// site returns the solver's shared part, for the tests.
func (s *odeCore) site() *odeCore { return s }

// odeRHSSite is a call site of an ODE solver in a Model.
type odeRHSSite interface {
	odeSystem
	site() *odeCore
}

// odeSites returns m's ODE call sites that have solved (a program may be
// compiled twice, once for its generative view).
func odeSites(m *Model) []odeRHSSite {
	var out []odeRHSSite
	for _, st := range m.e.state {
		if s, ok := st.(odeRHSSite); ok && len(s.site().z0) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// setInterp leaves every system function of m to the interpreter, or not.
func setInterp(m *Model, on bool) {
	for _, s := range odeSites(m) {
		s.site().interp = on
	}
}

// checkODERHS compares, at m's last solve, the straight-line right-hand
// side of each site (which must apply when fast) with the interpreter's at
// random times, states and sensitivities: the values, and J_y S + J_θ.
// It then compares the log density and its gradient at x both ways.
func checkODERHS(t *testing.T, name string, m *Model, x []float64, fast bool) {
	t.Helper()
	grad := make([]float64, m.Dim())
	lp, err := m.LogDensity(x, grad)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	sites := odeSites(m)
	if len(sites) == 0 {
		t.Fatalf("%s: no ODE call site", name)
	}
	rng := rand.New(rand.NewPCG(3, 5))
	for _, sys := range sites {
		s := sys.site()
		if got := s.prog.ok && s.prog.linked; got != fast {
			t.Fatalf("%s: straight-line evaluation %v, want %v", name, got, fast)
		}
		if !fast {
			continue
		}
		size := len(s.z0)
		z, d1, d2 := make([]float64, size), make([]float64, size), make([]float64, size)
		worst := 0.0
		for range 5 {
			for i := range z {
				if i < s.n {
					z[i] = s.z0[i] * (1 + 0.2*rng.NormFloat64())
				} else {
					z[i] = rng.NormFloat64()
				}
			}
			tt := s.ts[0] * rng.Float64()
			sys.rhs(tt, z, d1)
			saved := s.enter(m.e)
			s.interp = true
			sys.rhs(tt, z, d2)
			s.interp = false
			s.leave(m.e, saved)
			for i := range d1 {
				if math.IsNaN(d1[i]) || math.IsNaN(d2[i]) {
					t.Fatalf("%s: dz[%d] is %v by the program, %v by the interpreter", name, i, d1[i], d2[i])
				}
				e := math.Abs(d1[i]-d2[i]) / math.Max(1, math.Max(math.Abs(d1[i]), math.Abs(d2[i])))
				worst = math.Max(worst, e)
			}
		}
		if worst > 1e-13 {
			t.Errorf("%s: the program's right-hand side and Jacobian products differ from the interpreter's by %.2g relative", name, worst)
		}
	}
	setInterp(m, true)
	grad2 := make([]float64, m.Dim())
	lp2, err := m.LogDensity(x, grad2)
	setInterp(m, false)
	if err != nil {
		t.Fatalf("%s by the interpreter: %v", name, err)
	}
	if math.Abs(lp-lp2) > 1e-10*math.Max(1, math.Abs(lp)) {
		t.Errorf("%s: lp %v, by the interpreter %v", name, lp, lp2)
	}
	for i := range grad {
		if math.Abs(grad[i]-grad2[i]) > 1e-9*math.Max(1, math.Abs(grad[i])) {
			t.Errorf("%s: d lp / d x[%d] = %v, by the interpreter %v", name, i, grad[i], grad2[i])
		}
	}
}

// TestODERHSPosteriorDB compares the straight-line right-hand sides of the
// PosteriorDB ODE models with the interpreter's.
func TestODERHSPosteriorDB(t *testing.T) {
	db, root := sharedPosteriorDB(t)
	for _, name := range odePosteriors {
		m := odePosteriorModel(t, db, name, false)
		g, ok := stanGolden(root, name)
		if !ok {
			t.Fatalf("%s: no golden point", name)
		}
		checkODERHS(t, name, m, g.Points[0].Upars, true)
	}
}

// odeRHSVariadic is a variadic system in the straight-line subset: vector
// arithmetic, a loop over an int argument, int-array indices, data reals,
// a conditional on an int, and functions the program evaluates itself and
// through ad.
const odeRHSVariadic = `functions {
  vector sys(real t, vector y, real k, vector th, data array[] real xr, array[] int idx, int m) {
    vector[3] dydt = -k * y;
    for (i in 1:m) {
      dydt[idx[i]] += th[i] * sin(t) * exp(-square(y[idx[i]])) / (1 + xr[i]);
    }
    real s = inv_logit(y[1]) - pow(fabs(y[2]) + 1, th[2]) + fmin(y[3], xr[1]) + log1p(square(y[3]));
    dydt[3] -= 0.1 * s;
    dydt[2] = m > 1 ? dydt[2] + sqrt(1 + square(y[1])) / (1 + y[1] ^ 2) : dydt[2];
    return dydt ./ [1.0, 2.0, 1.5]' + log(2 + y .* y) * 0.01;
  }
}
data {
  int T;
  array[T] real ts;
  array[2] real xr;
  array[2] int idx;
}
parameters {
  real<lower=0> k;
  vector[2] th;
  vector[3] y0;
}
model {
  array[T] vector[3] y = ode_rk45_tol(sys, y0, 0, ts, 1e-10, 1e-10, 1000000, k, th, xr, idx, 2);
  for (n in 1:T) {
    target += -0.5 * dot_self(y[n]);
  }
  k ~ lognormal(0, 0.5);
  th ~ normal(0, 1);
  y0 ~ normal(1, 0.5);
}
`

// odeRHSOld is a damped, driven oscillator in the old interface, the
// driving switched on by x_i.
const odeRHSOld = `functions {
  array[] real sho(real t, array[] real y, array[] real theta, array[] real x_r, array[] int x_i) {
    array[2] real dydt;
    dydt[1] = y[2];
    dydt[2] = -y[1] - theta[1] * y[2];
    if (x_i[1] == 1) {
      dydt[2] = dydt[2] + x_r[1] * cos(theta[2] * t);
    }
    return dydt;
  }
}
data {
  int T;
  array[T] real ts;
}
transformed data {
  array[1] real x_r = {0.5};
  array[1] int x_i = {1};
}
parameters {
  array[2] real<lower=0> theta;
  array[2] real y0;
}
model {
  array[T, 2] real y = integrate_ode_rk45(sho, y0, 0, ts, theta, x_r, x_i, 1e-10, 1e-10, 1000000);
  for (n in 1:T) {
    target += normal_lpdf(y[n] | 0.3, 1);
  }
  theta ~ lognormal(0, 0.5);
  y0 ~ normal(0, 1);
}
`

// odeRHSBranch branches on the state: the interpreter runs it.
const odeRHSBranch = `functions {
  array[] real sw(real t, array[] real y, array[] real theta, array[] real x_r, array[] int x_i) {
    if (y[1] > 0) {
      return {-theta[1] * y[1]};
    }
    return {-theta[2] * y[1]};
  }
}
data {
  int T;
  array[T] real ts;
}
parameters {
  array[2] real<lower=0> theta;
  array[1] real y0;
}
model {
  array[T, 1] real y = integrate_ode_rk45(sw, y0, 0, ts, theta, rep_array(0.0, 0), rep_array(0, 0), 1e-10, 1e-10, 1000000);
  for (n in 1:T) {
    target += normal_lpdf(y[n] | 0.3, 1);
  }
  theta ~ lognormal(0, 0.5);
  y0 ~ normal(0, 1);
}
`

// odeRHSHelpers calls user functions, inlined into the program; with
// RECURSE set to 1, the recursive one leaves the system to the interpreter.
const odeRHSHelpers = `functions {
  real rate(real a, real b) {
    return a * b / (1 + a);
  }
  array[] real decay(array[] real y, real k) {
    return {-k * y[1], -k * y[2]};
  }
  real halve(real a, int k) {
    if (k == 0) {
      return a;
    }
    return halve(0.5 * a, k - 1);
  }
  array[] real sys(real t, array[] real y, array[] real theta, array[] real x_r, array[] int x_i) {
    array[2] real d = decay(y, theta[1]);
    d[1] += rate(y[2], theta[2]);
    d[2] -= halve(y[1], RECURSE);
    return d;
  }
}
data {
  int T;
  array[T] real ts;
}
parameters {
  array[2] real<lower=0> theta;
  array[2] real y0;
}
model {
  array[T, 2] real y = integrate_ode_rk45(sys, y0, 0, ts, theta, rep_array(0.0, 0), rep_array(0, 0), 1e-10, 1e-10, 1000000);
  for (n in 1:T) {
    target += normal_lpdf(y[n] | 0.3, 1);
  }
  theta ~ lognormal(0, 0.5);
  y0 ~ normal(0, 1);
}
`

// TestODERHSHandWritten compares the straight-line right-hand sides of
// hand-written systems with the interpreter's, and the gradient of the
// log density with its finite differences; a system outside the subset
// must be left to the interpreter.
func TestODERHSHandWritten(t *testing.T) {
	ts := []float64{0.5, 1, 2, 3.5}
	data := model.Data{
		"T":   {Elems: []float64{float64(len(ts))}, Int: true},
		"ts":  {Dims: []int{len(ts)}, Elems: ts},
		"xr":  {Dims: []int{2}, Elems: []float64{0.4, -0.3}},
		"idx": {Dims: []int{2}, Elems: []float64{3, 1}, Int: true},
	}
	for _, c := range []struct {
		name, src string
		fast      bool
	}{
		{"variadic", odeRHSVariadic, true},
		{"old interface", odeRHSOld, true},
		{"branch on the state", odeRHSBranch, false},
		{"helpers", strings.Replace(odeRHSHelpers, "RECURSE", "0", 1), true},
		{"recursive helper", strings.Replace(odeRHSHelpers, "RECURSE", "1", 1), false},
	} {
		m := buildSource(t, c.src, data)
		rng := rand.New(rand.NewPCG(7, 9))
		x := make([]float64, m.Dim())
		for i := range x {
			x[i] = 0.5 * rng.NormFloat64()
		}
		checkODERHS(t, c.name, m, x, c.fast)
		checkModelGrad(t, c.name, m, x, 1e-5)
	}
}

// TestODERHSErrors checks that errors in a system function are reported
// as the interpreter reports them: an index out of range (left to the
// interpreter) and a NaN the program computes.
func TestODERHSErrors(t *testing.T) {
	ts := []float64{0.5, 1}
	data := model.Data{
		"T":  {Elems: []float64{float64(len(ts))}, Int: true},
		"ts": {Dims: []int{len(ts)}, Elems: ts},
	}
	for _, c := range []struct{ body, want string }{
		{"return {-theta[x_i[1]] * y[1]};", "index"},
		{"return {sqrt(theta[1] - 10) * y[1]};", "not finite"},
	} {
		src := strings.Replace(odeRHSBranch, `if (y[1] > 0) {
      return {-theta[1] * y[1]};
    }
    return {-theta[2] * y[1]};`, c.body, 1)
		src = strings.Replace(src, "rep_array(0, 0)", "{3}", 1)
		m := buildSource(t, src, data)
		x := []float64{0.1, 0.2, 0.3}
		_, err := m.LogDensity(x, make([]float64, 3))
		setInterp(m, true)
		_, err2 := m.LogDensity(x, make([]float64, 3))
		if err == nil || err2 == nil || err.Error() != err2.Error() || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, by the interpreter %v; want one about %q", c.body, err, err2, c.want)
		}
	}
}

// TestODERHSShared evaluates Models of one Program in goroutines at once:
// they share the system function's rhsSource and each links its own
// program; every gradient must equal the serial one.
func TestODERHSShared(t *testing.T) {
	ts := []float64{0.5, 1, 2, 3.5}
	data := model.Data{
		"T":   {Elems: []float64{float64(len(ts))}, Int: true},
		"ts":  {Dims: []int{len(ts)}, Elems: ts},
		"xr":  {Dims: []int{2}, Elems: []float64{0.4, -0.3}},
		"idx": {Dims: []int{2}, Elems: []float64{3, 1}, Int: true},
	}
	prog, err := Source("shared.stan", []byte(odeRHSVariadic))
	if err != nil {
		t.Fatal(err)
	}
	const workers = 4
	x := [workers][]float64{}
	want := [workers][]float64{}
	for w := range workers {
		m, err := prog.NewModel(data, 1)
		if err != nil {
			t.Fatal(err)
		}
		x[w] = []float64{0.1 * float64(w), 0.2, -0.3, 0.8, 1.1, 0.9}
		want[w] = make([]float64, m.Dim())
		if _, err := m.LogDensity(x[w], want[w]); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := prog.NewModel(data, 1)
			if err != nil {
				errs <- err.Error()
				return
			}
			grad := make([]float64, m.Dim())
			for range 20 {
				if _, err := m.LogDensity(x[w], grad); err != nil {
					errs <- err.Error()
					return
				}
				for i := range grad {
					if grad[i] != want[w][i] {
						errs <- fmt.Sprintf("worker %d: d lp / d x[%d] = %v, serially %v", w, i, grad[i], want[w][i])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestODERHSRelinks checks that a Model's program follows which arguments
// have sensitivities from one solve to the next: Write solves the
// transformed parameters with the parameters as constants, LogDensity
// then with their sensitivities, which must give what a fresh Model
// computes.
func TestODERHSRelinks(t *testing.T) {
	const src = `
functions {
  vector decay(real t, vector y, real k) { return -k * y; }
}
parameters { real<lower=0> k; vector[2] y0; }
transformed parameters {
  array[2] vector[2] z = ode_rk45(decay, y0, 0, {1.0, 2.0}, k);
}
model {
  k ~ lognormal(0, 0.5);
  y0 ~ normal(1, 1);
  z[2] ~ normal(0.5, 1);
}
`
	m, fresh := buildSource(t, src, nil), buildSource(t, src, nil)
	x := []float64{0.2, 0.7, -0.4}
	if err := m.Write(x, rand.New(rand.NewPCG(1, 2)), make([]float64, len(m.Names()))); err != nil {
		t.Fatal(err)
	}
	g, want := make([]float64, len(x)), make([]float64, len(x))
	lp, err := m.LogDensity(x, g)
	if err != nil {
		t.Fatal(err)
	}
	lpWant, err := fresh.LogDensity(x, want)
	if err != nil {
		t.Fatal(err)
	}
	if lp != lpWant || !slices.Equal(g, want) {
		t.Errorf("after Write: lp %v, gradient %v; a fresh model: lp %v, gradient %v", lp, g, lpWant, want)
	}
}

// odeRHSFused has chains the program fuses, (c ± a*b)*d and c ± a*b with
// each order of the operands, c a product or not, negations of c and of
// the factors folded in, and chains it must
// not fuse: a result used twice, a result of the program used again and,
// when the initial state has sensitivities and theta does not (THETA set
// to th), a product with an operand without tangents. With Y0 set to y0d
// too, there are no sensitivities.
const odeRHSFused = `functions {
  array[] real fm(real t, array[] real y, array[] real theta, array[] real x_r, array[] int x_i) {
    real a = y[1];
    real b = y[2];
    real c = y[3];
    array[3] real d;
    d[1] = (theta[1] - theta[2] * b) * a;
    d[1] += -theta[4] * c + theta[3] * b * (-a);
    d[2] = exp((theta[4] * c - theta[3] * b) * a);
    d[2] += c * (-theta[3] + theta[4] * a) / ((a - b * c) * theta[1]) + exp(theta[1] - theta[2] * b);
    real m = a * b;
    d[3] = m - c + (-theta[1] - b * c) + x_r[1] * a - (b * c + a) * theta[2] + d[1] * c;
    d[3] += (m + theta[3]) * (c * a - b) + log1p(square((theta[2] - theta[2] * c) * b)) - exp(theta[4] + theta[4] * a);
    return d;
  }
}
data {
  int T;
  array[T] real ts;
}
transformed data {
  array[1] real x_r = {0.7};
  array[4] real th = {0.6, 0.3, 0.5, 0.2};
  array[3] real y0d = {0.1, -0.2, 0.3};
}
parameters {
  real mu;
  array[4] real<lower=0> theta;
  array[3] real y0;
}
model {
  array[T, 3] real y = integrate_ode_rk45(fm, Y0, 0, ts, THETA, x_r, rep_array(0, 0), 1e-10, 1e-10, 1000000);
  for (n in 1:T) {
    target += normal_lpdf(y[n] | mu, 1);
  }
  mu ~ normal(0, 1);
  theta ~ lognormal(-1, 0.5);
  y0 ~ normal(0, 0.3);
}
`

// TestODERHSFused checks the fused instructions: the program must fuse
// odeRHSFused's chains, agree with the unfused program bit for bit (the
// values and the tangents), with the interpreter and with finite
// differences. With theta parameters, five fused instructions add and
// multiply two of them (or one twice), whose tangents are unit vectors.
func TestODERHSFused(t *testing.T) {
	ts := []float64{0.5, 1, 2}
	data := model.Data{
		"T":  {Elems: []float64{float64(len(ts))}, Int: true},
		"ts": {Dims: []int{len(ts)}, Elems: ts},
	}
	for _, c := range []struct {
		theta, y0 string
		np        int
		fused     bool
	}{{"theta", "y0", 7, true}, {"th", "y0", 3, false}, {"th", "y0d", 0, true}} {
		src := strings.Replace(strings.Replace(odeRHSFused, "THETA", c.theta, 1), "Y0", c.y0, 1)
		m := buildSource(t, src, data)
		rng := rand.New(rand.NewPCG(11, 13))
		x := make([]float64, m.Dim())
		for i := range x {
			x[i] = 0.3 * rng.NormFloat64()
		}
		checkODERHS(t, "fused", m, x, true)
		s := odeSites(m)[0].site()
		p := &s.prog
		count := map[uint8]int{}
		units, prods := 0, 0
		for _, in := range p.exec {
			count[in.op]++
			if in.signs&rhsUnitAC != 0 {
				units++
			}
			if in.signs&rhsProdC != 0 {
				prods++
			}
		}
		if c.fused && prods == 0 {
			t.Fatalf("%s, %s: no fused instruction adds a product", c.theta, c.y0)
		}
		if units != 5 && c.theta == "theta" || units != 0 && c.theta != "theta" {
			t.Fatalf("%s, %s: %d fused instructions with parameters' unit tangents", c.theta, c.y0, units)
		}
		if s.np != c.np {
			t.Fatalf("%s, %s: %d sensitivities, want %d", c.theta, c.y0, s.np, c.np)
		}
		if c.fused && (count[rFma] < 4 || count[rFmaMul] < 2) {
			t.Fatalf("%s, %s: %d fused multiply-adds and %d fused chains times a factor in %d instructions of %d", c.theta, c.y0, count[rFma], count[rFmaMul], len(p.exec), len(p.code))
		}
		size := len(s.z0)
		z, d1, d2 := make([]float64, size), make([]float64, size), make([]float64, size)
		fused := p.exec
		for range 20 {
			for i := range z {
				z[i] = rng.NormFloat64()
			}
			tt := rng.Float64()
			p.exec = fused
			p.directRows(s.np)
			s.fastRHS(tt, z, d1)
			p.exec = p.code
			p.directRows(s.np)
			s.fastRHS(tt, z, d2)
			p.exec = fused
			p.directRows(s.np)
			for i := range d1 {
				if math.Float64bits(d1[i]) != math.Float64bits(d2[i]) && d1[i] != d2[i] {
					t.Fatalf("%s, %s: dz[%d] = %v fused, %v not", c.theta, c.y0, i, d1[i], d2[i])
				}
			}
		}
		checkModelGrad(t, c.theta+", "+c.y0, m, x, 1e-5)
	}
}
