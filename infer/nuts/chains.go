package nuts

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/gostan/gostan/model"
)

// Options are a run of several chains: the settings every chain shares
// (Config.Chain is the first chain's number), how many chains, how many
// run at once, and per chain a setup.
type Options struct {
	Config
	// Chains is the number of chains (4 when 0, the default of CmdStanPy
	// and CmdStanR, which run CmdStan once per chain: CmdStan's own
	// num_chains defaults to 1, too few for R-hat to compare chains);
	// Threads how many run at once (runtime.NumCPU() when 0).
	Chains, Threads int
	// Setup, when not nil, is given each chain's index (from 0) and its
	// configuration, which it may adjust (its initial point, say), and
	// returns the chain's hooks. It is called from the chains' goroutines.
	Setup func(chain int, cfg *Config) Hooks
	// Clone, when not nil, makes the evaluator of the chain of index
	// chain (from 0) from m, in the chain's goroutine: m.Clone() when nil.
	// A caller that labels each chain's model (cmd/gostan's profile rows)
	// does it here.
	Clone func(chain int, m model.Model) model.Model
}

// DefaultOptions are four chains, as CmdStanPy and CmdStanR run, of the
// default Config, as many at once as there are CPUs.
func DefaultOptions() Options {
	return Options{Config: DefaultConfig(), Chains: 4, Threads: runtime.NumCPU()}
}

// Run runs the chains, each on its own clone of m, numbered Chain,
// Chain+1, ...: a chain's draws depend only on the seed and its number,
// never on the parallelism. When ctx is cancelled every chain stops after
// its current iteration and Run returns what the chains made, each marked
// Interrupted (a chain not yet started has no draws), with ctx's error.
func Run(ctx context.Context, m model.Model, opts Options) (*Fit, error) {
	chains, threads := opts.Chains, opts.Threads
	if chains == 0 {
		chains = 4
	}
	if threads == 0 {
		threads = runtime.NumCPU()
	}
	if chains < 1 {
		return nil, fmt.Errorf("nuts: need at least one chain, got %d", chains)
	}
	threads = max(1, min(threads, chains))
	fit := &Fit{Names: m.Names(), Config: opts.Config, Chains: make([]*Chain, chains)}
	errs := make([]error, chains)
	next := make(chan int)
	var wg sync.WaitGroup
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				cc := opts.Config
				cc.Chain = opts.Chain + c
				var h Hooks
				if opts.Setup != nil {
					h = opts.Setup(c, &cc)
				}
				var mc model.Model
				if opts.Clone != nil {
					mc = opts.Clone(c, m)
				} else {
					mc = m.Clone()
				}
				fit.Chains[c], errs[c] = SampleContext(ctx, mc, cc, h)
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
			return nil, fmt.Errorf("chain %d: %w", opts.Chain+c, err)
		}
	}
	return fit, ctx.Err()
}
