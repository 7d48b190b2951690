package pathfinder

import (
	"os"
	"testing"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/posteriordb"
)

// Multi-path Pathfinder with Stan's defaults on PosteriorDB reference
// posteriors, scored as gostan eval scores them: the largest
// |mean - mean_ref| / sd_ref over the columns, a success below 0.3.
// The figures of a run are in docs/variational.md.
func TestPosteriorDB(t *testing.T) {
	root := os.Getenv("GOSTAN_POSTERIORDB")
	if root == "" {
		t.Skip("GOSTAN_POSTERIORDB is not set")
	}
	db, err := posteriordb.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{
		"kidiq-kidscore_momhs",
		"kidiq-kidscore_interaction",
		"mesquite-logmesquite_logvolume",
		"arK-arK",
		"sblri-blr",
	} {
		post, err := db.Posterior(name)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := db.Reference(post)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := compile.File(db.ModelPath(post.ModelName))
		if err != nil {
			t.Fatal(err)
		}
		data, err := db.Data(post.DataName)
		if err != nil {
			t.Fatal(err)
		}
		m, err := prog.NewModel(data, 1)
		if err != nil {
			t.Fatal(err)
		}
		cfg := DefaultConfig()
		cfg.Seed = 4711
		res, err := Run(m, cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		draws := map[string][]float64{}
		for _, row := range res.Draws {
			for j, col := range m.Names() {
				draws[col] = append(draws[col], row[j])
			}
		}
		maxErr, worst, err := ref.Score(draws)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-42s max err %.3f (%s), Pareto k %.2f", name, maxErr, worst, res.ParetoK)
		if maxErr >= 0.3 {
			t.Errorf("%s: max err %.3f at %s, want below 0.3", name, maxErr, worst)
		}
	}
}
