package stancsv_test

import (
	"bytes"
	"fmt"
	"os"

	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/stancsv"
)

// Write a small Stan CSV file as CmdStan does (comment lines, the header,
// one row a draw) and read it back.
func ExampleRead() {
	var buf bytes.Buffer
	w := stancsv.NewWriter(&buf, 6)
	w.Comment("method = sample")
	w.Columns(stancsv.ColumnNames([]string{"lp__", "theta[1]", "theta[2]"}))
	w.Row([]float64{-7.25, 0.125, 1.0 / 3})
	w.Row([]float64{-6.5, 0.25, 2})
	if err := w.Flush(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(buf.String())
	f, err := stancsv.Read(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Config, f.Columns, f.Draws[1][f.Column("theta.2")])
	// Output:
	// # method = sample
	// lp__,theta.1,theta.2
	// -7.25,0.125,0.333333
	// -6.5,0.25,2
	// [method = sample] [lp__ theta.1 theta.2] 2
}

// Write a method's draws (every method's result has a Set) as a Stan CSV
// file, as gostan's commands do.
func ExampleWriteSet() {
	set := &draws.Set{
		Columns:  []string{"lp__", "theta[1]", "theta[2]"},
		Chains:   [][][]float64{{{-7.25, 0.125, 1.0 / 3}}},
		Config:   []string{"method = optimize", "  optimize", "    algorithm = lbfgs"},
		Seed:     4,
		Comments: []string{"Interrupted after 3 of 2000 iterations."},
	}
	err := stancsv.WriteSet(os.Stdout, set, stancsv.Run{Model: "models/theta.stan", Data: "theta.json", Init: "2", Output: "out.csv"})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// # stan_version_major = 2
	// # stan_version_minor = 21
	// # stan_version_patch = 0
	// # gostan = 0.1
	// # model = theta
	// # method = optimize
	// #   optimize
	// #     algorithm = lbfgs
	// # data
	// #   file = theta.json
	// # init = 2
	// # random
	// #   seed = 4
	// # output
	// #   file = out.csv
	// #   refresh = 0
	// #   sig_figs = 6
	// # stanc_version = gostan 0.1
	// lp__,theta.1,theta.2
	// # Interrupted after 3 of 2000 iterations.
	// -7.25,0.125,0.333333
}
