package svi

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

func TestOptimizersMaximise(t *testing.T) {
	// f(x) = -(x - 3)² - 2(y + 1)², maximised at (3, -1).
	for name, opt := range map[string]Optimizer{"adam": NewAdam(0.05), "sgd": &SGD{LR: 0.05}, "clipped": &Adam{LR: 0.05, B1: 0.9, B2: 0.999, Eps: 1e-8, Clip: 1}} {
		p := []float64{0, 0}
		g := make([]float64, 2)
		for range 3000 {
			g[0], g[1] = -2*(p[0]-3), -4*(p[1]+1)
			opt.Step(p, g)
		}
		if math.Abs(p[0]-3) > 1e-3 || math.Abs(p[1]+1) > 1e-3 {
			t.Errorf("%s ends at %v, want (3, -1)", name, p)
		}
	}
}

// pointGuide is a guide whose draw is its parameter: SVI then climbs the
// model's log density.
type pointGuide struct{ p, g []float64 }

func (q *pointGuide) Params() []float64                { return q.p }
func (q *pointGuide) Sample(_ *rand.Rand, z []float64) { copy(z, q.p) }
func (q *pointGuide) ELBOGrad(_ *rand.Rand, lp func(z, g []float64) (float64, error), grad []float64) (float64, error) {
	v, err := lp(q.p, q.g)
	if err != nil {
		return 0, err
	}
	for i, gi := range q.g {
		grad[i] += gi
	}
	return v, nil
}

type halfLine struct{}

func (halfLine) Dim() int { return 1 }
func (halfLine) LogDensity(x, g []float64) (float64, error) {
	if x[0] < 0 {
		return 0, errors.New("outside")
	}
	if g != nil {
		g[0] = -(x[0] - 2)
	}
	return -0.5 * (x[0] - 2) * (x[0] - 2), nil
}
func (halfLine) Names() []string                                      { return []string{"x"} }
func (halfLine) Write(x []float64, _ *rand.Rand, out []float64) error { copy(out, x); return nil }
func (h halfLine) Clone() model.Model                                 { return h }

func TestSVIRunAndFailures(t *testing.T) {
	q := &pointGuide{p: []float64{0.5}, g: make([]float64, 1)}
	s := &SVI{Model: halfLine{}, Guide: q, Opt: NewAdam(0.05)}
	if err := s.Run(rand.New(rand.NewPCG(1, 1)), 2000, nil); err != nil {
		t.Fatal(err)
	}
	if math.Abs(q.p[0]-2) > 1e-3 || len(s.History) != 2000 {
		t.Errorf("point at %v after %d steps", q.p[0], len(s.History))
	}
	// A guide stuck outside the support fails with a clear error.
	q.p[0] = -1
	s = &SVI{Model: halfLine{}, Guide: q, Opt: NewAdam(0.05), MaxRetries: 3}
	err := s.Run(rand.New(rand.NewPCG(1, 1)), 100, nil)
	if err == nil || !strings.Contains(err.Error(), "outside the model's support at 21 steps; the last: outside") {
		t.Errorf("a guide outside the support: error %v", err)
	}
}

// TestScheduleAndStopping checks that the schedule sets each step's size
// and that the stopping rule ends a converged run early, and only then.
func TestScheduleAndStopping(t *testing.T) {
	sched := ExponentialDecay(0.1, 0.01, 1000)
	if got := sched(500); math.Abs(got-0.01) > 1e-12 {
		t.Errorf("halfway step size %v, want 0.01", got)
	}
	sgd := &SGD{}
	var seen []float64
	q := &pointGuide{p: []float64{0.5}, g: make([]float64, 1)}
	s := &SVI{Model: halfLine{}, Guide: q, Opt: sgd, Schedule: sched}
	if err := s.Run(rand.New(rand.NewPCG(1, 1)), 1000, func(int, float64) { seen = append(seen, sgd.LR) }); err != nil {
		t.Fatal(err)
	}
	if math.Abs(seen[0]-sched(1)) > 1e-15 || math.Abs(seen[999]-0.001) > 1e-15 {
		t.Errorf("step sizes %v ... %v, want %v ... 0.001", seen[0], seen[999], sched(1))
	}
	// The point reaches the mode long before 50000 steps: the rule stops it.
	q.p[0] = 0.5
	s = &SVI{Model: halfLine{}, Guide: q, Opt: NewAdam(0.05), Tol: 1e-6, Window: 500}
	if err := s.Run(rand.New(rand.NewPCG(1, 1)), 50000, nil); err != nil {
		t.Fatal(err)
	}
	if !s.Converged || len(s.History) >= 50000 || len(s.History)%500 != 0 {
		t.Errorf("converged %v after %d steps", s.Converged, len(s.History))
	}
	// With a step size too small to get anywhere, the ELBO still moves
	// by more than the tolerance and the run goes on.
	q.p[0] = 0.5
	s = &SVI{Model: halfLine{}, Guide: q, Opt: &SGD{LR: 1e-5}, Tol: 1e-6, Window: 500}
	if err := s.Run(rand.New(rand.NewPCG(1, 1)), 5000, nil); err != nil {
		t.Fatal(err)
	}
	if s.Converged || len(s.History) != 5000 {
		t.Errorf("a run far from convergence stopped: converged %v after %d steps", s.Converged, len(s.History))
	}
}

