package autoguide

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/internal/jaxrandom"
	"github.com/gostan/gostan/model"
)

// NumPyroKeys makes the guide draw its random numbers from the JAX keys
// NumPyro 0.7 hands it, for the seed study's replay: its initial location
// (init_to_uniform, when no InitLoc is given), in each step the noise
// SVI.run(PRNGKey(seed)) with Trace_ELBO and one particle gives it, and
// for the fitted guide's draws the noise sample_posterior(PRNGKey(seed),
// params, (draws,)) gives it; the latent vector is laid out as NumPyro
// lays it, the parameters sorted by name. On the study's random numbers
// the replay's fit is the study's, to the rounding of float32 against
// float64. Normal, DiagonalNormal, MultivariateNormal,
// LowRankMultivariateNormal and LaplaceApproximation take it, and Delta
// for its init_to_median; draws past the given number come from the run's
// rng.
func NumPyroKeys(seed uint64, draws int) Option {
	return func(o *options) { o.keys = &numpyroKeys{seed: seed, draws: draws}; o.mark("numpyro_keys") }
}

// numpyroKeys follows NumPyro's key chain. SVI.init splits the seed's key
// into (rng_key, model_seed, guide_seed) and keeps rng_key; each
// SVI.update splits rng_key into (rng_key, step key); Trace_ELBO splits
// the step key into (model seed, guide seed); the seed handler then
// splits the guide seed into (its next key, a sample site's key) at each
// sample site in turn. sample_posterior's seed handler does the same from
// PRNGKey(seed). An AutoContinuous guide has one latent site; AutoNormal
// (sites not nil) has one per parameter, in the model's order. A
// distribution drawing several arrays at its site
// (LowRankMultivariateNormal's ε_W and ε_D) splits the site's key into
// one key for each.
type numpyroKeys struct {
	seed  uint64
	draws int
	sites []site
	// direct: the posterior's draws use PRNGKey(seed) itself, with no
	// seed handler (AutoLaplaceApproximation.sample_posterior).
	direct bool
	state  jaxrandom.Key
	begun  bool
	// post holds the posterior draws' noise, each array's (draws, size)
	// block in turn, and drawn counts the draws used.
	post  []float64
	drawn int
}

// splitter hands out keys as JAX programs split them off a running key:
// each call splits the key into (the next key, the one handed out). A
// seed handler gives its sites keys so, and so does a loop that splits a
// key for each of its steps.
type splitter struct{ key jaxrandom.Key }

func (s *splitter) next() jaxrandom.Key {
	k := s.key.Split(2)
	s.key = k[0]
	return k[1]
}

// prngKey is the key _setup_prototype's numpyro.prng_key() takes in
// SVI.init: the first the guide seed's handler hands out.
func (k *numpyroKeys) prngKey() jaxrandom.Key {
	guide := &splitter{jaxrandom.PRNGKey(k.seed).Split(3)[2]}
	return guide.next()
}

// clone returns the keys at their start, for a guide of its own.
func (k *numpyroKeys) clone() *numpyroKeys {
	if k == nil {
		return nil
	}
	return &numpyroKeys{seed: k.seed, draws: k.draws}
}

// step fills the arrays with the next SVI step's standard normals.
func (k *numpyroKeys) step(arrays ...[]float64) {
	if !k.begun {
		k.state, k.begun = jaxrandom.PRNGKey(k.seed).Split(3)[0], true
	}
	steps := &splitter{k.state}
	step := steps.next()
	k.state = steps.key
	k.fill(step.Split(2)[1], arrays)
}

