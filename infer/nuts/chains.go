package nuts

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/gostan/gostan/model"
)

// RunChains runs chains chains of NUTS, numbered cfg.Chain, cfg.Chain+1,
// ..., at most threads at a time, each on its own clone of m. A chain's
// draws depend only on the seed and its number, never on the parallelism.
// progress, if not nil, is called from the chains' goroutines.
func RunChains(m model.Model, cfg Config, chains, threads int, progress func(chain, iter int)) ([]*Chain, error) {
	return RunChainsContext(context.Background(), m, cfg, chains, threads, func(c int, _ *Config) Hooks {
		if progress == nil {
			return Hooks{}
		}
		return Hooks{Progress: func(iter int) { progress(c, iter) }}
	})
}

// RunChainsContext is RunChains with a context and a setup per chain:
// setup (if not nil) is given each chain's number, counting from 0, and
// its configuration, which it may adjust (its initial point, say), and
// returns the chain's hooks. When ctx is cancelled every chain
// stops after its current iteration and RunChainsContext returns what the
// chains made, each marked Interrupted (a chain not yet started has no
// draws), with ctx's error.
func RunChainsContext(ctx context.Context, m model.Model, cfg Config, chains, threads int, setup func(chain int, cfg *Config) Hooks) ([]*Chain, error) {
	if chains < 1 {
		return nil, fmt.Errorf("nuts: need at least one chain, got %d", chains)
	}
	threads = max(1, min(threads, chains))
	out := make([]*Chain, chains)
	errs := make([]error, chains)
	next := make(chan int)
	var wg sync.WaitGroup
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				cc := cfg
				cc.Chain = cfg.Chain + c
				var h Hooks
				if setup != nil {
					h = setup(c, &cc)
				}
				out[c], errs[c] = SampleContext(ctx, m.Clone(), cc, h)
			}
		}()
	}
	for c := range chains {
		next <- c
	}
	close(next)
	wg.Wait()
	for c, err := range errs {
		if err != nil && !errors.Is(err, ctx.Err()) {
			return nil, fmt.Errorf("chain %d: %w", cfg.Chain+c, err)
		}
	}
	return out, ctx.Err()
}
