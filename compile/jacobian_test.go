package compile

import (
	"math"
	"testing"

	"github.com/gostan/gostan/model"
)

// sameDensity compares two models' log densities and gradients, with and
// without the Jacobian, at points of their (equal) unconstrained spaces.
func sameDensity(t *testing.T, a, b *Model, points [][]float64) {
	t.Helper()
	if a.Dim() != b.Dim() {
		t.Fatalf("dimensions %d and %d", a.Dim(), b.Dim())
	}
	for _, x := range points {
		for _, jac := range []bool{true, false} {
			ga, gb := make([]float64, a.Dim()), make([]float64, b.Dim())
			la, err := a.LogDensityJacobian(x, ga, jac)
			if err != nil {
				t.Fatal(err)
			}
			lb, err := b.LogDensityJacobian(x, gb, jac)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(la-lb) > 1e-12*math.Max(1, math.Abs(la)) {
				t.Errorf("x=%v jacobian %v: log density %.15g, want %.15g", x, jac, la, lb)
			}
			for i := range ga {
				if math.Abs(ga[i]-gb[i]) > 1e-12*math.Max(1, math.Abs(ga[i])) {
					t.Errorf("x=%v jacobian %v: gradient %v, want %v", x, jac, ga, gb)
					break
				}
			}
		}
	}
}

// TestJacobianStatement: a change of variables written with jacobian +=
// gives the density of the same constraint declared, with and without the
// Jacobian; the term is skipped exactly when the Jacobian is.
func TestJacobianStatement(t *testing.T) {
	declared := buildSource(t, `
parameters { real<lower=0> s; vector<lower=-1, upper=2>[2] v; }
model { s ~ gamma(2, 3); v ~ normal(0.5, 1); }`, model.Data{})
	by := buildSource(t, `
functions {
  vector bounded_jacobian(vector raw, real lo, real hi) {
    vector[rows(raw)] z = inv_logit(raw);
    jacobian += log(hi - lo) + log(z) + log1m(z);
    return lo + (hi - lo) * z;
  }
}
parameters { real s_raw; vector[2] v_raw; }
transformed parameters {
  real s = exp(s_raw);
  jacobian += s_raw;
  vector[2] v = bounded_jacobian(v_raw, -1, 2);
}
model { s ~ gamma(2, 3); v ~ normal(0.5, 1); }`, model.Data{})
	points := [][]float64{{0.3, -0.4, 1.1}, {-1.2, 2, -0.5}}
	sameDensity(t, by, declared, points)

	// Without the Jacobian the term is not there: the difference is the
	// Jacobian term itself.
	x := []float64{0.3, -0.4, 1.1}
	l1, _ := by.LogDensityJacobian(x, nil, true)
	l0, _ := by.LogDensityJacobian(x, nil, false)
	want := 0.3
	for _, r := range x[1:] {
		z := 1 / (1 + math.Exp(-r))
		want += math.Log(3) + math.Log(z) + math.Log1p(-z)
	}
	if math.Abs(l1-l0-want) > 1e-12 {
		t.Errorf("log Jacobian %.15g, want %.15g", l1-l0, want)
	}
	// Write runs the transformed parameters without a density.
	out := make([]float64, len(by.Names()))
	if err := by.Write(x, nil, out); err != nil {
		t.Fatal(err)
	}
	if math.Abs(out[3]-math.Exp(0.3)) > 1e-15 {
		t.Errorf("s = %v, want %v", out[3], math.Exp(0.3))
	}
}

// TestJacobianVariable: in a program older than the statement, jacobian
// may be a variable, and jacobian += adds to it.
func TestJacobianVariable(t *testing.T) {
	m := buildSource(t, `
transformed data { real jacobian = 1; jacobian += 2.5; }
parameters { real y; }
model { y ~ normal(jacobian, 1); }
generated quantities { real j = jacobian; }`, model.Data{})
	out := make([]float64, len(m.Names()))
	if err := m.Write([]float64{0}, nil, out); err != nil {
		t.Fatal(err)
	}
	if out[1] != 3.5 {
		t.Errorf("jacobian = %v, want 3.5", out[1])
	}
}
