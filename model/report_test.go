package model_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"testing"

	"github.com/gostan/gostan/infer/advi"
	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// halfWrite is a standard normal whose outputs fail where x > 0.
type halfWrite struct{}

func (halfWrite) Dim() int { return 1 }
func (halfWrite) LogDensity(x, g []float64) (float64, error) {
	if g != nil {
		g[0] = -x[0]
	}
	return -0.5 * x[0] * x[0], nil
}
func (halfWrite) Names() []string { return []string{"x"} }
func (halfWrite) Write(x []float64, _ *rand.Rand, out []float64) error {
	if x[0] > 0 {
		out[0] = math.NaN()
		return errors.New("x is positive")
	}
	out[0] = x[0]
	return nil
}
func (h halfWrite) Clone() model.Model { return h }

// normalGuide draws from a standard normal and has nothing to fit.
type normalGuide struct{}

func (normalGuide) Params() []float64 { return nil }
func (normalGuide) ELBOGrad(*rand.Rand, func(z, g []float64) (float64, error), []float64) (float64, error) {
	return 0, nil
}
func (normalGuide) Sample(rng *rand.Rand, z []float64) { z[0] = rng.NormFloat64() }

// TestOutputFailuresReportedAlike checks that NUTS, ADVI and SVI count the
// draws whose outputs fail and word the report the same way, with the
// first messages kept.
func TestOutputFailuresReportedAlike(t *testing.T) {
	cfg := nuts.DefaultConfig()
	cfg.Warmup, cfg.Samples, cfg.Seed = 100, 200, 3
	chain, err := nuts.Sample(halfWrite{}, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	acfg := advi.DefaultConfig()
	acfg.Seed, acfg.OutputSamples = 3, 200
	fit, err := advi.Run(halfWrite{}, acfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &svi.SVI{Model: halfWrite{}, Guide: normalGuide{}}
	res := s.Sample(rand.New(rand.NewPCG(3, 3)), 200)
	draws := append([][]float64{res.Mean}, res.Draws...)

	head := regexp.MustCompile(`^(\d+) draws' transformed parameters or generated quantities failed \(their columns are NaN\); the first 5:$`)
	for _, c := range []struct {
		name     string
		messages []string
		rows     [][]float64
		each     string
	}{
		{"nuts", chain.Messages, chain.Draws, `^  iteration \d+: x is positive$`},
		{"advi", fit.Messages, append([][]float64{fit.Mean}, fit.Draws...), `^  x is positive$`},
		{"svi", s.Messages, draws, `^  x is positive$`},
	} {
		nan := 0
		for _, r := range c.rows {
			if math.IsNaN(r[0]) {
				nan++
			}
		}
		at := -1
		for i, m := range c.messages {
			if sm := head.FindStringSubmatch(m); sm != nil {
				if n, _ := strconv.Atoi(sm[1]); n != nan {
					t.Errorf("%s: %q, but %d draws have NaN columns", c.name, m, nan)
				}
				at = i
			}
		}
		if at < 0 || nan < 10 {
			t.Errorf("%s: %d failed draws, messages %q", c.name, nan, c.messages)
			continue
		}
		kept := c.messages[at+1:]
		if len(kept) < model.FailuresKept {
			t.Fatalf("%s: %d messages after the head", c.name, len(kept))
		}
		for _, m := range kept[:model.FailuresKept] {
			if !regexp.MustCompile(c.each).MatchString(m) {
				t.Errorf("%s: kept message %q", c.name, m)
			}
		}
	}
}
