package dist

import (
	"fmt"
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// Discrete is a vectorised probability mass function: integer arguments
// (the variate, and for some families a population size) then up to three
// real parameters. Like Univariate, its term computes one element.
type Discrete struct {
	Name      string
	intNames  []argName
	intRules  []func(n [2]int) string // returns a violated rule or ""
	realNames []argName
	rules     []rule
	term      func(n [2]int, x [4]float64, vary [4]bool, propto bool) (float64, [4]float64)
}

// IntError reports an integer argument outside its support.
type IntError struct {
	Func  string
	Arg   string
	Index int
	Value int
	Rule  string
}

func (e *IntError) Error() string {
	at := ""
	if e.Index > 0 {
		at = fmt.Sprintf("[%d]", e.Index)
	}
	return fmt.Sprintf("%s: %s%s is %d, but must be %s", e.Func, e.Arg, at, e.Value, e.Rule)
}

// Lpmf returns the summed log mass over the vectorised arguments.
func (u *Discrete) Lpmf(t *ad.Tape, propto bool, ints [][]int, reals ...[]ad.Var) (ad.Var, error) {
	fn := u.Name
	ni, nr := len(ints), len(reals)
	var a [4]arg
	var ap [4]*arg
	for i := range nr {
		a[i] = newArg(u.realNames[i], reals[i])
		ap[i] = &a[i]
	}
	n, err := u.size(fn, ints, ap[:nr])
	if err != nil || n == 0 {
		return ad.Var{}, err
	}
	for i := range nr {
		if err := check(fn, ap[i], u.rules[i].text, u.rules[i].ok); err != nil {
			return ad.Var{}, err
		}
	}
	var vary [4]bool
	for i := range nr {
		vary[i] = a[i].varying
	}
	// With propto and constant parameters the result is 0, but the integer
	// arguments are still checked.
	skip := propto && !anyVarying(ap[:nr]...)
	b := t.Begin()
	lp := 0.0
	var k [2]int
	var x [4]float64
	for j := range n {
		for i := range ni {
			if len(ints[i]) == 1 {
				k[i] = ints[i][0]
			} else {
				k[i] = ints[i][j]
			}
		}
		for i, r := range u.intRules {
			if msg := r(k); msg != "" {
				idx := 0
				if len(ints[i]) > 1 {
					idx = j + 1
				}
				return ad.Var{}, &IntError{fn, argNames[u.intNames[i]], idx, k[i], msg}
			}
		}
		if skip {
			continue
		}
		for i := range nr {
			x[i] = a[i].val(j)
		}
		l, d := u.term(k, x, vary, propto)
		lp += l
		for i := range nr {
			a[i].d(&b, j, d[i])
		}
	}
	for i := range nr {
		a[i].flush(&b)
	}
	return b.End(lp), nil
}

// size is the common length of the vectorised arguments, the int ones
// after the reals: 0 when one is empty, which makes the sum empty as in
// Stan Math.
func (u *Discrete) size(fn string, ints [][]int, reals []*arg) (int, error) {
	n, err := size(fn, reals...)
	if err != nil {
		return 0, err
	}
	for i, v := range ints {
		switch {
		case len(v) == 0:
			return 0, nil
		case len(v) == 1:
		case len(reals) == 0 && i == 0 || n == 1 && allScalar(reals):
			n = len(v)
		case len(v) != n:
			return 0, &SizeError{fn, argNames[u.intNames[0]], argNames[u.intNames[i]], n, len(v)}
		}
	}
	return n, nil
}

func allScalar(args []*arg) bool {
	for _, a := range args {
		if !a.scalar {
			return false
		}
	}
	return true
}

func nonnegInt(i int) func([2]int) string {
	return func(n [2]int) string {
		if n[i] < 0 {
			return "nonnegative"
		}
		return ""
	}
}

// lchoose is log(n choose k) for integers.
func lchoose(n, k int) float64 {
	return mathx.Lgamma(float64(n+1)) - mathx.Lgamma(float64(k+1)) - mathx.Lgamma(float64(n-k+1))
}

// The discrete univariate distributions of Stan's functions reference.
var (
	Bernoulli = &Discrete{"bernoulli_lpmf", []argName{argN}, []func([2]int) string{func(n [2]int) string {
		if n[0] != 0 && n[0] != 1 {
			return "in the interval [0, 1]"
		}
		return ""
	}}, []argName{argProbability}, []rule{probability},
		func(n [2]int, x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			th := x[0]
			if n[0] == 1 {
				d[0] = 1 / th
				return math.Log(th), d
			}
			d[0] = -1 / (1 - th)
			return math.Log1p(-th), d
		}}

	BernoulliLogit = &Discrete{"bernoulli_logit_lpmf", []argName{argN}, Bernoulli.intRules, []argName{argLogitProb}, []rule{notNaN},
		func(n [2]int, x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			a := x[0]
			if n[0] == 1 {
				d[0] = mathx.InvLogit(-a)
				return mathx.LogInvLogit(a), d
			}
			d[0] = -mathx.InvLogit(a)
			return mathx.Log1mInvLogit(a), d
		}}

	Binomial = &Discrete{"binomial_lpmf", []argName{argN, argBigN}, []func([2]int) string{
		func(n [2]int) string {
			if n[0] < 0 || n[0] > n[1] {
				return fmt.Sprintf("in the interval [0, %d]", n[1])
			}
			return ""
		}, nonnegInt(1)}, []argName{argProbability}, []rule{probability},
		func(n [2]int, x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			k, N, th := n[0], n[1], x[0]
			lp := 0.0
			if !p {
				lp += lchoose(N, k)
			}
			switch {
			case N == 0:
				d[0] = 0
			case k == 0:
				lp += float64(N) * math.Log1p(-th)
				d[0] = -float64(N) / (1 - th)
			case k == N:
				lp += float64(k) * math.Log(th)
				d[0] = float64(k) / th
			default:
				lp += float64(k)*math.Log(th) + float64(N-k)*math.Log1p(-th)
				d[0] = float64(k)/th - float64(N-k)/(1-th)
			}
			return lp, d
		}}

	BinomialLogit = &Discrete{"binomial_logit_lpmf", []argName{argN, argBigN}, Binomial.intRules, []argName{argLogitProb}, []rule{finite},
		func(n [2]int, x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			k, N, a := float64(n[0]), float64(n[1]), x[0]
			lp := k*mathx.LogInvLogit(a) + (N-k)*mathx.Log1mInvLogit(a)
			if !p {
				lp += lchoose(n[1], n[0])
			}
			d[0] = k - N*mathx.InvLogit(a)
			return lp, d
		}}

	Poisson = &Discrete{"poisson_lpmf", []argName{argN}, []func([2]int) string{nonnegInt(0)}, []argName{argRate}, []rule{nonnegative},
		func(n [2]int, x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			k, l := float64(n[0]), x[0]
			if math.IsInf(l, 1) {
				d[0] = 0
				return math.Inf(-1), d
			}
			lp := -l
			if n[0] > 0 {
				lp += k * math.Log(l)
			}
			if !p {
				lp -= mathx.Lgamma(k + 1)
			}
			d[0] = k/l - 1
			return lp, d
		}}

	PoissonLog = &Discrete{"poisson_log_lpmf", []argName{argN}, []func([2]int) string{nonnegInt(0)}, []argName{argLogRate}, []rule{notNaN},
		func(n [2]int, x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			k, a := float64(n[0]), x[0]
			e := math.Exp(a)
			lp := k*a - e
			if math.IsInf(a, -1) && n[0] == 0 {
				lp = 0
			}
			if !p {
				lp -= mathx.Lgamma(k + 1)
			}
			d[0] = k - e
			return lp, d
		}}

	NegBinomial = &Discrete{"neg_binomial_lpmf", []argName{argN}, []func([2]int) string{nonnegInt(0)}, []argName{argShape, argInvScale}, []rule{posFinite, posFinite},
		func(n [2]int, x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			k, a, b := float64(n[0]), x[0], x[1]
			// C(k+a-1, k) (b/(1+b))^a (1/(1+b))^k
			lp := 0.0
			// Stan keeps the whole binomial coefficient, -log k! with it,
			// when the shape varies; lp__ is then Stan's to the constant.
			if keep(p, v, 0) {
				lp += mathx.Lgamma(k+a) - mathx.Lgamma(a) - mathx.Lgamma(k+1)
			}
			l1b := math.Log1p(b)
			lp += a*(math.Log(b)-l1b) - k*l1b
			d[0] = mathx.Digamma(k+a) - mathx.Digamma(a) + math.Log(b) - l1b
			d[1] = a/b - (a+k)/(1+b)
			return lp, d
		}}

	NegBinomial2 = &Discrete{"neg_binomial_2_lpmf", []argName{argN}, []func([2]int) string{nonnegInt(0)}, []argName{argLocation, argPrecision}, []rule{posFinite, posFinite},
		func(n [2]int, x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			k, mu, phi := float64(n[0]), x[0], x[1]
			lmp := math.Log(mu + phi)
			lp := 0.0
			if keep(p, v, 1) {
				lp += mathx.Lgamma(k+phi) - mathx.Lgamma(phi) + phi*math.Log(phi)
			}
			if !p {
				lp -= mathx.Lgamma(k + 1)
			}
			if n[0] > 0 {
				lp += k * math.Log(mu)
			}
			lp -= (k + phi) * lmp
			d[0] = k/mu - (k+phi)/(mu+phi)
			d[1] = mathx.Digamma(k+phi) - mathx.Digamma(phi) + math.Log(phi) + 1 - lmp - (k+phi)/(mu+phi)
			return lp, d
		}}

	NegBinomial2Log = &Discrete{"neg_binomial_2_log_lpmf", []argName{argN}, []func([2]int) string{nonnegInt(0)}, []argName{argLogLocation, argPrecision}, []rule{finite, posFinite},
		func(n [2]int, x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			k, eta, phi := float64(n[0]), x[0], x[1]
			mu := math.Exp(eta)
			lse := mathx.LogSumExp2(eta, math.Log(phi)) // log(mu + phi)
			lp := 0.0
			if keep(p, v, 1) {
				lp += mathx.Lgamma(k+phi) - mathx.Lgamma(phi) + phi*math.Log(phi)
			}
			if !p {
				lp -= mathx.Lgamma(k + 1)
			}
			lp += k*eta - (k+phi)*lse
			d[0] = k - (k+phi)*mu/(mu+phi)
			d[1] = mathx.Digamma(k+phi) - mathx.Digamma(phi) + math.Log(phi) + 1 - lse - (k+phi)/(mu+phi)
			return lp, d
		}}

	BetaBinomial = &Discrete{"beta_binomial_lpmf", []argName{argN, argBigN}, Binomial.intRules, []argName{argPriorSuccess, argPriorFailure}, []rule{posFinite, posFinite},
		func(n [2]int, x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			k, N, a, b := float64(n[0]), float64(n[1]), x[0], x[1]
			lp := mathx.Lbeta(k+a, N-k+b) - mathx.Lbeta(a, b)
			if !p {
				lp += lchoose(n[1], n[0])
			}
			dN := mathx.Digamma(N + a + b)
			dab := mathx.Digamma(a + b)
			d[0] = mathx.Digamma(k+a) - dN - mathx.Digamma(a) + dab
			d[1] = mathx.Digamma(N-k+b) - dN - mathx.Digamma(b) + dab
			return lp, d
		}}
)
