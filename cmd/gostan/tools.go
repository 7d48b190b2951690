package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/stancsv"
)

func newLogDensityCmd() *cobra.Command {
	var dataPath, points string
	var dims bool
	cmd := &cobra.Command{
		Use:   "log-density MODEL.stan",
		Short: "Evaluate the log density and its gradient at unconstrained points",
		Long: "log-density reads a JSON array of unconstrained points (each an array of numbers) and prints\n" +
			`a JSON array of {"lp": number, "grad": [numbers]}, the Jacobian included and Stan's constants` + "\n" +
			"dropped. With --dims it prints the unconstrained dimension and the output column names.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := loadModel(cmd.ErrOrStderr(), args[0], dataPath, 1)
			if err != nil {
				return err
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			if dims {
				return enc.Encode(map[string]any{"dim": m.Dim(), "names": m.Names()})
			}
			if points == "" {
				return fmt.Errorf("--points is required (or --dims)")
			}
			b, err := os.ReadFile(points)
			if err != nil {
				return err
			}
			var pts [][]float64
			if err := json.Unmarshal(b, &pts); err != nil {
				return fmt.Errorf("%s: expected a JSON array of arrays of numbers: %v", points, err)
			}
			type result struct {
				LP    float64   `json:"lp"`
				Grad  []float64 `json:"grad"`
				Error string    `json:"error,omitempty"`
			}
			out := make([]result, len(pts))
			for i, p := range pts {
				if len(p) != m.Dim() {
					return fmt.Errorf("%s: point %d has %d values, but the model has %d unconstrained parameters", points, i+1, len(p), m.Dim())
				}
				g := make([]float64, m.Dim())
				lp, err := m.LogDensity(p, g)
				out[i] = result{LP: lp, Grad: g}
				if err != nil {
					out[i] = result{Error: err.Error(), Grad: []float64{}}
				}
			}
			return enc.Encode(out)
		},
	}
	cmd.Flags().StringVar(&dataPath, "data", "", "Stan JSON data file (.json or .json.zip)")
	cmd.Flags().StringVar(&points, "points", "", "JSON file with an array of unconstrained points")
	cmd.Flags().BoolVar(&dims, "dims", false, "print the unconstrained dimension and the column names")
	return cmd
}

func newSummaryCmd() *cobra.Command {
	var maxDepth int
	cmd := &cobra.Command{
		Use:   "summary FILE.csv...",
		Short: "Summarise Stan CSV files as CmdStan's stansummary does",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
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
				if len(files) > 0 && strings.Join(sf.Columns, ",") != strings.Join(files[0].Columns, ",") {
					return fmt.Errorf("%s: its columns differ from those of %s", path, args[0])
				}
				files = append(files, sf)
			}
			cols := files[0].Columns
			var rows []diag.Summary
			for j, name := range cols {
				if strings.HasSuffix(name, "__") && name != "lp__" {
					continue
				}
				chains := make([][]float64, len(files))
				for c, f := range files {
					for _, d := range f.Draws {
						chains[c] = append(chains[c], d[j])
					}
				}
				rows = append(rows, diag.Summarize(name, chains))
			}
			out := cmd.OutOrStdout()
			diag.WriteTable(out, rows)
			if files[0].Column("divergent__") >= 0 {
				var stats []diag.ChainStats
				for _, f := range files {
					var cs diag.ChainStats
					dv, td, en := f.Column("divergent__"), f.Column("treedepth__"), f.Column("energy__")
					for _, d := range f.Draws {
						cs.Divergent = append(cs.Divergent, d[dv] != 0)
						if td >= 0 {
							cs.TreeDepth = append(cs.TreeDepth, int(d[td]))
						}
						if en >= 0 {
							cs.Energy = append(cs.Energy, d[en])
						}
					}
					stats = append(stats, cs)
				}
				for _, w := range diag.SamplerWarnings(stats, maxDepth) {
					fmt.Fprintln(out, "Warning:", w)
				}
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&maxDepth, "max-depth", 10, "the sampler's maximum tree depth, for the saturation warning")
	return cmd
}
