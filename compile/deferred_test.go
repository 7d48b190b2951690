package compile

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// obsFuncs writes sampling statements inside functions, where they are
// never deferred: the written-out form of the deferred loops below.
const obsFuncs = "functions {\n" +
	"  void obs_lp(real y, real mu, real s) { y ~ normal(mu, s); }\n" +
	"  void nlpdf_lp(real y, real mu, real s) { target += normal_lpdf(y | mu, s); }\n" +
	"  void gam_lp(real y, real a, real b) { y ~ gamma(a, b); }\n" +
	"  void cau_lp(real y, real mu, real s) { y ~ cauchy(mu, s); }\n" +
	"  void expo_lp(real y, real b) { target += exponential_lpdf(y | b); }\n" +
	"}\n"

// TestDeferredSampling compares sampling statements deferred by their
// loops (deferred.go) with the same statements made inside functions,
// which record a term each: log densities and gradients with Stan's
// constants dropped and kept, nested loops, a repeated and a varying
// scale, branches, break, int variates, target() read inside the loop.
func TestDeferredSampling(t *testing.T) {
	for _, c := range []struct{ fused, plain string }{
		{"for (t in 1:T) y[t] ~ normal(alpha + beta[1] * t, sigma);",
			"for (t in 1:T) obs_lp(y[t], alpha + beta[1] * t, sigma);"},
		{"for (t in 2:T) y[t] ~ normal(alpha * y[t - 1], sigma + beta[2]^2 * t);",
			"for (t in 2:T) obs_lp(y[t], alpha * y[t - 1], sigma + beta[2]^2 * t);"},
		{"for (t in 1:T) for (k in 1:K) { X[t, k] ~ normal(beta[k] * t, sigma); if (k == 2) break; }",
			"for (t in 1:T) for (k in 1:K) { obs_lp(X[t, k], beta[k] * t, sigma); if (k == 2) break; }"},
		{"for (t in 1:T) { if (y[t] > 0) target += normal_lpdf(y[t] | alpha, sigma); else y[t] ~ cauchy(beta[1], sigma); }",
			"for (t in 1:T) { if (y[t] > 0) nlpdf_lp(y[t], alpha, sigma); else cau_lp(y[t], beta[1], sigma); }"},
		{"for (t in 1:T) { target += gamma_lupdf(abs(y[t]) | sigma, exp(beta[1])); target += exponential_lpdf(t | sigma); }",
			"for (t in 1:T) { gam_lp(abs(y[t]), sigma, exp(beta[1])); expo_lp(t, sigma); }"},
		{"int t = 1; while (t <= T) { y[t] ~ normal(beta[3], sigma); t += 1; } for (x in y) x ~ normal(alpha, 2);",
			"int t = 1; while (t <= T) { obs_lp(y[t], beta[3], sigma); t += 1; } for (x in y) obs_lp(x, alpha, 2);"},
	} {
		fused := obsFuncs + loopDecls + "model {\n" + c.fused + "\n}\n"
		plain := obsFuncs + loopDecls + "model {\n" + c.plain + "\n}\n"
		sameProgramDensity(t, fused, plain)
		sameDensityValues(t, fused, plain, false)
	}
	// target() flushes the terms gathered so far: one statement per
	// iteration here, as many as written out.
	fused := obsFuncs + loopDecls + "model {\nreal s = 0; for (t in 1:T) { y[t] ~ normal(alpha, sigma); s += target(); } target += 1e-3 * s;\n}\n"
	plain := obsFuncs + loopDecls + "model {\nreal s = 0; for (t in 1:T) { obs_lp(y[t], alpha, sigma); s += target(); } target += 1e-3 * s;\n}\n"
	sameDensityValues(t, fused, plain, true)
	sameDensityValues(t, fused, plain, false)
}

// sameDensityValues checks that two programs over loopData agree in their
// log density (with Stan's constants dropped when propto, else kept) and
// its gradient.
func sameDensityValues(t *testing.T, a, b string, propto bool) {
	t.Helper()
	x := []float64{0.4, -0.3, 0.6, 0.2, -0.5}
	var lps [2]float64
	var grads [2][]float64
	for k, src := range []string{a, b} {
		path := filepath.Join(t.TempDir(), "m.stan")
		os.WriteFile(path, []byte(src), 0o644)
		m, err := build(t, path, loopData)
		if err != nil {
			t.Fatal(err)
		}
		grads[k] = make([]float64, len(x))
		if lps[k], err = m.LogDensityPropto(x, grads[k], propto, true); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
	}
	if math.Abs(lps[0]-lps[1]) > 1e-12*(1+math.Abs(lps[1])) {
		t.Errorf("%s (propto %v): lp %v, written out %v", a, propto, lps[0], lps[1])
	}
	for i := range x {
		if math.Abs(grads[0][i]-grads[1][i]) > 1e-12*(1+math.Abs(grads[1][i])) {
			t.Errorf("%s (propto %v): gradient[%d] %v, written out %v", a, propto, i, grads[0][i], grads[1][i])
		}
	}
}

