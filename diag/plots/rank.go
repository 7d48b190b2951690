package plots

import (
	"math"
	"slices"
)

// Ranks ranks the pooled draws of every chain (1 the smallest, ties given
// their average rank) and returns them chain by chain, as Vehtari,
// Gelman, Simpson, Carpenter and Bürkner (2021) do for rank plots: when
// the chains sample one distribution, each chain's ranks are uniform over
// 1..N. NaN draws rank above every number.
func Ranks(chains [][]float64) [][]float64 {
	type item struct {
		v    float64
		c, i int
	}
	var all []item
	for c, ch := range chains {
		for i, v := range ch {
			all = append(all, item{v, c, i})
		}
	}
	slices.SortStableFunc(all, func(a, b item) int { return cmpNaNLast(a.v, b.v) })
	out := make([][]float64, len(chains))
	for c, ch := range chains {
		out[c] = make([]float64, len(ch))
	}
	for lo := 0; lo < len(all); {
		hi := lo + 1
		for hi < len(all) && cmpNaNLast(all[hi].v, all[lo].v) == 0 {
			hi++
		}
		// Positions lo..hi-1 share ranks lo+1..hi: their mean.
		r := float64(lo+1+hi) / 2
		for _, it := range all[lo:hi] {
			out[it.c][it.i] = r
		}
		lo = hi
	}
	return out
}

// cmpNaNLast orders numbers with NaN above all of them and equal to itself.
func cmpNaNLast(a, b float64) int {
	switch an, bn := math.IsNaN(a), math.IsNaN(b); {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// RankCounts counts each chain's ranks (from Ranks) in bins equal slices
// of 1..N, N the pooled draws: counts[c][b] is how many of chain c's draws
// have a rank in bin b.
func RankCounts(chains [][]float64, bins int) [][]int {
	ranks := Ranks(chains)
	n := 0
	for _, ch := range chains {
		n += len(ch)
	}
	counts := make([][]int, len(chains))
	for c, rs := range ranks {
		counts[c] = make([]int, bins)
		for _, r := range rs {
			b := min(int((r-1)*float64(bins)/float64(n)), bins-1)
			counts[c][b]++
		}
	}
	return counts
}

// RankChiSquare is Pearson's statistic of the rank counts against uniform
// ranks (each chain's draws spread evenly over its bins), with its degrees
// of freedom, chains × (bins - 1). Well-mixed chains of independent draws
// give about df (sd sqrt(2 df)); chains stranded in different modes give
// many times more. Chains without draws add nothing.
func RankChiSquare(counts [][]int) (stat float64, df int) {
	for _, ch := range counts {
		total := 0
		for _, k := range ch {
			total += k
		}
		if total == 0 {
			continue
		}
		want := float64(total) / float64(len(ch))
		for _, k := range ch {
			d := float64(k) - want
			stat += d * d / want
		}
		df += len(ch) - 1
	}
	return stat, df
}