// posterior fills the arrays with the next posterior draw's standard
// normals and reports whether it could: sample_posterior draws them all
// at once, an array of shape (draws, len(arrays[i])) each.
func (k *numpyroKeys) posterior(arrays ...[]float64) bool {
	if k.drawn >= k.draws {
		return false
	}
	if k.post == nil {
		size := 0
		for _, a := range arrays {
			size += len(a)
		}
		k.post = make([]float64, k.draws*size)
		blocks := make([][]float64, len(arrays))
		at := 0
		for i, a := range arrays {
			blocks[i] = k.post[at : at+k.draws*len(a)]
			at += len(blocks[i])
		}
		if k.direct {
			jaxrandom.Normal(jaxrandom.PRNGKey(k.seed), blocks[0])
		} else {
			k.fill(jaxrandom.PRNGKey(k.seed), blocks)
		}
	}
	at := 0
	for _, a := range arrays {
		copy(a, k.post[at+k.drawn*len(a):])
		at += k.draws * len(a)
	}
	k.drawn++
	return true
}

// fill draws the arrays under a seed handler on key: at one latent site,
// or at each of the sites with their rows (AutoNormal: one array, its
// rows laid out site by site).
func (k *numpyroKeys) fill(key jaxrandom.Key, arrays [][]float64) {
	handler := &splitter{key}
	if k.sites == nil {
		site := handler.next()
		if len(arrays) == 1 {
			jaxrandom.Normal(site, arrays[0])
			return
		}
		for i, sk := range site.Split(len(arrays)) {
			jaxrandom.Normal(sk, arrays[i])
		}
		return
	}
	a := arrays[0]
	rows := len(a) / k.sites[len(k.sites)-1].end()
	block := make([]float64, len(a))
	for _, s := range k.sites {
		b := block[:rows*s.n]
		jaxrandom.Normal(handler.next(), b)
		for r := range rows {
			copy(a[r*len(a)/rows+s.at:], b[r*s.n:(r+1)*s.n])
		}
	}
}

// initToUniform is init_to_uniform(radius) as NumPyro's autoguides run
// it in SVI.init: the seed handler on the guide seed gives the guide's
// _setup_prototype its prng_key, and find_valid_initial_params, from that
// key, splits off a key for each site in the model's order and draws the
// site uniform in (-radius, radius) on the unconstrained scale, starting
// again from its last key (up to 100 times) where the density is not
// finite.
func (k *numpyroKeys) initToUniform(radius float64) InitStrategy {
	return func(m model.Model, _ *rand.Rand) ([]float64, error) {
		tries := &splitter{k.prngKey()}
		z := make([]float64, m.Dim())
		for range initTries {
			sub := tries.next()
			for _, s := range sitesOf(m) {
				jaxrandom.Uniform(sub, z[s.at:s.end()], -radius, radius)
				sub = tries.next()
			}
			if finiteAt(m, z) {
				return z, nil
			}
		}
		return nil, fmt.Errorf("initialization between (-%g, %g) failed after %d attempts", radius, radius, initTries)
	}
}

// initToMedian is init_to_median(samples) as NumPyro's AutoDelta runs it
// on a program compiled by the seed study's stan2numpyro, whose
// parameters without a prior draw as Normal(0, 1) mapped through their
// constraint: from the same prng_key as initToUniform,
// find_valid_initial_params splits off a key and traces the model under
// a seed handler on it, which gives each site a key in the model's order,
// from which it draws samples standard normals per coordinate; the
// coordinate starts at their median on the unconstrained scale (exact for
// elementwise constraints).
func (k *numpyroKeys) initToMedian(samples int) InitStrategy {
	return func(m model.Model, _ *rand.Rand) ([]float64, error) {
		tries := &splitter{k.prngKey()}
		z := make([]float64, m.Dim())
		for range initTries {
			handler := &splitter{tries.next()}
			for _, st := range sitesOf(m) {
				draws := make([]float64, samples*st.n)
				jaxrandom.Normal(handler.next(), draws)
				col := make([]float64, samples)
				for i := range st.n {
					for r := range samples {
						col[r] = draws[r*st.n+i]
					}
					slices.Sort(col)
					z[st.at+i] = col[samples/2]
				}
			}
			if finiteAt(m, z) {
				return z, nil
			}
		}
		return nil, fmt.Errorf("init_to_median failed after %d attempts", initTries)
	}
}

