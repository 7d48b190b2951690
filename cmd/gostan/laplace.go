package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/infer/laplace"
	"github.com/gostan/gostan/infer/optimize"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stancsv"
)

func newLaplaceCmd() *cobra.Command {
	cfg := laplace.DefaultConfig()
	var dataPath, modePath, output, diagnostic, profileFile string
	var sigFigs, refresh int
	cmd := &cobra.Command{
		Use:   "laplace MODEL.stan",
		Short: "Draw from the Laplace approximation at the mode, as CmdStan's laplace method",
		Long: "laplace draws from the normal approximation N(mode, (-H)⁻¹) on the unconstrained scale, H the\n" +
			"Hessian of the log density at the mode (by finite differences of the gradient), and writes\n" +
			"Stan CSV: log_p__ (the log density at the draw, Stan's constants dropped), log_q__ (the\n" +
			"approximation's log density without its normalizing constant) and the model's columns.\n\n" +
			"--mode is a CSV file from optimize (its last row, constrained values) or a JSON file of the\n" +
			"parameters' constrained values, as CmdStan's mode; without it the mode is\n" +
			"found first with L-BFGS. --jacobian (default true) includes the log Jacobian of the\n" +
			"transforms, both in the Hessian and in the mode found; a mode from optimize should have been\n" +
			"found with the same setting.\n\n" +
			"SIGINT (Ctrl-C) or SIGTERM stops the run: the file holds the draws made, or, interrupted before\n" +
			"the first, one row at the mode (or at the mode search's best point so far) with a comment saying\n" +
			"so, and gostan exits with status 130 (143 for SIGTERM).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cfg.Seed == 0 {
				cfg.Seed = uint64(time.Now().UnixNano())
			}
			m, err := loadModel(cmd.ErrOrStderr(), args[0], dataPath, cfg.Seed)
			if err != nil {
				return err
			}
			out, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
			prof, err := startProfiling(m, profileFile, args[0], dataPath, modePath, output, diagnostic)
			if err != nil {
				return err
			}
			f := func(x, g []float64) (float64, error) { return m.LogDensityJacobian(x, g, cfg.Jacobian) }
			run := stancsv.Run{Model: args[0], Data: dataPath, Output: output, Diagnostic: diagnostic, Refresh: refresh, SigFigs: sigFigs}
			write := func(set *draws.Set) error {
				setConfigValue(set.Config, "mode", modePath)
				return writeSet(set, run)
			}
			ctx, stop := interruptible(stderr, "the draws made so far, or the mode, are kept")
			defer stop()
			// stopAt ends a run interrupted before its first draw: the file
			// holds one row at theta (the mode, or the mode search's best
			// point), where log_q__ is 0, with comment saying what it is;
			// stderr says what the file holds.
			stopAt := func(theta []float64, lp float64, comment, what, holds string) error {
				names := m.Names()
				row := make([]float64, 2+len(names))
				row[0] = lp
				if err := m.Write(theta, rand.New(rand.NewPCG(cfg.Seed, 0x1a91ace)), row[2:]); err != nil {
					fmt.Fprintf(stderr, "warning: %v\n", err)
				}
				set := (&laplace.Result{Names: names, Config: cfg}).Set()
				set.Chains, set.Comments = [][][]float64{{row}}, []string{comment}
				if err := write(set); err != nil {
					return err
				}
				reportInterrupted(stderr, what, output, holds)
				return interruptedExit(ctx)
			}
			var mode []float64
			if modePath != "" {
				if mode, err = readMode(m, modePath); err != nil {
					return err
				}
			} else {
				ocfg := optimize.DefaultConfig()
				ocfg.Seed, ocfg.Explain = cfg.Seed, m.Explain
				fmt.Fprintln(out, "Finding the mode with L-BFGS")
				res, err := optimize.MaximizeContext(ctx, f, m.Dim(), ocfg, nil)
				if err != nil {
					return fmt.Errorf("finding the mode: %w", err)
				}
				for _, msg := range res.Messages {
					fmt.Fprintln(out, msg)
				}
				if res.Interrupted {
					return stopAt(res.X, res.LogP,
						fmt.Sprintf("Interrupted after %d iterations of the mode search: the one row is the best point so far, neither a mode nor a draw.", res.Iter),
						"the best point of the mode search", fmt.Sprintf("one row after %d iterations of L-BFGS, not a mode; no draws", res.Iter))
				}
				if !res.Code.OK() {
					return fmt.Errorf("finding the mode: %v", res.Code)
				}
				fmt.Fprintf(out, "Mode found by L-BFGS in %d iterations, log density %g\n", res.Iter, res.LogP)
				mode = res.X
			}
			width := len(fmt.Sprint(cfg.Draws))
			progress := func(n int) {
				if refresh > 0 && (n%refresh == 0 || n == cfg.Draws) {
					fmt.Fprintf(stderr, "Draw %*d / %d [%3d%%]\n", width, n, cfg.Draws, 100*n/cfg.Draws)
				}
			}
			res, err := laplace.SampleContext(ctx, m, mode, cfg, progress)
			if err != nil {
				return err
			}
			if res.Interrupted && res.Hessian == nil {
				return stopAt(mode, res.ModeLogP, "Interrupted while computing the Hessian: the one row is the mode, not a draw.",
					"the mode", "one row at the mode; the Hessian was not finished, no draws")
			}
			if res.WriteErrors > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: %d of %d draws' columns could not all be computed (NaN), first: %v\n", res.WriteErrors, cfg.Draws, res.FirstWriteError)
			}
			if res.LogPErrors > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: the log density failed at %d of %d draws (log_p__ NaN), first: %v\n", res.LogPErrors, cfg.Draws, res.FirstLogPError)
			}
			set := res.Set()
			if err := write(set); err != nil {
				return err
			}
			if diagnostic != "" {
				if err := writeModeDiagnostic(diagnostic, res); err != nil {
					return err
				}
			}
			if res.Interrupted {
				reportInterrupted(stderr, "the draws made", output, fmt.Sprintf("%d draws", len(res.Draws)))
				return interruptedExit(ctx)
			}
			fmt.Fprintf(out, "Wrote %s (%d draws)\n", output, len(res.Draws))
			if err := writeProfile(out, prof, profileFile); err != nil {
				return err
			}
			fmt.Fprintln(out)
			return printSummary(out, set, true)
		},
	}
	f := cmd.Flags()
	profileFlag(f, &profileFile)
	f.StringVar(&dataPath, "data", "", "data file: Stan JSON (.json or .json.zip) or R dump (.R)")
	f.StringVar(&modePath, "mode", "", "the mode: optimize's Stan CSV output (its last row) or a JSON file of the parameters' values, as CmdStan's mode (default: find it with L-BFGS)")
	f.BoolVar(&cfg.Jacobian, "jacobian", cfg.Jacobian, "include the log Jacobian of the constraining transforms")
	f.IntVar(&cfg.Draws, "draws", cfg.Draws, "draws from the approximation")
	f.BoolVar(&cfg.CalculateLP, "calculate-lp", cfg.CalculateLP, "compute log_p__ at every draw; when false log_p__ is NaN throughout, as CmdStan's calculate_lp=0")
	f.Uint64Var(&cfg.Seed, "seed", 0, "random seed (0: from the clock)")
	f.StringVar(&output, "output", "output.csv", "output file")
	f.StringVar(&diagnostic, "diagnostic-file", "", "also write the log density, its gradient and its Hessian at the mode to this JSON file, as CmdStan's diagnostic_file")
	f.IntVar(&sigFigs, "sig-figs", 6, "significant digits in the CSV")
	f.IntVar(&refresh, "refresh", 100, "print the number of draws made every this many draws; 0: none")
	return cmd
}

