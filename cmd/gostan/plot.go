package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/diag/plots"
	"github.com/gostan/gostan/stancsv"
)

func newPlotCmd() *cobra.Command {
	var params, kinds []string
	var format, outDir string
	cmd := &cobra.Command{
		Use:   "plot FILE.csv...",
		Short: "Draw trace, rank, density and pair plots of Stan CSV files",
		Long: "plot reads the Stan CSV files of one run's chains and writes one file per kind of plot into\n" +
			"--output-dir: trace.png (each parameter's draws against the iteration, a line per chain),\n" +
			"rank.png (a histogram per chain of its draws' ranks among all chains' draws: flat when the\n" +
			"chains agree, Vehtari et al. 2021), density.png (a kernel density per chain) and pair.png\n" +
			"(the scatter of every pair of parameters). Divergent transitions are black crosses.\n" +
			"--params takes column names (theta.1), Stan names (theta[1]) or variables (theta: all its columns).",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "png" && format != "svg" {
				return fmt.Errorf("--format must be png or svg, not %q", format)
			}
			want := make([]plots.Kind, 0, len(kinds))
			for _, k := range kinds {
				kind := plots.Kind(strings.TrimSpace(k))
				if !slices.Contains(plots.Kinds, kind) {
					return fmt.Errorf("--kind: unknown plot %q: use trace, rank, density or pair", k)
				}
				if !slices.Contains(want, kind) {
					want = append(want, kind)
				}
			}
			var files []*stancsv.File
			for _, path := range args {
				f, err := os.Open(path)
				if err != nil {
					return err
				}
				sf, err := stancsv.Read(f)
				f.Close()
				if err != nil {
					return fmt.Errorf("%s: %w", path, err)
				}
				if len(files) > 0 && !slices.Equal(sf.Columns, files[0].Columns) {
					return fmt.Errorf("%s: its columns differ from those of %s", path, args[0])
				}
				if len(sf.Draws) == 0 {
					return fmt.Errorf("%s: no draws to plot", path)
				}
				files = append(files, sf)
			}
			run, err := stancsv.SummaryRun(files)
			if err != nil {
				return err
			}
			cols, err := plots.Columns(run, params)
			if err != nil {
				return fmt.Errorf("--params: %w", err)
			}
			if len(cols) == 0 {
				return fmt.Errorf("the files hold only the sampler's columns: choose some with --params")
			}
			if err := os.MkdirAll(outDir, 0o755); err != nil {
				return err
			}
			for _, kind := range want {
				use := cols
				limit := plots.MaxColumns
				if kind == plots.Pair {
					limit = plots.MaxPairColumns
				}
				if len(params) == 0 && len(use) > limit {
					fmt.Fprintf(cmd.ErrOrStderr(), "%s: plotting the first %d of %d columns; choose others with --params\n", kind, limit, len(use))
					use = use[:limit]
				}
				if kind == plots.Pair && len(use) < 2 {
					fmt.Fprintf(cmd.ErrOrStderr(), "pair: skipped, it needs two parameters or more\n")
					continue
				}
				path := filepath.Join(outDir, string(kind)+"."+format)
				if err := plots.Write(path, run, kind, use); err != nil {
					return fmt.Errorf("%s: %w", path, err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), "wrote", path)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&params, "params", nil, "parameters to plot (default: every column but the sampler's)")
	f.StringSliceVar(&kinds, "kind", []string{"trace", "rank", "density", "pair"}, "plots to draw: trace, rank, density, pair")
	f.StringVar(&format, "format", "png", "png or svg")
	f.StringVar(&outDir, "output-dir", "plots", "folder for the plot files (made if missing)")
	return cmd
}
