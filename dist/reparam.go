package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// Reparameterised draws, for variational guides: each draw is a
// differentiable function of the family's parameters (Kingma and Welling
// 2014, "Auto-encoding variational Bayes"), so pathwise ELBO gradients
// flow through it. Location-scale and inverse-CDF families transform a
// standard draw; gamma draws are differentiated implicitly (Figurnov,
// Mohamed and Mnih 2018, "Implicit reparameterization gradients"), and
// beta, inverse gamma, chi-square and Student's t are built from them.

// ReparamFunc draws one value with parameters p (Stan's order, without the
// variate); the result's adjoint flows back to p.
type ReparamFunc func(t *ad.Tape, r *rand.Rand, p []ad.Var) (ad.Var, error)

type reparam struct {
	u *Univariate // for the parameter rules; nil for normal
	n int         // number of parameters
	f func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var
}

// affine is loc + scale·s for a standard draw s.
func affine(t *ad.Tape, loc, scale ad.Var, s float64) ad.Var {
	return t.Add(loc, t.Mul(scale, ad.Const(s)))
}

var reparams = map[string]reparam{
	"normal": {nil, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var { return affine(t, p[0], p[1], r.NormFloat64()) }},
	"std_normal": {StdNormal, 0, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return ad.Const(r.NormFloat64())
	}},
	"lognormal": {Lognormal, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return t.Exp(affine(t, p[0], p[1], r.NormFloat64()))
	}},
	"cauchy": {Cauchy, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return affine(t, p[0], p[1], math.Tan(math.Pi*(r.Float64()-0.5)))
	}},
	"logistic": {Logistic, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return affine(t, p[0], p[1], mathx.Logit(r.Float64()))
	}},
	"double_exponential": {DoubleExponential, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		u := r.Float64() - 0.5
		return affine(t, p[0], p[1], -math.Copysign(math.Log1p(-2*math.Abs(u)), u))
	}},
	"gumbel": {Gumbel, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return affine(t, p[0], p[1], -math.Log(r.ExpFloat64()))
	}},
	"uniform": {Uniform, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return affine(t, p[0], t.Sub(p[1], p[0]), r.Float64())
	}},
	"exponential": {Exponential, 1, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return t.Div(ad.Const(r.ExpFloat64()), p[0])
	}},
	"weibull": {Weibull, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return t.Mul(p[1], t.Exp(t.Div(ad.Const(math.Log(r.ExpFloat64())), p[0])))
	}},
	"frechet": {Frechet, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return t.Mul(p[1], t.Exp(t.Div(ad.Const(-math.Log(r.ExpFloat64())), p[0])))
	}},
	"rayleigh": {Rayleigh, 1, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return t.Mul(p[0], ad.Const(math.Sqrt(2*r.ExpFloat64())))
	}},
	"pareto": {Pareto, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return t.Mul(p[0], t.Exp(t.Div(ad.Const(r.ExpFloat64()), p[1])))
	}},
	"pareto_type_2": {ParetoType2, 3, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return t.Add(p[0], t.Mul(p[1], t.Expm1(t.Div(ad.Const(r.ExpFloat64()), p[2]))))
	}},
	"skew_normal": {SkewNormal, 3, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		// Azzalini: δ|u0| + √(1-δ²) u1 with δ = α/√(1+α²).
		u0, u1 := math.Abs(r.NormFloat64()), r.NormFloat64()
		h := t.Sqrt(t.Add(ad.Const(1), t.Square(p[2])))
		s := t.Div(t.Add(t.Mul(p[2], ad.Const(u0)), ad.Const(u1)), h)
		return t.Add(p[0], t.Mul(p[1], s))
	}},
	"exp_mod_normal": {ExpModNormal, 3, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return t.Add(affine(t, p[0], p[1], r.NormFloat64()), t.Div(ad.Const(r.ExpFloat64()), p[2]))
	}},
	"gamma": {Gamma, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return t.Div(stdGamma(t, r, p[0]), p[1])
	}},
	"inv_gamma": {InvGamma, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return t.Div(p[1], stdGamma(t, r, p[0]))
	}},
	"chi_square": {ChiSquare, 1, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return t.Mul(ad.Const(2), stdGamma(t, r, t.Mul(p[0], ad.Const(0.5))))
	}},
	"inv_chi_square": {InvChiSquare, 1, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return t.Div(ad.Const(0.5), stdGamma(t, r, t.Mul(p[0], ad.Const(0.5))))
	}},
	"scaled_inv_chi_square": {ScaledInvChiSquare, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		g := stdGamma(t, r, t.Mul(p[0], ad.Const(0.5)))
		return t.Div(t.Mul(t.Mul(p[0], ad.Const(0.5)), t.Square(p[1])), g)
	}},
	"student_t": {StudentT, 3, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		// ε / √(χ²_ν / ν), χ²_ν = 2 Gamma(ν/2).
		g := stdGamma(t, r, t.Mul(p[0], ad.Const(0.5)))
		s := t.Mul(ad.Const(r.NormFloat64()), t.Sqrt(t.Div(p[0], t.Mul(ad.Const(2), g))))
		return t.Add(p[1], t.Mul(p[2], s))
	}},
	"beta": {Beta, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		return betaDraw(t, r, p[0], p[1])
	}},
	"beta_proportion": {BetaProportion, 2, func(t *ad.Tape, r *rand.Rand, p []ad.Var) ad.Var {
		a := t.Mul(p[0], p[1])
		return betaDraw(t, r, a, t.Sub(p[1], a))
	}},
}

