package autoguide

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

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
// site uniform in (-radius, radius) on NumPyro's unconstrained scale
// (numpyroLatent), starting again from its last key (up to 100 times)
// where the density is not finite.
func (k *numpyroKeys) initToUniform(radius float64) InitStrategy {
	return func(m model.Model, _ *rand.Rand) ([]float64, error) {
		tries := &splitter{k.prngKey()}
		w := make([]float64, m.Dim())
		sites, l := sitesOf(m), newNumPyroLatent(m, false)
		for range initTries {
			sub := tries.next()
			for _, s := range sites {
				jaxrandom.Uniform(sub, w[s.at:s.end()], -radius, radius)
				sub = tries.next()
			}
			if z := l.onStanScale(w); finiteAt(m, z) {
				return z, nil
			}
		}
		return nil, fmt.Errorf("initialization between (-%g, %g) failed after %d attempts", radius, radius, initTries)
	}
}

// onStanScale maps w, the parameters on NumPyro's unconstrained scale in
// the model's order, to Stan's; a nil l is the identity.
func (l *numpyroLatent) onStanScale(w []float64) []float64 {
	z := slices.Clone(w)
	if l != nil {
		l.forward(w, z)
	}
	return z
}

// initToMedian is init_to_median(samples) as NumPyro's AutoDelta runs it
// on a program compiled by the seed study's stan2numpyro, whose
// parameters without a prior draw as Normal(0, 1) on NumPyro's
// unconstrained scale, mapped through their constraint: from the same
// prng_key as initToUniform, find_valid_initial_params splits off a key
// and traces the model under a seed handler on it, which gives each site a
// key in the model's order, from which it draws samples values; the site
// starts at their median, taken value by value on the constrained scale
// (exact for elementwise constraints and positive_ordered, whose medians
// stay ordered; a simplex of more than two values is taken as
// elementwise).
func (k *numpyroKeys) initToMedian(samples int) InitStrategy {
	return func(m model.Model, _ *rand.Rand) ([]float64, error) {
		tries := &splitter{k.prngKey()}
		d := m.Dim()
		w := make([]float64, d)
		draws := make([][]float64, samples) // draws[r][i]: draw r of coordinate i
		for r := range draws {
			draws[r] = make([]float64, d)
		}
		col := make([]float64, samples)
		sites, l := sitesOf(m), newNumPyroLatent(m, false)
		median := func(f func(r int) float64) float64 {
			for r := range samples {
				col[r] = f(r)
			}
			slices.Sort(col)
			return col[samples/2]
		}
		for range initTries {
			handler := &splitter{tries.next()}
			for _, st := range sites {
				site := make([]float64, samples*st.n)
				jaxrandom.Normal(handler.next(), site)
				for r := range samples {
					copy(draws[r][st.at:st.end()], site[r*st.n:(r+1)*st.n])
				}
			}
			for i := range d {
				w[i] = median(func(r int) float64 { return draws[r][i] })
			}
			if l != nil {
				// exp ∘ ordered of each draw, its medians, and back.
				for _, b := range l.blocks {
					o := make([]float64, b.n)
					for c := range o {
						o[c] = median(func(r int) float64 { return orderedAt(b.z(draws[r]), c) })
					}
					w[b.at] = o[0]
					for c := 1; c < b.n; c++ {
						w[b.at+c] = math.Log(o[c] - o[c-1])
					}
				}
			}
			if z := l.onStanScale(w); finiteAt(m, z) {
				return z, nil
			}
		}
		return nil, fmt.Errorf("init_to_median failed after %d attempts", initTries)
	}
}

// orderedAt is coordinate c of NumPyro's ordered transform of u: u₁ +
// e^{u₂} + … + e^{u_c} (its exp is the positive_ordered value, whose
// median is the exp of this one's).
func orderedAt(u []float64, c int) float64 {
	o := u[0]
	for k := 1; k <= c; k++ {
		o += math.Exp(u[k])
	}
	return o
}

// site is a parameter's block of a model's unconstrained vector.
type site struct {
	name  string
	at, n int
}

func (s site) end() int { return s.at + s.n }

// sitesOf splits m's unconstrained vector into its parameters, in the
// order the program declares them (ParamBlocks, a tuple one site; one
// site when m does not lay out its parameters). Arrays are laid out row-major, as NumPyro lays
// out its sites; a matrix is column-major, where NumPyro's is row-major.
func sitesOf(m model.Model) []site {
	pb, ok := m.(interface{ ParamBlocks() []model.ParamBlock })
	if !ok {
		return []site{{"", 0, m.Dim()}}
	}
	var out []site
	for _, b := range pb.ParamBlocks() {
		if len(b.Starts) == 0 || b.ElemSize == 0 {
			continue // no values
		}
		// A tuple's leaves (q:1, q:2, interleaved in an array of tuples)
		// make one site, the tuple.
		name, _, _ := strings.Cut(b.Name, ":")
		at, end := b.Starts[0], b.Starts[len(b.Starts)-1]+b.ElemSize
		if k := len(out); k > 0 && out[k-1].name == name {
			out[k-1].n = max(out[k-1].end(), end) - out[k-1].at
			continue
		}
		out = append(out, site{name, at, end - at})
	}
	return out
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
