package pathfinder

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/posteriordb"
)

// TestWarmupSaved measures, on the 35 PosteriorDB reference posteriors
// without an ODE, NUTS
// with a short warmup (GOSTAN_PATHFINDER_WARMUP iterations, four chains,
// 1000 draws each, seed 4711) started from four Pathfinder draws against
// the same run from Stan's random initial values: successes (max err
// below 0.3) and gradient evaluations, Pathfinder's log density
// evaluations counted in. It is a measurement, run by hand (docs/variational.md),
// not a check: it only logs.
func TestWarmupSaved(t *testing.T) {
	root := os.Getenv("GOSTAN_POSTERIORDB")
	warmup, _ := strconv.Atoi(os.Getenv("GOSTAN_PATHFINDER_WARMUP"))
	if root == "" || warmup <= 0 {
		t.Skip("GOSTAN_POSTERIORDB or GOSTAN_PATHFINDER_WARMUP is not set")
	}
	db, err := posteriordb.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	names, err := db.Posteriors()
	if err != nil {
		t.Fatal(err)
	}
	var pass [2]int
	var grads [2]int
	var secs [2]float64
	for _, name := range names {
		post, err := db.Posterior(name)
		if err != nil || !db.HasReference(post) || !db.HasData(post.DataName) || name == "hudson_lynx_hare-lotka_volterra" {
			continue // the ODE posterior is outside the comparisons, as in docs/variational.md
		}
		ref, err := db.Reference(post)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := compile.File(db.ModelPath(post.ModelName))
		if err != nil {
			t.Logf("%s: %v", name, err)
			continue
		}
		data, err := db.Data(post.DataName)
		if err != nil {
			t.Fatal(err)
		}
		m, err := prog.NewModel(data, 1)
		if err != nil {
			t.Fatal(err)
		}
		var line [2]string
		for k, fromPathfinder := range []bool{false, true} {
			start := time.Now()
			cfg := nuts.DefaultConfig()
			cfg.Seed, cfg.Warmup = 4711, warmup
			var inits [][]float64
			g := 0
			if fromPathfinder {
				pcfg := DefaultConfig()
				pcfg.Seed = 4711
				res, err := Run(m, pcfg)
				if err != nil {
					line[k] = "pathfinder error"
					continue
				}
				inits = res.Unconstrained
				for _, p := range res.Paths {
					g += p.Evals
				}
			}
			fit, err := nuts.Run(context.Background(), m, nuts.Options{Config: cfg, Chains: 4, Threads: 2,
				Setup: func(c int, cc *nuts.Config) nuts.Hooks {
					if inits != nil {
						cc.Init = inits[c*len(inits)/4]
					}
					return nuts.Hooks{}
				}})
			if err != nil {
				line[k] = "nuts error"
				continue
			}
			draws := map[string][]float64{}
			for _, ch := range fit.Chains {
				g += ch.Gradients
				for _, row := range ch.Draws {
					for j, col := range m.Names() {
						draws[col] = append(draws[col], row[j])
					}
				}
			}
			maxErr, _, err := ref.Score(draws)
			if err != nil {
				t.Fatal(err)
			}
			if maxErr < 0.3 {
				pass[k]++
			}
			grads[k] += g
			secs[k] += time.Since(start).Seconds()
			line[k] = strconv.FormatFloat(maxErr, 'f', 3, 64) + " " + strconv.Itoa(g)
		}
		t.Logf("%-45s random inits: %-16s pathfinder inits: %s", name, line[0], line[1])
	}
	t.Logf("warmup %d: random inits %d successes, %d gradients, %.1f s; pathfinder inits %d successes, %d gradients and evaluations, %.1f s",
		warmup, pass[0], grads[0], secs[0], pass[1], grads[1], secs[1])
}
