package nested

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/ppl"
)

// runModel runs nested sampling on a Go model.
func runModel(t *testing.T, m ppl.Model, cfg Config) *Result {
	t.Helper()
	p, err := ppl.NewPosterior(m, 1)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// checkEvidence asserts log Z within three reported errors and 0.15 nats.
func checkEvidence(t *testing.T, what string, r *Result, exact float64) {
	t.Helper()
	d := r.LogZ - exact
	t.Logf("%s: log Z %.4f ± %.4f, exact %.4f (%.2f errors), H %.2f, %d evaluations", what, r.LogZ, r.LogZErr, exact, d/r.LogZErr, r.H, r.LikelihoodEvals)
	if math.Abs(d) > 3*r.LogZErr || math.Abs(d) > 0.15 {
		t.Errorf("%s: log Z %.4f ± %.4f, exact %.4f", what, r.LogZ, r.LogZErr, exact)
	}
}

// gaussianEvidence is log N(y; 0, σ² I + τ² X Xᵀ), the evidence of
// y = Xβ + ε with β ~ N(0, τ² I) and ε ~ N(0, σ² I).
func gaussianEvidence(x *mat.Dense, y []float64, sigma, tau float64) float64 {
	n, _ := x.Dims()
	var c mat.SymDense
	c.SymOuterK(tau*tau, x)
	for i := range n {
		c.SetSym(i, i, c.At(i, i)+sigma*sigma)
	}
	var ch mat.Cholesky
	if !ch.Factorize(&c) {
		panic("not positive definite")
	}
	yv := mat.NewVecDense(n, y)
	var sol mat.VecDense
	ch.SolveVecTo(&sol, yv)
	return -0.5*float64(n)*math.Log(2*math.Pi) - 0.5*ch.LogDet() - 0.5*mat.Dot(yv, &sol)
}

// regression is y = Xβ + ε with d coefficients; corr mixes the columns
// of X so that the likelihood's contours are correlated.
type regression struct {
	x          *mat.Dense
	y          []float64
	sigma, tau float64
}

func newRegression(n, d int, corr float64, seed uint64) regression {
	r := rand.New(rand.NewPCG(seed, 7))
	x := mat.NewDense(n, d, nil)
	for i := range n {
		common := r.NormFloat64()
		for j := range d {
			x.Set(i, j, corr*common+math.Sqrt(1-corr*corr)*r.NormFloat64())
		}
	}
	y := make([]float64, n)
	for i := range y {
		for j := range d {
			y[i] += x.At(i, j) * float64(j%3-1)
		}
		y[i] += 0.5 * r.NormFloat64()
	}
	return regression{x, y, 0.5, 1}
}

func (g regression) model(ctx *ppl.Ctx) {
	n, d := g.x.Dims()
	var beta []ad.Var
	ctx.Plate("coef", d, func() {
		beta = ctx.Sample("beta", ppl.Normal(ppl.Scalar(0), ppl.Scalar(g.tau)))
	})
	mu := make([]ad.Var, n)
	for i := range mu {
		terms := make([]ad.Var, d)
		for j := range terms {
			terms[j] = ctx.T.Mul(beta[j], ad.Const(g.x.At(i, j)))
		}
		mu[i] = ctx.T.Sum(terms)
	}
	ctx.Sample("y", ppl.Normal(mu, ppl.Scalar(g.sigma)), ppl.Obs(ppl.Consts(g.y...)))
}

func (g regression) exact() float64 { return gaussianEvidence(g.x, g.y, g.sigma, g.tau) }

func TestConjugateNormalMean(t *testing.T) {
	g := newRegression(20, 1, 0, 1)
	// X a column of ones: a normal mean.
	for i := range 20 {
		g.x.Set(i, 0, 1)
	}
	r := runModel(t, g.model, Config{LivePoints: 1000, Seed: 1})
	checkEvidence(t, "normal mean", r, g.exact())
	// The posterior mean against the closed form.
	n := 20.0
	sum := 0.0
	for _, v := range g.y {
		sum += v
	}
	prec := 1/(g.tau*g.tau) + n/(g.sigma*g.sigma)
	want := sum / (g.sigma * g.sigma) / prec
	mean := 0.0
	for i, d := range r.Draws {
		mean += math.Exp(r.LogWeights[i]) * d[0]
	}
	if math.Abs(mean-want) > 0.1/math.Sqrt(prec) {
		t.Errorf("posterior mean %v, exact %v", mean, want)
	}
	// Equally weighted draws have the same mean.
	s := r.Samples(3, 2000)
	m2 := 0.0
	for _, d := range s {
		m2 += d[0] / 2000
	}
	if math.Abs(m2-want) > 0.15/math.Sqrt(prec) {
		t.Errorf("resampled mean %v, exact %v", m2, want)
	}
}

func TestLinearRegression5D(t *testing.T) {
	skipLong(t, "thousands of live points: ten seconds and more")
	g := newRegression(10, 5, 0, 2)
	checkEvidence(t, "regression 5-D", runModel(t, g.model, Config{LivePoints: 2500, Seed: 2}), g.exact())
}

// correlated is a 10-D Gaussian likelihood L(θ) = N(μ; θ, Σ), Σ with unit
// variances and correlation 0.9 between every pair, under a N(0, I) prior: the
// evidence is N(μ; 0, Σ + I).
type correlated struct {
	mu   []float64
	chol *mat.TriDense // Σ = L Lᵀ
	sig  *mat.SymDense
}

func newCorrelated(d int) correlated {
	sig := mat.NewSymDense(d, nil)
	for i := range d {
		for j := range d {
			v := 0.9
			if i == j {
				v = 1.0
			}
			sig.SetSym(i, j, v)
		}
	}
	var ch mat.Cholesky
	ch.Factorize(sig)
	var l mat.TriDense
	ch.LTo(&l)
	mu := make([]float64, d)
	for i := range mu {
		mu[i] = 0.4 * float64(i%4-1)
	}
	return correlated{mu, &l, sig}
}

func (c correlated) model(ctx *ppl.Ctx) {
	d := len(c.mu)
	var th []ad.Var
	ctx.Plate("dim", d, func() {
		th = ctx.Sample("theta", ppl.Normal(ppl.Scalar(0), ppl.Scalar(1)))
	})
	// Whiten the residual by forward substitution: L r = μ - θ.
	tp := ctx.T
	r := make([]ad.Var, d)
	for i := range d {
		acc := tp.Sub(ad.Const(c.mu[i]), th[i])
		for j := range i {
			acc = tp.Sub(acc, tp.Mul(ad.Const(c.chol.At(i, j)), r[j]))
		}
		r[i] = tp.Div(acc, ad.Const(c.chol.At(i, i)))
	}
	logDet := 0.0
	for i := range d {
		logDet += math.Log(c.chol.At(i, i))
	}
	ss := ad.Const(0)
	for _, v := range r {
		ss = tp.Add(ss, tp.Square(v))
	}
	ctx.Factor("lik", tp.Sub(tp.Mul(ad.Const(-0.5), ss), ad.Const(logDet+0.5*float64(d)*math.Log(2*math.Pi))))
}

func (c correlated) exact() float64 {
	d := len(c.mu)
	var s mat.SymDense
	s.AddSym(c.sig, eye(d))
	var ch mat.Cholesky
	ch.Factorize(&s)
	mv := mat.NewVecDense(d, c.mu)
	var sol mat.VecDense
	ch.SolveVecTo(&sol, mv)
	return -0.5*float64(d)*math.Log(2*math.Pi) - 0.5*ch.LogDet() - 0.5*mat.Dot(mv, &sol)
}

func eye(d int) *mat.SymDense {
	m := mat.NewSymDense(d, nil)
	for i := range d {
		m.SetSym(i, i, 1)
	}
	return m
}

func TestCorrelatedGaussian10D(t *testing.T) {
	skipLong(t, "thousands of live points: ten seconds and more")
	c := newCorrelated(10)
	checkEvidence(t, "correlated 10-D", runModel(t, c.model, Config{LivePoints: 2000, Seed: 3}), c.exact())
}

func TestBetaBinomial(t *testing.T) {
	const n, k, a, b = 30, 21, 2.0, 3.0
	m := func(ctx *ppl.Ctx) {
		p := ctx.Sample("p", ppl.Beta(ppl.Scalar(a), ppl.Scalar(b)))
		ctx.Sample("k", ppl.Binomial(n, p), ppl.Obs(ppl.Scalar(k)))
	}
	lbeta := func(x, y float64) float64 {
		lx, _ := math.Lgamma(x)
		ly, _ := math.Lgamma(y)
		lxy, _ := math.Lgamma(x + y)
		return lx + ly - lxy
	}
	ln1, _ := math.Lgamma(n + 1)
	lk1, _ := math.Lgamma(k + 1)
	lnk1, _ := math.Lgamma(n - k + 1)
	exact := ln1 - lk1 - lnk1 + lbeta(k+a, n-k+b) - lbeta(a, b)
	checkEvidence(t, "beta-binomial", runModel(t, m, Config{LivePoints: 1000, Seed: 4}), exact)
}

// TestGaussianShells is the classic bimodal test (Feroz & Hobson 2008):
// two thin rings in a uniform box; the evidence is 2·2πr / 144 up to
// terms of order e^(-r²/2w²).
func TestGaussianShells(t *testing.T) {
	const r, w, c = 2.0, 0.1, 3.5
	m := func(ctx *ppl.Ctx) {
		var x []ad.Var
		ctx.Plate("dim", 2, func() {
			x = ctx.Sample("x", ppl.Uniform(ad.Const(-6), ad.Const(6)))
		})
		tp := ctx.T
		shell := func(cx float64) ad.Var {
			rho := tp.Hypot(tp.Sub(x[0], ad.Const(cx)), x[1])
			z := tp.Div(tp.Sub(rho, ad.Const(r)), ad.Const(w))
			return tp.Sub(tp.Mul(ad.Const(-0.5), tp.Square(z)), ad.Const(math.Log(w*math.Sqrt(2*math.Pi))))
		}
		ctx.Factor("shells", tp.LogSumExp2(shell(-c), shell(c)))
	}
	res := runModel(t, m, Config{LivePoints: 1000, Seed: 5})
	checkEvidence(t, "shells", res, math.Log(4*math.Pi*r/144))
	// Both shells hold half the posterior mass.
	left := 0.0
	for i, d := range res.Draws {
		if d[0] < 0 {
			left += math.Exp(res.LogWeights[i])
		}
	}
	if math.Abs(left-0.5) > 0.1 {
		t.Errorf("mass of the left shell %.3f, want 0.5", left)
	}
}

// TestEnumeratedMixtureEvidence: a label summed out by enumeration gives
// the evidence of the same mixture written by hand.
func TestEnumeratedMixtureEvidence(t *testing.T) {
	y := []float64{-1.3, 2.2}
	enumerated := func(ctx *ppl.Ctx) {
		mu := ctx.Sample("mu", ppl.Normal(ppl.Scalar(0), ppl.Scalar(2)))
		z := ctx.Sample("z", ppl.Bernoulli(ppl.Scalar(0.3)), ppl.Enumerate())
		loc := ctx.T.Add(mu[0], ad.Const(3*z[0].Val))
		ctx.Sample("y", ppl.Normal([]ad.Var{loc}, ppl.Scalar(1)), ppl.Obs(ppl.Consts(y...)))
	}
	byHand := func(ctx *ppl.Ctx) {
		mu := ctx.Sample("mu", ppl.Normal(ppl.Scalar(0), ppl.Scalar(2)))
		tp := ctx.T
		lik := func(shift float64) ad.Var {
			lp, _ := ppl.Normal([]ad.Var{tp.Add(mu[0], ad.Const(shift))}, ppl.Scalar(1)).LogProb(tp, ppl.Consts(y...))
			return lp
		}
		ctx.Factor("y", tp.LogSumExp2(tp.Add(lik(0), ad.Const(math.Log(0.7))), tp.Add(lik(3), ad.Const(math.Log(0.3)))))
	}
	a := runModel(t, enumerated, Config{LivePoints: 200, Seed: 6})
	b := runModel(t, byHand, Config{LivePoints: 200, Seed: 6})
	if a.LogZ != b.LogZ {
		t.Errorf("enumerated log Z %v, by hand %v", a.LogZ, b.LogZ)
	}
}
