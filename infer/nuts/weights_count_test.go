//go:build nutscount

package nuts

import (
	"fmt"
	"math"
	"testing"
)

// BenchmarkWeightsFloor runs the chains of BenchmarkSamplerPerLeapfrog
// (1000/1000, seed 1, a standard normal, d = 3 and 10), recording the
// multinomial sampling's exp and log calls, then replays exactly those
// calls in order and reports them per gradient: their counts, and their
// nanoseconds when each call is independent of the last (the
// throughput bound: `free`) and when each waits for the last one's result
// (the latency bound: `chained`). That is the part of the sampler's floor
// that Stan's algorithm itself requires. It needs the counting build:
//
//	go test -tags nutscount ./infer/nuts -run XXX -bench WeightsFloor
func BenchmarkWeightsFloor(b *testing.B) {
	for _, d := range []int{3, 10} {
		cov := make([][]float64, d)
		for i := range cov {
			cov[i] = make([]float64, d)
			cov[i][i] = 1
		}
		cfg := DefaultConfig()
		cfg.Seed = 1
		var calls []weightCall
		weightCalls = &calls
		ch, err := Sample(newGaussian(cov), cfg, nil)
		weightCalls = nil
		if err != nil {
			b.Fatal(err)
		}
		logs := 0
		for _, c := range calls {
			if c.log {
				logs++
			}
		}
		grads := float64(ch.Gradients)
		for _, chained := range []bool{false, true} {
			name := fmt.Sprintf("d=%d/free", d)
			if chained {
				name = fmt.Sprintf("d=%d/chained", d)
			}
			b.Run(name, func(b *testing.B) {
				var sum, last float64
				for b.Loop() {
					for _, c := range calls {
						x := c.x
						if chained {
							// An integer mask that is zero: the argument's
							// bits are kept, but wait for the last result.
							x = math.Float64frombits(math.Float64bits(x) | math.Float64bits(last)&zeroMask)
						}
						if c.log {
							last = math.Log(x)
						} else {
							last = math.Exp(x)
						}
						sum += last
					}
				}
				b.ReportMetric(float64(b.Elapsed())/float64(b.N)/grads, "ns/grad")
				b.ReportMetric(float64(len(calls)-logs)/grads, "exp/grad")
				b.ReportMetric(float64(logs)/grads, "log/grad")
				sink = sum
			})
		}
	}
}

var zeroMask uint64

var sink float64
