package main

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/stancsv"
)

func newGQCmd() *cobra.Command {
	var dataPath, output, profileFile string
	var fitted []string
	var seed uint64
	var sigFigs int
	cmd := &cobra.Command{
		Use:   "generate-quantities MODEL.stan --fitted-params FILE.csv [FILE.csv...]",
		Short: "Run the generated quantities block on the draws of a Stan CSV file",
		Long: "generate-quantities is CmdStan's standalone generated quantities method: for every draw of\n" +
			"the fitted-params Stan CSV files (from gostan sample or CmdStan) it reads the parameters,\n" +
			"recomputes the transformed parameters and runs the generated quantities block with a seeded\n" +
			"RNG. The program must have the fitted model's parameters; its generated quantities may be new.\n\n" +
			"As CmdStan 2.33 and later do, each output file holds the input's method columns (lp__,\n" +
			"accept_stat__, ...) copied, then the parameters, transformed parameters and generated\n" +
			"quantities. One input file writes --output as named; several write name_1.csv, name_2.csv, ...\n" +
			"Files after MODEL.stan and glob patterns count as fitted-params files too.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			inputs, err := expandFitted(append(fitted, args[1:]...))
			if err != nil {
				return err
			}
			if seed == 0 {
				seed = uint64(time.Now().UnixNano())
			}
			stderr := cmd.ErrOrStderr()
			m, err := loadModel(stderr, args[0], dataPath, seed)
			if err != nil {
				return err
			}
			if len(m.GQNames()) == 0 {
				return fmt.Errorf("%s: Model doesn't generate any quantities of interest", args[0])
			}
			files := make([]*stancsv.File, len(inputs))
			for i, in := range inputs {
				if files[i], err = readFitted(in); err != nil {
					return err
				}
			}
			outputs := outputNames(output, len(inputs), 1)
			for _, o := range outputs {
				for _, in := range inputs {
					if sameFile(o, in) {
						return fmt.Errorf("output file %s is also a fitted-params file; choose another --output", o)
					}
				}
			}
			prof, err := startProfiling(m, profileFile, slices.Concat([]string{args[0], dataPath}, inputs, outputs)...)
			if err != nil {
				return err
			}
			for i, f := range files {
				plan, err := planColumns(m, f, inputs[i])
				if err != nil {
					return err
				}
				if len(plan.dropped) > 0 {
					fmt.Fprintf(stderr, "%s: columns not in %s are left out: %s\n", inputs[i], args[0], strings.Join(plan.dropped, ", "))
				}
				rng := rand.New(rand.NewPCG(seed, 0x6e0+uint64(i)))
				failed, err := writeGQ(outputs[i], args[0], dataPath, inputs[i], seed, i+1, sigFigs, m, f, plan, rng, stderr)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s (%d draws", outputs[i], len(f.Draws))
				if failed > 0 {
					fmt.Fprintf(cmd.OutOrStdout(), ", %d with failed generated quantities", failed)
				}
				fmt.Fprintln(cmd.OutOrStdout(), ")")
			}
			return writeProfile(cmd.OutOrStdout(), prof, profileFile)
		},
	}
	f := cmd.Flags()
	profileFlag(f, &profileFile)
	f.StringVar(&dataPath, "data", "", "data file: Stan JSON (.json or .json.zip) or R dump (.R)")
	f.StringArrayVar(&fitted, "fitted-params", nil, "Stan CSV file of draws (repeatable; glob patterns are expanded)")
	f.Uint64Var(&seed, "seed", 0, "random seed (0: from the clock)")
	f.StringVar(&output, "output", "output.csv", "output file; with several fitted-params files, name_1.csv, name_2.csv, ...")
	f.IntVar(&sigFigs, "sig-figs", 6, "significant digits in the CSV")
	return cmd
}

// expandFitted expands glob patterns; a name without a match is kept, so
// that opening it reports the missing file.
func expandFitted(names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		if strings.ContainsAny(n, "*?[") {
			m, err := filepath.Glob(n)
			if err != nil {
				return nil, fmt.Errorf("--fitted-params %q: %w", n, err)
			}
			if len(m) > 0 {
				out = append(out, m...)
				continue
			}
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--fitted-params: no Stan CSV file of draws given")
	}
	return out, nil
}

func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(sa, sb)
	}
	return filepath.Clean(a) == filepath.Clean(b)
}

func readFitted(path string) (*stancsv.File, error) {
	r, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	f, err := stancsv.Read(r)
	if err != nil {
		return nil, fmt.Errorf("%s: not a Stan CSV file: %w", path, err)
	}
	return f, nil
}

