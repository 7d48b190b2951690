package compile

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// solverProgram calls every solver that keeps working memory (a fused
// regression, the ODE solvers of both interfaces, the algebraic solvers
// and integrate_1d), all with parameters in their arguments, and builds
// their inputs element by element so that nothing else in it keeps a
// buffer.
const solverProgram = `
functions {
  vector sho(real t, vector y, real th) { return [y[2], -y[1] - th * y[2]]'; }
  array[] real sho_old(real t, array[] real y, array[] real th, array[] real xr, array[] int xi) {
    return {y[2], -y[1] - th[1] * y[2]};
  }
  vector sys(vector y, vector th, array[] real xr, array[] int xi) {
    return [exp(y[1]) - th[1], y[1] * y[2] - th[2]]';
  }
  vector sysv(vector y, real c, array[] real d) { return [exp(y[1]) - c, y[1] * y[2] - d[1]]'; }
  real gauss(real x, real xc, array[] real th, array[] real xr, array[] int xi) { return exp(-th[1] * x * x); }
}
data { int N; vector[N] y; vector[N] x; array[3] real ts; }
transformed data { array[0] real xr; array[0] int xi; }
parameters { real a; real b; real<lower=0> sigma; real<lower=0.1, upper=2> th; }
model {
  vector[2] y0;
  array[2] real y0a;
  array[1] real tha;
  vector[2] p;
  y0[1] = 1;
  y0[2] = a;
  y0a[1] = 1;
  y0a[2] = a;
  tha[1] = th;
  p[1] = th + 1;
  p[2] = b;
  y ~ normal(a + b * x, sigma);
  array[3] vector[2] yv = ode_rk45(sho, y0, 0, ts, th);
  array[3, 2] real yo = integrate_ode_rk45(sho_old, y0a, 0, ts, tha, xr, xi);
  vector[2] r = algebra_solver(sys, y0, p, xr, xi);
  vector[2] q = solve_newton(sysv, y0, th + 2, tha);
  target += -0.5 * square(yv[3][1]) - 0.5 * square(yo[3, 2]) + 0.01 * (r[2] + q[2]);
  target += integrate_1d(gauss, 0, 1, tha, xr, xi);
  target += -0.5 * (square(a) + square(b)) - sigma;
}
`

func solverData() model.Data {
	return model.Data{
		"N":  {Int: true, Elems: []float64{5}},
		"y":  {Dims: []int{5}, Elems: []float64{1.2, -0.3, 2.5, 0.7, 1.1}},
		"x":  {Dims: []int{5}, Elems: []float64{0.5, -1, 2, 0.1, -0.7}},
		"ts": {Dims: []int{3}, Elems: []float64{0.5, 1, 2}},
	}
}

// TestSolversSharedByGoroutines evaluates models made from one Program
// whose solvers keep scratch tapes and work arrays on four goroutines:
// every log density and gradient is bit-equal to one model's alone.
func TestSolversSharedByGoroutines(t *testing.T) {
	checkSharedProgram(t, solverProgram, solverData())
}

// TestGuidesSharedByGoroutines runs guides of models made from one
// Program on four goroutines, drawing parts of a vector, and vectors from
// the multivariate families (mvGuide): every ELBO gradient is bit-equal
// to one guide's alone.
func TestGuidesSharedByGoroutines(t *testing.T) {
	for _, src := range []string{`
parameters { vector[100] z; }
model { target += -0.5 * dot_self(z); }
guide parameters { vector[100] m; vector<lower=0>[100] s; }
guide {
  z[1:99] ~ normal(m[1:99], s[1:99]);
  z[100] ~ normal(m[100], s[100]);
}
`, mvGuide, matrixGuide} {
		guidesShared(t, src)
	}
}

func guidesShared(t *testing.T, src string) {
	p, checkErr, compileErr := compileSource(src)
	if checkErr != nil || compileErr != nil {
		t.Fatal(checkErr, compileErr)
	}
	run := func() ([]evaluation, error) {
		m, err := p.NewModel(model.Data{}, 1)
		if err != nil {
			return nil, err
		}
		g, err := m.NewGuide(rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			return nil, err
		}
		res := make([]evaluation, 200)
		for i := range res {
			r := &res[i]
			r.grad = make([]float64, len(g.Params()))
			r.lp, r.err = g.ELBOGrad(rand.New(rand.NewPCG(3, uint64(i))), nil, r.grad)
		}
		return res, nil
	}
	checkShared(t, 4, func(int) ([]evaluation, error) { return run() })
}

// TestStructuredDataChecked reads a structured data variable: a simplex
// passes its check and a vector that is not one is refused.
func TestStructuredDataChecked(t *testing.T) {
	p, checkErr, compileErr := compileSource(`
data { simplex[3] w; }
parameters { real mu; }
model { mu ~ normal(w[1], 1); }
`)
	if checkErr != nil || compileErr != nil {
		t.Fatal(checkErr, compileErr)
	}
	for _, c := range []struct {
		w  []float64
		ok bool
	}{{[]float64{0.2, 0.3, 0.5}, true}, {[]float64{0.2, 0.3, 0.6}, false}} {
		_, err := p.NewModel(model.Data{"w": {Dims: []int{3}, Elems: c.w}}, 1)
		if c.ok && err != nil {
			t.Errorf("w = %v: %v", c.w, err)
		}
		if !c.ok && (err == nil || !strings.Contains(err.Error(), "w")) {
			t.Errorf("w = %v: error %v, want one about w", c.w, err)
		}
	}
}
