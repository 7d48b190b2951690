package compile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// fwdProgram is an HMM's forward pass over loopDecls: BODY is the k
// loop's body, whose fill and update the tests vary.
const fwdProgram = `model {
  vector[K] rate = exp(beta);
  matrix[K, K] lth = rep_matrix(beta, K) * 0.5;
  array[K] real acc;
  array[T, K] real gam;
  for (k in 1:K) { gam[1, k] = normal_lpdf(y[1] | beta[k], sigma); gam[2, k] = normal_lpdf(y[2] | beta[k], sigma); }
  for (t in LO:T) {
    for (k in 1:K) {
      BODY
    }
  }
  target += log_sum_exp(gam[T]);
}`

// fwdModel builds fwdProgram with the k loop's body body, from LO = lo,
// with the forward node (first) and without it.
func fwdModel(t *testing.T, lo, body string) [2]*Model {
	t.Helper()
	decls := strings.Replace(loopDecls, "parameters", "transformed data { array[T] real ya = fabs(y); }\nparameters", 1)
	return fwdBoth(t, decls+strings.NewReplacer("LO", lo, "BODY", body).Replace(fwdProgram))
}

// fwdBoth builds src over loopData with the forward node (first) and
// without it.
func fwdBoth(t *testing.T, src string) [2]*Model {
	t.Helper()
	return [2]*Model{lseBuild(t, src), lseBuildWith(t, src, allOptimizations&^optFuseForward)}
}

// fwdFill is the usual k loop body with the fill's right-hand side rhs.
func fwdFill(rhs string) string {
	return "for (j in 1:K) acc[j] = " + rhs + ";\n      gam[t, k] = log_sum_exp(acc);"
}

// fwdCompare evaluates a program compiled with the forward node and
// without it (ms) at random points, checks that the log densities and
// gradients agree, and reports whether the node was taken (the tapes
// differ).
func fwdCompare(t *testing.T, name string, ms [2]*Model) bool {
	t.Helper()
	rng := rand.New(rand.NewPCG(15, 7))
	x := make([]float64, ms[0].Dim())
	taken := false
	for range 6 {
		for i := range x {
			x[i] = rng.Float64()*3 - 1.5
		}
		var lp [2]float64
		var g [2][]float64
		var n [2]int
		for i, m := range ms {
			g[i] = make([]float64, len(x))
			var err error
			if lp[i], err = m.LogDensity(x, g[i]); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			n[i] = m.e.t.Len()
		}
		agreeAt(t, name+" at "+fmt.Sprint(x), "without the node", lp[0], lp[1], g[0], g[1])
		taken = n[0] != n[1]
	}
	return taken
}

// TestForwardNode compares forward passes run as one node with the same
// passes run as compiled, at random points, and checks where the node
// must be taken and where it must not.
func TestForwardNode(t *testing.T) {
	for _, c := range []struct {
		name, lo, body string
		taken          bool
	}{
		{"closures", "2", fwdFill("gam[t - 1, j] + log_inv_logit(beta[j] - alpha * k) + normal_lpdf(y[t] | beta[k], sigma)"), true},
		{"emissions", "2", fwdFill("lth[j, k] + gam[t - 1, j] - exponential_lpdf(ya[t] | rate[k]) + exponential_lpdf(sigma | rate[k]) - X[j, k]"), true},
		{"from 3", "3", fwdFill("gam[t - 1, j] + log(inv_logit(beta[j] + k)) + exponential_lpdf(ya[t] | rate[k]) + y[t]"), true},
		{"B's leaf before its call", "2", fwdFill("gam[t - 1, j] + y[t] + log(inv_logit(beta[j] + k)) + exponential_lpdf(ya[t] | rate[k])"), true},
		{"gamma read in between", "2", fwdFill("gam[t - 1, j] + beta[j] + exponential_lpdf(ya[t] | rate[k])") +
			"\n      target += 0.01 * gam[t - 1, 1];", false},
		{"A depending on t", "2", fwdFill("gam[t - 1, j] + X[t, j] + beta[k]"), false},
		{"B reading gamma", "2", fwdFill("gam[t - 1, j] + beta[j] + gam[t - 1, 1]"), false},
		{"a product", "2", fwdFill("gam[t - 1, j] + beta[j] * alpha + beta[k]"), false},
		{"not log_sum_exp", "2", "for (j in 1:K) acc[j] = gam[t - 1, j] + beta[j] + beta[k];\n      gam[t, k] = max(acc);", false},
		{"prev negated", "2", fwdFill("-gam[t - 1, j] + beta[j] + beta[k]"), false},
		{"another prev", "2", fwdFill("gam[t - 1, k] + beta[j] + beta[k]"), false},
	} {
		if taken := fwdCompare(t, c.name, fwdModel(t, c.lo, c.body)); taken != c.taken {
			t.Errorf("%s: the node taken %v, want %v", c.name, taken, c.taken)
		}
	}
}

