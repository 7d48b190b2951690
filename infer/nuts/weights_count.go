//go:build nutscount

package nuts

import "math"

// weightCall is one exponential or logarithm of the weights, recorded by
// the counting build.
type weightCall struct {
	log bool
	x   float64
}

// weightCalls are the calls made since the counting benchmark cleared it;
// chains running at once would race on it, so only that benchmark runs
// this build.
var weightCalls []weightCall

func weightExp(x float64) float64 {
	weightCalls = append(weightCalls, weightCall{false, x})
	return math.Exp(x)
}

func weightLog(x float64) float64 {
	weightCalls = append(weightCalls, weightCall{true, x})
	return math.Log(x)
}
