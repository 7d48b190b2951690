package autoguide

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// numpyroLatent maps NumPyro's latent vector u to the model's
// unconstrained z, for a guide fitted on u as the seed study's. NumPyro's
// AutoContinuous guides ravel the parameters sorted by name (perm:
// latent[j] is the model's coordinate perm[j]; nil for AutoNormal, whose
// sites keep the model's order), and stan2numpyro declares a
// positive_ordered parameter with NumPyro's biject_to, exp ∘ ordered
// (y₁ = exp(u₁), yₖ = exp(u₁ + e^{u₂} + … + e^{uₖ})), where Stan's
// transform is the cumulative sum of exps (yₖ = yₖ₋₁ + exp(xₖ)); blocks
// are those parameters' elements in the model's order. Every other
// constraint NumPyro has as Stan does (simplex's stick breaking with the
// same offsets included).
type numpyroLatent struct {
	perm   []int
	blocks []orderedBlock
}

// orderedBlock is a positive_ordered element: n values at z[at:] and
// u[lat:] (a parameter's values stay together and in order in the latent
// vector).
type orderedBlock struct{ at, lat, n int }

func (b orderedBlock) z(z []float64) []float64 { return z[b.at : b.at+b.n] }
func (b orderedBlock) u(u []float64) []float64 { return u[b.lat : b.lat+b.n] }

// newNumPyroLatent returns m's map, or nil where u is z.
func newNumPyroLatent(m model.Model, sorted bool) *numpyroLatent {
	var l numpyroLatent
	if sorted {
		l.perm = latentOrder(m)
	}
	lat := make([]int, len(l.perm)) // where z's coordinates are in u
	for j, i := range l.perm {
		lat[i] = j
	}
	if pb, ok := m.(interface{ ParamBlocks() []model.ParamBlock }); ok {
		for _, b := range pb.ParamBlocks() {
			if b.Constraint == "positive_ordered" && b.ElemSize > 1 {
				for _, s := range b.Starts {
					j := s
					if l.perm != nil {
						j = lat[s]
					}
					l.blocks = append(l.blocks, orderedBlock{s, j, b.ElemSize})
				}
			}
		}
	}
	if l.perm == nil && l.blocks == nil {
		return nil
	}
	return &l
}

// latentOrder is where NumPyro's AutoContinuous latent vector, which
// ravels the sites sorted by name, takes each coordinate from in m's:
// latent[j] = z[perm[j]]; nil when the two orders agree.
func latentOrder(m model.Model) []int {
	sites := slices.Clone(sitesOf(m))
	slices.SortStableFunc(sites, func(a, b site) int { return strings.Compare(a.name, b.name) })
	var perm []int
	for _, s := range sites {
		for i := s.at; i < s.end(); i++ {
			perm = append(perm, i)
		}
	}
	for j, i := range perm {
		if j != i {
			return perm
		}
	}
	return nil
}

// forward maps u to z.
func (l *numpyroLatent) forward(u, z []float64) {
	if l.perm == nil {
		copy(z, u)
	}
	for j, i := range l.perm {
		z[i] = u[j]
	}
	for _, b := range l.blocks {
		orderedToStan(b.u(u), b.z(z))
	}
}

// fromModel maps z to u.
func (l *numpyroLatent) fromModel(z, u []float64) {
	if l.perm == nil {
		copy(u, z)
	}
	for j, i := range l.perm {
		u[j] = z[i]
	}
	for _, b := range l.blocks {
		stanToOrdered(b.z(z), b.u(u))
	}
}

// addLogJacobian adds each block's log |dz/du| to v.
func (l *numpyroLatent) addLogJacobian(v float64, u []float64) float64 {
	for _, b := range l.blocks {
		v += orderedLogJacobian(b.u(u))
	}
	return v
}

// pullGradient puts gz in u's order, then pulls each block's back
// through its transform.
func (l *numpyroLatent) pullGradient(u, gz, gu []float64, jacobian bool) {
	if l.perm == nil {
		copy(gu, gz)
	}
	for j, i := range l.perm {
		gu[j] = gz[i]
	}
	for _, b := range l.blocks {
		orderedGradient(b.u(u), b.u(gu), jacobian)
	}
}

