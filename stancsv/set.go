package stancsv

import (
	"fmt"
	"io"

	"github.com/gostan/gostan/draws"
)

// WriteSet writes a method's draws as one Stan CSV file, as CmdStan lays
// out its optimize, laplace, variational and pathfinder output: the
// preamble, the set's configuration then the run's (data, init, seed,
// output), the header (the model's columns CmdStan's way, theta.1), the
// set's comments, its Mean row if any, the draws chain after chain,
// then the set's footer.
// run.SigFigs of 0 writes CmdStan's 6.
func WriteSet(w io.Writer, set *draws.Set, run Run) error {
	sig := run.SigFigs
	if sig <= 0 {
		sig = 6
	}
	cw := NewWriter(w, sig)
	cw.Comment(Preamble(run.Model)...)
	cw.Comment(set.Config...)
	cw.Comment("data", "  file = "+run.Data)
	if run.Init != "" {
		cw.Comment("init = " + run.Init)
	}
	cw.Comment("random", fmt.Sprintf("  seed = %d", set.Seed),
		"output", "  file = "+run.Output)
	cw.Comment(run.diagnosticLine()...)
	cw.Comment(fmt.Sprintf("  refresh = %d", run.Refresh),
		fmt.Sprintf("  sig_figs = %d", sig),
		"stanc_version = gostan "+Version)
	if len(set.Columns) > 0 { // a set without columns is comments alone, as diagnose's file
		cw.Columns(ColumnNames(set.Columns))
	}
	cw.Comment(set.Comments...)
	if set.Mean != nil {
		if err := cw.Row(set.Mean); err != nil {
			return err
		}
	}
	for _, ch := range set.Chains {
		for _, row := range ch {
			if err := cw.Row(row); err != nil {
				return err
			}
		}
	}
	cw.Comment(set.Footer...)
	return cw.Flush()
}
