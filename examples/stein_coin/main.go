// Command stein_coin is the seed's SteinVI example in Go: a coin's
// fairness with a Beta(10, 10) prior, six heads and four tails, fitted by
// a Stein mixture of ten Normal guides on the fairness's logit (ppl puts
// the Beta site on the unconstrained scale), then draws from the mixture.
// The exact posterior is Beta(16, 14): mean 0.533, sd 0.090.
//
//	go run ./examples/stein_coin
package main

import (
	"context"
	"fmt"
	"log"
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/contrib/stein"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/ppl"
)

// flips are the data: 1 for heads.
var flips = []float64{1, 1, 1, 1, 1, 1, 0, 0, 0, 0}

// coin is the seed's model.
func coin(ctx *ppl.Ctx) {
	f := ctx.Sample("latent_fairness", ppl.Beta(ppl.Scalar(10), ppl.Scalar(10)))
	p := make([]ad.Var, len(flips))
	for i := range p {
		p[i] = f[0]
	}
	ctx.Sample("obs", ppl.Bernoulli(p), ppl.Obs(ppl.Consts(flips...)))
}

// fit runs SteinVI and returns the mean and sd of n draws of the
// fairness from the fitted mixture.
func fit(seed uint64, n int) (mean, sd float64, err error) {
	m, err := ppl.NewPosterior(coin, seed)
	if err != nil {
		return 0, 0, err
	}
	cfg := stein.DefaultConfig() // the Normal guide, 10 particles, 10 ELBO draws, the RBF kernel
	cfg.Seed, cfg.Steps = seed, 1500
	cfg.Optimizer = svi.NewAdam(0.01)
	// At repulsion temperature 1 the kernel's repulsion adds to the
	// mixture ELBO's and the mixture comes out too wide (docs/stein.md).
	cfg.RepulsionTemperature = 10
	res, err := stein.Run(context.Background(), m, cfg)
	if err != nil {
		return 0, 0, err
	}
	pred, err := stein.MixtureGuidePredictive(m, res, n, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		return 0, 0, err
	}
	for _, d := range pred.Draws {
		mean += d[0] / float64(n)
	}
	for _, d := range pred.Draws {
		sd += (d[0] - mean) * (d[0] - mean) / float64(n)
	}
	return mean, math.Sqrt(sd), nil
}

func main() {
	mean, sd, err := fit(1, 10000)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("latent_fairness: mean %.3f sd %.3f (exact Beta(16, 14): 0.533, 0.090)\n", mean, sd)
}
