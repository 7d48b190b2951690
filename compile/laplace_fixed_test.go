package compile

import (
	"strings"
	"testing"
)

// laplaceTData is laplaceDecls with stmts added to its transformed data.
func laplaceTData(stmts string) string {
	i := strings.LastIndex(laplaceDecls, "}\n")
	return laplaceDecls[:i] + stmts + laplaceDecls[i:]
}

// TestLaplaceFixedArgs: controls and a built-in likelihood's y and
// y_index that never change are checked once per Model, and still fail
// at every evaluation when they are wrong; ones that change between calls
// of one site (a loop variable, a transformed data variable assigned
// between calls) are checked at every call; and both give the same
// values.
func TestLaplaceFixedArgs(t *testing.T) {
	x := []float64{0.4, -0.3}
	params := "parameters { real<lower=0> alpha; real<lower=0> rho; }\n"
	tdata := laplaceTData("  array[2, 6] int gs = {grp, {1, 2, 2, 3, 5, 6}};\n  array[2] int bs = {1, 2};\n")
	for _, c := range []struct {
		name, src, want string
	}{
		{"block size of a loop variable", tdata + params +
			"model { for (k in 1:2) target += laplace_marginal_tol(gauss, (0.5, yv), K, (xs, alpha, rho), rep_vector(0, 5), 1e-8, 100, bs[k], 1, 0); }\n",
			"hessian_block_size is 2, but must be positive and divide the size of the latent vector, 5"},
		{"y_index of a loop variable", tdata + params +
			"model { for (k in 1:2) target += laplace_marginal_poisson_log_lpmf(cnt | gs[k], rep_vector(0, n), K, (xs, alpha, rho)); }\n",
			"y_index[6] is 6, but must be between 1 and 5"},
		{"fixed block size", laplaceDecls + params +
			"model { target += laplace_marginal_tol(gauss, (0.5, yv), K, (xs, alpha, rho), rep_vector(0, 5), 1e-8, 100, 2, 1, 0); }\n",
			"hessian_block_size is 2, but must be positive and divide the size of the latent vector, 5"},
		{"fixed tolerance", laplaceDecls + params +
			"model { target += laplace_marginal_tol(gauss, (0.5, yv), K, (xs, alpha, rho), rep_vector(0, 5), -1e-8, 100, 1, 1, 0); }\n",
			"tolerance is -1e-08, but must be positive and finite"},
		{"fixed y_index", laplaceTData("  array[6] int bad = {1, 2, 2, 3, 5, 6};\n") + params +
			"model { target += laplace_marginal_poisson_log_lpmf(cnt | bad, rep_vector(0, n), K, (xs, alpha, rho)); }\n",
			"y_index[6] is 6, but must be between 1 and 5"},
		{"fixed y", laplaceTData("  array[6] int neg = {3, 0, -5, 1, 2, 7};\n") + params +
			"model { target += laplace_marginal_poisson_log_lpmf(neg | grp, rep_vector(0, n), K, (xs, alpha, rho)); }\n",
			"y[3] is -5, but must be nonnegative"},
	} {
		m := buildSource(t, c.src, nil)
		for eval := range 2 {
			if _, err := m.LogDensity(x, make([]float64, len(x))); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s, evaluation %d: %v, want %q", c.name, eval+1, err, c.want)
			}
		}
	}

	// A transformed data variable is fixed only after its block.
	src := laplaceTData("  int b = 1;\n  for (k in 1:2) {\n    real lp = laplace_marginal_tol(gauss, (0.5, yv), K, (xs, 1.0, 1.0), rep_vector(0, 5), 1e-8, 100, b, 1, 0);\n    b = 2;\n  }\n") +
		"parameters { real z; }\nmodel { z ~ normal(0, 1); }\n"
	p, err := Source("tdata.stan", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.NewModel(nil, 1); err == nil || !strings.Contains(err.Error(), "hessian_block_size is 2") {
		t.Errorf("a transformed data block size changed between calls: %v", err)
	}

	// Fixed controls and y give the values that ones read through a loop
	// variable do, at every evaluation.
	fixed := buildSource(t, laplaceDecls+params+
		"model { target += laplace_marginal_tol_poisson_log_lpmf(cnt | grp, rep_vector(0, n), 1, K, (xs, alpha, rho), ops); }\n", nil)
	varying := buildSource(t, laplaceTData("  array[1, 6] int gs = {grp};\n  array[1, 6] int ys = {cnt};\n")+params+
		"model { for (k in 1:1) target += laplace_marginal_tol_poisson_log_lpmf(ys[k] | gs[k], rep_vector(0, n), k, K, (xs, alpha, rho), (ops.1, ops.2, ops.3 * k, ops.4, ops.5, ops.6)); }\n", nil)
	// The first reads its controls and y once; the second at every call.
	for _, c := range []struct {
		m                *Model
		ctlFixed, yFixed bool
	}{{fixed, true, true}, {varying, false, false}} {
		found := false
		for _, st := range c.m.e.state {
			if s, ok := st.(*laplaceSite); ok {
				found = true
				if s.ctlFixed != c.ctlFixed || s.yFixed != c.yFixed {
					t.Errorf("controls fixed %v, y fixed %v; want %v, %v", s.ctlFixed, s.yFixed, c.ctlFixed, c.yFixed)
				}
			}
		}
		if !found {
			t.Error("no Laplace site")
		}
	}
	for _, pt := range [][]float64{x, {0.1, 0.2}, x} {
		gf, gv := make([]float64, 2), make([]float64, 2)
		lf, errF := fixed.LogDensity(pt, gf)
		lv, errV := varying.LogDensity(pt, gv)
		if errF != nil || errV != nil {
			t.Fatal(errF, errV)
		}
		if lf != lv || gf[0] != gv[0] || gf[1] != gv[1] {
			t.Errorf("at %v: fixed %v %v, varying %v %v", pt, lf, gf, lv, gv)
		}
	}
}
