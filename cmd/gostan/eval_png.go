package main

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The accuracy picture's layout, in points: a row per posterior, a column
// per method.
const (
	accRowH   = 14
	accColW   = 92
	accMargin = 8
	accFont   = 9
	// accLegendW is the width of a legend box and its gap.
	accLegendW = 42
)

// accuracyTitle is the picture's title line.
func accuracyTitle() string {
	return fmt.Sprintf("max |mean - mean_ref| / sd_ref over PosteriorDB's reference posteriors (pass: below %.1f)", passThreshold)
}

// accuracyLayout places the cells of the accuracy picture: the image's
// size, and cell (row, col)'s lower left corner, rows from the top.
type accuracyLayout struct {
	posts, methods []string
	nameW          vg.Length
	w, h           vg.Length
}

// newAccuracyLayout orders the posteriors by name and the methods as they
// first appear, as writeReport does.
func newAccuracyLayout(results []evalResult, sty draw.TextStyle) accuracyLayout {
	var l accuracyLayout
	seenM, seenP := map[string]bool{}, map[string]bool{}
	for _, r := range results {
		if !seenM[r.Method] {
			seenM[r.Method] = true
			l.methods = append(l.methods, r.Method)
		}
		if !seenP[r.Posterior] {
			seenP[r.Posterior] = true
			l.posts = append(l.posts, r.Posterior)
		}
	}
	sort.Strings(l.posts)
	for _, p := range l.posts {
		l.nameW = max(l.nameW, sty.Width(p))
	}
	l.nameW += 6
	// Wide enough for the table, the title and the legend's 7 boxes.
	title := sty
	title.Font.Size = accFont + 2
	l.w = 2*accMargin + max(l.nameW+vg.Length(len(l.methods))*accColW, title.Width(accuracyTitle()), 7*accLegendW)
	// A title row, a header row, the posteriors, a legend row.
	l.h = 2*accMargin + vg.Length(len(l.posts)+3)*accRowH
	return l
}

// cell is the lower left corner of cell (row, col); row -1 is the header.
func (l accuracyLayout) cell(row, col int) vg.Point {
	return vg.Point{X: accMargin + l.nameW + vg.Length(col)*accColW, Y: l.h - accMargin - vg.Length(row+3)*accRowH}
}

// errColor colours a max error: green at 0, yellow at the pass threshold
// (0.3), red from 1 up, hue interpolated between (log scale above the
// threshold).
func errColor(e float64) color.Color {
	var t float64
	if e <= passThreshold {
		t = 0.5 * e / passThreshold
	} else {
		t = 0.5 + 0.5*math.Min(1, math.Log(e/passThreshold)/math.Log(1/passThreshold))
	}
	return hueColor(120 * (1 - t))
}

// hueColor is a light colour of hue h degrees (0 red, 60 yellow, 120 green).
func hueColor(h float64) color.Color {
	// HSV with saturation 0.55, value 0.95.
	const s, v = 0.55, 0.95
	c := v * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	var r, g, b float64
	switch {
	case h < 60:
		r, g = c, x
	default:
		r, g = x, c
	}
	m := v - c
	to := func(f float64) uint8 { return uint8(math.Round((f + m) * 255)) }
	return color.RGBA{R: to(r), G: to(g), B: to(b), A: 255}
}

// errorGrey fills the cells of runs that failed.
var errorGrey = color.RGBA{R: 190, G: 190, B: 190, A: 255}

// writeAccuracyPNG draws the report's table as a PNG: a row per
// posterior, a column per method, each cell its max error coloured by
// errColor (yellow at the threshold, red above), grey "error" for a failed run,
// blank where the method was not run.
func writeAccuracyPNG(path string, results []evalResult) error {
	if len(results) == 0 {
		return fmt.Errorf("no results to draw")
	}
	sty := draw.TextStyle{Color: color.Black, Font: font.From(plot.DefaultFont, accFont), Handler: plot.DefaultTextHandler,
		YAlign: text.YCenter}
	l := newAccuracyLayout(results, sty)
	cell := map[[2]string]evalResult{}
	for _, r := range results {
		cell[[2]string{r.Posterior, r.Method}] = r
	}
	img := vgimg.New(l.w, l.h)
	dc := draw.New(img)
	dc.FillPolygon(color.White, []vg.Point{{X: 0, Y: 0}, {X: l.w, Y: 0}, {X: l.w, Y: l.h}, {X: 0, Y: l.h}})
	centre := sty
	centre.XAlign = text.XCenter
	title := sty
	title.Font.Size = accFont + 2
	dc.FillText(title, vg.Point{X: accMargin, Y: l.h - accMargin - accRowH/2}, accuracyTitle())
	for j, m := range l.methods {
		c := l.cell(-1, j)
		dc.FillText(centre, vg.Point{X: c.X + accColW/2, Y: c.Y + accRowH/2}, m)
	}
	for i, p := range l.posts {
		c0 := l.cell(i, 0)
		dc.FillText(sty, vg.Point{X: accMargin, Y: c0.Y + accRowH/2}, p)
		for j, m := range l.methods {
			r, ok := cell[[2]string{p, m}]
			if !ok {
				continue
			}
			c := l.cell(i, j)
			fill, label := errColor(r.MaxErr), fmt.Sprintf("%.3f", r.MaxErr)
			if r.Error != "" {
				fill, label = errorGrey, "error"
			}
			dc.FillPolygon(fill, []vg.Point{{X: c.X + 1, Y: c.Y + 1}, {X: c.X + accColW - 1, Y: c.Y + 1},
				{X: c.X + accColW - 1, Y: c.Y + accRowH - 1}, {X: c.X + 1, Y: c.Y + accRowH - 1}})
			dc.FillText(centre, vg.Point{X: c.X + accColW/2, Y: c.Y + accRowH/2}, label)
		}
	}
	// The legend: the scale at a few errors, and the error grey.
	y := l.cell(len(l.posts), 0).Y
	x := vg.Length(accMargin)
	for _, e := range []float64{0, 0.1, 0.2, 0.3, 0.5, 1} {
		dc.FillPolygon(errColor(e), []vg.Point{{X: x, Y: y + 2}, {X: x + 40, Y: y + 2}, {X: x + 40, Y: y + accRowH - 2}, {X: x, Y: y + accRowH - 2}})
		label := fmt.Sprintf("%g", e)
		if e == 1 {
			label = "≥ 1"
		}
		dc.FillText(centre, vg.Point{X: x + 20, Y: y + accRowH/2}, label)
		x += accLegendW
	}
	dc.FillPolygon(errorGrey, []vg.Point{{X: x, Y: y + 2}, {X: x + 40, Y: y + 2}, {X: x + 40, Y: y + accRowH - 2}, {X: x, Y: y + accRowH - 2}})
	dc.FillText(centre, vg.Point{X: x + 20, Y: y + accRowH/2}, "error")
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
