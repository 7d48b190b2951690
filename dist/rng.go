package dist

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gostan/gostan/mathx"
)

// Random draws (Stan's _rng functions), by inversion or by the standard
// constructions; parameters are checked with the density's rules.

type realRng func(r *rand.Rand, p []float64) float64

var rngs = map[*Univariate]realRng{
	Loglogistic: loglogisticRng,
	StdNormal:   func(r *rand.Rand, p []float64) float64 { return r.NormFloat64() },
	StudentT: func(r *rand.Rand, p []float64) float64 {
		return p[1] + p[2]*distuv.StudentsT{Mu: 0, Sigma: 1, Nu: p[0], Src: r}.Rand()
	},
	Cauchy: func(r *rand.Rand, p []float64) float64 { return p[0] + p[1]*math.Tan(math.Pi*(r.Float64()-0.5)) },
	DoubleExponential: func(r *rand.Rand, p []float64) float64 {
		u := r.Float64() - 0.5
		return p[0] - p[1]*math.Copysign(math.Log1p(-2*math.Abs(u)), u)
	},
	Logistic:     func(r *rand.Rand, p []float64) float64 { return p[0] + p[1]*mathx.Logit(r.Float64()) },
	Gumbel:       func(r *rand.Rand, p []float64) float64 { return p[0] - p[1]*math.Log(-math.Log(r.Float64())) },
	Lognormal:    func(r *rand.Rand, p []float64) float64 { return math.Exp(p[0] + p[1]*r.NormFloat64()) },
	ChiSquare:    func(r *rand.Rand, p []float64) float64 { return distuv.ChiSquared{K: p[0], Src: r}.Rand() },
	InvChiSquare: func(r *rand.Rand, p []float64) float64 { return 1 / distuv.ChiSquared{K: p[0], Src: r}.Rand() },
	ScaledInvChiSquare: func(r *rand.Rand, p []float64) float64 {
		return p[0] * p[1] * p[1] / distuv.ChiSquared{K: p[0], Src: r}.Rand()
	},
	Exponential: func(r *rand.Rand, p []float64) float64 { return r.ExpFloat64() / p[0] },
	Gamma:       func(r *rand.Rand, p []float64) float64 { return distuv.Gamma{Alpha: p[0], Beta: p[1], Src: r}.Rand() },
	InvGamma: func(r *rand.Rand, p []float64) float64 {
		return 1 / distuv.Gamma{Alpha: p[0], Beta: p[1], Src: r}.Rand()
	},
	Weibull:     func(r *rand.Rand, p []float64) float64 { return p[1] * math.Pow(r.ExpFloat64(), 1/p[0]) },
	Frechet:     func(r *rand.Rand, p []float64) float64 { return p[1] * math.Pow(r.ExpFloat64(), -1/p[0]) },
	Rayleigh:    func(r *rand.Rand, p []float64) float64 { return p[0] * math.Sqrt(2*r.ExpFloat64()) },
	Pareto:      func(r *rand.Rand, p []float64) float64 { return p[0] * math.Exp(r.ExpFloat64()/p[1]) },
	ParetoType2: func(r *rand.Rand, p []float64) float64 { return p[0] + p[1]*math.Expm1(r.ExpFloat64()/p[2]) },
	Beta:        func(r *rand.Rand, p []float64) float64 { return distuv.Beta{Alpha: p[0], Beta: p[1], Src: r}.Rand() },
	BetaProportion: func(r *rand.Rand, p []float64) float64 {
		return distuv.Beta{Alpha: p[0] * p[1], Beta: (1 - p[0]) * p[1], Src: r}.Rand()
	},
	VonMises: vonMisesRng,
	Uniform:  func(r *rand.Rand, p []float64) float64 { return p[0] + (p[1]-p[0])*r.Float64() },
	SkewNormal: func(r *rand.Rand, p []float64) float64 {
		// Azzalini's construction: δ|u0| + √(1-δ²) u1.
		d := p[2] / math.Sqrt(1+p[2]*p[2])
		u0, u1 := r.NormFloat64(), r.NormFloat64()
		return p[0] + p[1]*(d*math.Abs(u0)+math.Sqrt(1-d*d)*u1)
	},
	ExpModNormal:          func(r *rand.Rand, p []float64) float64 { return p[0] + p[1]*r.NormFloat64() + r.ExpFloat64()/p[2] },
	SkewDoubleExponential: skewDoubleExponentialRng,
}

// vonMisesRng is Best and Fisher's (1979) rejection sampler.
func vonMisesRng(r *rand.Rand, p []float64) float64 {
	mu, k := p[0], p[1]
	if k < 1e-8 {
		return mu + math.Pi*(2*r.Float64()-1)
	}
	tau := 1 + math.Sqrt(1+4*k*k)
	rho := (tau - math.Sqrt(2*tau)) / (2 * k)
	s := (1 + rho*rho) / (2 * rho)
	for {
		u1, u2, u3 := r.Float64(), r.Float64(), r.Float64()
		z := math.Cos(math.Pi * u1)
		f := (1 + s*z) / (s + z)
		c := k * (s - f)
		if c*(2-c)-u2 > 0 || math.Log(c/u2)+1-c >= 0 {
			x := math.Acos(f)
			if u3 < 0.5 {
				x = -x
			}
			return math.Remainder(mu+x, 2*math.Pi)
		}
	}
}

