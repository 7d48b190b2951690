// Command dcc runs Divide, Conquer and Combine on the seed's model with
// stochastic support: a fair coin chooses whether mean ~ normal(0, 1) or
// mean ~ normal(1, 1), then 0.2 is observed from normal(mean, 1). The
// coin's site is marked Branch, so each of its values is a straight-line
// program; DCC weighs the two by their evidences, which the closed form
// gives exactly: 0.537 and 0.463.
//
//	go run ./examples/dcc
package main

import (
	"context"
	"fmt"
	"log"
	"math"
	"os"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/contrib/dcc"
	"github.com/gostan/gostan/ppl"
)

// y is the observation.
const y = 0.2

// model is the seed's: a branch site model1, then a1 or a2 as the mean.
func model(c *ppl.Ctx) {
	b := c.Sample("model1", ppl.Bernoulli(ppl.Scalar(0.5)), ppl.Branch())
	var mean []ad.Var
	if b[0].Val == 0 {
		mean = c.Sample("a1", ppl.Normal(ppl.Scalar(0), ppl.Scalar(1)))
	} else {
		mean = c.Sample("a2", ppl.Normal(ppl.Scalar(1), ppl.Scalar(1)))
	}
	c.Sample("obs", ppl.Normal(mean, ppl.Scalar(1)), ppl.Obs(ppl.Scalar(y)))
}

// run is DCC with NumPyro's defaults and four chains per program.
func run() (*dcc.Result, error) {
	o := dcc.DefaultOptions()
	o.Chains, o.Threads = 4, 2
	o.NUTS.Seed, o.Seed = 1, 1
	return dcc.Run(context.Background(), model, o)
}

// exactWeights are the programs' posterior probabilities: each evidence
// is 0.5·N(y; prior mean, √2), the prior and the noise adding up.
func exactWeights() [2]float64 {
	z0 := math.Exp(-(y - 0) * (y - 0) / 4)
	z1 := math.Exp(-(y - 1) * (y - 1) / 4)
	return [2]float64{z0 / (z0 + z1), z1 / (z0 + z1)}
}

// exactLogZ is the model's log evidence, 0.5 N(y; 0, √2) + 0.5 N(y; 1, √2).
func exactLogZ() float64 {
	return math.Log(0.5 * (math.Exp(-y*y/4) + math.Exp(-(y-1)*(y-1)/4)) / math.Sqrt(4*math.Pi))
}

func main() {
	r, err := run()
	if err != nil {
		log.Fatal(err)
	}
	if err := r.PrintSummary(os.Stdout); err != nil {
		log.Fatal(err)
	}
	w := exactWeights()
	fmt.Printf("\nexact: weights %.4f and %.4f, log Z %.4f, posteriors of the mean N(%.1f, 0.707²) and N(%.1f, 0.707²)\n",
		w[0], w[1], exactLogZ(), y/2, (1+y)/2)
}
