package parser

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gostan/gostan/stan/printer"
	"github.com/gostan/gostan/stan/token"
)

// FuzzParser checks that no input makes the parser panic, and that every
// program it accepts prints to a program it accepts again.
func FuzzParser(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "errors", "*.stan"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "posteriordb", "models", "stan", "*.stan"))
	for _, s := range append(seeds, more...) {
		if src, err := os.ReadFile(s); err == nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
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
