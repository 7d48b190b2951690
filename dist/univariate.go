package dist

import (
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// Univariate is a vectorised univariate density with real arguments: the
// variate first, then up to three parameters. Its term function computes
// one element's log density and partials; the driver broadcasts, checks
// the arguments and records one tape statement.
type Univariate struct {
	Name  string // Stan's function name, e.g. "cauchy_lpdf"
	names []argName
	rules []rule
	// term returns the log density of one element x (variate first) and
	// writes its partials to d. vary[i] says whether argument i is a tape
	// variable; with propto, terms that depend on no varying argument are
	// left out.
	term func(x [4]float64, vary [4]bool, propto bool) (float64, [4]float64)
}

// rule is an argument's support check, with Stan's wording.
type rule struct {
	ok   func(float64) bool
	text string
}

var (
	finite      = rule{isFinite, ruleFinite}
	notNaN      = rule{isNotNaN, ruleNotNaN}
	positive    = rule{isPositive, rulePositive}
	posFinite   = rule{isPositiveFinite, rulePosFinite}
	nonnegative = rule{isNonnegative, ruleNonnegative}
	probability = rule{isProbability, ruleProbability}
	anyValue    = rule{func(float64) bool { return true }, ""}
)

// Lpdf returns the summed log density over the vectorised arguments.
func (u *Univariate) Lpdf(t *ad.Tape, propto bool, args ...[]ad.Var) (ad.Var, error) {
	return u.lpdf(t, propto, nil, args)
}

// lpdf is Lpdf with the support checks of the arguments skip says were
// checked (Prepare) left out; skip may be nil.
func (u *Univariate) lpdf(t *ad.Tape, propto bool, skip *[4]bool, args [][]ad.Var) (ad.Var, error) {
	fn := u.Name
	var a [4]arg
	var ap [4]*arg
	k := len(args)
	for i := range k {
		a[i] = newArg(u.names[i], args[i])
		ap[i] = &a[i]
	}
	n, err := size(fn, ap[:k]...)
	if err != nil || n == 0 {
		return ad.Var{}, err
	}
	for i := range k {
		if u.rules[i].text == "" || skip != nil && skip[i] {
			continue
		}
		if err := check(fn, ap[i], u.rules[i].text, u.rules[i].ok); err != nil {
			return ad.Var{}, err
		}
	}
	var vary [4]bool
	for i := range k {
		vary[i] = a[i].varying
	}
	if propto && !anyVarying(ap[:k]...) {
		return ad.Var{}, nil
	}
	b := t.Begin()
	lp := 0.0
	var x [4]float64
	for j := range n {
		for i := range k {
			x[i] = a[i].val(j)
		}
		l, d := u.term(x, vary, propto)
		if math.IsNaN(l) {
			return ad.Var{}, &DomainError{fn, argNames[u.names[0]], 0, x[0], "in the support of the distribution"}
		}
		lp += l
		for i := range k {
			a[i].d(&b, j, d[i])
		}
	}
	for i := range k {
		a[i].flush(&b)
	}
	return b.End(lp), nil
}

// keep reports whether a term depending on the arguments at idx belongs to
// the density: always without propto, else when one of them varies.
func keep(propto bool, vary [4]bool, idx ...int) bool {
	if !propto {
		return true
	}
	for _, i := range idx {
		if vary[i] {
			return true
		}
	}
	return false
}

var log2Pi = math.Log(2 * math.Pi)

// The continuous univariate distributions of Stan's functions reference,
// with their densities from that reference.
var (
	StdNormal = &Univariate{"std_normal_lpdf", []argName{argY}, []rule{notNaN},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y := x[0]
			d[0] = -y
			lp := -0.5 * y * y
			if !p {
				lp -= 0.5 * log2Pi
			}
			return lp, d
		}}

	StudentT = &Univariate{"student_t_lpdf", []argName{argY, argDOF, argLocation, argScale}, []rule{notNaN, posFinite, finite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, nu, mu, s := x[0], x[1], x[2], x[3]
			z := (y - mu) / s
			q := z * z / nu
			l1q := math.Log1p(q)
			lp := -(nu + 1) / 2 * l1q
			if keep(p, v, 1) {
				lp += mathx.Lgamma((nu+1)/2) - mathx.Lgamma(nu/2) - 0.5*math.Log(nu)
			}
			if !p {
				lp -= 0.5 * math.Log(math.Pi)
			}
			if keep(p, v, 3) {
				lp -= math.Log(s)
			}
			r := (nu + 1) / (1 + q) // d/dz of -(nu+1)/2 log1p(z²/nu) is -r z / nu
			d[0] = -r * z / (nu * s)
			d[2] = -d[0]
			d[3] = r*z*z/(nu*s) - 1/s
			d[1] = 0.5*(mathx.Digamma((nu+1)/2)-mathx.Digamma(nu/2)) - 0.5/nu - 0.5*l1q + 0.5*(nu+1)*q/(nu*(1+q))
			return lp, d
		}}

	Cauchy = &Univariate{"cauchy_lpdf", []argName{argY, argLocation, argScale}, []rule{notNaN, finite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, mu, s := x[0], x[1], x[2]
			z := (y - mu) / s
			lp := -math.Log1p(z * z)
			if !p {
				lp -= math.Log(math.Pi)
			}
			if keep(p, v, 2) {
				lp -= math.Log(s)
			}
			d[0] = -2 * z / (s * (1 + z*z))
			d[1] = -d[0]
			d[2] = (z*z - 1) / (s * (1 + z*z))
			return lp, d
		}}

	DoubleExponential = &Univariate{"double_exponential_lpdf", []argName{argY, argLocation, argScale}, []rule{finite, finite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, mu, s := x[0], x[1], x[2]
			r := y - mu
			lp := -math.Abs(r) / s
			if !p {
				lp -= math.Ln2
			}
			if keep(p, v, 2) {
				lp -= math.Log(s)
			}
			sign := 0.0
			if r > 0 {
				sign = 1
			} else if r < 0 {
				sign = -1
			}
			d[0] = -sign / s
			d[1] = sign / s
			d[2] = math.Abs(r)/(s*s) - 1/s
			return lp, d
		}}

	Logistic = &Univariate{"logistic_lpdf", []argName{argY, argLocation, argScale}, []rule{finite, finite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, mu, s := x[0], x[1], x[2]
			z := (y - mu) / s
			lp := -z - 2*mathx.Log1pExp(-z)
			if keep(p, v, 2) {
				lp -= math.Log(s)
			}
			// d/dz = -1 + 2 inv_logit(-z) = 1 - 2 inv_logit(z)
			dz := 1 - 2*mathx.InvLogit(z)
			d[0] = dz / s
			d[1] = -dz / s
			d[2] = -dz*z/s - 1/s
			return lp, d
		}}

	Gumbel = &Univariate{"gumbel_lpdf", []argName{argY, argLocation, argScale}, []rule{notNaN, finite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, mu, b := x[0], x[1], x[2]
			z := (y - mu) / b
			e := math.Exp(-z)
			lp := -z - e
			if keep(p, v, 2) {
				lp -= math.Log(b)
			}
			dz := -1 + e
			d[0] = dz / b
			d[1] = -dz / b
			d[2] = -dz*z/b - 1/b
			return lp, d
		}}

	Lognormal = &Univariate{"lognormal_lpdf", []argName{argY, argLocation, argScale}, []rule{nonnegative, finite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, mu, s := x[0], x[1], x[2]
			if y == 0 {
				d[0], d[1], d[2] = 0, 0, 0
				return math.Inf(-1), d
			}
			ly := math.Log(y)
			z := (ly - mu) / s
			lp := -0.5 * z * z
			if !p {
				lp -= 0.5 * log2Pi
			}
			if keep(p, v, 2) {
				lp -= math.Log(s)
			}
			if keep(p, v, 0) {
				lp -= ly
			}
			d[0] = -(z/s + 1) / y
			d[1] = z / s
			d[2] = (z*z - 1) / s
			return lp, d
		}}

	ChiSquare = &Univariate{"chi_square_lpdf", []argName{argY, argDOF}, []rule{nonnegative, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, nu := x[0], x[1]
			ly := math.Log(y)
			lp := 0.0
			if keep(p, v, 0, 1) {
				lp += (nu/2 - 1) * ly
			}
			if keep(p, v, 0) {
				lp -= y / 2
			}
			if keep(p, v, 1) {
				lp -= nu/2*math.Ln2 + mathx.Lgamma(nu/2)
			}
			d[0] = (nu/2-1)/y - 0.5
			d[1] = 0.5*ly - 0.5*math.Ln2 - 0.5*mathx.Digamma(nu/2)
			return lp, d
		}}

	InvChiSquare = &Univariate{"inv_chi_square_lpdf", []argName{argY, argDOF}, []rule{notNaN, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, nu := x[0], x[1]
			if y <= 0 {
				return math.Inf(-1), d
			}
			ly := math.Log(y)
			lp := 0.0
			if keep(p, v, 0, 1) {
				lp -= (nu/2 + 1) * ly
			}
			if keep(p, v, 0) {
				lp -= 0.5 / y
			}
			if keep(p, v, 1) {
				lp -= nu/2*math.Ln2 + mathx.Lgamma(nu/2)
			}
			d[0] = -(nu/2+1)/y + 0.5/(y*y)
			d[1] = -0.5*ly - 0.5*math.Ln2 - 0.5*mathx.Digamma(nu/2)
			return lp, d
		}}

	ScaledInvChiSquare = &Univariate{"scaled_inv_chi_square_lpdf", []argName{argY, argDOF, argScale}, []rule{notNaN, posFinite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, nu, s := x[0], x[1], x[2]
			if y <= 0 {
				return math.Inf(-1), d
			}
			h := nu / 2
			ly, ls := math.Log(y), math.Log(s)
			lp := 0.0
			if keep(p, v, 1) {
				lp += h*math.Log(h) - mathx.Lgamma(h)
			}
			if keep(p, v, 1, 2) {
				lp += nu * ls
			}
			if keep(p, v, 0, 1) {
				lp -= (h + 1) * ly
			}
			lp -= h * s * s / y
			d[0] = -(h+1)/y + h*s*s/(y*y)
			d[1] = 0.5*math.Log(h) + 0.5 - 0.5*mathx.Digamma(h) + ls - 0.5*ly - 0.5*s*s/y
			d[2] = nu/s - nu*s/y
			return lp, d
		}}

	Exponential = &Univariate{"exponential_lpdf", []argName{argY, argInvScale}, []rule{nonnegative, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, b := x[0], x[1]
			lp := -b * y
			if keep(p, v, 1) {
				lp += math.Log(b)
			}
			d[0] = -b
			d[1] = 1/b - y
			return lp, d
		}}

	Gamma = &Univariate{"gamma_lpdf", []argName{argY, argShape, argInvScale}, []rule{nonnegative, posFinite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, a, b := x[0], x[1], x[2]
			ly, lb := math.Log(y), math.Log(b)
			lp := 0.0
			if keep(p, v, 1) {
				lp -= mathx.Lgamma(a)
			}
			if keep(p, v, 1, 2) {
				lp += a * lb
			}
			if keep(p, v, 0, 1) {
				lp += (a - 1) * ly
			}
			if keep(p, v, 0, 2) {
				lp -= b * y
			}
			d[0] = (a-1)/y - b
			d[1] = -mathx.Digamma(a) + lb + ly
			d[2] = a/b - y
			return lp, d
		}}

	InvGamma = &Univariate{"inv_gamma_lpdf", []argName{argY, argShape, argScale}, []rule{notNaN, posFinite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, a, b := x[0], x[1], x[2]
			if y <= 0 {
				return math.Inf(-1), d
			}
			ly, lb := math.Log(y), math.Log(b)
			lp := 0.0
			if keep(p, v, 1) {
				lp -= mathx.Lgamma(a)
			}
			if keep(p, v, 1, 2) {
				lp += a * lb
			}
			if keep(p, v, 0, 1) {
				lp -= (a + 1) * ly
			}
			if keep(p, v, 0, 2) {
				lp -= b / y
			}
			d[0] = -(a+1)/y + b/(y*y)
			d[1] = -mathx.Digamma(a) + lb - ly
			d[2] = a/b - 1/y
			return lp, d
		}}

	Weibull = &Univariate{"weibull_lpdf", []argName{argY, argShape, argScale}, []rule{nonnegative, posFinite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, a, s := x[0], x[1], x[2]
			ly, ls := math.Log(y), math.Log(s)
			r := math.Pow(y/s, a)
			lp := -r
			if keep(p, v, 1) {
				lp += math.Log(a)
			}
			if keep(p, v, 0, 1) {
				lp += (a - 1) * ly
			}
			if keep(p, v, 1, 2) {
				lp -= a * ls
			}
			d[0] = (a-1)/y - a*r/y
			d[1] = 1/a + ly - ls - r*(ly-ls)
			d[2] = -a/s + a*r/s
			return lp, d
		}}

	Frechet = &Univariate{"frechet_lpdf", []argName{argY, argShape, argScale}, []rule{positive, posFinite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, a, s := x[0], x[1], x[2]
			ly, ls := math.Log(y), math.Log(s)
			r := math.Pow(y/s, -a)
			lp := -r
			if keep(p, v, 1) {
				lp += math.Log(a)
			}
			if keep(p, v, 0, 1) {
				lp -= (a + 1) * ly
			}
			if keep(p, v, 1, 2) {
				lp += a * ls
			}
			d[0] = -(a+1)/y + a*r/y
			d[1] = 1/a - ly + ls + r*(ly-ls)
			d[2] = a/s - a*r/s
			return lp, d
		}}

	Rayleigh = &Univariate{"rayleigh_lpdf", []argName{argY, argScale}, []rule{nonnegative, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, s := x[0], x[1]
			lp := -y * y / (2 * s * s)
			if keep(p, v, 1) {
				lp -= 2 * math.Log(s)
			}
			if keep(p, v, 0) {
				lp += math.Log(y)
			}
			d[0] = 1/y - y/(s*s)
			d[1] = -2/s + y*y/(s*s*s)
			return lp, d
		}}

	Pareto = &Univariate{"pareto_lpdf", []argName{argY, argScale, argShape}, []rule{notNaN, posFinite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, ym, a := x[0], x[1], x[2]
			if y < ym {
				d[0], d[1], d[2] = 0, 0, 0
				return math.Inf(-1), d
			}
			ly := math.Log(y)
			lp := 0.0
			if keep(p, v, 2) {
				lp += math.Log(a)
			}
			if keep(p, v, 1, 2) {
				lp += a * math.Log(ym)
			}
			if keep(p, v, 0, 2) {
				lp -= (a + 1) * ly
			}
			d[0] = -(a + 1) / y
			d[1] = a / ym
			d[2] = 1/a + math.Log(ym) - ly
			return lp, d
		}}

	ParetoType2 = &Univariate{"pareto_type_2_lpdf", []argName{argY, argLocation, argScale, argShape}, []rule{notNaN, finite, posFinite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, mu, l, a := x[0], x[1], x[2], x[3]
			if y < mu {
				return math.Inf(-1), d
			}
			q := (y - mu) / l
			l1 := math.Log1p(q)
			lp := -(a + 1) * l1
			if keep(p, v, 3) {
				lp += math.Log(a)
			}
			if keep(p, v, 2) {
				lp -= math.Log(l)
			}
			d[0] = -(a + 1) / (l * (1 + q))
			d[1] = -d[0]
			d[2] = (a+1)*q/(l*(1+q)) - 1/l
			d[3] = 1/a - l1
			return lp, d
		}}

	Beta = &Univariate{"beta_lpdf", []argName{argY, argPriorSuccess, argPriorFailure}, []rule{probability, posFinite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, a, b := x[0], x[1], x[2]
			ly, l1y := math.Log(y), math.Log1p(-y)
			lp := 0.0
			if keep(p, v, 1, 2) {
				lp -= mathx.Lbeta(a, b)
			}
			if keep(p, v, 0, 1) {
				lp += (a - 1) * ly
			}
			if keep(p, v, 0, 2) {
				lp += (b - 1) * l1y
			}
			dab := mathx.Digamma(a + b)
			d[0] = (a-1)/y - (b-1)/(1-y)
			d[1] = ly - mathx.Digamma(a) + dab
			d[2] = l1y - mathx.Digamma(b) + dab
			return lp, d
		}}

	BetaProportion = &Univariate{"beta_proportion_lpdf", []argName{argY, argLocation, argPrecision}, []rule{probability, probability, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, mu, k := x[0], x[1], x[2]
			a, b := mu*k, (1-mu)*k
			ly, l1y := math.Log(y), math.Log1p(-y)
			lp := 0.0
			if keep(p, v, 2) {
				lp += mathx.Lgamma(k)
			}
			if keep(p, v, 1, 2) {
				lp -= mathx.Lgamma(a) + mathx.Lgamma(b)
			}
			if keep(p, v, 0, 1, 2) {
				lp += (a-1)*ly + (b-1)*l1y
			}
			da := ly - mathx.Digamma(a)
			db := l1y - mathx.Digamma(b)
			d[0] = (a-1)/y - (b-1)/(1-y)
			d[1] = k * (da - db)
			d[2] = mathx.Digamma(k) + mu*da + (1-mu)*db
			return lp, d
		}}

	VonMises = &Univariate{"von_mises_lpdf", []argName{argY, argLocation, argScale}, []rule{finite, finite, nonnegative},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, mu, k := x[0], x[1], x[2]
			c := math.Cos(mu - y)
			lp := k * c
			if !p {
				lp -= log2Pi
			}
			if keep(p, v, 2) {
				lp -= logBesselI0(k)
			}
			s := math.Sin(mu - y)
			d[0] = k * s
			d[1] = -k * s
			d[2] = c - besselI1overI0(k)
			return lp, d
		}}

	Uniform = &Univariate{"uniform_lpdf", []argName{argY, argLower, argUpper}, []rule{notNaN, finite, finite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, a, b := x[0], x[1], x[2]
			d[0] = 0
			if y < a || y > b {
				d[1], d[2] = 0, 0
				return math.Inf(-1), d
			}
			lp := 0.0
			if keep(p, v, 1, 2) {
				lp -= math.Log(b - a)
			}
			d[1] = 1 / (b - a)
			d[2] = -1 / (b - a)
			return lp, d
		}}

	SkewNormal = &Univariate{"skew_normal_lpdf", []argName{argY, argLocation, argScale, argShape}, []rule{notNaN, finite, posFinite, finite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, xi, om, al := x[0], x[1], x[2], x[3]
			z := (y - xi) / om
			// log(2 φ(z) Φ(αz) / ω)
			u := al * z / math.Sqrt2
			lerfc := math.Log(math.Erfc(-u))
			lp := -0.5*z*z + lerfc
			if !p {
				lp -= 0.5 * math.Log(2*math.Pi)
			}
			if keep(p, v, 2) {
				lp -= math.Log(om)
			}
			// d/du log erfc(-u) = 2/√π e^{-u²} / erfc(-u)
			r := 2 / math.SqrtPi * math.Exp(-u*u) / math.Erfc(-u)
			dz := -z + r*al/math.Sqrt2
			d[0] = dz / om
			d[1] = -dz / om
			d[2] = -dz*z/om - 1/om
			d[3] = r * z / math.Sqrt2
			return lp, d
		}}

	ExpModNormal = &Univariate{"exp_mod_normal_lpdf", []argName{argY, argLocation, argScale, argInvScale}, []rule{notNaN, finite, posFinite, posFinite},
		func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
			var d [4]float64
			y, mu, s, l := x[0], x[1], x[2], x[3]
			// log(λ/2) + λ/2 (2μ + λσ² - 2y) + log erfc((μ + λσ² - y)/(√2 σ))
			u := (mu + l*s*s - y) / (math.Sqrt2 * s)
			le := math.Log(math.Erfc(u))
			lp := l/2*(2*mu+l*s*s-2*y) + le
			if !p {
				lp -= math.Ln2
			}
			if keep(p, v, 3) {
				lp += math.Log(l)
			}
			r := -2 / math.SqrtPi * math.Exp(-u*u) / math.Erfc(u) // d le / du
			du := [4]float64{-1 / (math.Sqrt2 * s), 1 / (math.Sqrt2 * s),
				(l*s*s - mu + y) / (math.Sqrt2 * s * s), s / math.Sqrt2}
			d[0] = -l + r*du[0]
			d[1] = l + r*du[1]
			d[2] = l*l*s + r*du[2]
			d[3] = 1/l + mu + l*s*s - y + r*du[3]
			return lp, d
		}}
)

