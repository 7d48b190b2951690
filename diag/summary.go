package diag

import (
	"math"
	"sort"
)

// Summary is one row of Stan's summary table.
type Summary struct {
	Name                   string
	Mean, MCSE, SD         float64
	Q5, Q50, Q95           float64
	ESSBulk, ESSTail, Rhat float64
}

// Summarize computes a quantity's summary row from its chains.
func Summarize(name string, chains [][]float64) Summary {
	all := pool(chains)
	for _, x := range all {
		if math.IsNaN(x) {
			// Draws with failed outputs: every statistic is undefined.
			nan := math.NaN()
			return Summary{Name: name, Mean: nan, MCSE: nan, SD: nan, Q5: nan, Q50: nan, Q95: nan, ESSBulk: nan, ESSTail: nan, Rhat: nan}
		}
	}
	mean, sd := meanSD(all)
	s := append([]float64(nil), all...)
	sort.Float64s(s)
	return Summary{
		Name: name, Mean: mean, MCSE: MCSE(chains), SD: sd,
		Q5: sortedQuantile(s, 0.05), Q50: sortedQuantile(s, 0.5), Q95: sortedQuantile(s, 0.95),
		ESSBulk: ESSBulk(chains), ESSTail: ESSTail(chains), Rhat: Rhat(chains),
	}
}

// SummarizeDraws summarises one chain given as rows of draws (draws[i][j]
// is column j of draw i), one Summary per column.
func SummarizeDraws(names []string, draws [][]float64) []Summary {
	rows := make([]Summary, len(names))
	for j, name := range names {
		col := make([]float64, len(draws))
		for i, d := range draws {
			col[i] = d[j]
		}
		rows[j] = Summarize(name, [][]float64{col})
	}
	return rows
}
