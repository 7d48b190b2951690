package parser

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gostan/gostan/stan/printer"
	"github.com/gostan/gostan/stan/token"
)

// FuzzParser checks that no input makes the parser panic, as a program
// or as a .stanfunctions file, and that every program it accepts prints
// to a program it accepts again.
func FuzzParser(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "errors", "*.stan"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "posteriordb", "models", "stan", "*.stan"))
	f.Add([]byte(`functions { tuple(real, vector) f(tuple(int, vector) a) { return (a.1 * 2.0, a.2); } } data { int N; array[N] tuple(int, tuple(real, vector[2])) d; } parameters { tuple(real<lower=0>, array[2] simplex[3]) p; } model { real a; int b; (a, b) = (p.1, 2); p.1 ~ exponential(1); } generated quantities { tuple(real, vector[2]) t = f((1, [1, 2]')); array[2] tuple(real, int) g = {(1.5, 2), (t.1, 3)}; g[2].2 = 4; (g[1].1, t.2[1]) = (t.2[2], g[2].1); print(t, g, eigendecompose_sym([[2, 1], [1, 2]])); }`))
	good, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "stan", "good", "*.stan"))
	for _, s := range append(append(seeds, more...), good...) {
		if src, err := os.ReadFile(s); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("real twice(real x) { return 2 * x; }\ntuple(real, int) pair(data real x);\ntuple(real, int) pair(data real x) { return (x, 1); }\nvoid hello_lp() { target += 0; }\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		// The same text as a .stanfunctions file (function definitions
		// only): any error, but no panic.
		ParseFile(token.NewFileSet(), "fuzz.stanfunctions", src, nil)
		prog, err := ParseFile(token.NewFileSet(), "fuzz.stan", src, nil)
		if err != nil {
			return
		}
		out := printer.String(prog)
		if _, err := ParseFile(token.NewFileSet(), "printed.stan", []byte(out), nil); err != nil {
			t.Fatalf("accepted program prints to one that does not parse: %v\n%s", err, out)
		}
	})
}

// BenchmarkParseLargest parses the largest PosteriorDB model in the tree
// named by $GOSTAN_POSTERIORDB (or the largest fixture) and reports the
// time per 100 lines.
func BenchmarkParseLargest(b *testing.B) {
	dir := filepath.Join("..", "..", "testdata", "posteriordb", "models", "stan")
	if root := os.Getenv("GOSTAN_POSTERIORDB"); root != "" {
		dir = filepath.Join(root, "models", "stan")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.stan"))
	var src []byte
	for _, f := range files {
		if s, err := os.ReadFile(f); err == nil && len(s) > len(src) {
			src = s
		}
	}
	lines := 1
	for _, c := range src {
		if c == '\n' {
			lines++
		}
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := ParseFile(token.NewFileSet(), "largest.stan", src, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(lines)*100, "µs/100lines")
}
