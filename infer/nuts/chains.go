package nuts

import (
	"fmt"
	"sync"

	"github.com/gostan/gostan/model"
)

// RunChains runs chains chains of NUTS, numbered cfg.Chain, cfg.Chain+1,
// ..., at most threads at a time, each on its own clone of m. A chain's
// draws depend only on the seed and its number, never on the parallelism.
// progress, if not nil, is called from the chains' goroutines.
func RunChains(m model.Model, cfg Config, chains, threads int, progress func(chain, iter int)) ([]*Chain, error) {
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
				var p Progress
				if progress != nil {
					p = func(iter int) { progress(c, iter) }
				}
				out[c], errs[c] = Sample(m.Clone(), cc, p)
			}
		}()
	}
	for c := range chains {
		next <- c
	}
	close(next)
	wg.Wait()
	for c, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("chain %d: %w", cfg.Chain+c, err)
		}
	}
	return out, nil
}