// TestForwardNodeGradient checks the node against central finite
// differences, emissions with a parameter outcome included.
func TestForwardNodeGradient(t *testing.T) {
	m := fwdModel(t, "2", fwdFill("lth[j, k] + gam[t - 1, j] - exponential_lpdf(ya[t] | rate[k]) + exponential_lpdf(sigma | rate[k]) + log_inv_logit(beta[j] - alpha * k)"))[0]
	x := []float64{0.3, -0.7, 0.2, 0.9, -0.4}
	g := make([]float64, len(x))
	if _, err := m.LogDensity(x, g); err != nil {
		t.Fatal(err)
	}
	for i := range x {
		const h = 1e-6
		xp, xm := append([]float64(nil), x...), append([]float64(nil), x...)
		xp[i] += h
		xm[i] -= h
		lp, _ := m.LogDensity(xp, nil)
		lm, _ := m.LogDensity(xm, nil)
		if fd := (lp - lm) / (2 * h); math.Abs(g[i]-fd) > 1e-6*(1+math.Abs(fd)) {
			t.Errorf("d lp / d x[%d] = %v, finite difference %v", i, g[i], fd)
		}
	}
}

// TestForwardNodeErrors checks that the node fails where the loops fail,
// with the same message: an emission out of support (at the first step
// and at a later one), an A term out of support, an index out of range
// in B and in gamma[t - 1, j].
func TestForwardNodeErrors(t *testing.T) {
	for _, c := range []struct{ lo, rhs string }{
		{"2", "gam[t - 1, j] + beta[j] + exponential_lpdf(ya[t] | beta[k])"},
		{"2", "gam[t - 1, j] + beta[j] + exponential_lpdf(y[t] | rate[k])"},
		{"2", "gam[t - 1, j] + exponential_lpdf(sigma | beta[j]) + beta[k]"},
		{"2", "gam[t - 1, j] + beta[j] + exponential_lpdf(ya[t + 1] | rate[k])"},
		{"2", "gam[t - 1, j] + beta[j] + y[t + 1]"},
		{"1", "gam[t - 1, j] + beta[j] + beta[k]"},
	} {
		ms := fwdModel(t, c.lo, fwdFill(c.rhs))
		var msgs [2]string
		for i, m := range ms {
			_, err := m.LogDensity([]float64{-0.5, -0.1, 0.2, 0.3, 0.4}, make([]float64, 5))
			if err == nil {
				t.Fatalf("%s: no error", c.rhs)
			}
			msgs[i] = err.Error()
		}
		if msgs[0] != msgs[1] {
			t.Errorf("%s: error %q, without the node %q", c.rhs, msgs[0], msgs[1])
		}
	}
}

