package compile

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// TestFusedNormal compares the fused y ~ normal(linear predictor, sigma)
// with the same density written so that it is not fused (normal_lupdf of
// a local vector, which drops the same constants), and checks its errors.
func TestFusedNormal(t *testing.T) {
	dir := t.TempDir()
	src := func(stmt string) string {
		return "data { int N; vector[N] y; vector[N] x; vector[N] z; }\nparameters { real a; real b; real<lower=0> s; }\nmodel {\n  " + stmt + "\n}\n"
	}
	data := model.Data{
		"N": {Elems: []float64{4}, Int: true},
		"y": {Dims: []int{4}, Elems: []float64{1, -2, 0.5, 3}},
		"x": {Dims: []int{4}, Elems: []float64{0.1, 0.7, -1, 2}},
		"z": {Dims: []int{4}, Elems: []float64{3, 1, 4, 1}},
	}
	for _, mu := range []string{"a + b * x", "a - b * x + z", "(x * b) - a - 2 * z", "z + b * x * 2 - (a - x)"} {
		var lps [2]float64
		var grads [2][]float64
		for k, stmt := range []string{"y ~ normal(" + mu + ", s);", "{ vector[N] m = " + mu + "; target += normal_lupdf(y | m, s); }"} {
			path := filepath.Join(dir, "f.stan")
			os.WriteFile(path, []byte(src(stmt)), 0o644)
			m, err := build(t, path, data)
			if err != nil {
				t.Fatal(err)
			}
			grads[k] = make([]float64, 3)
			if lps[k], err = m.LogDensity([]float64{0.3, -0.7, 0.2}, grads[k]); err != nil {
				t.Fatal(err)
			}
			// Fused, the density is one statement: the tape holds the
			// three leaves, the Jacobian's few and that one.
			if fused := k == 0 && !strings.Contains(mu, "* 2 -"); fused && m.e.t.Len() > 8 {
				t.Errorf("%s: %d tape entries, so the ~ was not fused", mu, m.e.t.Len())
			}
		}
		if math.Abs(lps[0]-lps[1]) > 1e-12 {
			t.Errorf("%s: fused lp %v, unfused %v", mu, lps[0], lps[1])
		}
		for i := range 3 {
			if math.Abs(grads[0][i]-grads[1][i]) > 1e-12 {
				t.Errorf("%s: fused gradient[%d] %v, unfused %v", mu, i, grads[0][i], grads[1][i])
			}
		}
	}
	path := filepath.Join(dir, "f.stan")
	os.WriteFile(path, []byte("data { int N; vector[N] y; vector[N] x; vector[N] z; }\nparameters { real a; real b; real s; }\nmodel {\n  y ~ normal(a + b * x, s);\n}\n"), 0o644)
	m, err := build(t, path, data)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.LogDensity([]float64{0.3, -0.7, -1}, make([]float64, 3))
	if err == nil || !strings.Contains(err.Error(), "f.stan:4:5: normal_lpdf: Scale parameter is -1") {
		t.Errorf("negative scale: error %v", err)
	}
}

