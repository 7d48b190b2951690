package autoguide

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/gostan/gostan/model"
)

// Option is one of NumPyro's autoguide keyword arguments (init_loc_fn,
// init_scale, rank, num_flows, hidden_dims or hidden_factors), given to
// the Auto* makers, New, NewAt or Settings.Options. An option the guide
// does not take is an error when the guide is built, as an unknown
// keyword argument is in Python.
type Option func(*options)

// options are the options given; zero values are NumPyro's defaults.
type options struct {
	init    InitStrategy
	scale   float64
	rank    int
	flows   int
	hidden  []int
	numpyro bool
	keys    *numpyroKeys
	given   map[string]bool
}

func (o *options) mark(name string) {
	if o.given == nil {
		o.given = map[string]bool{}
	}
	o.given[name] = true
}

// InitLoc is init_loc_fn: the strategy that picks the guide's starting
// location (InitToUniform(2) when not given). A flow starts centred there
// unless AsNumPyro is given.
func InitLoc(s InitStrategy) Option {
	return func(o *options) { o.init = s; o.mark("init_loc_fn") }
}

// InitScale is init_scale: the Gaussian guides' initial scale in every
// coordinate (0.1 when not given), and the slope of gostan's flows at the
// base's origin.
func InitScale(s float64) Option {
	return func(o *options) { o.scale = s; o.mark("init_scale") }
}

// Rank is LowRankMultivariateNormal's rank (round(√D) when not given).
func Rank(r int) Option {
	return func(o *options) { o.rank = r; o.mark("rank") }
}

// NumFlows is the flows' num_flows: how many transforms IAFNormal (3
// when not given) and BNAFNormal (1) compose, the coordinates reversed
// between them.
func NumFlows(k int) Option {
	return func(o *options) { o.flows = k; o.mark("num_flows") }
}

// HiddenDims are IAFNormal's hidden_dims (the width of each hidden layer
// of its MADE networks, at least D; [D, D] when not given) or
// BNAFNormal's hidden_factors (the hidden units per coordinate of each
// hidden layer; [8, 8] when not given).
func HiddenDims(h ...int) Option {
	return func(o *options) { o.hidden = slices.Clone(h); o.mark("hidden_dims") }
}

// AsNumPyro builds the guide as NumPyro 0.7 does where gostan departs from
// it, for the seed study's replay: the Gaussian guides' scales through exp
// (constraints.positive, where gostan uses softplus), LowRank's factor
// scaled by the scales and its gradient Trace_ELBO's; IAFNormal and
// BNAFNormal start from NumPyro's random initialisation of their networks
// on the standard normal base, ignoring the initial location and scale
// (NumPyro's flows never read init_loc_fn's point); Delta is the MAP of
// the density on the constrained scale, without the Jacobian, as NumPyro's
// AutoDelta ("MAP inference in constrained space").
func AsNumPyro() Option {
	return func(o *options) { o.numpyro = true; o.mark("numpyro") }
}

// takes lists the options each guide accepts besides init_loc_fn and
// numpyro, which all take.
var takes = map[string][]string{
	"normal": {"init_scale", "numpyro_keys"}, "diagonal": {"init_scale", "numpyro_keys"}, "mvn": {"init_scale", "numpyro_keys"},
	"lowrank": {"init_scale", "rank", "numpyro_keys"}, "delta": {"numpyro_keys"}, "laplace": {"numpyro_keys"},
	"iaf": {"init_scale", "num_flows", "hidden_dims"}, "bnaf": {"init_scale", "num_flows", "hidden_dims"},
}

// resolve applies opts for the guide name and checks them.
func resolve(name string, opts []Option) (options, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	ok, known := takes[name]
	if !known {
		return o, fmt.Errorf("unknown autoguide %q: use one of %v", name, Names)
	}
	var bad []string
	for k := range o.given {
		if k != "init_loc_fn" && k != "numpyro" && !slices.Contains(ok, k) {
			bad = append(bad, k)
		}
	}
	sort.Strings(bad)
	switch {
	case len(bad) > 0:
		return o, fmt.Errorf("autoguide %q does not take %v", name, bad)
	case o.given["init_scale"] && !(o.scale > 0 && !math.IsInf(o.scale, 1)):
		return o, fmt.Errorf("init_scale must be a finite number above 0, not %v", o.scale)
	case o.given["rank"] && o.rank < 1:
		return o, fmt.Errorf("rank must be at least 1, not %d", o.rank)
	case o.given["num_flows"] && o.flows < 1:
		return o, fmt.Errorf("num_flows must be at least 1, not %d", o.flows)
	case o.given["hidden_dims"] && len(o.hidden) == 0:
		return o, fmt.Errorf("hidden_dims needs at least one layer")
	}
	for _, h := range o.hidden {
		if h < 1 {
			return o, fmt.Errorf("hidden_dims must be at least 1, not %v", o.hidden)
		}
	}
	if o.scale == 0 {
		o.scale = initScale
	}
	if o.init == nil {
		o.init = InitToUniform(2)
		if o.keys != nil {
			// NumPyro's defaults: AutoDelta's init_to_median, the
			// others' init_to_uniform.
			o.init = o.keys.initToUniform(2)
			if name == "delta" {
				o.init = o.keys.initToMedian(15)
			}
		}
	}
	return o, nil
}