// TestBackoff checks that a step leaving the support is undone and the
// step size halved: plain gradient ascent with a step far too long jumps
// out of x >= 0 at once, is stuck there without backoffs and converges
// with them.
func TestBackoff(t *testing.T) {
	for _, backoffs := range []int{0, 10} {
		q := &pointGuide{p: []float64{0.5}, g: make([]float64, 1)}
		s := &SVI{Model: halfLine{}, Guide: q, Opt: &SGD{LR: 5}, Backoffs: backoffs}
		err := s.Run(rand.New(rand.NewPCG(1, 1)), 200, nil)
		switch {
		case backoffs == 0 && err == nil:
			t.Errorf("no backoffs: no error, point at %v", q.p[0])
		case backoffs > 0 && (err != nil || math.Abs(q.p[0]-2) > 1e-6):
			t.Errorf("%d backoffs: point at %v, error %v", backoffs, q.p[0], err)
		}
	}
}

// Cancelling the context at step 40 stops the run there: the guide holds
// the point of a run of 40 steps, bit for bit, flagged as interrupted.
func TestInterrupted(t *testing.T) {
	q := &pointGuide{p: []float64{0.5}, g: make([]float64, 1)}
	s := &SVI{Model: halfLine{}, Guide: q, Opt: NewAdam(0.01)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := s.RunContext(ctx, rand.New(rand.NewPCG(1, 1)), 100000, func(step int, _ float64) {
		if step == 40 {
			cancel()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &pointGuide{p: []float64{0.5}, g: make([]float64, 1)}
	full := &SVI{Model: halfLine{}, Guide: want, Opt: NewAdam(0.01)}
	if err := full.Run(rand.New(rand.NewPCG(1, 1)), 40, nil); err != nil {
		t.Fatal(err)
	}
	if !s.Interrupted || full.Interrupted || len(s.History) != 40 || q.p[0] != want.p[0] || math.Abs(q.p[0]-2) < 0.1 {
		t.Errorf("interrupted %v after %d steps at %v; want 40 steps at %v, far from the mode 2", s.Interrupted, len(s.History), q.p[0], want.p[0])
	}
	if res := s.Sample(rand.New(rand.NewPCG(1, 1)), 3); !res.Interrupted || len(res.Draws) != 3 || res.Draws[0][0] != q.p[0] {
		t.Errorf("draws of the interrupted guide: interrupted %v, draws %v, want 3 at %v", res.Interrupted, res.Draws, q.p[0])
	}
}

// noisyGuide draws its parameter plus a standard normal.
type noisyGuide struct{ p, z, g []float64 }

func (q *noisyGuide) Params() []float64 { return q.p }
func (q *noisyGuide) Sample(rng *rand.Rand, z []float64) {
	z[0] = q.p[0] + rng.NormFloat64()
}
func (q *noisyGuide) ELBOGrad(rng *rand.Rand, lp func(z, g []float64) (float64, error), grad []float64) (float64, error) {
	q.Sample(rng, q.z)
	v, err := lp(q.z, q.g)
	if err != nil {
		return 0, err
	}
	grad[0] += q.g[0]
	return v, nil
}

// nanGrad has a finite log density whose gradient is NaN.
type nanGrad struct{ halfLine }

func (nanGrad) LogDensity(x, g []float64) (float64, error) {
	if g != nil {
		g[0] = math.NaN()
	}
	return -0.5 * x[0] * x[0], nil
}

// TestStrict checks NumPyro's strictness (svi.New's): a draw outside the
// support or a NaN gradient ends the run with an error at its step, where
// gostan's settings redraw, skip or go on.
func TestStrict(t *testing.T) {
	for _, c := range []struct {
		name  string
		m     model.Model
		want  string
		loose bool // the run without Strict completes
	}{
		{"outside the support", halfLine{}, "outside", true},
		// Without Strict the NaN parameters fail only later, as draws
		// outside the support.
		{"NaN gradient", nanGrad{}, "gradient's element 0 is NaN", false},
	} {
		for _, strict := range []bool{true, false} {
			q := &noisyGuide{p: []float64{0.5}, z: make([]float64, 1), g: make([]float64, 1)}
			s := &SVI{Model: c.m, Guide: q, Opt: NewAdam(0.01), MaxRetries: 10, Strict: strict}
			err := s.Run(rand.New(rand.NewPCG(1, 1)), 200, nil)
			switch {
			case strict && (err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "step ")):
				t.Errorf("%s, strict: error %v, want one at a step saying %q", c.name, err, c.want)
			case !strict && c.loose && (err != nil || len(s.History) != 200):
				t.Errorf("%s, not strict: error %v after %d steps, want 200 steps", c.name, err, len(s.History))
			}
		}
	}
	if s := New(NewAdam(0.1), TraceELBO{}, nil); !s.Strict || s.MaxRetries != 0 {
		t.Errorf("svi.New: Strict %v, MaxRetries %d; want NumPyro's strictness", s.Strict, s.MaxRetries)
	}
}
