package stancsv

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/model"
)

// normal is a standard normal on theta[1], theta[2], with a generated
// quantity drawn from rng.
type normal struct{ d int }

func (n normal) Dim() int { return n.d }
func (n normal) LogDensity(x, g []float64) (float64, error) {
	lp := 0.0
	for i, v := range x {
		lp -= v * v / 2
		g[i] = -v
	}
	return lp, nil
}
func (n normal) Names() []string {
	return append([]string{"theta[1]", "theta[2]"}[:n.d], "y_rep")
}
func (n normal) Write(x []float64, r *rand.Rand, out []float64) error {
	copy(out, x)
	out[n.d] = r.NormFloat64()
	return nil
}
func (n normal) Clone() model.Model { return n }

// close9 says a value printed with 9 significant digits is x.
func close9(printed, x float64) bool { return math.Abs(printed-x) <= 1e-8*math.Max(1, math.Abs(x)) }

// sampleToFile runs one chain streamed to a file and reads the file back.
func sampleToFile(t *testing.T, ctx context.Context, m model.Model, cfg nuts.Config) (*nuts.Chain, *SampleFile, *File) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.csv")
	sf, err := CreateSample(Run{Model: "normal.stan", Init: "2", Output: path, SigFigs: 9, Threads: 1, Chains: 1}, m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := nuts.SampleContext(ctx, m, cfg, nuts.Hooks{Sink: sf})
	if err != nil && ctx.Err() == nil {
		t.Fatal(err)
	}
	if err := sf.Finish(ch); err != nil {
		t.Fatal(err)
	}
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := Read(r)
	if err != nil {
		t.Fatal(err)
	}
	return ch, sf, f
}

func TestSampleFileHoldsTheChain(t *testing.T) {
	cfg := nuts.DefaultConfig()
	cfg.Warmup, cfg.Samples, cfg.Thin, cfg.SaveWarmup, cfg.Seed = 60, 40, 2, true, 4
	ch, sf, f := sampleToFile(t, context.Background(), normal{2}, cfg)
	want := append(slices.Clone(nuts.StatNames), "theta.1", "theta.2", "y_rep")
	if !slices.Equal(f.Columns, want) {
		t.Fatalf("columns %v, want %v", f.Columns, want)
	}
	if len(f.Warmup) != 30 || len(f.Draws) != 20 || sf.Warmup != 30 || sf.Draws != 20 {
		t.Fatalf("%d warmup rows and %d draws (counted %d, %d), want 30 and 20", len(f.Warmup), len(f.Draws), sf.Warmup, sf.Draws)
	}
	for i, d := range f.Draws {
		if !close9(d[0], ch.Stats[i].LP) || !close9(d[7], ch.Draws[i][0]) || !close9(d[9], ch.Draws[i][2]) {
			t.Fatalf("row %d = %v, chain draw %v %+v", i, d, ch.Draws[i], ch.Stats[i])
		}
	}
	if len(f.Adapt) != 4 || f.Adapt[0] != "Adaptation terminated" || len(f.Footer) == 0 {
		t.Fatalf("adaptation block %q, footer %q", f.Adapt, f.Footer)
	}
	for _, line := range []string{"    thin = 2", "    save_warmup = 1", "num_threads = 1", "  sig_figs = 9", "stanc_version = gostan " + Version} {
		if !slices.Contains(f.Config, line) {
			t.Errorf("config lacks %q", line)
		}
	}
}

func TestSampleFileInterrupted(t *testing.T) {
	cfg := nuts.DefaultConfig()
	cfg.Warmup, cfg.Samples, cfg.Seed = 30, 1000, 4
	ctx, cancel := context.WithCancel(context.Background())
	m := normal{1}
	path := filepath.Join(t.TempDir(), "out.csv")
	sf, err := CreateSample(Run{Model: "normal.stan", Output: path, SigFigs: 6}, m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := nuts.SampleContext(ctx, m, cfg, nuts.Hooks{Sink: sf, Progress: func(it int) {
		if it == 55 {
			cancel()
		}
	}})
	if err == nil || !ch.Interrupted {
		t.Fatalf("err %v, interrupted %v", err, ch.Interrupted)
	}
	if err := sf.Finish(ch); err != nil {
		t.Fatal(err)
	}
	r, _ := os.Open(path)
	defer r.Close()
	f, err := Read(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Draws) != 25 || len(f.Footer) != 0 || f.Adapt[0] != "Adaptation terminated" {
		t.Fatalf("%d draws, footer %q, adaptation %q: want 25 draws, no timings", len(f.Draws), f.Footer, f.Adapt)
	}
}

func TestSampleFileFixedParam(t *testing.T) {
	cfg := nuts.DefaultConfig()
	cfg.Samples, cfg.Seed = 10, 4
	_, _, f := sampleToFile(t, context.Background(), normal{0}, cfg)
	if !slices.Equal(f.Columns, []string{"lp__", "accept_stat__", "y_rep"}) || len(f.Draws) != 10 || len(f.Adapt) != 0 {
		t.Fatalf("columns %v, %d draws, adaptation %q", f.Columns, len(f.Draws), f.Adapt)
	}
	if !slices.Contains(f.Config, "    algorithm = fixed_param") || !slices.Contains(f.Config, "    num_warmup = 0") {
		t.Errorf("config %q lacks fixed_param and num_warmup = 0", f.Config)
	}
	if f.Draws[0][2] == f.Draws[1][2] || f.Draws[0][0] != 0 || f.Draws[0][1] != 0 {
		t.Errorf("draws %v", f.Draws[:2])
	}
}
