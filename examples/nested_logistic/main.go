// Command nested_logistic is the nested-sampling seed's example as a Go
// model: a logistic regression on 2000 rows of three standard normal
// covariates whose labels have logits x · (1, 2, 3) and no intercept,
// fitted with coefs ~ normal(0, 1) and intercept ~ normal(0, 10). It
// prints the posterior table and the evidence log Z.
//
//	go run ./examples/nested_logistic
//
// With -write-data FILE it writes the data as Stan JSON instead, as
// examples/nested_logistic.data.json was made for the same model in Stan
// (examples/nested_logistic.stan).
package main

import (
	"encoding/json"
	"flag"
	"log"
	"math"
	"math/rand/v2"
	"os"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/contrib/nested"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/ppl"
)

func main() {
	writeData := flag.String("write-data", "", "write the data as Stan JSON to this file and stop")
	flag.Parse()
	x, labels := seedData()
	if *writeData != "" {
		if err := writeJSON(*writeData, x, labels); err != nil {
			log.Fatal(err)
		}
		return
	}
	prog := ppl.Program(func(model.Data) ppl.Model { return logistic(x, labels) })
	ns := nested.New(prog, nested.Config{})
	if err := ns.Run(2, nil); err != nil {
		log.Fatal(err)
	}
	ns.PrintSummary(os.Stdout)
}

// seedData draws the data as the seed document does: 2000 rows of three
// standard normal covariates (stored column-major) and Bernoulli labels
// with logits x · (1, 2, 3).
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

// logistic is the seed's model: coefs ~ normal(0, 1) in a plate of three,
// intercept ~ normal(0, 10), y ~ bernoulli_logit(x · coefs + intercept).
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

// writeJSON writes the data for examples/nested_logistic.stan.
func writeJSON(path string, x ad.DataMatrix, labels []float64) error {
	rows := make([][]float64, x.Rows)
	for i := range rows {
		rows[i] = make([]float64, x.Cols)
		for j := range rows[i] {
			rows[i][j] = x.Data[i+j*x.Rows]
		}
	}
	y := make([]int, len(labels))
	for i, l := range labels {
		y[i] = int(l)
	}
	b, err := json.Marshal(map[string]any{"N": x.Rows, "x": rows, "y": y})
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
