package autoguide

import (
	"math/rand/v2"

	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// maker builds the named autoguide when svi.SVI.Fit has bound the data.
type maker string

func (n maker) NewGuide(m model.Model, rng *rand.Rand) (svi.Guide, error) {
	return New(string(n), m, rng)
}

// The autoguides under NumPyro's names, for svi.New: each is built on the
// model's unconstrained space once SVI's Fit has bound the data.
func AutoNormal() svi.GuideMaker                    { return maker("normal") }
func AutoDiagonalNormal() svi.GuideMaker            { return maker("diagonal") }
func AutoMultivariateNormal() svi.GuideMaker        { return maker("mvn") }
func AutoLowRankMultivariateNormal() svi.GuideMaker { return maker("lowrank") }
func AutoLaplaceApproximation() svi.GuideMaker      { return maker("laplace") }
func AutoDelta() svi.GuideMaker                     { return maker("delta") }
func AutoIAFNormal() svi.GuideMaker                 { return maker("iaf") }
func AutoBNAFNormal() svi.GuideMaker                { return maker("bnaf") }
