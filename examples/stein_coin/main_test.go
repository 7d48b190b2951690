package main

import (
	"math"
	"testing"
)

// TestCoin: the mixture's mean and sd within 0.02 of Beta(16, 14)'s.
func TestCoin(t *testing.T) {
	mean, sd, err := fit(3, 10000)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(mean-16.0/30) > 0.02 || math.Abs(sd-math.Sqrt(16*14/(30*30*31.0))) > 0.02 {
		t.Errorf("mean %v sd %v, exact 0.533 and 0.090", mean, sd)
	}
}
