package diag

import (
	"math"
	"slices"
	"sort"
	"sync"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/mathext"
)

// Rhat is the split rank-normalized R-hat: the larger of the R-hats of the
// rank-normalized draws and of the rank-normalized folded draws
// |x - median|. It is NaN when the chains are too short or constant.
func Rhat(chains [][]float64) float64 {
	split := splitChains(chains)
	if split == nil {
		return math.NaN()
	}
	rhat, _ := rankRhat(split, sortedDraws(split), Quantile(pool(chains), 0.5))
	return rhat
}

// ESSBulk is the effective sample size of the rank-normalized split chains,
// which measures how well the centre of the distribution is explored.
func ESSBulk(chains [][]float64) float64 {
	split := splitChains(chains)
	if split == nil {
		return math.NaN()
	}
	return essBasic(zScale(split))
}

// ESSTail is the smaller of the effective sample sizes of the 5% and 95%
// quantiles, which measures how well the tails are explored.
func ESSTail(chains [][]float64) float64 {
	sorted := pool(chains)
	slices.Sort(sorted)
	return essTail(chains, sorted)
}

// essTail is ESSTail given the pooled draws sorted.
func essTail(chains [][]float64, sorted []float64) float64 {
	return math.Min(essQuantile(chains, sortedQuantile(sorted, 0.05)), essQuantile(chains, sortedQuantile(sorted, 0.95)))
}

// ESSMean is the effective sample size for the mean of the split chains,
// the one MCSE of the mean uses.
func ESSMean(chains [][]float64) float64 {
	split := splitChains(chains)
	if split == nil {
		return math.NaN()
	}
	return essBasic(split)
}

// MCSE is the Monte Carlo standard error of the mean.
func MCSE(chains [][]float64) float64 {
	_, sd := meanSD(pool(chains))
	return sd / math.Sqrt(ESSMean(chains))
}

func essQuantile(chains [][]float64, q float64) float64 {
	split := splitChains(chains)
	if split == nil {
		return math.NaN()
	}
	return essBasic(mapChains(split, func(x float64) float64 {
		if x <= q {
			return 1
		}
		return 0
	}))
}

// Quantile returns the p quantile of x by linear interpolation between
// order statistics (R's type 7, the posterior package's default).
func Quantile(x []float64, p float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	return sortedQuantile(s, p)
}

// sortedQuantile is Quantile on sorted draws; NaN when there are none.
func sortedQuantile(s []float64, p float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	h := float64(len(s)-1) * p
	lo := int(math.Floor(h))
	if lo+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
}

// splitChains halves every chain (dropping a middle draw when the length
// is odd), so that R-hat also sees a trend within a chain. It returns nil
// for chains shorter than 4 draws or of different lengths.
func splitChains(chains [][]float64) [][]float64 {
	if len(chains) == 0 {
		return nil
	}
	n := len(chains[0])
	if n < 4 {
		return nil
	}
	half := n / 2
	out := make([][]float64, 0, 2*len(chains))
	for _, c := range chains {
		if len(c) != n {
			return nil
		}
		out = append(out, c[:half], c[n-half:])
	}
	return out
}

func mapChains(chains [][]float64, f func(float64) float64) [][]float64 {
	out := make([][]float64, len(chains))
	for i, c := range chains {
		out[i] = make([]float64, len(c))
		for j, x := range c {
			out[i][j] = f(x)
		}
	}
	return out
}

func pool(chains [][]float64) []float64 {
	n := 0
	for _, c := range chains {
		n += len(c)
	}
	all := make([]float64, 0, n)
	for _, c := range chains {
		all = append(all, c...)
	}
	return all
}

// rankItem is a draw with its position, chains[c][i].
type rankItem struct {
	x    float64
	c, i int32
}

// sortedDraws returns the draws of all chains with their positions,
// sorted by value. One unstable sort makes it O(S log S); the order within
// a block of ties does not matter since the block shares its average rank.
func sortedDraws(chains [][]float64) []rankItem {
	n := 0
	for _, ch := range chains {
		n += len(ch)
	}
	items := make([]rankItem, 0, n)
	for c, ch := range chains {
		for i, x := range ch {
			items = append(items, rankItem{x, int32(c), int32(i)})
		}
	}
	slices.SortFunc(items, func(a, b rankItem) int { return cmpFloat(a.x, b.x) })
	return items
}

