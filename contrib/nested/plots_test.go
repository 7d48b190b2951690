package nested

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestDiagnostics writes both plots of a 2-D run and decodes them: each
// must be a PNG of the size Diagnostics draws.
func TestDiagnostics(t *testing.T) {
	g := newRegression(10, 2, 0, 1)
	r := runModel(t, g.model, Config{LivePoints: 100, Seed: 2})
	dir := filepath.Join(t.TempDir(), "plots")
	if err := r.Diagnostics(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"evidence.png", "corner.png"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s := img.Bounds().Size(); s.X < 200 || s.Y < 200 {
			t.Errorf("%s is %v pixels", name, s)
		}
	}
}
