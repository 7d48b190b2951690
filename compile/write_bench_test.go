package compile

import (
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/model"
)

// gqModels are generated quantities as Stan programs commonly write them:
// hmm_drive_0's Viterbi (scalar loops over arrays), a pointwise
// log-likelihood and replicated data.
var gqModels = []struct{ name, src string }{
	{"loglik", `data { int N; vector[N] x; vector[N] y; }
parameters { real mu; real beta; real<lower=0> sigma; }
model { y ~ normal(mu + x * beta, sigma); }
generated quantities {
  vector[N] log_lik;
  for (n in 1:N) log_lik[n] = normal_lpdf(y[n] | mu + x[n] * beta, sigma);
}`},
	{"yrep", `data { int N; vector[N] x; vector[N] y; }
parameters { real mu; real beta; real<lower=0> sigma; }
model { y ~ normal(mu + x * beta, sigma); }
generated quantities {
  array[N] real y_rep;
  for (n in 1:N) y_rep[n] = normal_rng(mu + x[n] * beta, sigma);
}`},
}

// gqData is a regression of N points for gqModels.
func gqData(N int) model.Data {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := make([]float64, N), make([]float64, N)
	for i := range x {
		x[i] = rng.NormFloat64()
		y[i] = 1 + 2*x[i] + rng.NormFloat64()
	}
	return model.Data{"N": {Elems: []float64{float64(N)}, Int: true},
		"x": {Dims: []int{N}, Elems: x}, "y": {Dims: []int{N}, Elems: y}}
}

// BenchmarkWrite is one draw's Write (transforms, transformed parameters
// and generated quantities, all in double precision) of hmm_drive_0 and
// of gqModels at N = 1000, with its allocations.
func BenchmarkWrite(b *testing.B) {
	run := func(b *testing.B, m *Model, x []float64) {
		out := make([]float64, len(m.Names()))
		rng := rand.New(rand.NewPCG(1, 1))
		b.ReportAllocs()
		loopCPU(b, func() {
			if err := m.Write(x, rng, out); err != nil {
				b.Fatal(err)
			}
		})
	}
	b.Run("hmm_drive_0", func(b *testing.B) {
		m, x := loadScalar(b, "hmm_drive_0", "testdata/speed/hmm_drive_0.stan", "testdata/speed/bball_drive_event_0.json")
		run(b, m, x)
	})
	for _, c := range gqModels {
		b.Run(c.name, func(b *testing.B) {
			p, err := Source(c.name+".stan", []byte(c.src))
			if err != nil {
				b.Fatal(err)
			}
			m, err := p.NewModel(gqData(1000), 1)
			if err != nil {
				b.Fatal(err)
			}
			run(b, m, []float64{0.5, 1.5, -0.2})
		})
	}
}
