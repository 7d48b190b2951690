package nuts

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// TestDefaultConfigIsCmdStans holds DefaultConfig to the defaults of
// CmdStan's sample method (CmdStan Guide, "MCMC Sampling").
func TestDefaultConfigIsCmdStans(t *testing.T) {
	want := Config{
		Warmup: 1000, Samples: 1000, Thin: 1, Adapt: true, Gamma: 0.05, Delta: 0.8, Kappa: 0.75, T0: 10,
		InitBuffer: 75, TermBuffer: 50, Window: 25, MaxDepth: 10, Metric: Diag, StepSize: 1, InitRadius: 2, Chain: 1,
	}
	got := DefaultConfig()
	if got.Init != nil || got.InvMetric != nil || got.SaveWarmup || got.FixedParam || got.Seed != 0 {
		t.Errorf("DefaultConfig sets more than CmdStan's defaults: %+v", got)
	}
	if got.Warmup != want.Warmup || got.Samples != want.Samples || got.Thin != want.Thin || got.Adapt != want.Adapt ||
		got.Gamma != want.Gamma || got.Delta != want.Delta || got.Kappa != want.Kappa || got.T0 != want.T0 ||
		got.InitBuffer != want.InitBuffer || got.TermBuffer != want.TermBuffer || got.Window != want.Window ||
		got.MaxDepth != want.MaxDepth || got.Metric != want.Metric || got.StepSize != want.StepSize ||
		got.InitRadius != want.InitRadius || got.Chain != want.Chain {
		t.Errorf("DefaultConfig\n%+v\nwant CmdStan's\n%+v", got, want)
	}
}

// TestAdaptOff is CmdStan's adapt engaged=0: the chain keeps the given
// step size (no initial search, no dual averaging) and inverse metric
// through warmup and sampling, and the warmup iterations are kept as
// draws of the chain; with adaptation engaged, no warmup is an error.
func TestAdaptOff(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Adapt, cfg.Warmup, cfg.Samples, cfg.Seed, cfg.SaveWarmup = false, 30, 40, 3, true
	cfg.StepSize, cfg.InvMetric = 0.37, []float64{2, 0.5}
	ch, err := Sample(newGaussian([][]float64{{2, 0}, {0, 0.5}}), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ch.StepSize != 0.37 || !slices.Equal(ch.InvMetric, cfg.InvMetric) {
		t.Errorf("step size %v, inverse metric %v; want the given 0.37 and %v", ch.StepSize, ch.InvMetric, cfg.InvMetric)
	}
	if len(ch.WarmupStats) != 30 || len(ch.Stats) != 40 {
		t.Fatalf("%d warmup and %d draws, want 30 and 40", len(ch.WarmupStats), len(ch.Stats))
	}
	for _, st := range append(ch.WarmupStats, ch.Stats...) {
		if st.StepSize != 0.37 {
			t.Fatalf("stepsize__ %v, want 0.37 throughout", st.StepSize)
		}
	}
	for _, m := range ch.Messages {
		if strings.Contains(m, "adaptation") || strings.Contains(m, "estimation") {
			t.Errorf("message %q without adaptation", m)
		}
	}
	cfg.Adapt, cfg.Warmup = true, 0
	if _, err := Sample(newGaussian([][]float64{{1, 0}, {0, 1}}), cfg, nil); err == nil || !strings.Contains(err.Error(), "warmup") {
		t.Errorf("adaptation without warmup: %v, want an error", err)
	}
}

// TestShortWarmupMessage: a warmup too short for the configured windows
// is split 15%/75%/10%, and the message gives the sizes, as Stan's does.
func TestShortWarmupMessage(t *testing.T) {
	_, msg := newWindows(50, 75, 50, 25)
	if !strings.Contains(msg, "init_buffer = 7, adapt_window = 38, term_buffer = 5") {
		t.Errorf("message %q", msg)
	}
}

// TestStepSizeJitter is CmdStan's stepsize_jitter: each transition's
// stepsize__ is uniform in (1 ± jitter) times the nominal step size, which
// adaptation keeps learning (the chain's adapted step size is the nominal
// one); without jitter no uniform is drawn, so the chain is the plain one.
func TestStepSizeJitter(t *testing.T) {
	target := func() *gaussian { return newGaussian([][]float64{{1, 0}, {0, 1}}) }
	cfg := DefaultConfig()
	cfg.Warmup, cfg.Samples, cfg.Seed = 200, 2000, 5
	plain, err := Sample(target(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.StepSizeJitter = 0
	again, err := Sample(target(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(plain.Draws[len(plain.Draws)-1], again.Draws[len(again.Draws)-1]) {
		t.Error("jitter 0 changed the chain")
	}
	cfg.StepSizeJitter = 0.5
	ch, err := Sample(target(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi, mean := math.Inf(1), math.Inf(-1), 0.0
	for _, st := range ch.Stats {
		r := st.StepSize / ch.StepSize
		lo, hi, mean = min(lo, r), max(hi, r), mean+r/float64(len(ch.Stats))
	}
	// 2000 uniforms on (0.5, 1.5): the extremes within 0.01 of the ends,
	// the mean within 4 sd (0.29/√2000 = 0.0065) of 1.
	if lo < 0.5 || hi > 1.5 || lo > 0.51 || hi < 1.49 || math.Abs(mean-1) > 0.026 {
		t.Errorf("stepsize__ / nominal in [%.4f, %.4f], mean %.4f; want uniform on (0.5, 1.5)", lo, hi, mean)
	}
	cfg.StepSizeJitter = 1.5
	if _, err := Sample(target(), cfg, nil); err == nil {
		t.Error("jitter 1.5: no error")
	}
}
