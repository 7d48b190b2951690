package diag

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestEBFMI(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	iid := ar1(rng, 1, 20000, 0)[0]
	// For independent energies E[(E_i - E_{i-1})²] = 2 Var(E).
	if e := EBFMI(iid); math.Abs(e-2) > 0.05 {
		t.Errorf("E-BFMI of iid energies = %v, want 2", e)
	}
	// AR(1) with phi: 2(1 - phi).
	if e := EBFMI(ar1(rng, 1, 20000, 0.95)[0]); math.Abs(e-0.1) > 0.02 {
		t.Errorf("E-BFMI of AR(0.95) energies = %v, want 0.1", e)
	}
}

func TestSamplerWarnings(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	good := ChainStats{Divergent: make([]bool, 1000), TreeDepth: make([]int, 1000), Energy: ar1(rng, 1, 1000, 0)[0]}
	if w := SamplerWarnings([]ChainStats{good}, 10); len(w) != 0 {
		t.Fatalf("warnings for a healthy chain: %v", w)
	}
	bad := ChainStats{Divergent: make([]bool, 1000), TreeDepth: make([]int, 1000), Energy: ar1(rng, 1, 1000, 0.97)[0]}
	bad.Divergent[3], bad.Divergent[9] = true, true
	bad.TreeDepth[5] = 10
	w := SamplerWarnings([]ChainStats{good, bad}, 10)
	if len(w) != 3 || !strings.HasPrefix(w[0], "2 of 2000 (0.1%) transitions ended with a divergence") ||
		!strings.HasPrefix(w[1], "1 of 2000 (0.05%) transitions hit the maximum treedepth limit of 10") ||
		!strings.HasPrefix(w[2], "Chain 2: E-BFMI = ") {
		t.Fatalf("warnings %q", w)
	}
	all := ChainStats{Divergent: make([]bool, 3), TreeDepth: []int{10, 10, 10}, Energy: []float64{1, 2, 3}}
	if w := SamplerWarnings([]ChainStats{all}, 10); len(w) == 0 || !strings.HasPrefix(w[0], "3 of 3 (100%) transitions hit") {
		t.Fatalf("a saturated chain's warning %q (no exponent in the percentage)", w)
	}
}

func TestWriteTable(t *testing.T) {
	var sb strings.Builder
	nan := math.NaN()
	err := WriteTable(&sb, []Summary{
		{Name: "theta[1]", Mean: 1.23456, MCSE: 0.0123, SD: 0.5, MAD: 0.49, Quantiles: []float64{0.4, 1.2, 2.1}, ESSBulk: 1234.4, ESSTail: 999.6, Rhat: 1.0012},
		{Name: "x", Mean: nan, MCSE: nan, SD: nan, MAD: nan, Quantiles: []float64{nan, nan, nan}, ESSBulk: nan, ESSTail: nan, Rhat: nan},
	})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(sb.String(), "\n"), "\n")
	if len(lines) != 4 || lines[1] != "" {
		t.Fatalf("want a header, a blank line and two rows:\n%s", sb.String())
	}
	if got := strings.Join(strings.Fields(lines[0]), " "); got != "Mean MCSE StdDev MAD 5% 50% 95% ESS_bulk ESS_tail R_hat" {
		t.Errorf("header %q", got)
	}
	if got := strings.Join(strings.Fields(lines[2]), " "); got != "theta[1] 1.2 0.012 0.50 0.49 0.40 1.2 2.1 1234 1000 1.00" {
		t.Errorf("row %q", got)
	}
	if got := strings.Join(strings.Fields(lines[3]), " "); got != "x nan nan nan nan nan nan nan nan nan nan" {
		t.Errorf("row of NaNs %q", got)
	}
	// Names left-aligned, numbers right-aligned under their column names.
	if !strings.HasPrefix(lines[2], "theta[1] ") || !strings.HasPrefix(lines[3], "x ") {
		t.Errorf("names not left-aligned:\n%s", sb.String())
	}
	for _, row := range lines[2:] {
		if len(row) != len(lines[0]) || !strings.HasSuffix(row, " 1.00") && !strings.HasSuffix(row, "  nan") {
			t.Errorf("row %q does not end under the header %q", row, lines[0])
		}
	}
}

func TestSigString(t *testing.T) {
	for _, c := range []struct {
		x    float64
		sig  int
		want string
	}{
		{1234, 2, "1234"}, {5.63, 2, "5.6"}, {-7.34, 2, "-7.3"}, {0.01234, 2, "0.012"}, {0.5, 2, "0.50"},
		{0.5, 3, "0.500"}, {3.14159, 4, "3.142"}, {0, 2, "0"}, {4.3e-5, 2, "4.3e-05"}, {1.5e8, 2, "1.5e+08"},
		{math.NaN(), 2, "nan"}, {math.Inf(1), 2, "inf"}, {math.Inf(-1), 2, "-inf"}, {2.7, 0, "3"},
	} {
		if got := sigString(c.x, c.sig); got != c.want {
			t.Errorf("sigString(%v, %d) = %q, want %q", c.x, c.sig, got, c.want)
		}
	}
}
