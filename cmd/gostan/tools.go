package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/model"
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
				return fmt.Errorf("%s:%v (expected a JSON array of arrays of numbers)", points, model.LocateJSONError(b, err))
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
	cmd.Flags().StringVar(&dataPath, "data", "", "data file: Stan JSON (.json or .json.zip) or R dump (.R)")
	cmd.Flags().StringVar(&points, "points", "", "JSON file with an array of unconstrained points")
	cmd.Flags().BoolVar(&dims, "dims", false, "print the unconstrained dimension and the column names")
	return cmd
}

func newSummaryCmd() *cobra.Command {
	var maxDepth, sigFigs int
	var percentiles, csvFile string
	cmd := &cobra.Command{
		Use:   "summary FILE.csv...",
		Short: "Summarise Stan CSV files as CmdStan's stansummary does",
		Long: "summary reads the Stan CSV files of one run's chains and prints stansummary's report: the chains,\n" +
			"their draws and timings, then per column the mean, MCSE, standard deviation, MAD, quantiles, bulk\n" +
			"and tail ESS and R-hat, the sampler's columns first; then the sampler's and convergence warnings.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			probs, err := parsePercentiles(percentiles)
			if err != nil {
				return err
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
				if len(files) > 0 && strings.Join(sf.Columns, ",") != strings.Join(files[0].Columns, ",") {
					return fmt.Errorf("%s: its columns differ from those of %s", path, args[0])
				}
				files = append(files, sf)
			}
			run, err := stancsv.SummaryRun(files)
			if err != nil {
				return err
			}
			if maxDepth > 0 {
				run.MaxDepth = maxDepth
			}
			rep := diag.NewReport(run, probs, 0)
			out := cmd.OutOrStdout()
			if err := rep.WriteText(out, sigFigs); err != nil {
				return err
			}
			if csvFile == "" {
				return nil
			}
			f, err := os.Create(csvFile)
			if err != nil {
				return err
			}
			if err := rep.WriteCSV(f, sigFigs); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		},
	}
	f := cmd.Flags()
	f.IntVar(&maxDepth, "max-depth", 0, "the sampler's maximum tree depth, for the saturation warning (0: the files' max_depth)")
	f.IntVar(&sigFigs, "sig-figs", 2, "significant digits of the table's numbers")
	f.StringVar(&percentiles, "percentiles", "5,50,95", "the quantiles to print, as percentiles in increasing order")
	f.StringVar(&csvFile, "csv-file", "", "also write the summary to this file as CSV")
	return cmd
}

// parsePercentiles reads --percentiles: numbers in (0, 100), increasing.
func parsePercentiles(s string) ([]float64, error) {
	var probs []float64
	for _, f := range strings.Split(s, ",") {
		p, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(p > 0 && p < 100) || len(probs) > 0 && p/100 <= probs[len(probs)-1] {
			return nil, fmt.Errorf("--percentiles must be numbers between 0 and 100 in increasing order, such as 5,50,95, not %q", s)
		}
		probs = append(probs, p/100)
	}
	return probs, nil
}
