package main

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestCSVRoundTrip reads gostan's own Stan CSV back by its column names:
// generate-quantities on sample's and optimize's files, for parameters
// of every shape (matrices column-major, arrays of matrices, tuples,
// arrays of tuples, tuples of arrays, 2-D arrays of tuples). Each
// generated copy NAME_c must equal the column it was read from, so that
// every name maps to the right value.
func TestCSVRoundTrip(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join("testdata", "roundtrip.stan")
	for _, method := range [][]string{
		{"sample", "--chains", "1", "--warmup", "100", "--samples", "5"},
		{"optimize"},
	} {
		fit := filepath.Join(dir, method[0]+".csv")
		args := append([]string{method[0], prog, "--output", fit, "--seed", "3", "--sig-figs", "9"}, method[1:]...)
		if _, stderr, err := run(args...); err != nil {
			t.Fatalf("%s: %v\n%s", method[0], err, stderr)
		}
		gq := filepath.Join(dir, method[0]+"_gq.csv")
		if _, stderr, err := run("generate-quantities", prog, fit, "--output", gq, "--seed", "3", "--sig-figs", "9"); err != nil {
			t.Fatalf("generate-quantities on %s: %v\n%s", method[0], err, stderr)
		}
		in, out := readCSV(t, fit), readCSV(t, gq)
		if len(out.Draws) != len(in.Draws) {
			t.Fatalf("%s: %d draws back from %d", method[0], len(out.Draws), len(in.Draws))
		}
		copies := 0
		for j, name := range out.Columns {
			root, rest, _ := strings.Cut(name, ".")
			root, slot, tuple := strings.Cut(root, ":")
			if !strings.HasSuffix(root, "_c") {
				continue
			}
			src := strings.TrimSuffix(root, "_c")
			if tuple {
				src += ":" + slot
			}
			if rest != "" {
				src += "." + rest
			}
			i := in.Column(src)
			if i < 0 {
				t.Fatalf("%s: no column %s for %s", method[0], src, name)
			}
			for d := range out.Draws {
				if x, y := out.Draws[d][j], in.Draws[d][i]; math.Abs(x-y) > 1e-8*math.Max(1, math.Abs(y)) {
					t.Errorf("%s draw %d: %s = %v, but %s = %v", method[0], d+1, name, x, src, y)
				}
			}
			copies++
		}
		if copies != 45 {
			t.Errorf("%s: %d copied columns, want 45", method[0], copies)
		}
	}
}
