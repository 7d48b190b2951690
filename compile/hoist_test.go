package compile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHoistedCalls compares loops whose calls are invariant in the
// innermost loop (computed once per run of it, hoist.go) with the same
// calls made to depend on the loop variable, which stay in place: nested
// loops whose outer variables change between runs, a variable the body
// assigns (not hoisted), break, a call under a branch.
func TestHoistedCalls(t *testing.T) {
	for _, c := range []struct{ fused, plain string }{
		{"real s = 0; for (t in 1:T) for (k in 1:K) for (j in 1:K) s += exponential_lpdf(abs(y[t]) | sigma + beta[k]^2) * beta[j] + log(sigma + t); target += s;",
			"real s = 0; for (t in 1:T) for (k in 1:K) for (j in 1:K) s += exponential_lpdf(abs(y[t]) + 0 * j | sigma + beta[k]^2) * beta[j] + log(sigma + t + 0 * j); target += s;"},
		{"real s = 0; for (t in 1:T) { if (y[t] > 0) s += lgamma(sigma + 1) * y[t]; } target += s;",
			"real s = 0; for (t in 1:T) { if (y[t] > 0) s += lgamma(sigma + 1 + 0 * t) * y[t]; } target += s;"},
	} {
		sameLoopDensity(t, c.fused, c.plain)
	}
	// A call reading what the body assigns stays in place.
	sameDensityValues(t, loopDecls+"model {\nreal s = 0; real a = alpha; for (k in 1:K) { s += log(sigma + a^2) * k; a = a + beta[k]; if (k == 2) break; } target += s;\n}\n",
		loopDecls+"model {\nreal s = 0; real a = alpha; for (k in 1:K) { s += log(sigma + a^2 + 0 * k) * k; a = a + beta[k]; if (k == 2) break; } target += s;\n}\n", true)
}

// TestHoistedCallErrors checks that a hoisted call is made where the loop
// first reaches it: not at all by a loop that does not run, and failing
// with its position when its arguments are out of range.
func TestHoistedCallErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.stan")
	x := []float64{0.4, -0.3, 0.6, 0.2, -0.5}
	os.WriteFile(path, []byte(loopDecls+"model {\n  real s = 0;\n  for (k in 1:Z) s += beta[k] * exponential_lpdf(alpha^2 | -sigma);\n  target += s;\n}\n"), 0o644)
	m, err := build(t, path, loopData)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.LogDensity(x, nil); err != nil {
		t.Errorf("a loop that does not run: %v", err)
	}
	os.WriteFile(path, []byte(loopDecls+"model {\n  real s = 0;\n  for (k in 1:K) s += beta[k] * exponential_lpdf(alpha^2 | -sigma);\n  target += s;\n}\n"), 0o644)
	if m, err = build(t, path, loopData); err != nil {
		t.Fatal(err)
	}
	_, err = m.LogDensity(x, nil)
	if want := "m.stan:5:33: exponential_lpdf: Inverse scale parameter is -0.60"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}
