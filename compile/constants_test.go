package compile

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

const constantsProgram = `
functions {
  real shifted_lpdf(real x, real m) { return normal_lupdf(x | m, 2); }
}
data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; real<lower=0> z; simplex[3] w; }
transformed parameters { real s2 = square(sigma); }
model {
  mu ~ normal(0, 10);
  sigma ~ lognormal(0, 1);
  y ~ normal(mu, sigma);
  z ~ normal(0, 3) T[0, ];
  target += shifted_lupdf(mu | 1);
}
generated quantities { real d = normal_rng(mu, 1); }
`

func constantsModel(t *testing.T) *Model {
	t.Helper()
	p, checkErr, compileErr := compileSource(constantsProgram)
	if checkErr != nil || compileErr != nil {
		t.Fatal(checkErr, compileErr)
	}
	data := model.Data{"N": {Elems: []float64{3}, Int: true}, "y": {Dims: []int{3}, Elems: []float64{0.5, -1, 2}}}
	m, err := p.NewModel(data, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestLogDensityPropto checks that propto=false adds exactly the constants
// ~ and *_lupdf drop, the ones inside a user density included, and that
// the gradient does not change.
func TestLogDensityPropto(t *testing.T) {
	m := constantsModel(t)
	// normal(0,10), lognormal(0,1), normal(mu,sigma) three times,
	// normal(0,3) (the truncation's log 2 is kept either way), normal(1,2).
	want := -math.Log(10) - math.Log(3) - math.Log(2) - 7*0.5*math.Log(2*math.Pi)
	for _, theta := range [][]float64{{0.3, -0.2, 0.7, 0.1, -0.4}, {-1, 1, -2, 2, 0}} {
		for _, jac := range []bool{true, false} {
			g1, g2 := make([]float64, 5), make([]float64, 5)
			lp1, err := m.LogDensityPropto(theta, g1, true, jac)
			if err != nil {
				t.Fatal(err)
			}
			lp2, err := m.LogDensityPropto(theta, g2, false, jac)
			if err != nil {
				t.Fatal(err)
			}
			if d := lp2 - lp1; math.Abs(d-want) > 1e-12 {
				t.Errorf("jacobian %v: propto=false - propto=true = %v, want %v", jac, d, want)
			}
			for i := range g1 {
				if math.Abs(g1[i]-g2[i]) > 1e-12 {
					t.Errorf("gradient %d: %v with constants, %v without", i, g2[i], g1[i])
				}
			}
			lp3, _ := m.LogDensityJacobian(theta, nil, jac)
			if lp3 != lp1 {
				t.Errorf("LogDensityJacobian after a propto=false call: %v, want %v", lp3, lp1)
			}
		}
	}
}

// TestConstrainParts checks that Constrain writes the columns asked for,
// and that the parameters alone do not run the generated quantities.
func TestConstrainParts(t *testing.T) {
	m := constantsModel(t)
	theta := []float64{0.3, math.Log(2), 0.7, 0, 0}
	np, ntp, ngq := m.Columns()
	if np != 6 || ntp != 1 || ngq != 1 {
		t.Fatalf("columns %d, %d, %d; want 6, 1, 1", np, ntp, ngq)
	}
	all := make([]float64, np+ntp+ngq)
	if err := m.Constrain(theta, true, true, rand.New(rand.NewPCG(1, 2)), all); err != nil {
		t.Fatal(err)
	}
	if all[0] != 0.3 || math.Abs(all[1]-2) > 1e-15 || math.Abs(all[6]-4) > 1e-14 {
		t.Errorf("mu, sigma, s2 = %v, %v, %v; want 0.3, 2, 4", all[0], all[1], all[6])
	}
	if w := all[3:6]; math.Abs(w[0]+w[1]+w[2]-1) > 1e-15 {
		t.Errorf("simplex %v does not sum to 1", w)
	}
	gqOnly := make([]float64, np+ngq)
	if err := m.Constrain(theta, false, true, rand.New(rand.NewPCG(1, 2)), gqOnly); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gqOnly[:np], all[:np]) || gqOnly[np] != all[np+ntp] {
		t.Errorf("without tp: %v, want %v then %v", gqOnly, all[:np], all[np+ntp])
	}
	params := make([]float64, np)
	if err := m.Constrain(theta, false, false, nil, params); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(params, all[:np]) {
		t.Errorf("parameters alone %v, want %v", params, all[:np])
	}
	names := m.UnconstrainedNames()
	if want := []string{"mu", "sigma", "z", "w.1", "w.2"}; !slices.Equal(names, want) {
		t.Errorf("unconstrained names %v, want %v", names, want)
	}
	if got := DottedName("Sigma[1,2]") + " " + DottedName("z[2,imag]"); got != "Sigma.1.2 z.2.imag" {
		t.Errorf("dotted names %q", got)
	}
}

// TestUserDensityNormalised: a user density called by its normalised name
// keeps the constants of the _lupdf densities in its body, and of the
// user densities it calls as _lupdf, as Stan instantiates it with propto
// false; called as _lupdf, by ~ or passed to reduce_sum as _lupmf, it
// drops them.
func TestUserDensityNormalised(t *testing.T) {
	const funcs = `functions {
  real foo_lpdf(vector y, real mu) { return normal_lupdf(y | mu, 1); }
  real bar_lpdf(vector y, real mu) { return foo_lupdf(y | mu); }
  real part_lpmf(array[] int k, int s, int e, real lam) { return poisson_lupmf(k | lam); }
}
transformed data { vector[3] y = [1, 2, 3]'; array[2] int k = {1, 4}; }
parameters { real mu; }
`
	y, mu := []float64{1, 2, 3}, 0.5
	kernel, consts := 0.0, -1.5*math.Log(2*math.Pi)
	for _, v := range y {
		kernel -= 0.5 * (v - mu) * (v - mu)
	}
	lam := math.Exp(mu)
	pois := 5*mu - 2*lam // log λ^(1+4) e^(-2λ), less log 1! 4!
	for _, c := range []struct {
		model string
		want  float64
	}{
		{"target += foo_lpdf(y | mu);", kernel + consts},
		{"target += bar_lpdf(y | mu);", kernel + consts},
		{"target += foo_lupdf(y | mu);", kernel},
		{"target += bar_lupdf(y | mu);", kernel},
		{"y ~ foo(mu);", kernel},
		{"y ~ bar(mu);", kernel},
		{"target += reduce_sum(part_lpmf, k, 1, exp(mu));", pois - math.Log(24)},
		{"target += reduce_sum(part_lupmf, k, 1, exp(mu));", pois},
	} {
		m := buildSource(t, funcs+"model { "+c.model+" }\ngenerated quantities { real f = foo_lpdf(y | mu); }\n", nil)
		lp, err := m.LogDensity([]float64{mu}, nil)
		if err != nil || math.Abs(lp-c.want) > 1e-12 {
			t.Errorf("%s: log density %v (%v), want %v", c.model, lp, err, c.want)
		}
		out := make([]float64, len(m.Names()))
		if err := m.Write([]float64{mu}, rand.New(rand.NewPCG(1, 2)), out); err != nil || math.Abs(out[len(out)-1]-(kernel+consts)) > 1e-12 {
			t.Errorf("%s: generated foo_lpdf %v (%v), want %v", c.model, out[len(out)-1], err, kernel+consts)
		}
	}
}

// TestArrayLayoutIsStans: an array's elements lie in the unconstrained
// vector row-major (the last index fastest), vectors whole, as rstan
// 2.21's log_prob reads them: the gradient of a weighted sum of elements
// has each weight where Stan's gradient has it (measured with rstan 2.21
// on this program), and the unconstrained names follow the same order.
func TestArrayLayoutIsStans(t *testing.T) {
	src := `parameters { array[2, 3] real a; array[2, 2, 2] real b; array[2, 2] vector[2] c; }
model { target += 1 * a[1, 2] + 2 * a[2, 1] + 10 * b[1, 1, 2] + 20 * b[1, 2, 1] + 30 * b[2, 1, 1]
  + 100 * c[1, 2][1] + 200 * c[2, 1][2] + 300 * c[1, 1][2]; }`
	p, err := Source("layout.stan", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.NewModel(nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	g := make([]float64, m.Dim())
	if _, err := m.LogDensity(make([]float64, m.Dim()), g); err != nil {
		t.Fatal(err)
	}
	stan := []float64{0, 1, 0, 2, 0, 0, 0, 10, 20, 0, 30, 0, 0, 0, 0, 300, 100, 0, 0, 200, 0, 0}
	if !slices.Equal(g, stan) {
		t.Errorf("gradient %v, Stan 2.21 %v", g, stan)
	}
	names := m.UnconstrainedNames()
	if got := strings.Join(names[:8], ","); got != "a.1.1,a.1.2,a.1.3,a.2.1,a.2.2,a.2.3,b.1.1.1,b.1.1.2" {
		t.Errorf("unconstrained names begin %s", got)
	}
	if got := strings.Join(names[14:18], ","); got != "c.1.1.1,c.1.1.2,c.1.2.1,c.1.2.2" {
		t.Errorf("unconstrained names of c begin %s", got)
	}
}

// TestTargetIncludesJacobian: Stan adds a constraint's log Jacobian to the
// target as it reads the parameters, so target() in the model block
// includes it (rstan 2.21's print(target()) shows it): with
// s = exp(u), target += 2 * target() makes the log density 3u, not u.
func TestTargetIncludesJacobian(t *testing.T) {
	p, err := Source("target.stan", []byte(`parameters { real<lower=0> s; } model { target += 2 * target(); }`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.NewModel(nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	g := make([]float64, 1)
	lp, err := m.LogDensity([]float64{0.7}, g)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(lp-2.1) > 1e-15 || math.Abs(g[0]-3) > 1e-15 {
		t.Errorf("log density %v, gradient %v; want 2.1 and 3", lp, g[0])
	}
}

// TestParamBlocks: each parameter's values in the unconstrained vector,
// its structured constraint named, an array's elements row by row; they
// cover the vector once, in the order UnconstrainedNames names it.
func TestParamBlocks(t *testing.T) {
	p, checkErr, compileErr := compileSource(`parameters { real<lower=0> s; array[2] positive_ordered[3] po; simplex[3] w;
  array[2, 2] real a; }
model { s ~ exponential(1); }`)
	if checkErr != nil || compileErr != nil {
		t.Fatal(checkErr, compileErr)
	}
	m, err := p.NewModel(nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []model.ParamBlock{
		{Name: "s", Starts: []int{0}, ElemSize: 1},
		{Name: "po", Constraint: "positive_ordered", Starts: []int{1, 4}, ElemSize: 3},
		{Name: "w", Constraint: "simplex", Starts: []int{7}, ElemSize: 2},
		{Name: "a", Starts: []int{9, 10, 11, 12}, ElemSize: 1},
	}
	got := m.ParamBlocks()
	if len(got) != len(want) {
		t.Fatalf("%d blocks, want %d: %+v", len(got), len(want), got)
	}
	names := m.UnconstrainedNames()
	for i, b := range got {
		w := want[i]
		if b.Name != w.Name || b.Constraint != w.Constraint || b.ElemSize != w.ElemSize || !slices.Equal(b.Starts, w.Starts) {
			t.Errorf("block %d = %+v, want %+v", i, b, w)
		}
		for _, s := range b.Starts {
			if base, _, _ := strings.Cut(names[s], "."); base != b.Name {
				t.Errorf("%s starts at %d, named %q", b.Name, s, names[s])
			}
		}
	}
}