// site is a parameter's block of a model's unconstrained vector.
type site struct {
	name  string
	at, n int
}

func (s site) end() int { return s.at + s.n }

// sitesOf splits m's unconstrained vector into its parameters, in the
// order the program declares them (one site when m does not name its
// coordinates). Arrays are laid out row-major, as NumPyro lays out its
// sites; a matrix is column-major, where NumPyro's is row-major.
func sitesOf(m model.Model) []site {
	u, ok := m.(interface{ UnconstrainedNames() []string })
	if !ok {
		return []site{{"", 0, m.Dim()}}
	}
	var out []site
	for i, name := range u.UnconstrainedNames() {
		base, _, _ := strings.Cut(name, ".")
		if n := len(out); n > 0 && out[n-1].name == base {
			out[n-1].n++
			continue
		}
		out = append(out, site{base, i, 1})
	}
	return out
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

// noise is where a Gaussian guide's standard normals come from: rng, in
// order, or NumPyro's keys when keys is not nil.
type noise struct{ keys *numpyroKeys }

// step fills the arrays for a fitting step.
func (n noise) step(rng *rand.Rand, arrays ...[]float64) {
	if n.keys != nil {
		n.keys.step(arrays...)
		return
	}
	normals(rng, arrays)
}

// posterior fills the arrays for a draw from the fitted guide.
func (n noise) posterior(rng *rand.Rand, arrays ...[]float64) {
	if n.keys == nil || !n.keys.posterior(arrays...) {
		normals(rng, arrays)
	}
}

func normals(rng *rand.Rand, arrays [][]float64) {
	for _, a := range arrays {
		for i := range a {
			a[i] = rng.NormFloat64()
		}
	}
}

// gaussianGuide is a Gaussian guide: a mean, and draws with their log density.
type gaussianGuide interface {
	svi.Guide
	svi.Meaner
	svi.LogQSampler
}

// permuted is a Gaussian guide on NumPyro's latent order seen as a guide
// on the model's: z[perm[j]] = latent[j]. A permutation's Jacobian is 1.
type permuted struct {
	inner         gaussianGuide
	perm          []int
	z, g, u, mean []float64
}

func newPermuted(inner gaussianGuide, perm []int) *permuted {
	d := len(perm)
	return &permuted{inner: inner, perm: perm, z: make([]float64, d), g: make([]float64, d), u: make([]float64, d),
		mean: make([]float64, d)}
}

func (p *permuted) Params() []float64 { return p.inner.Params() }

func (p *permuted) ELBOGrad(rng *rand.Rand, lp func(z, g []float64) (float64, error), grad []float64) (float64, error) {
	return p.inner.ELBOGrad(rng, p.latent(lp), grad)
}

func (p *permuted) toModel(u, z []float64) {
	for j, i := range p.perm {
		z[i] = u[j]
	}
}

func (p *permuted) Sample(rng *rand.Rand, z []float64) {
	p.inner.Sample(rng, p.u)
	p.toModel(p.u, z)
}

func (p *permuted) SampleLogQ(rng *rand.Rand, z []float64) float64 {
	lq := p.inner.SampleLogQ(rng, p.u)
	p.toModel(p.u, z)
	return lq
}

// Finish finishes a Laplace guide on the latent order.
func (p *permuted) Finish(lp func(z, g []float64) (float64, error)) error {
	f, ok := p.inner.(svi.Finisher)
	if !ok {
		return nil
	}
	return f.Finish(p.latent(lp))
}

// latent is lp on the latent order.
func (p *permuted) latent(lp func(z, g []float64) (float64, error)) func(u, gu []float64) (float64, error) {
	return func(u, gu []float64) (float64, error) {
		p.toModel(u, p.z)
		if gu == nil {
			return lp(p.z, nil)
		}
		v, err := lp(p.z, p.g)
		for j, i := range p.perm {
			gu[j] = p.g[i]
		}
		return v, err
	}
}

func (p *permuted) Mean() []float64 {
	p.toModel(p.inner.Mean(), p.mean)
	return p.mean
}