// TestForwardNodeDataChecks checks the emissions' outcome checks kept
// from one evaluation to the next: a data column out of support at a
// later step, in one k's column only, fails there at every evaluation
// with the loops' message, and a parameter outcome is checked afresh at
// each evaluation.
func TestForwardNodeDataChecks(t *testing.T) {
	td := "transformed data { array[T] real ya = fabs(y); matrix[T, K] Xb = X; Xb[5, 2] = -1; Xb[6, 1] = -2; }\nparameters"
	// z is 0.2 at t = 2 and negative from t = 3 when alpha is -0.5.
	tp := "transformed parameters { array[T] real z; for (t in 1:T) z[t] = ya[t] + alpha * t; }\nmodel"
	build := func(rhs string) [2]*Model {
		return fwdBoth(t, strings.Replace(loopDecls, "parameters", td, 1)+
			strings.Replace(strings.NewReplacer("LO", "2", "BODY", fwdFill(rhs)).Replace(fwdProgram), "model", tp, 1))
	}
	good := []float64{0.5, -0.1, 0.2, 0.3, 0.4}
	bad := []float64{-0.5, -0.1, 0.2, 0.3, 0.4}
	for _, c := range []struct {
		rhs, want string
		points    [][]float64
	}{
		{"gam[t - 1, j] + beta[j] + exponential_lpdf(ya[t] | rate[k]) + exponential_lpdf(Xb[t, k] | rate[k])",
			"Random variable is -1", [][]float64{good, good, bad}},
		{"gam[t - 1, j] + beta[j] + exponential_lpdf(ya[t] | rate[k]) + exponential_lpdf(z[t] | rate[k])",
			"Random variable is -0.7", [][]float64{good, good, bad}},
	} {
		ms := build(c.rhs)
		for n, x := range c.points {
			var msgs [2]string
			for i, m := range ms {
				_, err := m.LogDensity(x, make([]float64, len(x)))
				if err != nil {
					msgs[i] = err.Error()
				}
			}
			if msgs[0] != msgs[1] {
				t.Errorf("%s, evaluation %d: error %q, without the node %q", c.rhs, n, msgs[0], msgs[1])
			}
			if fails := x[0] < 0 || strings.Contains(c.rhs, "Xb"); fails != (msgs[0] != "") || fails && !strings.Contains(msgs[0], c.want) {
				t.Errorf("%s, evaluation %d: error %q, want one with %q: %v", c.rhs, n, msgs[0], c.want, fails)
			}
		}
		fwdCompare(t, "control", build("gam[t - 1, j] + beta[j] + exponential_lpdf(ya[t] | rate[k]) + exponential_lpdf(X[t, k] | rate[k])"))
	}
}

// TestForwardNodeFixedColumns: an emission's data outcome whose column
// is fixed (read at t and k alone) is checked once per Model; one whose
// column moves with an int the model computes from the parameters is
// read and checked afresh at each evaluation, and fails where its column
// leaves the support, with the loops' message.
func TestForwardNodeFixedColumns(t *testing.T) {
	td := "transformed data { array[T] real ya = fabs(y); matrix[T, K] Xc = X; Xc[5, 2] = -1; }\nparameters"
	src := strings.Replace(loopDecls, "parameters", td, 1) +
		strings.Replace(strings.NewReplacer("LO", "2", "BODY", fwdFill("gam[t - 1, j] + beta[j] + exponential_lpdf(ya[t] | rate[k]) + exponential_lpdf(Xc[t, kk] | rate[k])")).Replace(fwdProgram),
			"model {", "model {\n  int kk = alpha > 0 ? 1 : 2;", 1)
	ms := fwdBoth(t, src)
	good := []float64{0.5, -0.1, 0.2, 0.3, 0.4}
	bad := []float64{-0.5, -0.1, 0.2, 0.3, 0.4}
	for n, x := range [][]float64{good, bad, good, bad} {
		var msgs [2]string
		for i, m := range ms {
			if _, err := m.LogDensity(x, make([]float64, len(x))); err != nil {
				msgs[i] = err.Error()
			}
		}
		if msgs[0] != msgs[1] {
			t.Errorf("evaluation %d: error %q, without the node %q", n, msgs[0], msgs[1])
		}
		if fails := x[0] < 0; fails != (msgs[0] != "") || fails && !strings.Contains(msgs[0], "Random variable is -1") {
			t.Errorf("evaluation %d: error %q, want one: %v", n, msgs[0], fails)
		}
	}
	// ya's column was checked once and kept; Xc[t, kk]'s never is.
	found := false
	for _, s := range ms[0].e.state {
		st, ok := s.(*hmmState)
		if !ok || len(st.yc) == 0 { // the node in a view that never ran
			continue
		}
		found = true
		if len(st.yc) != 6 || st.yc[0] != yPassed || st.yc[1] != yPassed || st.yc[2] != yPassed {
			t.Errorf("checks %v, want ya's passed", st.yc)
			continue
		}
		for k, c := range st.yc[3:] {
			if c != yUnchecked {
				t.Errorf("Xc[t, kk]'s check for k = %d was kept: %v", k+1, c)
			}
		}
	}
	if !found {
		t.Error("no forward node ran")
	}
	// Where it passes, the node's density is the loops'.
	var lp [2]float64
	var g [2][]float64
	for i, m := range ms {
		g[i] = make([]float64, len(good))
		var err error
		if lp[i], err = m.LogDensity(good, g[i]); err != nil {
			t.Fatal(err)
		}
	}
	agreeAt(t, "a column of a parameter-dependent int", "without the node", lp[0], lp[1], g[0], g[1])
}
