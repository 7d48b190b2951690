package stancsv_test

import (
	"bytes"
	"fmt"

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
