package ppl

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
)

// Dist is a distribution over a site's flat value: n draws of Event()
// values each. Its arguments broadcast as Stan's vectorised densities do:
// an argument of length 1 is shared by every draw.
type Dist interface {
	// Batch is the number of draws the arguments describe (1 when all are
	// scalars), Event the values per draw.
	Batch() int
	Event() int
	// LogProb is the log density of x, summed, with every normalising
	// constant (as Stan's target += *_lpdf).
	LogProb(t *ad.Tape, x []ad.Var) (ad.Var, error)
	// Sample draws n values (a multiple of Event).
	Sample(r *rand.Rand, n int) ([]float64, error)
	// Support is the set the values lie in; a discrete family's is the
	// real line and Discrete says so.
	Support() Constraint
	Discrete() bool
}

// Enumerable is a discrete distribution with a finite support, which a
// site marked Enumerate sums over.
type Enumerable interface {
	Dist
	Values() []float64
}

// elementwise is a family whose log density is a sum of one term per
// draw, each returned apart: enumeration inside a plate sums each
// element's terms out on their own.
type elementwise interface {
	logProbs(t *ad.Tape, x []ad.Var) ([]ad.Var, error)
}

// params are a family's real arguments as tape values.
type params [][]ad.Var

// elem is draw i's arguments, each of length one (broadcast).
func (p params) elem(i int) params {
	out := make(params, len(p))
	for j, a := range p {
		k := i % len(a)
		out[j] = a[k : k+1]
	}
	return out
}

