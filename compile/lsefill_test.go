package compile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// lseDecls are the declarations of the fused log_sum_exp tests: loopDecls
// and a size that equals K but is not K.
var lseDecls = strings.Replace(loopDecls, "parameters", "transformed data { int K2 = K; }\nparameters", 1)

// lseForward is an HMM's forward pass over loopDecls, with FILL the inner
// loop's body and DECL acc's declaration.
const lseForward = `DECL
array[T, K] real gam;
for (k in 1:K) gam[1, k] = normal_lpdf(y[1] | beta[k], sigma);
for (t in 2:T) {
  for (k in 1:K) {
    for (j in 1:HI) FILL
    gam[t, k] = log_sum_exp(acc);
  }
}
target += log_sum_exp(gam[T]);`

// lseModel builds the forward pass with the given parts; the body is
// written out as two statements, which are not fused, when plain.
func lseModel(t *testing.T, decl, hi, fill string, plain bool) *Model {
	t.Helper()
	body := "acc[j] = " + fill + ";"
	if plain {
		body = "{ real a = " + fill + "; acc[j] = a; }"
	}
	src := strings.NewReplacer("DECL", decl, "HI", hi, "FILL", body).Replace(lseForward)
	return lseBuild(t, lseDecls+"model {\n"+src+"\n}\n")
}

func lseBuild(t *testing.T, src string) *Model {
	t.Helper()
	return lseBuildWith(t, src, allOptimizations)
}

