package compile

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// TestMultipleDeclarations: a program declaring several variables per
// statement (Stan 2.33) in every block has the layout, columns, density
// and gradient of the same program written one declaration a statement,
// and its values are as computed by hand.
func TestMultipleDeclarations(t *testing.T) {
	multi := `
functions {
  real f(real a) { real u = a, v = 2 * a; return u * v; }
}
data { int N, K; vector[N] y, z; }
transformed data { real s = sum(y), r = s + 1; array[2] int i = {1, 2}, j = {K, K}; }
parameters { real<lower=0> a, b; vector<offset=1>[N] mu, nu; }
transformed parameters { real c = a + b, d = a * b; }
model {
  real u = 1, v;
  v = u + 1;
  y ~ normal(mu, a);
  z ~ normal(nu, b);
  mu ~ normal(0, v);
  nu ~ normal(i[2], j[1]);
}
generated quantities { real g = r, h; int k = K, l = i[1] + j[2]; h = f(3); }
`
	single := `
functions {
  real f(real a) { real u = a; real v = 2 * a; return u * v; }
}
data { int N; int K; vector[N] y; vector[N] z; }
transformed data { real s = sum(y); real r = s + 1; array[2] int i = {1, 2}; array[2] int j = {K, K}; }
parameters { real<lower=0> a; real<lower=0> b; vector<offset=1>[N] mu; vector<offset=1>[N] nu; }
transformed parameters { real c = a + b; real d = a * b; }
model {
  real u = 1;
  real v;
  v = u + 1;
  y ~ normal(mu, a);
  z ~ normal(nu, b);
  mu ~ normal(0, v);
  nu ~ normal(i[2], j[1]);
}
generated quantities { real g = r; real h; int k = K; int l = i[1] + j[2]; h = f(3); }
`
	data, err := model.ReadData(strings.NewReader(`{"N": 2, "K": 3, "y": [0.5, -1], "z": [2, 1.5]}`))
	if err != nil {
		t.Fatal(err)
	}
	m, s := buildSource(t, multi, data), buildSource(t, single, data)
	wantNames := []string{"a", "b", "mu[1]", "mu[2]", "nu[1]", "nu[2]", "c", "d", "g", "h", "k", "l"}
	if !slices.Equal(m.Names(), wantNames) || !slices.Equal(s.Names(), wantNames) {
		t.Fatalf("names %v and %v, want %v", m.Names(), s.Names(), wantNames)
	}
	if m.Dim() != 6 {
		t.Fatalf("dimension %d, want 6", m.Dim())
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5 {
		x := make([]float64, 6)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		gm, gs := make([]float64, 6), make([]float64, 6)
		lm, err1 := m.LogDensity(x, gm)
		ls, err2 := s.LogDensity(x, gs)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if lm != ls || !slices.Equal(gm, gs) {
			t.Errorf("at %v: %v %v, one a statement %v %v", x, lm, gm, ls, gs)
		}
		checkModelAt(t, "multi", m, x, nil)
	}
	x := []float64{math.Log(2), math.Log(0.5), 0.1, 0.2, 0.3, 0.4}
	out := make([]float64, len(wantNames))
	if err := m.Write(x, rand.New(rand.NewPCG(1, 2)), out); err != nil {
		t.Fatal(err)
	}
	want := []float64{2, 0.5, 1.1, 1.2, 1.3, 1.4, 2.5, 1, 0.5, 18, 3, 4}
	for i, w := range want {
		if math.Abs(out[i]-w) > 1e-12 {
			t.Errorf("%s = %v, want %v", wantNames[i], out[i], w)
		}
	}
}
