package plots

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/gostan/gostan/diag"
)

// Kind names a plot.
type Kind string

// The plots Write draws.
const (
	// Trace: each column's draws against the iteration, a line per chain.
	Trace Kind = "trace"
	// Rank: a histogram per column and chain of the chain's ranks among
	// the pooled draws; flat when the chains agree.
	Rank Kind = "rank"
	// Density: each column's kernel density estimate, one per chain.
	Density Kind = "density"
	// Pair: a scatter plot of every pair of columns, each column's
	// histogram on the diagonal.
	Pair Kind = "pair"
)

// Kinds are the plots in the order the command line lists them.
var Kinds = []Kind{Trace, Rank, Density, Pair}

// Limits on what one file shows, to keep it legible: MaxColumns rows of
// trace, rank and density plots, MaxPairColumns columns of a pair plot.
const (
	MaxColumns     = 16
	MaxPairColumns = 8
)

// RankBins is the number of bins of a rank plot's histograms, as in
// Vehtari et al.'s figures.
const RankBins = 20

// maxScatterPerChain bounds a pair plot's points per chain (evenly
// thinned); divergent draws are always drawn.
const maxScatterPerChain = 1000

// divergentColor marks divergent transitions.
var divergentColor = color.RGBA{A: 255}

// Columns resolves the names a user asks for to column indices of run: a
// column's own name (theta.1, lp__), a variable's name in Stan's notation
// (theta[1]) or a variable's base name (theta, for all of theta.1,
// theta.2, ...). An empty list is every column that is not the sampler's
// (not ending in "__"). An unknown name is an error listing the variables
// there are.
func Columns(run diag.Run, names []string) ([]int, error) {
	var out []int
	if len(names) == 0 {
		for j, c := range run.Columns {
			if !strings.HasSuffix(c, "__") {
				out = append(out, j)
			}
		}
		return out, nil
	}
	for _, name := range names {
		name = strings.TrimSpace(name)
		found := false
		for j, c := range run.Columns {
			base, _, _ := strings.Cut(c, ".")
			if c == name || diag.VariableName(c) == name || base == name {
				if !slices.Contains(out, j) {
					out = append(out, j)
				}
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no column %q; the files hold %s", name, strings.Join(variables(run.Columns), ", "))
		}
	}
	return out, nil
}

// variables lists the variables of columns once each, by base name.
func variables(columns []string) []string {
	var out []string
	for _, c := range columns {
		base, _, _ := strings.Cut(c, ".")
		if !slices.Contains(out, base) {
			out = append(out, base)
		}
	}
	return out
}

// Write draws a plot of kind for the columns cols of run into path, a PNG
// file or, when path ends in .svg, an SVG file.
func Write(path string, run diag.Run, kind Kind, cols []int) error {
	if len(run.Chains) == 0 {
		return fmt.Errorf("no chains to plot")
	}
	if len(cols) == 0 {
		return fmt.Errorf("no columns to plot")
	}
	for _, j := range cols {
		if j < 0 || j >= len(run.Columns) {
			return fmt.Errorf("column %d out of range: the run has %d columns", j, len(run.Columns))
		}
	}
	limit := MaxColumns
	if kind == Pair {
		limit = MaxPairColumns
	}
	if len(cols) > limit {
		return fmt.Errorf("a %s plot shows at most %d columns, not %d: choose some with --params", kind, limit, len(cols))
	}
	var (
		grid [][]*plot.Plot
		w, h vg.Length
		err  error
	)
	switch kind {
	case Trace:
		grid, err = tracePlots(run, cols)
		w, h = 8*vg.Inch, vg.Length(len(cols))*2*vg.Inch
	case Rank:
		grid, err = rankPlots(run, cols)
		w, h = vg.Length(max(len(run.Chains)*2, 6))*vg.Inch, vg.Length(len(cols))*2*vg.Inch
	case Density:
		grid, err = densityPlots(run, cols)
		w, h = 7*vg.Inch, vg.Length(len(cols))*2.2*vg.Inch
	case Pair:
		if len(cols) < 2 {
			return fmt.Errorf("a pair plot needs two columns or more, not %d", len(cols))
		}
		grid, err = pairPlots(run, cols)
		w = vg.Length(2.5*float64(len(cols))) * vg.Inch
		h = w
	default:
		return fmt.Errorf("unknown plot %q: use trace, rank, density or pair", kind)
	}
	if err != nil {
		return err
	}
	return SaveGrid(path, grid, w, h)
}

// column returns column j of each chain, without draws that are not
// finite, and with them the divergent draws' (iteration, value) points.
func column(run diag.Run, j int) (chains [][]float64, iters [][]int, divergent []plotter.XY) {
	div := slices.Index(run.Columns, "divergent__")
	for _, ch := range run.Chains {
		var xs []float64
		var is []int
		for i, row := range ch {
			v := row[j]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			xs = append(xs, v)
			is = append(is, i+1)
			if div >= 0 && row[div] != 0 {
				divergent = append(divergent, plotter.XY{X: float64(i + 1), Y: v})
			}
		}
		chains = append(chains, xs)
		iters = append(iters, is)
	}
	return chains, iters, divergent
}

// divergentCount counts the divergent draws of run.
func divergentCount(run diag.Run) int {
	div := slices.Index(run.Columns, "divergent__")
	n := 0
	if div < 0 {
		return 0
	}
	for _, ch := range run.Chains {
		for _, row := range ch {
			if row[div] != 0 {
				n++
			}
		}
	}
	return n
}

func chainColor(c int) color.Color { return plotutil.Color(c) }

func tracePlots(run diag.Run, cols []int) ([][]*plot.Plot, error) {
	grid := make([][]*plot.Plot, len(cols))
	for r, j := range cols {
		chains, iters, divergent := column(run, j)
		p := plot.New()
		p.Y.Label.Text = diag.VariableName(run.Columns[j])
		if r == len(cols)-1 {
			p.X.Label.Text = "iteration"
		}
		if r == 0 {
			p.Title.Text = fmt.Sprintf("trace: %d chains, %d divergent", len(run.Chains), divergentCount(run))
		}
		for c, xs := range chains {
			xys := make(plotter.XYs, len(xs))
			for i, v := range xs {
				xys[i] = plotter.XY{X: float64(iters[c][i]), Y: v}
			}
			if len(xys) == 0 {
				continue
			}
			l, err := plotter.NewLine(xys)
			if err != nil {
				return nil, err
			}
			l.Color = chainColor(c)
			l.Width = vg.Points(0.6)
			p.Add(l)
			if r == 0 {
				p.Legend.Add(fmt.Sprintf("chain %d", c+1), l)
			}
		}
		if err := addDivergent(p, divergent, r == 0); err != nil {
			return nil, err
		}
		if r == 0 {
			legendRoom(p)
		}
		grid[r] = []*plot.Plot{p}
	}
	return grid, nil
}

// addDivergent marks the divergent draws with black crosses.
func addDivergent(p *plot.Plot, pts []plotter.XY, legend bool) error {
	if len(pts) == 0 {
		return nil
	}
	s, err := plotter.NewScatter(plotter.XYs(pts))
	if err != nil {
		return err
	}
	s.GlyphStyle.Shape = draw.CrossGlyph{}
	s.GlyphStyle.Color = divergentColor
	s.GlyphStyle.Radius = vg.Points(2.5)
	p.Add(s)
	if legend {
		p.Legend.Add("divergent", s)
	}
	return nil
}

func rankPlots(run diag.Run, cols []int) ([][]*plot.Plot, error) {
	grid := make([][]*plot.Plot, len(cols))
	for r, j := range cols {
		chains, _, _ := column(run, j)
		counts := RankCounts(chains, RankBins)
		n := 0
		for _, ch := range chains {
			n += len(ch)
		}
		width := float64(n) / RankBins
		top := 0
		for _, ch := range counts {
			top = max(top, slices.Max(ch))
		}
		grid[r] = make([]*plot.Plot, len(chains))
		for c, ch := range counts {
			p := plot.New()
			if r == 0 {
				p.Title.Text = fmt.Sprintf("chain %d", c+1)
			}
			if c == 0 {
				p.Y.Label.Text = diag.VariableName(run.Columns[j])
			}
			if r == len(cols)-1 {
				p.X.Label.Text = "rank"
			}
			bins := make([]plotter.HistogramBin, len(ch))
			for b, k := range ch {
				bins[b] = plotter.HistogramBin{Min: float64(b) * width, Max: float64(b+1) * width, Weight: float64(k)}
			}
			h := &plotter.Histogram{Bins: bins, Width: width, FillColor: chainColor(c), LineStyle: plotter.DefaultLineStyle}
			h.LineStyle.Width = vg.Points(0.3)
			p.Add(h)
			// The count every bin would hold if the ranks were uniform.
			want := float64(len(chains[c])) / RankBins
			l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: want}, {X: float64(n), Y: want}})
			if err != nil {
				return nil, err
			}
			l.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
			p.Add(l)
			p.Y.Min, p.Y.Max = 0, float64(top)*1.05
			grid[r][c] = p
		}
	}
	return grid, nil
}

