// Command gostan reads Stan programs and runs Bayesian inference on them.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/stan/scanner"
	"github.com/gostan/gostan/stancsv"
)

func main() {
	if err := newRoot().Execute(); err != nil {
		e, ok := err.(exitError)
		if !ok {
			fmt.Fprintln(os.Stderr, "gostan:", printableLines(err.Error()))
		}
		os.Exit(e.status())
	}
}

// printableLines escapes what is not printable in each line of an error
// message: a name read from a binary file must not send control
// characters to the terminal.
func printableLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = scanner.Printable(l)
	}
	return strings.Join(lines, "\n")
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
		// Every command's numeric flags are checked against flagRanges
		// before it runs.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return validateFlags(cmd) },
	}
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(newCheckCmd(), newSampleCmd(), newOptimizeCmd(), newLaplaceCmd(), newVariationalCmd(), newGQCmd(),
		newLogDensityCmd(), newSummaryCmd(), newEvalCmd(), newBenchCmd(), newNestedCmd(), newSteinCmd(),
		newPlotCmd(), newBridgeStanCmd(), newPathfinderCmd(), newDiagnoseCmd(), newLogProbCmd())
	return root
}
