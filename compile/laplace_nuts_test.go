package compile

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/model"
)

// TestLaplacePoissonGPSamples runs NUTS on examples/laplace_poisson_gp.stan,
// whose latent GP the embedded Laplace approximation marginalises, and on
// the same model with the latent GP sampled (laplace_poisson_gp_full.stan):
// every lp__ and latent draw is finite, and the hyperparameters' posterior
// means agree within 4 combined Monte Carlo standard errors plus 0.03 for
// the approximation (with 15 to 60 counts per point the conditional
// posterior of the GP is close to Gaussian: 4000 draws of each program
// differ by 0.01 and 0.02 in these means, within their Monte Carlo error).
func TestLaplacePoissonGPSamples(t *testing.T) {
	skipNUTSRuns(t)
	data, err := model.ReadDataFile(filepath.Join("..", "examples", "laplace_poisson_gp.data.json"))
	if err != nil {
		t.Fatal(err)
	}
	run := func(file string) (map[string][][]float64, []nuts.Chain) {
		p, err := File(filepath.Join("..", "examples", file))
		if err != nil {
			t.Fatal(err)
		}
		m, err := p.NewModel(data, 1)
		if err != nil {
			t.Fatal(err)
		}
		cols := map[string][][]float64{}
		var chains []nuts.Chain
		for c := range 2 {
			cfg := nuts.DefaultConfig()
			cfg.Seed, cfg.Chain = 20, c+1
			cfg.Warmup, cfg.Samples = 500, 500
			ch, err := nuts.Sample(m, cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			chains = append(chains, *ch)
			for i, name := range m.Names() {
				col := make([]float64, len(ch.Draws))
				for k, d := range ch.Draws {
					col[k] = d[i]
				}
				cols[name] = append(cols[name], col)
			}
		}
		return cols, chains
	}
	lap, lapChains := run("laplace_poisson_gp.stan")
	full, _ := run("laplace_poisson_gp_full.stan")
	for _, ch := range lapChains {
		for k, s := range ch.Stats {
			if math.IsNaN(s.LP) || math.IsInf(s.LP, 0) {
				t.Fatalf("draw %d: lp__ = %v", k, s.LP)
			}
			for _, v := range ch.Draws[k] {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("draw %d: an output is %v", k, v)
				}
			}
		}
	}
	for _, name := range []string{"alpha", "rho"} {
		ugAgree(t, "posterior mean of "+name+", Laplace against the full model", lap[name], full[name], 4, 0.03)
	}
}
