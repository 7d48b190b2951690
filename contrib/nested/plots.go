package nested

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/gostan/gostan/diag/plots"
)

// cornerColumns bounds the corner plot's columns, to keep it legible.
const cornerColumns = 8

// Diagnostics writes two PNG files into dir (made if missing), after
// jaxns's plot_diagnostics and plot_cornerplot: evidence.png, the log
// likelihood, the posterior weight and the evidence accumulated against
// -log X, the prior volume; corner.png, each column's histogram and each
// pair's scatter of 1000 resampled draws (the first 8 columns).
func (r *Result) Diagnostics(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := r.evidencePlot(filepath.Join(dir, "evidence.png")); err != nil {
		return err
	}
	return r.cornerPlot(filepath.Join(dir, "corner.png"))
}

func (r *Result) evidencePlot(path string) error {
	n := len(r.LogL)
	logL, weight, cum := make(plotter.XYs, 0, n), make(plotter.XYs, 0, n), make(plotter.XYs, 0, n)
	total := 0.0
	for i := range r.LogL {
		x := -r.LogX[i]
		w := math.Exp(r.LogWeights[i])
		total += w
		if !math.IsInf(r.LogL[i], 0) {
			logL = append(logL, plotter.XY{X: x, Y: r.LogL[i]})
		}
		weight = append(weight, plotter.XY{X: x, Y: w})
		cum = append(cum, plotter.XY{X: x, Y: total})
	}
	panels := []struct {
		y   string
		xys plotter.XYs
	}{{"log L", logL}, {"posterior weight", weight}, {"evidence so far / Z", cum}}
	grid := make([][]*plot.Plot, len(panels))
	for i, pn := range panels {
		p := plot.New()
		p.X.Label.Text = "-log X (prior volume)"
		p.Y.Label.Text = pn.y
		if i == 0 {
			p.Title.Text = fmt.Sprintf("log Z = %.3f ± %.3f", r.LogZ, r.LogZErr)
		}
		l, err := plotter.NewLine(pn.xys)
		if err != nil {
			return err
		}
		p.Add(l)
		grid[i] = []*plot.Plot{p}
	}
	return plots.SaveGrid(path, grid, 6*vg.Inch, 9*vg.Inch)
}

func (r *Result) cornerPlot(path string) error {
	k := min(len(r.Names), cornerColumns)
	draws := r.Samples(1, 1000)
	grid := make([][]*plot.Plot, k)
	for i := range k {
		grid[i] = make([]*plot.Plot, k)
		for j := range k {
			if j > i {
				continue
			}
			p := plot.New()
			if i == k-1 {
				p.X.Label.Text = r.Names[j]
			}
			if j == 0 && i > 0 {
				p.Y.Label.Text = r.Names[i]
			}
			if i == j {
				// The resampled draws, not every weighted point: the
				// prior's early points would stretch the axis.
				xys := make(plotter.XYs, len(draws))
				for n, d := range draws {
					xys[n] = plotter.XY{X: d[i], Y: 1 / float64(len(draws))}
				}
				h, err := plotter.NewHistogram(finite(xys), 30)
				if err != nil {
					return err
				}
				p.Add(h)
			} else {
				xys := make(plotter.XYs, len(draws))
				for n, d := range draws {
					xys[n] = plotter.XY{X: d[j], Y: d[i]}
				}
				s, err := plotter.NewScatter(finite(xys))
				if err != nil {
					return err
				}
				s.GlyphStyle.Radius = vg.Points(0.8)
				s.GlyphStyle.Color = color.RGBA{B: 160, A: 255}
				p.Add(s)
			}
			grid[i][j] = p
		}
	}
	side := vg.Length(2.2*float64(k)) * vg.Inch
	return plots.SaveGrid(path, grid, side, side)
}

// finite drops points with a non-finite coordinate.
func finite(xys plotter.XYs) plotter.XYs {
	out := xys[:0]
	for _, p := range xys {
		if !math.IsNaN(p.X) && !math.IsNaN(p.Y) && !math.IsInf(p.X, 0) && !math.IsInf(p.Y, 0) {
			out = append(out, p)
		}
	}
	return out
}
