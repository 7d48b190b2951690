package svi_test

import (
	"context"
	"fmt"
	"log"
	"math"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// The seed study's example (its Figure 2: 100000 steps of Adam(0.0005), 10000 draws): a block neural autoregressive flow fitted to
// the multimodal model finds both of theta's modes, at 0 and 20, with
// their equal weights.
func Example() {
	prog, err := compile.File("../../examples/multimodal.stan")
	if err != nil {
		log.Fatal(err)
	}
	m, err := prog.NewModel(model.Data{}, 0)
	if err != nil {
		log.Fatal(err)
	}
	guide := autoguide.AutoBNAFNormal()
	s := svi.New(svi.NewAdam(0.0005), svi.TraceELBO{}, guide)
	res, err := s.FitModel(context.Background(), 0, m, 100000, 10000, nil)
	if err != nil {
		log.Fatal(err)
	}
	// res.Set().Summary().WriteText(os.Stdout, 2) prints Stan's summary
	// table; here, each mode's weight and mean, rounded.
	theta := res.Set().Draws("theta")[0]
	var n [2]int
	var mean [2]float64
	for _, x := range theta {
		k := 0
		if x > 10 {
			k = 1
		}
		n[k]++
		mean[k] += x
	}
	for k := range 2 {
		fmt.Printf("mode %2d: weight %.1f\n", int(math.Round(mean[k]/float64(n[k]))), float64(n[k])/float64(len(theta)))
	}
	// Output:
	// mode  0: weight 0.5
	// mode 20: weight 0.5
}
