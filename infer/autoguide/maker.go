package autoguide

import (
	"math/rand/v2"

	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// maker builds the named autoguide with its options when svi.SVI.Fit has
// bound the data.
type maker struct {
	name string
	opts []Option
}

func (k maker) NewGuide(m model.Model, rng *rand.Rand) (svi.Guide, error) {
	return New(k.name, m, rng, k.opts...)
}

// The autoguides under NumPyro's names, for svi.New, with NumPyro's
// keyword arguments as Options (InitLoc, InitScale, Rank, NumFlows,
// HiddenDims): each is built on the model's unconstrained space once
// SVI's Fit has bound the data.
func AutoNormal(opts ...Option) svi.GuideMaker             { return maker{"normal", opts} }
func AutoDiagonalNormal(opts ...Option) svi.GuideMaker     { return maker{"diagonal", opts} }
func AutoMultivariateNormal(opts ...Option) svi.GuideMaker { return maker{"mvn", opts} }
func AutoLowRankMultivariateNormal(opts ...Option) svi.GuideMaker {
	return maker{"lowrank", opts}
}
func AutoLaplaceApproximation(opts ...Option) svi.GuideMaker { return maker{"laplace", opts} }
func AutoDelta(opts ...Option) svi.GuideMaker                { return maker{"delta", opts} }
func AutoIAFNormal(opts ...Option) svi.GuideMaker            { return maker{"iaf", opts} }
func AutoBNAFNormal(opts ...Option) svi.GuideMaker           { return maker{"bnaf", opts} }
