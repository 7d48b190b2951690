package nuts

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/gostan/gostan/model"
)

// recorder is a Sink that keeps what it is given.
type recorder struct {
	draws, warmup [][]float64
	stats         []Stats
	adapted       int
	stepSize      float64
}

func (r *recorder) Draw(st Stats, row []float64, warmup bool) error {
	if warmup {
		if r.adapted > 0 {
			return errors.New("a warmup draw after adaptation")
		}
		r.warmup = append(r.warmup, row)
		return nil
	}
	r.draws = append(r.draws, row)
	r.stats = append(r.stats, st)
	return nil
}

func (r *recorder) Adapted(eps float64, _ []float64) error {
	r.adapted++
	r.stepSize = eps
	return nil
}

// TestSinkThinAndSaveWarmup checks that the sink sees the chain's kept
// draws in order, every Thin-th iteration of each phase, warmup first.
func TestSinkThinAndSaveWarmup(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Warmup, cfg.Samples, cfg.Seed, cfg.Thin, cfg.SaveWarmup = 100, 50, 3, 3, true
	rec := &recorder{}
	ch, err := SampleContext(context.Background(), newGaussian([][]float64{{1}}), cfg, Hooks{Sink: rec})
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Draws) != 17 || len(ch.WarmupDraws) != 34 || len(ch.WarmupStats) != 34 {
		t.Fatalf("%d draws and %d warmup draws, want 17 and 34", len(ch.Draws), len(ch.WarmupDraws))
	}
	if rec.adapted != 1 || rec.stepSize != ch.StepSize || !slices.EqualFunc(rec.draws, ch.Draws, slices.Equal) ||
		!slices.EqualFunc(rec.warmup, ch.WarmupDraws, slices.Equal) || !slices.Equal(rec.stats, ch.Stats) {
		t.Fatalf("the sink saw %d draws, %d warmup draws, %d adaptations; the chain has %d, %d",
			len(rec.draws), len(rec.warmup), rec.adapted, len(ch.Draws), len(ch.WarmupDraws))
	}
	// Thinning keeps the same Markov chain: the draws are every third
	// of an unthinned run's.
	cfg.Thin, cfg.SaveWarmup = 1, false
	full, err := Sample(newGaussian([][]float64{{1}}), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range ch.Draws {
		if d[0] != full.Draws[3*i][0] {
			t.Fatalf("thinned draw %d is %v, want the unthinned draw %d, %v", i, d[0], 3*i, full.Draws[3*i][0])
		}
	}
}

// TestCancelKeepsDraws cancels chains midway: each returns the draws it
// made, marked interrupted, and RunChainsContext reports the cancellation.
func TestCancelKeepsDraws(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Warmup, cfg.Samples, cfg.Seed = 50, 1000, 8
	ctx, cancel := context.WithCancel(context.Background())
	var both sync.WaitGroup
	both.Add(2)
	recs := []*recorder{{}, {}}
	fit, err := Run(ctx, newGaussian([][]float64{{1}}), Options{Config: cfg, Chains: 2, Threads: 2, Setup: func(c int, _ *Config) Hooks {
		return Hooks{Sink: recs[c], Progress: func(iter int) {
			if iter == 80 { // both chains stop after iteration 80
				both.Done()
				both.Wait()
				cancel()
			}
		}}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want cancellation", err)
	}
	for c, ch := range fit.Chains {
		if !ch.Interrupted || len(ch.Draws) != 30 || len(recs[c].draws) != len(ch.Draws) {
			t.Errorf("chain %d: interrupted %v with %d draws (sink %d)", c, ch.Interrupted, len(ch.Draws), len(recs[c].draws))
		}
	}
}

// noParams has no parameters and one generated quantity drawn from rng.
type noParams struct{}

func (noParams) Dim() int                                   { return 0 }
func (noParams) LogDensity(_, _ []float64) (float64, error) { return 0, nil }
func (noParams) Names() []string                            { return []string{"y"} }
func (noParams) Clone() model.Model                         { return noParams{} }
func (noParams) Write(_ []float64, r *rand.Rand, out []float64) error {
	out[0] = r.NormFloat64()
	return nil
}

func TestFixedParamWithoutParameters(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Samples, cfg.Seed = 20, 1
	rec := &recorder{}
	ch, err := SampleContext(context.Background(), noParams{}, cfg, Hooks{Sink: rec})
	if err != nil {
		t.Fatal(err)
	}
	if !ch.FixedParam || len(ch.Draws) != 20 || rec.adapted != 0 || ch.Gradients != 0 {
		t.Fatalf("fixed_param %v, %d draws, %d adaptations, %d gradients", ch.FixedParam, len(ch.Draws), rec.adapted, ch.Gradients)
	}
	if ch.Draws[0][0] == ch.Draws[1][0] || ch.Stats[0] != (Stats{}) {
		t.Fatalf("draws %v, stats %+v: want varying draws and zero statistics", ch.Draws[:2], ch.Stats[0])
	}
}

func TestFixedParamKeepsTheInitialPoint(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Samples, cfg.Seed, cfg.FixedParam, cfg.Init = 5, 1, true, []float64{0.25, -1}
	ch, err := Sample(newGaussian([][]float64{{1, 0}, {0, 1}}), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ch.Draws {
		if !slices.Equal(d, cfg.Init) {
			t.Fatalf("draw %v, want the initial point %v", d, cfg.Init)
		}
	}
}

func TestInitialInverseMetric(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Warmup, cfg.Samples, cfg.Seed, cfg.Adapt = 0, 5, 2, false
	cfg.InvMetric = []float64{4, 0.25}
	ch, err := Sample(newGaussian([][]float64{{4, 0}, {0, 0.25}}), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ch.InvMetric, cfg.InvMetric) {
		t.Fatalf("inverse metric %v, want the given %v (no warmup adapts it)", ch.InvMetric, cfg.InvMetric)
	}
	for _, bad := range [][]float64{{1}, {1, -1}} {
		cfg.InvMetric = bad
		if _, err := Sample(newGaussian([][]float64{{1, 0}, {0, 1}}), cfg, nil); err == nil {
			t.Errorf("inverse metric %v accepted", bad)
		}
	}
	cfg.Metric, cfg.InvMetric = Dense, []float64{1, 2, 2, 1}
	if _, err := Sample(newGaussian([][]float64{{1, 0}, {0, 1}}), cfg, nil); err == nil {
		t.Error("an indefinite dense inverse metric accepted")
	}
}
