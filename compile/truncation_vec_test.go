package compile

import (
	"math"
	"strings"
	"testing"
)

// TestVectorTruncation checks vectorised truncation against the loop over
// the elements with scalar truncation, which Stan defines it by, for a
// container variate with scalar and container parameters, each bound form,
// a continuous and a discrete family; gradients by finite differences.
func TestVectorTruncation(t *testing.T) {
	const data = `transformed data {
  vector[3] y = [0.3, 1.1, -0.4]';
  array[3] int k = {2, 5, 3};
}
`
	at := []float64{0.2, 0.9, -0.3, 0.4}
	cases := []struct{ vec, loop string }{
		{"y ~ normal(x[1], exp(x[4])) T[-1, ];", "for (n in 1:3) y[n] ~ normal(x[1], exp(x[4])) T[-1, ];"},
		{"y ~ normal(x[1], exp(x[4])) T[, 2];", "for (n in 1:3) y[n] ~ normal(x[1], exp(x[4])) T[, 2];"},
		{"y ~ normal(x[1], exp(x[4])) T[-1, 2];", "for (n in 1:3) y[n] ~ normal(x[1], exp(x[4])) T[-1, 2];"},
		{"y ~ normal(x[1:3], exp(x[4])) T[-1, ];", "for (n in 1:3) y[n] ~ normal(x[n], exp(x[4])) T[-1, ];"},
		{"y ~ normal(x[1:3], exp(x[4])) T[, 2];", "for (n in 1:3) y[n] ~ normal(x[n], exp(x[4])) T[, 2];"},
		{"y ~ normal(x[1:3], exp(x[4])) T[-1, 2];", "for (n in 1:3) y[n] ~ normal(x[n], exp(x[4])) T[-1, 2];"},
		{"y ~ normal(x[1:3] * 2, exp(x[1:3])) T[-1, 2];", "for (n in 1:3) y[n] ~ normal(x[n] * 2, exp(x[n])) T[-1, 2];"},
		{"k ~ poisson(exp(x[1:3])) T[2, 7];", "for (n in 1:3) k[n] ~ poisson(exp(x[n])) T[2, 7];"},
		{"k ~ poisson(exp(x[4])) T[2, ];", "for (n in 1:3) k[n] ~ poisson(exp(x[4])) T[2, ];"},
		{"k ~ poisson(exp(x[1:3])) T[0, 6];", "for (n in 1:3) k[n] ~ poisson(exp(x[n])) T[0, 6];"},
		{"k ~ poisson(exp(x[1:3])) T[, 6];", "for (n in 1:3) k[n] ~ poisson(exp(x[n])) T[, 6];"},
		{"target += x[1]; k ~ discrete_range({-3, 1, 0}, 6) T[-1, 5];", "target += x[1]; for (n in 1:3) k[n] ~ discrete_range({-3, 1, 0}[n], 6) T[-1, 5];"},
	}
	for _, tc := range cases {
		model := func(body string) *Model {
			return buildSource(t, data+"parameters { vector[4] x; }\nmodel { "+body+" }\n", nil)
		}
		want, err := model(tc.loop).LogDensity(at, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.loop, err)
		}
		checkModelAt(t, tc.vec, model(tc.vec), at, func([]float64) float64 { return want })
	}
	// An element outside the bounds rejects the draw.
	m := buildSource(t, data+"parameters { vector[4] x; }\nmodel { y ~ normal(x[1:3], 1) T[-0.2, ]; }\n", nil)
	if lp, err := m.LogDensity(at, nil); err == nil && !math.IsInf(lp, -1) {
		t.Errorf("y[3] below the truncation: log density %v, want -inf or an error", lp)
	}
}