// logBesselI0 returns log I₀(k), the modified Bessel function of the first
// kind of order 0: its power series for small k, the asymptotic expansion
// for large k (Abramowitz and Stegun 9.6.10 and 9.7.1).
func logBesselI0(k float64) float64 {
	if k < 50 {
		s, term := 1.0, 1.0
		q := k * k / 4
		for m := 1; m < 200; m++ {
			term *= q / float64(m*m)
			s += term
			if term < 1e-17*s {
				break
			}
		}
		return math.Log(s)
	}
	// e^k / √(2πk) (1 + 1/(8k) + 9/(128k²) + 225/(3072k³) + ...)
	z := 1 / (8 * k)
	series := 1 + z*(1+z*(9.0/2+z*(225.0/6+z*(11025.0/24+z*(893025.0/120)))))
	return k - 0.5*math.Log(2*math.Pi*k) + math.Log(series)
}

// besselI1overI0 returns I₁(k)/I₀(k), the derivative of log I₀.
func besselI1overI0(k float64) float64 {
	if k < 50 {
		s0, s1, t0, t1 := 1.0, k/2, 1.0, k/2
		q := k * k / 4
		for m := 1; m < 200; m++ {
			t0 *= q / float64(m*m)
			t1 *= q / float64(m*(m+1))
			s0 += t0
			s1 += t1
			if t0 < 1e-17*s0 {
				break
			}
		}
		return s1 / s0
	}
	z := 1 / (8 * k)
	i0 := 1 + z*(1+z*(9.0/2+z*(225.0/6+z*(11025.0/24))))
	i1 := 1 - z*(3+z*(15.0/2+z*(105.0/2+z*(4725.0/8))))
	return i1 / i0
}

