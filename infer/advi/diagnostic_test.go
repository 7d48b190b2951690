package advi

import (
	"bytes"
	"slices"
	"testing"

	"github.com/gostan/gostan/stancsv"
)

// TestDiagnosticSet: the diagnostic file's rows are the ELBO evaluations
// the run reports, one each, in Stan's columns iter, time_in_seconds and
// ELBO; written as Stan CSV with 18 digits and read back, they are the
// same numbers, below the run's settings.
func TestDiagnosticSet(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Seed, cfg.EvalELBO, cfg.Iter, cfg.OutputSamples = 3, 20, 400, 10
	var seen []ELBOPoint
	res, err := Run(newGauss2(1, -2, 0.5), cfg, func(p ELBOPoint) { seen = append(seen, p) })
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 3 || !slices.Equal(seen, res.History) {
		t.Fatalf("progress saw %d evaluations, History holds %d", len(seen), len(res.History))
	}
	set := res.DiagnosticSet()
	var buf bytes.Buffer
	if err := stancsv.WriteSet(&buf, set, stancsv.Run{Model: "gauss2.stan", Output: "out.csv", Diagnostic: "diag.csv", SigFigs: 18}); err != nil {
		t.Fatal(err)
	}
	f, err := stancsv.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.Columns, []string{"iter", "time_in_seconds", "ELBO"}) || len(f.Draws) != len(seen) {
		t.Fatalf("columns %q, %d rows; want Stan's, %d", f.Columns, len(f.Draws), len(seen))
	}
	if !slices.Contains(f.Config, "method = variational") || !slices.Contains(f.Config, "  diagnostic_file = diag.csv") {
		t.Errorf("configuration %q", f.Config)
	}
	for i, row := range f.Draws {
		p := seen[i]
		if row[0] != float64(p.Iter) || row[1] != p.Seconds || row[2] != p.ELBO {
			t.Errorf("row %d: %v, want %d %v %v", i, row, p.Iter, p.Seconds, p.ELBO)
		}
		if p.Iter != (i+1)*cfg.EvalELBO || p.Seconds < 0 || (i > 0 && p.Seconds < seen[i-1].Seconds) {
			t.Errorf("evaluation %d at iteration %d, %v s", i, p.Iter, p.Seconds)
		}
	}
}
