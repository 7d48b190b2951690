package ppl

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/ad"
)

// conjugate is a normal mean with a normal prior and a Poisson rate with a
// gamma prior: both posteriors are known in closed form.
type conjugate struct {
	y []float64 // normal, unit scale
	k []float64 // Poisson counts
}

func newConjugate() conjugate {
	r := rand.New(rand.NewPCG(11, 12))
	c := conjugate{y: make([]float64, 20), k: make([]float64, 15)}
	for i := range c.y {
		c.y[i] = 1.5 + r.NormFloat64()
	}
	for i := range c.k {
		c.k[i] = float64(int(3 + 2*r.Float64()))
	}
	return c
}

func (c conjugate) model(ctx *Ctx) {
	mu := ctx.Sample("mu", Normal(Scalar(0), Scalar(10)))
	ctx.Plate("obs", len(c.y), func() {
		ctx.Sample("y", Normal(mu, Scalar(1)), Obs(Consts(c.y...)))
	})
	rate := ctx.Sample("rate", Gamma(Scalar(2), Scalar(0.5)))
	ctx.Sample("k", Poisson(rate), Obs(Consts(c.k...)))
	ctx.Deterministic("twice_mu", []ad.Var{ctx.T.Mul(mu[0], ad.Const(2))})
}

// exact are the posterior means and standard deviations of mu and rate.
func (c conjugate) exact() (mean, sd [2]float64) {
	n := float64(len(c.y))
	sum := 0.0
	for _, v := range c.y {
		sum += v
	}
	prec := 1/100.0 + n
	mean[0], sd[0] = sum/prec, 1/math.Sqrt(prec)
	a, b := 2.0, 0.5
	for _, v := range c.k {
		a += v
	}
	b += float64(len(c.k))
	mean[1], sd[1] = a/b, math.Sqrt(a)/b
	return
}

// logNormal and logGamma and logPoisson are closed forms for the test.
func logNormal(x, mu, s float64) float64 {
	z := (x - mu) / s
	return -0.5*z*z - math.Log(s) - 0.5*math.Log(2*math.Pi)
}

func logGamma(x, a, b float64) float64 {
	lg, _ := math.Lgamma(a)
	return a*math.Log(b) - lg + (a-1)*math.Log(x) - b*x
}

func logPoisson(k, l float64) float64 {
	lg, _ := math.Lgamma(k + 1)
	return k*math.Log(l) - l - lg
}

