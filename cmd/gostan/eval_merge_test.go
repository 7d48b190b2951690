package main

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg/draw"
)

// runGostan runs the command line in process, returning standard output,
// standard error and the error.
func runGostan(args ...string) (string, string, error) {
	root := newRoot()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), errOut.String(), err
}

func TestEvalMerge(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "shard-0.jsonl")
	b := filepath.Join(dir, "shard-1.jsonl")
	os.WriteFile(a, []byte(`{"posterior":"p2","method":"nuts","max_err":0.5,"passed":false,"seconds":1,"gradient_evaluations":10}
{"posterior":"p1","method":"nuts","max_err":0.1,"passed":true,"seconds":1,"gradient_evaluations":10}

{"posterior":"p1","method":"advi-meanfield","max_err":null,"passed":false,"seconds":2,"gradient_evaluations":0,"error":"diverged"}
`), 0o644)
	// p2/nuts again, run later: it replaces the first; the extra field
	// is written back as read.
	os.WriteFile(b, []byte(`{"posterior": "p2", "method": "nuts", "max_err": 0.2, "passed": true, "seconds": 3, "gradient_evaluations": 30, "note": "rerun"}
{"posterior":"p0","method":"nuts","max_err":0.05,"passed":true,"seconds":1,"gradient_evaluations":10}
`), 0o644)
	all := filepath.Join(dir, "all.jsonl")
	_, stderr, err := runGostan("eval", "merge", a, b, "--output", all)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "merged 5 lines from 2 files: 4 results, 1 duplicates dropped") {
		t.Errorf("stderr %q", stderr)
	}
	got, _ := os.ReadFile(all)
	want := `{"posterior":"p0","method":"nuts","max_err":0.05,"passed":true,"seconds":1,"gradient_evaluations":10}
{"posterior":"p1","method":"advi-meanfield","max_err":null,"passed":false,"seconds":2,"gradient_evaluations":0,"error":"diverged"}
{"posterior":"p1","method":"nuts","max_err":0.1,"passed":true,"seconds":1,"gradient_evaluations":10}
{"posterior":"p2","method":"nuts","max_err":0.2,"passed":true,"seconds":3,"gradient_evaluations":30,"note":"rerun"}
`
	if string(got) != want {
		t.Errorf("merged:\n%s\nwant:\n%s", got, want)
	}
	// The merged file reads back as the report reads it.
	results, err := readEvalResults([]string{all})
	if err != nil || len(results) != 4 || !math.IsInf(results[1].MaxErr, 1) || results[3].Gradients != 30 {
		t.Errorf("read back: %+v, %v", results, err)
	}

	// Merging into one of the inputs reads it before writing.
	if _, _, err := runGostan("eval", "merge", all, a, "--output", all); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(all); strings.Count(string(got), "\n") != 4 || !strings.Contains(string(got), `"max_err":0.5`) {
		t.Errorf("merged into an input:\n%s", got)
	}

	bad := filepath.Join(dir, "bad.jsonl")
	for _, tc := range []struct{ text, want string }{
		{"{\"posterior\":\"p\",\"method\":\"nuts\",\"max_err\":0.1}\n\n{\"posterior\": \"q\", \n", "bad.jsonl:3: "},
		{"{\"posterior\":\"p\",\"max_err\":0.1}\n", `bad.jsonl:1: a result needs its "posterior" and "method"`},
		{"[1,2]\n", "bad.jsonl:1: "},
	} {
		os.WriteFile(bad, []byte(tc.text), 0o644)
		out := filepath.Join(dir, "never.jsonl")
		_, _, err := runGostan("eval", "merge", a, bad, "--output", out)
		if err == nil || !strings.HasPrefix(err.Error(), bad[:len(bad)-len("bad.jsonl")]) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.text, err, tc.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%q: the output was written", tc.text)
		}
	}
}

func TestEvalReportPNG(t *testing.T) {
	dir := t.TempDir()
	res := filepath.Join(dir, "r.jsonl")
	os.WriteFile(res, []byte(`{"posterior":"good","method":"nuts","max_err":0.04,"passed":true}
{"posterior":"bad","method":"nuts","max_err":2.5,"passed":false}
{"posterior":"good","method":"advi-meanfield","max_err":null,"passed":false,"error":"diverged"}
`), 0o644)
	path := filepath.Join(dir, "acc.png")
	out, _, err := runGostan("eval", "report", res, "--png", path)
	if err != nil || !strings.Contains(out, "| bad | **2.500** |") {
		t.Fatalf("report: %v\n%s", err, out)
	}
	f, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	results, _ := readEvalResults([]string{res})
	l := newAccuracyLayout(results, draw.TextStyle{Font: font.From(plot.DefaultFont, accFont), Handler: plot.DefaultTextHandler})
	const dpi = 96
	if dx, dy := img.Bounds().Dx(), img.Bounds().Dy(); math.Abs(float64(dx)-float64(l.w)*dpi/72) > 1 || math.Abs(float64(dy)-float64(l.h)*dpi/72) > 1 {
		t.Errorf("image %dx%d px for %gx%g pt", dx, dy, l.w, l.h)
	}
	// rows: bad, good; columns: nuts, advi-meanfield. The pixel 6 pt in
	// from a cell's left edge, at half its height, is its fill.
	pixel := func(row, col int) (r, g, b uint8) {
		c := l.cell(row, col)
		x, y := (c.X+6)*dpi/72, (l.h-c.Y-accRowH/2)*dpi/72
		cr, cg, cb, _ := img.At(int(x), int(y)).RGBA()
		return uint8(cr >> 8), uint8(cg >> 8), uint8(cb >> 8)
	}
	if r, g, _ := pixel(1, 0); int(g) < int(r)+60 {
		t.Errorf("good/nuts (0.04) is rgb(%d, %d, _), want green", r, g)
	}
	if r, g, _ := pixel(0, 0); int(r) < int(g)+60 {
		t.Errorf("bad/nuts (2.5) is rgb(%d, %d, _), want red", r, g)
	}
	if r, g, b := pixel(1, 1); r != 190 || g != 190 || b != 190 {
		t.Errorf("good/advi-meanfield (error) is rgb(%d, %d, %d), want grey 190", r, g, b)
	}
	if r, g, b := pixel(0, 1); r != 255 || g != 255 || b != 255 {
		t.Errorf("bad/advi-meanfield (not run) is rgb(%d, %d, %d), want white", r, g, b)
	}
}

func TestErrColor(t *testing.T) {
	// Green at 0, yellow at the threshold, red from 1 up.
	for _, tc := range []struct {
		e       float64
		r, g, b uint8
	}{{0, 109, 242, 109}, {passThreshold, 242, 242, 109}, {1, 242, 109, 109}, {50, 242, 109, 109}} {
		c := errColor(tc.e).(interface{ RGBA() (r, g, b, a uint32) })
		r, g, b, _ := c.RGBA()
		if uint8(r>>8) != tc.r || uint8(g>>8) != tc.g || uint8(b>>8) != tc.b {
			t.Errorf("errColor(%g) = rgb(%d, %d, %d), want rgb(%d, %d, %d)", tc.e, r>>8, g>>8, b>>8, tc.r, tc.g, tc.b)
		}
	}
}
