package nested_test

import (
	"fmt"
	"os"

	"github.com/gostan/gostan/contrib/nested"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/ppl"
)

// A normal mean with a normal prior: the evidence, the posterior table and
// equally weighted draws. examples/nested_logistic is the seed
// document's logistic regression.
func ExampleSampler() {
	y := ppl.Consts(1.2, 0.4, 2.1, 1.6)
	prog := ppl.Program(func(model.Data) ppl.Model {
		return func(ctx *ppl.Ctx) {
			mu := ctx.Sample("mu", ppl.Normal(ppl.Scalar(0), ppl.Scalar(10)))
			ctx.Sample("y", ppl.Normal(mu, ppl.Scalar(1)), ppl.Obs(y))
		}
	})
	ns := nested.New(prog, nested.Config{LivePoints: 200})
	if err := ns.Run(2, nil); err != nil {
		fmt.Println(err)
		return
	}
	ns.PrintSummary(os.Stdout)
	// 1000 equally weighted draws (0: every point with its weight), as
	// gostan nested writes them with stancsv.WriteSet.
	set := ns.Result().Set(1000, 3)
	fmt.Println(set.Columns, set.Len(), "draws; first draw of mu:", set.Draws("mu")[0][0])
}
