package compile

import "testing"

// TestIndexHoist compares loops whose calls change only with inner loop
// variables (hoisted by index, indexhoist.go) with the same calls made
// to read the outer loop's variable, at several points (so that a table
// kept from an earlier evaluation would show), and loops where the hoist
// must not apply: a call reading what the outer loop's body assigns, one
// keyed by three loop variables, and keys that collide in the table.
func TestIndexHoist(t *testing.T) {
	prog := func(body string) *Model {
		return lseBuild(t, loopDecls+"model {\n real s = 0;\n"+body+"\n target += s;\n}\n")
	}
	for _, c := range []struct {
		name, hoisted, plain string
		fewer                bool
	}{
		{"two keys", "for (t in 1:T) for (k in 1:K) for (j in 1:K) s += log1p_exp(beta[j] * k - alpha) * y[t];",
			"for (t in 1:T) for (k in 1:K) for (j in 1:K) s += log1p_exp(beta[j] * k - alpha + 0 * t) * y[t];", true},
		{"one key", "for (t in 1:T) for (k in 1:K) s += inv_logit(beta[k]) * y[t] - exp(sigma * k);",
			"for (t in 1:T) for (k in 1:K) s += inv_logit(beta[k] + 0 * t) * y[t] - exp(sigma * k + 0 * t);", true},
		{"assigned in the outer body", "for (t in 1:T) { real c = y[t]; for (k in 1:K) s += log1p_exp(beta[k] * c); }",
			"for (t in 1:T) { real c = y[t]; for (k in 1:K) s += log1p_exp(beta[k] * c + 0 * t); }", false},
		{"three keys", "for (t in 1:2) for (a in 1:2) for (b in 1:K) for (d in 1:K) s += log1p_exp(beta[b] * a - beta[d]);",
			"for (t in 1:2) for (a in 1:2) for (b in 1:K) for (d in 1:K) s += log1p_exp(beta[b] * a - beta[d] + 0 * t);", false},
		{"collisions", "for (t in 1:T) for (a in 1:70) s += log1p(a * sigma) * y[t];",
			"for (t in 1:T) for (a in 1:70) s += log1p(a * sigma + 0 * t) * y[t];", true},
	} {
		nh, np := lseCompare(t, c.name, prog(c.hoisted), prog(c.plain))
		if c.fewer && nh >= np || !c.fewer && nh != np {
			t.Errorf("%s: %d tape statements, the outer variable read %d: hoisted %v, want %v", c.name, nh, np, nh < np, c.fewer)
		}
	}
}
