package posteriordb

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

func testDB(t *testing.T) *DB {
	db, err := Open(filepath.Join("..", "testdata", "posteriordb"))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestReadFixture(t *testing.T) {
	db := testDB(t)
	names, err := db.Posteriors()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 3 || names[0] != "eight_schools-eight_schools_noncentered" || names[2] != "nes1972-nes" {
		t.Fatalf("Posteriors() = %v", names)
	}
	p, err := db.Posterior(names[0])
	if err != nil {
		t.Fatal(err)
	}
	if p.ModelName != "eight_schools_noncentered" || p.DataName != "eight_schools" || p.Dimensions["theta"].Len() != 8 {
		t.Fatalf("posterior = %+v", p)
	}
	if _, err := os.Stat(db.ModelPath(p.ModelName)); err != nil {
		t.Fatal(err)
	}
	d, err := db.Data(p.DataName)
	if err != nil {
		t.Fatal(err)
	}
	if d["J"].Elems[0] != 8 {
		t.Fatalf("J = %v", d["J"])
	}
	if !db.HasReference(p) {
		t.Fatal("no reference")
	}
	ref, err := db.Reference(p)
	if err != nil {
		t.Fatal(err)
	}
	// 10 chains of 1000 draws, per the reference's info file.
	if n := len(ref.Draws["mu"]); n != 10000 {
		t.Fatalf("mu has %d draws", n)
	}
	// The reference scores itself perfectly; shifting a column by k sd
	// scores k.
	self := map[string][]float64{}
	for k, v := range ref.Draws {
		self[k] = v
	}
	if e, _, err := ref.Score(self); err != nil || e != 0 {
		t.Fatalf("self score %v, %v", e, err)
	}
	m, sd := meanSD(ref.Draws["tau"])
	shifted := make([]float64, len(ref.Draws["tau"]))
	for i, v := range ref.Draws["tau"] {
		shifted[i] = v + 0.4*sd
	}
	self["tau"] = shifted
	e, worst, err := ref.Score(self)
	if err != nil || worst != "tau" || math.Abs(e-0.4) > 1e-9 {
		t.Fatalf("score = %v at %s (%v), want 0.4 at tau (mean %v)", e, worst, err, m)
	}
	delete(self, "mu")
	if _, _, err := ref.Score(self); err == nil {
		t.Fatal("missing column scored")
	}
}

// TestWholeDB reads every posterior of the full PosteriorDB tree named by
// $GOSTAN_POSTERIORDB.
func TestWholeDB(t *testing.T) {
	root := os.Getenv("GOSTAN_POSTERIORDB")
	if root == "" {
		t.Skip("GOSTAN_POSTERIORDB is not set: skipping the whole-PosteriorDB test")
	}
	db, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	names, err := db.Posteriors()
	if err != nil {
		t.Fatal(err)
	}
	refs := 0
	for _, n := range names {
		p, err := db.Posterior(n)
		if err != nil {
			t.Fatal(err)
		}
		if !db.HasData(p.DataName) {
			t.Logf("%s: data set %q is not in this tree", n, p.DataName)
			continue
		}
		if _, err := db.Data(p.DataName); err != nil {
			t.Errorf("%s: %v", n, err)
		}
		if db.HasReference(p) {
			refs++
			r, err := db.Reference(p)
			if err != nil {
				t.Errorf("%s: %v", n, err)
				continue
			}
			dims := 0
			for _, k := range p.Dimensions {
				dims += k.Len()
			}
			if len(r.Names) != dims {
				t.Errorf("%s: %d reference columns, dimensions say %d", n, len(r.Names), dims)
			}
		}
	}
	t.Logf("%d posteriors, %d with reference draws", len(names), refs)
}
