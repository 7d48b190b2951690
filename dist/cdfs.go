package dist

import (
	"fmt"
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// cdf returns a distribution's CDF at one element and its partials with
// respect to the variate and each parameter.
type cdf func(x [4]float64) (f float64, d [4]float64)

// cdfs are the CDFs of the continuous families, from Stan's functions
// reference; the incomplete gamma and beta derivatives come from mathx.
var cdfs = map[*Univariate]cdf{
	Loglogistic: loglogisticCDF,
	StdNormal: func(x [4]float64) (float64, [4]float64) {
		return mathx.Phi(x[0]), [4]float64{math.Exp(-0.5*x[0]*x[0]) / math.Sqrt(2*math.Pi)}
	},
	Cauchy: func(x [4]float64) (float64, [4]float64) {
		y, mu, s := x[0], x[1], x[2]
		z := (y - mu) / s
		dy := 1 / (math.Pi * s * (1 + z*z))
		return 0.5 + math.Atan(z)/math.Pi, [4]float64{dy, -dy, -z * dy}
	},
	DoubleExponential: func(x [4]float64) (float64, [4]float64) {
		y, mu, s := x[0], x[1], x[2]
		z := (y - mu) / s
		dy := 0.5 * math.Exp(-math.Abs(z)) / s
		f := 0.5 * math.Exp(z)
		if z >= 0 {
			f = 1 - 0.5*math.Exp(-z)
		}
		return f, [4]float64{dy, -dy, -z * dy}
	},
	Logistic: func(x [4]float64) (float64, [4]float64) {
		y, mu, s := x[0], x[1], x[2]
		z := (y - mu) / s
		f := mathx.InvLogit(z)
		dy := f * (1 - f) / s
		return f, [4]float64{dy, -dy, -z * dy}
	},
	Gumbel: func(x [4]float64) (float64, [4]float64) {
		y, mu, b := x[0], x[1], x[2]
		z := (y - mu) / b
		f := math.Exp(-math.Exp(-z))
		dy := f * math.Exp(-z) / b
		return f, [4]float64{dy, -dy, -z * dy}
	},
	Lognormal: func(x [4]float64) (float64, [4]float64) {
		y, mu, s := x[0], x[1], x[2]
		if y <= 0 {
			return 0, [4]float64{}
		}
		z := (math.Log(y) - mu) / s
		phi := math.Exp(-0.5*z*z) / math.Sqrt(2*math.Pi)
		return mathx.Phi(z), [4]float64{phi / (y * s), -phi / s, -phi * z / s}
	},
	Exponential: func(x [4]float64) (float64, [4]float64) {
		y, b := x[0], x[1]
		e := math.Exp(-b * y)
		return -math.Expm1(-b * y), [4]float64{b * e, y * e}
	},
	Weibull: func(x [4]float64) (float64, [4]float64) {
		y, a, s := x[0], x[1], x[2]
		if y <= 0 {
			return 0, [4]float64{}
		}
		r := math.Pow(y/s, a)
		e := math.Exp(-r)
		return -math.Expm1(-r), [4]float64{e * a * r / y, e * r * math.Log(y/s), -e * a * r / s}
	},
	Frechet: func(x [4]float64) (float64, [4]float64) {
		y, a, s := x[0], x[1], x[2]
		r := math.Pow(y/s, -a)
		f := math.Exp(-r)
		return f, [4]float64{f * a * r / y, f * r * math.Log(y/s), -f * a * r / s}
	},
	Rayleigh: func(x [4]float64) (float64, [4]float64) {
		y, s := x[0], x[1]
		q := y * y / (2 * s * s)
		e := math.Exp(-q)
		return -math.Expm1(-q), [4]float64{e * y / (s * s), -e * 2 * q / s}
	},
	Pareto: func(x [4]float64) (float64, [4]float64) {
		y, ym, a := x[0], x[1], x[2]
		if y < ym {
			return 0, [4]float64{}
		}
		r := math.Pow(ym/y, a)
		return 1 - r, [4]float64{a * r / y, -a * r / ym, -r * math.Log(ym/y)}
	},
	ParetoType2: func(x [4]float64) (float64, [4]float64) {
		y, mu, l, a := x[0], x[1], x[2], x[3]
		if y < mu {
			return 0, [4]float64{}
		}
		q := 1 + (y-mu)/l
		r := math.Pow(q, -a)
		dy := a * r / (l * q)
		return 1 - r, [4]float64{dy, -dy, -dy * (y - mu) / l, r * math.Log(q)}
	},
	Uniform: func(x [4]float64) (float64, [4]float64) {
		y, a, b := x[0], x[1], x[2]
		switch {
		case y < a:
			return 0, [4]float64{}
		case y >= b:
			return 1, [4]float64{}
		}
		w := b - a
		return (y - a) / w, [4]float64{1 / w, (y - b) / (w * w), -(y - a) / (w * w)}
	},
	Gamma: func(x [4]float64) (float64, [4]float64) {
		y, a, b := x[0], x[1], x[2]
		if y <= 0 {
			return 0, [4]float64{}
		}
		u := b * y
		dens := mathx.GammaPDerivX(a, u) // d P(a, u) / du
		return mathx.GammaP(a, u), [4]float64{b * dens, mathx.GammaPDerivA(a, u), y * dens}
	},
	InvGamma: func(x [4]float64) (float64, [4]float64) {
		y, a, b := x[0], x[1], x[2]
		if y <= 0 {
			return 0, [4]float64{}
		}
		u := b / y
		dens := mathx.GammaPDerivX(a, u) // F = Q(a, u), dF/du = -dens
		return mathx.GammaQ(a, u), [4]float64{dens * b / (y * y), mathx.GammaQDerivA(a, u), -dens / y}
	},
	ChiSquare: func(x [4]float64) (float64, [4]float64) {
		y, nu := x[0], x[1]
		if y <= 0 {
			return 0, [4]float64{}
		}
		dens := mathx.GammaPDerivX(nu/2, y/2)
		return mathx.GammaP(nu/2, y/2), [4]float64{dens / 2, mathx.GammaPDerivA(nu/2, y/2) / 2}
	},
	InvChiSquare: func(x [4]float64) (float64, [4]float64) {
		y, nu := x[0], x[1]
		if y <= 0 {
			return 0, [4]float64{}
		}
		u := 0.5 / y
		dens := mathx.GammaPDerivX(nu/2, u)
		return mathx.GammaQ(nu/2, u), [4]float64{dens * 0.5 / (y * y), mathx.GammaQDerivA(nu/2, u) / 2}
	},
	ScaledInvChiSquare: func(x [4]float64) (float64, [4]float64) {
		y, nu, s := x[0], x[1], x[2]
		if y <= 0 {
			return 0, [4]float64{}
		}
		h := nu / 2
		u := h * s * s / y
		dens := mathx.GammaPDerivX(h, u)
		// F = Q(h, u(ν, s, y)).
		return mathx.GammaQ(h, u), [4]float64{dens * u / y, mathx.GammaQDerivA(h, u)/2 - dens*s*s/(2*y), -dens * 2 * u / s}
	},
	Beta: func(x [4]float64) (float64, [4]float64) {
		y, a, b := x[0], x[1], x[2]
		da, db := mathx.IncBetaDerivs(a, b, y)
		return mathx.IncBeta(a, b, y), [4]float64{mathx.IncBetaDerivX(a, b, y), da, db}
	},
	BetaProportion: func(x [4]float64) (float64, [4]float64) {
		y, mu, k := x[0], x[1], x[2]
		a, b := mu*k, (1-mu)*k
		da, db := mathx.IncBetaDerivs(a, b, y)
		return mathx.IncBeta(a, b, y), [4]float64{mathx.IncBetaDerivX(a, b, y), k * (da - db), mu*da + (1-mu)*db}
	},
	StudentT: func(x [4]float64) (float64, [4]float64) {
		y, nu, mu, s := x[0], x[1], x[2], x[3]
		z := (y - mu) / s
		w := nu / (nu + z*z)
		half := 0.5 * mathx.IncBeta(nu/2, 0.5, w)
		da, _ := mathx.IncBetaDerivs(nu/2, 0.5, w)
		dw := mathx.IncBetaDerivX(nu/2, 0.5, w)
		// F = half for z ≤ 0, 1 - half for z > 0; w depends on ν and z.
		dwdnu := z * z / ((nu + z*z) * (nu + z*z))
		dwdz := -2 * nu * z / ((nu + z*z) * (nu + z*z))
		dhdnu := 0.5 * (da/2 + dw*dwdnu)
		dhdz := 0.5 * dw * dwdz
		sign, f := 1.0, half
		if z > 0 {
			sign, f = -1.0, 1-half
		}
		dz := sign * dhdz
		return f, [4]float64{dz / s, sign * dhdnu, -dz / s, -dz * z / s}
	},
	SkewNormal: func(x [4]float64) (float64, [4]float64) {
		y, xi, om, al := x[0], x[1], x[2], x[3]
		z := (y - xi) / om
		// F = Φ(z) - 2 T(z, α) (Owen's T).
		dh, da := mathx.OwensTDerivs(z, al)
		phi := math.Exp(-0.5*z*z) / math.Sqrt(2*math.Pi)
		dz := phi - 2*dh
		return mathx.Phi(z) - 2*mathx.OwensT(z, al), [4]float64{dz / om, -dz / om, -dz * z / om, -2 * da}
	},
	ExpModNormal: func(x [4]float64) (float64, [4]float64) {
		y, mu, s, l := x[0], x[1], x[2], x[3]
		// F = Φ(u) - exp(-λ(y-μ) + λ²σ²/2) Φ(u - λσ), u = (y-μ)/σ.
		u := (y - mu) / s
		v := u - l*s
		e := math.Exp(-l*(y-mu) + 0.5*l*l*s*s)
		pu, pv := mathx.Phi(u), mathx.Phi(v)
		phiU := math.Exp(-0.5*u*u) / math.Sqrt(2*math.Pi)
		phiV := math.Exp(-0.5*v*v) / math.Sqrt(2*math.Pi)
		g := e * pv
		// d/dy: φ(u)/σ - g(-λ) - e φ(v)/σ
		dy := phiU/s + l*g - e*phiV/s
		dmu := -dy
		ds := -phiU*u/s - (g*l*l*s + e*phiV*(-u/s-l))
		dl := -(g*(-(y-mu)+l*s*s) + e*phiV*(-s))
		return pu - g, [4]float64{dy, dmu, ds, dl}
	},
	VonMises:              vonMisesCDF,
	SkewDoubleExponential: skewDoubleExponentialCDF,
}

// tail is the shared driver of Lcdf, Lccdf and Cdf.
func (u *Univariate) tail(t *ad.Tape, fn string, upper, product bool, args ...[]ad.Var) (ad.Var, error) {
	c, ok := cdfs[u]
	if !ok {
		return ad.Var{}, fmt.Errorf("the CDFs of %s are not implemented", u.Name)
	}
	var a [4]arg
	var ap [4]*arg
	k := len(args)
	for i := range k {
		a[i] = newArg(u.names[i], args[i])
		ap[i] = &a[i]
	}
	n, err := size(fn, ap[:k]...)
	if err != nil {
		return ad.Var{}, err
	}
	for i := range k {
		if u.rules[i].text != "" {
			if err := check(fn, ap[i], u.rules[i].text, u.rules[i].ok); err != nil {
				return ad.Var{}, err
			}
		}
	}
	b := t.Begin()
	lp := 0.0
	var x [4]float64
	for j := range n {
		for i := range k {
			x[i] = a[i].val(j)
		}
		f, d := c(x)
		p, sign := f, 1.0
		if upper {
			p, sign = 1-f, -1.0
		}
		lp += math.Log(p)
		for i := range k {
			a[i].d(&b, j, sign*d[i]/p)
		}
	}
	for i := range k {
		a[i].flush(&b)
	}
	v := b.End(lp)
	if product {
		return t.Exp(v), nil
	}
	return v, nil
}

// tailNames are each family's CDF function names, made once so that a
// call allocates nothing: _lcdf, _lccdf, _cdf.
var tailNames = tailNamesOf(cdfs)

func tailNamesOf(cdfs map[*Univariate]cdf) map[*Univariate][3]string {
	names := make(map[*Univariate][3]string, len(cdfs))
	for u := range cdfs {
		b := u.base()
		names[u] = [3]string{b + "_lcdf", b + "_lccdf", b + "_cdf"}
	}
	return names
}

// Lcdf is Σ log F(y).
func (u *Univariate) Lcdf(t *ad.Tape, args ...[]ad.Var) (ad.Var, error) {
	return u.tail(t, tailNames[u][0], false, false, args...)
}

// Lccdf is Σ log(1 - F(y)).
func (u *Univariate) Lccdf(t *ad.Tape, args ...[]ad.Var) (ad.Var, error) {
	return u.tail(t, tailNames[u][1], true, false, args...)
}

// Cdf is Π F(y).
func (u *Univariate) Cdf(t *ad.Tape, args ...[]ad.Var) (ad.Var, error) {
	return u.tail(t, tailNames[u][2], false, true, args...)
}

// HasCDF reports whether the family's CDFs are implemented.
func (u *Univariate) HasCDF() bool { _, ok := cdfs[u]; return ok }

func (u *Univariate) base() string { return u.Name[:len(u.Name)-len("_lpdf")] }

// discreteCDF returns P(N ≤ n) and its partials in the real parameters.
type discreteCDF func(n [2]int, x [4]float64) (f float64, d [4]float64)

var discreteCDFs = map[*Discrete]discreteCDF{
	Bernoulli: func(n [2]int, x [4]float64) (float64, [4]float64) {
		if n[0] >= 1 {
			return 1, [4]float64{}
		}
		return 1 - x[0], [4]float64{-1}
	},
	Binomial: func(n [2]int, x [4]float64) (float64, [4]float64) {
		k, N, th := n[0], n[1], x[0]
		if k >= N {
			return 1, [4]float64{}
		}
		// P(K ≤ k) = I_{1-θ}(N-k, k+1).
		a, b := float64(N-k), float64(k+1)
		return mathx.IncBeta(a, b, 1-th), [4]float64{-mathx.IncBetaDerivX(a, b, 1-th)}
	},
	Poisson: func(n [2]int, x [4]float64) (float64, [4]float64) {
		a := float64(n[0] + 1)
		return mathx.GammaQ(a, x[0]), [4]float64{-mathx.GammaPDerivX(a, x[0])}
	},
	NegBinomial2: func(n [2]int, x [4]float64) (float64, [4]float64) {
		mu, phi := x[0], x[1]
		b := float64(n[0] + 1)
		p := phi / (mu + phi)
		dx := mathx.IncBetaDerivX(phi, b, p)
		da, _ := mathx.IncBetaDerivs(phi, b, p)
		s := (mu + phi) * (mu + phi)
		return mathx.IncBeta(phi, b, p), [4]float64{-dx * phi / s, da + dx*mu/s}
	},
	NegBinomial: func(n [2]int, x [4]float64) (float64, [4]float64) {
		alpha, beta := x[0], x[1]
		b := float64(n[0] + 1)
		p := beta / (1 + beta)
		dx := mathx.IncBetaDerivX(alpha, b, p)
		da, _ := mathx.IncBetaDerivs(alpha, b, p)
		return mathx.IncBeta(alpha, b, p), [4]float64{da, dx / ((1 + beta) * (1 + beta))}
	},
	BetaBinomial:    betaBinomialCDF,
	BetaNegBinomial: betaNegBinomialCDF,
	YuleSimon:       yuleSimonCDF,
}

// HasCDF reports whether the family's CDFs are implemented.
func (u *Discrete) HasCDF() bool { _, ok := discreteCDFs[u]; return ok }

// Lcdf is Σ log P(N ≤ n) of a discrete family.
func (u *Discrete) Lcdf(t *ad.Tape, ints [][]int, reals ...[]ad.Var) (ad.Var, error) {
	return u.tail(t, false, ints, reals)
}

// Lccdf is Σ log P(N > n).
func (u *Discrete) Lccdf(t *ad.Tape, ints [][]int, reals ...[]ad.Var) (ad.Var, error) {
	return u.tail(t, true, ints, reals)
}

func (u *Discrete) tail(t *ad.Tape, upper bool, ints [][]int, reals [][]ad.Var) (ad.Var, error) {
	fn := u.Name[:len(u.Name)-len("_lpmf")] + "_lcdf"
	if upper {
		fn = u.Name[:len(u.Name)-len("_lpmf")] + "_lccdf"
	}
	c, ok := discreteCDFs[u]
	if !ok {
		return ad.Var{}, fmt.Errorf("%s is not implemented", fn)
	}
	nr := len(reals)
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
	b := t.Begin()
	lp := 0.0
	var k [2]int
	var x [4]float64
	for j := range n {
		for i, v := range ints {
			k[i] = v[min(j, len(v)-1)]
		}
		for i := range nr {
			x[i] = a[i].val(j)
		}
		f, d := c(k, x)
		p, sign := f, 1.0
		if upper {
			p, sign = 1-f, -1.0
		}
		lp += math.Log(p)
		for i := range nr {
			a[i].d(&b, j, sign*d[i]/p)
		}
	}
	for i := range nr {
		a[i].flush(&b)
	}
	return b.End(lp), nil
}

// betaBinomialCDF sums the mass up to k.
func betaBinomialCDF(n [2]int, x [4]float64) (float64, [4]float64) {
	// Σ_{j ≤ k} of the mass, with the partials of each term.
	k, N, a, b := n[0], n[1], x[0], x[1]
	if k >= N {
		return 1, [4]float64{}
	}
	f := 0.0
	var d [4]float64
	for j := 0; j <= k; j++ {
		fj := float64(j)
		p := math.Exp(lchoose(N, j) + mathx.Lbeta(fj+a, float64(N-j)+b) - mathx.Lbeta(a, b))
		dN := mathx.Digamma(float64(N) + a + b)
		dab := mathx.Digamma(a + b)
		f += p
		d[0] += p * (mathx.Digamma(fj+a) - dN - mathx.Digamma(a) + dab)
		d[1] += p * (mathx.Digamma(float64(N-j)+b) - dN - mathx.Digamma(b) + dab)
	}
	return f, d
}

// vonMisesCDF integrates the density from -π by Gauss–Legendre
// quadrature (the density is smooth and periodic); its partials are the
// density at y (in y), the density's change at the ends (in mu) and the
// integral of d/dκ of the density (in kappa).
func vonMisesCDF(x [4]float64) (float64, [4]float64) {
	y, mu, k := x[0], x[1], x[2]
	y = math.Remainder(y, 2*math.Pi)
	logNorm := math.Log(2*math.Pi) + logBesselI0(k)
	pdf := func(t float64) float64 { return math.Exp(k*math.Cos(t-mu) - logNorm) }
	ratio := besselI1overI0(k)
	const pieces = 16
	f, dk := 0.0, 0.0
	h := (y + math.Pi) / pieces
	for p := range pieces {
		a := -math.Pi + float64(p)*h
		for i, node := range gaussNodes {
			t := a + h*(node+1)/2
			w := gaussWeights[i] * h / 2
			v := pdf(t)
			f += w * v
			dk += w * v * (math.Cos(t-mu) - ratio)
		}
	}
	return f, [4]float64{pdf(y), -(pdf(y) - pdf(-math.Pi)), dk}
}

// 10-point Gauss–Legendre nodes and weights on [-1, 1].
var gaussNodes = [...]float64{-0.9739065285171717, -0.8650633666889845, -0.6794095682990244, -0.4333953941292472,
	-0.1488743389816312, 0.1488743389816312, 0.4333953941292472, 0.6794095682990244, 0.8650633666889845, 0.9739065285171717}
var gaussWeights = [...]float64{0.0666713443086881, 0.1494513491505806, 0.2190863625159820, 0.2692667193099963,
	0.2955242247147529, 0.2955242247147529, 0.2692667193099963, 0.2190863625159820, 0.1494513491505806, 0.0666713443086881}