// lseBuildWith is lseBuild compiling with the fused paths opts.
func lseBuildWith(t *testing.T, src string, opts optimizations) *Model {
	t.Helper()
	p, err := sourceWith("m.stan", []byte(src), opts)
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.NewModel(loopData, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// lseCompare checks that two models have the same log density and
// gradient at random points, and reports the tape's statements of each
// at the last point.
func lseCompare(t *testing.T, name string, a, b *Model) (na, nb int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(15, 2))
	x := make([]float64, a.Dim())
	for range 5 {
		for i := range x {
			x[i] = rng.Float64()*3 - 1.5
		}
		ga, gb := make([]float64, len(x)), make([]float64, len(x))
		la, err := a.LogDensity(x, ga)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		lb, err := b.LogDensity(x, gb)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		agreeAt(t, name+" at "+fmt.Sprint(x), "written out", la, lb, ga, gb)
	}
	return a.e.t.Len(), b.e.t.Len()
}

// agreeAt reports where two evaluations of one density at one point
// differ by more than 1e-12 relative: log densities la and lb, gradients
// ga and gb; other names the second evaluation in the messages.
func agreeAt(t *testing.T, at, other string, la, lb float64, ga, gb []float64) {
	t.Helper()
	if math.Abs(la-lb) > 1e-12*(1+math.Abs(lb)) {
		t.Errorf("%s: lp %v, %s %v", at, la, other, lb)
	}
	for i := range ga {
		if math.Abs(ga[i]-gb[i]) > 1e-12*(1+math.Abs(gb[i])) {
			t.Errorf("%s: gradient[%d] %v, %s %v", at, i, ga[i], other, gb[i])
		}
	}
}

// TestFusedLSE compares forward passes whose log_sum_exp is fused with
// the same passes written so that it is not, at random points, and checks
// where the fusion must apply and where it must not.
func TestFusedLSE(t *testing.T) {
	for _, c := range []struct {
		name, decl, hi, fill string
		fused                bool
	}{
		{"hmm", "array[K] real acc;", "K",
			"gam[t - 1, j] + log_inv_logit(beta[j] - alpha * k) + normal_lpdf(y[t] | beta[k], sigma)", true},
		{"products", "vector[K] acc;", "K",
			"-gam[t - 1, j] * 0.5 + X[t, j] * beta[k] - square(beta[j]) + alpha - exp(beta[k]) * gam[t - 1, j]", true},
		{"literal size", "array[3] real acc;", "3",
			"gam[t - 1, 4 - j] - log1p(sigma * j) + X[t, k]", true},
		{"not a combination", "array[K] real acc;", "K",
			"gam[t - 1, j] * beta[k] * alpha", false},
		{"a size not proven", "array[K] real acc;", "K2",
			"gam[t - 1, j] + beta[j] + normal_lpdf(y[t] | beta[k], sigma)", false},
	} {
		fused, plain := lseModel(t, c.decl, c.hi, c.fill, false), lseModel(t, c.decl, c.hi, c.fill, true)
		nf, np := lseCompare(t, c.name, fused, plain)
		if c.fused && nf >= np || !c.fused && nf != np {
			t.Errorf("%s: %d tape statements, written out %d: fused %v, want %v", c.name, nf, np, nf < np, c.fused)
		}
	}
	// acc read after the log_sum_exp, and acc longer than the loop fills:
	// not fused, and right.
	for _, c := range []struct{ name, decl, fused, plain string }{
		{"acc read after", "array[K] real acc;", "gam[t, k] = log_sum_exp(acc); target += acc[1] * 0.25;",
			"gam[t, k] = log_sum_exp(acc); real a1 = acc[1]; target += a1 * 0.25;"},
		{"acc longer", "array[K + 1] real acc;", "acc[K + 1] = alpha; gam[t, k] = log_sum_exp(acc);",
			"acc[K + 1] = alpha; real s = log_sum_exp(acc); gam[t, k] = s;"},
	} {
		prog := func(tail string) *Model {
			src := strings.NewReplacer("DECL", c.decl, "HI", "K",
				"FILL", "acc[j] = gam[t - 1, j] + beta[j] + normal_lpdf(y[t] | beta[k], sigma);",
				"gam[t, k] = log_sum_exp(acc);", tail).Replace(lseForward)
			return lseBuild(t, lseDecls+"model {\n"+src+"\n}\n")
		}
		lseCompare(t, c.name, prog(c.fused), prog(c.plain))
	}
}

// TestFusedLSEGradient checks the fused forward pass against central
// finite differences.
func TestFusedLSEGradient(t *testing.T) {
	m := lseModel(t, "array[K] real acc;", "K",
		"gam[t - 1, j] + log_inv_logit(beta[j] - alpha * k) - X[t, j] * beta[k] + normal_lpdf(y[t] | beta[k], sigma)", false)
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

// TestFusedLSEErrors checks that a fused pair fails where the statements
// written out fail, with the same message: an argument out of support
// and an index out of range inside the fill.
func TestFusedLSEErrors(t *testing.T) {
	for _, fill := range []string{
		"gam[t - 1, j] + exponential_lpdf(y[t] | alpha)",
		"gam[t - 2, j] + beta[k]",
	} {
		prog := func(tail string) string {
			src := strings.NewReplacer("DECL", "array[K] real acc;", "HI", "K", "FILL", "acc[j] = "+fill+";").Replace(lseForward)
			return lseDecls + "model {\n" + src + tail + "\n}\n"
		}
		// The read of acc at the end stops the fusion and moves nothing.
		var msgs [2]string
		for k, src := range []string{prog(""), prog(" if (acc[1] == 12345) target += 1;")} {
			m := lseBuild(t, src)
			_, err := m.LogDensity([]float64{-0.5, 0.1, 0.2, 0.3, 0.4}, make([]float64, 5))
			if err == nil {
				t.Fatalf("%s: no error", fill)
			}
			msgs[k] = err.Error()[strings.Index(err.Error(), "m.stan"):]
		}
		if msgs[0] != msgs[1] {
			t.Errorf("%s: fused error %q, written out %q", fill, msgs[0], msgs[1])
		}
	}
}

// TestFusedLSEInFunctions checks that a pair in a function, which
// recursion could enter again, is not fused and is right.
func TestFusedLSEInFunctions(t *testing.T) {
	prog := func(fill string) *Model {
		return lseBuild(t, "functions { real f(vector b, real a) { array[3] real acc; real r; for (j in 1:3) "+fill+
			" r = log_sum_exp(acc); return r; } }\n"+loopDecls+"model { target += f(beta, alpha) - square(sigma); }\n")
	}
	na, nb := lseCompare(t, "function", prog("acc[j] = b[j] * a + b[j] - a;"), prog("{ real q = b[j] * a + b[j] - a; acc[j] = q; }"))
	if na != nb {
		t.Errorf("%d tape statements, written out %d: fused in a function", na, nb)
	}
}
