package compile

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/internal/race"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/transform"
)

// The programs of compile/testdata/userguide are the newest Stan manuals'
// (User's Guide and Functions Reference, Stan 2.36 to 2.40) for the
// features gostan gained last, each run by NUTS on data simulated here
// and checked against an independent reference: the same model written
// the long way (the latent GP sampled, a hard K-1 constraint, a built-in
// constrained type) or a closed form.

// ugDraws holds the draws of each output column, one slice per chain.
type ugDraws map[string][][]float64

// ugSample compiles testdata/userguide/file and runs chains NUTS chains
// of warmup+samples iterations on data (marshalled to JSON), one after
// the other.
func ugSample(t *testing.T, file string, data map[string]any, chains, warmup, samples int, seed uint64) ugDraws {
	t.Helper()
	p, err := File(filepath.Join("testdata", "userguide", file))
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	d, err := model.ReadData(strings.NewReader(string(js)))
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.NewModel(d, 1)
	if err != nil {
		t.Fatal(err)
	}
	out := ugDraws{}
	for c := range chains {
		cfg := nuts.DefaultConfig()
		cfg.Seed, cfg.Chain = seed, c+1
		cfg.Warmup, cfg.Samples = warmup, samples
		ch, err := nuts.Sample(m, cfg, nil)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for i, name := range m.Names() {
			col := make([]float64, len(ch.Draws))
			for k, dr := range ch.Draws {
				if math.IsNaN(dr[i]) || math.IsInf(dr[i], 0) {
					t.Fatalf("%s: draw %d of %s is %v", file, k, name, dr[i])
				}
				col[k] = dr[i]
			}
			out[name] = append(out[name], col)
		}
	}
	return out
}

// mean is the mean of every draw of the column over the chains.
func (d ugDraws) mean(t *testing.T, name string) float64 {
	t.Helper()
	return ugMean(d.col(t, name))
}

func (d ugDraws) col(t *testing.T, name string) [][]float64 {
	t.Helper()
	c, ok := d[name]
	if !ok {
		t.Fatalf("no column %s", name)
	}
	return c
}

// apply maps every draw of the column through f.
func (d ugDraws) apply(t *testing.T, name string, f func(float64) float64) [][]float64 {
	t.Helper()
	var out [][]float64
	for _, ch := range d.col(t, name) {
		c := make([]float64, len(ch))
		for k, v := range ch {
			c[k] = f(v)
		}
		out = append(out, c)
	}
	return out
}

func ugMean(chains [][]float64) float64 {
	s, n := 0.0, 0
	for _, c := range chains {
		for _, v := range c {
			s += v
			n++
		}
	}
	return s / float64(n)
}

// ugAgree checks that two sets of draws have the same mean within k
// combined Monte Carlo standard errors plus slack (an approximation's
// error, where there is one).
func ugAgree(t *testing.T, what string, a, b [][]float64, k, slack float64) {
	t.Helper()
	ma, mb := ugMean(a), ugMean(b)
	se := math.Hypot(diag.MCSE(a), diag.MCSE(b))
	if math.Abs(ma-mb) > k*se+slack {
		t.Errorf("%s: %.4f against %.4f (Monte Carlo error %.4f)", what, ma, mb, se)
	} else {
		t.Logf("%s: %.4f against %.4f (Monte Carlo error %.4f)", what, ma, mb, se)
	}
}

// ugKnown checks a posterior mean against a closed form within k Monte
// Carlo standard errors plus slack.
func ugKnown(t *testing.T, what string, a [][]float64, want, k, slack float64) {
	t.Helper()
	m, se := ugMean(a), diag.MCSE(a)
	if math.Abs(m-want) > k*se+slack {
		t.Errorf("%s: %.4f, want %.4f (Monte Carlo error %.4f)", what, m, want, se)
	} else {
		t.Logf("%s: %.4f, want %.4f (Monte Carlo error %.4f)", what, m, want, se)
	}
}

