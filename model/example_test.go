package model_test

import (
	"fmt"
	"strings"

	"github.com/gostan/gostan/model"
)

// Read Stan JSON data: arrays nest outermost first and are stored flat,
// the last index varying fastest; CmdStan's spellings of the non-finite
// values are accepted.
func ExampleReadData() {
	d, err := model.ReadData(strings.NewReader(`{"N": 2, "x": [[1, 2.5], [3, "inf"]], "s": NaN}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range d.Names() {
		v := d[name]
		fmt.Println(name, v.Dims, v.Elems, v.Int)
	}
	// Output:
	// N [] [2] true
	// s [] [NaN] false
	// x [2 2] [1 2.5 3 +Inf] false
}