// Scalar is Lpdf for scalar arguments (the first n of x), without the
// vectorising driver: the call inside a model's loops.
func (u *Univariate) Scalar(t *ad.Tape, propto bool, x [4]ad.Var, n int) (ad.Var, error) {
	lp, d, ok, err := u.Term(propto, x, n)
	if !ok {
		return ad.Var{}, err
	}
	b := t.Begin()
	for i := range n {
		b.Add(x[i], d[i])
	}
	return b.End(lp), nil
}

// Term is one element's log density at scalar arguments (the first n of
// x) and its partials, with the arguments checked as Lpdf checks them; ok
// is false on an error, or when propto leaves no term because no
// argument varies. It records nothing, for callers that gather many
// terms into one statement.
func (u *Univariate) Term(propto bool, x [4]ad.Var, n int) (lp float64, d [4]float64, ok bool, err error) {
	var v [4]float64
	var vary [4]bool
	anyVary := false
	for i := range n {
		v[i] = x[i].Val
		vary[i] = !x[i].IsConst()
		anyVary = anyVary || vary[i]
		if r := u.rules[i]; r.text != "" && !r.ok(v[i]) {
			return 0, d, false, &DomainError{u.Name, argNames[u.names[i]], 0, v[i], r.text}
		}
	}
	if propto && !anyVary {
		return 0, d, false, nil
	}
	lp, d = u.term(v, vary, propto)
	if math.IsNaN(lp) {
		return 0, d, false, &DomainError{u.Name, argNames[u.names[0]], 0, v[0], "in the support of the distribution"}
	}
	return lp, d, true, nil
}
