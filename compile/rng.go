package compile

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// rngReal draws one real from parameters, or reports invalid ones.
type rngReal func(r *rand.Rand, p []float64) (float64, error)

func positiveAll(name string, p []float64) error {
	for _, v := range p {
		if !(v > 0) || math.IsInf(v, 1) {
			return fmt.Errorf("%s: parameter is %v, but must be positive finite", name, v)
		}
	}
	return nil
}

var realRngs = map[string]rngReal{
	"normal_rng": func(r *rand.Rand, p []float64) (float64, error) {
		if !(p[1] > 0) {
			return 0, fmt.Errorf("normal_rng: Scale parameter is %v, but must be positive", p[1])
		}
		return p[0] + p[1]*r.NormFloat64(), nil
	},
	"std_normal_rng": func(r *rand.Rand, p []float64) (float64, error) { return r.NormFloat64(), nil },
	"lognormal_rng": func(r *rand.Rand, p []float64) (float64, error) {
		return math.Exp(p[0] + p[1]*r.NormFloat64()), positiveAll("lognormal_rng", p[1:])
	},
	"cauchy_rng": func(r *rand.Rand, p []float64) (float64, error) {
		return p[0] + p[1]*math.Tan(math.Pi*(r.Float64()-0.5)), positiveAll("cauchy_rng", p[1:])
	},
	"student_t_rng": func(r *rand.Rand, p []float64) (float64, error) {
		return p[1] + p[2]*distuv.StudentsT{Mu: 0, Sigma: 1, Nu: p[0], Src: r}.Rand(), positiveAll("student_t_rng", []float64{p[0], p[2]})
	},
	"double_exponential_rng": func(r *rand.Rand, p []float64) (float64, error) {
		u := r.Float64() - 0.5
		return p[0] - p[1]*math.Copysign(math.Log1p(-2*math.Abs(u)), u), positiveAll("double_exponential_rng", p[1:])
	},
	"logistic_rng": func(r *rand.Rand, p []float64) (float64, error) {
		u := r.Float64()
		return p[0] + p[1]*mathx.Logit(u), positiveAll("logistic_rng", p[1:])
	},
	"exponential_rng": func(r *rand.Rand, p []float64) (float64, error) {
		return r.ExpFloat64() / p[0], positiveAll("exponential_rng", p)
	},
	"gamma_rng": func(r *rand.Rand, p []float64) (float64, error) {
		return distuv.Gamma{Alpha: p[0], Beta: p[1], Src: r}.Rand(), positiveAll("gamma_rng", p)
	},
	"inv_gamma_rng": func(r *rand.Rand, p []float64) (float64, error) {
		return 1 / distuv.Gamma{Alpha: p[0], Beta: p[1], Src: r}.Rand(), positiveAll("inv_gamma_rng", p)
	},
	"chi_square_rng": func(r *rand.Rand, p []float64) (float64, error) {
		return distuv.ChiSquared{K: p[0], Src: r}.Rand(), positiveAll("chi_square_rng", p)
	},
	"weibull_rng": func(r *rand.Rand, p []float64) (float64, error) {
		return p[1] * math.Pow(-math.Log(r.Float64()), 1/p[0]), positiveAll("weibull_rng", p)
	},
	"beta_rng": func(r *rand.Rand, p []float64) (float64, error) {
		return distuv.Beta{Alpha: p[0], Beta: p[1], Src: r}.Rand(), positiveAll("beta_rng", p)
	},
	"uniform_rng": func(r *rand.Rand, p []float64) (float64, error) {
		if !(p[1] > p[0]) {
			return 0, fmt.Errorf("uniform_rng: Upper bound parameter is %v, but must be greater than %v", p[1], p[0])
		}
		return p[0] + (p[1]-p[0])*r.Float64(), nil
	},
}

