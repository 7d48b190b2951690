package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
)

// table1Columns maps gostan's methods to the columns of the seed study's
// Table 1 (NumPyro on PosteriorDB).
var table1Columns = map[string]string{
	"autoguide-bnaf": "BNAFNormal", "autoguide-delta": "Delta", "autoguide-diagonal": "DiagonalNormal",
	"autoguide-iaf": "IAFNormal", "autoguide-laplace": "LaplaceApproximation",
	"autoguide-lowrank": "LowRankMultivariateNormal", "autoguide-mvn": "MultivariateNormal",
	"autoguide-normal": "Normal", "advi-meanfield": "ADVI_meanfield", "advi-fullrank": "ADVI_fullrank",
}

// writeTable1 compares each method's successes and errors with Table 1's
// column on the posteriors both evaluated, and gives the median time per
// 1000 optimisation steps.
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
	type tally struct{ ours, theirs, ourErr, theirErr, n int }
	by := map[string]*tally{}
	perK := map[string][]float64{}
	var methods []string
	for _, r := range results {
		c, ok := table1Columns[r.Method]
		row, inTable := table[r.Posterior]
		if !ok || !inTable {
			continue
		}
		t := by[r.Method]
		if t == nil {
			t = &tally{}
			by[r.Method] = t
			methods = append(methods, r.Method)
		}
		t.n++
		switch {
		case r.Error != "":
			t.ourErr++
		case r.Passed:
			t.ours++
		}
		if v := row[col[c]]; v == "error" {
			t.theirErr++
		} else if x, err := strconv.ParseFloat(v, 64); err == nil && x < passThreshold {
			t.theirs++
		}
		if r.Error == "" && r.Steps > 0 {
			perK[r.Method] = append(perK[r.Method], r.Seconds/float64(r.Steps)*1000)
		}
	}
	sort.Strings(methods)
	fmt.Fprintln(w, "\n| method | posteriors in both | gostan successes | NumPyro successes (Table 1) | gostan errors | NumPyro errors | gostan s per 1000 steps (median) |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	for _, m := range methods {
		t := by[m]
		med := "-"
		if ks := perK[m]; len(ks) > 0 {
			sort.Float64s(ks)
			med = fmt.Sprintf("%.3f", ks[len(ks)/2])
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d | %s |\n", m, t.n, t.ours, t.theirs, t.ourErr, t.theirErr, med)
	}
	return nil
}