// TestLogDensityClosedForm compares the posterior's log density with the
// closed form, normalising constants and the log Jacobian of the rate's
// log transform included, and its gradient with central differences.
func TestLogDensityClosedForm(t *testing.T) {
	c := newConjugate()
	p, err := NewPosterior(c.model, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Dim() != 2 {
		t.Fatalf("dim %d, want 2", p.Dim())
	}
	wantNames := []string{"mu", "rate", "twice_mu"}
	for i, n := range p.Names() {
		if n != wantNames[i] {
			t.Fatalf("names %v, want %v", p.Names(), wantNames)
		}
	}
	for _, th := range [][]float64{{0.3, 0.1}, {1.7, 1.4}, {-2, -0.5}} {
		mu, rate := th[0], math.Exp(th[1])
		want := logNormal(mu, 0, 10) + logGamma(rate, 2, 0.5) + th[1]
		for _, y := range c.y {
			want += logNormal(y, mu, 1)
		}
		for _, k := range c.k {
			want += logPoisson(k, rate)
		}
		g := make([]float64, 2)
		got, err := p.LogDensity(th, g)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 1e-9*math.Abs(want) {
			t.Errorf("at %v: log density %v, want %v", th, got, want)
		}
		for i := range th {
			fd := centralDiff(p, th, i)
			if math.Abs(g[i]-fd) > 1e-5*max(1, math.Abs(fd)) {
				t.Errorf("at %v: grad[%d] %v, finite difference %v", th, i, g[i], fd)
			}
		}
		out := make([]float64, 3)
		if err := p.Write(th, nil, out); err != nil {
			t.Fatal(err)
		}
		if out[0] != mu || math.Abs(out[1]-rate) > 1e-12 || out[2] != 2*mu {
			t.Errorf("Write at %v: %v, want [%v %v %v]", th, out, mu, rate, 2*mu)
		}
	}
}

func centralDiff(p *Posterior, x []float64, i int) float64 {
	const h = 1e-6
	y := append([]float64(nil), x...)
	y[i] = x[i] + h
	fp, _ := p.LogDensity(y, nil)
	y[i] = x[i] - h
	fm, _ := p.LogDensity(y, nil)
	return (fp - fm) / (2 * h)
}

// TestHandlers checks each handler on a small model by what it does to
// the sites.
func TestHandlers(t *testing.T) {
	m := func(ctx *Ctx) {
		a := ctx.Sample("a", Normal(Scalar(0), Scalar(1)))
		ctx.Sample("b", Normal(a, Scalar(2)))
		ctx.Param("w", []float64{0.5}, Positive)
		ctx.Factor("f", ad.Const(-3))
	}
	run := func(hs ...Handler) *Trace {
		tr := &Trace{}
		if err := Run(With(m, append([]Handler{tr}, hs...)...), nil); err != nil {
			t.Fatal(err)
		}
		return tr
	}
	// Seed: the same seed gives the same draws, another seed others.
	t1, t2, t3 := run(Seed(5)), run(Seed(5)), run(Seed(6))
	if t1.Site("a").Value[0] != t2.Site("a").Value[0] || t1.Site("a").Value[0] == t3.Site("a").Value[0] {
		t.Error("Seed is not reproducible or ignores the seed")
	}
	// Substitute: latent values fixed; Condition: observed.
	sub := run(Substitute(map[string][]float64{"a": {0.25}, "w": {2}}), Seed(1))
	if sub.Site("a").Value[0].Val != 0.25 || sub.Site("a").Observed || sub.Site("w").Value[0].Val != 2 {
		t.Errorf("Substitute: a=%v observed=%v w=%v", sub.Site("a").Value, sub.Site("a").Observed, sub.Site("w").Value)
	}
	cond := run(Condition(map[string][]float64{"a": {0.25}, "b": {1}}))
	if !cond.Site("a").Observed || !cond.Site("b").Observed {
		t.Error("Condition does not observe")
	}
	want := logNormal(0.25, 0, 1) + logNormal(1, 0.25, 2) - 3
	if got := cond.LogJoint(ad.NewTape()).Val; math.Abs(got-want) > 1e-12 {
		t.Errorf("LogJoint %v, want %v", got, want)
	}
	// Scale and Mask change the joint; Block hides sites from the trace.
	vals := map[string][]float64{"a": {0.25}, "b": {1}}
	if got := run(Condition(vals), Scale(2)).LogJoint(ad.NewTape()).Val; math.Abs(got-2*want) > 1e-12 {
		t.Errorf("Scale(2): %v, want %v", got, 2*want)
	}
	if got := run(Condition(vals), Mask(false)).LogJoint(ad.NewTape()).Val; got != 0 {
		t.Errorf("Mask(false): %v, want 0", got)
	}
	bl := run(Block(func(s *Site) bool { return s.Name == "a" }), Seed(1))
	if bl.Site("a") != nil || bl.Site("b") == nil {
		t.Error("Block hides the wrong sites")
	}
	// Without a source an unobserved site is an error that names it.
	if err := Run(m, nil); err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Errorf("no Seed: error %v", err)
	}
}

// TestEnumeratedMixture sums a two-component mixture's label out: the log
// density equals the hand-marginalised one.
func TestEnumeratedMixture(t *testing.T) {
	y := []float64{-1.2, 0.4, 2.9, 3.3}
	m := func(ctx *Ctx) {
		mu := ctx.Sample("mu", Normal(Consts(-1, 3), Scalar(2)))
		z := ctx.Sample("z", Bernoulli(Scalar(0.3)), Enumerate())
		ctx.Sample("y", Normal([]ad.Var{mu[int(z[0].Val)]}, Scalar(1)), Obs(Consts(y...)))
	}
	p, err := NewPosterior(m, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Dim() != 2 {
		t.Fatalf("dim %d, want 2", p.Dim())
	}
	th := []float64{-0.5, 2.5}
	lik := func(mu float64) float64 {
		s := 0.0
		for _, v := range y {
			s += logNormal(v, mu, 1)
		}
		return s
	}
	want := logNormal(th[0], -1, 2) + logNormal(th[1], 3, 2) +
		math.Log(0.7*math.Exp(lik(th[0]))+0.3*math.Exp(lik(th[1])))
	g := make([]float64, 2)
	got, err := p.LogDensity(th, g)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("log density %v, want %v", got, want)
	}
	for i := range th {
		if fd := centralDiff(p, th, i); math.Abs(g[i]-fd) > 1e-5 {
			t.Errorf("grad[%d] %v, finite difference %v", i, g[i], fd)
		}
	}
	// A discrete latent site without Enumerate is refused by name.
	bad := func(ctx *Ctx) { ctx.Sample("k", Poisson(Scalar(2))) }
	if _, err := NewPosterior(bad, 1); err == nil || !strings.Contains(err.Error(), `"k"`) {
		t.Errorf("discrete latent site: error %v", err)
	}
}

