package compile

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/parser"
	"github.com/gostan/gostan/stan/token"
)

// FuzzCompile checks that no program that type-checks makes compiling,
// building with the fuzzed JSON data (empty data when it does not read),
// or evaluating the model panic: every failure must be an error value.
func FuzzCompile(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.stan"))
	more, _ := filepath.Glob(filepath.Join("..", "examples", "*.stan"))
	good, _ := filepath.Glob(filepath.Join("..", "testdata", "stan", "good", "*.stan"))
	guide, _ := filepath.Glob(filepath.Join("testdata", "userguide", "*.stan"))
	for _, s := range slices.Concat(seeds, more, good, guide) {
		src, err := os.ReadFile(s)
		if err != nil {
			continue
		}
		data := []byte("{}")
		for _, d := range []string{strings.TrimSuffix(s, ".stan") + ".data.json", strings.TrimSuffix(s, ".stan") + ".json"} {
			if b, err := os.ReadFile(d); err == nil {
				data = b
				break
			}
		}
		f.Add(src, data)
	}
	for _, src := range []string{
		"parameters { real x; } model { x ~ normal(0, 1); }",
		"transformed data { array[3] int a = {1, 2, 3}; real s = sum(a[2:]); } parameters { vector[2] v; } model { v ~ normal(s, 1); }",
		`functions { complex f(complex z) { return z * 2i; } } parameters { complex z; array[2] complex_vector[2] zs; } model { complex_matrix[2, 2] m = [[z, 1], [2.5, f(z)]]; target += abs(m[2, 2] / zs[1][2]) - arg(sum(zs[2])) + get_real(z == 1 ? z : -z); } generated quantities { array[2] complex w = {z, get_imag(z)}; print(w, " ", z); }`,
	} {
		f.Add([]byte(src), []byte("{}"))
	}
	for _, s := range fusedSeeds {
		f.Add([]byte(fusedProgram(s)), []byte(loopJSON))
	}
	f.Add([]byte(`functions { tuple(real, vector) f(tuple(int, vector) a) { return (a.1 * 2.0, a.2); } } data { int N; array[N] tuple(int, tuple(real, vector[2])) d; } parameters { tuple(real<lower=0>, array[2] simplex[3]) p; } model { real a; int b; (a, b) = (p.1, 2); p.1 ~ exponential(1); } generated quantities { tuple(real, vector[2]) t = f((1, [1, 2]')); array[2] tuple(real, int) g = {(1.5, 2), (t.1, 3)}; g[2].2 = 4; (g[1].1, t.2[1]) = (t.2[2], g[2].1); print(t, g, eigendecompose_sym([[2, 1], [1, 2]])); }`),
		[]byte(`{"N": 1, "d": [{"1": 3, "2": {"1": 0.5, "2": [1, 2]}}]}`))
	f.Fuzz(func(t *testing.T, src, js []byte) {
		defer watchdog(src, js)()
		fset := token.NewFileSet()
		prog, err := parser.ParseFile(fset, "fuzz.stan", src, nil)
		if err != nil {
			return
		}
		info, err := check.Check(fset, prog)
		if err != nil {
			return
		}
		p, err := Compile(fset, prog, info)
		if err != nil {
			return
		}
		data, err := model.ReadData(bytes.NewReader(js))
		if err != nil {
			data = model.Data{}
		}
		m, err := p.NewModel(data, 1)
		if err != nil {
			return
		}
		x := make([]float64, m.Dim())
		for i := range x {
			x[i] = 0.3 * float64(i%5-2)
		}
		g := make([]float64, m.Dim())
		m.LogDensity(x, g)
		m.Write(x, rand.New(rand.NewPCG(1, 2)), make([]float64, len(m.Names())))
	})
}
