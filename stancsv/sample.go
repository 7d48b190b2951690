package stancsv

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/model"
)

// Run is what a configuration block records besides the method's own
// settings.
type Run struct {
	Model      string // the Stan file
	Data       string // the data file, "" for none
	Init       string // as given: a radius or a file of initial values
	Output     string // the file written
	Diagnostic string // the diagnostic file written, "" for none (CmdStan's diagnostic_file)
	MetricFile string // sample: the initial inverse metric's file, if any
	Chains     int    // sample: chains in the run
	Refresh    int    // progress reports every this many iterations; 0: none
	SigFigs    int
	Threads    int // chains run in parallel
}

// SampleFile streams one chain of nuts.SampleContext to a Stan CSV file as
// CmdStan writes it: the configuration and the header when created, each
// draw as it is made, the adaptation block when warmup ends, the timings
// in Finish. It is the chain's nuts.Sink.
type SampleFile struct {
	*Stream
	cfg           nuts.Config
	fixed         bool
	row           []float64
	Warmup, Draws int // rows written of each phase
	// diag is run.Diagnostic, CmdStan's diagnostic_file, when there is
	// one: Phase writes its rows.
	diag    *Stream
	diagRow []float64
}

// CreateSample creates run.Output for chain cfg.Chain of m, sampled with
// cfg, and writes its configuration and header.
func CreateSample(run Run, m model.Model, cfg nuts.Config) (*SampleFile, error) {
	fixed := cfg.FixedParam || m.Dim() == 0
	s, err := Create(run.Output, run.Model, run.SigFigs, sampleConfig(run, cfg, fixed))
	if err != nil {
		return nil, err
	}
	cols := nuts.StatNames
	if fixed {
		cols = cols[:2]
	}
	names := ColumnNames(m.Names())
	s.Columns(append(append([]string(nil), cols...), names...))
	f := &SampleFile{Stream: s, cfg: cfg, fixed: fixed, row: make([]float64, len(cols)+len(names))}
	if run.Diagnostic != "" {
		if err := f.createDiagnostic(run, m); err != nil {
			s.Close()
			return nil, err
		}
	}
	return f, nil
}

// createDiagnostic creates run.Diagnostic with the sample file's
// configuration and the columns of Stan's mcmc_writer: the sampler's,
// then each unconstrained coordinate's position, momentum (p_) and
// potential gradient (g_), named as unconstrained_param_names names them;
// the fixed_param sampler has lp__ and accept_stat__ alone.
func (f *SampleFile) createDiagnostic(run Run, m model.Model) error {
	cols := slices.Clone(nuts.StatNames)
	if f.fixed {
		cols = cols[:2]
	} else {
		un, ok := m.(interface{ UnconstrainedNames() []string })
		if !ok {
			return fmt.Errorf("%s: the model does not name its unconstrained parameters", run.Diagnostic)
		}
		names := un.UnconstrainedNames()
		cols = append(cols, names...)
		for _, prefix := range []string{"p_", "g_"} {
			for _, n := range names {
				cols = append(cols, prefix+n)
			}
		}
	}
	d, err := Create(run.Diagnostic, run.Model, run.SigFigs, sampleConfig(run, f.cfg, f.fixed))
	if err != nil {
		return err
	}
	d.Columns(cols)
	f.diag, f.diagRow = d, make([]float64, len(cols))
	return nil
}

// Phase writes one row of the diagnostic file (nuts.Hooks.Phase).
func (f *SampleFile) Phase(st nuts.Stats, q, p, g []float64, warmup bool) error {
	if f.fixed {
		f.diagRow[0], f.diagRow[1] = st.LP, st.AcceptStat
		return f.diag.Row(f.diagRow)
	}
	row := st.AppendValues(f.diagRow[:0])
	row = append(append(append(row, q...), p...), g...)
	return f.diag.Row(row)
}

