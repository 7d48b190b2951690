package compile

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// loopData is the data of the loop tests: a series y, a matrix X and
// sizes, one of them 0 for empty loops.
var loopData = model.Data{
	"K":  {Elems: []float64{3}, Int: true},
	"T":  {Elems: []float64{6}, Int: true},
	"Z":  {Elems: []float64{0}, Int: true},
	"y":  {Dims: []int{6}, Elems: []float64{0.3, -1.2, 0.8, 2.1, -0.4, 1.5}},
	"X":  {Dims: []int{6, 3}, Elems: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}},
	"ii": {Dims: []int{3}, Elems: []float64{3, 1, 2}, Int: true},
}

const loopDecls = "data { int K; int T; int Z; array[T] real y; matrix[T, K] X; array[K] int ii; }\n" +
	"parameters { real alpha; vector[K] beta; real<lower=0> sigma; }\n"

// sameLoopDensity builds two model blocks over loopDecls and checks that
// their log densities and gradients agree at a point, to rounding, and
// that the first records fewer tape entries (it was fused).
func sameLoopDensity(t *testing.T, fused, plain string) {
	t.Helper()
	sameProgramDensity(t, loopDecls+"model {\n"+fused+"\n}\n", loopDecls+"model {\n"+plain+"\n}\n")
}

// sameProgramDensity is sameLoopDensity for whole programs over
// loopData's variables. Affine loops (affine.go) are off: both forms
// of a regression loop would take them.
func sameProgramDensity(t *testing.T, fused, plain string) {
	t.Helper()
	var lps [2]float64
	var grads [2][]float64
	var lens [2]int
	x := []float64{0.4, -0.3, 0.6, 0.2, -0.5}
	for k, src := range []string{fused, plain} {
		p, err := sourceWith("m.stan", []byte(src), allOptimizations&^optAffineLoops)
		if err != nil {
			t.Fatal(err)
		}
		m, err := p.NewModel(loopData, 1)
		if err != nil {
			t.Fatal(err)
		}
		grads[k] = make([]float64, len(x))
		if lps[k], err = m.LogDensity(x, grads[k]); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		lens[k] = m.e.t.Len()
	}
	if lens[0] >= lens[1] {
		t.Errorf("%s: %d tape entries, written out %d: not fused", fused, lens[0], lens[1])
	}
	if math.Abs(lps[0]-lps[1]) > 1e-12*(1+math.Abs(lps[1])) {
		t.Errorf("%s: lp %v, written out %v", fused, lps[0], lps[1])
	}
	for i := range x {
		if math.Abs(grads[0][i]-grads[1][i]) > 1e-12*(1+math.Abs(grads[1][i])) {
			t.Errorf("%s: gradient[%d] %v, written out %v", fused, i, grads[0][i], grads[1][i])
		}
	}
}

// TestDotLoop compares the fused accumulation loop with the same sums
// written so that they are not fused.
func TestDotLoop(t *testing.T) {
	for _, c := range []struct{ fused, plain string }{
		{"for (t in (K + 1):T) { real mu = alpha; for (k in 1:K) mu = mu + beta[k] * y[t - k]; y[t] ~ normal(mu, sigma); }",
			"for (t in (K + 1):T) { real mu = alpha; for (k in 1:K) { real p = beta[k] * y[t - k]; mu = mu + p; } y[t] ~ normal(mu, sigma); }"},
		{"for (t in 1:T) { real mu = alpha; for (k in 1:K) mu += X[t, k] * beta[k]; y[t] ~ normal(mu, sigma); }",
			"for (t in 1:T) { real mu = alpha; for (k in 1:K) { real p = X[t, k] * beta[k]; mu += p; } y[t] ~ normal(mu, sigma); }"},
		{"real s = 0; for (k in 1:K) { s = beta[k] * beta[k] + s; } target += -s * sigma;",
			"real s = 0; for (k in 1:K) { real p = beta[k] * beta[k]; s = p + s; } target += -s * sigma;"},
		{"real s = alpha; for (k in 1:K) s += beta[ii[k]]; for (k in 1:Z) s += beta[k] * 2; target += -square(s);",
			"real s = alpha; for (k in 1:K) { real p = beta[ii[k]]; s += p; } target += -square(s);"},
		{"real s = 1; for (k in 2:K) s += beta[k - 1] * beta[k]; s += alpha * 2.5; target += -square(s * sigma);",
			"real s = 1; for (k in 2:K) { real p = beta[k - 1] * beta[k]; s += p; } s += alpha * 2.5; target += -square(s * sigma);"},
	} {
		sameLoopDensity(t, c.fused, c.plain)
	}
}

// TestDotLoopErrors checks that an index out of range in a fused loop
// fails as the loop written out does.
func TestDotLoopErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.stan")
	os.WriteFile(path, []byte(loopDecls+"model {\n  real s = 0;\n  for (k in 1:K) s += beta[k + 1] * y[k];\n}\n"), 0o644)
	m, err := build(t, path, loopData)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.LogDensity(make([]float64, 5), make([]float64, 5))
	if err == nil || !strings.Contains(err.Error(), "m.stan:5:27: index 4 out of range; expecting index to be between 1 and 3") {
		t.Errorf("error %v", err)
	}
}

