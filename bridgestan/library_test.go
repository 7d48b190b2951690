package bridgestan

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gostan/gostan/compile"
)

// The libraries the tests load, each built once (a c-shared build takes
// tens of seconds), in one directory removed by TestMain.
var (
	libMu   sync.Mutex
	libDir  string
	libs    = map[string]string{}
	libErrs = map[string]error{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	if libDir != "" {
		os.RemoveAll(libDir)
	}
	os.Exit(code)
}

// library is the eight schools program's library.
func library(t *testing.T) string { return libraryOf(t, esStan) }

// libraryOf builds the library of a Stan file, or skips the test saying
// what is missing.
func libraryOf(t *testing.T, stan string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("building a c-shared library takes tens of seconds; skipped in -short")
	}
	for _, tool := range []string{"go", "cc"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s on PATH: the library cannot be built (cgo needs a C compiler)", tool)
		}
	}
	libMu.Lock()
	defer libMu.Unlock()
	if _, done := libs[stan]; !done {
		if libDir == "" {
			dir, err := os.MkdirTemp("", "gostan-bridgestan-test-")
			if err != nil {
				t.Fatal(err)
			}
			libDir = dir
		}
		out := filepath.Join(libDir, "lib"+strings.TrimSuffix(filepath.Base(stan), ".stan")+".so")
		libs[stan], libErrs[stan] = out, Build(context.Background(), BuildOptions{Stan: stan, Out: out, Src: ".."})
	}
	if err := libErrs[stan]; err != nil {
		t.Fatal(err)
	}
	return libs[stan]
}

