// Command nested_mixture fits a two-component mixture whose labels are
// enumerated discrete sites: each observation y[i] comes from normal(-1, 1)
// or normal(3, 1) as its label z[i] says, the labels are Bernoulli(w) and
// the weight w ~ beta(2, 2). Nested sampling sums every label out exactly,
// one observation at a time, so log Z is the mixture's evidence; the draws
// of z[i] give each observation's posterior probability of the second
// component.
//
//	go run ./examples/nested_mixture
package main

import (
	"fmt"
	"log"
	"os"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/contrib/nested"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/ppl"
)

// ys is the data; means are the components' locations.
var (
	ys    = []float64{-1.4, -0.2, 2.6, 3.9, -1.1, 2.2, 3.4, 0.9}
	means = [2]float64{-1, 3}
)

func main() {
	ns := nested.New(ppl.Program(mixture), nested.Config{LivePoints: 400})
	if err := ns.Run(1, nil); err != nil {
		log.Fatal(err)
	}
	ns.PrintSummary(os.Stdout)
	for i, p := range secondComponent(ns, 2000) {
		fmt.Printf("P(z[%d] = 1 | y) = %.3f\n", i+1, p)
	}
}

// mixture is the model; the data are ys whatever the argument.
func mixture(model.Data) ppl.Model {
	y := ppl.Consts(ys...)
	return func(ctx *ppl.Ctx) {
		w := ctx.Sample("w", ppl.Beta(ppl.Scalar(2), ppl.Scalar(2)))
		ctx.Plate("data", len(ys), func() {
			z := ctx.Sample("z", ppl.Bernoulli(w), ppl.Enumerate())
			loc := make([]ad.Var, len(z))
			for i, zi := range z {
				loc[i] = ad.Const(means[int(zi.Val)])
			}
			ctx.Sample("y", ppl.Normal(loc, ppl.Scalar(1)), ppl.Obs(y))
		})
	}
}

// secondComponent is the share of n equally weighted draws with z[i] = 1,
// for each observation.
func secondComponent(ns *nested.Sampler, n int) []float64 {
	first := -1
	for j, name := range ns.Result().Names {
		if name == "z[1]" {
			first = j
		}
	}
	ones := make([]float64, len(ys))
	for _, d := range ns.Samples(2, n) {
		for i := range ones {
			ones[i] += d[first+i] / float64(n)
		}
	}
	return ones
}
