package compile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// TestLinearComb compares linear combinations (lincomb.go) with the same
// sums written one operation per statement: recurrences, squares,
// negated and int terms, operands computed by closures, and a recursive
// function whose combination calls itself.
func TestLinearComb(t *testing.T) {
	const rec = "functions { real f(real x, int n) { if (n == 0) return x; return x * 2 + f(x, n - 1) * x - n; } }\n"
	const recPlain = "functions { real f(real x, int n) { if (n == 0) return x; real a = x * 2; real b = f(x, n - 1); real c = b * x; real d = a + c; return d - n; } }\n"
	for _, c := range []struct{ fused, plain string }{
		{"vector[T] err; err[1] = y[1] - alpha; for (t in 2:T) err[t] = y[t] - (alpha + beta[1] * y[t - 1] + beta[2] * err[t - 1]); err ~ normal(0, sigma);",
			"vector[T] err; err[1] = y[1] - alpha; for (t in 2:T) { real a = beta[1] * y[t - 1]; real b = beta[2] * err[t - 1]; real m = alpha + a; m = m + b; err[t] = y[t] - m; } err ~ normal(0, sigma);"},
		{"target += -alpha^2 + K * sigma - pow(beta[1] - alpha, 2) + exp(beta[2]) * beta[3] - square(sigma) * 0.5 - beta[1] * sigma;",
			"real a = alpha^2; real b = beta[1] - alpha; real s = b^2; real e = exp(beta[2]); real p = e * beta[3]; real q = square(sigma); real h = q * 0.5; real k = K * sigma; real r = -a; r = r + k; r = r - s; r = r + p; r = r - h; real z = beta[1] * sigma; target += r - z;"},
		{"array[T] real h; h[1] = sigma; for (t in 2:T) h[t] = sqrt(alpha^2 + sigma * pow(y[t - 1] - beta[1], 2) + beta[2]^2 * pow(h[t - 1], 2)); y ~ normal(beta[1], h);",
			"array[T] real h; h[1] = sigma; for (t in 2:T) { real d = y[t - 1] - beta[1]; real a = alpha^2; real b = d^2; real c = h[t - 1]^2; real g = beta[2]^2; real u = sigma * b; real w = g * c; real s = a + u; s = s + w; h[t] = sqrt(s); } y ~ normal(beta[1], h);"},
		{"real s = 0; for (k in 1:K) s += beta[k] * alpha - beta[k]; target += -s^2;",
			"real s = 0; for (k in 1:K) { real p = beta[k] * alpha; real q = p - beta[k]; s = s + q; } target += -s^2;"},
	} {
		sameLoopDensity(t, c.fused, c.plain)
	}
	sameProgramDensity(t, rec+loopDecls+"model { target += -f(alpha, 3)^2; }\n", recPlain+loopDecls+"model { target += -f(alpha, 3)^2; }\n")
}

// TestLinCombErrorOrder: an element read out of range before a failing
// operand that is not a leaf (a 3-index read) is the error, as Stan
// evaluates left to right; the combination evaluated the other operands
// first, so the double-precision generated quantities and the general
// path named different indices (found by TestMutatedPrograms, seed 12).
func TestLinCombErrorOrder(t *testing.T) {
	for _, c := range []struct{ block, stmt string }{
		{"model", "target += mu + w[I] + a3[I, 1, 2];"},
		{"model", "target += mu * w[I] - a3[1, I, 2] * mu;"},
		{"generated quantities", "real s = 1 + w[I] + a3[1, 1, I];"},
	} {
		head := "data { int I; }\nparameters { real mu; }\nmodel { mu ~ normal(0, 1); }\n"
		if c.block == "model" {
			head = "data { int I; }\nparameters { real mu; }\n\n"
		}
		src := head + c.block + " {\n  array[3] real w = {1, 2, 3};\n  array[2, 2, 2] real a3 = rep_array(1, 2, 2, 2);\n  " + c.stmt + "\n}\n"
		p, err := Source("order.stan", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		m, err := p.NewModel(model.Data{"I": {Elems: []float64{100000}, Int: true}}, 1)
		if err != nil {
			t.Fatal(err)
		}
		x := []float64{0.3}
		if c.block == "model" {
			_, err = m.LogDensity(x, make([]float64, 1))
		} else {
			err = m.Write(x, nil, make([]float64, len(m.Names())))
		}
		col := strings.Index(c.stmt, "w[") + 4
		want := fmt.Sprintf("order.stan:7:%d: index 100000 out of range; expecting index to be between 1 and 3", col)
		if err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want %s", c.stmt, err, want)
		}
	}
}