// TestUserVectorTruncation checks vectorised truncation of user-defined
// families (wrapping normal and poisson) against the same statements on
// the built-in families: the user's CDFs called with the containers as
// written for one bound, element by element for two with a container
// parameter, the term times size(y) for scalar parameters; gradients by
// finite differences.
func TestUserVectorTruncation(t *testing.T) {
	const src = `functions {
  real foo_lpdf(vector y, vector mu) { return normal_lpdf(y | mu, 1); }
  real foo_lpdf(vector y, real mu) { return normal_lpdf(y | mu, 1); }
  real foo_lcdf(real y, vector mu) { return normal_lcdf(y | mu, 1); }
  real foo_lccdf(real y, vector mu) { return normal_lccdf(y | mu, 1); }
  real foo_lcdf(real y, real mu) { return normal_lcdf(y | mu, 1); }
  real foo_lccdf(real y, real mu) { return normal_lccdf(y | mu, 1); }
  real bar_lpmf(array[] int k, vector lambda) { return poisson_lpmf(k | lambda); }
  real bar_lcdf(int k, vector lambda) { return poisson_lcdf(k | lambda); }
  real bar_lccdf(int k, vector lambda) { return poisson_lccdf(k | lambda); }
  real bar_lcdf(int k, real lambda) { return poisson_lcdf(k | lambda); }
  real bar_lccdf(int k, real lambda) { return poisson_lccdf(k | lambda); }
}
transformed data {
  vector[3] y = [0.3, 1.1, -0.4]';
  array[3] int k = {2, 5, 3};
}
parameters { vector[4] x; }
`
	at := []float64{0.2, 0.9, -0.3, 0.4}
	cases := []struct{ user, builtin string }{
		{"y ~ foo(x[1:3]) T[-1, ];", "y ~ normal(x[1:3], 1) T[-1, ];"},
		{"y ~ foo(x[1:3]) T[, 2];", "y ~ normal(x[1:3], 1) T[, 2];"},
		{"y ~ foo(x[1:3]) T[-1, 2];", "y ~ normal(x[1:3], 1) T[-1, 2];"},
		{"y ~ foo(x[4]) T[-1, 2];", "y ~ normal(x[4], 1) T[-1, 2];"},
		{"y ~ foo(x[4]) T[-1, ];", "y ~ normal(x[4], 1) T[-1, ];"},
		{"k ~ bar(exp(x[1:3])) T[2, 7];", "k ~ poisson(exp(x[1:3])) T[2, 7];"},
		{"k ~ bar(exp(x[1:3])) T[2, ];", "k ~ poisson(exp(x[1:3])) T[2, ];"},
		{"k ~ bar(exp(x[1:3])) T[, 6];", "k ~ poisson(exp(x[1:3])) T[, 6];"},
	}
	// The truncation terms are compared: the built-in ~ drops the
	// densities' constants, the user's keep them.
	lp := func(body string) float64 {
		v, err := buildSource(t, src+"model { "+body+" }\n", nil).LogDensity(at, nil)
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		return v
	}
	untruncated := func(body string) string { return body[:strings.Index(body, " T[")] + ";" }
	for _, tc := range cases {
		want := lp(tc.builtin) - lp(untruncated(tc.builtin)) + lp(untruncated(tc.user))
		checkModelAt(t, tc.user, buildSource(t, src+"model { "+tc.user+" }\n", nil), at, func([]float64) float64 { return want })
	}
	// An element outside the bounds rejects the draw.
	for _, body := range []string{"y ~ foo(x[1:3]) T[-0.2, ];", "y ~ foo(x[1:3]) T[-1, 1];", "k ~ bar(exp(x[1:3])) T[3, 8];"} {
		m := buildSource(t, src+"model { "+body+" }\n", nil)
		if lp, err := m.LogDensity(at, nil); err != nil || !math.IsInf(lp, -1) {
			t.Errorf("%s: log density %v, %v, want -inf", body, lp, err)
		}
	}
}

// TestUserVectorTruncationErrors checks the errors of a user-defined
// family truncated between two bounds with a container parameter whose
// CDF has no form for the containers' elements, and of containers of
// different sizes.
func TestUserVectorTruncationErrors(t *testing.T) {
	const fns = `functions {
  real foo_lpdf(vector y, vector mu, vector s) { return -dot_self(y) - sum(mu) - sum(s); }
  real foo_lcdf(real y, vector mu, vector s) { return normal_lcdf(y | mu, s); }
  real foo_lccdf(real y, vector mu, vector s) { return normal_lccdf(y | mu, s); }
}
`
	_, err := Source("t.stan", []byte(fns+"parameters { vector[2] y; }\nmodel {\n  y ~ foo(y, y) T[0, 1];\n}\n"))
	if want := "t.stan:8:3: truncation needs foo_lcdf with arguments (real, real, real)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
	withScalar := fns[:len(fns)-2] + "  real foo_lcdf(real y, real mu, real s) { return normal_lcdf(y | mu, s); }\n}\n"
	m := buildSource(t, withScalar+"parameters { vector[2] y; }\nmodel {\n  y ~ foo(y, [1, 2, 3]') T[-5, 5];\n}\n", nil)
	if _, err := m.LogDensity([]float64{0.1, 0.2}, nil); err == nil || !strings.Contains(err.Error(), "foo: size mismatch in the truncation's arguments: containers of 2 and 3 elements") {
		t.Errorf("containers of 2 and 3 elements: error %v", err)
	}
}
