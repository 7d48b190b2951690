package compile

import (
	"math"
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
