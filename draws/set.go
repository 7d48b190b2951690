package draws

import (
	"slices"
	"strings"

	"github.com/gostan/gostan/diag"
)

// Set is a method's draws by name, with what a Stan CSV file of them
// records besides the rows. A Set is plain data: a caller may change it
// (stancsv writes what it holds), and goroutines may read it together.
type Set struct {
	// Columns name each row's values: the method's columns, then the
	// model's, as Stan names them.
	Columns []string
	// Chains[c][i] is draw i of chain c. A method that makes one run of
	// draws (all but NUTS) has one chain.
	Chains [][][]float64

	// Config are the method's configuration lines as CmdStan writes them
	// ("method = optimize", its settings, indented), Seed the run's seed:
	// stancsv writes them before the data, init and output lines.
	Config []string
	Seed   uint64
	// Comments are the lines a Stan CSV file holds after its header: the
	// step size found, the evidence, why a run stopped early.
	Comments []string
	// Mean, when not nil, is a row of every column at the approximation's
	// mean, which CmdStan's variational output writes before the draws
	// (its method columns 0). It is not a draw: Draws and Summary leave it
	// out.
	Mean []float64
	// Footer are the comment lines after the draws, such as CmdStan's
	// timings.
	Footer []string
}

// Index is the position of a column in each row, or -1.
func (s *Set) Index(name string) int { return slices.Index(s.Columns, name) }

// Draws are one column's draws chain by chain, nil for an unknown name.
func (s *Set) Draws(name string) [][]float64 {
	j := s.Index(name)
	if j < 0 {
		return nil
	}
	out := make([][]float64, len(s.Chains))
	for c, ch := range s.Chains {
		out[c] = make([]float64, len(ch))
		for i, row := range ch {
			out[c][i] = row[j]
		}
	}
	return out
}

// Variable is every column of a variable, in Stan's order (theta[1],
// theta[2], ... for theta; a scalar's one column), and each draw's values
// of them, the chains one after another. It returns nothing for a name
// that is no variable's.
func (s *Set) Variable(name string) (columns []string, rows [][]float64) {
	var idx []int
	for j, c := range s.Columns {
		if c == name || strings.HasPrefix(c, name+"[") {
			idx = append(idx, j)
			columns = append(columns, c)
		}
	}
	if idx == nil {
		return nil, nil
	}
	for _, ch := range s.Chains {
		for _, row := range ch {
			v := make([]float64, len(idx))
			for k, j := range idx {
				v[k] = row[j]
			}
			rows = append(rows, v)
		}
	}
	return columns, rows
}

// Len is the number of draws of all chains.
func (s *Set) Len() int {
	n := 0
	for _, ch := range s.Chains {
		n += len(ch)
	}
	return n
}

// Run is the set as package diag summarises it; model names the model.
func (s *Set) Run(model string) diag.Run {
	return diag.Run{Model: model, Columns: s.Columns, Chains: s.Chains}
}

// Summary is stansummary's report of the set: mean, MCSE, sd, MAD,
// quantiles, ESS and R-hat per column, split chain by chain (a single
// chain is split in halves), and the convergence warnings. The method's
// columns other than lp__ are in its Sampler rows with no MCSE, ESS or
// R-hat; the model's are its Params.
func (s *Set) Summary() *diag.Report { return diag.NewReport(s.Run(""), nil, 0) }

// Variational is a set laid out as CmdStan's variational output, which
// ADVI and SVI share: the columns lp__ (0, as CmdStan writes it), log_p__
// and log_g__ (each draw's log density under the model and under the
// approximation, on the unconstrained scale), then the model's; Mean is
// the model's columns at the approximation's mean, its method columns 0.
func Variational(names []string, mean []float64, rows [][]float64, logP, logG []float64) *Set {
	set := &Set{Columns: append([]string{"lp__", "log_p__", "log_g__"}, names...), Chains: [][][]float64{make([][]float64, len(rows))}}
	set.Mean = append([]float64{0, 0, 0}, mean...)
	for k, d := range rows {
		set.Chains[0][k] = append([]float64{0, logP[k], logG[k]}, d...)
	}
	return set
}
