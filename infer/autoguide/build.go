package autoguide

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// Names are the autoguides New builds, as the command line spells them.
var Names = []string{"normal", "diagonal", "mvn", "lowrank", "delta", "laplace", "iaf", "bnaf"}

// New builds the named autoguide for m with NumPyro's options opts, at
// the point their init_loc_fn strategy picks (InitToUniform(2) when none).
func New(name string, m model.Model, rng *rand.Rand, opts ...Option) (svi.Guide, error) {
	o, err := resolve(name, opts)
	if err != nil {
		return nil, err
	}
	loc, err := o.init(m, rng)
	if err != nil {
		return nil, err
	}
	return build(name, m, loc, rng, o)
}

// Init returns a starting point where the log density is finite: uniform
// in (-2, 2) on the unconstrained scale, as Stan initialises, with up to
// 100 tries (InitToUniform(2), NumPyro's default init_loc_fn).
func Init(m model.Model, rng *rand.Rand) ([]float64, error) { return InitToUniform(2)(m, rng) }

// NewAt builds the named autoguide centred at loc, with NumPyro's options
// opts (their init_loc_fn is not used). AsNumPyro's Delta needs the
// model: build it with New.
func NewAt(name string, loc []float64, rng *rand.Rand, opts ...Option) (svi.Guide, error) {
	o, err := resolve(name, opts)
	if err != nil {
		return nil, err
	}
	return build(name, nil, loc, rng, o)
}

// jacobianModel is a model whose log density can leave out the
// log-Jacobian of its constraining transforms (compile.Model).
type jacobianModel interface {
	LogDensityJacobian(theta, grad []float64, jacobian bool) (float64, error)
}

// build builds the guide name at loc with the resolved options o; m, when
// not nil, is the model (AsNumPyro's Delta needs it).
func build(name string, m model.Model, loc []float64, rng *rand.Rand, o options) (svi.Guide, error) {
	keys := o.keys.clone()
	var latent *numpyroLatent
	if keys != nil && m != nil {
		// NumPyro's parameterisation (numpyroLatent): AutoNormal draws at
		// each parameter's site, in the model's order; the other guides see
		// one latent vector, the parameters sorted by name; AutoDelta moves
		// the constrained values, so the map's Jacobian stays out of its
		// density.
		if name == "normal" {
			keys.sites = sitesOf(m)
		}
		if latent = newNumPyroLatent(m, name != "normal" && name != "delta"); latent != nil {
			u := make([]float64, len(loc))
			latent.fromModel(loc, u)
			loc = u
		}
	}
	g, err := buildAt(name, m, loc, rng, o, keys, latent)
	if err != nil || latent == nil {
		return g, err
	}
	return newOnLatent(g.(gaussianGuide), latent, name != "delta"), nil
}

// buildAt builds the guide name at loc, drawing from keys when they are
// not nil, on NumPyro's latent u when latent is not nil.
func buildAt(name string, m model.Model, loc []float64, rng *rand.Rand, o options, keys *numpyroKeys, latent *numpyroLatent) (svi.Guide, error) {
	fc := flowConfig{flows: o.flows, hidden: o.hidden, scale: o.scale, numpyro: o.numpyro}
	switch name {
	case "normal", "diagonal":
		return newDiagonalNormal(loc, o.scale, o.numpyro, keys), nil
	case "mvn":
		return newMultivariateNormal(loc, o.scale, o.numpyro, keys), nil
	case "lowrank":
		return newLowRank(loc, o.rank, o.scale, o.numpyro, keys), nil
	case "delta":
		q := NewDelta(loc)
		if o.numpyro {
			jm, ok := m.(jacobianModel)
			if !ok {
				return nil, fmt.Errorf("delta: AsNumPyro needs a model that can leave out its Jacobian (compile.Model), built by New")
			}
			q.lp = func(z, g []float64) (float64, error) {
				v, err := jm.LogDensityJacobian(z, g, false)
				if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
					err = fmt.Errorf("log density is %v", v)
				}
				return v, err
			}
			if latent != nil {
				q.lp = pullBack(latent, len(loc), false).on(q.lp)
			}
		}
		return q, nil
	case "laplace":
		q := NewLaplace(loc)
		if keys != nil {
			keys.direct = true
			q.noise = noise{keys}
		}
		return q, nil
	case "iaf":
		if fc.flows == 0 {
			fc.flows = 3
		}
		f, err := newIAF(loc, rng, fc)
		if err != nil {
			return nil, err
		}
		return &IAFNormal{f}, nil
	case "bnaf":
		if fc.flows == 0 {
			fc.flows = 1
		}
		if o.numpyro && len(loc) == 1 {
			return nil, fmt.Errorf("bnaf: latent dim = 1 (NumPyro's AutoBNAFNormal refuses it: use the diagonal Normal)")
		}
		return &BNAFNormal{newBNAF(loc, rng, fc)}, nil
	}
	return nil, fmt.Errorf("unknown autoguide %q: use one of %v", name, Names)
}

// WarmStart moves loc towards a mode of m: steps of Adam on the log
// density (SVI with a Delta guide), the step size decaying from 0.1 to
// 0.001. A flow whose location parameters move slowly under small steps
// then starts where the posterior is; on failure loc is returned as is.
func WarmStart(m model.Model, loc []float64, rng *rand.Rand, steps int) []float64 {
	q := NewDelta(loc)
	s := &svi.SVI{Model: m, Guide: q, Opt: svi.NewAdam(0.1), Particles: 1, Schedule: svi.ExponentialDecay(0.1, 0.01, steps)}
	if err := s.Run(rng, steps, nil); err != nil {
		return loc
	}
	return q.Params()
}