// pointsFile writes the golden points as the clients read them: "n d",
// then the numbers.
func pointsFile(t *testing.T, dir string) (string, []goldenPoint) {
	pts := esPoints(t)
	var b strings.Builder
	fmt.Fprintf(&b, "%d %d\n", len(pts), len(pts[0].Upars))
	for _, p := range pts {
		for _, x := range p.Upars {
			b.WriteString(strconv.FormatFloat(x, 'g', -1, 64) + " ")
		}
		b.WriteString("\n")
	}
	path := filepath.Join(dir, "points.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, pts
}

// clientOutput is what a client printed: the model's lines, and per point
// its vectors by label.
type clientOutput struct {
	lines  map[string]string
	points []map[string][]float64
}

func parseClient(t *testing.T, out []byte) clientOutput {
	t.Helper()
	c := clientOutput{lines: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		key, rest, _ := strings.Cut(sc.Text(), " ")
		switch key {
		case "point":
			c.points = append(c.points, map[string][]float64{})
		case "lp", "grad", "lp_full", "lp_nojac", "constrained", "unconstrained", "hessian", "hvp":
			var v []float64
			for _, f := range strings.Fields(rest) {
				x, err := strconv.ParseFloat(f, 64)
				if err != nil {
					t.Fatalf("%s: %v", key, err)
				}
				v = append(v, x)
			}
			c.points[len(c.points)-1][key] = v
		default:
			c.lines[key] = rest
		}
	}
	return c
}

// checkClient compares a client's output with the model gostan
// log-density evaluates, to 1e-12, and with the Go side of the API.
func checkClient(t *testing.T, c clientOutput, data string, pts []goldenPoint, withGQ bool) {
	t.Helper()
	ref := reference(t)
	m := esModel(t, data)
	want := map[string]string{
		"version":   fmt.Sprintf("%d.%d.%d", Version[0], Version[1], Version[2]),
		"name":      "eight_schools_noncentered",
		"dim":       "10",
		"num":       "10 18",
		"unc_names": strings.Join(ref.UnconstrainedNames(), ","),
	}
	var names []string
	for _, n := range ref.Names() {
		names = append(names, compile.DottedName(n))
	}
	want["names"] = strings.Join(names, ",")
	for k, v := range want {
		if c.lines[k] != v {
			t.Errorf("%s: %q, want %q", k, c.lines[k], v)
		}
	}
	if !regexp.MustCompile(`^construct: .*"J"`).MatchString(c.lines["construct_error"]) {
		t.Errorf("the error for bad data: %q", c.lines["construct_error"])
	}
	if len(c.points) != len(pts) {
		t.Fatalf("%d points evaluated, want %d", len(c.points), len(pts))
	}
	same := func(k int, what string, got, want []float64) {
		if len(got) != len(want) {
			t.Errorf("point %d: %s has %d values, want %d", k, what, len(got), len(want))
			return
		}
		for i := range got {
			if !close12(got[i], want[i]) {
				t.Errorf("point %d: %s[%d] = %v, want %v", k, what, i, got[i], want[i])
				return
			}
		}
	}
	for k, pt := range pts {
		p := c.points[k]
		g := make([]float64, 10)
		lp, err := ref.LogDensity(pt.Upars, g)
		if err != nil {
			t.Fatal(err)
		}
		same(k, "lp", p["lp"], []float64{lp})
		same(k, "grad", p["grad"], g)
		// And with Stan's own values (rstan, in testdata/golden).
		if len(p["lp"]) == 1 && math.Abs(p["lp"][0]-pt.LP) > 1e-8 {
			t.Errorf("point %d: lp %v, Stan's %v", k, p["lp"][0], pt.LP)
		}
		for i, gi := range p["grad"] {
			if math.Abs(gi-pt.Grad[i]) > 1e-8*math.Max(1, math.Abs(pt.Grad[i])) {
				t.Errorf("point %d: grad[%d] %v, Stan's %v", k, i, gi, pt.Grad[i])
				break
			}
		}
		full, _ := ref.LogDensityPropto(pt.Upars, nil, false, true)
		same(k, "lp_full", p["lp_full"], []float64{full})
		nojac, _ := ref.LogDensityJacobian(pt.Upars, nil, false)
		same(k, "lp_nojac", p["lp_nojac"], []float64{nojac})
		cols := make([]float64, len(ref.Names()))
		if err := ref.Write(pt.Upars, nil, cols); err != nil {
			t.Fatal(err)
		}
		if withGQ {
			same(k, "constrained", p["constrained"], cols)
			same(k, "unconstrained", p["unconstrained"], pt.Upars)
		} else {
			same(k, "constrained", p["constrained"], cols[:10])
		}
	}
	x := pts[0].Upars
	if h, ok := c.points[0]["hessian"]; ok {
		wh := make([]float64, 100)
		if _, err := m.Hessian(true, true, x, make([]float64, 10), wh); err != nil {
			t.Fatal(err)
		}
		same(0, "hessian", h, wh)
	}
	if hv, ok := c.points[0]["hvp"]; ok {
		e1 := make([]float64, 10)
		e1[0] = 1
		whv := make([]float64, 10)
		if _, err := m.HessianVectorProduct(true, true, x, e1, whv); err != nil {
			t.Fatal(err)
		}
		same(0, "hvp", hv, whv)
	}
}

// TestCClient runs testdata/client.c on the library: a C program that
// dlopens it as BridgeStan's users do, evaluates the golden points, and
// calls one model from four threads at once.
func TestCClient(t *testing.T) {
	lib := library(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "client")
	if out, err := exec.Command("cc", "-O1", "-o", bin, filepath.Join("testdata", "client.c"), "-ldl", "-lpthread").CombinedOutput(); err != nil {
		t.Fatalf("compiling client.c: %v\n%s", err, out)
	}
	data, _ := esData(t, dir)
	points, pts := pointsFile(t, dir)
	out, err := exec.Command(bin, lib, data, points).Output()
	if err != nil {
		t.Fatalf("client: %v\n%s", err, stderrOf(err))
	}
	c := parseClient(t, out)
	if len(c.points) == 0 || c.points[0]["hessian"] == nil {
		t.Fatalf("the client printed no Hessian:\n%s", out)
	}
	checkClient(t, c, data, pts, true)
	if c.lines["null_model"] != "1 -1" {
		t.Errorf("bs_name and bs_param_unc_num of NULL: %q, want NULL and -1", c.lines["null_model"])
	}
	for _, key := range []string{"null_error", "nan_error"} {
		if !strings.HasPrefix(c.lines[key], "log_density: ") {
			t.Errorf("%s: %q, want a message from log_density", key, c.lines[key])
		}
	}
	if c.lines["threads_bad"] != "0" {
		t.Errorf("%s calls from four threads differ from the lone ones", c.lines["threads_bad"])
	}
}

// TestPythonClient runs testdata/client.py, which binds the library with
// ctypes as BridgeStan's Python package does; the data are JSON text.
func TestPythonClient(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3 on PATH: the ctypes client cannot run")
	}
	lib := library(t)
	dir := t.TempDir()
	_, text := esData(t, dir)
	points, pts := pointsFile(t, dir)
	out, err := exec.Command("python3", filepath.Join("testdata", "client.py"), lib, text, points).Output()
	if err != nil {
		t.Fatalf("client.py: %v\n%s", err, stderrOf(err))
	}
	c := parseClient(t, out)
	if len(c.points) == 0 || c.points[0]["hvp"] == nil {
		t.Fatalf("the client printed no Hessian-vector product:\n%s", out)
	}
	checkClient(t, c, text, pts, false)
}

