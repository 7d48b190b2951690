package plots_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/diag/plots"
	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/model"
)

// Sample with NUTS and draw the chains' trace and rank plots straight
// from the fit, as `gostan plot` draws them from the CSV files.
func ExampleWrite() {
	prog, err := compile.Source("mean.stan", []byte(`
data { int N; vector[N] y; }
parameters { real mu; }
model { mu ~ normal(0, 10); y ~ normal(mu, 1); }
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := prog.NewModel(model.Data{
		"N": {Elems: []float64{4}, Int: true},
		"y": {Dims: []int{4}, Elems: []float64{2.9, 3.4, 2.2, 3.6}},
	}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	opts := nuts.DefaultOptions()
	opts.Seed = 1
	fit, err := nuts.Run(context.Background(), m, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	run := fit.Run("mean")
	cols, err := plots.Columns(run, []string{"mu"})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "plots")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	for _, kind := range []plots.Kind{plots.Trace, plots.Rank} {
		path := filepath.Join(dir, string(kind)+".png")
		if err := plots.Write(path, run, kind, cols); err != nil {
			fmt.Println(err)
			return
		}
		st, err := os.Stat(path)
		fmt.Println(filepath.Base(path), err == nil && st.Size() > 0)
	}
	// Output:
	// trace.png true
	// rank.png true
}
