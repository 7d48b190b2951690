package dcc

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/ppl"
)

// gauss is a conjugate normal model: mean ~ normal(m0, s0), each y ~
// normal(mean, 1).
type gauss struct{ m0, s0 float64 }

// logEvidence is log N(y; m0·1, I + s0² 11ᵀ), by the matrix determinant
// lemma and Sherman–Morrison.
func (g gauss) logEvidence(y []float64) float64 {
	n := float64(len(y))
	s, ss := 0.0, 0.0
	for _, v := range y {
		s += v - g.m0
		ss += (v - g.m0) * (v - g.m0)
	}
	t2 := g.s0 * g.s0
	quad := ss - t2*s*s/(1+n*t2)
	return -0.5*n*math.Log(2*math.Pi) - 0.5*math.Log(1+n*t2) - 0.5*quad
}

// posterior is the mean and sd of mean given y.
func (g gauss) posterior(y []float64) (mean, sd float64) {
	prec := 1/(g.s0*g.s0) + float64(len(y))
	s := g.m0 / (g.s0 * g.s0)
	for _, v := range y {
		s += v
	}
	return s / prec, math.Sqrt(1 / prec)
}

// seedModel is the seed's example: a fair coin chooses the prior of mean.
func seedModel(c *ppl.Ctx) {
	b := c.Sample("model1", ppl.Bernoulli(ppl.Scalar(0.5)), ppl.Branch())
	var mean []ad.Var
	if b[0].Val == 0 {
		mean = c.Sample("a1", ppl.Normal(ppl.Scalar(0), ppl.Scalar(1)))
	} else {
		mean = c.Sample("a2", ppl.Normal(ppl.Scalar(1), ppl.Scalar(1)))
	}
	c.Sample("obs", ppl.Normal(mean, ppl.Scalar(1)), ppl.Obs(ppl.Scalar(0.2)))
}

// threeWayY is the three-way model's data.
var threeWayY = []float64{0.2, 1.1}

// threeWay chooses one of three structures by a categorical: a normal
// prior of mean, a narrower one, or mean = a + b for two standard normals
// (a normal(0, √2) prior, with correlated a and b).
func threeWay(c *ppl.Ctx) {
	k := c.Sample("k", ppl.Categorical(ppl.Consts(0.2, 0.3, 0.5)), ppl.Branch())
	var mean []ad.Var
	switch k[0].Val {
	case 1:
		mean = c.Sample("m1", ppl.Normal(ppl.Scalar(-1), ppl.Scalar(1)))
	case 2:
		mean = c.Sample("m2", ppl.Normal(ppl.Scalar(1), ppl.Scalar(0.5)))
	default:
		a := c.Sample("a", ppl.Normal(ppl.Scalar(0), ppl.Scalar(1)))
		b := c.Sample("b", ppl.Normal(ppl.Scalar(0), ppl.Scalar(1)))
		mean = c.Deterministic("m3", []ad.Var{c.T.Add(a[0], b[0])})
	}
	c.Sample("y", ppl.Normal(mean, ppl.Scalar(1)), ppl.Obs(ppl.Consts(threeWayY...)))
}

// testOptions are small NUTS settings: a few thousand draws of a 1-D or
// 2-D normal.
func testOptions() Options {
	o := DefaultOptions()
	o.NUTS.Warmup, o.NUTS.Samples, o.NUTS.Seed = 300, 3000, 7
	o.Chains, o.Threads = 2, 2
	o.Seed = 11
	return o
}

// exactCase is one SLP's exact answer: its branch value, prior
// probability, the column of mean and its conjugate prior.
type exactCase struct {
	branch string // slpKey of its branch values
	prior  float64
	col    string
	g      gauss
}

// checkExact compares the SLPs' weights (within 0.02) and posteriors of
// mean (mean and sd within 0.05) with the closed forms.
func checkExact(t *testing.T, r *Result, y []float64, cases []exactCase) {
	t.Helper()
	if len(r.SLPs) != len(cases) {
		t.Fatalf("%d SLPs, want %d", len(r.SLPs), len(cases))
	}
	lz := make([]float64, len(cases))
	total := 0.0
	for i, c := range cases {
		lz[i] = math.Log(c.prior) + c.g.logEvidence(y)
		total += math.Exp(lz[i])
	}
	for i, c := range cases {
		s := r.SLPs[i]
		if k := slpKey(s.Branches); k != c.branch {
			t.Fatalf("SLP %d has branch values %s, want %s", i, k, c.branch)
		}
		want := math.Exp(lz[i]) / total
		t.Logf("SLP %s: weight %.4f (exact %.4f), log Z %.4f (exact %.4f), IS ESS %.0f", slpKey(s.Branches), s.Weight, want, s.LogZ, lz[i], s.ESS)
		if math.Abs(s.Weight-want) > 0.02 {
			t.Errorf("SLP %s: weight %.4f, exact %.4f", slpKey(s.Branches), s.Weight, want)
		}
		j := s.Col(c.col)
		if j < 0 {
			t.Fatalf("SLP %s has no column %q among %v", slpKey(s.Branches), c.col, s.Names)
		}
		m, sd := c.g.posterior(y)
		t.Logf("  %s: mean %.4f (exact %.4f), sd %.4f (exact %.4f)", c.col, s.Mean[j], m, s.SD[j], sd)
		if math.Abs(s.Mean[j]-m) > 0.05 || math.Abs(s.SD[j]-sd) > 0.05 {
			t.Errorf("SLP %s: %s has mean %.4f and sd %.4f, exact %.4f and %.4f", slpKey(s.Branches), c.col, s.Mean[j], s.SD[j], m, sd)
		}
	}
	if want := math.Log(total); math.Abs(r.LogZ-want) > 0.02 {
		t.Errorf("log Z %.4f, exact %.4f", r.LogZ, want)
	}
}

