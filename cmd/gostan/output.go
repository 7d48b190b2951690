package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/stancsv"
)

// writeSet writes a method's draws to run.Output as Stan CSV.
func writeSet(set *draws.Set, run stancsv.Run) error {
	return writeSetAt(run.Output, set, run)
}

// writeSetAt writes set as Stan CSV to path, with run's settings in its
// header: a method's second file, such as ADVI's diagnostic file.
func writeSetAt(path string, set *draws.Set, run stancsv.Run) error {
	f, err := os.Create(path)
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

// notAmong refuses an output file, given by flag, that is one of files
// (those the run reads or writes otherwise): writing it would overwrite
// one of them, or interleave two outputs in one file.
func notAmong(flag, path string, files ...string) error {
	for _, f := range files {
		if f != "" && sameFile(path, f) {
			return fmt.Errorf("%s %s is a file this run reads or writes; give it another name", flag, path)
		}
	}
	return nil
}