// zScale replaces every draw by the normal quantile of its fractional
// rank over all chains, Φ⁻¹((r - 3/8) / (S + 1/4)) with average ranks for
// ties (Blom's offset, as in Vehtari et al. 2021).
func zScale(chains [][]float64) [][]float64 {
	return zOfSorted(sortedDraws(chains), chains)
}

// zOfSorted is zScale given the draws sorted by the value ranked.
func zOfSorted(items []rankItem, chains [][]float64) [][]float64 {
	out := make([][]float64, len(chains))
	for c, ch := range chains {
		out[c] = make([]float64, len(ch))
	}
	n := len(items)
	s := float64(n)
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && items[hi].x == items[lo].x {
			hi++
		}
		r := float64(lo+1+hi) / 2 // average of the 1-based ranks lo+1..hi
		z := mathext.NormalQuantile((r - 0.375) / (s + 0.25))
		for _, it := range items[lo:hi] {
			out[it.c][it.i] = z
		}
		lo = hi
	}
	return out
}

// foldSorted returns the folded draws |x - med| in increasing order, given
// the draws sorted: it merges the two runs on either side of med, which
// are already in order, instead of sorting again.
func foldSorted(items []rankItem, med float64) []rankItem {
	p, _ := slices.BinarySearchFunc(items, med, func(it rankItem, m float64) int { return cmpFloat(it.x, m) })
	out := make([]rankItem, 0, len(items))
	for l, r := p-1, p; l >= 0 || r < len(items); {
		var it rankItem
		if r == len(items) || l >= 0 && math.Abs(items[l].x-med) <= math.Abs(items[r].x-med) {
			it, l = items[l], l-1
		} else {
			it, r = items[r], r+1
		}
		it.x = math.Abs(it.x - med)
		out = append(out, it)
	}
	return out
}

// rankRhat is the R-hat of split chains, given their draws sorted: the larger of those of the
// rank-normalized draws and of the rank-normalized draws folded about
// med, |x - med|, which sees chains of different scales. It returns the
// rank-normalized draws too, for the bulk ESS.
func rankRhat(split [][]float64, items []rankItem, med float64) (rhat float64, z [][]float64) {
	z = zOfSorted(items, split)
	folded := zOfSorted(foldSorted(items, med), split)
	return math.Max(rhatBasic(z), rhatBasic(folded)), z
}

// rhatBasic is the potential scale reduction of equal-length chains
// (Gelman et al., BDA3 section 11.4).
func rhatBasic(chains [][]float64) float64 {
	n := float64(len(chains[0]))
	means := make([]float64, len(chains))
	var within float64
	for c, ch := range chains {
		m, sd := meanSD(ch)
		means[c] = m
		within += sd * sd
	}
	within /= float64(len(chains))
	_, sdMeans := meanSD(means)
	between := n * sdMeans * sdMeans
	return math.Sqrt((between/within + n - 1) / n)
}

// essBasic is the effective sample size of equal-length chains from their
// combined autocorrelations, truncated by Geyer's initial positive sequence
// and made monotone, with the improved estimate of Vehtari et al. 2021.
func essBasic(chains [][]float64) float64 {
	m, n := len(chains), len(chains[0])
	acov := newMeanAutocov(chains)
	meanAcov := acov.at
	means := acov.means
	meanVar := meanAcov(0) * float64(n) / float64(n-1)
	varPlus := meanVar * float64(n-1) / float64(n)
	if m > 1 {
		_, sd := meanSD(means)
		varPlus += sd * sd
	}
	if !(varPlus > 0) || math.IsInf(varPlus, 0) {
		return math.NaN()
	}
	rho := make([]float64, n)
	rho[0] = 1
	even, odd := 1.0, 1-(meanVar-meanAcov(1))/varPlus
	rho[1] = odd
	t := 0
	for t < n-5 && !math.IsNaN(even+odd) && even+odd > 0 {
		t += 2
		even = 1 - (meanVar-meanAcov(t))/varPlus
		odd = 1 - (meanVar-meanAcov(t+1))/varPlus
		if even+odd >= 0 {
			rho[t], rho[t+1] = even, odd
		}
	}
	maxT := t
	if even > 0 {
		rho[maxT] = even
	}
	for t := 2; t <= maxT-2; t += 2 {
		if rho[t]+rho[t+1] > rho[t-2]+rho[t-1] {
			rho[t] = (rho[t-2] + rho[t-1]) / 2
			rho[t+1] = rho[t]
		}
	}
	var sum float64
	for _, r := range rho[:maxT] {
		sum += r
	}
	ess := float64(m * n)
	tau := math.Max(-1+2*sum+rho[maxT], 1/math.Log10(ess))
	return ess / tau
}

