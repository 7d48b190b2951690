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
}

func TestWriteTable(t *testing.T) {
	var sb strings.Builder
	err := WriteTable(&sb, []Summary{{Name: "theta[1]", Mean: 1.23456, MCSE: 0.0123, SD: 0.5, Q5: 0.4, Q50: 1.2, Q95: 2.1, ESSBulk: 1234.4, ESSTail: 999.6, Rhat: 1.0012}})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(sb.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "N_Eff_bulk") || !strings.Contains(lines[1], "theta[1]") ||
		strings.Join(strings.Fields(lines[1]), " ") != "theta[1] 1.23 0.0123 0.5 0.4 1.2 2.1 1234 1000 1.00" {
		t.Fatalf("table:\n%s", sb.String())
	}
}
