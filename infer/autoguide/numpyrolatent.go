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
// are those parameters' elements (start, size) in the model's order.
// Every other constraint NumPyro has as Stan does (simplex's stick
// breaking with the same offsets included).
type numpyroLatent struct {
	perm   []int
	blocks [][2]int
}

// newNumPyroLatent returns m's map, or nil where u is z.
func newNumPyroLatent(m model.Model, sorted bool) *numpyroLatent {
	var l numpyroLatent
	if sorted {
		l.perm = latentOrder(m)
	}
	if pb, ok := m.(interface{ ParamBlocks() []model.ParamBlock }); ok {
		for _, b := range pb.ParamBlocks() {
			if b.Constraint == "positive_ordered" && b.ElemSize > 1 {
				for _, s := range b.Starts {
					l.blocks = append(l.blocks, [2]int{s, b.ElemSize})
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

// sitesToModel maps w, the parameters in the model's order on NumPyro's
// unconstrained scale, to z on Stan's.
func (l *numpyroLatent) sitesToModel(w, z []float64) {
	copy(z, w)
	for _, b := range l.blocks {
		orderedToStan(w[b[0]:b[0]+b[1]], z[b[0]:b[0]+b[1]])
	}
}

// sites puts u in the model's order.
func (l *numpyroLatent) sites(u []float64) []float64 {
	if l.perm == nil {
		return u
	}
	w := make([]float64, len(u))
	for j, i := range l.perm {
		w[i] = u[j]
	}
	return w
}

// toModel maps u to z.
func (l *numpyroLatent) toModel(u, z []float64) { l.sitesToModel(l.sites(u), z) }

// logJacobian is log |dz/du| at u.
func (l *numpyroLatent) logJacobian(u []float64) float64 {
	w, lj := l.sites(u), 0.0
	for _, b := range l.blocks {
		lj += orderedPullback(w[b[0]:b[0]+b[1]], nil, 0, true)
	}
	return lj
}

// fromModel maps z to u.
func (l *numpyroLatent) fromModel(z, u []float64) {
	w := slices.Clone(z)
	for _, b := range l.blocks {
		stanToOrdered(z[b[0]:b[0]+b[1]], w[b[0]:b[0]+b[1]])
	}
	if l.perm == nil {
		copy(u, w)
		return
	}
	for j, i := range l.perm {
		u[j] = w[i]
	}
}

// density is lp seen on u: lp at z(u), plus log |dz/du| when jacobian
// (a density of u; without it, the same function of the constrained
// value, as AutoDelta's MAP in constrained space maximises), with the
// gradient pulled back through the map.
func (l *numpyroLatent) density(lp func(z, g []float64) (float64, error), jacobian bool) func(u, gu []float64) (float64, error) {
	return func(u, gu []float64) (float64, error) {
		d := len(u)
		z := make([]float64, d)
		l.toModel(u, z)
		var gz []float64
		if gu != nil {
			gz = make([]float64, d)
		}
		v, err := lp(z, gz)
		if err != nil {
			return v, err
		}
		w := l.sites(u)
		for _, b := range l.blocks {
			lj := orderedPullback(w[b[0]:b[0]+b[1]], gz, b[0], jacobian)
			if jacobian {
				v += lj
			}
		}
		if gu != nil {
			if l.perm == nil {
				copy(gu, gz)
			} else {
				for j, i := range l.perm {
					gu[j] = gz[i]
				}
			}
		}
		return v, nil
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

// orderedPullback turns g[at:at+len(u)], the gradient in Stan's x of a
// positive_ordered vector at NumPyro's u, into the gradient in u, adding
// that of log |dx/du| = Σₖ₌₂ (uₖ - log(1 - exp(-e^{uₖ}))) when jacobian,
// and returns the log-Jacobian. With tₖ = e^{uₖ}: ∂xₖ/∂oₖ = 1/(1 - e^{-tₖ}),
// ∂xₖ/∂oₖ₋₁ = -1/(e^{tₖ} - 1), ∂oⱼ/∂u₁ = 1 and ∂oⱼ/∂uₘ = tₘ for m ≤ j.
func orderedPullback(u, g []float64, at int, jacobian bool) float64 {
	n := len(u)
	lj := 0.0
	t := make([]float64, n)
	for k := 1; k < n; k++ {
		t[k] = math.Exp(u[k])
		lj += u[k] - math.Log(-math.Expm1(-t[k]))
	}
	if g == nil {
		return lj
	}
	gx := g[at : at+n]
	// The gradient in o, then suffix sums of it for u.
	go_ := make([]float64, n)
	go_[0] = gx[0]
	for k := 1; k < n; k++ {
		go_[k] += gx[k] / (-math.Expm1(-t[k]))
		go_[k-1] -= gx[k] / math.Expm1(t[k])
	}
	suffix := 0.0
	for k := n - 1; k >= 1; k-- {
		suffix += go_[k]
		gx[k] = t[k] * suffix
		if jacobian {
			gx[k] += 1 - t[k]/math.Expm1(t[k])
		}
	}
	gx[0] = suffix + go_[0]
	return lj
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
	inner    gaussianGuide
	l        *numpyroLatent
	jacobian bool
	u, mean  []float64
}

func newOnLatent(inner gaussianGuide, l *numpyroLatent, jacobian bool) *onLatent {
	d := len(inner.Mean())
	return &onLatent{inner: inner, l: l, jacobian: jacobian, u: make([]float64, d), mean: make([]float64, d)}
}

func (p *onLatent) Params() []float64 { return p.inner.Params() }

func (p *onLatent) ELBOGrad(rng *rand.Rand, lp func(z, g []float64) (float64, error), grad []float64) (float64, error) {
	return p.inner.ELBOGrad(rng, p.l.density(lp, p.jacobian), grad)
}

func (p *onLatent) Sample(rng *rand.Rand, z []float64) {
	p.inner.Sample(rng, p.u)
	p.l.toModel(p.u, z)
}

// SampleLogQ draws z with its log density, u's less the map's
// log-Jacobian.
func (p *onLatent) SampleLogQ(rng *rand.Rand, z []float64) float64 {
	lq := p.inner.SampleLogQ(rng, p.u)
	p.l.toModel(p.u, z)
	return lq - p.l.logJacobian(p.u)
}

// Finish finishes a Laplace guide on u.
func (p *onLatent) Finish(lp func(z, g []float64) (float64, error)) error {
	f, ok := p.inner.(svi.Finisher)
	if !ok {
		return nil
	}
	return f.Finish(p.l.density(lp, p.jacobian))
}

func (p *onLatent) Mean() []float64 {
	p.l.toModel(p.inner.Mean(), p.mean)
	return p.mean
}
