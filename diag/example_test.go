package diag_test

import (
	"fmt"
	"math"

	"github.com/gostan/gostan/diag"
)

// The rank-normalised split R-hat of two chains: near 1 for chains that
// mix, far above 1.01 for chains stuck apart.
func ExampleRhat() {
	mixed := [][]float64{make([]float64, 1000), make([]float64, 1000)}
	apart := [][]float64{make([]float64, 1000), make([]float64, 1000)}
	for c := range mixed {
		for i := range mixed[c] {
			x := math.Sin(float64(i * (c + 3))) // deterministic, weakly correlated
			mixed[c][i] = x
			apart[c][i] = x + 5*float64(c)
		}
	}
	fmt.Printf("mixed: R-hat %.2f\n", diag.Rhat(mixed))
	fmt.Printf("apart: R-hat %.2f\n", diag.Rhat(apart))
	// Output:
	// mixed: R-hat 1.00
	// apart: R-hat 1.83
}
