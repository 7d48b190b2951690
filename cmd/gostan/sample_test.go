package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestSampleCSVLayout runs `gostan sample` and compares the layout of the
// Stan CSV it writes, numbers masked, with a golden file in CmdStan's
// layout; then `gostan summary` reads the file back.
func TestSampleCSVLayout(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.csv")
	_, stderr, err := run("sample", "../../examples/eight_schools.stan", "--data", "../../examples/eight_schools.data.json",
		"--chains", "1", "--warmup", "150", "--samples", "100", "--seed", "9", "--output", out)
	if err != nil {
		t.Fatalf("sample: %v\n%s", err, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got := maskCSV(string(b))
	golden := filepath.Join("testdata", "sample_layout.golden")
	if *update {
		os.WriteFile(golden, []byte(got), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("CSV layout differs from %s:\n%s", golden, got)
	}
	stdout, stderr, err := run("summary", out)
	if err != nil {
		t.Fatalf("summary: %v\n%s", err, stderr)
	}
	for _, col := range []string{"lp__", "mu", "tau", "theta_tilde[8]", "theta[1]", "y_rep[8]", "ESS_bulk", "R_hat"} {
		if !strings.Contains(stdout, col) {
			t.Errorf("summary lacks %q:\n%s", col, stdout)
		}
	}
}

var (
	numTok  = regexp.MustCompile(`[\w.+-]+`)
	dataRow = regexp.MustCompile(`^[-0-9.]|^nan|^inf`)
)

// mask replaces every token that is a number by N.
func mask(line string) string {
	return numTok.ReplaceAllStringFunc(line, func(tok string) string {
		if _, err := strconv.ParseFloat(tok, 64); err == nil {
			return "N"
		}
		return tok
	})
}

// maskCSV replaces numbers by N, keeps one data row as a sample and counts
// the others, and drops paths that vary between runs.
func maskCSV(s string) string {
	var out []string
	rows := 0
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if i := strings.Index(line, "file = "); i >= 0 {
			line = line[:i+7] + "PATH"
		}
		if !strings.HasPrefix(line, "#") && dataRow.MatchString(line) {
			rows++
			if rows > 1 {
				continue
			}
		}
		out = append(out, mask(line))
	}
	return strings.Join(out, "\n") + fmt.Sprintf("\n(%d draws)\n", rows)
}