// TestSeedModel is the seed's example: weights 0.537 and 0.463, and
// posteriors of mean N(0.1, 0.707²) and N(0.6, 0.707²).
// Its SLPs have one site each, so the diagonal proposal is the full one.
func TestSeedModel(t *testing.T) {
	o := testOptions()
	o.Diagonal = true
	r, err := Run(context.Background(), seedModel, o)
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, r, []float64{0.2}, []exactCase{
		{"model1=0", 0.5, "a1", gauss{0, 1}},
		{"model1=1", 0.5, "a2", gauss{1, 1}},
	})
	// The closed form the acceptance quotes.
	if w := r.SLPs[0].Weight; math.Abs(w-0.537) > 0.02 {
		t.Errorf("weight of model1=0 is %.4f, want 0.537", w)
	}
}

// TestThreeWay is a categorical branch among three structures, one with
// two correlated continuous sites.
func TestThreeWay(t *testing.T) {
	r, err := Run(context.Background(), threeWay, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, r, threeWayY, []exactCase{
		{"k=1", 0.2, "m1", gauss{-1, 1}},
		{"k=2", 0.3, "m2", gauss{1, 0.5}},
		{"k=3", 0.5, "m3", gauss{0, math.Sqrt2}},
	})
	var buf bytes.Buffer
	if err := r.PrintSummary(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"3 SLPs (3 discovered)", "SLP 2: k=3", "m3"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the summary lacks %q:\n%s", want, buf.String())
		}
	}
}

// TestCombined draws from the combined posterior: the share of each SLP
// follows its weight, and a site outside the drawn SLP is NaN.
func TestCombined(t *testing.T) {
	r := &Result{SLPs: []*SLP{
		{Names: []string{"a1"}, Draws: [][]float64{{1}, {2}}, Weight: 0.25},
		{Names: []string{"a2"}, Weight: 0}, // no draws, no weight
		{Names: []string{"a2", "c"}, Draws: [][]float64{{3, 4}}, Weight: 0.75},
	}}
	names, rows, err := r.Combined(rand.New(rand.NewPCG(1, 2)), 20000)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, ",") != "a1,a2,c,slp__" {
		t.Fatalf("columns %v", names)
	}
	n2 := 0
	for _, row := range rows {
		switch row[3] {
		case 0:
			if row[0] != 1 && row[0] != 2 || !math.IsNaN(row[1]) || !math.IsNaN(row[2]) {
				t.Fatalf("row %v of SLP 0", row)
			}
		case 2:
			if !math.IsNaN(row[0]) || row[1] != 3 || row[2] != 4 {
				t.Fatalf("row %v of SLP 2", row)
			}
			n2++
		default:
			t.Fatalf("row %v from SLP with no draws", row)
		}
	}
	// 20000 draws: the share's sd is 0.003.
	if share := float64(n2) / 20000; math.Abs(share-0.75) > 0.015 {
		t.Errorf("SLP 2 has %.4f of the draws, its weight is 0.75", share)
	}
}

// nestedModel has a branch site that only one branch reaches: three SLPs
// of prior probabilities 0.7, 0.15 and 0.15.
func nestedModel(c *ppl.Ctx) {
	var mean []ad.Var
	if b1 := c.Sample("b1", ppl.Bernoulli(ppl.Scalar(0.3)), ppl.Branch()); b1[0].Val == 1 {
		b2 := c.Sample("b2", ppl.Bernoulli(ppl.Scalar(0.5)), ppl.Branch())
		mean = c.Sample("m", ppl.Normal(ppl.Scalar(2*b2[0].Val), ppl.Scalar(1)))
	} else {
		mean = c.Sample("m", ppl.Normal(ppl.Scalar(-1), ppl.Scalar(1)))
	}
	c.Sample("y", ppl.Normal(mean, ppl.Scalar(1)), ppl.Obs(ppl.Scalar(0.5)))
}