func densityPlots(run diag.Run, cols []int) ([][]*plot.Plot, error) {
	grid := make([][]*plot.Plot, len(cols))
	for r, j := range cols {
		chains, _, _ := column(run, j)
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, ch := range chains {
			for _, v := range ch {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		p := plot.New()
		p.X.Label.Text = diag.VariableName(run.Columns[j])
		p.Y.Label.Text = "density"
		if r == 0 {
			p.Title.Text = "kernel density per chain"
		}
		for c, ch := range chains {
			if len(ch) < 2 {
				continue
			}
			l, err := plotter.NewLine(kde(ch, lo, hi, 200))
			if err != nil {
				return nil, err
			}
			l.Color = chainColor(c)
			l.Width = vg.Points(1)
			p.Add(l)
			if r == 0 {
				p.Legend.Add(fmt.Sprintf("chain %d", c+1), l)
			}
		}
		if r == 0 {
			legendRoom(p)
		}
		grid[r] = []*plot.Plot{p}
	}
	return grid, nil
}

// legendRoom puts the legend at the top right, above the data: the y axis
// is stretched to leave the top 40% free.
func legendRoom(p *plot.Plot) {
	p.Legend.Top = true
	lo, hi := p.Y.Min, p.Y.Max
	if hi > lo {
		p.Y.Max = hi + (hi-lo)*0.4/0.6
	}
}

// kde is the Gaussian kernel density estimate of xs at n points spanning
// lo..hi widened by three bandwidths, with Silverman's rule-of-thumb
// bandwidth (0.9 min(sd, IQR/1.34) n^-1/5).
func kde(xs []float64, lo, hi float64, n int) plotter.XYs {
	s := slices.Sorted(slices.Values(xs))
	sd := stdDev(s)
	iqr := diag.Quantile(s, 0.75) - diag.Quantile(s, 0.25)
	spread := sd
	if iqr > 0 {
		spread = math.Min(sd, iqr/1.34)
	}
	bw := 0.9 * spread * math.Pow(float64(len(s)), -0.2)
	if bw <= 0 || math.IsNaN(bw) {
		// A constant chain: a narrow spike.
		bw = math.Max(math.Abs(s[0])*1e-3, 1e-3)
	}
	lo, hi = lo-3*bw, hi+3*bw
	out := make(plotter.XYs, n)
	norm := 1 / (float64(len(s)) * bw * math.Sqrt(2*math.Pi))
	for k := range out {
		x := lo + (hi-lo)*float64(k)/float64(n-1)
		d := 0.0
		// Only draws within 8 bandwidths contribute visibly.
		from, _ := slices.BinarySearch(s, x-8*bw)
		for _, v := range s[from:] {
			if v > x+8*bw {
				break
			}
			z := (x - v) / bw
			d += math.Exp(-z * z / 2)
		}
		out[k] = plotter.XY{X: x, Y: d * norm}
	}
	return out
}

// stdDev is the sample standard deviation of at least two numbers.
func stdDev(xs []float64) float64 {
	mean, ss := 0.0, 0.0
	for _, v := range xs {
		mean += v
	}
	mean /= float64(len(xs))
	for _, v := range xs {
		ss += (v - mean) * (v - mean)
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

func pairPlots(run diag.Run, cols []int) ([][]*plot.Plot, error) {
	k := len(cols)
	div := slices.Index(run.Columns, "divergent__")
	grid := make([][]*plot.Plot, k)
	for a := range k {
		grid[a] = make([]*plot.Plot, k)
		for b := range a + 1 {
			p := plot.New()
			if a == k-1 {
				p.X.Label.Text = diag.VariableName(run.Columns[cols[b]])
			}
			if b == 0 && a > 0 {
				p.Y.Label.Text = diag.VariableName(run.Columns[cols[a]])
			}
			if a == 0 && b == 0 {
				p.Title.Text = fmt.Sprintf("pairs: %d divergent", divergentCount(run))
			}
			if a == b {
				chains, _, _ := column(run, cols[a])
				var xys plotter.XYs
				for _, ch := range chains {
					for _, v := range ch {
						xys = append(xys, plotter.XY{X: v, Y: 1})
					}
				}
				if len(xys) > 0 {
					h, err := plotter.NewHistogram(xys, 30)
					if err != nil {
						return nil, err
					}
					h.FillColor = color.Gray{Y: 180}
					p.Add(h)
				}
				// The counts' scale says nothing the shape does not.
				p.HideY()
				grid[a][b] = p
				continue
			}
			var divergent plotter.XYs
			for c, ch := range run.Chains {
				step := max(1, (len(ch)+maxScatterPerChain-1)/maxScatterPerChain)
				var xys plotter.XYs
				for i, row := range ch {
					pt := plotter.XY{X: row[cols[b]], Y: row[cols[a]]}
					if !finite(pt) {
						continue
					}
					if div >= 0 && row[div] != 0 {
						divergent = append(divergent, pt)
					} else if i%step == 0 {
						xys = append(xys, pt)
					}
				}
				if len(xys) == 0 {
					continue
				}
				s, err := plotter.NewScatter(xys)
				if err != nil {
					return nil, err
				}
				s.GlyphStyle.Color = chainColor(c)
				s.GlyphStyle.Radius = vg.Points(0.8)
				p.Add(s)
			}
			if err := addDivergent(p, divergent, false); err != nil {
				return nil, err
			}
			grid[a][b] = p
		}
	}
	return grid, nil
}

func finite(p plotter.XY) bool {
	return !math.IsNaN(p.X) && !math.IsNaN(p.Y) && !math.IsInf(p.X, 0) && !math.IsInf(p.Y, 0)
}

// SaveGrid draws a grid of plots (nil cells left blank; rows may be short)
// into a PNG file, or an SVG file when path ends in .svg: the one writer of
// gostan's pictures.
func SaveGrid(path string, grid [][]*plot.Plot, w, h vg.Length) error {
	cols := 0
	for _, row := range grid {
		cols = max(cols, len(row))
	}
	var c interface {
		vg.CanvasSizer
		io.WriterTo
	}
	if strings.EqualFold(filepath.Ext(path), ".svg") {
		c = vgsvg.New(w, h)
	} else {
		c = vgimg.PngCanvas{Canvas: vgimg.New(w, h)}
	}
	dc := draw.New(c)
	pad := vg.Millimeter
	t := draw.Tiles{Rows: len(grid), Cols: cols, PadX: 2 * pad, PadY: 2 * pad,
		PadTop: pad, PadBottom: pad, PadLeft: pad, PadRight: 2 * pad}
	for i := range grid {
		for len(grid[i]) < cols {
			grid[i] = append(grid[i], nil)
		}
	}
	canvases := plot.Align(grid, t, dc)
	for i := range grid {
		for j, p := range grid[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := c.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
