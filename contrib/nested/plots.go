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
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
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
	plots := make([][]*plot.Plot, len(panels))
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
		plots[i] = []*plot.Plot{p}
	}
	return savePlots(path, plots, 6*vg.Inch, 9*vg.Inch)
}

func (r *Result) cornerPlot(path string) error {
	k := min(len(r.Names), cornerColumns)
	draws := r.Samples(1, 1000)
	plots := make([][]*plot.Plot, k)
	for i := range k {
		plots[i] = make([]*plot.Plot, k)
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
			plots[i][j] = p
		}
	}
	side := vg.Length(2.2*float64(k)) * vg.Inch
	return savePlots(path, plots, side, side)
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

// savePlots draws a grid of plots (nil cells left blank) into a PNG file.
func savePlots(path string, plots [][]*plot.Plot, w, h vg.Length) error {
	img := vgimg.New(w, h)
	dc := draw.New(img)
	t := draw.Tiles{Rows: len(plots), Cols: len(plots[0]), PadX: vg.Millimeter, PadY: vg.Millimeter,
		PadTop: vg.Millimeter, PadBottom: vg.Millimeter, PadLeft: vg.Millimeter, PadRight: vg.Millimeter}
	canvases := plot.Align(plots, t, dc)
	for i := range plots {
		for j, p := range plots[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
