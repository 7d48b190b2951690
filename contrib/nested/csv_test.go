package nested

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gostan/gostan/stancsv"
)

// TestWriteCSV reads back both files of one run: the evidence comments
// hold the run's log Z, the weighted file's weights sum to one and give
// the run's posterior mean, and the resampled draws agree with it.
func TestWriteCSV(t *testing.T) {
	g := newRegression(10, 2, 0, 1)
	r := runModel(t, g.model, Config{LivePoints: 100, Seed: 4})
	dir := t.TempDir()
	read := func(name string, o CSV) *stancsv.File {
		path := filepath.Join(dir, name)
		if err := r.WriteCSV(path, o); err != nil {
			t.Fatal(err)
		}
		fh, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		f, err := stancsv.Read(fh)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	w := read("weighted.csv", CSV{ModelPath: "m.stan", SigFigs: 17, Weighted: true})
	e := read("equal.csv", CSV{ModelPath: "m.stan", SigFigs: 17, Draws: 4000, Seed: 9})
	if len(w.Draws) != len(r.Draws) || len(e.Draws) != 4000 {
		t.Fatalf("%d and %d rows, want %d and 4000", len(w.Draws), len(e.Draws), len(r.Draws))
	}
	if w.Columns[1] != "log_weight__" || e.Columns[0] != "log_lik__" || e.Columns[1] != stancsv.ColumnNames(r.Names)[0] {
		t.Fatalf("columns %v and %v", w.Columns, e.Columns)
	}
	got := map[string]float64{}
	for _, c := range e.Adapt {
		if k, v, ok := strings.Cut(c, " = "); ok {
			got[k], _ = strconv.ParseFloat(v, 64)
		}
	}
	if got["log_evidence"] != r.LogZ || got["log_evidence_error"] != r.LogZErr {
		t.Errorf("comments %v, run %v ± %v", e.Adapt, r.LogZ, r.LogZErr)
	}
	sum, mean := 0.0, 0.0
	for i, row := range w.Draws {
		wt := math.Exp(row[1])
		sum += wt
		mean += wt * row[2]
		if row[0] != r.LogL[i] {
			t.Fatalf("row %d: log_lik__ %v, want %v", i, row[0], r.LogL[i])
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("weights sum to %v", sum)
	}
	sd := 0.0
	for i, d := range r.Draws {
		sd += math.Exp(r.LogWeights[i]) * (d[0] - mean) * (d[0] - mean)
	}
	sd = math.Sqrt(sd)
	em := 0.0
	for _, row := range e.Draws {
		em += row[1] / float64(len(e.Draws))
	}
	if math.Abs(em-mean) > 0.1*sd {
		t.Errorf("resampled mean %v, weighted mean %v (sd %v)", em, mean, sd)
	}
}
