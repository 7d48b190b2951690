package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

// table1Columns maps gostan's methods to the columns of the seed study's
// Table 1 (NumPyro on PosteriorDB).
var table1Columns = map[string]string{
	"autoguide-bnaf": "BNAFNormal", "autoguide-delta": "Delta", "autoguide-diagonal": "DiagonalNormal",
	"autoguide-iaf": "IAFNormal", "autoguide-laplace": "LaplaceApproximation",
	"autoguide-lowrank": "LowRankMultivariateNormal", "autoguide-mvn": "MultivariateNormal",
	"autoguide-normal": "Normal", "advi-meanfield": "ADVI_meanfield", "advi-fullrank": "ADVI_fullrank",
}

// table1Threshold is the seed study's success criterion: max err ≤ 0.3
// (Table 1's legend; its counts include the 0.30 cells).
const table1Threshold = 0.3

// table1Tally is one column's summary rows of Table 1 over some
// posteriors: the average max err of those without a runtime error, and
// the successes (max err ≤ 0.3), mismatches and runtime errors.
type table1Tally struct {
	n, success, mismatch, errors int
	sum                          float64
}

func (t *table1Tally) add(maxErr float64, failed bool) {
	t.n++
	switch {
	case failed || math.IsNaN(maxErr) || math.IsInf(maxErr, 0):
		t.errors++ // the study: runtime errors correspond to NaN values
		return
	case maxErr <= table1Threshold:
		t.success++
	default:
		t.mismatch++
	}
	t.sum += maxErr
}

func (t *table1Tally) average() float64 { return t.sum / float64(t.n-t.errors) }

// num formats x as format does, or in three significant digits past
// 10000, where a diverged fit's error would fill the column.
func num(x float64, format string) string {
	if math.Abs(x) >= 1e4 {
		return fmt.Sprintf(strings.Replace(format, ".2f", ".3g", 1), x)
	}
	return fmt.Sprintf(format, x)
}

// writeTable1 lays the results beside the seed study's Table 1 (the CSV
// at path): its summary rows (Average, Success, Mismatch, Error) in its
// columns, for gostan, for Table 1 on the same posteriors, and their
// difference, over the posteriors both ran; and gostan's median seconds
// per 1000 optimisation steps.
func writeTable1(w io.Writer, results []evalResult, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if len(rows) < 2 || rows[0][0] != "posterior" {
		return fmt.Errorf("%s: not a Table 1 file (its first column must be posterior)", path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	table := map[string][]string{}
	for _, r := range rows[1:] {
		table[r[0]] = r
	}
	ours, theirs := map[string]*table1Tally{}, map[string]*table1Tally{}
	perK := map[string][]float64{}
	for _, r := range results {
		c, ok := table1Columns[r.Method]
		row, inTable := table[r.Posterior]
		if !ok || !inTable || col[c] == 0 {
			continue
		}
		if ours[c] == nil {
			ours[c], theirs[c] = &table1Tally{}, &table1Tally{}
		}
		ours[c].add(r.MaxErr, r.Error != "")
		v := row[col[c]]
		x, err := strconv.ParseFloat(v, 64)
		theirs[c].add(x, v == "error" || err != nil)
		if r.Error == "" && r.Steps > 0 {
			perK[c] = append(perK[c], r.Seconds/float64(r.Steps)*1000)
		}
	}
	var cols []string
	for _, h := range rows[0][1:] {
		if ours[h] != nil {
			cols = append(cols, h)
		}
	}
	if len(cols) == 0 {
		return fmt.Errorf("%s: no result is of a method and posterior in Table 1", path)
	}
	line := func(label string, cell func(c string) string) {
		fmt.Fprintf(w, "| %s |", label)
		for _, c := range cols {
			fmt.Fprintf(w, " %s |", cell(c))
		}
		fmt.Fprintln(w)
	}
	avg := func(t *table1Tally) string {
		if t.n == t.errors {
			return "-"
		}
		return num(t.average(), "%.2f")
	}
	fmt.Fprintf(w, "\n|  | %s |\n|---|%s\n", strings.Join(cols, " | "), strings.Repeat("---|", len(cols)))
	line("posteriors in both", func(c string) string { return strconv.Itoa(ours[c].n) })
	for _, side := range []struct {
		name string
		t    map[string]*table1Tally
	}{{"gostan", ours}, {"Table 1", theirs}} {
		line(side.name+": Average", func(c string) string { return avg(side.t[c]) })
		line(side.name+": Success", func(c string) string { return strconv.Itoa(side.t[c].success) })
		line(side.name+": Mismatch", func(c string) string { return strconv.Itoa(side.t[c].mismatch) })
		line(side.name+": Error", func(c string) string { return strconv.Itoa(side.t[c].errors) })
	}
	line("gostan - Table 1: Average", func(c string) string {
		o, t := ours[c], theirs[c]
		if o.n == o.errors || t.n == t.errors {
			return "-"
		}
		return num(o.average()-t.average(), "%+.2f")
	})
	line("gostan - Table 1: Success", func(c string) string { return fmt.Sprintf("%+d", ours[c].success-theirs[c].success) })
	line("gostan - Table 1: Mismatch", func(c string) string { return fmt.Sprintf("%+d", ours[c].mismatch-theirs[c].mismatch) })
	line("gostan - Table 1: Error", func(c string) string { return fmt.Sprintf("%+d", ours[c].errors-theirs[c].errors) })
	line("gostan: s per 1000 steps (median)", func(c string) string {
		ks := perK[c]
		if len(ks) == 0 {
			return "-"
		}
		sort.Float64s(ks)
		return fmt.Sprintf("%.3f", ks[len(ks)/2])
	})
	return nil
}