// intRngs draw integers.
var intRngs = map[string]func(r *rand.Rand, n []int, p []float64) (int, error){
	"bernoulli_rng": func(r *rand.Rand, _ []int, p []float64) (int, error) {
		if !(p[0] >= 0 && p[0] <= 1) {
			return 0, fmt.Errorf("bernoulli_rng: Probability parameter is %v, but must be in the interval [0, 1]", p[0])
		}
		return b2i(r.Float64() < p[0]), nil
	},
	"bernoulli_logit_rng": func(r *rand.Rand, _ []int, p []float64) (int, error) {
		return b2i(r.Float64() < mathx.InvLogit(p[0])), nil
	},
	"binomial_rng": func(r *rand.Rand, n []int, p []float64) (int, error) {
		if !(p[0] >= 0 && p[0] <= 1) || n[0] < 0 {
			return 0, fmt.Errorf("binomial_rng: parameters (%d, %v) are invalid", n[0], p[0])
		}
		return int(distuv.Binomial{N: float64(n[0]), P: p[0], Src: r}.Rand()), nil
	},
	"poisson_rng": func(r *rand.Rand, _ []int, p []float64) (int, error) {
		if !(p[0] >= 0) || p[0] > 1<<30 {
			return 0, fmt.Errorf("poisson_rng: Rate parameter is %v, but must be in [0, 2^30]", p[0])
		}
		return int(distuv.Poisson{Lambda: p[0], Src: r}.Rand()), nil
	},
	"poisson_log_rng": func(r *rand.Rand, _ []int, p []float64) (int, error) {
		l := math.Exp(p[0])
		if l > 1<<30 {
			return 0, fmt.Errorf("poisson_log_rng: Log rate parameter is %v, but must be less than %v", p[0], math.Log(1<<30))
		}
		return int(distuv.Poisson{Lambda: l, Src: r}.Rand()), nil
	},
	"neg_binomial_2_rng": func(r *rand.Rand, _ []int, p []float64) (int, error) {
		if err := positiveAll("neg_binomial_2_rng", p); err != nil {
			return 0, err
		}
		g := distuv.Gamma{Alpha: p[1], Beta: p[1] / p[0], Src: r}.Rand()
		return int(distuv.Poisson{Lambda: g, Src: r}.Rand()), nil
	},
	"neg_binomial_2_log_rng": func(r *rand.Rand, _ []int, p []float64) (int, error) {
		mu := math.Exp(p[0])
		g := distuv.Gamma{Alpha: p[1], Beta: p[1] / mu, Src: r}.Rand()
		return int(distuv.Poisson{Lambda: g, Src: r}.Rand()), nil
	},
}

// intRngInts is how many leading int arguments an int rng takes.
var intRngInts = map[string]int{"binomial_rng": 1}

var rngBuiltins = map[string]builtin{
	"multi_normal_rng":          multiNormalRng(false),
	"multi_normal_cholesky_rng": multiNormalRng(true),
	"categorical_rng":           categoricalRng(false),
	"categorical_logit_rng":     categoricalRng(true),
}

func init() {
	for name, f := range realRngs {
		builtins[name] = vectorRng(name, f, nil, 0)
	}
	for name, f := range intRngs {
		builtins[name] = vectorRng(name, nil, f, intRngInts[name])
	}
}

// vectorRng draws one value, or an array of draws when some argument is a
// container (Stan's vectorised rngs).
func vectorRng(name string, fr rngReal, fi func(*rand.Rand, []int, []float64) (int, error), nInts int) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		ints := make([]func(*env) []int, nInts)
		reals := make([]func(*env) []ad.Var, len(a)-nInts)
		for k, x := range a {
			if k < nInts {
				if x.i != nil {
					f, buf := x.i, make([]int, 1)
					ints[k] = func(e *env) []int { buf[0] = f(e); return buf }
				} else {
					f := x.v
					ints[k] = func(e *env) []int { return f(e).I }
				}
				continue
			}
			reals[k-nInts] = asVector(x)
		}
		pn := make([]int, nInts)
		pr := make([]float64, len(reals))
		draw := func(e *env, j int) (float64, int) {
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
		count := func(e *env) int {
			n := 1
			for _, f := range ints {
				n = max(n, len(f(e)))
			}
			for _, f := range reals {
				n = max(n, len(f(e)))
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
		var buf Val
		dims := make([]int, 1)
		return cexpr{t: t, v: func(e *env) *Val {
			dims[0] = count(e)
			buf.shape(dims, isInt)
			for j := range dims[0] {
				x, n := draw(e, j)
				if isInt {
					buf.I[j] = n
				} else {
					buf.R[j] = ad.Const(x)
				}
			}
			return &buf
		}}, nil
	}
}

func categoricalRng(logit bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		f := a[0].v
		var p []float64
		return cexpr{t: t, i: func(e *env) int {
			v := f(e)
			p = p[:0]
			for _, x := range v.R {
				p = append(p, x.Val)
			}
			if logit {
				lse := mathx.LogSumExp(p)
				for i := range p {
					p[i] = math.Exp(p[i] - lse)
				}
			}
			u := e.rng.Float64()
			s := 0.0
			for i, q := range p {
				s += q
				if u < s {
					return i + 1
				}
			}
			return len(p)
		}}, nil
	}
}

// multiNormalRng draws from N(mu, Sigma) (or N(mu, L Lᵀ)) for one
// location vector or an array of them.
func multiNormalRng(cholesky bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fmu, fs := vectorsOf(a[0]), a[1].v
		var buf Val
		dims := make([]int, 2)
		return cexpr{t: t, v: func(e *env) *Val {
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
			if t.Dims == 0 {
				dims[0] = k
				buf.shape(dims[:1], false)
			} else {
				dims[0], dims[1] = len(mus), k
				buf.shape(dims, false)
			}
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
					buf.R[n*k+i] = ad.Const(x)
				}
			}
			return &buf
		}}, nil
	}
}
