package nested

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/internal/race"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/posteriordb"
)

// stanProblem compiles a Stan program, binds data and checks that every
// parameter has a proper prior.
func stanProblem(t *testing.T, src string, data model.Data) *compile.Model {
	t.Helper()
	p, err := compile.Source("evidence.stan", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.NewModel(data, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.CheckPriors(); err != nil {
		t.Fatal(err)
	}
	return m
}

func runStan(t *testing.T, m *compile.Model, cfg Config) *Result {
	t.Helper()
	r, err := Run(context.Background(), m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestStanEvidence: compiled Stan programs are Problems, and their
// evidence is the full one (every constant counts, as target += *_lpdf
// does), against closed forms: a normal mean, the same mean bounded below
// by 0 (Stan's density drops the half-normal's mass, so the evidence is
// the unbounded one times P(mean > 0 | y)), and a beta-binomial.
func TestStanEvidence(t *testing.T) {
	g := newRegression(20, 1, 0, 1)
	for i := range 20 {
		g.x.Set(i, 0, 1)
	}
	y := &model.Value{Dims: []int{20}, Elems: g.y}
	n := &model.Value{Int: true, Elems: []float64{20}}
	const mean = `
data { int N; vector[N] y; }
parameters { real%s mu; }
model { y ~ normal(mu, 0.5); mu ~ normal(0, 1); }
`
	exact := g.exact()
	m := stanProblem(t, strings.Replace(mean, "%s", "", 1), model.Data{"N": n, "y": y})
	checkEvidence(t, "Stan normal mean", runStan(t, m, Config{LivePoints: 1000, Seed: 1}), exact)

	// Data centred on 0, where the bound takes about half the posterior.
	yc := make([]float64, 20)
	sum := 0.0
	for _, v := range g.y {
		sum += v / 20
	}
	for i, v := range g.y {
		yc[i] = v - sum + 0.01
	}
	prec := 1 + 20/(0.5*0.5)
	postMean := 20 * 0.01 / (0.5 * 0.5) / prec
	// log Φ(m √prec): the posterior mass above 0.
	logAbove := math.Log(0.5 * math.Erfc(-postMean*math.Sqrt(prec)/math.Sqrt2))
	m = stanProblem(t, strings.Replace(mean, "%s", "<lower=0>", 1), model.Data{"N": n, "y": {Dims: []int{20}, Elems: yc}})
	checkEvidence(t, "Stan normal mean > 0", runStan(t, m, Config{LivePoints: 1000, Seed: 2}),
		gaussianEvidence(g.x, yc, 0.5, 1)+logAbove)

	const bb = `
data { int n; int k; }
parameters { real<lower=0, upper=1> p; }
model { p ~ beta(2, 3); k ~ binomial(n, p); }
`
	const nn, k, a, b = 30, 21, 2.0, 3.0
	lbeta := func(x, y float64) float64 {
		lx, _ := math.Lgamma(x)
		ly, _ := math.Lgamma(y)
		lxy, _ := math.Lgamma(x + y)
		return lx + ly - lxy
	}
	ln1, _ := math.Lgamma(nn + 1)
	lk1, _ := math.Lgamma(k + 1)
	lnk1, _ := math.Lgamma(nn - k + 1)
	m = stanProblem(t, bb, model.Data{"n": {Int: true, Elems: []float64{nn}}, "k": {Int: true, Elems: []float64{k}}})
	checkEvidence(t, "Stan beta-binomial", runStan(t, m, Config{LivePoints: 1000, Seed: 4}),
		ln1-lk1-lnk1+lbeta(k+a, nn-k+b)-lbeta(a, b))
}

// TestStanEvidenceSimplex: a Dirichlet-multinomial, whose prior lives on
// the simplex: the prior's log density must carry the stick-breaking
// transform's Jacobian for the evidence to come out right.
func TestStanEvidenceSimplex(t *testing.T) {
	const src = `
data { array[3] int n; }
parameters { simplex[3] w; }
model { w ~ dirichlet([1.5, 2, 3]'); n ~ multinomial(w); }
`
	counts := []float64{4, 9, 2}
	alpha := []float64{1.5, 2, 3}
	lmvbeta := func(a []float64) float64 {
		s, sum := 0.0, 0.0
		for _, v := range a {
			l, _ := math.Lgamma(v)
			s += l
			sum += v
		}
		l, _ := math.Lgamma(sum)
		return s - l
	}
	// log Z = log multinomial coefficient + log B(α + n) - log B(α).
	post := make([]float64, 3)
	total, exact := 0.0, 0.0
	for i := range post {
		post[i] = alpha[i] + counts[i]
		total += counts[i]
		l, _ := math.Lgamma(counts[i] + 1)
		exact -= l
	}
	l, _ := math.Lgamma(total + 1)
	exact += l + lmvbeta(post) - lmvbeta(alpha)
	m := stanProblem(t, src, model.Data{"n": {Int: true, Dims: []int{3}, Elems: counts}})
	checkEvidence(t, "Stan Dirichlet-multinomial", runStan(t, m, Config{LivePoints: 1000, Seed: 5}), exact)
}

// TestPosteriorDBPriors counts the reference posteriors of dimension at
// most 30 whose programs have a proper prior for every parameter, and
// prints why the others are refused (it runs no sampler).
func TestPosteriorDBPriors(t *testing.T) {
	root := os.Getenv("GOSTAN_POSTERIORDB")
	if root == "" {
		t.Skip("GOSTAN_POSTERIORDB is not set")
	}
	db, err := posteriordb.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	names, err := db.Posteriors()
	if err != nil {
		t.Fatal(err)
	}
	var accepted, refused []string
	reasons := map[string]string{}
	for _, name := range names {
		post, err := db.Posterior(name)
		if err != nil {
			t.Fatal(err)
		}
		if !db.HasReference(post) || !db.HasData(post.DataName) {
			continue
		}
		p, err := compile.File(db.ModelPath(post.ModelName))
		if err != nil {
			reasons[name] = "does not compile: " + firstLine(err)
			refused = append(refused, name)
			continue
		}
		data, err := db.Data(post.DataName)
		if err != nil {
			t.Fatal(err)
		}
		m, err := p.NewModel(data, 1)
		if err != nil {
			reasons[name] = "data: " + firstLine(err)
			refused = append(refused, name)
			continue
		}
		if m.Dim() > 30 {
			continue
		}
		if err := m.CheckPriors(); err != nil {
			reasons[name] = err.Error()
			refused = append(refused, name)
			continue
		}
		src, err := os.ReadFile(db.ModelPath(post.ModelName))
		if err != nil {
			t.Fatal(err)
		}
		// An ODE solver's error control counts the sensitivities when
		// LogDensity tapes the parameters, and not in PriorLikelihood, so
		// at loose tolerances (lotka_volterra's rtol 1e-3) the solutions
		// differ by nats where the density is in the hundreds.
		tol := 1e-8
		if strings.Contains(string(src), "ode_") {
			tol = 5e-2
		}
		if err := constantsOnly(m, tol); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		accepted = append(accepted, name)
		if why, ok := slowNested[name]; ok || testing.Short() || race.Enabled {
			t.Logf("%s: nested sampling not run here (%s); docs/nested.md records it from gostan eval", name, why)
			continue
		}
		scoreNested(t, db, post, m)
	}
	sort.Strings(accepted)
	t.Logf("%d of %d reference posteriors of dimension <= 30 have a proper prior for every parameter:\n  %s",
		len(accepted), len(accepted)+len(refused), strings.Join(accepted, "\n  "))
	for _, name := range refused {
		t.Logf("refused %s:\n    %s", name, strings.ReplaceAll(reasons[name], "\n", "\n    "))
	}
	if len(accepted) == 0 {
		t.Error("no posterior is accepted")
	}
}

// slowNested are the accepted posteriors whose nested run takes more than
// half a minute on two cores.
var slowNested = map[string]string{
	"arK-arK":                         "a minute",
	"hudson_lynx_hare-lotka_volterra": "two minutes: an ODE solve per evaluation",
}

// scoreNested runs nested sampling with its defaults on a PosteriorDB
// posterior and checks its equally weighted draws' means against the
// reference: max |mean - mean_ref| / sd_ref below 0.3.
func scoreNested(t *testing.T, db *posteriordb.DB, post *posteriordb.Posterior, m *compile.Model) {
	t.Helper()
	ref, err := db.Reference(post)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), m, Config{Seed: 4711})
	if err != nil {
		t.Errorf("%s: %v", post.Name, err)
		return
	}
	draws := map[string][]float64{}
	for _, row := range res.Samples(4711, 4000) {
		for j, n := range res.Names {
			draws[n] = append(draws[n], row[j])
		}
	}
	maxErr, worst, err := ref.Score(draws)
	if err != nil {
		t.Fatalf("%s: %v", post.Name, err)
	}
	t.Logf("%s: max err %.3f (%s), log Z %.3f ± %.3f, %d likelihood evaluations", post.Name, maxErr, worst, res.LogZ, res.LogZErr, res.LikelihoodEvals)
	if maxErr >= 0.3 {
		t.Errorf("%s: max err %.3f at %s", post.Name, maxErr, worst)
	}
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// constantsOnly checks at a few draws from the prior that the prior and
// the likelihood add up to the model's log density up to a constant (the
// constants Stan drops), within tol relative to the density.
func constantsOnly(m *compile.Model, tol float64) error {
	rng := rand.New(rand.NewPCG(1, 2))
	z := make([]float64, m.Dim())
	var first float64
	for i := range 4 {
		if err := m.DrawPrior(rng, z); err != nil {
			return err
		}
		lp, ll, err := m.PriorLikelihood(z)
		if err != nil {
			return err
		}
		stan, err := m.LogDensity(z, nil)
		if err != nil {
			return err
		}
		d := lp + ll - stan
		if i == 0 {
			first = d
		} else if math.Abs(d-first) > tol*max(1, math.Abs(stan)) {
			return fmt.Errorf("prior + likelihood - LogDensity is %v at one draw and %v at another", first, d)
		}
	}
	return nil
}
