//go:build nutscount

package nuts

import "math"

// weightCall is one exponential or logarithm of the weights, recorded by
// the counting build.
type weightCall struct {
	log bool
	x   float64
}

// weightCalls, when not nil, receives the calls made. BenchmarkWeightsFloor
// sets it around the one chain it records and clears it after, so that
// the package's tests run in this build as in the default one: no log
// for chains running at once to race on, none for a transition to
// allocate (TestTransitionAllocatesNothing).
var weightCalls *[]weightCall

func weightExp(x float64) float64 {
	if weightCalls != nil {
		*weightCalls = append(*weightCalls, weightCall{false, x})
	}
	return math.Exp(x)
}

func weightLog(x float64) float64 {
	if weightCalls != nil {
		*weightCalls = append(*weightCalls, weightCall{true, x})
	}
	return math.Log(x)
}
