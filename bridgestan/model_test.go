package bridgestan

import (
	"archive/zip"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/model"
)

// The eight schools posterior (non-centred) of the repository's PosteriorDB
// excerpt, whose golden points (Stan's log densities and gradients) are in
// testdata/golden.
var (
	esStan   = filepath.Join("..", "testdata", "posteriordb", "models", "stan", "eight_schools_noncentered.stan")
	esZip    = filepath.Join("..", "testdata", "posteriordb", "data", "data", "eight_schools.json.zip")
	esGolden = filepath.Join("..", "testdata", "golden", "eight_schools-eight_schools_noncentered.json")
)

// esData writes the eight schools data, zipped in the tree, as the JSON
// file a BridgeStan client passes, and returns its path and text.
func esData(t testing.TB, dir string) (path, text string) {
	t.Helper()
	zr, err := zip.OpenReader(esZip)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(dir, "eight_schools.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, string(b)
}

// goldenPoints are Stan's points, log densities and gradients.
type goldenPoint struct {
	Upars []float64 `json:"upars"`
	LP    float64   `json:"lp"`
	Grad  []float64 `json:"grad"`
}

func esPoints(t testing.TB) []goldenPoint {
	t.Helper()
	b, err := os.ReadFile(esGolden)
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Points []goldenPoint `json:"points"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g.Points
}

// reference is the model as gostan log-density builds it: compile.File and
// the data file, seed 1.
func reference(t testing.TB) *compile.Model {
	t.Helper()
	p, err := compile.File(esStan)
	if err != nil {
		t.Fatal(err)
	}
	d, err := model.ReadDataFile(esZip)
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.NewModel(d, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func esModel(t testing.TB, data string) *Model {
	t.Helper()
	src, err := ReadSource(esStan)
	if err != nil {
		t.Fatal(err)
	}
	p, err := src.Compile()
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(p, src.Name, data, 1234)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func close12(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

// TestModelAgainstReference checks the Go side of the C API against the
// model gostan log-density evaluates and against Stan's golden points.
func TestModelAgainstReference(t *testing.T) {
	path, text := esData(t, t.TempDir())
	ref := reference(t)
	for _, data := range []string{path, text} {
		m := esModel(t, data)
		if m.Name() != "eight_schools_noncentered" || m.UncNum() != 10 || m.ParamNum(false, false) != 10 || m.ParamNum(true, true) != 18 {
			t.Fatalf("name %q, %d unconstrained, %d and %d columns", m.Name(), m.UncNum(), m.ParamNum(false, false), m.ParamNum(true, true))
		}
		if got := m.ParamNames(true, false); !strings.HasPrefix(got, "theta_trans.1,") || !strings.HasSuffix(got, ",mu,tau,theta.1,theta.2,theta.3,theta.4,theta.5,theta.6,theta.7,theta.8") {
			t.Errorf("names %q", got)
		}
		pts := esPoints(t)
		var shift float64
		for k, pt := range pts {
			g, rg := make([]float64, 10), make([]float64, 10)
			lp, err := m.LogDensity(true, true, pt.Upars, g)
			if err != nil {
				t.Fatal(err)
			}
			rlp, _ := ref.LogDensity(pt.Upars, rg)
			if lp != rlp || !slices.Equal(g, rg) {
				t.Errorf("point %d: lp %v, gostan log-density's %v", k, lp, rlp)
			}
			// Stan's golden lp is the same density: constants dropped.
			if math.Abs(lp-pt.LP) > 1e-8 {
				t.Errorf("point %d: lp %v, Stan's %v", k, lp, pt.LP)
			}
			full, err := m.LogDensity(false, true, pt.Upars, nil)
			if err != nil {
				t.Fatal(err)
			}
			if k == 0 {
				shift = full - lp
			} else if !close12(full-lp, shift) {
				t.Errorf("point %d: propto=false adds %v, at point 0 %v", k, full-lp, shift)
			}
		}
		// The constants ~ drops: theta_trans ~ normal(0, 1) eight
		// log(2 pi)/2; y ~ normal(theta, sigma), sigma data, eight more
		// and sum(log sigma); mu ~ normal(0, 5) one more and log 5;
		// tau ~ cauchy(0, 5) log(5 pi).
		want := -17*0.5*math.Log(2*math.Pi) - 2*math.Log(5) - math.Log(math.Pi)
		for _, s := range []float64{15, 10, 16, 11, 9, 11, 10, 18} {
			want -= math.Log(s)
		}
		if !close12(shift, want) {
			t.Errorf("propto=false adds %v, want %v", shift, want)
		}
	}
}

// TestModelTransforms checks constrain and unconstrain, from values and
// from JSON, against each other.
func TestModelTransforms(t *testing.T) {
	path, _ := esData(t, t.TempDir())
	m := esModel(t, path)
	x := esPoints(t)[0].Upars
	all := make([]float64, m.ParamNum(true, true))
	if err := m.Constrain(true, true, x, all, NewRNG(1)); err != nil {
		t.Fatal(err)
	}
	if tau := all[9]; !close12(tau, math.Exp(x[9])) {
		t.Errorf("tau %v, want exp(%v)", tau, x[9])
	}
	if theta1 := all[10]; !close12(theta1, all[8]+all[9]*all[0]) {
		t.Errorf("theta[1] %v, want mu + tau*theta_trans[1]", theta1)
	}
	back := make([]float64, m.UncNum())
	if err := m.Unconstrain(all[:10], back); err != nil {
		t.Fatal(err)
	}
	for i := range back {
		if !close12(back[i], x[i]) {
			t.Errorf("unconstrain(constrain(x))[%d] = %v, want %v", i, back[i], x[i])
		}
	}
	js := `{"theta_trans": [1, 2, 3, 4, 5, 6, 7, 8], "mu": -1, "tau": 2}`
	if err := m.UnconstrainJSON(js, back); err != nil {
		t.Fatal(err)
	}
	if back[7] != 8 || back[8] != -1 || !close12(back[9], math.Log(2)) {
		t.Errorf("from JSON: %v", back)
	}
	if err := m.UnconstrainJSON(`{"mu": 1, "tau": 2}`, back); err == nil || !strings.Contains(err.Error(), `"theta_trans" has no value`) {
		t.Errorf("a missing parameter: %v", err)
	}
	if err := m.UnconstrainJSON(`{"theta_trans": [1, 2, 3, 4, 5, 6, 7, 8], "mu": 1, "tau": -2}`, back); err == nil || !strings.Contains(err.Error(), `"tau"`) {
		t.Errorf("a value outside the support: %v", err)
	}
	if err := m.Constrain(false, true, x, make([]float64, 10), nil); err == nil {
		t.Error("generated quantities without an rng were accepted")
	}
}

// TestHessian checks the finite-difference Hessian and its product with a
// vector on a Gaussian, whose Hessian is -Σ⁻¹ exactly.
func TestHessian(t *testing.T) {
	src := Source{Name: "gauss", Path: "gauss.stan", Text: `
parameters { vector[2] x; }
model { x ~ multi_normal([1, 2]', [[2, 0.5], [0.5, 1]]); }`}
	p, err := src.Compile()
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(p, src.Name, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	// Σ⁻¹ = [[1, -0.5], [-0.5, 2]] / 1.75
	want := []float64{-1 / 1.75, 0.5 / 1.75, 0.5 / 1.75, -2 / 1.75}
	x := []float64{0.3, -4}
	g, h := make([]float64, 2), make([]float64, 4)
	if _, err := m.Hessian(true, true, x, g, h); err != nil {
		t.Fatal(err)
	}
	for i := range h {
		if math.Abs(h[i]-want[i]) > 1e-9 {
			t.Errorf("H[%d] = %v, want %v", i, h[i], want[i])
		}
	}
	hv := make([]float64, 2)
	if _, err := m.HessianVectorProduct(true, true, x, []float64{2, -1}, hv); err != nil {
		t.Fatal(err)
	}
	for i, w := range []float64{2*want[0] - want[1], 2*want[2] - want[3]} {
		if math.Abs(hv[i]-w) > 1e-9 {
			t.Errorf("Hv[%d] = %v, want %v", i, hv[i], w)
		}
	}
}

// TestModelSharedByGoroutines has eight goroutines evaluate one Model at
// once, as BridgeStan's clients may from threads: every value must equal
// the lone evaluation's.
func TestModelSharedByGoroutines(t *testing.T) {
	path, _ := esData(t, t.TempDir())
	m := esModel(t, path)
	pts := esPoints(t)
	want := make([]float64, len(pts))
	for k, pt := range pts {
		want[k], _ = m.LogDensity(true, true, pt.Upars, nil)
	}
	var wg sync.WaitGroup
	bad := make([]int, 8)
	for w := range bad {
		wg.Go(func() {
			g := make([]float64, m.UncNum())
			out := make([]float64, m.ParamNum(true, false))
			for rep := range 50 {
				k := (w + rep) % len(pts)
				lp, err := m.LogDensity(true, true, pts[k].Upars, g)
				if err != nil || lp != want[k] || m.Constrain(true, false, pts[k].Upars, out, nil) != nil {
					bad[w]++
				}
			}
		})
	}
	wg.Wait()
	for w, b := range bad {
		if b != 0 {
			t.Errorf("goroutine %d: %d evaluations differ from the lone ones", w, b)
		}
	}
}
