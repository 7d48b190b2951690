//go:build !nutscount

package nuts

import "math"

// weightExp and weightLog are the exponentials and logarithms of the
// multinomial sampling's weights and of the acceptance statistic
// (Betancourt 2017, as Stan's base_nuts). A build
// with the nutscount tag can also record them (weights_count.go), so that
// BenchmarkWeightsFloor can time exactly the calls a chain makes; this
// build keeps them plain, inlined, with nothing to test on the way.
func weightExp(x float64) float64 { return math.Exp(x) }
func weightLog(x float64) float64 { return math.Log(x) }
