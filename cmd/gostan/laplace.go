package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/laplace"
	"github.com/gostan/gostan/infer/optimize"
	"github.com/gostan/gostan/stancsv"
)

func newLaplaceCmd() *cobra.Command {
	cfg := laplace.DefaultConfig()
	var dataPath, modePath, output string
	var sigFigs int
	cmd := &cobra.Command{
		Use:   "laplace MODEL.stan",
		Short: "Draw from the Laplace approximation at the mode, as CmdStan's laplace method",
		Long: "laplace draws from the normal approximation N(mode, (-H)⁻¹) on the unconstrained scale, H the\n" +
			"Hessian of the log density at the mode (by finite differences of the gradient), and writes\n" +
			"Stan CSV: log_p__ (the log density at the draw, Stan's constants dropped), log_q__ (the\n" +
			"approximation's log density without its normalizing constant) and the model's columns.\n\n" +
			"--mode is a CSV file from optimize (its last row, constrained values); without it the mode is\n" +
			"found first with L-BFGS. --jacobian (default true) includes the log Jacobian of the\n" +
			"transforms, both in the Hessian and in the mode found; a mode from optimize should have been\n" +
			"found with the same setting.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cfg.Seed == 0 {
				cfg.Seed = uint64(time.Now().UnixNano())
			}
			m, err := loadModel(cmd.ErrOrStderr(), args[0], dataPath, cfg.Seed)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			var mode []float64
			if modePath != "" {
				if mode, err = readMode(m, modePath); err != nil {
					return err
				}
			} else {
				ocfg := optimize.DefaultConfig()
				ocfg.Seed = cfg.Seed
				f := func(x, g []float64) (float64, error) { return m.LogDensityJacobian(x, g, cfg.Jacobian) }
				res, err := optimize.Maximize(f, m.Dim(), ocfg, nil)
				if err != nil {
					return fmt.Errorf("finding the mode: %w", err)
				}
				if !res.Code.OK() {
					return fmt.Errorf("finding the mode: %v", res.Code)
				}
				fmt.Fprintf(out, "Mode found by L-BFGS in %d iterations, log density %g\n", res.Iter, res.LogP)
				mode = res.X
			}
			res, err := laplace.SampleContext(context.Background(), m, mode, cfg, nil)
			if err != nil {
				return err
			}
			if res.WriteErrors > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: %d of %d draws' columns could not all be computed (NaN), first: %v\n", res.WriteErrors, cfg.Draws, res.FirstWriteError)
			}
			if res.LogPErrors > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: the log density failed at %d of %d draws (log_p__ NaN), first: %v\n", res.LogPErrors, cfg.Draws, res.FirstLogPError)
			}
			names := append([]string{"log_p__", "log_q__"}, res.Names...)
			rows := make([][]float64, len(res.Draws))
			for k, d := range res.Draws {
				rows[k] = append([]float64{res.LogP[k], res.LogQ[k]}, d...)
			}
			if err := writeLaplaceCSV(output, args[0], dataPath, modePath, cfg, names, rows, sigFigs); err != nil {
				return err
			}
			fmt.Fprintf(out, "Wrote %s (%d draws)\n\n", output, len(rows))
			return printDrawSummary(out, names, rows)
		},
	}
	f := cmd.Flags()
	f.StringVar(&dataPath, "data", "", "Stan JSON data file (.json or .json.zip)")
	f.StringVar(&modePath, "mode", "", "Stan CSV file from optimize holding the mode (default: find it with L-BFGS)")
	f.BoolVar(&cfg.Jacobian, "jacobian", cfg.Jacobian, "include the log Jacobian of the constraining transforms")
	f.IntVar(&cfg.Draws, "draws", cfg.Draws, "draws from the approximation")
	f.Uint64Var(&cfg.Seed, "seed", 0, "random seed (0: from the clock)")
	f.StringVar(&output, "output", "output.csv", "output file")
	f.IntVar(&sigFigs, "sig-figs", 6, "significant digits in the CSV")
	return cmd
}

// readMode reads the mode from a Stan CSV file (its last row) and maps the
// parameters' constrained values to the unconstrained scale.
func readMode(m *compile.Model, path string) ([]float64, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	file, err := stancsv.Read(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(file.Draws) == 0 {
		return nil, fmt.Errorf("%s: no rows of values", path)
	}
	plan, err := planColumns(m, file, path)
	if err != nil {
		return nil, err
	}
	row := file.Draws[len(file.Draws)-1]
	cols := make([]float64, len(plan.params))
	for k, i := range plan.params {
		cols[k] = row[i]
	}
	data, err := m.ParamData(cols)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	z, err := m.Unconstrain(data, rand.New(rand.NewPCG(1, 1)), 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return z, nil
}

func writeLaplaceCSV(path, modelPath, dataPath, modePath string, cfg laplace.Config, names []string, rows [][]float64, sigFigs int) error {
	jac := 0
	if cfg.Jacobian {
		jac = 1
	}
	config := []string{
		"method = laplace",
		"  laplace",
		"    mode = " + modePath,
		fmt.Sprintf("    jacobian = %d", jac),
		fmt.Sprintf("    draws = %d", cfg.Draws),
		"data",
		"  file = " + dataPath,
		"random",
		fmt.Sprintf("  seed = %d", cfg.Seed),
		"output",
		"  file = " + path,
	}
	return stancsv.WriteFile(path, modelPath, sigFigs, config, func(w *stancsv.Writer) error {
		w.Columns(stancsv.ColumnNames(names))
		for _, r := range rows {
			if err := w.Row(r); err != nil {
				return err
			}
		}
		return nil
	})
}
