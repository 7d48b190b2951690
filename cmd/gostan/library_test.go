package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/infer/advi"
	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/infer/laplace"
	"github.com/gostan/gostan/infer/optimize"
	"github.com/gostan/gostan/infer/pathfinder"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stancsv"
)

// TestLibraryAgreesWithCommand: what a Go program gets from each method's
// library call with the defaults, written by stancsv.WriteSet, is byte for
// byte the file the command writes with the same seed: the same settings,
// draws and comments. (For an autoguide, whose configuration lines the
// command writes from its flags, the header, comments and rows agree.)
func TestLibraryAgreesWithCommand(t *testing.T) {
	const (
		src  = "../../testdata/posteriordb/models/stan/kidscore_momhs.stan"
		data = "../../testdata/posteriordb/data/data/kidiq.json.zip"
		seed = 12
	)
	prog, err := compile.File(src)
	if err != nil {
		t.Fatal(err)
	}
	d, err := model.ReadDataFile(data)
	if err != nil {
		t.Fatal(err)
	}
	m, err := prog.NewModel(d, seed)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dir := t.TempDir()
	// command runs gostan method with the seed and returns the file and
	// the stancsv.Run it was written with.
	command := func(t *testing.T, method string, init string, refresh int, args ...string) ([]byte, stancsv.Run) {
		out := filepath.Join(dir, method+".csv")
		args = append([]string{method, src, "--data", data, "--seed", strconv.Itoa(seed), "--output", out}, args...)
		if _, stderr, err := run(args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b, stancsv.Run{Model: src, Data: data, Init: init, Output: out, Refresh: refresh, SigFigs: 6}
	}
	same := func(t *testing.T, file []byte, set *draws.Set, run stancsv.Run) {
		t.Helper()
		var buf bytes.Buffer
		if err := stancsv.WriteSet(&buf, set, run); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), file) {
			t.Fatalf("the library's CSV differs from the command's:\n%s\n---\n%s", buf.Bytes(), file)
		}
		if set.Len() == 0 {
			t.Fatal("no draws")
		}
	}

	t.Run("optimize", func(t *testing.T) {
		file, run := command(t, "optimize", "2", 100)
		cfg := optimize.DefaultConfig()
		cfg.Seed = seed
		res, err := optimize.Run(ctx, m, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		same(t, file, res.Set(), run)
	})
	t.Run("laplace", func(t *testing.T) {
		file, run := command(t, "laplace", "", 100, "--draws", "300")
		cfg := laplace.DefaultConfig()
		cfg.Seed, cfg.Draws = seed, 300
		ocfg := optimize.DefaultConfig()
		ocfg.Seed, ocfg.Jacobian = seed, cfg.Jacobian
		mode, err := optimize.Run(ctx, m, ocfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := laplace.SampleContext(ctx, m, mode.X, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		same(t, file, res.Set(), run)
	})
	t.Run("variational", func(t *testing.T) {
		file, run := command(t, "variational", "2", 0, "--draws", "200", "--iter", "3000")
		cfg := advi.DefaultConfig()
		cfg.Seed, cfg.OutputSamples, cfg.Iter = seed, 200, 3000
		res, err := advi.RunContext(ctx, m, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		same(t, file, res.Set(), run)
	})
	t.Run("autoguide", func(t *testing.T) {
		file, _ := command(t, "variational", "2", 0, "--algorithm", "autoguide", "--guide", "diagonal", "--steps", "1500", "--draws", "200")
		set := autoguide.DefaultSettings("diagonal")
		set.Steps, set.Draws = 1500, 200
		res, err := set.SVI(set.Maker("diagonal")).FitModel(ctx, seed, m, set.Steps-set.Warm, set.Draws, nil)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := stancsv.WriteSet(&buf, res.Set(), stancsv.Run{}); err != nil {
			t.Fatal(err)
		}
		lib, err := stancsv.Read(&buf)
		if err != nil {
			t.Fatal(err)
		}
		cmd, err := stancsv.Read(bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(lib.Columns, cmd.Columns) || !slices.Equal(lib.Adapt, cmd.Adapt) || len(lib.Draws) != 201 || len(cmd.Draws) != 201 {
			t.Fatalf("library: %v, %d rows; command: %v, %d rows", lib.Columns, len(lib.Draws), cmd.Columns, len(cmd.Draws))
		}
		for i := range lib.Draws {
			if !slices.Equal(lib.Draws[i], cmd.Draws[i]) {
				t.Fatalf("row %d: library %v, command %v", i+1, lib.Draws[i], cmd.Draws[i])
			}
		}
	})
	t.Run("pathfinder", func(t *testing.T) {
		file, run := command(t, "pathfinder", "2", 0, "--refresh", "0")
		cfg := pathfinder.DefaultConfig()
		cfg.Seed = seed
		res, err := pathfinder.RunContext(ctx, m, cfg)
		if err != nil {
			t.Fatal(err)
		}
		// The timings at the end are the run's own wall clock: take the
		// command's to compare the rest byte for byte.
		set := res.Set()
		cmd, err := stancsv.Read(bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		if len(set.Footer) != 3 || len(cmd.Footer) != 3 {
			t.Fatalf("timings: library %q, command %q", set.Footer, cmd.Footer)
		}
		set.Footer = cmd.Footer
		same(t, file, set, run)
	})
}
