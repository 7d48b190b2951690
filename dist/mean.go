package dist

import "math"

// eulerGamma is the Euler–Mascheroni constant, the mean of the standard
// Gumbel distribution.
const eulerGamma = 0.5772156649015329

// means are the families' means in the parameters (Stan's order, without
// the variate); NaN or ±Inf where the mean does not exist (a Student-t
// with ν ≤ 1, a Pareto with α ≤ 1). The formulas are the textbook ones
// (Stan's Functions Reference gives each family's parameterisation).
var means = map[*Univariate]func(p []float64) float64{
	StdNormal: func([]float64) float64 { return 0 },
	StudentT: func(p []float64) float64 {
		if p[0] <= 1 {
			return math.NaN()
		}
		return p[1]
	},
	Cauchy:            func([]float64) float64 { return math.NaN() },
	DoubleExponential: func(p []float64) float64 { return p[0] },
	Logistic:          func(p []float64) float64 { return p[0] },
	Gumbel:            func(p []float64) float64 { return p[0] + p[1]*eulerGamma },
	Lognormal:         func(p []float64) float64 { return math.Exp(p[0] + p[1]*p[1]/2) },
	ChiSquare:         func(p []float64) float64 { return p[0] },
	InvChiSquare:      func(p []float64) float64 { return above(p[0], 2, 1/(p[0]-2)) },
	ScaledInvChiSquare: func(p []float64) float64 {
		return above(p[0], 2, p[0]*p[1]*p[1]/(p[0]-2))
	},
	Exponential:    func(p []float64) float64 { return 1 / p[0] },
	Gamma:          func(p []float64) float64 { return p[0] / p[1] },
	InvGamma:       func(p []float64) float64 { return above(p[0], 1, p[1]/(p[0]-1)) },
	Weibull:        func(p []float64) float64 { return p[1] * math.Gamma(1+1/p[0]) },
	Frechet:        func(p []float64) float64 { return above(p[0], 1, p[1]*math.Gamma(1-1/p[0])) },
	Rayleigh:       func(p []float64) float64 { return p[0] * math.Sqrt(math.Pi/2) },
	Pareto:         func(p []float64) float64 { return above(p[1], 1, p[1]*p[0]/(p[1]-1)) },
	ParetoType2:    func(p []float64) float64 { return above(p[2], 1, p[0]+p[1]/(p[2]-1)) },
	Beta:           func(p []float64) float64 { return p[0] / (p[0] + p[1]) },
	BetaProportion: func(p []float64) float64 { return p[0] },
	VonMises:       func(p []float64) float64 { return p[0] },
	Uniform:        func(p []float64) float64 { return (p[0] + p[1]) / 2 },
	SkewNormal: func(p []float64) float64 {
		return p[0] + p[1]*p[2]/math.Sqrt(1+p[2]*p[2])*math.Sqrt(2/math.Pi)
	},
	ExpModNormal: func(p []float64) float64 { return p[0] + 1/p[2] },
	// The skewed Laplace puts mass τ left of μ at rate 2(1-τ)/σ and 1-τ
	// right of it at rate 2τ/σ.
	SkewDoubleExponential: func(p []float64) float64 {
		tau := p[2]
		return p[0] + p[1]*(1-2*tau)/(2*tau*(1-tau))
	},
	Loglogistic: func(p []float64) float64 {
		b := p[1]
		return above(b, 1, p[0]*(math.Pi/b)/math.Sin(math.Pi/b))
	},
}

// above is mean when the shape exceeds min, where the mean exists, and
// NaN otherwise.
func above(shape, min, mean float64) float64 {
	if shape <= min {
		return math.NaN()
	}
	return mean
}

// Mean is the family's mean at parameters p (without the variate). ok is
// false when the family has no mean here: no formula, invalid parameters,
// or a mean that does not exist.
func (u *Univariate) Mean(p ...float64) (mean float64, ok bool) {
	f, has := means[u]
	if !has || u.checkParams(u.base()+"_rng", p) != nil {
		return 0, false
	}
	m := f(p)
	return m, !math.IsNaN(m) && !math.IsInf(m, 0)
}
