package stancsv

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/nuts"
)

// everyOutput is testdata/every_output.stan's model, which declares every
// kind of output variable.
func everyOutput(t *testing.T) *compile.Model {
	t.Helper()
	p, err := compile.File(filepath.Join("testdata", "every_output.stan"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.NewModel(nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestColumnNamesAsCmdStan compiles a program declaring every kind of
// output variable (vectors, row vectors, matrices, arrays of matrices,
// complex scalars, vectors and matrices, arrays of them, tuples, nested
// tuples, arrays of tuples, tuples holding arrays and matrices) and
// checks its Stan CSV column names against CmdStan's
// (testdata/every_output.columns, from CmdStan 2.32's output for the same
// declarations): containers column-major, a complex value's .real and
// .imag innermost, tuple slots after ':'. The values of one draw are
// checked to sit under their names.
func TestColumnNamesAsCmdStan(t *testing.T) {
	m := everyOutput(t)
	b, err := os.ReadFile(filepath.Join("testdata", "every_output.columns"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(b))
	got := ColumnNames(m.Names())
	if !slices.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("column %d is %s, want %s (%d columns, want %d)", i+1, got[i], want[i], len(got), len(want))
			}
		}
		t.Fatalf("%d columns, want %d", len(got), len(want))
	}
	row := make([]float64, len(got))
	if err := m.Write([]float64{1}, rand.New(rand.NewPCG(1, 2)), row); err != nil {
		t.Fatal(err)
	}
	// mu = 1: m = to_matrix(linspaced_vector(6, 5, 11), 2, 3) fills
	// columns first, threeD[i] = i * m, z3D[i] = threeD[i] + (threeD[i] + 1)i,
	// ultimate[i, j] = ({(i, [j, 1]'), (2, [3, 4]')}, rep_matrix(10i + j)).
	for name, x := range map[string]float64{
		"mu2": 2, "m.2.1": 6.2, "m.1.2": 7.4, "threeD.2.1.3": 2 * 9.8, "z.imag": 4,
		"zm.2.1.imag": 7.2, "z3D.3.2.1.real": 3 * 6.2, "z3D.3.2.1.imag": 3*6.2 + 1,
		"nested:2:2.imag": 4, "arr_very_nested.2:1:2:1": 6, "arr_2d_pair.3.1:2": 21, "arr_2d_pair.1.2:1": 14,
		"ultimate.2.1:1.1:1": 2, "ultimate.1.3:1.1:2.1": 3, "ultimate.2.3:1.2:2.2": 4, "ultimate.2.3:2.4.5": 23, "ultimate.1.2:2.1.1": 12,
	} {
		k := slices.Index(got, name)
		if k < 0 || !close9(row[k], x) {
			t.Errorf("%s = %v, want %v", name, row[k], x)
		}
	}
}

// TestSampleHeaderAsCmdStan writes the sample method's file for the same
// program and checks, line for line, what the CmdStan Guide's "Stan CSV
// File Format" shows: the version and model lines, the method line, the
// column header with the sampler's seven columns first, the adaptation
// block and the timing block.
func TestSampleHeaderAsCmdStan(t *testing.T) {
	m := everyOutput(t)
	path := filepath.Join(t.TempDir(), "output_1.csv")
	cfg := nuts.DefaultConfig()
	cfg.Chain, cfg.Seed = 1, 7
	sf, err := CreateSample(Run{Model: "testdata/every_output.stan", Init: "2", Output: path, SigFigs: 6, Threads: 1, Chains: 1, Refresh: 100}, m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := sf.Adapted(0.813694, []float64{0.592879}); err != nil {
		t.Fatal(err)
	}
	row := make([]float64, len(m.Names()))
	if err := sf.Draw(nuts.Stats{LP: -6.75, AcceptStat: 0.9, StepSize: 0.813694, TreeDepth: 2, NLeapfrog: 3, Energy: 7}, row, false); err != nil {
		t.Fatal(err)
	}
	if err := sf.Finish(&nuts.Chain{WarmupSeconds: 0.005, SampleSeconds: 0.002, Gradients: 10}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	cols, _ := os.ReadFile(filepath.Join("testdata", "every_output.columns"))
	header := "lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__," + strings.Join(strings.Fields(string(cols)), ",")
	k := slices.Index(lines, header)
	if k < 0 {
		t.Fatalf("no header line %q in\n%s", header, b)
	}
	for i, want := range []string{"# stan_version_major = 2", "# stan_version_minor = ", "# stan_version_patch = "} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d is %q, want %q", i+1, lines[i], want)
		}
	}
	for _, want := range []string{"# model = every_output", "# method = sample (Default)", "#   sample", "#     num_samples = 1000",
		"#     algorithm = hmc (Default)", "#         engine = nuts (Default)", "#         metric = diag_e", "# id = 1",
		"# data", "#   file = ", "# init = 2", "# random", "#   seed = 7", "# output", "#   file = " + path, "#   refresh = 100"} {
		if i := slices.Index(lines[:k], want); i < 0 {
			t.Errorf("the configuration lacks %q", want)
		}
	}
	linesAt(t, lines, k+1, "# Adaptation terminated", "# Step size = 0.813694",
		"# Diagonal elements of inverse mass matrix:", "# 0.592879")
	if !strings.HasPrefix(lines[k+5], "-6.75,0.9,0.813694,2,3,0,7,") {
		t.Errorf("draw %q", lines[k+5])
	}
	linesAt(t, lines, k+6, "#", "#  Elapsed Time: 0.005 seconds (Warm-up)",
		"#                0.002 seconds (Sampling)", "#                0.007 seconds (Total)", "#")
}

// linesAt checks that lines from index at on are want.
func linesAt(t *testing.T, lines []string, at int, want ...string) {
	t.Helper()
	for i, w := range want {
		if lines[at+i] != w {
			t.Errorf("line %d is %q, want %q", at+i+1, lines[at+i], w)
		}
	}
}
