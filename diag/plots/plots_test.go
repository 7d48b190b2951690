package plots

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gostan/gostan/diag"
)

func TestRanksHandExample(t *testing.T) {
	// Pooled: 1, 2, 2, 3, 5; the tied 2s share ranks 2 and 3.
	got := Ranks([][]float64{{3, 1}, {2, 2, 5}})
	want := [][]float64{{4, 1}, {2.5, 2.5, 5}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Ranks = %v, want %v", got, want)
	}
	if got := Ranks([][]float64{{math.NaN(), 0}}); !reflect.DeepEqual(got, [][]float64{{2, 1}}) {
		t.Errorf("NaN ranks %v, want [[2 1]]", got)
	}
	// Ranks 1, 2 in the lower bin, 3, 4 in the upper: each chain holds
	// one bin, so 1 over and 1 under the expected 1 per bin, twice.
	counts := RankCounts([][]float64{{1, 2}, {3, 4}}, 2)
	if !reflect.DeepEqual(counts, [][]int{{2, 0}, {0, 2}}) {
		t.Errorf("RankCounts = %v", counts)
	}
	if stat, df := RankChiSquare(counts); stat != 4 || df != 2 {
		t.Errorf("RankChiSquare = %g, %d; want 4, 2", stat, df)
	}
}

// normalChains draws m chains of n independent N(shift*c, 1) draws: shift
// 0 is well mixed, a large shift puts each chain in its own mode.
func normalChains(rng *rand.Rand, m, n int, shift float64) [][]float64 {
	out := make([][]float64, m)
	for c := range out {
		out[c] = make([]float64, n)
		for i := range out[c] {
			out[c][i] = rng.NormFloat64() + shift*float64(c)
		}
	}
	return out
}

func TestRankUniformity(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 20 {
		stat, df := RankChiSquare(RankCounts(normalChains(rng, 4, 1000, 0), RankBins))
		// Mean df, sd sqrt(2 df): 5 sd is a bound no seed should cross.
		if bound := float64(df) + 5*math.Sqrt(2*float64(df)); stat > bound {
			t.Errorf("trial %d: well-mixed chains have chi-square %.1f above %.1f (df %d)", trial, stat, bound, df)
		}
	}
	// Two chains at 0 and two at 20: every chain's ranks fill half the
	// bins, chi-square about chains × N_c = 4000.
	chains := normalChains(rng, 4, 1000, 0)
	for i := range chains[2] {
		chains[2][i] += 20
		chains[3][i] += 20
	}
	stat, df := RankChiSquare(RankCounts(chains, RankBins))
	if stat < 3000 {
		t.Errorf("stranded chains have chi-square %.1f (df %d), want about 4000", stat, df)
	}
}

// testRun is a run of 4 chains of 500 draws of two columns, a and b.1,
// with the sampler's divergent__ set on every 50th draw.
func testRun(shift float64) diag.Run {
	rng := rand.New(rand.NewPCG(3, 4))
	a, b := normalChains(rng, 4, 500, shift), normalChains(rng, 4, 500, 0)
	run := diag.Run{Columns: []string{"lp__", "divergent__", "a", "b.1"}}
	for c := range a {
		var ch [][]float64
		for i := range a[c] {
			div := 0.0
			if i%50 == 0 {
				div = 1
			}
			ch = append(ch, []float64{-a[c][i] * a[c][i] / 2, div, a[c][i], a[c][i] + b[c][i]})
		}
		run.Chains = append(run.Chains, ch)
	}
	return run
}

func TestColumns(t *testing.T) {
	run := testRun(0)
	for _, tc := range []struct {
		names []string
		want  []int
	}{{nil, []int{2, 3}}, {[]string{"b"}, []int{3}}, {[]string{"b[1]", "lp__"}, []int{3, 0}}, {[]string{"b.1", "b"}, []int{3}}} {
		got, err := Columns(run, tc.names)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Columns(%q) = %v, %v; want %v", tc.names, got, err, tc.want)
		}
	}
	if _, err := Columns(run, []string{"c"}); err == nil || !strings.Contains(err.Error(), `no column "c"`) || !strings.Contains(err.Error(), "a, b") {
		t.Errorf("unknown column: %v", err)
	}
}

func TestWriteEveryKind(t *testing.T) {
	run := testRun(0)
	dir := t.TempDir()
	for _, kind := range Kinds {
		for _, ext := range []string{"png", "svg"} {
			path := filepath.Join(dir, string(kind)+"."+ext)
			if err := Write(path, run, kind, []int{2, 3}); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) < 5000 || len(b) > 3<<20 {
				t.Errorf("%s: %d bytes", path, len(b))
			}
			if ext == "png" {
				img, err := png.Decode(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				// At 96 dpi: trace 8 in wide, pair 2.5 in per column.
				want := map[Kind]int{Trace: 768, Rank: 768, Density: 672, Pair: 480}[kind]
				if w := img.Bounds().Dx(); w != want {
					t.Errorf("%s: %d px wide, want %d", path, w, want)
				}
			} else {
				checkSVG(t, path, b)
			}
		}
	}
}

// checkSVG parses b as XML whose root is an svg element.
func checkSVG(t *testing.T, path string, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	root := ""
	elements := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			elements++
		}
	}
	if root != "svg" || elements < 50 {
		t.Errorf("%s: root %q, %d elements", path, root, elements)
	}
}

func TestWriteRefuses(t *testing.T) {
	run := testRun(0)
	dir := t.TempDir()
	for _, tc := range []struct {
		kind Kind
		cols []int
		want string
	}{
		{Pair, []int{2}, "two columns"},
		{Trace, nil, "no columns"},
		{Trace, []int{9}, "out of range"},
		{"violin", []int{2}, `unknown plot "violin"`},
		{Pair, []int{0, 1, 2, 3, 0, 1, 2, 3, 0}, "at most 8"},
	} {
		err := Write(filepath.Join(dir, "x.png"), run, tc.kind, tc.cols)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %v: %v, want %q", tc.kind, tc.cols, err, tc.want)
		}
	}
}

func TestKDEIntegratesToOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	xs := normalChains(rng, 1, 2000, 0)[0]
	pts := kde(xs, -4, 4, 400)
	area := 0.0
	for k := 1; k < len(pts); k++ {
		area += (pts[k].X - pts[k-1].X) * (pts[k].Y + pts[k-1].Y) / 2
	}
	if math.Abs(area-1) > 0.01 {
		t.Errorf("the density integrates to %g", area)
	}
	// N(0, 1) at 0: 0.399, smoothed a little lower.
	mid := pts[len(pts)/2].Y
	if mid < 0.34 || mid > 0.42 {
		t.Errorf("density at 0 is %g, want about 0.39", mid)
	}
}

// TestWriteDegenerateColumns: a column with no finite draw, a constant
// one and chains of one draw are drawn without an error or a panic.
func TestWriteDegenerateColumns(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	run := diag.Run{Columns: []string{"divergent__", "a", "b", "c"}, Chains: [][][]float64{
		{{0, nan, 1, 2}, {1, nan, 1, inf}},
		{{0, nan, 1, 3}},
	}}
	dir := t.TempDir()
	for _, kind := range Kinds {
		for _, ext := range []string{"png", "svg"} {
			if err := Write(filepath.Join(dir, string(kind)+"."+ext), run, kind, []int{1, 2, 3}); err != nil {
				t.Errorf("%s.%s: %v", kind, ext, err)
			}
		}
	}
}
