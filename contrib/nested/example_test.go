package nested_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/contrib/nested"
	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/ppl"
)

// seedData draws the seed document's data: 2000 rows of three standard
// normal covariates and Bernoulli labels with logits x · (1, 2, 3), no
// intercept. The covariates are stored column-major.
func seedData() (x ad.DataMatrix, labels []float64) {
	r := rand.New(rand.NewPCG(0, 1))
	const n = 2000
	x = ad.DataMatrix{Rows: n, Cols: 3, Data: make([]float64, 3*n)}
	for i := range x.Data {
		x.Data[i] = r.NormFloat64()
	}
	labels = make([]float64, n)
	for i := range labels {
		logit := x.Data[i] + 2*x.Data[i+n] + 3*x.Data[i+2*n]
		if r.Float64() < 1/(1+math.Exp(-logit)) {
			labels[i] = 1
		}
	}
	return x, labels
}

// logistic is the seed's model: coefs ~ normal(0, 1), intercept ~
// normal(0, 10), y ~ bernoulli_logit(x · coefs + intercept).
func logistic(x ad.DataMatrix, labels []float64) ppl.Model {
	y := ppl.Consts(labels...)
	return func(ctx *ppl.Ctx) {
		var coefs []ad.Var
		ctx.Plate("coef", 3, func() {
			coefs = ctx.Sample("coefs", ppl.Normal(ppl.Scalar(0), ppl.Scalar(1)))
		})
		intercept := ctx.Sample("intercept", ppl.Normal(ppl.Scalar(0), ppl.Scalar(10)))
		eta, err := ctx.T.DataMatVec(x, coefs)
		if err != nil {
			ctx.Fail(err)
			return
		}
		for i := range eta {
			eta[i] = ctx.T.Add(eta[i], intercept[0])
		}
		ctx.Sample("y", ppl.BernoulliLogit(eta), ppl.Obs(y))
	}
}

// The seed document's example: nested sampling of a logistic regression
// with 2000 observations, the evidence, and the posterior means of
// equally weighted draws (TestSeedExample checks them against NUTS).
func ExampleSampler() {
	x, labels := seedData()
	prog := ppl.Program(func(model.Data) ppl.Model { return logistic(x, labels) })
	ns := nested.New(prog, nested.Config{})
	if err := ns.Run(2, nil); err != nil {
		fmt.Println(err)
		return
	}
	ns.PrintSummary(os.Stdout)
	draws := ns.Samples(3, 1000)
	var mean [4]float64
	for _, d := range draws {
		for j := range mean {
			mean[j] += d[j] / float64(len(draws))
		}
	}
	fmt.Println("posterior means of coefs and intercept:", mean)
}

// TestSeedExample: on the seed's data, nested sampling's posterior means
// are within 0.05 of NUTS's.
func TestSeedExample(t *testing.T) {
	x, labels := seedData()
	prog := ppl.Program(func(model.Data) ppl.Model { return logistic(x, labels) })
	ns := nested.New(prog, nested.Config{LivePoints: 200})
	if err := ns.Run(2, nil); err != nil {
		t.Fatal(err)
	}
	draws := ns.Samples(3, 4000)
	m, err := prog.Bind(nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	cfg := nuts.DefaultConfig()
	cfg.Seed = 5
	chains, err := nuts.RunChains(m, cfg, 2, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	ref := append(chains[0].Draws, chains[1].Draws...)
	for j, name := range m.Names() {
		a, b := 0.0, 0.0
		for _, d := range draws {
			a += d[j] / float64(len(draws))
		}
		for _, d := range ref {
			b += d[j] / float64(len(ref))
		}
		t.Logf("%s: nested %.3f, NUTS %.3f", name, a, b)
		if math.Abs(a-b) > 0.05 {
			t.Errorf("%s: nested %.3f, NUTS %.3f", name, a, b)
		}
	}
}
