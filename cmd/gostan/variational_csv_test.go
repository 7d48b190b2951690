package main

import (
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// knownPosterior has, on the unconstrained scale, mu ~ N(3, 0.5) and
// log sigma ~ N(1, 0.5), independent.
const knownPosterior = "parameters { real mu; real<lower=0> sigma; }\n" +
	"model { mu ~ normal(3, 0.5); sigma ~ lognormal(1, 0.5); }\n"

// TestVariationalCSVRows runs every Gaussian approximation on a model with
// a known posterior and checks the CSV as CmdStan writes it: the first
// row is the approximation's mean on the unconstrained scale pushed
// through the model (sigma = e, not the constrained mean e^1.125) with 0
// in lp__, log_p__ and log_g__; on the other rows log_p__ is the model's
// log density at the row's unconstrained point, recomputed here, and
// log_g__ a normalised Gaussian log density centred at the mean row:
// quadratic in the draw, with the matching normalising constant.
func TestVariationalCSVRows(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "known.stan")
	os.WriteFile(prog, []byte(knownPosterior), 0o644)
	m, err := loadModel(io.Discard, prog, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--algorithm", "meanfield"},
		{"--algorithm", "fullrank"},
		{"--algorithm", "autoguide", "--guide", "normal", "--steps", "4000"},
		{"--algorithm", "autoguide", "--guide", "mvn", "--steps", "4000"},
	} {
		name := strings.Join(args, " ")
		out := filepath.Join(dir, "out.csv")
		if _, stderr, err := run(append([]string{"variational", prog, "--seed", "5", "--draws", "400", "--sig-figs", "12", "--output", out}, args...)...); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, stderr)
		}
		f := readCSV(t, out)
		if got := strings.Join(f.Columns, ","); got != "lp__,log_p__,log_g__,mu,sigma" {
			t.Fatalf("%s: columns %s", name, got)
		}
		mean, draws := f.Draws[0], f.Draws[1:]
		if mean[0] != 0 || mean[1] != 0 || mean[2] != 0 {
			t.Errorf("%s: mean row starts %v, want 0, 0, 0", name, mean[:3])
		}
		// The mean row is the mean of the draws on the unconstrained scale.
		m0 := []float64{mean[3], math.Log(mean[4])}
		var avg [2]float64
		for _, d := range draws {
			avg[0] += d[3] / float64(len(draws))
			avg[1] += math.Log(d[4]) / float64(len(draws))
		}
		for i, want := range []float64{3, 1} {
			if math.Abs(m0[i]-want) > 0.1 || math.Abs(avg[i]-m0[i]) > 0.1 {
				t.Errorf("%s: unconstrained mean row %v, draws' mean %v, want %v", name, m0, avg, []float64{3, 1})
			}
		}
		// log_g__ = c - δᵀAδ for δ = z - mean: least squares for c and A.
		x := mat.NewDense(len(draws), 4, nil)
		y := mat.NewVecDense(len(draws), nil)
		for k, d := range draws {
			data, err := m.ParamData(d[3:])
			if err != nil {
				t.Fatal(err)
			}
			z, err := m.Unconstrain(data, rand.New(rand.NewPCG(1, 1)), 0)
			if err != nil {
				t.Fatal(err)
			}
			lp, err := m.LogDensity(z, nil)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(d[1]-lp) > 1e-8*math.Max(1, math.Abs(lp)) {
				t.Fatalf("%s: draw %d: log_p__ = %v, the model's log density %v", name, k, d[1], lp)
			}
			d0, d1 := z[0]-m0[0], z[1]-m0[1]
			x.SetRow(k, []float64{1, -d0 * d0, -2 * d0 * d1, -d1 * d1})
			y.SetVec(k, d[2])
		}
		var coef, fit mat.VecDense
		if err := coef.SolveVec(x, y); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fit.MulVec(x, &coef)
		fit.SubVec(&fit, y)
		if r := mat.Norm(&fit, math.Inf(1)); r > 1e-6 {
			t.Errorf("%s: log_g__ is not a Gaussian log density at the mean row: residual %g", name, r)
		}
		c, a11, a12, a22 := coef.AtVec(0), coef.AtVec(1), coef.AtVec(2), coef.AtVec(3)
		if want := -math.Log(2*math.Pi) + 0.5*math.Log(4*(a11*a22-a12*a12)); math.Abs(c-want) > 1e-6 {
			t.Errorf("%s: log_g__'s constant %v, a normalised density's %v", name, c, want)
		}
	}
}

