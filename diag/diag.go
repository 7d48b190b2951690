package diag

import (
	"math"
	"sort"

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
	bulk := rhatBasic(zScale(split))
	med := Quantile(pool(chains), 0.5)
	folded := mapChains(split, func(x float64) float64 { return math.Abs(x - med) })
	tail := rhatBasic(zScale(folded))
	return math.Max(bulk, tail)
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
	all := pool(chains)
	return math.Min(essQuantile(chains, Quantile(all, 0.05)), essQuantile(chains, Quantile(all, 0.95)))
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

func sortedQuantile(s []float64, p float64) float64 {
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
	var all []float64
	for _, c := range chains {
		all = append(all, c...)
	}
	return all
}

// zScale replaces every draw by the normal quantile of its fractional
// rank over all chains, Φ⁻¹((r - 3/8) / (S + 1/4)) with average ranks for
// ties (Blom's offset, as in Vehtari et al. 2021).
func zScale(chains [][]float64) [][]float64 {
	type item struct {
		x    float64
		c, i int
	}
	var items []item
	for c, ch := range chains {
		for i, x := range ch {
			items = append(items, item{x, c, i})
		}
	}
	sort.SliceStable(items, func(a, b int) bool { return items[a].x < items[b].x })
	out := make([][]float64, len(chains))
	for c, ch := range chains {
		out[c] = make([]float64, len(ch))
	}
	s := float64(len(items))
	for lo := 0; lo < len(items); {
		hi := lo + 1
		for hi < len(items) && items[hi].x == items[lo].x {
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
	acov := make([][]float64, m)
	means := make([]float64, m)
	for c, ch := range chains {
		acov[c] = autocovariance(ch)
		means[c], _ = meanSD(ch)
	}
	meanAcov := func(t int) float64 {
		var s float64
		for c := range acov {
			s += acov[c][t]
		}
		return s / float64(m)
	}
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

// autocovariance returns the biased autocovariances of x at every lag,
// computed by FFT on the zero-padded, centred sequence.
func autocovariance(x []float64) []float64 {
	n := len(x)
	size := 1
	for size < 2*n {
		size *= 2
	}
	mean, _ := meanSD(x)
	seq := make([]float64, size)
	for i, v := range x {
		seq[i] = v - mean
	}
	fft := fourier.NewFFT(size)
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