// poissonDraw draws a Poisson count by Knuth's product of uniforms.
func poissonDraw(rng *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// ugGPData simulates n points on [-2, 2] from a smooth latent function:
// Poisson counts with log rate a + f(x) and Bernoulli outcomes with logit
// a + 2f(x).
func ugGPData(n int, a float64, seed uint64) (x []float64, y, z []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	for i := range n {
		xi := -2 + 4*float64(i)/float64(n-1)
		f := math.Sin(1.5 * xi)
		x = append(x, xi)
		y = append(y, poissonDraw(rng, math.Exp(a+f)))
		b := 0
		if rng.Float64() < 1/(1+math.Exp(-(a+2*f))) {
			b = 1
		}
		z = append(z, b)
	}
	return x, y, z
}

// TestUserGuideLaplaceGP runs the User's Guide's embedded Laplace GPs
// (Poisson with a user likelihood, with the built-in likelihood, and
// logistic) against the latent variable GPs of the same chapter, where
// NUTS samples f explicitly: the hyperparameters' posterior means agree
// within Monte Carlo error plus the approximation's (0.03 for the
// Poisson counts, whose conditional posterior is close to Gaussian; more
// for the Bernoulli, where the manual warns it is not negligible), and so
// do the latent values laplace_latent_rng draws.
func TestUserGuideLaplaceGP(t *testing.T) {
	skipNUTSRuns(t)
	x, y, z := ugGPData(12, 1, 3)
	data := map[string]any{"N": len(x), "x": x, "y": y, "z": z}
	full := ugSample(t, "gp_poisson_latent.stan", data, 2, 500, 500, 11)
	user := ugSample(t, "gp_poisson_laplace.stan", data, 2, 500, 500, 11)
	builtin := ugSample(t, "gp_poisson_laplace_builtin.stan", data, 2, 500, 500, 11)
	for _, name := range []string{"rho", "alpha", "a"} {
		ugAgree(t, "Poisson GP, user likelihood, "+name, user.col(t, name), full.col(t, name), 4, 0.03)
		ugAgree(t, "Poisson GP, built-in likelihood, "+name, builtin.col(t, name), full.col(t, name), 4, 0.03)
	}
	for _, name := range []string{"f[3]", "f[9]"} {
		ugAgree(t, "Poisson GP, user likelihood, "+name, user.col(t, name), full.col(t, name), 4, 0.03)
		ugAgree(t, "Poisson GP, tol form, "+name, user.col(t, name), user.col(t, strings.Replace(name, "f", "f2", 1)), 4, 0.01)
		ugAgree(t, "Poisson GP, built-in likelihood, "+name, builtin.col(t, name), full.col(t, name), 4, 0.03)
	}

	lfull := ugSample(t, "gp_logistic_latent.stan", data, 2, 500, 500, 12)
	lap := ugSample(t, "gp_logistic_laplace.stan", data, 2, 500, 500, 12)
	for _, name := range []string{"rho", "alpha", "a", "f[3]", "f[9]"} {
		ugAgree(t, "logistic GP, "+name, lap.col(t, name), lfull.col(t, name), 4, 0.1)
	}
}

// TestUserGuideSumToZero runs the User's Guide's sum_to_zero_vector
// (Goodman's prior, standard normal marginals) in a varying-intercept
// regression against the hard K-1 constraint and against
// sum_to_zero_jacobian: the posterior means agree within Monte Carlo
// error, every draw sums to zero and round-trips through the
// unconstrain function. Without data the marginals are standard normal:
// E[beta_k^2] = 1. A sum_to_zero_matrix with normal(0, s) entries has
// zero row and column sums and E[B_ij^2] = s^2 (1 - 1/R)(1 - 1/C).
func TestUserGuideSumToZero(t *testing.T) {
	skipNUTSRuns(t)
	const K = 5
	rng := rand.New(rand.NewPCG(5, 9))
	effects := []float64{-1, -0.5, 0, 0.5, 1}
	var g []int
	var y []float64
	for i := range 40 {
		k := i % K
		g = append(g, k+1)
		y = append(y, 2+effects[k]+0.7*rng.NormFloat64())
	}
	data := map[string]any{"K": K, "N": len(y), "g": g, "y": y}
	builtin := ugSample(t, "sum_to_zero_builtin.stan", data, 2, 500, 500, 21)
	hard := ugSample(t, "sum_to_zero_hard.stan", data, 2, 500, 500, 21)
	jac := ugSample(t, "sum_to_zero_jacobian.stan", data, 2, 500, 500, 21)
	for _, name := range []string{"alpha", "sigma", "beta[1]", "beta[3]", "beta[5]"} {
		ugAgree(t, "sum_to_zero_vector against K-1, "+name, builtin.col(t, name), hard.col(t, name), 4, 0)
		ugAgree(t, "sum_to_zero_jacobian against K-1, "+name, jac.col(t, name), hard.col(t, name), 4, 0)
	}
	for _, name := range []string{"total", "roundtrip"} {
		for _, c := range builtin.col(t, name) {
			for _, v := range c {
				if math.Abs(v) > 1e-12 {
					t.Fatalf("%s = %v", name, v)
				}
			}
		}
	}
	for _, c := range jac.col(t, "recovered") {
		for _, v := range c {
			if v > 1e-12 {
				t.Fatalf("sum_to_zero_unconstrain(sum_to_zero_jacobian(y)) is off by %v", v)
			}
		}
	}

	prior := ugSample(t, "sum_to_zero_builtin.stan", map[string]any{"K": K, "N": 0, "g": []int{}, "y": []float64{}}, 2, 500, 1000, 22)
	for _, name := range []string{"beta[1]", "beta[5]"} {
		ugKnown(t, "prior E["+name+"^2]", prior.apply(t, name, func(v float64) float64 { return v * v }), 1, 4, 0)
	}

	const R, C, s = 3, 4, 1.5
	mat := ugSample(t, "sum_to_zero_matrix.stan", map[string]any{"R": R, "C": C, "s": s}, 2, 500, 1000, 23)
	for _, name := range []string{"row_sums", "col_sums", "roundtrip"} {
		for _, c := range mat.col(t, name) {
			for _, v := range c {
				if v > 1e-12 {
					t.Fatalf("%s = %v", name, v)
				}
			}
		}
	}
	for _, name := range []string{"B2[1,1]", "B2[3,4]", "B2[2,3]"} {
		ugKnown(t, "sum_to_zero_matrix E["+name+"]", mat.col(t, name), s*s*(1-1.0/R)*(1-1.0/C), 4, 0)
	}
}

// TestUserGuideJacobian runs the User's Guide's user-defined constraints
// (chapter "User-Defined Constrained Parameters"): the lower bound
// written with jacobian += against the built-in one and the lognormal's
// moments; the ordered simplex of N = 2, whose means the chapter gives
// (1/4, 3/4); cholesky_factor_corr_jacobian against the built-in type
// and the LKJ marginal E[Ω_ij²] = 1/(2η + D - 1); and the chapter's
// structural-zeros transform, whose zeros are exact and whose free
// correlations follow LKJ restricted to the zeros' subspace: without
// zeros the same marginal, and for D = 3 with Ω₂₁ = 0, (Ω₃₁, Ω₃₂) has
// density ∝ (1 - ρ²)^(η-1) on the unit disc, so E[Ω₃₁²] = 1/(2(η + 1)).
func TestUserGuideJacobian(t *testing.T) {
	skipNUTSRuns(t)
	ls := ugSample(t, "jacobian_log_sigma.stan", map[string]any{}, 2, 500, 1000, 31)
	ugAgree(t, "jacobian += log_sigma against real<lower=0>", ls.col(t, "sigma"), ls.col(t, "tau"), 4, 0)
	ugKnown(t, "E[sigma] of lognormal(0, 1)", ls.col(t, "sigma"), math.Exp(0.5), 4, 0)
	ugKnown(t, "E[log_sigma]", ls.col(t, "log_sigma"), 0, 4, 0)
	ugKnown(t, "E[log_sigma^2]", ls.apply(t, "log_sigma", func(v float64) float64 { return v * v }), 1, 4, 0)

	os := ugSample(t, "ordered_simplex.stan", map[string]any{"N": 2}, 2, 500, 1000, 32)
	for _, v := range []string{"theta", "phi"} {
		ugKnown(t, "ordered simplex "+v+"[1]", os.col(t, v+"[1]"), 0.25, 4, 0)
		ugKnown(t, "ordered simplex "+v+"[2]", os.col(t, v+"[2]"), 0.75, 4, 0)
	}

	// N = 5: the chapter's means (0.05, 0.08, 0.12, 0.23, 0.52), and
	// those of uniform simplexes whose Stan 2.37 coordinates y have -y
	// positive and increasing, drawn by rejection.
	os5 := ugSample(t, "ordered_simplex.stan", map[string]any{"N": 5}, 2, 500, 1000, 36)
	ref := orderedSimplexMeans(5, 3000000) // about 5000 kept: ±0.002 on theta[5]
	for i, want := range []float64{0.05, 0.08, 0.12, 0.23, 0.52} {
		name := fmt.Sprintf("theta[%d]", i+1)
		ugKnown(t, "ordered simplex N = 5, "+name+" (by rejection)", os5.col(t, name), ref[i], 4, 0.006)
		ugKnown(t, "ordered simplex N = 5, "+name+" (the manual's)", os5.col(t, name), want, 4, 0.005)
	}

	const D, eta = 4, 1.5
	lkj := ugSample(t, "lkj_jacobian.stan", map[string]any{"D": D, "eta": eta}, 2, 500, 1000, 33)
	for _, ij := range []string{"[2,1]", "[4,3]", "[4,1]"} {
		ugAgree(t, "cholesky_factor_corr_jacobian against the type, Omega"+ij, lkj.col(t, "Omega3"+ij), lkj.col(t, "Omega2"+ij), 4, 0)
		ugKnown(t, "cholesky_factor_corr_jacobian, E[Omega"+ij+"^2]", lkj.col(t, "sq3"+ij), 1/(2*eta+D-1), 4, 0)
		ugKnown(t, "cholesky_factor_corr, E[Omega"+ij+"^2]", lkj.col(t, "sq2"+ij), 1/(2*eta+D-1), 4, 0)
	}
	for _, c := range lkj.col(t, "roundtrip") {
		for _, v := range c {
			if v > 1e-8 {
				t.Fatalf("cholesky_factor_corr_unconstrain(L3) is off L3_raw by %v", v)
			}
		}
	}

	none := [][]int{{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}}
	z0 := ugSample(t, "cholesky_corr_zeros.stan", map[string]any{"D": D, "eta": eta, "zeros": none}, 2, 500, 1000, 34)
	for _, ij := range []string{"[2,1]", "[4,3]", "[4,1]"} {
		ugKnown(t, "structural zeros (none), E[Omega"+ij+"^2]", z0.col(t, "Omega2"+ij), 1/(2*eta+D-1), 4, 0)
	}
	const eta3 = 2.0
	one := [][]int{{0, 0, 0}, {1, 0, 0}, {0, 0, 0}}
	z1 := ugSample(t, "cholesky_corr_zeros.stan", map[string]any{"D": 3, "eta": eta3, "zeros": one}, 2, 500, 1000, 35)
	for _, name := range []string{"Omega[2,1]", "Omega[1,2]"} {
		for _, c := range z1.col(t, name) {
			for _, v := range c {
				if v != 0 {
					t.Fatalf("%s = %v, a structural zero", name, v)
				}
			}
		}
	}
	for _, ij := range []string{"[3,1]", "[3,2]"} {
		ugKnown(t, "structural zero at [2,1], E[Omega"+ij+"^2]", z1.col(t, "Omega2"+ij), 1/(2*(eta3+1)), 4, 0)
	}
}

// orderedSimplexMeans draws uniform n-simplexes (normalised exponentials)
// and keeps those whose coordinates y under Stan 2.37's transform have -y
// positive and increasing, the image of the User's Guide's ordered
// simplex; it returns their mean.
func orderedSimplexMeans(n, draws int) []float64 {
	rng := rand.New(rand.NewPCG(41, 43))
	x, y := make([]float64, n), make([]float64, n-1)
	sum, kept := make([]float64, n), 0
	for range draws {
		s := 0.0
		for i := range x {
			x[i] = rng.ExpFloat64()
			s += x[i]
		}
		for i := range x {
			x[i] /= s
		}
		if transform.UnconstrainSimplexILR(x, y) != nil {
			continue
		}
		ok := -y[0] > 0
		for i := 1; i < n-1; i++ {
			ok = ok && -y[i] > -y[i-1]
		}
		if ok {
			kept++
			for i, v := range x {
				sum[i] += v
			}
		}
	}
	for i := range sum {
		sum[i] /= float64(kept)
	}
	return sum
}

// TestUserGuideStochasticMatrices: Dirichlet(a_j) columns of a
// column_stochastic_matrix and rows of a row_stochastic_matrix, declared
// and built by stochastic_column_jacobian and stochastic_row_jacobian,
// have the Dirichlet means a_ij / Σ_i a_ij.
func TestUserGuideStochasticMatrices(t *testing.T) {
	skipNUTSRuns(t)
	a := [][]float64{{1, 4}, {2, 1}, {3, 0.5}}
	d := ugSample(t, "stochastic_matrices.stan", map[string]any{"a": a}, 2, 500, 1000, 51)
	for j := range 2 {
		s := a[0][j] + a[1][j] + a[2][j]
		for i := range 3 {
			want := a[i][j] / s
			for _, name := range []string{fmt.Sprintf("P[%d,%d]", i+1, j+1), fmt.Sprintf("P2[%d,%d]", i+1, j+1),
				fmt.Sprintf("Q[%d,%d]", j+1, i+1), fmt.Sprintf("Q2[%d,%d]", j+1, i+1)} {
				ugKnown(t, name, d.col(t, name), want, 4, 0)
			}
		}
	}
}

// skipNUTSRuns skips a test whose NUTS chains take seconds, with -short
// and under the race detector (CI's race run follows a plain run that has
// just passed it, and would take ten times as long).
func skipNUTSRuns(t *testing.T) {
	t.Helper()
	if testing.Short() || race.Enabled {
		t.Skip("NUTS runs: skipped with -short and under the race detector")
	}
}
