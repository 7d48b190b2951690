package main

import (
	"io"
	"os"
	"strings"

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

// setConfigValue sets the value of a configuration line "key = value"
// (indented as it is): what the command line knows and the library does
// not, such as the file a mode came from.
func setConfigValue(lines []string, key, value string) {
	for i, l := range lines {
		k, _, ok := strings.Cut(l, " = ")
		if ok && strings.TrimSpace(k) == key {
			lines[i] = k + " = " + value
		}
	}
}