// writeModeDiagnostic writes res's values at the mode to path.
func writeModeDiagnostic(path string, res *laplace.Result) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := res.WriteModeJSON(fh); err != nil {
		fh.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return fh.Close()
}

// readMode reads the mode as CmdStan's laplace reads its mode file: a Stan
// CSV file written by optimize (its configuration must say so), whose last
// row is the mode (CmdStan reads the first, the same row unless optimize
// saved its iterations), or a JSON file of every parameter's constrained
// value. Either is mapped to the unconstrained scale.
func readMode(m *compile.Model, path string) ([]float64, error) {
	switch {
	case strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".json.zip"):
		values, err := model.ReadDataFile(path)
		if err != nil {
			return nil, err
		}
		z, err := m.UnconstrainValues(values)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return z, nil
	case strings.HasSuffix(path, ".csv"):
	default:
		return nil, fmt.Errorf("--mode %s: the mode file must be CSV (optimize's output) or JSON (the parameters' values), as CmdStan's", path)
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	file, err := stancsv.Read(fh)
	fh.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !slices.ContainsFunc(file.Config, func(l string) bool { return strings.Contains(l, "method = optimize") }) {
		return nil, fmt.Errorf("%s: not the output of optimize (its header has no \"method = optimize\"); --mode takes optimize's CSV or a JSON file of the parameters' values", path)
	}
	z, err := readConstrainedCSV(m, path, true)
	if err != nil {
		return nil, err
	}
	return z[0], nil
}

// readConstrainedCSV reads the parameters' constrained values from the rows
// of a Stan CSV file (the last alone when last is set) and maps each to the
// unconstrained scale.
func readConstrainedCSV(m *compile.Model, path string, last bool) ([][]float64, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	file, err := stancsv.Read(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rows := append(file.Warmup, file.Draws...)
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no rows of values", path)
	}
	if last {
		rows = rows[len(rows)-1:]
	}
	plan, err := planColumns(m, file, path)
	if err != nil {
		return nil, err
	}
	out := make([][]float64, len(rows))
	cols := make([]float64, len(plan.params))
	for r, row := range rows {
		for k, i := range plan.params {
			cols[k] = row[i]
		}
		data, err := m.ParamData(cols)
		if err != nil {
			return nil, fmt.Errorf("%s: row %d: %w", path, r+1, err)
		}
		if out[r], err = m.Unconstrain(data, rand.New(rand.NewPCG(1, 1)), 0); err != nil {
			return nil, fmt.Errorf("%s: row %d: %w", path, r+1, err)
		}
	}
	return out, nil
}