// columnPlan says where the columns of a Stan CSV file of draws (fitted
// params, or a mode) go.
type columnPlan struct {
	method  []int    // input columns of the method (names ending in __), copied
	params  []int    // input column of each of the model's parameter columns
	dropped []string // input columns that are neither (another model's quantities)
}

// planColumns matches a fitted-params file's columns with the model's: every
// parameter column must be there; a column named like one of the model's
// parameters but not among its columns (another size) means the file is
// from another model or data.
func planColumns(m *compile.Model, f *stancsv.File, path string) (*columnPlan, error) {
	p := &columnPlan{}
	pnames := stancsv.ColumnNames(m.ParamNames())
	paramVar := map[string]bool{}
	for _, n := range pnames {
		paramVar[strings.SplitN(n, ".", 2)[0]] = true
	}
	modelCol := map[string]bool{}
	for _, n := range stancsv.ColumnNames(m.Names()) {
		modelCol[n] = true
	}
	for i, c := range f.Columns {
		switch {
		case strings.HasSuffix(c, "__"):
			p.method = append(p.method, i)
		case modelCol[c]:
		case paramVar[strings.SplitN(c, ".", 2)[0]]:
			return nil, fmt.Errorf("%s: column %s is not a column of the model's parameter %s: the draws are from another model or other data",
				path, c, strings.SplitN(c, ".", 2)[0])
		default:
			p.dropped = append(p.dropped, c)
		}
	}
	var missing []string
	for _, n := range pnames {
		i := f.Column(n)
		if i < 0 {
			missing = append(missing, n)
		}
		p.params = append(p.params, i)
	}
	if len(missing) > 0 {
		more := ""
		if len(missing) > 5 {
			more = fmt.Sprintf(" and %d more", len(missing)-5)
			missing = missing[:5]
		}
		what := "column " + missing[0] + " is"
		if len(missing) > 1 {
			what = "columns " + strings.Join(missing, ", ") + more + " are"
		}
		return nil, fmt.Errorf("%s: the model's parameter %s missing: the draws are from another model", path, what)
	}
	return p, nil
}

// writeGQ writes one output file: for every draw, the method columns
// copied and the model's columns from the draw's parameters. A draw whose
// generated quantities fail keeps NaN in them and its message goes to
// stderr; a draw whose parameters are outside their support is an error.
func writeGQ(path, modelPath, dataPath, input string, seed uint64, id, sigFigs int, m *compile.Model, f *stancsv.File,
	p *columnPlan, rng *rand.Rand, stderr io.Writer) (failed int, err error) {
	config := []string{
		"method = generate_quantities",
		"  generate_quantities",
		"    fitted_params = " + input,
		fmt.Sprintf("id = %d", id),
		"data",
		"  file = " + dataPath,
		"random",
		fmt.Sprintf("  seed = %d", seed),
		"output",
		"  file = " + path,
		fmt.Sprintf("  sig_figs = %d", sigFigs),
	}
	err = stancsv.WriteFile(path, modelPath, sigFigs, config, func(w *stancsv.Writer) error {
		failed, err = writeGQRows(w, input, m, f, p, rng, stderr)
		return err
	})
	return failed, err
}

// writeGQRows writes the header and one row per draw of f.
func writeGQRows(w *stancsv.Writer, input string, m *compile.Model, f *stancsv.File, p *columnPlan, rng *rand.Rand, stderr io.Writer) (failed int, err error) {
	cols := make([]string, 0, len(p.method)+len(m.Names()))
	for _, i := range p.method {
		cols = append(cols, f.Columns[i])
	}
	w.Columns(append(cols, stancsv.ColumnNames(m.Names())...))
	row := make([]float64, len(p.method)+len(m.Names()))
	vals := make([]float64, len(p.params))
	for d, draw := range f.Draws {
		for k, i := range p.method {
			row[k] = draw[i]
		}
		for k, i := range p.params {
			vals[k] = draw[i]
		}
		data, err := m.ParamData(vals)
		if err != nil {
			return failed, err
		}
		z, err := m.Unconstrain(data, rng, 0)
		if err != nil {
			// Unconstrain speaks of initial values; here they are a draw's.
			if inner := errors.Unwrap(err); inner != nil && strings.HasPrefix(err.Error(), "initial value of ") {
				err = inner
			}
			return failed, fmt.Errorf("%s, draw %d: %w (a simplex or matrix printed with few digits can miss its constraint's tolerance: write the draws with a larger --sig-figs)", input, d+1, err)
		}
		if err := m.Write(z, rng, row[len(p.method):]); err != nil {
			failed++
			fmt.Fprintf(stderr, "%s, draw %d: %v\n", input, d+1, err)
		}
		if err := w.Row(row); err != nil {
			return failed, err
		}
	}
	return failed, nil
}
