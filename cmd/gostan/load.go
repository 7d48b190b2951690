package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"sync/atomic"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/scanner"
)

// loadModel parses, checks and compiles a Stan file and binds its data
// (Stan JSON, or zipped as PosteriorDB ships it; none when dataPath is
// empty). Diagnostics go to stderr.
func loadModel(stderr io.Writer, path, dataPath string, seed uint64) (*compile.Model, error) {
	prog, info, fset, err := loadProgram(stderr, path, nil, check.Config{})
	if err != nil {
		return nil, exitError{}
	}
	data := model.Data{}
	if dataPath != "" {
		if data, err = model.ReadDataFile(dataPath); err != nil {
			return nil, err
		}
	}
	p, err := compile.Compile(fset, prog, info)
	if err != nil {
		if list, ok := err.(scanner.ErrorList); ok {
			fmt.Fprint(stderr, list.Render(fset))
			return nil, exitError{}
		}
		return nil, err
	}
	p.Print = stderr
	for _, name := range p.ExtraData(data) {
		fmt.Fprintf(stderr, "warning: data variable %q is not declared in %s\n", name, path)
	}
	m, err := p.NewModel(data, seed)
	if err != nil && dataPath != "" {
		return nil, fmt.Errorf("%s: %w", dataPath, err)
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// isTerminal reports whether f is an interactive terminal, where progress
// bars are shown.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBars shows one bar per chain on a terminal and nothing
// elsewhere.
type progressBars struct {
	p    *mpb.Progress
	bars []*mpb.Bar
}

func (pb *progressBars) set(i, n int) {
	if pb.p != nil {
		pb.bars[i].SetCurrent(int64(n))
	}
}

func (pb *progressBars) wait() {
	if pb.p != nil {
		for _, b := range pb.bars {
			b.Abort(false)
		}
		pb.p.Wait()
	}
}

// elboProgress shows SVI's progress: on a terminal a bar with the ELBO,
// elsewhere a line every elboLineEvery steps.
type elboProgress struct {
	pb           *progressBars
	elbo         atomic.Uint64 // float64 bits, read by the renderer
	w            io.Writer     // for the lines; nil on a terminal
	label        string
	total, width int
}

// elboLineEvery is the steps between two progress lines when stderr is not
// a terminal: the window of SVI's stopping rule.
const elboLineEvery = 1000

func newELBOProgress(w io.Writer, label string, total int) *elboProgress {
	sp := &elboProgress{pb: &progressBars{}, label: label, total: total, width: len(fmt.Sprint(total))}
	sp.elbo.Store(math.Float64bits(math.NaN()))
	if !isTerminal(w) {
		sp.w = w
		return sp
	}
	sp.pb.p = mpb.New(mpb.WithOutput(w), mpb.WithWidth(40))
	elbo := decor.Any(func(decor.Statistics) string {
		return fmt.Sprintf("ELBO %.6g", math.Float64frombits(sp.elbo.Load()))
	})
	sp.pb.bars = append(sp.pb.bars, sp.pb.p.AddBar(int64(total),
		mpb.PrependDecorators(decor.Name(label, decor.WC{W: len(label) + 1, C: decor.DindentRight})),
		mpb.AppendDecorators(decor.CountersNoUnit("%d / %d"), decor.Name("  "), elbo)))
	return sp
}

// set shows step and the ELBO.
func (sp *elboProgress) set(step int, elbo float64) {
	if sp.w != nil {
		if step%elboLineEvery == 0 {
			fmt.Fprintf(sp.w, "%s: step %*d / %d  ELBO %.6g\n", sp.label, sp.width, step, sp.total, elbo)
		}
		return
	}
	sp.elbo.Store(math.Float64bits(elbo))
	sp.pb.set(0, step)
}

// running shows each step's ELBO estimate as a running mean over about a
// hundred steps, since one draw's estimate is noisy.
func (sp *elboProgress) running() func(step int, elbo float64) {
	mean := math.NaN()
	return func(step int, elbo float64) {
		if math.IsNaN(mean) {
			mean = elbo
		}
		mean += (elbo - mean) / 100
		sp.set(step, mean)
	}
}

func (sp *elboProgress) wait() { sp.pb.wait() }

// applyInit reads CmdStan's init argument: a radius, or a JSON file of
// constrained initial values (parameters it leaves out are drawn in
// (-2, 2)), which sets point.
func applyInit(m *compile.Model, init string, seed uint64, radius *float64, point *[]float64) error {
	if r, err := strconv.ParseFloat(init, 64); err == nil {
		if !(r >= 0) || math.IsInf(r, 1) {
			return fmt.Errorf("--init must be a finite nonnegative radius or a JSON file, not %v", r)
		}
		*radius = r
		return nil
	}
	values, err := model.ReadDataFile(init)
	if err != nil {
		return err
	}
	z, err := m.Unconstrain(values, rand.New(rand.NewPCG(seed, 0x1417)), 2)
	if err != nil {
		return fmt.Errorf("%s: %w", init, err)
	}
	*point = z
	return nil
}