// eachDraw is the log density of every draw of x apart: lp gives draw i's,
// from its value and arguments.
func eachDraw(x []ad.Var, lp func(i int) (ad.Var, error)) ([]ad.Var, error) {
	out := make([]ad.Var, len(x))
	for i := range x {
		v, err := lp(i)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (p params) batch() int {
	n := 1
	for _, a := range p {
		n = max(n, len(a))
	}
	return n
}

// at is the i-th draw's parameter values (broadcast).
func (p params) at(i int, out []float64) []float64 {
	out = out[:0]
	for _, a := range p {
		out = append(out, a[i%len(a)].Val)
	}
	return out
}

// univariate is a continuous family of package dist.
type univariate struct {
	fam     *dist.Univariate // nil for the normal, which has its own fast density
	p       params
	support Constraint
}

func (u *univariate) Batch() int          { return u.p.batch() }
func (u *univariate) Event() int          { return 1 }
func (u *univariate) Support() Constraint { return u.support }
func (u *univariate) Discrete() bool      { return false }
func (u *univariate) LogProb(t *ad.Tape, x []ad.Var) (ad.Var, error) {
	if u.fam == nil {
		return dist.NormalLpdf(t, false, x, u.p[0], u.p[1])
	}
	return u.fam.Lpdf(t, false, append([][]ad.Var{x}, u.p...)...)
}

func (u *univariate) logProbs(t *ad.Tape, x []ad.Var) ([]ad.Var, error) {
	return eachDraw(x, func(i int) (ad.Var, error) {
		return (&univariate{u.fam, u.p.elem(i), u.support}).LogProb(t, x[i:i+1])
	})
}

func (u *univariate) Sample(r *rand.Rand, n int) ([]float64, error) {
	out := make([]float64, n)
	var buf [3]float64
	for i := range out {
		p := u.p.at(i, buf[:0])
		var err error
		if u.fam == nil {
			out[i], err = dist.NormalRng(r, p[0], p[1])
		} else {
			out[i], err = u.fam.Rng(r, p...)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Normal is the normal distribution with location mu and scale sigma.
func Normal(mu, sigma []ad.Var) Dist { return &univariate{nil, params{mu, sigma}, Real} }

// StudentT has nu degrees of freedom, location mu and scale sigma.
func StudentT(nu, mu, sigma []ad.Var) Dist {
	return &univariate{dist.StudentT, params{nu, mu, sigma}, Real}
}

// Cauchy has location mu and scale sigma.
func Cauchy(mu, sigma []ad.Var) Dist { return &univariate{dist.Cauchy, params{mu, sigma}, Real} }

// Logistic has location mu and scale sigma.
func Logistic(mu, sigma []ad.Var) Dist { return &univariate{dist.Logistic, params{mu, sigma}, Real} }

// Exponential has rate beta.
func Exponential(beta []ad.Var) Dist { return &univariate{dist.Exponential, params{beta}, Positive} }

// Gamma has shape alpha and rate beta.
func Gamma(alpha, beta []ad.Var) Dist {
	return &univariate{dist.Gamma, params{alpha, beta}, Positive}
}

// InvGamma has shape alpha and scale beta.
func InvGamma(alpha, beta []ad.Var) Dist {
	return &univariate{dist.InvGamma, params{alpha, beta}, Positive}
}

// LogNormal has log-scale location mu and scale sigma.
func LogNormal(mu, sigma []ad.Var) Dist {
	return &univariate{dist.Lognormal, params{mu, sigma}, Positive}
}

// Beta has shapes alpha and beta.
func Beta(alpha, beta []ad.Var) Dist {
	return &univariate{dist.Beta, params{alpha, beta}, UnitInterval}
}

// Uniform is uniform on (lo, hi); scalar bounds only, since they are the
// site's support.
func Uniform(lo, hi ad.Var) Dist {
	return &univariate{dist.Uniform, params{{lo}, {hi}}, Interval(lo, hi)}
}

// halfNormal is the normal folded at 0: twice the normal density on (0, ∞).
type halfNormal struct{ sigma []ad.Var }

// HalfNormal is |x| for x normal with location 0 and scale sigma.
func HalfNormal(sigma []ad.Var) Dist { return &halfNormal{sigma} }

func (h *halfNormal) Batch() int          { return len(h.sigma) }
func (h *halfNormal) Event() int          { return 1 }
func (h *halfNormal) Support() Constraint { return Positive }
func (h *halfNormal) Discrete() bool      { return false }
func (h *halfNormal) LogProb(t *ad.Tape, x []ad.Var) (ad.Var, error) {
	lp, err := dist.NormalLpdf(t, false, x, []ad.Var{{}}, h.sigma)
	if err != nil {
		return ad.Var{}, err
	}
	for _, v := range x {
		if v.Val < 0 {
			return ad.Var{}, fmt.Errorf("half_normal_lpdf: Random variable is %v, but must be nonnegative", v.Val)
		}
	}
	n := max(len(x), len(h.sigma))
	return t.Add(lp, ad.Const(float64(n)*math.Ln2)), nil
}

func (h *halfNormal) Sample(r *rand.Rand, n int) ([]float64, error) {
	out := make([]float64, n)
	for i := range out {
		v, err := dist.NormalRng(r, 0, h.sigma[i%len(h.sigma)].Val)
		if err != nil {
			return nil, err
		}
		out[i] = math.Abs(v)
	}
	return out, nil
}

// dirichlet is the Dirichlet over simplexes of len(alpha) values.
type dirichlet struct{ alpha []ad.Var }

// Dirichlet has prior sample sizes alpha; one draw is a simplex of
// len(alpha) values.
func Dirichlet(alpha []ad.Var) Dist { return &dirichlet{alpha} }

func (d *dirichlet) Batch() int          { return 1 }
func (d *dirichlet) Event() int          { return len(d.alpha) }
func (d *dirichlet) Support() Constraint { return Simplex }
func (d *dirichlet) Discrete() bool      { return false }
func (d *dirichlet) LogProb(t *ad.Tape, x []ad.Var) (ad.Var, error) {
	k := len(d.alpha)
	rows := make([][]ad.Var, len(x)/k)
	for i := range rows {
		rows[i] = x[i*k : (i+1)*k]
	}
	return dist.DirichletLpdf(t, false, rows, [][]ad.Var{d.alpha})
}

func (d *dirichlet) Sample(r *rand.Rand, n int) ([]float64, error) {
	a := make([]float64, len(d.alpha))
	for i, v := range d.alpha {
		a[i] = v.Val
	}
	out := make([]float64, 0, n)
	for len(out) < n {
		s, err := dist.DirichletRng(r, a)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

// discrete is a family of package dist with integer variates, which
// enumeration may sum over when its support is finite.
type discrete struct {
	fam    *dist.Discrete
	ints   []int // integer parameters (binomial's N), shared by every draw
	p      params
	values []float64 // the finite support, nil if infinite
}

func (d *discrete) Batch() int          { return d.p.batch() }
func (d *discrete) Event() int          { return 1 }
func (d *discrete) Support() Constraint { return Real }
func (d *discrete) Discrete() bool      { return true }
func (d *discrete) Values() []float64   { return d.values }

func (d *discrete) LogProb(t *ad.Tape, x []ad.Var) (ad.Var, error) {
	n := make([]int, len(x))
	for i, v := range x {
		if v.Val != math.Trunc(v.Val) || math.Abs(v.Val) > 1<<52 {
			return ad.Var{}, fmt.Errorf("%s: the value %v is not an integer", d.fam.Name, v.Val)
		}
		n[i] = int(v.Val)
	}
	ints := [][]int{n}
	for _, k := range d.ints {
		ints = append(ints, []int{k})
	}
	return d.fam.Lpmf(t, false, ints, d.p...)
}

func (d *discrete) logProbs(t *ad.Tape, x []ad.Var) ([]ad.Var, error) {
	return eachDraw(x, func(i int) (ad.Var, error) {
		return (&discrete{d.fam, d.ints, d.p.elem(i), d.values}).LogProb(t, x[i:i+1])
	})
}

func (d *discrete) Sample(r *rand.Rand, n int) ([]float64, error) {
	out := make([]float64, n)
	var buf [3]float64
	for i := range out {
		k, err := d.fam.Rng(r, d.ints, d.p.at(i, buf[:0])...)
		if err != nil {
			return nil, err
		}
		out[i] = float64(k)
	}
	return out, nil
}

// Bernoulli is 1 with probability p, else 0.
func Bernoulli(p []ad.Var) Dist {
	return &discrete{fam: dist.Bernoulli, p: params{p}, values: []float64{0, 1}}
}

// BernoulliLogit is 1 with probability inv_logit(alpha), else 0.
func BernoulliLogit(alpha []ad.Var) Dist {
	return &discrete{fam: dist.BernoulliLogit, p: params{alpha}, values: []float64{0, 1}}
}

// Binomial counts successes in n trials of probability p.
func Binomial(n int, p []ad.Var) Dist {
	values := make([]float64, n+1)
	for i := range values {
		values[i] = float64(i)
	}
	return &discrete{fam: dist.Binomial, ints: []int{n}, p: params{p}, values: values}
}

// Poisson has rate lambda; its support is infinite, so it cannot be
// enumerated.
func Poisson(lambda []ad.Var) Dist { return &discrete{fam: dist.Poisson, p: params{lambda}} }

// categorical draws 1..K with probabilities theta (one draw per site).
type categorical struct{ theta []ad.Var }

// Categorical is k in 1..len(theta) with probability theta[k-1], Stan's
// 1-based categorical.
func Categorical(theta []ad.Var) Dist { return &categorical{theta} }

func (c *categorical) Batch() int          { return 1 }
func (c *categorical) Event() int          { return 1 }
func (c *categorical) Support() Constraint { return Real }
func (c *categorical) Discrete() bool      { return true }
func (c *categorical) Values() []float64 {
	v := make([]float64, len(c.theta))
	for i := range v {
		v[i] = float64(i + 1)
	}
	return v
}

func (c *categorical) logProbs(t *ad.Tape, x []ad.Var) ([]ad.Var, error) {
	return eachDraw(x, func(i int) (ad.Var, error) { return c.LogProb(t, x[i:i+1]) })
}

func (c *categorical) LogProb(t *ad.Tape, x []ad.Var) (ad.Var, error) {
	n := make([]int, len(x))
	for i, v := range x {
		if v.Val != math.Trunc(v.Val) || math.Abs(v.Val) > 1<<52 {
			return ad.Var{}, fmt.Errorf("categorical_lpmf: the value %v is not an integer", v.Val)
		}
		n[i] = int(v.Val)
	}
	return dist.CategoricalLpmf(t, false, n, c.theta)
}

func (c *categorical) Sample(r *rand.Rand, n int) ([]float64, error) {
	th := make([]float64, len(c.theta))
	for i, v := range c.theta {
		th[i] = v.Val
	}
	out := make([]float64, n)
	for i := range out {
		k, err := dist.CategoricalRng(r, th)
		if err != nil {
			return nil, err
		}
		out[i] = float64(k)
	}
	return out, nil
}

// Scalar makes a constant argument: ppl.Normal(ppl.Scalar(0), ppl.Scalar(1)).
func Scalar(x float64) []ad.Var { return []ad.Var{ad.Const(x)} }

// Consts are data values as constant tape values.
func Consts(xs ...float64) []ad.Var {
	out := make([]ad.Var, len(xs))
	for i, x := range xs {
		out[i] = ad.Const(x)
	}
	return out
}
