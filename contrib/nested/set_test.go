package nested

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/stancsv"
)

// TestSet writes both sets of one run as Stan CSV and reads them back: the evidence comments
// hold the run's log Z, the weighted file's weights sum to one and give
// the run's posterior mean, and the resampled draws agree with it.
func TestSet(t *testing.T) {
	g := newRegression(10, 2, 0, 1)
	r := runModel(t, g.model, Config{LivePoints: 100, Seed: 4})
	read := func(set *draws.Set) *stancsv.File {
		var buf bytes.Buffer
		if err := stancsv.WriteSet(&buf, set, stancsv.Run{Model: "m.stan", SigFigs: 17}); err != nil {
			t.Fatal(err)
		}
		f, err := stancsv.Read(&buf)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	w := read(r.Set(0, 0))
	e := read(r.Set(4000, 9))
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
