package compile

import (
	"strings"
	"testing"
)

// fixedCalls counts m's fixedDensity calls that have prepared their
// fixed arguments.
func fixedCalls(m *Model) int {
	n := 0
	for _, s := range m.e.state {
		if fc, ok := s.(*fixedCall); ok && fc.lpdf != nil {
			n++
		}
	}
	return n
}

// TestFixedDensity compares densities with fixed arguments (data,
// transformed data, literals), prepared once per Model, with the same
// statements by the families' general drivers, to the last bit, and
// checks which calls are prepared: the normal's two forms and its
// general case, families of the generic driver, with constants dropped
// and kept.
func TestFixedDensity(t *testing.T) {
	for _, c := range []struct {
		stmt     string
		prepared int
	}{
		{"z ~ normal(0, 1);", 1},
		{"y ~ normal(z * tau + mu, sigma);", 1},
		{"target += normal_lpdf(y | z, sigma); target += normal_lpdf(z | 0, 1);", 2},
		{"yv ~ normal(mu, 2.5); z ~ normal(-1, 2);", 2},
		{"yv ~ student_t(3, z, sigma);", 1},
		{"sigma ~ gamma(2, tau); target += lognormal_lpdf(sigma | mu, tau);", 2},
		{"target += cauchy_lupdf(yv | z, 2) + exponential_lpdf(s3 | tau);", 2},
		{"mu ~ normal(0, 1); z ~ normal(mu, tau); tau ~ cauchy(0, 5);", 0},
	} {
		sameFastDensity(t, c.stmt, c.stmt, 0)
		m := densityOf(t, fastDecls+"model {\n"+c.stmt+"\n}\n")
		if _, err := m.LogDensity(make([]float64, fastDim), make([]float64, fastDim)); err != nil {
			t.Fatalf("%s: %v", c.stmt, err)
		}
		if n := fixedCalls(m); n != c.prepared {
			t.Errorf("%s: %d calls prepared, want %d", c.stmt, n, c.prepared)
		}
	}
}

// TestFixedDensityErrors checks that a prepared call fails as the
// general driver does, at every evaluation: a fixed argument out of its
// support, one behind a varying argument out of its own (reported
// first), and a transformed data variable changed between two calls in
// that block, which is not fixed there.
func TestFixedDensityErrors(t *testing.T) {
	x := make([]float64, fastDim)
	for _, c := range []struct{ stmt, want string }{
		{"d ~ gamma(2, tau);", "Random variable[2] is -2"},
		{"sigma ~ normal(z, d);", "Scale parameter[2] is -2"},
		{"vector[J] m = z; m[2] = not_a_number(); yv ~ cauchy(m, d);", "Location parameter[2] is NaN"},
		{"vector[J] m = z; m[2] = not_a_number(); y ~ normal(m, sigma);", "Location parameter[2] is NaN"},
	} {
		m := densityOf(t, fastDecls+"model {\n"+c.stmt+"\n}\n")
		mp := plainDensityOf(t, fastDecls+"model {\n"+c.stmt+"\n}\n")
		_, perr := mp.LogDensity(x, make([]float64, fastDim))
		for k := range 2 {
			_, err := m.LogDensity(x, make([]float64, fastDim))
			if err == nil || perr == nil || err.Error() != perr.Error() || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s, evaluation %d: error %v, the general driver's %v, want %q", c.stmt, k, err, perr, c.want)
			}
		}
	}
	td := "transformed data { vector[J] w = fabs(yv) + 1; real acc = 0; for (j in 1:J) { acc += gamma_lpdf(w | 2, 1); w[j] = -1; } }\nparameters"
	p, err := Source("m.stan", []byte(strings.Replace(fastDecls, "parameters", td, 1)+"model { }\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.NewModel(fastData, 1); err == nil || !strings.Contains(err.Error(), "gamma_lpdf: Random variable[1] is -1") {
		t.Errorf("transformed data: error %v, want gamma_lpdf's on w[1] = -1", err)
	}
}