// TestEnumeratedInPlate sums a label per observation out, each on its
// own: the log density is the mixture likelihood written by hand, the
// prior and likelihood add up to it, and the labels drawn with the outputs
// follow each observation's responsibilities.
func TestEnumeratedInPlate(t *testing.T) {
	y := []float64{-1.2, 0.4, 2.9, 3.3, -0.7}
	m := func(ctx *Ctx) {
		mu := ctx.Sample("mu", Normal(Consts(-1, 3), Scalar(2)))
		w := ctx.Sample("w", Beta(Scalar(2), Scalar(2)))
		ctx.Plate("data", len(y), func() {
			z := ctx.Sample("z", Bernoulli(w), Enumerate())
			loc := make([]ad.Var, len(z))
			for i := range z {
				loc[i] = mu[int(z[i].Val)]
			}
			ctx.Sample("y", Normal(loc, Scalar(1)), Obs(Consts(y...)))
		})
	}
	p, err := NewPosterior(m, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Dim() != 3 || len(p.Names()) != 3+len(y) || p.Names()[3] != "z[1]" {
		t.Fatalf("dim %d, names %v", p.Dim(), p.Names())
	}
	th := []float64{-0.5, 2.5, 0.3}
	w := 1 / (1 + math.Exp(-th[2]))
	want := logNormal(th[0], -1, 2) + logNormal(th[1], 3, 2) + math.Log(6*w*(1-w)) + math.Log(w*(1-w))
	resp := make([]float64, len(y))
	for i, v := range y {
		a, b := (1-w)*math.Exp(logNormal(v, th[0], 1)), w*math.Exp(logNormal(v, th[1], 1))
		want += math.Log(a + b)
		resp[i] = b / (a + b)
	}
	g := make([]float64, 3)
	got, err := p.LogDensity(th, g)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("log density %v, want %v", got, want)
	}
	for i := range th {
		if fd := centralDiff(p, th, i); math.Abs(g[i]-fd) > 1e-5 {
			t.Errorf("grad[%d] %v, finite difference %v", i, g[i], fd)
		}
	}
	prior, lik, err := p.PriorLikelihood(th)
	if err != nil || math.Abs(prior+lik-want) > 1e-9 {
		t.Errorf("prior %v + likelihood %v, want %v (%v)", prior, lik, want, err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]float64, len(p.Names()))
	ones := make([]float64, len(y))
	const n = 4000
	for range n {
		if err := p.Write(th, rng, out); err != nil {
			t.Fatal(err)
		}
		for i := range y {
			ones[i] += out[3+i] / n
		}
	}
	for i := range y {
		if math.Abs(ones[i]-resp[i]) > 0.03 {
			t.Errorf("z[%d] is 1 in %.3f of the draws, responsibility %.3f", i+1, ones[i], resp[i])
		}
	}
}

// TestEnumeratedInPlateRefusals: what plate enumeration cannot sum out is
// refused by name.
func TestEnumeratedInPlateRefusals(t *testing.T) {
	outside := func(ctx *Ctx) {
		var z []ad.Var
		ctx.Plate("data", 3, func() { z = ctx.Sample("z", Bernoulli(Scalar(0.5)), Enumerate()) })
		ctx.Factor("f", ad.Const(z[0].Val))
	}
	p, err := NewPosterior(outside, 1)
	if err == nil {
		_, err = p.LogDensity(nil, nil)
	}
	if err == nil || !strings.Contains(err.Error(), `a site outside plate "data" depends on the site "z"`) {
		t.Errorf("a site outside the plate reads z: error %v", err)
	}
	two := func(ctx *Ctx) {
		ctx.Plate("a", 2, func() { ctx.Sample("z", Bernoulli(Scalar(0.5)), Enumerate()) })
		ctx.Plate("b", 2, func() { ctx.Sample("u", Bernoulli(Scalar(0.5)), Enumerate()) })
	}
	if _, err := NewPosterior(two, 1); err == nil || !strings.Contains(err.Error(), "one such site is supported") {
		t.Errorf("two plate-enumerated sites: error %v", err)
	}
}