// TestExportedSymbols checks with nm -D that the library exports every
// function capi declares with //export and BridgeStan's version symbols.
func TestExportedSymbols(t *testing.T) {
	if _, err := exec.LookPath("nm"); err != nil {
		t.Skip("no nm on PATH")
	}
	lib := library(t)
	src, err := os.ReadFile(filepath.Join("capi", "capi.go"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"bs_major_version", "bs_minor_version", "bs_patch_version"}
	for _, m := range regexp.MustCompile(`(?m)^//export (\w+)$`).FindAllStringSubmatch(string(src), -1) {
		want = append(want, m[1])
	}
	// BridgeStan 2.6's C API, every function.
	api := []string{"bs_model_construct", "bs_model_destruct", "bs_free_error_msg", "bs_name", "bs_model_info",
		"bs_param_names", "bs_param_unc_names", "bs_param_num", "bs_param_unc_num", "bs_param_constrain",
		"bs_param_unconstrain", "bs_param_unconstrain_json", "bs_log_density", "bs_log_density_gradient",
		"bs_log_density_hessian", "bs_log_density_hessian_vector_product", "bs_rng_construct", "bs_rng_destruct",
		"bs_set_print_callback"}
	for _, s := range api {
		if !slices.Contains(want, s) {
			t.Errorf("capi does not export %s", s)
		}
	}
	out, err := exec.Command("nm", "-D", "--defined-only", lib).Output()
	if err != nil {
		t.Fatalf("nm -D: %v", err)
	}
	have := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) == 3 {
			have[f[2]] = true
		}
	}
	for _, s := range want {
		if !have[s] {
			t.Errorf("nm -D does not list %s", s)
		}
	}
}

// TestPrintCallbackAndRNG runs testdata/print_client.py on the library of
// testdata/printing.stan: print() reaches the client's callback, from the
// transformed data and from the model block, and generators of one seed
// draw the same generated quantity.
func TestPrintCallbackAndRNG(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3 on PATH: the ctypes client cannot run")
	}
	lib := libraryOf(t, filepath.Join("testdata", "printing.stan"))
	out, err := exec.Command("python3", filepath.Join("testdata", "print_client.py"), lib).Output()
	if err != nil {
		t.Fatalf("print_client.py: %v\n%s", err, stderrOf(err))
	}
	lines := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(l, " ")
		lines[k] = v
	}
	if want := `'N = 3\nx = 0.5\n'`; lines["printed"] != want {
		t.Errorf("printed %s, want %s", lines["printed"], want)
	}
	if lines["lp"] != "-0.125" {
		t.Errorf("lp %s, want -0.125", lines["lp"])
	}
	d := strings.Fields(lines["draws"])
	if len(d) != 3 || d[0] != d[1] || d[0] == d[2] {
		t.Errorf("draws %q: want two equal (one seed), then another", d)
	}
}

func stderrOf(err error) []byte {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.Stderr
	}
	return nil
}