// Rng draws one value with parameters p (Stan's argument order, without
// the variate).
func (u *Univariate) Rng(r *rand.Rand, p ...float64) (float64, error) {
	fn := u.base() + "_rng"
	f, ok := rngs[u]
	if !ok {
		return 0, fmt.Errorf("%s is not implemented", fn)
	}
	if err := u.checkParams(fn, p); err != nil {
		return 0, err
	}
	return f(r, p), nil
}

// checkParams validates the parameters p (without the variate) of a draw
// by the density's rules, naming fn in the error.
func (u *Univariate) checkParams(fn string, p []float64) error {
	if len(p) != len(u.rules)-1 {
		return fmt.Errorf("%s takes %d parameters, got %d", fn, len(u.rules)-1, len(p))
	}
	for i, v := range p {
		rl := u.rules[i+1]
		if rl.text != "" && !rl.ok(v) {
			return &DomainError{fn, argNames[u.names[i+1]], 0, v, rl.text}
		}
	}
	if u == Uniform && !(p[1] > p[0]) {
		return fmt.Errorf("%s: Upper bound parameter is %v, but must be greater than %v", fn, p[1], p[0])
	}
	return nil
}

// intRng draws one count; it fails when a draw it makes on the way is
// out of range (a gamma rate too large for a Poisson draw).
type intRng func(r *rand.Rand, n [2]int, p []float64) (int, error)

var intRngs = map[*Discrete]intRng{
	BetaNegBinomial: betaNegBinomialRng,
	YuleSimon:       yuleSimonRng,
	Bernoulli:       func(r *rand.Rand, n [2]int, p []float64) (int, error) { return b2i(r.Float64() < p[0]), nil },
	BernoulliLogit: func(r *rand.Rand, n [2]int, p []float64) (int, error) {
		return b2i(r.Float64() < mathx.InvLogit(p[0])), nil
	},
	Binomial: func(r *rand.Rand, n [2]int, p []float64) (int, error) {
		return int(distuv.Binomial{N: float64(n[0]), P: p[0], Src: r}.Rand()), nil
	},
	BinomialLogit: func(r *rand.Rand, n [2]int, p []float64) (int, error) {
		return int(distuv.Binomial{N: float64(n[0]), P: mathx.InvLogit(p[0]), Src: r}.Rand()), nil
	},
	Poisson:    func(r *rand.Rand, n [2]int, p []float64) (int, error) { return poissonDraw(r, p[0]), nil },
	PoissonLog: func(r *rand.Rand, n [2]int, p []float64) (int, error) { return poissonDraw(r, math.Exp(p[0])), nil },
	NegBinomial: func(r *rand.Rand, n [2]int, p []float64) (int, error) {
		return gammaPoisson(r, p[0], 1/p[1], "Inverse of the inverse scale parameter")
	},
	NegBinomial2: func(r *rand.Rand, n [2]int, p []float64) (int, error) {
		return gammaPoisson(r, p[1], p[0]/p[1], "Location parameter divided by the precision parameter")
	},
	NegBinomial2Log: func(r *rand.Rand, n [2]int, p []float64) (int, error) {
		return gammaPoisson(r, p[1], math.Exp(p[0])/p[1], "Exponential of the log-location parameter divided by the precision parameter")
	},
	BetaBinomial: func(r *rand.Rand, n [2]int, p []float64) (int, error) {
		th := distuv.Beta{Alpha: p[0], Beta: p[1], Src: r}.Rand()
		return int(distuv.Binomial{N: float64(n[0]), P: th, Src: r}.Rand()), nil
	},
}