// fusedData is the data of TestFusedNormalMatrix: y, x and X of N = 5
// rows, X with K = 3 columns, W with 2 and V with 4 rows for the size
// errors, yNaN with a NaN and yInf with an infinity.
var fusedData = model.Data{
	"N":    {Elems: []float64{5}, Int: true},
	"K":    {Elems: []float64{3}, Int: true},
	"y":    {Dims: []int{5}, Elems: []float64{1, -2, 0.5, 3, 1.2}},
	"yNaN": {Dims: []int{5}, Elems: []float64{1, -2, math.NaN(), 3, 1.2}},
	"yInf": {Dims: []int{5}, Elems: []float64{1, -2, math.Inf(1), 3, 1.2}},
	"x":    {Dims: []int{5}, Elems: []float64{0.1, 0.7, -1, 2, 0.3}},
	"X":    {Dims: []int{5, 3}, Elems: []float64{1, 0.5, -0.3, 2, 0.1, 0.4, -1.2, 0.8, 1.5, -0.6, 0.9, 0.2, -0.4, 1.1, 0.7}},
	"W":    {Dims: []int{5, 2}, Elems: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
	"V":    {Dims: []int{4, 3}, Elems: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
}

const fusedDecls = "data { int N; int K; vector[N] y; vector[N] yNaN; vector[N] yInf; vector[N] x; matrix[N, K] X; matrix[N, 2] W; matrix[4, K] V; }\n" +
	"transformed data { matrix[N, K] TX = 0.5 * X; }\n" +
	"parameters { real a; real b; vector[K] beta; real<lower=0> s; }\n"

// fusedModel builds a model block over fusedDecls.
func fusedModel(t *testing.T, body string) *Model {
	t.Helper()
	return buildSource(t, fusedDecls+"model {\n  "+body+"\n}\n", fusedData)
}

// TestFusedNormalMatrix compares normal densities of data y with a
// location X * beta (alone, or in a linear predictor), fused, with the
// same densities of a local vector, which is not fused: values and
// gradients to 1e-12, gradients against finite differences, the same
// errors, and no allocation.
func TestFusedNormalMatrix(t *testing.T) {
	at := []float64{0.3, -0.7, 0.4, -0.2, 0.9, 0.1}
	forms := []string{"y ~ normal(MU, s);", "target += normal_lpdf(y | MU, s);", "target += normal_lupdf(y | MU, s);",
		"y ~ normal(MU, 1.5);", "target += normal_lpdf(y | MU, 1.5);"}
	mus := []string{"X * beta", "a + X * beta", "a + b * x - TX * beta", "(2 * X) * beta + x", "X * beta - TX * (2 * beta) + b"}
	for _, form := range forms {
		for _, mu := range mus {
			fused := fusedModel(t, strings.ReplaceAll(form, "MU", mu))
			plain := fusedModel(t, "vector[N] m = "+mu+";\n  "+strings.ReplaceAll(form, "MU", "m"))
			var lps [2]float64
			var grads [2][]float64
			var lens [2]int
			for k, m := range []*Model{fused, plain} {
				grads[k] = make([]float64, len(at))
				var err error
				if lps[k], err = m.LogDensity(at, grads[k]); err != nil {
					t.Fatalf("%s, %s: %v", form, mu, err)
				}
				lens[k] = m.e.t.Len()
			}
			name := strings.ReplaceAll(form, "MU", mu)
			if lens[0] >= lens[1] {
				t.Errorf("%s: %d tape entries, unfused %d: not fused", name, lens[0], lens[1])
			}
			if !(math.Abs(lps[0]-lps[1]) <= 1e-12*math.Max(1, math.Abs(lps[1]))) {
				t.Errorf("%s: lp %.17g, unfused %.17g", name, lps[0], lps[1])
			}
			for i := range at {
				if !(math.Abs(grads[0][i]-grads[1][i]) <= 1e-12*math.Max(1, math.Abs(grads[1][i]))) {
					t.Errorf("%s: gradient[%d] %.17g, unfused %.17g", name, i, grads[0][i], grads[1][i])
				}
			}
			checkModelAt(t, name, fused, at, nil)
		}
	}

	// Errors: the message after the position is the unfused one's.
	msg := func(m *Model) string {
		_, err := m.LogDensity(at, make([]float64, len(at)))
		if err == nil {
			return "no error"
		}
		s := firstLine(err)
		if i := strings.Index(s, ".stan:"); i >= 0 {
			s = s[i:]
			s = s[strings.Index(s, " ")+1:]
		}
		return s
	}
	for _, c := range []struct{ fused, plain string }{
		{"yNaN ~ normal(a + X * beta, s);", "vector[N] m = a + X * beta;\n  yNaN ~ normal(m, s);"},
		{"target += normal_lpdf(yNaN | X * beta, s);", "vector[N] m = X * beta;\n  target += normal_lpdf(yNaN | m, s);"},
		{"y ~ normal(X * beta, -s);", "vector[N] m = X * beta;\n  y ~ normal(m, -s);"},
		{"y ~ normal(X * beta + 1e308 * 10, s);", "vector[N] m = X * beta + 1e308 * 10;\n  y ~ normal(m, s);"},
		{"y ~ normal(W * beta, s);", "vector[N] m = W * beta;\n  y ~ normal(m, s);"},
		{"target += normal_lpdf(y | V * beta, s);", "target += normal_lpdf(y | (V * beta) .* rep_vector(1, 4), s);"},
	} {
		f, p := msg(fusedModel(t, c.fused)), msg(fusedModel(t, c.plain))
		if f != p || f == "no error" {
			t.Errorf("%s: error %q, unfused %q", c.fused, f, p)
		}
	}

	// An infinite variate is in the support: its density is 0.
	for _, stmt := range []string{"yInf ~ normal(a + X * beta, s);", "target += normal_lpdf(yInf | a + X * beta, s);"} {
		lp, err := fusedModel(t, stmt).LogDensity(at, nil)
		if err != nil || !math.IsInf(lp, -1) {
			t.Errorf("%s: lp %v, error %v; want -Inf", stmt, lp, err)
		}
	}

	m := fusedModel(t, "y ~ normal(a + b * x + X * beta, s);")
	g := make([]float64, len(at))
	m.LogDensity(at, g)
	if n := testing.AllocsPerRun(50, func() { m.LogDensity(at, g) }); n != 0 {
		t.Errorf("fused X * beta: %v allocations per gradient", n)
	}
}