// sampleConfig is CmdStan's configuration block for the sample method,
// with the settings used.
func sampleConfig(run Run, cfg nuts.Config, fixed bool) []string {
	warmup, engaged := cfg.Warmup, boolInt(cfg.Adapt)
	if fixed {
		warmup, engaged = 0, "0"
	}
	lines := []string{
		"method = sample (Default)",
		"  sample",
		fmt.Sprintf("    num_samples = %d", cfg.Samples),
		fmt.Sprintf("    num_warmup = %d", warmup),
		"    save_warmup = " + boolInt(cfg.SaveWarmup && !fixed),
		fmt.Sprintf("    thin = %d", cfg.Thin),
		"    adapt",
		"      engaged = " + engaged,
		fmt.Sprintf("      gamma = %g", cfg.Gamma),
		fmt.Sprintf("      delta = %g", cfg.Delta),
		fmt.Sprintf("      kappa = %g", cfg.Kappa),
		fmt.Sprintf("      t0 = %g", cfg.T0),
		fmt.Sprintf("      init_buffer = %d", cfg.InitBuffer),
		fmt.Sprintf("      term_buffer = %d", cfg.TermBuffer),
		fmt.Sprintf("      window = %d", cfg.Window),
	}
	if fixed {
		lines = append(lines, "    algorithm = fixed_param")
	} else {
		lines = append(lines,
			"    algorithm = hmc (Default)",
			"      hmc",
			"        engine = nuts (Default)",
			"          nuts",
			fmt.Sprintf("            max_depth = %d", cfg.MaxDepth),
			fmt.Sprintf("        metric = %s", cfg.Metric),
			"        metric_file = "+run.MetricFile,
			fmt.Sprintf("        stepsize = %g", cfg.StepSize),
			jitterLine(cfg.StepSizeJitter))
	}
	lines = append(lines,
		fmt.Sprintf("    num_chains = %d", max(run.Chains, 1)),
		fmt.Sprintf("id = %d", cfg.Chain),
		"data",
		"  file = "+run.Data,
		"init = "+run.Init,
		"random",
		fmt.Sprintf("  seed = %d", cfg.Seed),
		"output",
		"  file = "+run.Output)
	lines = append(lines, run.diagnosticLine()...)
	return append(lines,
		fmt.Sprintf("  refresh = %d", run.Refresh),
		fmt.Sprintf("  sig_figs = %d", run.SigFigs),
		fmt.Sprintf("num_threads = %d", run.Threads),
		"stanc_version = gostan "+Version)
}

// diagnosticLine is the header's diagnostic_file line, written when the
// run writes one.
func (run Run) diagnosticLine() []string {
	if run.Diagnostic == "" {
		return nil
	}
	return []string{"  diagnostic_file = " + run.Diagnostic}
}

func boolInt(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Draw writes one row: the sampler's columns, then the model's.
func (f *SampleFile) Draw(st nuts.Stats, row []float64, warmup bool) error {
	if f.fixed {
		f.row[0], f.row[1] = st.LP, st.AcceptStat
	} else {
		st.AppendValues(f.row[:0])
	}
	copy(f.row[len(f.row)-len(row):], row)
	if warmup {
		f.Warmup++
	} else {
		f.Draws++
	}
	return f.Row(f.row)
}

// Adapted writes the adaptation block: the step size and the inverse
// metric (its diagonal, or the dense matrix row by row).
func (f *SampleFile) Adapted(stepSize float64, inv []float64) error {
	f.Comment("Adaptation terminated", "Step size = "+strconv.FormatFloat(stepSize, 'g', -1, 64))
	if f.cfg.Metric != nuts.Dense {
		f.Comment("Diagonal elements of inverse mass matrix:", joinFloats(inv))
		return nil
	}
	f.Comment("Elements of inverse mass matrix:")
	k := 0
	for k*k < len(inv) {
		k++
	}
	for i := range k {
		f.Comment(joinFloats(inv[i*k : (i+1)*k]))
	}
	return nil
}

// Finish writes the timings of a chain that ran to its end (an
// interrupted one gets none, as CmdStan's), to the diagnostic file too,
// and closes the files.
func (f *SampleFile) Finish(ch *nuts.Chain) error {
	if ch != nil && !ch.Interrupted {
		timing := []string{"",
			fmt.Sprintf(" Elapsed Time: %.3f seconds (Warm-up)", ch.WarmupSeconds),
			fmt.Sprintf("               %.3f seconds (Sampling)", ch.SampleSeconds),
			fmt.Sprintf("               %.3f seconds (Total)", ch.WarmupSeconds+ch.SampleSeconds),
			""}
		f.Comment(append(timing, fmt.Sprintf("Gradient evaluations: %d", ch.Gradients))...)
		if f.diag != nil {
			f.diag.Comment(timing...)
		}
	}
	return f.Close()
}

// Close flushes and closes the sample file and the diagnostic file.
func (f *SampleFile) Close() error {
	err := f.Stream.Close()
	if f.diag != nil {
		if derr := f.diag.Close(); err == nil {
			err = derr
		}
	}
	return err
}

// jitterLine is the stepsize_jitter line, marked as CmdStan marks it when
// it has its default, 0.
func jitterLine(j float64) string {
	if j == 0 {
		return "        stepsize_jitter = 0 (Default)"
	}
	return fmt.Sprintf("        stepsize_jitter = %g", j)
}
