// Command gostan reads Stan programs and runs Bayesian inference on them.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/stancsv"
)

func main() {
	if err := newRoot().Execute(); err != nil {
		e, ok := err.(exitError)
		if !ok {
			fmt.Fprintln(os.Stderr, "gostan:", err)
		}
		os.Exit(e.status())
	}
}

// exitError ends the command after its diagnostics were printed, with
// status code, or 1 when code is 0.
type exitError struct{ code int }

func (exitError) Error() string { return "failed" }

func (e exitError) status() int {
	if e.code == 0 {
		return 1
	}
	return e.code
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "gostan",
		Short:         "Stan programs compiled to Go: NUTS, ADVI and variational inference in one binary",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       stancsv.Version,
	}
	root.AddCommand(newCheckCmd(), newSampleCmd(), newOptimizeCmd(), newLaplaceCmd(), newVariationalCmd(), newGQCmd(),
		newLogDensityCmd(), newSummaryCmd(), newEvalCmd(), newBenchCmd())
	return root
}
