package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stancsv"
)

func newDiagnoseCmd() *cobra.Command {
	var dataPath, output, init, profileFile string
	var seed uint64
	var sigFigs int
	epsilon, tolerance := 1e-6, 1e-6
	cmd := &cobra.Command{
		Use:   "diagnose MODEL.stan",
		Short: "Compare the model's gradient with finite differences, as CmdStan's diagnose method",
		Long: "diagnose evaluates the log density and its gradient at the initial point on the unconstrained\n" +
			"scale (random in (-R, R) by default, or --init's values) and compares the gradient with central\n" +
			"finite differences of step --epsilon, as CmdStan's diagnose method (test=gradient) does. It prints\n" +
			"Stan's table (param idx, value, model, finite diff, error), writes it as comment lines of a Stan\n" +
			"CSV file, and says how many coordinates differ by more than --error.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if seed == 0 {
				seed = uint64(time.Now().UnixNano())
			}
			m, err := loadModel(cmd.ErrOrStderr(), args[0], dataPath, seed)
			if err != nil {
				return err
			}
			radius := 2.0
			var point []float64
			if err := applyInit(m, init, seed, &radius, &point); err != nil {
				return err
			}
			prof, err := startProfiling(m, profileFile, args[0], dataPath, init, output)
			if err != nil {
				return err
			}
			x, g := make([]float64, m.Dim()), make([]float64, m.Dim())
			if _, _, err := model.Initialize(m, point, radius, rand.New(rand.NewPCG(seed, 0xd1a9)), x, g); err != nil {
				return err
			}
			check, err := model.CheckGradient(m, x, epsilon, tolerance)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintln(out, "TEST GRADIENT MODE")
			lines := check.Lines()
			for _, l := range lines {
				fmt.Fprintln(out, l)
			}
			set := &draws.Set{
				Config: []string{
					"method = diagnose",
					"  diagnose",
					"    test = gradient (Default)",
					"      gradient",
					"        epsilon = " + strconv.FormatFloat(epsilon, 'g', -1, 64),
					"        error = " + strconv.FormatFloat(tolerance, 'g', -1, 64),
				},
				Comments: lines,
				Seed:     seed,
			}
			if err := writeSet(set, stancsv.Run{Model: args[0], Data: dataPath, Init: init, Output: output, SigFigs: sigFigs}); err != nil {
				return err
			}
			if err := writeProfile(out, prof, profileFile); err != nil {
				return err
			}
			if check.Failed > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "%d of %d gradient coordinates differ from the finite differences by more than %g\n", check.Failed, len(x), tolerance)
			}
			return nil
		},
	}
	f := cmd.Flags()
	profileFlag(f, &profileFile)
	f.StringVar(&dataPath, "data", "", "data file: Stan JSON (.json or .json.zip) or R dump (.R)")
	f.Float64Var(&epsilon, "epsilon", epsilon, "finite difference step")
	f.Float64Var(&tolerance, "error", tolerance, "largest difference allowed between the gradient and the finite difference")
	f.Uint64Var(&seed, "seed", 0, "random seed (0: from the clock)")
	f.StringVar(&init, "init", "2", "a number R (initial values uniform in (-R, R) on the unconstrained scale) or a JSON file of initial values, as CmdStan takes")
	f.StringVar(&output, "output", "output.csv", "output file")
	f.IntVar(&sigFigs, "sig-figs", 6, "significant digits in the CSV")
	return cmd
}