// TestVariationalConfig: the config block records the settings given on
// the command line and the defaults actually used, and an SVI fit records
// no ADVI settings.
func TestVariationalConfig(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "known.stan")
	os.WriteFile(prog, []byte(knownPosterior), 0o644)
	out := filepath.Join(dir, "out.csv")
	for _, c := range []struct {
		args, want, absent []string
	}{
		{[]string{"--algorithm", "autoguide", "--guide", "mvn", "--steps", "300", "--lr", "0.07", "--lr-decay", "0.5",
			"--particles", "2", "--tol", "0.001", "--backoffs", "3", "--draws", "50"},
			[]string{"algorithm = autoguide", "guide = mvn", "steps = 300", "optimizer = adam", "lr = 0.07", "lr_decay = 0.5",
				"particles = 2", "tol = 0.001", "backoffs = 3", "output_samples = 50", "seed = 11", "file = " + out},
			[]string{"iter = ", "eta = ", "grad_samples"}},
		{[]string{"--algorithm", "autoguide", "--guide", "lowrank", "--steps", "300"},
			[]string{"guide = lowrank", "lr = 0.05", "lr_decay = 0.01", "particles = 1", "output_samples = 1000"}, nil},
		{[]string{"--algorithm", "fullrank", "--iter", "500", "--grad-samples", "3", "--elbo-samples", "50",
			"--tol-rel-obj", "0.002", "--eval-elbo", "50", "--draws", "20"},
			[]string{"algorithm = fullrank", "iter = 500", "grad_samples = 3", "elbo_samples = 50", "eta = 1", "engaged = 1",
				"tol_rel_obj = 0.002", "eval_elbo = 50", "output_samples = 20", "seed = 11"},
			[]string{"guide = ", "steps = "}},
	} {
		if _, stderr, err := run(append([]string{"variational", prog, "--seed", "11", "--output", out}, c.args...)...); err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, stderr)
		}
		config := readCSV(t, out).Config
		has := func(s string) bool {
			for _, line := range config {
				if strings.HasSuffix(strings.TrimSpace(line), s) || strings.HasPrefix(strings.TrimSpace(line), s) {
					return true
				}
			}
			return false
		}
		for _, s := range c.want {
			if !has(s) {
				t.Errorf("%v: config lacks %q:\n%s", c.args, s, strings.Join(config, "\n"))
			}
		}
		for _, s := range c.absent {
			if has(s) {
				t.Errorf("%v: config has %q:\n%s", c.args, s, strings.Join(config, "\n"))
			}
		}
	}
}

// TestDefaultOutputNames: optimize, laplace, variational and
// generate-quantities write output.csv in the working directory unless
// --output is given, as CmdStan does.
func TestDefaultOutputNames(t *testing.T) {
	prog, err := filepath.Abs("../../examples/logistic.stan")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := filepath.Abs("../../examples/logistic.data.json")
	t.Chdir(t.TempDir())
	for _, args := range [][]string{
		{"optimize", prog, "--data", data, "--seed", "1"},
		{"laplace", prog, "--data", data, "--seed", "1", "--draws", "10"},
		{"variational", prog, "--data", data, "--seed", "1", "--draws", "10"},
		{"generate-quantities", prog, "--data", data, "--fitted-params", "fit.csv", "--seed", "1"},
	} {
		if args[0] == "generate-quantities" {
			if err := os.Rename("output.csv", "fit.csv"); err != nil {
				t.Fatal(err)
			}
		} else {
			os.Remove("output.csv")
		}
		if _, stderr, err := run(args...); err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, stderr)
		}
		if f := readCSV(t, "output.csv"); len(f.Draws) == 0 {
			t.Errorf("%s: output.csv has no rows", args[0])
		}
	}
}

// TestVariationalGuideDensities: for a program's guide block (a beta guide
// for a coin's bias z), log_g__ is the beta density of the draw times the
// Jacobian of z = inv_logit(u), log_p__ the model's log density at u, and
// the mean row inv_logit of the draws' mean u.
func TestVariationalGuideDensities(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.csv")
	data := "../../examples/coin.data.json"
	stdout, stderr, err := run("variational", "../../examples/coin_guide.stan", "--data", data, "--algorithm", "guide",
		"--steps", "2000", "--draws", "400", "--seed", "3", "--sig-figs", "12", "--output", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var a, b float64
	for _, line := range strings.Split(stdout, "\n") {
		if v, ok := strings.CutPrefix(line, "  alpha_q = "); ok {
			a, _ = strconv.ParseFloat(v, 64)
		}
		if v, ok := strings.CutPrefix(line, "  beta_q = "); ok {
			b, _ = strconv.ParseFloat(v, 64)
		}
	}
	if a <= 0 || b <= 0 {
		t.Fatalf("no fitted guide parameters in\n%s", stdout)
	}
	m, err := loadModel(io.Discard, "../../examples/coin_guide.stan", data, 1)
	if err != nil {
		t.Fatal(err)
	}
	f := readCSV(t, out)
	lgA, _ := math.Lgamma(a)
	lgB, _ := math.Lgamma(b)
	lgAB, _ := math.Lgamma(a + b)
	meanU := 0.0
	for k, d := range f.Draws[1:] {
		z := d[3]
		u := math.Log(z / (1 - z))
		meanU += u / float64(len(f.Draws)-1)
		lp, err := m.LogDensity([]float64{u}, nil)
		if err != nil {
			t.Fatal(err)
		}
		// The fitted parameters are printed to 6 digits: a relative
		// error of 1e-6 in a and b moves log q by about 1e-4.
		logG := lgAB - lgA - lgB + a*math.Log(z) + b*math.Log(1-z)
		if math.Abs(d[1]-lp) > 1e-8 || math.Abs(d[2]-logG) > 1e-3 {
			t.Fatalf("draw %d (z = %v): log_p__ %v, log_g__ %v; want %v, %v", k, z, d[1], d[2], lp, logG)
		}
	}
	// The mean row averages its own 1000 draws; these 400 have sd about 0.7.
	if z := f.Draws[0][3]; math.Abs(math.Log(z/(1-z))-meanU) > 0.15 {
		t.Errorf("mean row z = %v, inv_logit of the draws' mean %v", z, 1/(1+math.Exp(-meanU)))
	}
}