// TestNestedBranches: the discovery tells the SLPs apart by the branch
// sites they reach, and counts them near their prior probabilities.
func TestNestedBranches(t *testing.T) {
	progs, counts, err := Discover(nestedModel, 4000, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"b1=0": 0.7, "b1=1, b2=0": 0.15, "b1=1, b2=1": 0.15}
	if len(progs) != 3 {
		t.Fatalf("%d SLPs: %v", len(progs), progs)
	}
	for i, bs := range progs {
		p, ok := want[slpKey(bs)]
		// 4000 runs: a share's sd is at most 0.008.
		if share := float64(counts[i]) / 4000; !ok || math.Abs(share-p) > 0.03 {
			t.Errorf("SLP %s: share %.3f of the runs, want %v", slpKey(bs), share, p)
		}
	}
	r, err := Run(context.Background(), nestedModel, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, r, []float64{0.5}, []exactCase{
		{"b1=0", 0.7, "m", gauss{-1, 1}},
		{"b1=1, b2=0", 0.15, "m", gauss{0, 1}},
		{"b1=1, b2=1", 0.15, "m", gauss{2, 1}},
	})
}

// TestNoContinuousSites: an SLP with no continuous site has its density as
// its normalising constant, exactly.
func TestNoContinuousSites(t *testing.T) {
	m := func(c *ppl.Ctx) {
		k := c.Sample("k", ppl.Bernoulli(ppl.Scalar(0.3)), ppl.Branch())
		c.Sample("y", ppl.Normal(ppl.Scalar(2*k[0].Val), ppl.Scalar(1)), ppl.Obs(ppl.Scalar(1.5)))
	}
	r, err := Run(context.Background(), m, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	l0 := math.Log(0.7) - 0.5*math.Log(2*math.Pi) - 0.5*1.5*1.5
	l1 := math.Log(0.3) - 0.5*math.Log(2*math.Pi) - 0.5*0.5*0.5
	if len(r.SLPs) != 2 || math.Abs(r.SLPs[0].LogZ-l0) > 1e-12 || math.Abs(r.SLPs[1].LogZ-l1) > 1e-12 {
		t.Fatalf("log Z of the SLPs: %v, %v; want %v, %v", r.SLPs[0].LogZ, r.SLPs[1].LogZ, l0, l1)
	}
	if w := math.Exp(l0) / (math.Exp(l0) + math.Exp(l1)); math.Abs(r.SLPs[0].Weight-w) > 1e-12 {
		t.Errorf("weight %v, want %v", r.SLPs[0].Weight, w)
	}
}

// TestMaxSLPs keeps the most often discovered SLPs and weighs them among
// themselves.
func TestMaxSLPs(t *testing.T) {
	o := testOptions()
	o.MaxSLPs = 2
	r, err := Run(context.Background(), threeWay, o)
	if err != nil {
		t.Fatal(err)
	}
	if r.Discovered != 3 || len(r.SLPs) != 2 || slpKey(r.SLPs[0].Branches) != "k=2" || slpKey(r.SLPs[1].Branches) != "k=3" {
		t.Fatalf("kept %d of %d SLPs: %v", len(r.SLPs), r.Discovered, r.SLPs)
	}
	if sum := r.SLPs[0].Weight + r.SLPs[1].Weight; math.Abs(sum-1) > 1e-12 {
		t.Errorf("the kept weights sum to %v", sum)
	}
}

// TestErrors: mistakes in the model or the options are errors that say
// what to change.
func TestErrors(t *testing.T) {
	continuous := func(c *ppl.Ctx) { c.Sample("x", ppl.Normal(ppl.Scalar(0), ppl.Scalar(1)), ppl.Branch()) }
	unmarked := func(c *ppl.Ctx) {
		c.Sample("k", ppl.Bernoulli(ppl.Scalar(0.5)), ppl.Branch())
		c.Sample("j", ppl.Bernoulli(ppl.Scalar(0.5)))
	}
	failing := func(c *ppl.Ctx) { c.Fail(errors.New("boom")) }
	bad := testOptions()
	bad.ProposalScale = 0
	for _, tc := range []struct {
		m    ppl.Model
		o    Options
		want string
	}{
		{continuous, testOptions(), `site "x" is marked Branch, but its distribution is continuous`},
		{unmarked, testOptions(), `SLP k=0: site "j" is a discrete latent variable`},
		{failing, testOptions(), "running the model forward: boom"},
		{seedModel, bad, "ProposalScale is 0"},
	} {
		_, err := Run(context.Background(), tc.m, tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one containing %q", err, tc.want)
		}
	}
}
