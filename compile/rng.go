package compile

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// rngReal draws one real from parameters, or reports invalid ones.
type rngReal func(r *rand.Rand, p []float64) (float64, error)

// uniRng is the rng of a univariate family of the dist package.
func uniRng(u *dist.Univariate) builtin {
	return vectorRng(func(r *rand.Rand, p []float64) (float64, error) { return u.Rng(r, p...) }, nil, 0)
}

// discRng is the rng of a discrete family of the dist package, whose
// leading ints arguments are the variate's and the parameters'.
func discRng(u *dist.Discrete, ints int) builtin {
	return vectorRng(nil, func(r *rand.Rand, n []int, p []float64) (int, error) { return u.Rng(r, n, p...) }, ints-1)
}

// vectorRng draws one value, or an array of draws when some argument is a
// container (Stan's vectorised rngs).
func vectorRng(fr rngReal, fi func(*rand.Rand, []int, []float64) (int, error), nInts int) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		ints := make([]func(*env) []int, nInts)
		reals := make([]func(*env) []ad.Var, len(a)-nInts)
		// rngWork holds a model's parameters of one draw, and its int
		// scalar arguments, each seen as an array of one.
		type rngWork struct {
			one, pn []int
			pr      []float64
		}
		work := newState(c, func() *rngWork {
			return &rngWork{one: make([]int, nInts), pn: make([]int, nInts), pr: make([]float64, len(reals))}
		})
		for k, x := range a {
			if k < nInts {
				if x.i != nil {
					f := x.i
					ints[k] = func(e *env) []int { w := work.of(e); w.one[k] = f(e); return w.one[k : k+1] }
				} else {
					f := x.v
					ints[k] = func(e *env) []int { return f(e).I }
				}
				continue
			}
			reals[k-nInts] = asVector(c, x)
		}
		draw := func(e *env, j int) (float64, int) {
			w := work.of(e)
			pn, pr := w.pn, w.pr
			for k, f := range ints {
				v := f(e)
				pn[k] = v[min(j, len(v)-1)]
			}
			for k, f := range reals {
				v := f(e)
				pr[k] = v[min(j, len(v)-1)].Val
			}
			if fr != nil {
				x, err := fr(e.rng, pr)
				if err != nil {
					panic(&evalError{pos: pos, err: err})
				}
				return x, 0
			}
			x, err := fi(e.rng, pn, pr)
			if err != nil {
				panic(&evalError{pos: pos, err: err})
			}
			return 0, x
		}
		// count is the number of draws: the longest argument's, none when
		// an argument is an empty container.
		count := func(e *env) int {
			n := 1
			for _, f := range ints {
				l := len(f(e))
				if l == 0 {
					return 0
				}
				n = max(n, l)
			}
			for _, f := range reals {
				l := len(f(e))
				if l == 0 {
					return 0
				}
				n = max(n, l)
			}
			return n
		}
		switch {
		case t == types.RealT:
			return cexpr{t: t, r: func(e *env) ad.Var { x, _ := draw(e, 0); return ad.Const(x) }}, nil
		case t == types.IntT:
			return cexpr{t: t, i: func(e *env) int { _, x := draw(e, 0); return x }}, nil
		}
		isInt := t.Kind == types.Int
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			draws := count(e)
			b := buf.of(e)
			b.shape([]int{draws}, isInt)
			for j := range draws {
				x, n := draw(e, j)
				if isInt {
					b.I[j] = n
				} else {
					b.R[j] = ad.Const(x)
				}
			}
			return b
		}}, nil
	}
}

// poissonBinomialRng is poisson_binomial_rng(theta) (Stan 2.40).
func poissonBinomialRng(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	f := a[0].v
	probs := zeroState[[]float64](c)
	return cexpr{t: t, i: func(e *env) int {
		p := probs.of(e)
		*p = values(*p, f(e).R)
		k, err := dist.PoissonBinomialRng(e.rng, *p)
		if err != nil {
			panic(&evalError{pos: pos, err: err})
		}
		return k
	}}, nil
}

func categoricalRng(logit bool) builtin {
	draw := dist.CategoricalRng
	if logit {
		draw = dist.CategoricalLogitRng
	}
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		f := a[0].v
		probs := zeroState[[]float64](c)
		return cexpr{t: t, i: func(e *env) int {
			p := probs.of(e)
			*p = values(*p, f(e).R)
			k, err := draw(e.rng, *p)
			if err != nil {
				panic(&evalError{pos: pos, err: err})
			}
			return k
		}}, nil
	}
}

// multiNormalRng draws from N(mu, Sigma) (or N(mu, L Lᵀ)) for one
// location vector or an array of them.
func multiNormalRng(cholesky bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fmu, fs := vectorsOf(a[0]), a[1].v
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			mus, s := fmu(e), fs(e)
			k := s.Dims[0]
			l := make([]float64, k*k) // row-major lower factor
			if cholesky {
				for i := range k {
					for j := 0; j <= i; j++ {
						l[i*k+j] = s.R[i+j*k].Val
					}
				}
			} else {
				sym := mat.NewSymDense(k, nil)
				for i := range k {
					for j := 0; j <= i; j++ {
						sym.SetSym(i, j, s.R[i+j*k].Val)
					}
				}
				var ch mat.Cholesky
				if !ch.Factorize(sym) {
					fail(pos, "multi_normal_rng: Covariance matrix is not positive definite")
				}
				var lt mat.TriDense
				ch.LTo(&lt)
				for i := range k {
					for j := 0; j <= i; j++ {
						l[i*k+j] = lt.At(i, j)
					}
				}
			}
			b := shapeDraws(buf.of(e), t, len(mus), k)
			z := make([]float64, k)
			for n, mu := range mus {
				if len(mu) != k {
					fail(pos, "multi_normal_rng: size of the location (%d) and the covariance (%d) must match", len(mu), k)
				}
				for i := range z {
					z[i] = e.rng.NormFloat64()
				}
				for i := range k {
					x := mu[i].Val
					for j := 0; j <= i; j++ {
						x += l[i*k+j] * z[j]
					}
					b.R[n*k+i] = ad.Const(x)
				}
			}
			return b
		}}, nil
	}
}

// shapeDraws shapes buf for the draws of a multivariate RNG of size k:
// one vector when t is one, else an array of n vectors, one for each
// location.
func shapeDraws(buf *value, t types.Type, n, k int) *value {
	if t.Dims == 0 {
		buf.shape([]int{k}, false)
	} else {
		buf.shape([]int{n, k}, false)
	}
	return buf
}

// zeroState hands out a state slot whose value starts as T's zero value,
// for scratch that grows to its largest use (as a []float64 does).
func zeroState[T any](c *compiler) stateSlot[T] {
	return newState(c, func() *T { return new(T) })
}
