package stein

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/ppl"
)

// TestEnumeratedSite: a ppl model with an enumerated discrete site, the
// label z of y ~ normal(mu + 3z, 1), mu ~ normal(0, 2), P(z = 1) = 0.3,
// is summed over z by the model, so SVGD's particles sit in the two
// modes of mu's posterior, near the closed-form means given z = 0 and
// z = 1, and the draws of z (drawn given mu by Write) say which: z = 0 in
// the mode of z = 0 and 1 in the other. The share of the particles in
// each mode is not checked: it depends on where they start (over seeds
// 1 to 5, 61% to 100% of the draws were near z = 1's mode, whose exact
// posterior probability is 0.587).
func TestEnumeratedSite(t *testing.T) {
	ys := []float64{2.6, 3.9, 2.2, 3.4, 4.1, 2.8}
	mixture := func(ctx *ppl.Ctx) {
		mu := ctx.Sample("mu", ppl.Normal(ppl.Scalar(0), ppl.Scalar(2)))
		z := ctx.Sample("z", ppl.Bernoulli(ppl.Scalar(0.3)), ppl.Enumerate())
		loc := ctx.T.Add(mu[0], ad.Const(3*z[0].Val))
		ctx.Sample("y", ppl.Normal([]ad.Var{loc}, ppl.Scalar(1)), ppl.Obs(ppl.Consts(ys...)))
	}
	// Given z, mu | y is normal with precision 1/4 + n and mean
	// Σ(y - 3z)/(1/4 + n): 3.04 for z = 0, 0.16 for z = 1.
	var means [2]float64
	for z := range 2 {
		for _, y := range ys {
			means[z] += (y - 3*float64(z)) / (0.25 + float64(len(ys)))
		}
	}
	m, err := ppl.NewPosterior(mixture, 1)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Guide, cfg.Steps, cfg.Seed = "delta", 1500, 2
	cfg.Optimizer = svi.NewAdam(0.02)
	res, err := Run(context.Background(), m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	pred, err := MixtureGuidePredictive(m, res, 4000, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for j, name := range pred.Names {
		col[name] = j
	}
	var count, zs [2]float64
	for _, d := range pred.Draws {
		mu, z := d[col["mu"]], d[col["z"]]
		k := 0
		if math.Abs(mu-means[1]) < math.Abs(mu-means[0]) {
			k = 1
		}
		if math.Abs(mu-means[k]) > 1 {
			t.Fatalf("a draw of mu at %v, far from both modes %v", mu, means)
		}
		count[k]++
		zs[k] += z
	}
	if count[0] == 0 || count[1] == 0 {
		t.Fatalf("draws near the modes: %v", count)
	}
	if zs[0]/count[0] > 0.02 || zs[1]/count[1] < 0.98 {
		t.Errorf("share of z = 1 near z = 0's mode %v, near z = 1's mode %v", zs[0]/count[0], zs[1]/count[1])
	}
}
