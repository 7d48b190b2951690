package dcc

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/ppl"
)

// Options are DCC's settings; DefaultOptions gives NumPyro's defaults.
type Options struct {
	// NUTS runs on every SLP; each SLP's chains get chain ids of their
	// own (NUTS.Chain + k·Chains for the k-th SLP), so no two chains
	// share a random stream.
	NUTS    nuts.Config
	Chains  int // NUTS chains per SLP
	Threads int // chains run at a time
	// NumSLPSamples is the number of prior runs that discover the SLPs.
	NumSLPSamples int
	// MaxSLPs caps the SLPs inference runs on: the most often discovered
	// are kept.
	MaxSLPs int
	// ProposalScale multiplies the proposal's standard deviations (or
	// Cholesky factor) around an SLP's draws.
	ProposalScale float64
	// NumProposals is the number of importance samples per SLP.
	NumProposals int
	// Diagonal fits only the variances of the draws to the proposal, as
	// NumPyro's mean-field proposals do; by default it has their full
	// covariance, which follows correlated posteriors (see docs/dcc.md).
	Diagonal bool
	// Seed drives the discovery and the importance sampling.
	Seed uint64
}

// DefaultOptions are num_slp_samples 1000, max_slps 124, proposal_scale
// 1, 1000 importance samples, one chain, and Stan's NUTS defaults.
func DefaultOptions() Options {
	return Options{
		NUTS: nuts.DefaultConfig(), Chains: 1, Threads: 1,
		NumSLPSamples: 1000, MaxSLPs: 124, ProposalScale: 1, NumProposals: 1000,
	}
}

func (o Options) check() error {
	switch {
	case o.Chains < 1:
		return fmt.Errorf("dcc: Chains is %d, but must be at least 1", o.Chains)
	case o.NumSLPSamples < 1:
		return fmt.Errorf("dcc: NumSLPSamples is %d, but must be at least 1", o.NumSLPSamples)
	case o.MaxSLPs < 1:
		return fmt.Errorf("dcc: MaxSLPs is %d, but must be at least 1", o.MaxSLPs)
	case !(o.ProposalScale > 0):
		return fmt.Errorf("dcc: ProposalScale is %v, but must be positive", o.ProposalScale)
	case o.NumProposals < 1:
		return fmt.Errorf("dcc: NumProposals is %d, but must be at least 1", o.NumProposals)
	case o.NUTS.Samples < 2:
		return fmt.Errorf("dcc: NUTS.Samples is %d, but the proposal needs at least 2 draws per chain", o.NUTS.Samples)
	}
	return nil
}

// Branch is one branch site's value in an SLP.
type Branch struct {
	Name  string
	Value []float64
}