// orderedToStan maps NumPyro's unconstrained u of a positive_ordered
// vector (y = exp(o), o₁ = u₁, oₖ = oₖ₋₁ + exp(uₖ)) to Stan's x (x₁ =
// log y₁, xₖ = log(yₖ - yₖ₋₁) = oₖ + log(1 - exp(-(oₖ - oₖ₋₁)))).
func orderedToStan(u, x []float64) {
	o := u[0]
	x[0] = o
	for k := 1; k < len(u); k++ {
		t := math.Exp(u[k])
		o += t
		x[k] = o + math.Log(-math.Expm1(-t))
	}
}

// stanToOrdered inverts orderedToStan.
func stanToOrdered(x, u []float64) {
	y := math.Exp(x[0])
	prev := x[0]
	u[0] = x[0]
	for k := 1; k < len(x); k++ {
		y += math.Exp(x[k])
		o := math.Log(y)
		u[k] = math.Log(o - prev)
		prev = o
	}
}

// orderedLogJacobian is log |dx/du| of orderedToStan at u: Σₖ₌₂ (uₖ -
// log(1 - exp(-e^{uₖ}))).
func orderedLogJacobian(u []float64) float64 {
	lj := 0.0
	for k := 1; k < len(u); k++ {
		lj += u[k] - math.Log(-math.Expm1(-math.Exp(u[k])))
	}
	return lj
}

// orderedGradient turns g, the gradient in Stan's x of a positive_ordered
// vector at NumPyro's u, into the gradient in u, adding that of
// orderedLogJacobian when jacobian. With tₖ = e^{uₖ}: ∂xₖ/∂oₖ = 1/(1 -
// e^{-tₖ}), ∂xₖ/∂oₖ₋₁ = -1/(e^{tₖ} - 1), ∂oⱼ/∂u₁ = 1 and ∂oⱼ/∂uₘ = tₘ for
// m ≤ j: the gradient in o, gₒₖ = gₖ/(1 - e^{-tₖ}) - gₖ₊₁/(e^{tₖ₊₁} - 1),
// summed from the end for u, in one pass backwards.
func orderedGradient(u, g []float64, jacobian bool) {
	n := len(u)
	suffix := 0.0 // Σ_{j≥k} gₒⱼ
	next := 0.0   // gₖ₊₁/(e^{tₖ₊₁} - 1), before gₖ₊₁ is overwritten
	for k := n - 1; k >= 1; k-- {
		t := math.Exp(u[k])
		gok := g[k] / (-math.Expm1(-t))
		if k+1 < n {
			gok -= next
		}
		next = g[k] / math.Expm1(t)
		suffix += gok
		g[k] = t * suffix
		if jacobian {
			g[k] += 1 - t/math.Expm1(t)
		}
	}
	go0 := g[0]
	if n > 1 {
		go0 -= next
	}
	g[0] = suffix + go0
}

// gaussianGuide is a Gaussian guide: a mean, and draws with their log
// density.
type gaussianGuide interface {
	svi.Guide
	svi.Meaner
	svi.LogQSampler
}

// onLatent is a guide on NumPyro's latent u seen as a guide on the
// model's z (numpyroLatent).
type onLatent struct {
	inner   gaussianGuide
	l       *numpyroLatent
	pb      *pulledBack
	u, mean []float64
}

func newOnLatent(inner gaussianGuide, l *numpyroLatent, jacobian bool) *onLatent {
	d := len(inner.Mean())
	return &onLatent{inner: inner, l: l, pb: pullBack(l, d, jacobian), u: make([]float64, d), mean: make([]float64, d)}
}

func (p *onLatent) Params() []float64 { return p.inner.Params() }

func (p *onLatent) ELBOGrad(rng *rand.Rand, lp func(z, g []float64) (float64, error), grad []float64) (float64, error) {
	return p.inner.ELBOGrad(rng, p.pb.on(lp), grad)
}

func (p *onLatent) Sample(rng *rand.Rand, z []float64) {
	p.inner.Sample(rng, p.u)
	p.l.forward(p.u, z)
}

// SampleLogQ draws z with its log density, u's less the map's
// log-Jacobian.
func (p *onLatent) SampleLogQ(rng *rand.Rand, z []float64) float64 {
	lq := p.inner.SampleLogQ(rng, p.u)
	p.l.forward(p.u, z)
	return lq - p.l.addLogJacobian(0, p.u)
}

// Finish finishes a Laplace guide on u.
func (p *onLatent) Finish(lp func(z, g []float64) (float64, error)) error {
	f, ok := p.inner.(svi.Finisher)
	if !ok {
		return nil
	}
	return f.Finish(p.pb.on(lp))
}

func (p *onLatent) Mean() []float64 {
	p.l.forward(p.inner.Mean(), p.mean)
	return p.mean
}
