package nested

import (
	"math"
	"testing"
)

// TestErrorIsHonest runs the 5-D regression with 20 seeds: the spread of
// (estimate − exact) / reported error has a standard deviation between
// 0.6 and 1.6, and the mean error is not biased beyond chance.
func TestErrorIsHonest(t *testing.T) {
	skipLong(t, "twenty runs")
	g := newRegression(10, 5, 0, 2)
	exact := g.exact()
	var zs []float64
	for seed := range 20 {
		r := runModel(t, g.model, Config{LivePoints: 150, Seed: uint64(100 + seed)})
		zs = append(zs, (r.LogZ-exact)/r.LogZErr)
	}
	mean, sd := 0.0, stddev(zs)
	for _, z := range zs {
		mean += z / float64(len(zs))
	}
	t.Logf("z-scores: mean %.2f, sd %.2f: %.2f", mean, sd, zs)
	if sd < 0.6 || sd > 1.6 {
		t.Errorf("the standard deviation of the z-scores is %.2f, want it in [0.6, 1.6]", sd)
	}
	if math.Abs(mean) > 3/math.Sqrt(float64(len(zs))) {
		t.Errorf("the mean z-score is %.2f: log Z is biased", mean)
	}
}