func (b Branch) String() string {
	if len(b.Value) == 1 {
		return b.Name + "=" + strconv.FormatFloat(b.Value[0], 'g', -1, 64)
	}
	vs := make([]string, len(b.Value))
	for i, v := range b.Value {
		vs[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return b.Name + "=[" + strings.Join(vs, " ") + "]"
}

// slpKey names a tuple of branch values, in program order.
func slpKey(bs []Branch) string {
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = b.String()
	}
	return strings.Join(parts, ", ")
}

// discovered is an SLP found by the prior runs, with how often.
type discovered struct {
	branches []Branch
	count    int
	first    int
}

// Discover runs m forward from its prior n times with seed and returns the
// distinct tuples of its branch sites' values with the number of runs
// that took each, most frequent first.
func Discover(m ppl.Model, n int, seed uint64) ([][]Branch, []int, error) {
	rng := rand.New(rand.NewPCG(seed, 0xdcc))
	found := map[string]*discovered{}
	for i := range n {
		tr := &ppl.Trace{}
		if err := ppl.Run(ppl.With(m, tr, ppl.SeedRand(rng)), nil); err != nil {
			return nil, nil, fmt.Errorf("dcc: running the model forward: %w", err)
		}
		var bs []Branch
		for _, s := range tr.Sites {
			if s.Kind != ppl.SampleSite || !s.Infer.Branch || s.Observed {
				continue
			}
			if !s.Dist.Discrete() {
				return nil, nil, fmt.Errorf("dcc: site %q is marked Branch, but its distribution is continuous", s.Name)
			}
			v := make([]float64, len(s.Value))
			for j, x := range s.Value {
				v[j] = x.Val
			}
			bs = append(bs, Branch{s.Name, v})
		}
		k := slpKey(bs)
		if d, ok := found[k]; ok {
			d.count++
		} else {
			found[k] = &discovered{bs, 1, i}
		}
	}
	ds := make([]*discovered, 0, len(found))
	for _, d := range found {
		ds = append(ds, d)
	}
	slices.SortFunc(ds, func(a, b *discovered) int {
		return cmp.Or(cmp.Compare(b.count, a.count), cmp.Compare(a.first, b.first))
	})
	progs := make([][]Branch, len(ds))
	counts := make([]int, len(ds))
	for i, d := range ds {
		progs[i], counts[i] = d.branches, d.count
	}
	return progs, counts, nil
}

// compareBranches orders tuples of branch values site by site: by name,
// then by value.
func compareBranches(a, b []Branch) int {
	for i := range min(len(a), len(b)) {
		if c := cmp.Or(cmp.Compare(a[i].Name, b[i].Name), slices.Compare(a[i].Value, b[i].Value)); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

// Conditioned is m with its branch sites fixed at bs: a model of fixed
// support whose density includes the branch sites' probabilities.
func Conditioned(m ppl.Model, bs []Branch) ppl.Model {
	values := make(map[string][]float64, len(bs))
	for _, b := range bs {
		values[b.Name] = b.Value
	}
	return ppl.With(m, ppl.Condition(values))
}

// Run is DCC on m: it discovers the SLPs, samples each with NUTS,
// estimates each one's normalising constant, and weighs them. Cancelling
// ctx stops the sampling; the weights need every SLP, so Run then returns
// ctx's error.
func Run(ctx context.Context, m ppl.Model, opts Options) (*Result, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	progs, counts, err := Discover(m, opts.NumSLPSamples, opts.Seed)
	if err != nil {
		return nil, err
	}
	res := &Result{Discovered: len(progs)}
	if len(progs) > opts.MaxSLPs {
		progs, counts = progs[:opts.MaxSLPs], counts[:opts.MaxSLPs]
	}
	// Present the kept SLPs in the order of their branch values.
	order := make([]int, len(progs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return compareBranches(progs[a], progs[b]) })
	sorted, sortedCounts := make([][]Branch, len(progs)), make([]int, len(progs))
	for i, j := range order {
		sorted[i], sortedCounts[i] = progs[j], counts[j]
	}
	progs, counts = sorted, sortedCounts
	for k, bs := range progs {
		s, err := conquer(ctx, m, bs, k, opts)
		if err != nil {
			return nil, fmt.Errorf("dcc: SLP %s: %w", slpKey(bs), err)
		}
		s.Count = counts[k]
		res.SLPs = append(res.SLPs, s)
	}
	if err := res.combine(); err != nil {
		return nil, err
	}
	return res, nil
}

// conquer samples the k-th SLP and estimates its normalising constant.
func conquer(ctx context.Context, m ppl.Model, bs []Branch, k int, opts Options) (*SLP, error) {
	post, err := ppl.NewPosterior(Conditioned(m, bs), opts.Seed+uint64(k))
	if err != nil {
		return nil, err
	}
	cfg := opts.NUTS
	cfg.Chain += k * opts.Chains
	fit, err := nuts.Run(ctx, withTheta{post}, nuts.Options{Config: cfg, Chains: opts.Chains, Threads: opts.Threads})
	if err != nil {
		return nil, err
	}
	chains := fit.Chains
	nOut, d := len(post.Names()), post.Dim()
	s := &SLP{Branches: bs, Names: post.Names()}
	var thetas [][]float64
	perChain := make([][][]float64, nOut) // column, chain, draw
	for j := range perChain {
		perChain[j] = make([][]float64, len(chains))
	}
	for c, ch := range chains {
		for _, st := range ch.Stats {
			if st.Divergent {
				s.Divergent++
			}
		}
		for _, row := range ch.Draws {
			s.Draws = append(s.Draws, row[:nOut:nOut])
			thetas = append(thetas, row[nOut:nOut+d])
			for j := range nOut {
				perChain[j][c] = append(perChain[j][c], row[j])
			}
		}
	}
	s.Mean, s.SD = moments(s.Draws, nOut)
	s.MCSE, s.Rhat = make([]float64, nOut), make([]float64, nOut)
	for j, cols := range perChain {
		s.MCSE[j], s.Rhat[j] = diag.MCSE(cols), diag.Rhat(cols)
	}
	// A stream of its own per SLP, apart from the discovery's (0xdcc).
	rng := rand.New(rand.NewPCG(opts.Seed, uint64(k+1)<<32))
	s.LogZ, s.ESS, err = evidence(post, thetas, opts, rng)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// withTheta is a model whose output rows end with the unconstrained
// point, which the proposal is fitted to.
type withTheta struct{ *ppl.Posterior }

func (w withTheta) Names() []string {
	names := slices.Clone(w.Posterior.Names())
	for i := range w.Dim() {
		names = append(names, "theta__"+strconv.Itoa(i+1))
	}
	return names
}

func (w withTheta) Write(theta []float64, rng *rand.Rand, out []float64) error {
	n := len(w.Posterior.Names())
	copy(out[n:], theta)
	return w.Posterior.Write(theta, rng, out[:n])
}

func (w withTheta) Clone() model.Model { return withTheta{w.Posterior.Clone().(*ppl.Posterior)} }
