package main

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// allCommands is every command below root, depth first.
func allCommands(root *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, c := range root.Commands() {
		out = append(out, c)
		out = append(out, allCommands(c)...)
	}
	return out
}

// TestNumericFlagsHaveRanges: every numeric flag of every command has its
// row in flagRanges, every row is a flag that exists, and the defaults are
// in range.
func TestNumericFlagsHaveRanges(t *testing.T) {
	root := newRoot()
	seen := map[string]bool{}
	numeric := 0
	for _, cmd := range allCommands(root) {
		key := commandKey(cmd)
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if !numericTypes[f.Value.Type()] {
				return
			}
			numeric++
			seen[key+" --"+f.Name] = true
			if _, ok := flagRanges[key][f.Name]; !ok {
				t.Errorf("%s --%s (%s) has no row in flagRanges", key, f.Name, f.Value.Type())
			}
		})
		if err := validateFlags(cmd); err != nil {
			t.Errorf("%s with its defaults: %v", key, err)
		}
	}
	for key, rows := range flagRanges {
		for name := range rows {
			if !seen[key+" --"+name] {
				t.Errorf("flagRanges has %s --%s, which is not a numeric flag", key, name)
			}
		}
	}
	if numeric < 50 {
		t.Errorf("only %d numeric flags found", numeric)
	}
}

// hostileValues are values of a flag with range r that must be refused:
// negative, zero where zero is out of range, beyond the top, not finite,
// not a number.
func hostileValues(r valueRange, typ string) []string {
	vals := []string{"-1", "1e400", "NaN", "abc", "", "-Inf", "1\x01\xff"}
	if r.min > 0 || r.minOpen {
		vals = append(vals, "0")
	}
	if typ == "duration" {
		return append(vals, "-1s", "2h", "0s")
	}
	if !strings.HasPrefix(typ, "float") {
		vals = append(vals, "99999999999999999999999", "1.5")
	}
	if r.max < 1e300 {
		vals = append(vals, "1e12")
	}
	return vals
}

// commandArgs are the arguments a command needs to reach flag validation.
var commandArgs = map[string][]string{
	"sample": {"x.stan"}, "optimize": {"x.stan"}, "laplace": {"x.stan"}, "variational": {"x.stan"},
	"generate-quantities": {"x.stan"}, "summary": {"x.csv"}, "eval": {"--posteriordb", "pdb"}, "bench": {},
	"nested": {"x.stan"}, "stein": {"x.stan"}, "pathfinder": {"x.stan"}, "diagnose": {"x.stan"}, "log-prob": {"x.stan"},
}

// TestHostileFlags runs the gostan binary with every refused value of
// every numeric flag: exit status 1, a message naming the flag, no usage
// and no trace of a panic.
func TestHostileFlags(t *testing.T) {
	bin := gostanBinary(t)
	cmds := make([]string, 0, len(flagRanges))
	for key := range flagRanges {
		cmds = append(cmds, key)
	}
	slices.Sort(cmds)
	type run struct {
		name string
		full []string
		out  bytes.Buffer
		err  error
	}
	var runs []*run
	for _, key := range cmds {
		args, ok := commandArgs[key]
		if !ok {
			t.Fatalf("no arguments for %s in commandArgs", key)
		}
		root := newRoot()
		cmd, _, err := root.Find(strings.Fields(key))
		if err != nil {
			t.Fatal(err)
		}
		for name, r := range flagRanges[key] {
			typ := cmd.Flags().Lookup(name).Value.Type()
			for _, v := range hostileValues(r, typ) {
				runs = append(runs, &run{name: name, full: append(append(strings.Fields(key), args...), "--"+name+"="+v)})
			}
		}
	}
	// The runs are a thousand process starts: a few at a time, each in a
	// directory of its own.
	next := make(chan *run)
	var wg sync.WaitGroup
	for range 2 * runtime.GOMAXPROCS(0) {
		dir := t.TempDir()
		wg.Go(func() {
			for r := range next {
				c := exec.Command(bin, r.full...)
				c.Stdout, c.Stderr, c.Dir = &r.out, &r.out, dir
				r.err = c.Run()
			}
		})
	}
	for _, r := range runs {
		next <- r
	}
	close(next)
	wg.Wait()
	for _, r := range runs {
		var exit *exec.ExitError
		if !errors.As(r.err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("%q: %v, want exit status 1\n%s", r.full, r.err, r.out.String())
			continue
		}
		msg := r.out.String()
		if !strings.Contains(msg, "--"+r.name+" must be ") || strings.Contains(msg, "panic:") ||
			strings.Contains(msg, "goroutine ") || strings.Contains(msg, "Usage:") || strings.Contains(msg, "strconv") {
			t.Errorf("%q: %q", r.full, msg)
		}
	}
}

// TestWarmupOnlySummary: sample --samples 0 (CmdStan's warmup-only run)
// succeeds, and summary reads its files without a panic.
func TestWarmupOnlySummary(t *testing.T) {
	bin := gostanBinary(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "w.csv")
	b, err := exec.Command(bin, "sample", eightSchools, "--data", eightSchoolsData, "--chains", "2", "--warmup", "50",
		"--samples", "0", "--seed", "2", "--output", out).CombinedOutput()
	if err != nil {
		t.Fatalf("sample --samples 0: %v\n%s", err, b)
	}
	b, err = exec.Command(bin, "summary", filepath.Join(dir, "w_1.csv"), filepath.Join(dir, "w_2.csv")).CombinedOutput()
	if err != nil || !strings.Contains(string(b), "No draws to summarise") || strings.Contains(string(b), "panic:") {
		t.Errorf("summary of warmup-only files: %v\n%s", err, b)
	}
}

// FuzzFlags parses any value of any flag of any command, as the command
// line would, and validates it: no panic, and a refused numeric flag is
// named in the message.
func FuzzFlags(f *testing.F) {
	f.Add(uint8(0), "chains", "-1")
	f.Add(uint8(1), "seed", "18446744073709551616")
	f.Add(uint8(2), "time", "1h1s")
	f.Add(uint8(3), "adapt-delta", "NaN")
	f.Add(uint8(4), "sig-figs", "0x10")
	f.Add(uint8(5), "lr-decay", "1e-400")
	f.Fuzz(func(t *testing.T, which uint8, name, value string) {
		cmds := allCommands(newRoot())
		cmd := cmds[int(which)%len(cmds)]
		err := cmd.ParseFlags([]string{"--" + name + "=" + value})
		if err != nil {
			err = flagError(cmd, err)
		} else {
			err = validateFlags(cmd)
		}
		fl := cmd.Flags().Lookup(name)
		if fl == nil || !numericTypes[fl.Value.Type()] {
			return
		}
		if err != nil && !strings.Contains(err.Error(), "--"+name+" must be ") {
			t.Errorf("%s --%s=%q: %v", commandKey(cmd), name, value, err)
		}
		if err == nil {
			v, perr := flagNumber(fl)
			if perr != nil || !flagRanges[commandKey(cmd)][name].contains(v) {
				t.Errorf("%s --%s=%q accepted as %s", commandKey(cmd), name, value, fl.Value.String())
			}
		}
	})
}
