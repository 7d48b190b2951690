package main

import (
	"fmt"
	"io"
	"os"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/scanner"
)

// loadModel parses, checks and compiles a Stan file and binds its data
// (Stan JSON, or zipped as PosteriorDB ships it; none when dataPath is
// empty). Diagnostics go to stderr.
func loadModel(stderr io.Writer, path, dataPath string, seed uint64) (*compile.Model, error) {
	prog, info, fset, err := loadProgram(stderr, path, nil)
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
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dataPath, err)
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

func newProgressBars(w io.Writer, labels []string, total int) *progressBars {
	if !isTerminal(w) {
		return &progressBars{}
	}
	pb := &progressBars{p: mpb.New(mpb.WithOutput(w), mpb.WithWidth(40))}
	for _, l := range labels {
		pb.bars = append(pb.bars, pb.p.AddBar(int64(total),
			mpb.PrependDecorators(decor.Name(l, decor.WC{W: len(l) + 1, C: decor.DindentRight})),
			mpb.AppendDecorators(decor.CountersNoUnit("%d / %d"), decor.Name(" "), decor.Percentage())))
	}
	return pb
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
