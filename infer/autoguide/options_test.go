package autoguide

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// flat is a standard normal on D coordinates with a prior to draw from:
// coordinate i's prior is N(i, 1).
type flat struct{ d int }

func (f flat) Dim() int { return f.d }
func (f flat) LogDensity(z, g []float64) (float64, error) {
	lp := 0.0
	for i, v := range z {
		lp -= 0.5 * v * v
		if g != nil {
			g[i] = -v
		}
	}
	return lp, nil
}
func (f flat) Names() []string                                      { return make([]string, f.d) }
func (f flat) Write(z []float64, _ *rand.Rand, out []float64) error { copy(out, z); return nil }
func (f flat) Clone() model.Model                                   { return f }

type withPrior struct{ flat }

// InitPrior is a prior of independent N(i, 1) sites: the mean i, or the
// median of samples draws.
func (w withPrior) InitPrior(rng *rand.Rand, z []float64, samples int) error {
	for i := range z {
		if samples == 0 {
			z[i] = float64(i)
			continue
		}
		xs := make([]float64, samples)
		for k := range xs {
			xs[k] = float64(i) + rng.NormFloat64()
		}
		z[i] = median(xs)
	}
	return nil
}

func newGuide(t *testing.T, name string, m model.Model, opts ...Option) svi.Guide {
	t.Helper()
	q, err := New(name, m, rand.New(rand.NewPCG(1, 2)), opts...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return q
}

func TestOptionRank(t *testing.T) {
	const d = 5
	for _, r := range []int{1, 3, 5} {
		q := newGuide(t, "lowrank", flat{d}, Rank(r)).(*LowRankMultivariateNormal)
		// loc, the D×r factor, the D scales.
		if got := len(q.Params()); got != d+d*r+d {
			t.Errorf("rank %d: %d parameters, want %d", r, got, d+d*r+d)
		}
	}
	if q := newGuide(t, "lowrank", flat{d}).(*LowRankMultivariateNormal); q.r != 2 {
		t.Errorf("default rank on D=5 is %d, want round(√5) = 2", q.r)
	}
}

func TestOptionInitScale(t *testing.T) {
	const d, s = 3, 0.37
	scales := map[string]func(q svi.Guide) []float64{
		"diagonal": func(q svi.Guide) []float64 {
			p := q.Params()
			return []float64{softplus(p[d]), softplus(p[d+1]), softplus(p[d+2])}
		},
		"mvn": func(q svi.Guide) []float64 {
			m := q.(*MultivariateNormal)
			return []float64{m.lower(0, 0), m.lower(1, 1), m.lower(2, 2)}
		},
		"lowrank": func(q svi.Guide) []float64 {
			l := q.(*LowRankMultivariateNormal)
			return []float64{l.scale(0), l.scale(1), l.scale(2)}
		},
	}
	for name, get := range scales {
		for i, v := range get(newGuide(t, name, flat{d}, InitScale(s))) {
			if math.Abs(v-s) > 1e-12 {
				t.Errorf("%s: initial scale %d = %v, want %v", name, i, v, s)
			}
		}
	}
	// gostan's IAF starts at exactly N(loc, s² I): slope s at every point.
	q := newGuide(t, "iaf", flat{d}, InitScale(s), InitLoc(InitToFeasible())).(*IAFNormal)
	j := q.jacobian([]float64{0.3, -1, 2})
	for r := range d {
		for c := range d {
			want := 0.0
			if r == c {
				want = s
			}
			if math.Abs(j.At(r, c)-want) > 1e-6 {
				t.Errorf("iaf: ∂z_%d/∂x_%d = %v, want %v", r, c, j.At(r, c), want)
			}
		}
	}
}

func TestOptionInitLoc(t *testing.T) {
	const d = 3
	value := []float64{0.5, -1.25, 2}
	for _, name := range []string{"normal", "mvn", "lowrank", "delta", "laplace"} {
		q := newGuide(t, name, flat{d}, InitLoc(InitToValue(value)))
		if got := q.(interface{ Mean() []float64 }).Mean(); !slices.Equal(got, value) {
			t.Errorf("%s starts at %v, want %v", name, got, value)
		}
	}
	// The flows send the base's origin to the initial location.
	for _, name := range []string{"iaf", "bnaf"} {
		q := newGuide(t, name, flat{d}, InitLoc(InitToValue(value)))
		var f *flow
		switch q := q.(type) {
		case *IAFNormal:
			f = &q.flow
		case *BNAFNormal:
			f = &q.flow
		}
		z, _ := f.apply(make([]float64, d))
		for i := range d {
			if math.Abs(z[i]-value[i]) > 1e-12 {
				t.Errorf("%s: z(0) = %v, want %v", name, z, value)
			}
		}
	}

	rng := rand.New(rand.NewPCG(3, 4))
	if z, err := InitToFeasible()(flat{d}, rng); err != nil || !slices.Equal(z, make([]float64, d)) {
		t.Errorf("init_to_feasible = %v, %v, want the origin", z, err)
	}
	for range 100 {
		z, err := InitToUniform(0.5)(flat{d}, rng)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range z {
			if math.Abs(v) >= 0.5 {
				t.Fatalf("init_to_uniform(0.5) drew %v", z)
			}
		}
	}
	if _, err := InitToValue([]float64{1})(flat{d}, rng); err == nil {
		t.Error("init_to_value with 1 value for 3 coordinates: no error")
	}
	// The median of 1001 prior draws of N(i, 1) is i to within 0.1 (its
	// sd is about 1.25/√1001 = 0.04); without a prior, uniform(2).
	z, err := InitToMedian(1001)(withPrior{flat{d}}, rng)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range z {
		if math.Abs(v-float64(i)) > 0.1 {
			t.Errorf("init_to_median: coordinate %d = %v, want %d", i, v, i)
		}
	}
	if z, err := InitToMean()(withPrior{flat{d}}, rng); err != nil || !slices.Equal(z, []float64{0, 1, 2}) {
		t.Errorf("init_to_mean = %v, %v, want the means 0, 1, 2", z, err)
	}
	a, _ := InitToMedian(15)(flat{d}, rand.New(rand.NewPCG(5, 6)))
	b, _ := InitToUniform(2)(flat{d}, rand.New(rand.NewPCG(5, 6)))
	if !slices.Equal(a, b) {
		t.Errorf("init_to_median without a prior = %v, want init_to_uniform(2)'s %v", a, b)
	}
}

// TestInitToNormalMedian: each coordinate is the median of 15 standard
// normal draws, whose sd is 0.32 (against 1.15 for uniform(-2, 2)); the
// seed replay's Delta starts there (from its JAX keys), its other guides
// uniformly.
func TestInitToNormalMedian(t *testing.T) {
	const d = 20000
	z, err := InitToNormalMedian(15)(flat{d}, rand.New(rand.NewPCG(7, 8)))
	if err != nil {
		t.Fatal(err)
	}
	mean, sd := stat.MeanStdDev(z, nil)
	// The median of 15 draws of N(0, 1) has sd 0.32 (Monte Carlo, 10^6
	// medians: 0.319), and 20000 coordinates give its sd to ±0.004.
	if math.Abs(mean) > 0.01 || math.Abs(sd-0.319) > 0.008 {
		t.Errorf("init_to_median of normal draws: mean %.4f sd %.4f, want 0 and 0.319", mean, sd)
	}
	start := func(name string) []float64 {
		o, err := resolve(name, SeedStudySettings(name).options(name))
		if err != nil {
			t.Fatal(err)
		}
		z, err := o.init(flat{d}, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		return z
	}
	if _, sd := stat.MeanStdDev(start("delta"), nil); math.Abs(sd-0.319) > 0.008 {
		t.Errorf("the replay's Delta starts with sd %.3f, want init_to_median's 0.319", sd)
	}
	if _, sd := stat.MeanStdDev(start("normal"), nil); math.Abs(sd-4/math.Sqrt(12)) > 0.02 {
		t.Errorf("the replay's Normal starts with sd %.3f, want init_to_uniform(2)'s 1.155", sd)
	}
}

func TestOptionFlows(t *testing.T) {
	const d = 3
	one := len(newGuide(t, "iaf", flat{d}, NumFlows(1)).Params())
	for _, k := range []int{1, 2, 5} {
		if got := len(newGuide(t, "iaf", flat{d}, NumFlows(k)).Params()); got != k*one {
			t.Errorf("iaf with %d flows: %d parameters, want %d", k, got, k*one)
		}
		b := newGuide(t, "bnaf", flat{d}, NumFlows(k)).(*BNAFNormal).b.(*bnaf)
		gates := 0
		for _, fl := range b.flows {
			if fl.gate >= 0 {
				gates++
			}
		}
		if len(b.flows) != k || gates != k-1 {
			t.Errorf("bnaf with %d flows: %d flows, %d gates", k, len(b.flows), gates)
		}
	}
	// IAF's MADE layers: D inputs, hidden widths h, 2D outputs.
	n := newGuide(t, "iaf", flat{d}, HiddenDims(4, 5, 6)).(*IAFNormal).b.(*iaf)
	var widths []int
	for _, l := range n.net {
		widths = append(widths, len(l.in))
	}
	if !slices.Equal(widths, []int{4, 5, 6, 2 * d}) {
		t.Errorf("iaf hidden dims [4 5 6]: layer widths %v", widths)
	}
	// BNAF's hidden factors: D blocks of a then b units, then D outputs.
	b := newGuide(t, "bnaf", flat{d}, HiddenDims(2, 3)).(*BNAFNormal).b.(*bnaf)
	var units []int
	for _, l := range b.flows[0].layers {
		units = append(units, l.out)
	}
	if !slices.Equal(units, []int{2, 3, 1}) {
		t.Errorf("bnaf hidden factors [2 3]: units per block %v", units)
	}
}

func TestOptionErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		opts []Option
		want string
	}{
		{"normal", []Option{Rank(2)}, "does not take [rank]"},
		{"delta", []Option{InitScale(0.2)}, "does not take [init_scale]"},
		{"mvn", []Option{NumFlows(2), HiddenDims(4)}, "does not take [hidden_dims num_flows]"},
		{"lowrank", []Option{Rank(0)}, "rank must be at least 1"},
		{"normal", []Option{InitScale(-1)}, "init_scale must be"},
		{"iaf", []Option{HiddenDims(2)}, "must not be below the dimension 3"},
		{"bnaf", []Option{HiddenDims()}, "at least one layer"},
		{"nope", nil, "unknown autoguide"},
	} {
		_, err := New(c.name, flat{3}, rand.New(rand.NewPCG(1, 1)), c.opts...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
}

// AsNumPyro's flows start from NumPyro's random networks, whatever the
// initial location: the same parameters from two locations.
func TestAsNumPyroFlowsIgnoreLoc(t *testing.T) {
	for _, name := range []string{"iaf", "bnaf"} {
		a, err := NewAt(name, []float64{5, 5, 5}, rand.New(rand.NewPCG(1, 1)), AsNumPyro())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := NewAt(name, []float64{-3, 0, 1}, rand.New(rand.NewPCG(1, 1)), AsNumPyro())
		c, _ := NewAt(name, []float64{-3, 0, 1}, rand.New(rand.NewPCG(1, 1)))
		if !slices.Equal(a.Params(), b.Params()) {
			t.Errorf("%s: NumPyro's start depends on the location", name)
		}
		if slices.Equal(b.Params(), c.Params()) {
			t.Errorf("%s: NumPyro's start is gostan's", name)
		}
	}
	if _, err := NewAt("iaf", []float64{1}, rand.New(rand.NewPCG(1, 1)), AsNumPyro()); err == nil {
		t.Error("NumPyro's IAF on one dimension: no error (AutoIAFNormal refuses it)")
	}
}

// median is the median of x (the mean of the middle two for an even
// count); x is reordered.
func median(x []float64) float64 {
	slices.Sort(x)
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	return (x[n/2-1] + x[n/2]) / 2
}