// TestLeaves checks expressions whose operands are read inline (leaf.go):
// elements at affine and int-array indices of arrays, matrices and arrays
// of vectors, and squares.
func TestLeaves(t *testing.T) {
	decls := `transformed data {
  array[3] int ii = {3, 1, 2};
  array[2, 3] real d = {{1, 2, 3}, {4, 5, 6}};
  matrix[2, 3] m = [[1, 2, 3], [4, 5, 6]];
  array[2] vector[3] av = {[1, 2, 3]', [4, 5, 6]'};
}`
	checkExprs(t, decls, []float64{0.4, -0.3, 0.7}, []exprCase{
		{"x[1] * ii[2] + ii[3] * x[2]", func(x []float64) float64 { return x[0] + 2*x[1] }},
		{"x[ii[1]] - x[ii[2]] / x[ii[3]]", func(x []float64) float64 { return x[2] - x[0]/x[1] }},
		{"d[2, ii[1]] * x[1] + m[2, 1] * x[2] + av[2, 3] * x[3] + m[1, 3]", func(x []float64) float64 { return 6*x[0] + 4*x[1] + 6*x[2] + 3 }},
		{"x[4 - ii[3]] ^ 2 + pow(x[3], 2) - x[1]^2.0", func(x []float64) float64 { return x[1]*x[1] + x[2]*x[2] - x[0]*x[0] }},
	})
}

// TestCallMemo compares loops whose calls repeat their arguments (and
// are memoized, memo.go) with the same calls on arguments that are not
// leaves (and are not), across evaluations at different points.
func TestCallMemo(t *testing.T) {
	for _, c := range []struct{ fused, plain string }{
		{"real s = 0; for (t in 1:T) for (k in 1:K) for (j in 1:K) s += double_exponential_lpdf(y[t] | alpha, sigma) + log1p_exp(beta[k]) * beta[j]; target += s;",
			"real s = 0; for (t in 1:T) for (k in 1:K) for (j in 1:K) s += double_exponential_lpdf(y[t] | alpha + 0, sigma) + log1p_exp(beta[k] + 0) * beta[j]; target += s;"},
		{"real s = 0; for (t in 1:T) for (k in 1:K) s += normal_lpdf(y[t] | alpha, sigma) + inv(beta[k]) + lgamma(sigma + k); target += s;",
			"real s = 0; for (t in 1:T) for (k in 1:K) s += normal_lpdf(y[t] + 0 | alpha + 0, sigma + 0) + inv(beta[k] + 0) + lgamma(sigma + k); target += s;"},
	} {
		sameLoopDensity(t, c.fused, c.plain)
	}
	// A memoized call's result is not reused after the tape is reset: a
	// second evaluation at another point gives that point's density.
	dir := t.TempDir()
	path := filepath.Join(dir, "m.stan")
	os.WriteFile(path, []byte(loopDecls+"model {\n  for (t in 1:T) target += log(sigma) * y[t] + inv(beta[ii[1]]);\n}\n"), 0o644)
	m, err := build(t, path, loopData)
	if err != nil {
		t.Fatal(err)
	}
	sy := 0.0
	for _, y := range loopData["y"].Elems {
		sy += y
	}
	for _, x := range [][]float64{{0.4, -0.3, 0.6, 0.2, -0.5}, {0.1, 0.3, -0.2, 1.5, 0.9}} {
		g := make([]float64, 5)
		lp, err := m.LogDensity(x, g)
		if err != nil {
			t.Fatal(err)
		}
		// log(sigma) is x[5]; beta[ii[1]] = beta[3] is x[4]; plus the
		// Jacobian x[5].
		want := x[4]*sy + 6/x[3] + x[4]
		if math.Abs(lp-want) > 1e-12 || math.Abs(g[3]+6/(x[3]*x[3])) > 1e-12 || math.Abs(g[4]-sy-1) > 1e-12 {
			t.Errorf("at %v: lp %v gradient %v, want %v", x, lp, g, want)
		}
	}
}

// TestLeafIndexErrors checks that x[t + c] read at a loop variable (its
// one-closure path, leaf.go) fails at an index out of range, naming it.
func TestLeafIndexErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.stan")
	os.WriteFile(path, []byte(loopDecls+"model {\n  for (t in 1:T)\n    target += -square(alpha * y[t + 1]);\n}\n"), 0o644)
	m, err := build(t, path, loopData)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.LogDensity([]float64{0.4, -0.3, 0.6, 0.2, -0.5}, nil)
	if want := "m.stan:5:32: index 7 out of range; expecting index to be between 1 and 6"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
	// x[i, j] at two loop variables, computed inline (leaf.addr).
	os.WriteFile(path, []byte(loopDecls+"model {\n  for (t in 1:T)\n    target += -square(alpha * X[t, t - 1] + X[1, 1]);\n}\n"), 0o644)
	if m, err = build(t, path, loopData); err != nil {
		t.Fatal(err)
	}
	_, err = m.LogDensity([]float64{0.4, -0.3, 0.6, 0.2, -0.5}, nil)
	if want := "m.stan:5:32: index 0 out of range; expecting index to be between 1 and 3"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}
