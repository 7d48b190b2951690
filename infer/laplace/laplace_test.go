package laplace

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/optimize"
	"github.com/gostan/gostan/model"
)

// gauss is a correlated 2-D Gaussian: mean (1, -2), standard deviations 1
// and 3, correlation 0.9; its columns are the point itself.
type gauss struct{}

const s1, s2, rho = 1.0, 3.0, 0.9

func (gauss) LogDensityJacobian(x, grad []float64, _ bool) (float64, error) {
	a, b := (x[0]-1)/s1, (x[1]+2)/s2
	c := 1 / (1 - rho*rho)
	if grad != nil {
		grad[0] = -c * (a - rho*b) / s1
		grad[1] = -c * (b - rho*a) / s2
	}
	return -0.5 * c * (a*a - 2*rho*a*b + b*b), nil
}

func (gauss) Names() []string { return []string{"x[1]", "x[2]"} }

func (gauss) Write(theta []float64, _ *rand.Rand, out []float64) error {
	copy(out, theta)
	return nil
}

// logNormal is the exact log density of the Gaussian, constants included.
func logNormal(x []float64) float64 {
	lp, _ := gauss{}.LogDensityJacobian(x, nil, true)
	logDet := math.Log(s1 * s1 * s2 * s2 * (1 - rho*rho))
	return lp - math.Log(2*math.Pi) - 0.5*logDet
}

func TestGaussian(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Draws, cfg.Seed = 20000, 3
	res, err := SampleContext(context.Background(), gauss{}, []float64{1, -2}, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Draws) != cfg.Draws || len(res.LogP) != cfg.Draws || len(res.LogQ) != cfg.Draws {
		t.Fatalf("%d draws, %d log_p, %d log_q", len(res.Draws), len(res.LogP), len(res.LogQ))
	}
	var mean [2]float64
	for _, d := range res.Draws {
		mean[0] += d[0]
		mean[1] += d[1]
	}
	n := float64(len(res.Draws))
	mean[0] /= n
	mean[1] /= n
	var cov [2][2]float64
	for _, d := range res.Draws {
		for i := range 2 {
			for j := range 2 {
				cov[i][j] += (d[i] - mean[i]) * (d[j] - mean[j]) / (n - 1)
			}
		}
	}
	sd := [2]float64{s1, s2}
	want := [2][2]float64{{s1 * s1, rho * s1 * s2}, {rho * s1 * s2, s2 * s2}}
	wantMean := [2]float64{1, -2}
	for i := range 2 {
		if math.Abs(mean[i]-wantMean[i]) > 4*sd[i]/math.Sqrt(n) {
			t.Errorf("mean[%d] = %v, want %v", i, mean[i], wantMean[i])
		}
		for j := range 2 {
			if math.Abs(cov[i][j]-want[i][j]) > 0.05*sd[i]*sd[j] {
				t.Errorf("cov[%d][%d] = %v, want %v", i, j, cov[i][j], want[i][j])
			}
		}
	}
	// log_q__ is the normal's log density without its normalizing
	// constant -log 2π - ½ log det Σ, as CmdStan writes it.
	norm := -math.Log(2*math.Pi) - 0.5*math.Log(s1*s1*s2*s2*(1-rho*rho))
	for k, x := range res.Unconstrained {
		if got, want := res.LogQ[k]+norm, logNormal(x); math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Fatalf("draw %d: log_q__ + constant = %v, exact normal log density %v", k, got, want)
		}
		// The density is the Gaussian itself, so log_p__ = log_q__.
		if math.Abs(res.LogP[k]-res.LogQ[k]) > 1e-6*math.Max(1, math.Abs(res.LogP[k])) {
			t.Fatalf("draw %d: log_p__ %v, log_q__ %v", k, res.LogP[k], res.LogQ[k])
		}
	}
	// The same seed gives the same draws.
	again, _ := SampleContext(context.Background(), gauss{}, []float64{1, -2}, cfg, nil)
	if again.Draws[17][1] != res.Draws[17][1] {
		t.Error("the draws depend on more than the seed")
	}
}

// saddle has a saddle point at 0.
type saddle struct{ gauss }

func (saddle) LogDensityJacobian(x, grad []float64, _ bool) (float64, error) {
	if grad != nil {
		grad[0], grad[1] = -2*x[0], 2*x[1]
	}
	return -x[0]*x[0] + x[1]*x[1], nil
}

