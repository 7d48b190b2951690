package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/gostan/gostan/compile"
)

// defaultProfileFile is CmdStan's profile_file default.
const defaultProfileFile = "profile.csv"

// profileFlag registers --profile-file, CmdStan's profile_file.
func profileFlag(f *pflag.FlagSet, path *string) {
	f.StringVar(path, "profile-file", defaultProfileFile, "where the measurements of the program's profile statements go, as CmdStan's profile_file: "+
		"written after the run when the program has profile statements (\"\": measure nothing)")
}

// startProfiling makes m and its clones measure the program's profile
// statements; nil when the program has none or path is "".
func startProfiling(m *compile.Model, path string) *compile.Profiler {
	if path == "" {
		return nil
	}
	return m.StartProfiling()
}

// writeProfile writes prof's rows to path, as CmdStan writes its
// profile_file, and names the file on out. A nil prof writes nothing.
func writeProfile(out io.Writer, prof *compile.Profiler, path string) error {
	if prof == nil {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := compile.WriteProfileCSV(f, prof.Stats()); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(out, "Wrote %s (the profile statements' measurements)\n", path)
	return nil
}