// TestDeferredErrors checks that a deferred statement fails at the
// iteration whose argument is out of its support, naming the statement
// and the value; that a term gathered before an evaluation failed is
// not counted in the next; and that a non-finite term is traced to its
// statement.
func TestDeferredErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.stan")
	src := loopDecls + "model {\n  for (t in 1:T) {\n    y[t] ~ normal(alpha, sigma * (t - 4));\n  }\n}\n"
	os.WriteFile(path, []byte(src), 0o644)
	m, err := build(t, path, loopData)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.LogDensity([]float64{0, 0, 0, 0, 0}, make([]float64, 5))
	if want := "m.stan:5:10: normal_lpdf: Scale parameter is -3, but must be positive finite"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}

	src = loopDecls + "model {\n  for (t in 1:T) {\n    target += gamma_lpdf(y[t] + 1.5 + beta[1] | sigma, 1);\n    if (alpha > 1 && t == 3) reject(\"alpha \", alpha);\n  }\n}\n"
	os.WriteFile(path, []byte(src), 0o644)
	if m, err = build(t, path, loopData); err != nil {
		t.Fatal(err)
	}
	_, err = m.LogDensity([]float64{0, -0.5, 0, 0, 0}, make([]float64, 5))
	if want := "m.stan:5:5: gamma_lpdf: Random variable is -0.19"; err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "must be nonnegative") {
		t.Errorf("error %v, want %q", err, want)
	}
	// Rejected after three terms, then evaluated afresh: the same as a
	// model that never failed.
	good := []float64{0.5, 0.1, 0, 0, 0.3}
	want, _ := m.LogDensity(good, nil)
	if _, err := m.LogDensity([]float64{2, 0, 0, 0, 0.3}, nil); err == nil || !strings.Contains(err.Error(), "alpha 2") {
		t.Errorf("error %v, want the rejection", err)
	}
	if got, _ := m.LogDensity(good, nil); got != want {
		t.Errorf("after a rejection lp %v, want %v", got, want)
	}

	src = loopDecls + "model {\n  for (t in 1:T)\n    target += uniform_lpdf(y[t] | alpha - 1, alpha + sigma);\n}\n"
	os.WriteFile(path, []byte(src), 0o644)
	if m, err = build(t, path, loopData); err != nil {
		t.Fatal(err)
	}
	// y[2] = -1.2 is below alpha - 1: the term is -inf.
	err = m.Explain([]float64{0, 0, 0, 0, 0})
	if want := "m.stan:5:5: the log density is -Inf"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Explain: %v, want %q", err, want)
	}
}

// TestScalarExponential compares exponential_lpdf on scalars (its direct
// path, with log(beta) remembered over K rates in turn) with its formula
// written out, with constants dropped and kept.
func TestScalarExponential(t *testing.T) {
	fused := loopDecls + "model {\nfor (t in 1:T) for (k in 1:K) { real a = exponential_lpdf(abs(y[t]) | sigma + beta[k]^2) + exponential_lupdf(t | sigma); target += a; }\n}\n"
	plain := loopDecls + "model {\nfor (t in 1:T) for (k in 1:K) { real r = sigma + beta[k]^2; real a = log(r) - r * abs(y[t]) + log(sigma) - sigma * t; target += a; }\n}\n"
	sameDensityValues(t, fused, plain, true)
	sameDensityValues(t, fused, plain, false)

	path := filepath.Join(t.TempDir(), "m.stan")
	os.WriteFile(path, []byte(loopDecls+"model {\n  real a = exponential_lpdf(y[2] | sigma);\n}\n"), 0o644)
	m, err := build(t, path, loopData)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.LogDensity([]float64{0, 0, 0, 0, 0}, nil)
	if want := "m.stan:4:12: exponential_lpdf: Random variable is -1.2, but must be nonnegative"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}
