package nuts_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stancsv"
)

// fixture compiles a PosteriorDB model of the test fixtures with its data.
func fixture(tb testing.TB, name, data string) model.Model {
	return fixtureIn(tb, filepath.Join("..", "..", "testdata", "posteriordb"), name, data)
}

// fixtureIn compiles a model of the PosteriorDB at root with its data.
func fixtureIn(tb testing.TB, root, name, data string) model.Model {
	p, err := compile.File(filepath.Join(root, "models", "stan", name+".stan"))
	if err != nil {
		tb.Fatal(err)
	}
	d, err := model.ReadDataFile(filepath.Join(root, "data", "data", data+".json.zip"))
	if err != nil {
		tb.Fatal(err)
	}
	m, err := p.NewModel(d, 1)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// overheadModels are the test fixtures' models; shared lists those read
// from $GOSTAN_POSTERIORDB when it is set.
var overheadModels = []struct {
	name, model, data string
	shared            bool
}{
	{"eight_schools_noncentered", "eight_schools_noncentered", "eight_schools", false},
	{"kidscore_momhs", "kidscore_momhs", "kidiq", false},
	{"gp_regr", "gp_regr", "gp_pois_regr", false},
	{"arK", "arK", "arK", true},
	{"hmm_drive_0", "hmm_drive_0", "bball_drive_event_0", true},
}

// BenchmarkNUTSOverhead runs one chain as `gostan sample` does (a Stan CSV
// sink, a progress hook) and reports nanoseconds per gradient inside the
// chain (its timed warmup and sampling over its gradients) beside the bare
// gradient's, so that the sampler's own cost per gradient shows. The bare
// gradient is timed twice: at one fixed point (`gradient`), and at the
// points the chain itself evaluated, replayed in order (`replay`), where
// the model's branches and special functions see the values they see
// inside NUTS. The cpu-ns figures are the process's CPU time (Linux only),
// which holds still on a shared machine where wall time does not; run
// with GOMAXPROCS=1 so that they count one core's work.
func BenchmarkNUTSOverhead(b *testing.B) {
	for _, c := range overheadModels {
		var m model.Model
		if c.shared {
			root := os.Getenv("GOSTAN_POSTERIORDB")
			if root == "" {
				continue
			}
			m = fixtureIn(b, root, c.model, c.data)
		} else {
			m = fixture(b, c.model, c.data)
		}
		b.Run(c.name+"/gradient", func(b *testing.B) {
			x, g := make([]float64, m.Dim()), make([]float64, m.Dim())
			for i := range x {
				x[i] = 0.1 * float64(i+1)
			}
			m.LogDensity(x, g) // warm: the first evaluation sizes the tape
			b.ReportAllocs()
			start := processCPU()
			for b.Loop() {
				m.LogDensity(x, g)
			}
			b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
		})
		b.Run(c.name+"/replay", func(b *testing.B) {
			d := m.Dim()
			rec := &recorder{Model: m.Clone()}
			cfg := nuts.DefaultConfig()
			cfg.Seed = 1
			if _, err := nuts.Sample(rec, cfg, nil); err != nil {
				b.Fatal(err)
			}
			n := len(rec.qs) / d
			g := make([]float64, d)
			b.ReportAllocs()
			i := 0
			start := processCPU()
			for b.Loop() {
				m.LogDensity(rec.qs[i*d:(i+1)*d], g)
				if i++; i == n {
					i = 0
				}
			}
			b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
		})
		b.Run(c.name+"/nuts", func(b *testing.B) {
			cfg := nuts.DefaultConfig()
			cfg.Seed = 1
			var secs float64
			var grads int
			b.ReportAllocs()
			out := filepath.Join(b.TempDir(), "out.csv") // rewritten by each run
			start := processCPU()
			for b.Loop() {
				f, err := stancsv.CreateSample(stancsv.Run{Output: out, SigFigs: 6}, m, cfg)
				if err != nil {
					b.Fatal(err)
				}
				iters := 0
				ch, err := nuts.SampleContext(context.Background(), m.Clone(), cfg, nuts.Hooks{Sink: f, Progress: func(int) { iters++ }})
				if err != nil {
					b.Fatal(err)
				}
				if err := f.Finish(ch); err != nil {
					b.Fatal(err)
				}
				secs += ch.WarmupSeconds + ch.SampleSeconds
				grads += ch.Gradients
			}
			b.ReportMetric(float64(processCPU()-start)/float64(grads), "cpu-ns/grad")
			b.ReportMetric(secs/float64(grads)*1e9, "ns/grad")
			b.ReportMetric(float64(grads)/float64(b.N), "grads/op")
		})
	}
}

// recorder keeps every point at which a chain evaluates its model's log
// density, in order.
type recorder struct {
	model.Model
	qs []float64
}

func (r *recorder) LogDensity(q, grad []float64) (float64, error) {
	r.qs = append(r.qs, q...)
	return r.Model.LogDensity(q, grad)
}

// BenchmarkSamplerPerLeapfrog runs chains (1000/1000, seed 1, no sink) on
// a standard normal, whose gradient costs a few nanoseconds, and reports
// CPU nanoseconds per leapfrog step: the sampler's own arithmetic at
// that dimension, the floor its overhead per gradient cannot go below.
func BenchmarkSamplerPerLeapfrog(b *testing.B) {
	for _, d := range []int{3, 10} {
		b.Run(fmt.Sprintf("d=%d", d), func(b *testing.B) {
			cfg := nuts.DefaultConfig()
			cfg.Seed = 1
			grads := 0
			start := processCPU()
			for b.Loop() {
				ch, err := nuts.Sample(stdNormal(d), cfg, nil)
				if err != nil {
					b.Fatal(err)
				}
				grads += ch.Gradients
			}
			b.ReportMetric(float64(processCPU()-start)/float64(grads), "cpu-ns/grad")
			b.ReportMetric(float64(grads)/float64(b.N), "grads/op")
		})
	}
}

// stdNormal is a standard normal of its dimension.
type stdNormal int

func (n stdNormal) Dim() int { return int(n) }
func (n stdNormal) LogDensity(q, grad []float64) (float64, error) {
	lp := 0.0
	for i, v := range q {
		lp -= 0.5 * v * v
		grad[i] = -v
	}
	return lp, nil
}
func (n stdNormal) Names() []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("x[%d]", i+1)
	}
	return names
}
func (n stdNormal) Write(q []float64, _ *rand.Rand, out []float64) error { copy(out, q); return nil }
func (n stdNormal) Clone() model.Model                                   { return n }
