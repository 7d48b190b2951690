package main

import (
	"io"
	"os"

	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/stancsv"
)

// writeSet writes a method's draws to run.Output as Stan CSV.
func writeSet(set *draws.Set, run stancsv.Run) error {
	f, err := os.Create(run.Output)
	if err != nil {
		return err
	}
	if err := stancsv.WriteSet(f, set, run); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// printSummary prints the summary table of a set's draws: the model's
// columns, after the method's own when method is set.
func printSummary(w io.Writer, set *draws.Set, method bool) error {
	rep := set.Summary()
	rows := rep.Params
	if method {
		rows = append(rep.Sampler, rows...)
	}
	return diag.WriteTable(w, rows)
}
