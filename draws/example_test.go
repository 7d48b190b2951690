package draws_test

import (
	"fmt"

	"github.com/gostan/gostan/draws"
)

// Read a set of draws by column and by variable, and summarise it. Every
// method's result gives one (nuts.Fit.Set, optimize.Result.Set, ...).
func ExampleSet() {
	set := &draws.Set{
		Columns: []string{"lp__", "theta[1]", "theta[2]"},
		Chains: [][][]float64{
			{{-1.5, 0.1, 2.0}, {-1.2, 0.3, 2.2}},
			{{-1.1, 0.2, 1.9}, {-1.4, 0.4, 2.1}},
		},
	}
	fmt.Println(set.Draws("theta[2]")) // chain by chain
	cols, rows := set.Variable("theta")
	fmt.Println(cols, rows[3])
	for _, s := range set.Summary().Params {
		fmt.Printf("%s: mean %.2f\n", s.Name, s.Mean)
	}
	// Output:
	// [[2 2.2] [1.9 2.1]]
	// [theta[1] theta[2]] [0.4 2.1]
	// theta[1]: mean 0.25
	// theta[2]: mean 2.05
}
