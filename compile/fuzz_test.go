package compile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/parser"
	"github.com/gostan/gostan/stan/token"
)

// FuzzCompile checks that no program that type-checks makes compiling,
// building with empty data, or evaluating the model panic: every failure
// must be an error value.
func FuzzCompile(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.stan"))
	more, _ := filepath.Glob(filepath.Join("..", "examples", "*.stan"))
	for _, s := range append(seeds, more...) {
		if src, err := os.ReadFile(s); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("parameters { real x; } model { x ~ normal(0, 1); }"))
	f.Add([]byte("transformed data { array[3] int a = {1, 2, 3}; real s = sum(a[2:]); } parameters { vector[2] v; } model { v ~ normal(s, 1); }"))
	f.Add([]byte(`functions { complex f(complex z) { return z * 2i; } } parameters { complex z; array[2] complex_vector[2] zs; } model { complex_matrix[2, 2] m = [[z, 1], [2.5, f(z)]]; target += abs(m[2, 2] / zs[1][2]) - arg(sum(zs[2])) + get_real(z == 1 ? z : -z); } generated quantities { array[2] complex w = {z, get_imag(z)}; print(w, " ", z); }`))
	f.Add([]byte(`functions { tuple(real, vector) f(tuple(int, vector) a) { return (a.1 * 2.0, a.2); } } data { int N; array[N] tuple(int, tuple(real, vector[2])) d; } parameters { tuple(real<lower=0>, array[2] simplex[3]) p; } model { real a; int b; (a, b) = (p.1, 2); p.1 ~ exponential(1); } generated quantities { tuple(real, vector[2]) t = f((1, [1, 2]')); array[2] tuple(real, int) g = {(1.5, 2), (t.1, 3)}; g[2].2 = 4; (g[1].1, t.2[1]) = (t.2[2], g[2].1); print(t, g, eigendecompose_sym([[2, 1], [1, 2]])); }`))
	f.Fuzz(func(t *testing.T, src []byte) {
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
		m, err := p.NewModel(model.Data{}, 1)
		if err != nil {
			return
		}
		x := make([]float64, m.Dim())
		g := make([]float64, m.Dim())
		m.LogDensity(x, g)
		m.Write(x, nil, make([]float64, len(m.Names())))
	})
}
