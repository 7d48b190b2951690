package diag

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
	"math/rand/v2"
	"testing"
)

// syntheticRun returns m chains of n draws of k columns, each column an
// AR(1) process with its own autocorrelation, as rows of draws.
func syntheticRun(m, n, k int) [][][]float64 {
	rng := rand.New(rand.NewPCG(11, 12))
	chains := make([][][]float64, m)
	for c := range chains {
		chains[c] = make([][]float64, n)
		for i := range chains[c] {
			chains[c][i] = make([]float64, k)
		}
	}
	for j := range k {
		cols := ar1(rng, m, n, 0.9*float64(j)/float64(k))
		for c := range chains {
			for i := range chains[c] {
				chains[c][i][j] = cols[c][i]
			}
		}
	}
	return chains
}

func columnNames(k int) []string {
	names := make([]string, k)
	for j := range names {
		names[j] = "x[" + string(rune('a'+j%26)) + "]"
	}
	return names
}

// BenchmarkSummarize4x20000x104 is the case of issue 11: 4 chains of
// 20000 draws of 104 columns, the columns on runtime.NumCPU() workers.
func BenchmarkSummarize4x20000x104(b *testing.B) {
	chains := syntheticRun(4, 20000, 104)
	names := columnNames(104)
	b.ResetTimer()
	for b.Loop() {
		SummarizeColumns(names, chains, DefaultProbs, 0)
	}
}

// TestZScaleTiesAgainstBruteForce checks the rank normalisation, plain and
// folded, on draws with many ties against ranks counted one by one:
// r = 1 + #(x_j < x) + (#(x_j == x) - 1) / 2.
func TestZScaleTiesAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	chains := make([][]float64, 3)
	for c := range chains {
		chains[c] = make([]float64, 50+c) // unequal lengths: zScale does not need equal ones
		for i := range chains[c] {
			chains[c][i] = float64(rng.IntN(9)) // values 0..8, many ties
		}
	}
	brute := func(chains [][]float64) [][]float64 {
		all := pool(chains)
		s := float64(len(all))
		out := mapChains(chains, func(x float64) float64 {
			less, equal := 0, 0
			for _, y := range all {
				if y < x {
					less++
				} else if y == x {
					equal++
				}
			}
			r := 1 + float64(less) + float64(equal-1)/2
			return mathext.NormalQuantile((r - 0.375) / (s + 0.25))
		})
		return out
	}
	same := func(what string, got, want [][]float64) {
		for c := range want {
			for i := range want[c] {
				if got[c][i] != want[c][i] {
					t.Fatalf("%s: draw %d of chain %d: z = %v, brute force %v", what, i, c, got[c][i], want[c][i])
				}
			}
		}
	}
	same("zScale", zScale(chains), brute(chains))
	const med = 3.5 // folds 3 and 4 (and 2 and 5, ...) onto ties
	folded := mapChains(chains, func(x float64) float64 { return math.Abs(x - med) })
	same("folded", zOfSorted(foldSorted(sortedDraws(chains), med), chains), brute(folded))
}

func TestMedianAbsDev(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{1, 2, 3, 4, 5, 10, 11, 1000, 1001} {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(7)) + math.Floor(3*rng.NormFloat64())
		}
		slices.Sort(x)
		med := sortedQuantile(x, 0.5)
		dev := make([]float64, n)
		for i, v := range x {
			dev[i] = math.Abs(v - med)
		}
		slices.Sort(dev)
		if got, want := medianAbsDev(x), sortedQuantile(dev, 0.5); got != want {
			t.Errorf("n = %d: median absolute deviation %v, sorting the deviations gives %v", n, got, want)
		}
	}
}

// TestSummarizeColumnsParallel: the columns computed on several
// goroutines are bit-equal to those computed on one.
func TestSummarizeColumnsParallel(t *testing.T) {
	chains := syntheticRun(4, 500, 13)
	names := columnNames(13)
	serial := SummarizeColumns(names, chains, DefaultProbs, 1)
	parallel := SummarizeColumns(names, chains, DefaultProbs, 4)
	bits := func(r Summary) []uint64 {
		var b []uint64
		for _, x := range append([]float64{r.Mean, r.MCSE, r.SD, r.MAD, r.ESSBulk, r.ESSTail, r.Rhat}, r.Quantiles...) {
			b = append(b, math.Float64bits(x))
		}
		return b
	}
	for j := range serial {
		if serial[j].Name != parallel[j].Name || !slices.Equal(bits(serial[j]), bits(parallel[j])) {
			t.Errorf("column %d: serial %+v, parallel %+v", j, serial[j], parallel[j])
		}
	}
	// And a column summarised alone is the same too.
	col := make([][]float64, 4)
	for c := range col {
		for _, d := range chains[c] {
			col[c] = append(col[c], d[5])
		}
	}
	if got := Summarize(names[5], col, DefaultProbs); !slices.Equal(bits(got), bits(serial[5])) {
		t.Errorf("Summarize %+v, SummarizeColumns %+v", got, serial[5])
	}
	// Summarize agrees with the exported diagnostics.
	s := serial[5]
	if s.Rhat != Rhat(col) || s.ESSBulk != ESSBulk(col) || s.ESSTail != ESSTail(col) || s.MCSE != MCSE(col) {
		t.Errorf("Summarize %+v; Rhat %v ESSBulk %v ESSTail %v MCSE %v", s, Rhat(col), ESSBulk(col), ESSTail(col), MCSE(col))
	}
}

// TestSummarizeNoDraws: a warmup-only run (num_samples = 0) has chains
// without draws; every statistic is NaN and nothing panics.
func TestSummarizeNoDraws(t *testing.T) {
	for _, chains := range [][][]float64{nil, {{}, {}}, {{1}}, {{1, 2}, {3, 4}}} {
		s := Summarize("x", chains, []float64{0.1, 0.9})
		if len(chains) == 0 || len(chains[0]) == 0 {
			for _, x := range append([]float64{s.Mean, s.SD, s.MAD, s.MCSE, s.ESSBulk, s.ESSTail, s.Rhat}, s.Quantiles...) {
				if !math.IsNaN(x) {
					t.Errorf("%v: %+v, want NaN everywhere", chains, s)
				}
			}
		}
		if len(s.Quantiles) != 2 {
			t.Errorf("%v: quantiles %v", chains, s.Quantiles)
		}
	}
	if q := Quantile(nil, 0.5); !math.IsNaN(q) {
		t.Errorf("Quantile of nothing = %v", q)
	}
}
