package nuts

import (
	"slices"

	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/draws"
)

// StatNames are the sampler's columns, as Stats.AppendValues writes them
// and Stan CSV names them, before the model's.
var StatNames = []string{"lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"}

// Fit is a run of several chains: the model's output columns and each
// chain's draws and statistics.
type Fit struct {
	Names  []string
	Config Config
	Chains []*Chain
}

// Draws are a column's draws chain by chain (nil for an unknown name):
// a model column (Names) or a sampler's (StatNames), as Set().Draws
// gives them without building every row.
func (f *Fit) Draws(name string) [][]float64 {
	j := slices.Index(f.Names, name)
	k := slices.Index(StatNames, name)
	if j < 0 && k < 0 {
		return nil
	}
	out := make([][]float64, len(f.Chains))
	var row []float64
	for c, ch := range f.Chains {
		out[c] = make([]float64, len(ch.Draws))
		for i, d := range ch.Draws {
			if j >= 0 {
				out[c][i] = d[j]
			} else {
				row = ch.Stats[i].AppendValues(row[:0])
				out[c][i] = row[k]
			}
		}
	}
	return out
}

// Set is the fit as package draws holds any method's draws: the
// sampler's columns then the model's, chain by chain. stancsv.WriteSet
// writes it as one file; CmdStan's file per chain, with the adaptation
// and the timings, is stancsv.SampleFile's, as gostan sample streams it.
func (f *Fit) Set() *draws.Set {
	set := &draws.Set{Columns: append(slices.Clone(StatNames), f.Names...), Seed: f.Config.Seed}
	for _, ch := range f.Chains {
		rows := make([][]float64, len(ch.Draws))
		for i, d := range ch.Draws {
			rows[i] = append(ch.Stats[i].AppendValues(make([]float64, 0, len(set.Columns))), d...)
		}
		set.Chains = append(set.Chains, rows)
	}
	return set
}

// Run is the fit as package diag summarises it: its Set with the
// timings and the tree depth limit; model names the model.
func (f *Fit) Run(model string) diag.Run {
	run := f.Set().Run(model)
	run.MaxDepth = f.Config.MaxDepth
	for _, ch := range f.Chains {
		run.Warmup = append(run.Warmup, f.Config.Warmup)
		run.Thin = append(run.Thin, max(f.Config.Thin, 1))
		run.WarmupSeconds = append(run.WarmupSeconds, ch.WarmupSeconds)
		run.SampleSeconds = append(run.SampleSeconds, ch.SampleSeconds)
	}
	return run
}

// Summary is stansummary's report of the fit: mean, MCSE, sd, MAD,
// quantiles, ESS and R-hat per column, and the sampler's and the
// convergence warnings.
func (f *Fit) Summary() *diag.Report { return diag.NewReport(f.Run(""), nil, 0) }