func poissonDraw(r *rand.Rand, l float64) int {
	if l == 0 {
		return 0
	}
	return int(distuv.Poisson{Lambda: l, Src: r}.Rand())
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Rng draws one value; ints are the integer parameters (binomial's N).
func (u *Discrete) Rng(r *rand.Rand, ints []int, p ...float64) (int, error) {
	fn := u.Name[:len(u.Name)-len("_lpmf")] + "_rng"
	f, ok := intRngs[u]
	if !ok {
		return 0, fmt.Errorf("%s is not implemented", fn)
	}
	var n [2]int
	copy(n[:], ints)
	for i, v := range p {
		rl := u.rules[i]
		if !rl.ok(v) {
			return 0, &DomainError{fn, argNames[u.realNames[i]], 0, v, rl.text}
		}
	}
	switch u {
	case Poisson:
		if p[0] > maxPoissonRate {
			return 0, fmt.Errorf("%s: Rate parameter is %v, but must be less than %v", fn, p[0], float64(maxPoissonRate))
		}
	case PoissonLog:
		if p[0] > 30*math.Ln2 {
			return 0, fmt.Errorf("%s: Log rate parameter is %v, but must be less than %v", fn, p[0], 30*math.Ln2)
		}
	}
	k, err := f(r, n, p)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", fn, err)
	}
	return k, nil
}

// maxPoissonRate is the largest rate of a Poisson draw, Stan's
// POISSON_MAX_RATE (2^30), so that the count fits in Stan's 32-bit int.
const maxPoissonRate = 1 << 30

// gammaPoisson draws a Poisson count whose rate is a Gamma(shape, scale)
// draw, the negative binomial's mixture, with the checks of Stan's
// neg_binomial_rng family: the scale (named what) positive and finite,
// the gamma draw below maxPoissonRate.
func gammaPoisson(r *rand.Rand, shape, scale float64, what string) (int, error) {
	if !(scale > 0) || math.IsInf(scale, 1) {
		return 0, fmt.Errorf("%s is %v, but must be positive finite", what, scale)
	}
	l := distuv.Gamma{Alpha: shape, Beta: 1 / scale, Src: r}.Rand()
	if !(l < maxPoissonRate) {
		return 0, fmt.Errorf("Random number that came from gamma distribution is %v, but must be less than %v", l, float64(maxPoissonRate))
	}
	return poissonDraw(r, l), nil
}

// CategoricalRng draws a category 1..K with probabilities theta.
func CategoricalRng(r *rand.Rand, theta []float64) (int, error) {
	sum := 0.0
	for _, p := range theta {
		if !(p >= 0) {
			return 0, fmt.Errorf("categorical_rng: Probabilities parameter is not a valid simplex")
		}
		sum += p
	}
	if math.Abs(sum-1) > 1e-8 {
		return 0, fmt.Errorf("categorical_rng: Probabilities parameter is not a valid simplex. sum(Probabilities parameter) = %v, but should be 1", sum)
	}
	u, s := r.Float64(), 0.0
	for i, p := range theta {
		s += p
		if u < s {
			return i + 1, nil
		}
	}
	return len(theta), nil
}

// CategoricalLogitRng draws a category with probabilities softmax(beta).
func CategoricalLogitRng(r *rand.Rand, beta []float64) (int, error) {
	lse := mathx.LogSumExp(beta)
	p := make([]float64, len(beta))
	for i, b := range beta {
		p[i] = math.Exp(b - lse)
	}
	return CategoricalRng(r, p)
}

// MultinomialRng draws counts of n trials over categories theta.
func MultinomialRng(r *rand.Rand, theta []float64, n int) ([]int, error) {
	if n < 0 {
		return nil, fmt.Errorf("multinomial_rng: number of trials variables is %d, but must be nonnegative", n)
	}
	out := make([]int, len(theta))
	left, mass := n, 1.0
	for i, p := range theta {
		if i == len(theta)-1 || left == 0 {
			out[i] = left
			break
		}
		q := math.Min(1, math.Max(0, p/mass))
		out[i] = int(distuv.Binomial{N: float64(left), P: q, Src: r}.Rand())
		left -= out[i]
		mass -= p
	}
	return out, nil
}

// OrderedLogisticRng draws an outcome 1..K given eta and K-1 cutpoints.
func OrderedLogisticRng(r *rand.Rand, eta float64, c []float64) (int, error) {
	return orderedRng(r, eta, c, mathx.InvLogit)
}

// OrderedProbitRng is OrderedLogisticRng with the normal CDF.
func OrderedProbitRng(r *rand.Rand, eta float64, c []float64) (int, error) {
	return orderedRng(r, eta, c, mathx.Phi)
}

func orderedRng(r *rand.Rand, eta float64, c []float64, link func(float64) float64) (int, error) {
	p := make([]float64, len(c)+1)
	prev := 1.0
	for k := range c {
		if k > 0 && !(c[k] > c[k-1]) {
			return 0, fmt.Errorf("ordered_rng: Cut-points is not a valid ordered vector")
		}
		cur := link(eta - c[k])
		p[k] = prev - cur
		prev = cur
	}
	p[len(c)] = prev
	return CategoricalRng(r, p)
}

// HypergeometricRng draws the successes among N draws without
// replacement from a successes and b failures.
func HypergeometricRng(r *rand.Rand, N, a, b int) (int, error) {
	if N < 0 || N > a+b {
		return 0, fmt.Errorf("hypergeometric_rng: Draws parameter is %d, but must be in the interval [0, %d]", N, a+b)
	}
	k := 0
	for i := range N {
		if r.Float64()*float64(a+b-i) < float64(a-k) {
			k++
		}
	}
	return k, nil
}

// DiscreteRangeRng draws uniformly from lo..hi.
func DiscreteRangeRng(r *rand.Rand, lo, hi int) (int, error) {
	if lo > hi {
		return 0, fmt.Errorf("discrete_range_rng: Lower bound parameter is %d, but must be less than or equal to %d", lo, hi)
	}
	return lo + r.IntN(hi-lo+1), nil
}