// meanAutocov gives the chains' mean biased autocovariance by lag. Geyer's
// truncation usually stops after a few lags, so the first directLags lags
// are summed directly, O(n) each; a longer sequence switches to the FFT,
// which gives every lag in O(n log n).
type meanAutocov struct {
	means   []float64
	centred [][]float64
	all     []float64 // every lag by FFT, once a lag past directLags is asked for
}

const directLags = 32

func newMeanAutocov(chains [][]float64) *meanAutocov {
	a := &meanAutocov{means: make([]float64, len(chains)), centred: make([][]float64, len(chains))}
	for c, ch := range chains {
		a.means[c], _ = meanSD(ch)
		a.centred[c] = make([]float64, len(ch))
		for i, x := range ch {
			a.centred[c][i] = x - a.means[c]
		}
	}
	return a
}

func (a *meanAutocov) at(t int) float64 {
	if a.all == nil && t >= directLags {
		a.all = make([]float64, len(a.centred[0]))
		for _, x := range a.centred {
			for lag, v := range autocovariance(x) {
				a.all[lag] += v / float64(len(a.centred))
			}
		}
	}
	if a.all != nil {
		return a.all[t]
	}
	var sum float64
	for _, x := range a.centred {
		var s float64
		for i, v := range x[:len(x)-t] {
			s += v * x[i+t]
		}
		sum += s / float64(len(x))
	}
	return sum / float64(len(a.centred))
}

// autocovariance returns the biased autocovariances of centred draws x at
// every lag, computed by FFT on x zero-padded to at least twice its length
// (to a length whose only prime factors are 2, 3 and 5, as the posterior
// package pads).
func autocovariance(x []float64) []float64 {
	n := len(x)
	size := fftSize(2 * n)
	seq := make([]float64, size)
	copy(seq, x)
	fft := getFFT(size)
	defer putFFT(size, fft)
	coef := fft.Coefficients(nil, seq)
	for i, c := range coef {
		coef[i] = complex(real(c)*real(c)+imag(c)*imag(c), 0)
	}
	seq = fft.Sequence(seq, coef)
	acov := make([]float64, n)
	for t := range acov {
		acov[t] = seq[t] / float64(size) / float64(n)
	}
	return acov
}

// fftSize is the smallest n' >= n whose only prime factors are 2, 3 and 5.
func fftSize(n int) int {
	for m := max(n, 1); ; m++ {
		r := m
		for _, p := range []int{2, 3, 5} {
			for r%p == 0 {
				r /= p
			}
		}
		if r == 1 {
			return m
		}
	}
}

// fftPlans keeps FFT plans by size: making one computes its twiddle
// factors, and a plan is not safe for concurrent use, so each size has a
// pool.
var fftPlans sync.Map // int -> *sync.Pool of *fourier.FFT

func getFFT(size int) *fourier.FFT {
	p, _ := fftPlans.LoadOrStore(size, &sync.Pool{New: func() any { return fourier.NewFFT(size) }})
	return p.(*sync.Pool).Get().(*fourier.FFT)
}

func putFFT(size int, fft *fourier.FFT) {
	p, _ := fftPlans.Load(size)
	p.(*sync.Pool).Put(fft)
}

// cmpFloat orders numbers, as the sorts here need (no NaN among them).
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func meanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if len(x) < 2 {
		return mean, math.NaN()
	}
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(x)-1))
}
