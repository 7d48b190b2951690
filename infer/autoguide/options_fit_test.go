package autoguide_test

import (
	"context"
	"math"
	"os"
	"testing"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/posteriordb"
)

// NumPyro's AutoDelta is the MAP of the constrained density: for sigma ~
// lognormal(0, 1) its mode exp(-1); gostan's Delta maximises the
// unconstrained density, Jacobian included, whose mode is at log sigma =
// 0, sigma = 1.
func TestAsNumPyroDeltaIsConstrainedMAP(t *testing.T) {
	prog, err := compile.Source("ln.stan", []byte(`parameters { real<lower=0> sigma; } model { sigma ~ lognormal(0, 1); }`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := prog.NewModel(model.Data{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		opts []autoguide.Option
		want float64
	}{{nil, 1}, {[]autoguide.Option{autoguide.AsNumPyro()}, math.Exp(-1)}} {
		s := svi.New(svi.NewAdam(0.05), svi.TraceELBO{}, autoguide.AutoDelta(c.opts...))
		res, err := s.FitModel(context.Background(), 1, m, 3000, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Draws[0][0]; math.Abs(got-c.want) > 1e-3 {
			t.Errorf("Delta with %d options: sigma = %v, want %v", len(c.opts), got, c.want)
		}
	}
}

// A fit with options other than NumPyro's defaults still passes a
// PosteriorDB reference posterior (max err below 0.3): a rank-1 low-rank
// guide started at the origin with scale 0.5, and a BNAF of two gated
// flows with hidden factors [4, 4], with gostan's settings otherwise.
func TestOptionsFitReference(t *testing.T) {
	root := os.Getenv("GOSTAN_POSTERIORDB")
	if root == "" {
		t.Skip("GOSTAN_POSTERIORDB is not set")
	}
	db, err := posteriordb.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	const name = "mesquite-logmesquite_logvolume"
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
	for guide, opts := range map[string][]autoguide.Option{
		"lowrank": {autoguide.Rank(1), autoguide.InitScale(0.5), autoguide.InitLoc(autoguide.InitToFeasible())},
		"bnaf":    {autoguide.NumFlows(2), autoguide.HiddenDims(4, 4)},
	} {
		set := autoguide.DefaultSettings(guide)
		set.Steps, set.Draws, set.Options = 10000, 4000, opts
		res, err := set.SVI(set.Maker(guide)).FitModel(context.Background(), 4711, m, set.Steps-set.Warm, set.Draws, nil)
		if err != nil {
			t.Fatalf("%s: %v", guide, err)
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
		t.Logf("%s %s: max err %.3f (%s)", name, guide, maxErr, worst)
		if maxErr >= 0.3 {
			t.Errorf("%s with options: max err %.3f at %s, want below 0.3", guide, maxErr, worst)
		}
	}
}
