package check

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gostan/gostan/stan/token"
)

// FuzzCheck checks that no program makes the type checker panic.
func FuzzCheck(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "errors", "*.stan"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "posteriordb", "models", "stan", "*.stan"))
	good, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "stan", "good", "*.stan"))
	for _, s := range append(append(seeds, more...), good...) {
		if src, err := os.ReadFile(s); err == nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		parseCheck(token.NewFileSet(), "fuzz.stan", src)
	})
}
