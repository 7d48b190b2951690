package compile

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/posteriordb"
)

// build parses, checks and compiles a Stan file and binds its data.
func build(t testing.TB, path string, data model.Data) (*Model, error) {
	p, err := File(path)
	if err != nil {
		return nil, err
	}
	return p.NewModel(data, 1)
}

type golden struct {
	Posterior string `json:"posterior"`
	Model     string `json:"model"`
	Dim       int    `json:"dim"`
	Points    []struct {
		Upars []float64 `json:"upars"`
		LP    float64   `json:"lp"`
		Grad  []float64 `json:"grad"`
	} `json:"points"`
}

// TestGolden compares log densities and gradients with Stan's at the
// points of every golden file.
func TestGolden(t *testing.T) {
	root := os.Getenv("GOSTAN_POSTERIORDB")
	gdir := filepath.Join("..", "testdata", "golden")
	pdb := filepath.Join("..", "testdata", "posteriordb")
	if root != "" {
		pdb = root
		gdir = filepath.Join(root, "..", "golden", "stan")
	}
	files, _ := filepath.Glob(filepath.Join(gdir, "*.json"))
	more, _ := filepath.Glob(filepath.Join(gdir, "points", "*.json"))
	files = append(files, more...)
	if len(files) == 0 {
		t.Skipf("no golden files in %s", gdir)
	}
	db, err := posteriordb.Open(pdb)
	if err != nil {
		t.Fatal(err)
	}
	pass, fail, skip := 0, 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var g golden
		if err := json.Unmarshal(b, &g); err != nil || g.Posterior == "" {
			continue
		}
		p, err := db.Posterior(g.Posterior)
		if err != nil || !db.HasData(p.DataName) {
			skip++
			continue
		}
		data, err := db.Data(p.DataName)
		if err != nil {
			t.Fatal(err)
		}
		m, err := build(t, db.ModelPath(p.ModelName), data)
		if err != nil {
			t.Errorf("%s: %v", g.Posterior, firstLine(err))
			fail++
			continue
		}
		if m.Dim() != g.Dim {
			t.Errorf("%s: dimension %d, Stan's %d", g.Posterior, m.Dim(), g.Dim)
			fail++
			continue
		}
		ok := true
		var lp0, slp0 float64
		for k, pt := range g.Points {
			grad := make([]float64, m.Dim())
			lp, err := m.LogDensity(pt.Upars, grad)
			if err != nil {
				t.Errorf("%s point %d: %v", g.Posterior, k, err)
				ok = false
				break
			}
			if k == 0 {
				lp0, slp0 = lp, pt.LP
			} else if d, sd := lp-lp0, pt.LP-slp0; math.Abs(d-sd) > 1e-6*math.Max(1, math.Abs(sd)) {
				t.Errorf("%s point %d: lp difference %v, Stan's %v", g.Posterior, k, d, sd)
				ok = false
				break
			}
			for i, gi := range grad {
				if math.Abs(gi-pt.Grad[i]) > 1e-8 && math.Abs(gi-pt.Grad[i]) > 1e-6*math.Abs(pt.Grad[i]) {
					t.Errorf("%s point %d: grad[%d] = %v, Stan's %v", g.Posterior, k, i, gi, pt.Grad[i])
					ok = false
					break
				}
			}
			if !ok {
				break
			}
		}
		if ok {
			pass++
		} else {
			fail++
		}
	}
	t.Logf("golden: %d agree with Stan, %d differ, %d skipped (data not in the tree)", pass, fail, skip)
}

func firstLine(err error) string {
	s := err.Error()
	if i := strings.Index(s, "\n"); i >= 0 {
		return s[:i]
	}
	return s
}