// InitStrategy is init_loc_fn: it picks a starting point on the model's
// unconstrained scale where the log density is finite.
type InitStrategy func(m model.Model, rng *rand.Rand) ([]float64, error)

// initTries is how many points a random strategy draws before it gives
// up, as NumPyro's find_valid_initial_params.
const initTries = 100

// InitToUniform is init_to_uniform(radius): each coordinate uniform in
// (-radius, radius) on the unconstrained scale, as Stan and NumPyro
// initialise (radius 2).
func InitToUniform(radius float64) InitStrategy {
	return func(m model.Model, rng *rand.Rand) ([]float64, error) {
		z := make([]float64, m.Dim())
		for range initTries {
			for i := range z {
				z[i] = radius * (2*rng.Float64() - 1)
			}
			if finiteAt(m, z) {
				return z, nil
			}
		}
		return nil, fmt.Errorf("initialization between (-%g, %g) failed after %d attempts", radius, radius, initTries)
	}
}

// InitToFeasible is init_to_feasible: the origin of the unconstrained
// scale (init_to_uniform with radius 0).
func InitToFeasible() InitStrategy {
	return func(m model.Model, _ *rand.Rand) ([]float64, error) {
		z := make([]float64, m.Dim())
		if !finiteAt(m, z) {
			return nil, fmt.Errorf("init_to_feasible: the log density is not finite at the origin of the unconstrained scale")
		}
		return z, nil
	}
}

// InitToValue is init_to_value: the given point, on the unconstrained
// scale (compile.Model.Unconstrain maps an init file's values there).
func InitToValue(z []float64) InitStrategy {
	z = slices.Clone(z)
	return func(m model.Model, _ *rand.Rand) ([]float64, error) {
		if len(z) != m.Dim() {
			return nil, fmt.Errorf("init_to_value: %d values for %d unconstrained parameters", len(z), m.Dim())
		}
		if _, err := m.LogDensity(z, nil); err != nil {
			return nil, fmt.Errorf("init_to_value: %w", err)
		}
		return slices.Clone(z), nil
	}
}

// PriorInitializer is a model whose parameters have proper priors it can
// initialise from, site by site (compile.Model, when its program has a
// generative view): the median of samples draws of each site given the
// sites before it, or with samples 0 each site's mean.
type PriorInitializer interface {
	InitPrior(rng *rand.Rand, z []float64, samples int) error
}

// InitToMedian is init_to_median(num_samples): each prior site, in the
// model's order, at the median of num_samples draws from its prior given
// the sites before it, as NumPyro initialises site by site. A model
// without a proper prior falls back to init_to_uniform(2), as NumPyro
// does for a prior it cannot draw from.
func InitToMedian(numSamples int) InitStrategy {
	if numSamples < 1 {
		return InitToUniform(2)
	}
	return initFromPrior("init_to_median", numSamples)
}

// InitToNormalMedian is NumPyro's init_to_median(num_samples) on a
// program compiled by the seed study's runtime (stan2numpyro), which
// declares each parameter without a prior as a site drawn Normal(0, 1) on
// the unconstrained scale and mapped through its constraint: each
// coordinate is the median of numSamples standard normal draws. It is
// exact for elementwise constraints, where the median commutes with the
// monotone map (every PosteriorDB posterior of the study but the
// positive_ordered one).
func InitToNormalMedian(numSamples int) InitStrategy {
	return func(m model.Model, rng *rand.Rand) ([]float64, error) {
		z, draws := make([]float64, m.Dim()), make([]float64, numSamples)
		for range initTries {
			for i := range z {
				for k := range draws {
					draws[k] = rng.NormFloat64()
				}
				slices.Sort(draws)
				z[i] = (draws[(numSamples-1)/2] + draws[numSamples/2]) / 2
			}
			if finiteAt(m, z) {
				return z, nil
			}
		}
		return nil, fmt.Errorf("init_to_median: the log density is not finite at the medians of %d normal draws after %d attempts", numSamples, initTries)
	}
}

// InitToMean is init_to_mean: each prior site at its family's mean given
// the sites before it, or, where the mean does not exist (a Cauchy), at
// the median of 15 draws; without a proper prior, init_to_uniform(2).
func InitToMean() InitStrategy { return initFromPrior("init_to_mean", 0) }

func initFromPrior(name string, samples int) InitStrategy {
	return func(m model.Model, rng *rand.Rand) ([]float64, error) {
		p, ok := m.(PriorInitializer)
		if !ok {
			return InitToUniform(2)(m, rng)
		}
		z := make([]float64, m.Dim())
		for range initTries {
			if err := p.InitPrior(rng, z, samples); err != nil {
				return InitToUniform(2)(m, rng)
			}
			if finiteAt(m, z) {
				return z, nil
			}
		}
		return nil, fmt.Errorf("%s: the log density is not finite at the point it found after %d attempts", name, initTries)
	}
}

func finiteAt(m model.Model, z []float64) bool {
	v, err := m.LogDensity(z, nil)
	return err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
}