// betaDraw is Ga/(Ga+Gb) for independent standard gamma draws.
func betaDraw(t *ad.Tape, r *rand.Rand, a, b ad.Var) ad.Var {
	ga, gb := stdGamma(t, r, a), stdGamma(t, r, b)
	return t.Div(ga, t.Add(ga, gb))
}

// stdGamma draws z ~ Gamma(α, 1) with the implicit derivative
// dz/dα = -(∂F/∂α)(α, z) / f(z; α), F the regularised lower incomplete
// gamma function and f the density.
func stdGamma(t *ad.Tape, r *rand.Rand, alpha ad.Var) ad.Var {
	a := alpha.Val
	z := distuv.Gamma{Alpha: a, Beta: 1, Src: r}.Rand()
	if z < math.SmallestNonzeroFloat64 {
		z = math.SmallestNonzeroFloat64
	}
	if alpha.IsConst() {
		return ad.Const(z)
	}
	logf := (a-1)*math.Log(z) - z - mathx.Lgamma(a)
	return t.Unary(z, alpha, -mathx.GammaPDerivA(a, z)/math.Exp(logf))
}

// Reparam returns the reparameterised sampler of a family, by Stan's name.
func Reparam(family string) (ReparamFunc, bool) {
	rp, ok := reparams[family]
	if !ok {
		return nil, false
	}
	fn := family + "_rng"
	return func(t *ad.Tape, r *rand.Rand, p []ad.Var) (ad.Var, error) {
		if len(p) != rp.n {
			return ad.Var{}, fmt.Errorf("%s takes %d parameters, got %d", fn, rp.n, len(p))
		}
		var vals [3]float64
		for i, v := range p {
			vals[i] = v.Val
		}
		if rp.u != nil {
			if err := rp.u.checkParams(fn, vals[:rp.n]); err != nil {
				return ad.Var{}, err
			}
		} else if err := checkNormalParams(fn, vals[0], vals[1]); err != nil {
			return ad.Var{}, err
		}
		return rp.f(t, r, p), nil
	}, true
}

func checkNormalParams(fn string, mu, sigma float64) error {
	if !isFinite(mu) {
		return &DomainError{fn, argNames[argLocation], 0, mu, ruleFinite}
	}
	if !isPositiveFinite(sigma) {
		return &DomainError{fn, argNames[argScale], 0, sigma, rulePosFinite}
	}
	return nil
}

// ReparamFamilies lists the families Reparam knows, sorted.
func ReparamFamilies() []string {
	var out []string
	for k := range reparams {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Support is where a family's draws lie, for matching a guide's family
// with the declared support of the parameter it draws: every element in
// [Lo, Hi], or, when Type is set, values of that constrained Stan type
// (a simplex, a covariance or correlation matrix or its Cholesky
// factor). Varies marks families whose interval depends on their
// parameters (uniform, pareto), which only a draw can check.
type Support struct {
	Lo, Hi float64
	Type   string
	Varies bool
}

// drawSupports are the supports of the families with reparameterised
// draws (Reparam and the multivariate *Reparam functions) whose draws are
// not anywhere on the real line.
var drawSupports = map[string]Support{
	"lognormal":             positiveLine,
	"exponential":           positiveLine,
	"weibull":               positiveLine,
	"frechet":               positiveLine,
	"rayleigh":              positiveLine,
	"gamma":                 positiveLine,
	"inv_gamma":             positiveLine,
	"chi_square":            positiveLine,
	"inv_chi_square":        positiveLine,
	"scaled_inv_chi_square": positiveLine,
	"beta":                  {Lo: 0, Hi: 1},
	"beta_proportion":       {Lo: 0, Hi: 1},
	"uniform":               {Varies: true},
	"pareto":                {Varies: true},
	"pareto_type_2":         {Varies: true},
	"dirichlet":             {Lo: 0, Hi: 1, Type: "simplex"},
	"wishart":               {Lo: math.Inf(-1), Hi: math.Inf(1), Type: "cov_matrix"},
	"inv_wishart":           {Lo: math.Inf(-1), Hi: math.Inf(1), Type: "cov_matrix"},
	"wishart_cholesky":      {Lo: math.Inf(-1), Hi: math.Inf(1), Type: "cholesky_factor_cov"},
	"inv_wishart_cholesky":  {Lo: math.Inf(-1), Hi: math.Inf(1), Type: "cholesky_factor_cov"},
	"lkj_corr":              {Lo: -1, Hi: 1, Type: "corr_matrix"},
	"lkj_corr_cholesky":     {Lo: -1, Hi: 1, Type: "cholesky_factor_corr"},
}

var positiveLine = Support{Lo: 0, Hi: math.Inf(1)}

// DrawSupport is the support of a family's draws: the real line unless
// drawSupports says otherwise.
func DrawSupport(family string) Support {
	if s, ok := drawSupports[family]; ok {
		return s
	}
	return Support{Lo: math.Inf(-1), Hi: math.Inf(1)}
}