func TestNotNegativeDefinite(t *testing.T) {
	_, err := SampleContext(context.Background(), saddle{}, []float64{0, 0}, DefaultConfig(), nil)
	if !errors.Is(err, ErrNotNegativeDefinite) || !strings.Contains(err.Error(), "the Hessian at the mode is not negative definite") {
		t.Fatalf("err = %v", err)
	}
	if _, err := SampleContext(context.Background(), gauss{}, []float64{1, -2}, Config{Draws: 0}, nil); err == nil {
		t.Error("no error for 0 draws")
	}
}

// TestKidscore: kidscore_momhs at its mode on the unconstrained scale
// (Jacobian included); the draws' means are near the mode's, and log_p__
// is the model's log density at each draw.
func TestKidscore(t *testing.T) {
	p, err := compile.File("../../testdata/posteriordb/models/stan/kidscore_momhs.stan")
	if err != nil {
		t.Fatal(err)
	}
	data, err := model.ReadDataFile("../../testdata/posteriordb/data/data/kidiq.json.zip")
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.NewModel(data, 1)
	if err != nil {
		t.Fatal(err)
	}
	ocfg := optimize.DefaultConfig()
	ocfg.Seed = 1
	f := func(x, g []float64) (float64, error) { return m.LogDensityJacobian(x, g, true) }
	opt, err := optimize.Maximize(f, m.Dim(), ocfg, nil)
	if err != nil || !opt.Code.OK() {
		t.Fatalf("optimize: %v %v", err, opt)
	}
	cfg := DefaultConfig()
	cfg.Draws, cfg.Seed = 4000, 7
	res, err := SampleContext(context.Background(), m, opt.X, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.WriteErrors != 0 || res.LogPErrors != 0 {
		t.Fatalf("errors: %v %v", res.FirstWriteError, res.FirstLogPError)
	}
	modeVals := make([]float64, len(res.Names))
	if err := m.Write(opt.X, nil, modeVals); err != nil {
		t.Fatal(err)
	}
	n := float64(len(res.Draws))
	for j, name := range res.Names[:2] { // beta[1], beta[2]: unconstrained, so mean = mode
		var s, ss float64
		for _, d := range res.Draws {
			s += d[j]
			ss += d[j] * d[j]
		}
		mean := s / n
		sd := math.Sqrt(ss/n - mean*mean)
		if math.Abs(mean-modeVals[j]) > 4*sd/math.Sqrt(n) {
			t.Errorf("%s: mean %v, mode %v (sd %v)", name, mean, modeVals[j], sd)
		}
	}
	for k, x := range res.Unconstrained {
		lp, err := m.LogDensityJacobian(x, nil, true)
		if err != nil || lp != res.LogP[k] {
			t.Fatalf("draw %d: log_p__ %v, LogDensityJacobian %v (%v)", k, res.LogP[k], lp, err)
		}
		if got := res.Draws[k][2]; math.Abs(got-math.Exp(x[2])) > 1e-12*got {
			t.Fatalf("draw %d: sigma %v, exp(log sigma) %v", k, got, math.Exp(x[2]))
		}
	}
}

// cancelling is gauss that cancels a context at its first evaluation.
type cancelling struct {
	gauss
	cancel func()
}

func (c cancelling) LogDensityJacobian(x, grad []float64, jac bool) (float64, error) {
	c.cancel()
	return c.gauss.LogDensityJacobian(x, grad, jac)
}

// Cancelling the context after the 7th draw keeps 7 draws, the first 7 of
// an uninterrupted run; cancelling it during the Hessian keeps the mode
// and no draws.
func TestInterrupted(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Draws, cfg.Seed = 100, 5
	full, err := SampleContext(context.Background(), gauss{}, []float64{1, -2}, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	res, err := SampleContext(ctx, gauss{}, []float64{1, -2}, cfg, func(n int) {
		if n == 7 {
			cancel()
		}
	})
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted || full.Interrupted || len(res.Draws) != 7 || len(res.LogP) != 7 || len(res.LogQ) != 7 {
		t.Fatalf("interrupted %v with %d draws (%d log_p, %d log_q), want 7", res.Interrupted, len(res.Draws), len(res.LogP), len(res.LogQ))
	}
	for k := range 7 {
		if res.Draws[k][0] != full.Draws[k][0] || res.Draws[k][1] != full.Draws[k][1] || res.LogQ[k] != full.LogQ[k] {
			t.Errorf("draw %d: %v, uninterrupted %v", k, res.Draws[k], full.Draws[k])
		}
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	res, err = SampleContext(ctx, cancelling{cancel: cancel}, []float64{1, -2}, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted || res.Hessian != nil || len(res.Draws) != 0 || res.Mode[0] != 1 || res.Mode[1] != -2 {
		t.Errorf("interrupted in the Hessian: interrupted %v, Hessian %v, %d draws, mode %v", res.Interrupted, res.Hessian, len(res.Draws), res.Mode)
	}
}

// counting counts the log density's evaluations without a gradient: the
// draws' log_p__ (the Hessian takes gradients).
type counting struct {
	gauss
	plain *int
}

func (c counting) LogDensityJacobian(x, grad []float64, j bool) (float64, error) {
	if grad == nil {
		*c.plain++
	}
	return c.gauss.LogDensityJacobian(x, grad, j)
}

// Without CalculateLP (CmdStan's calculate_lp=0) log_p__ is NaN at every
// draw and the model is not evaluated there; the draws and log_q__ are
// those of the default run with the same seed, and the header says
// calculate_lp = 0 where the default's says 1.
func TestCalculateLPOff(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Draws, cfg.Seed = 200, 8
	var onCalls, offCalls int
	on, err := SampleContext(context.Background(), counting{plain: &onCalls}, []float64{1, -2}, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.CalculateLP = false
	off, err := SampleContext(context.Background(), counting{plain: &offCalls}, []float64{1, -2}, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if onCalls != 200 || offCalls != 0 {
		t.Errorf("log densities at the draws: %d with calculate_lp, %d without; want 200 and 0", onCalls, offCalls)
	}
	for k := range off.Draws {
		if !math.IsNaN(off.LogP[k]) || off.LogQ[k] != on.LogQ[k] || off.Draws[k][0] != on.Draws[k][0] || off.Draws[k][1] != on.Draws[k][1] {
			t.Fatalf("draw %d: %v log_p__ %v log_q__ %v; with calculate_lp %v, %v", k, off.Draws[k], off.LogP[k], off.LogQ[k], on.Draws[k], on.LogQ[k])
		}
		if lp, _ := (gauss{}).LogDensityJacobian(on.Unconstrained[k], nil, true); on.LogP[k] != lp {
			t.Fatalf("draw %d: log_p__ %v, model %v", k, on.LogP[k], lp)
		}
	}
	if c := off.Set().Config; c[len(c)-1] != "    calculate_lp = 0" {
		t.Errorf("config %q", c)
	}
	if c := on.Set().Config; c[len(c)-1] != "    calculate_lp = 1" {
		t.Errorf("config %q", c)
	}
}

// TestWriteModeJSON: the diagnostic file holds the log density, its
// gradient and the Hessian at the point given as the mode; for the
// Gaussian the Hessian is -Σ⁻¹.
func TestWriteModeJSON(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Draws, cfg.Seed = 1, 3
	at := []float64{1.5, -2}
	res, err := SampleContext(context.Background(), gauss{}, at, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	if err := res.WriteModeJSON(&sb); err != nil {
		t.Fatal(err)
	}
	var got struct {
		LogP     float64     `json:"lp_mode"`
		Gradient []float64   `json:"gradient"`
		Hessian  [][]float64 `json:"Hessian"`
	}
	if err := json.Unmarshal([]byte(sb.String()), &got); err != nil {
		t.Fatalf("%v\n%s", err, sb.String())
	}
	g := make([]float64, 2)
	lp, _ := gauss{}.LogDensityJacobian(at, g, true)
	c := 1 / (1 - rho*rho)
	h := [2][2]float64{{-c / (s1 * s1), c * rho / (s1 * s2)}, {c * rho / (s1 * s2), -c / (s2 * s2)}}
	if got.LogP != lp || len(got.Gradient) != 2 || got.Gradient[0] != g[0] || got.Gradient[1] != g[1] || len(got.Hessian) != 2 {
		t.Fatalf("got %+v, want lp_mode %v and gradient %v", got, lp, g)
	}
	for i := range 2 {
		for j := range 2 {
			if math.Abs(got.Hessian[i][j]-h[i][j]) > 1e-6 {
				t.Errorf("Hessian[%d][%d] = %v, want %v", i, j, got.Hessian[i][j], h[i][j])
			}
		}
	}
	if err := (&Result{}).WriteModeJSON(&sb); err == nil {
		t.Error("no error without a Hessian")
	}
}
