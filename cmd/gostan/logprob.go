package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stancsv"
)

func newLogProbCmd() *cobra.Command {
	var dataPath, output, cpars, upars, profileFile string
	var sigFigs int
	jacobian := true
	cmd := &cobra.Command{
		Use:   "log-prob MODEL.stan",
		Short: "The log density and its gradient at given points, as CmdStan's log_prob method",
		Long: "log-prob writes a Stan CSV file with a row per point: lp__, the log density with Stan's\n" +
			"constants dropped (the log Jacobian of the transforms included unless --jacobian=false), and\n" +
			"g_NAME, its gradient in each unconstrained coordinate, as CmdStan's log_prob method. The\n" +
			"points are --constrained-params (a JSON file of parameter values, or a Stan CSV file whose\n" +
			"every row is a point) or --unconstrained-params (a JSON file whose params_r holds one\n" +
			"unconstrained vector or an array of them).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (cpars == "") == (upars == "") {
				return errors.New("give the points as one of --constrained-params and --unconstrained-params")
			}
			m, err := loadModel(cmd.ErrOrStderr(), args[0], dataPath, 1)
			if err != nil {
				return err
			}
			var points [][]float64
			switch {
			case upars != "":
				points, err = readParamsR(m, upars)
			case filepath.Ext(cpars) == ".csv":
				points, err = readConstrainedCSV(m, cpars, false)
			default:
				var values model.Data
				if values, err = model.ReadDataFile(cpars); err == nil {
					var z []float64
					if z, err = m.Unconstrain(values, rand.New(rand.NewPCG(1, 1)), 0); err != nil {
						err = fmt.Errorf("%s: %w", cpars, err)
					}
					points = [][]float64{z}
				}
			}
			if err != nil {
				return err
			}
			set := &draws.Set{Columns: []string{"lp__"}, Chains: [][][]float64{nil}, Config: []string{
				"method = log_prob",
				"  log_prob",
				"    unconstrained_params = " + upars,
				"    constrained_params = " + cpars,
				"    jacobian = " + map[bool]string{true: "1", false: "0"}[jacobian],
			}}
			for _, n := range m.UnconstrainedNames() {
				set.Columns = append(set.Columns, "g_"+n)
			}
			prof, err := startProfiling(m, profileFile, args[0], dataPath, cpars, upars, output)
			if err != nil {
				return err
			}
			for k, z := range points {
				row := make([]float64, 1+len(z))
				if row[0], err = m.LogDensityJacobian(z, row[1:], jacobian); err != nil {
					return fmt.Errorf("point %d: %w", k+1, err)
				}
				set.Chains[0] = append(set.Chains[0], row)
			}
			if err := writeSet(set, stancsv.Run{Model: args[0], Data: dataPath, Output: output, SigFigs: sigFigs}); err != nil {
				return err
			}
			what := "points"
			if len(points) == 1 {
				what = "point"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s (%d %s)\n", output, len(points), what)
			return writeProfile(cmd.OutOrStdout(), prof, profileFile)
		},
	}
	f := cmd.Flags()
	profileFlag(f, &profileFile)
	f.StringVar(&dataPath, "data", "", "data file: Stan JSON (.json or .json.zip) or R dump (.R)")
	f.StringVar(&cpars, "constrained-params", "", "the points' parameter values: a JSON file (one point) or a Stan CSV file (a point per row)")
	f.StringVar(&upars, "unconstrained-params", "", "a JSON file whose params_r is an unconstrained point or an array of them")
	f.BoolVar(&jacobian, "jacobian", jacobian, "include the log Jacobian of the constraining transforms")
	f.StringVar(&output, "output", "output.csv", "output file")
	f.IntVar(&sigFigs, "sig-figs", 6, "significant digits in the CSV")
	return cmd
}

// readParamsR reads CmdStan's unconstrained points: params_r, one vector
// of m's unconstrained dimension or an array of them.
func readParamsR(m *compile.Model, path string) ([][]float64, error) {
	values, err := model.ReadDataFile(path)
	if err != nil {
		return nil, err
	}
	v, ok := values["params_r"]
	if !ok {
		return nil, fmt.Errorf("%s: no variable params_r", path)
	}
	d := m.Dim()
	switch {
	case len(v.Dims) == 1 && v.Dims[0] == d:
		return [][]float64{v.Elems}, nil
	case len(v.Dims) == 2 && v.Dims[1] == d:
		out := make([][]float64, v.Dims[0])
		for i := range out {
			out[i] = v.Elems[i*d : (i+1)*d]
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s: params_r has sizes %v; the model has %d unconstrained parameters, so it must be a vector of %d or an array of them", path, v.Dims, d, d)
}
