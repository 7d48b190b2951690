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
// with the same density written so that it is not fused (normal_lupdf,
// which drops the same constants), and checks its errors.
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
		for k, stmt := range []string{"y ~ normal(" + mu + ", s);", "target += normal_lupdf(y | " + mu + ", s);"} {
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
