package diag

import (
	"math"
	"runtime"
	"slices"
	"sync"
)

// DefaultProbs are the quantiles stansummary prints unless asked for others.
var DefaultProbs = []float64{0.05, 0.5, 0.95}

// madScale makes the median absolute deviation estimate the standard
// deviation of normal draws, as R's mad and the posterior package do.
const madScale = 1.4826

// Summary is one row of Stan's summary table.
type Summary struct {
	Name                string
	Mean, MCSE, SD, MAD float64
	Quantiles           []float64 // at the probabilities the row was asked for
	ESSBulk, ESSTail    float64
	Rhat                float64
}

// Summarize computes a quantity's summary row from its chains, with the
// quantiles at probs. Every statistic is NaN when there are no draws or a
// draw is NaN (a failed output).
func Summarize(name string, chains [][]float64, probs []float64) Summary {
	nan := math.NaN()
	row := Summary{Name: name, Mean: nan, MCSE: nan, SD: nan, MAD: nan, ESSBulk: nan, ESSTail: nan, Rhat: nan,
		Quantiles: make([]float64, len(probs))}
	for k := range row.Quantiles {
		row.Quantiles[k] = nan
	}
	all := pool(chains)
	if len(all) == 0 || slices.ContainsFunc(all, math.IsNaN) {
		return row
	}
	row.Mean, row.SD = meanSD(all)
	split := splitChains(chains)
	var items []rankItem
	if split != nil {
		items = sortedDraws(split)
	}
	sorted := all // pool's copy, put in order: the split chains' if they hold every draw
	if len(items) == len(all) {
		for k, it := range items {
			sorted[k] = it.x
		}
	} else {
		slices.Sort(sorted)
	}
	for k, p := range probs {
		row.Quantiles[k] = sortedQuantile(sorted, p)
	}
	row.MAD = madScale * medianAbsDev(sorted)
	row.ESSTail = essTail(chains, sorted)
	if split == nil {
		return row
	}
	row.MCSE = row.SD / math.Sqrt(essBasic(split))
	rhat, bulk := rankRhat(split, items, sortedQuantile(sorted, 0.5))
	row.Rhat, row.ESSBulk = rhat, essBasic(bulk)
	return row
}

// medianAbsDev is the median of |x - median| of sorted draws. The
// deviations on either side of the median are already in increasing order,
// so it walks both runs to the middle (O(n)) instead of sorting them.
func medianAbsDev(sorted []float64) float64 {
	n := len(sorted)
	med := sortedQuantile(sorted, 0.5)
	h := float64(n-1) * 0.5 // type 7: between the k-th and (k+1)-th smallest deviations
	k := int(h)
	l, _ := slices.BinarySearch(sorted, med)
	r := l
	l--
	dev := make([]float64, 0, k+2)
	for len(dev) < min(k+2, n) {
		if r == n || l >= 0 && med-sorted[l] <= sorted[r]-med {
			dev, l = append(dev, med-sorted[l]), l-1
		} else {
			dev, r = append(dev, sorted[r]-med), r+1
		}
	}
	if k+1 == len(dev) {
		return dev[k]
	}
	return dev[k] + (h-float64(k))*(dev[k+1]-dev[k])
}

// SummarizeColumns summarises every column of a set of chains given as rows
// of draws (chains[c][i][j] is column j of draw i of chain c), one Summary
// per name, with the quantiles at probs. The columns are computed on
// workers goroutines (runtime.NumCPU() when workers < 1); the result does
// not depend on their number.
func SummarizeColumns(names []string, chains [][][]float64, probs []float64, workers int) []Summary {
	if workers < 1 {
		workers = runtime.NumCPU()
	}
	rows := make([]Summary, len(names))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(names), 1)) {
		wg.Go(func() {
			for j := range next {
				col := make([][]float64, len(chains))
				for c, ch := range chains {
					col[c] = make([]float64, len(ch))
					for i, d := range ch {
						col[c][i] = d[j]
					}
				}
				rows[j] = Summarize(names[j], col, probs)
			}
		})
	}
	for j := range names {
		next <- j
	}
	close(next)
	wg.Wait()
	return rows
}

// SummarizeDraws summarises one chain given as rows of draws (draws[i][j]
// is column j of draw i), one Summary per column, at DefaultProbs.
func SummarizeDraws(names []string, draws [][]float64) []Summary {
	return SummarizeColumns(names, [][][]float64{draws}, DefaultProbs, 0)
}
