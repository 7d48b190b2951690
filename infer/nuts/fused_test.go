package nuts

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/model"
)

// TestFusedStepsAreTheDefinitions checks the metric's one-pass leapfrog
// halves against the operations they fuse, to the bit: p += ε/2·g, then
// q += ε·M⁻¹p; and the second half with M⁻¹p and pᵀM⁻¹p.
func TestFusedStepsAreTheDefinitions(t *testing.T) {
	const d = 5
	rng := rand.New(rand.NewPCG(3, 4))
	vec := func() []float64 {
		v := make([]float64, d)
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		return v
	}
	diag := make([]float64, d)
	for i := range diag {
		diag[i] = 0.5 + rng.Float64()
	}
	a := make([]float64, d*d) // a dense M⁻¹ = AAᵀ + I
	for i := range d {
		for j := range d {
			for k := range d {
				a[i*d+j] += 0.3 * float64((i+k)%3-1) * float64((j+k)%3-1)
			}
		}
		a[i*d+i]++
	}
	for _, kind := range []Metric{Diag, Dense} {
		m := newMetric(kind, d)
		if kind == Diag {
			if err := m.set(diag); err != nil {
				t.Fatal(err)
			}
		} else if err := m.set(a); err != nil {
			t.Fatal(err)
		}
		q, p, g := vec(), vec(), vec()
		const eps = -0.37
		half := 0.5 * eps

		wantP := append([]float64(nil), p...)
		for i := range wantP {
			wantP[i] += half * g[i]
		}
		s := make([]float64, d)
		m.dtauDp(wantP, s)
		wantQ := append([]float64(nil), q...)
		for i := range wantQ {
			wantQ[i] += eps * s[i]
		}
		m.drift(q, p, g, half, eps, make([]float64, d))
		equal(t, fmt.Sprintf("%v drift: p", kind), p, wantP)
		equal(t, fmt.Sprintf("%v drift: q", kind), q, wantQ)

		for i := range wantP {
			wantP[i] += half * g[i]
		}
		wantSharp := make([]float64, d)
		m.dtauDp(wantP, wantSharp)
		wantK := dot(wantP, wantSharp)
		sharp := make([]float64, d)
		k := m.kick(p, g, half, sharp)
		equal(t, fmt.Sprintf("%v kick: p", kind), p, wantP)
		equal(t, fmt.Sprintf("%v kick: M⁻¹p", kind), sharp, wantSharp)
		if k != wantK {
			t.Errorf("%v kick: pᵀM⁻¹p = %v, want %v", kind, k, wantK)
		}
		if k := m.sharp(p, sharp); k != wantK {
			t.Errorf("%v sharp: pᵀM⁻¹p = %v, want %v", kind, k, wantK)
		}
		equal(t, fmt.Sprintf("%v sharp: M⁻¹p", kind), sharp, wantSharp)
	}
}

func equal(t *testing.T, what string, got, want []float64) {
	t.Helper()
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s[%d] = %v, want %v", what, i, got[i], want[i])
		}
	}
}

func TestLogSumExpShare(t *testing.T) {
	for _, c := range []struct{ a, b, lse, share float64 }{
		{math.Log(1), math.Log(3), math.Log(4), 0.75},
		{math.Log(3), math.Log(1), math.Log(4), 0.25},
		{-2, -2, -2 + math.Ln2, 0.5},
		{0, -800, 0, math.Exp(-800)},
		{-800, 0, 0, 1},
		{math.Inf(-1), 1.5, 1.5, 1},
		{1.5, math.Inf(-1), 1.5, 0},
	} {
		lse, share := logSumExpShare(c.a, c.b)
		if math.Abs(lse-c.lse) > 1e-15*(1+math.Abs(c.lse)) || math.Abs(share-c.share) > 1e-15 {
			t.Errorf("logSumExpShare(%v, %v) = %v, %v, want %v, %v", c.a, c.b, lse, share, c.lse, c.share)
		}
	}
}

// TestDrawsOfTheUnfusedSampler pins a chain's draws and statistics to
// those of the sampler before its passes were fused and its copies became
// swaps (commit a6d1566): sums over 300 draws after 150 warmup iterations,
// which any change of a draw, a tree or an adapted step would move; the
// funnel's include divergent transitions. The tolerance admits rounding
// only (a multinomial weight is now computed another way).
func TestDrawsOfTheUnfusedSampler(t *testing.T) {
	cov := [][]float64{{1, 0.5, 0}, {0.5, 2, 0.3}, {0, 0.3, 1}}
	for _, c := range []struct {
		name string
		m    model.Model
		kind Metric
		want [6]float64 // Σ draws, lp__, accept_stat__, n_leapfrog__, energy__, divergent__
	}{
		{"gaussian diag", newGaussian(cov), Diag, [6]float64{-69.91880335732911, -457.68622672119227, 277.83309241126284, 1638, 930.0450386121307, 0}},
		{"gaussian dense", newGaussian(cov), Dense, [6]float64{8.336840462208627, -399.75199159503717, 275.566595156974, 1604, 850.3532186466751, 0}},
		{"funnel diag", funnel{d: 10}, Diag, [6]float64{-588.1314819009026, -835.8243226026802, 200.97401747100514, 14670, 2313.487673832378, 5}},
	} {
		cfg := DefaultConfig()
		cfg.Warmup, cfg.Samples, cfg.Seed, cfg.Metric = 150, 300, 3, c.kind
		var got [6]float64
		ch, err := Sample(c.m, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range ch.Draws {
			for _, v := range row {
				got[0] += v
			}
			st := ch.Stats[i]
			got[1] += st.LP
			got[2] += st.AcceptStat
			got[3] += float64(st.NLeapfrog)
			got[4] += st.Energy
			if st.Divergent {
				got[5]++
			}
		}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12*(1+math.Abs(c.want[i])) {
				t.Errorf("%s: sum %d = %.17g, want %.17g", c.name, i, got[i], c.want[i])
			}
		}
	}
}
