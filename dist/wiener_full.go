package dist

import (
	"fmt"
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// The seven-parameter diffusion model (Henrich, Hartmann, Pratz, Voss and
// Klauer 2023, "The seven-parameter diffusion model: an implementation in
// Stan for Bayesian analyses", Behavior Research Methods): the
// 5-parameter model of wiener.go with the start point uniform on
// [β - s_β/2, β + s_β/2] and the non-decision time uniform on
// [τ, τ + s_τ] between trials,
//
//	p7(y) = ∫₀¹ ∫₀¹ p5(y - τ - s_τ u | α, δ, β + s_β (r - ½), s_δ) dr du,
//
// and the CDFs of the time to the upper boundary, unnormalised as Stan
// has them: they tend to the probability of reaching that boundary, not
// to 1, and the complementary one is that probability minus the CDF.
//
// The integrals are adaptive Gauss-Kronrod quadratures of the density
// and its partials together; the partials in τ, s_τ, β and s_β follow
// from the substitution above (∂/∂τ = -∫ ∂/∂t, ∂/∂s_τ = -∫ u ∂/∂t,
// ∂/∂s_β = ∫ (r - ½) ∂/∂β). The CDFs with drift variability are
// integrals of the 5-parameter density, by quadrature too.
// Everything is summed to a relative error near 1e-10, tighter than any
// precision Stan's precision argument asks, so that argument is checked
// and otherwise unused.

// WienerKind says which function of the 7-parameter model to compute.
type WienerKind int

const (
	WienerPDF  WienerKind = iota // the log density
	WienerCDF                    // the log CDF, unnormalised
	WienerCCDF                   // the log complementary CDF, unnormalised
)

var wienerNames = [...]string{"wiener_lpdf", "wiener_lcdf_unnorm", "wiener_lccdf_unnorm"}

// WienerFull is Stan's wiener(y | α, τ, β, δ, s_δ, s_β, s_τ) of the kind
// asked, vectorised: each argument is one value or one per element.
// precision (Stan's precision_derivatives) must be positive.
func WienerFull(t *ad.Tape, kind WienerKind, propto bool, y, alpha, tau, beta, delta, sv, sw, st0 []ad.Var, precision float64) (ad.Var, error) {
	fn := wienerNames[kind]
	xs := [8][]ad.Var{y, alpha, tau, beta, delta, sv, sw, st0}
	n, err := wienerSize(fn, xs[:])
	if err != nil || n == 0 {
		return ad.Const(0), err
	}
	if !(precision > 0) || math.IsInf(precision, 0) {
		return ad.Var{}, fmt.Errorf("%s: Precision is %v, but must be positive finite!", fn, precision)
	}
	at := func(i, j int) ad.Var { return xs[i][min(j, len(xs[i])-1)] }
	for j := range n {
		var p [8]float64
		for i := range p {
			p[i] = at(i, j).Val
		}
		if err := wienerCheck(fn, p, kind == WienerPDF); err != nil {
			return ad.Var{}, err
		}
	}
	vary := false
	for _, x := range xs {
		vary = vary || ad.AnyVar(x)
	}
	if propto && !vary {
		return ad.Const(0), nil
	}
	b := t.Begin()
	lp := 0.0
	for j := range n {
		var p [8]float64
		for i := range p {
			p[i] = at(i, j).Val
		}
		l, d := wiener7(kind, p)
		lp += l
		for i := range p {
			b.Add(at(i, j), d[i])
		}
	}
	return b.End(lp), nil
}

// wienerCheck checks one element's arguments (y, α, τ, β, δ, s_δ, s_β, s_τ).
func wienerCheck(fn string, p [8]float64, density bool) error {
	y, a, tau, w, v, sv, sw, st0 := p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case !(y > 0) || !finite(y):
		return fmt.Errorf("%s: Random variable is %v, but must be positive finite!", fn, y)
	case !(a > 0) || !finite(a):
		return fmt.Errorf("%s: Boundary separation is %v, but must be positive finite!", fn, a)
	case !(tau >= 0) || !finite(tau):
		return fmt.Errorf("%s: Nondecision time is %v, but must be nonnegative finite!", fn, tau)
	case !(w > 0 && w < 1):
		return fmt.Errorf("%s: A-priori bias is %v, but must be in the interval (0, 1)", fn, w)
	case !finite(v):
		return fmt.Errorf("%s: Drift rate is %v, but must be finite!", fn, v)
	case !(sv >= 0) || !finite(sv):
		return fmt.Errorf("%s: Inter-trial variability in drift rate is %v, but must be nonnegative finite!", fn, sv)
	case !(sw >= 0 && sw < 1):
		return fmt.Errorf("%s: Inter-trial variability in A-priori bias is %v, but must be in the interval [0, 1)", fn, sw)
	case !(w-sw/2 > 0 && w+sw/2 < 1):
		return fmt.Errorf("%s: A-priori bias ± its variability / 2 is [%v, %v], but must lie in (0, 1)", fn, w-sw/2, w+sw/2)
	case !(st0 >= 0) || !finite(st0):
		return fmt.Errorf("%s: Inter-trial variability in Nondecision time is %v, but must be nonnegative finite!", fn, st0)
	case density && !(y > tau):
		return fmt.Errorf("%s: Random variable = %v, but must be greater than nondecision time = %v", fn, y, tau)
	}
	return nil
}

// wienerTol is the relative error the quadratures aim at.
const wienerTol = 1e-10

// The components of the vectors the quadratures sum: the kernel f and its
// partials in t, α, δ, β and s_δ, then (r - ½) ∂f/∂β and u ∂f/∂t.
const (
	kF = iota
	kT
	kA
	kV
	kW
	kSv
	kSwW
	kSt0T
	kLen
)

type wvec [kLen]float64

// wiener7 returns the log of the kind's function of one element and its
// partials in (y, α, τ, β, δ, s_δ, s_β, s_τ).
func wiener7(kind WienerKind, p [8]float64) (float64, [8]float64) {
	y, a, tau, w, v, sv, sw, st0 := p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]
	// inner integrates the kernel over the start point at time tt.
	inner := func(tt float64) (wvec, wvec) {
		if sw == 0 {
			return wienerKernel(kind, tt, a, v, w, sv)
		}
		return adaptGK(0, 1, func(r float64) (wvec, wvec) {
			k, m := wienerKernel(kind, tt, a, v, w+sw*(r-0.5), sv)
			k[kSwW], m[kSwW] = (r-0.5)*k[kW], math.Abs(r-0.5)*m[kW]
			return k, m
		})
	}
	var I wvec
	if st0 == 0 {
		I, _ = inner(y - tau)
	} else {
		f := func(u float64) (wvec, wvec) {
			k, m := inner(y - tau - st0*u)
			k[kSt0T], m[kSt0T] = u*k[kT], u*m[kT]
			return k, m
		}
		// The kernel changes form where t = y - τ - s_τ u reaches 0.
		if umax := (y - tau) / st0; umax < 1 {
			if umax > 0 {
				I, _ = adaptGK(0, umax, f)
			}
			J, _ := adaptGK(max(umax, 0), 1, f)
			for i := range I {
				I[i] += J[i]
			}
		} else {
			I, _ = adaptGK(0, 1, f)
		}
	}
	var d [8]float64
	if !(I[kF] > 0) {
		return math.Inf(-1), d
	}
	inv := 1 / I[kF]
	d[0] = I[kT] * inv
	d[1] = I[kA] * inv
	d[2] = -I[kT] * inv
	d[3] = I[kW] * inv
	d[4] = I[kV] * inv
	d[5] = I[kSv] * inv
	d[6] = I[kSwW] * inv
	d[7] = -I[kSt0T] * inv
	return math.Log(I[kF]), d
}

// magnitude pairs a kernel's values with their absolute values.
func magnitude(k wvec) (wvec, wvec) {
	m := k
	for i := range m {
		m[i] = math.Abs(m[i])
	}
	return k, m
}

// wienerKernel returns the kind's function of the 5-parameter model at
// time tt after the non-decision time (0 before it, or for the
// complementary CDF the probability of reaching the upper boundary) and
// its partials in t, α, δ, β and s_δ, with their magnitudes (see adaptGK).
func wienerKernel(kind WienerKind, tt, a, v, w, sv float64) (wvec, wvec) {
	var k wvec
	if kind == WienerPDF {
		if tt <= 0 {
			return k, k
		}
		lp, d := wiener5(tt, a, v, w, sv)
		p := math.Exp(lp)
		if p == 0 { // underflow, where the partials may be infinite
			return k, k
		}
		k[kF], k[kT], k[kA], k[kV], k[kW], k[kSv] = p, p*d[0], p*d[1], p*d[2], p*d[3], p*d[4]
		return magnitude(k)
	}
	one := func(v float64) (f, ft, fa, fv, fw float64) {
		F, Q, dF, dQ := wienerUpperCDF(tt, a, v, w)
		if kind == WienerCCDF {
			return Q, dQ[0], dQ[1], dQ[2], dQ[3]
		}
		return F, dF[0], dF[1], dF[2], dF[3]
	}
	if sv == 0 {
		k[kF], k[kT], k[kA], k[kV], k[kW] = one(v)
		return magnitude(k)
	}
	// With drift variability the CDFs are integrals of the 5-parameter
	// density, closed in form: F(t) = ∫_0^t p5, P - F(t) = ∫_t^∞ p5 (and
	// so P = ∫_0^∞ p5), over s = t0 + u/(1-u) for the infinite range.
	// Their partials in t are ±p5(t), the others integrals of p5's.
	dens := func(s float64) wvec {
		var k wvec
		if s <= 0 {
			return k
		}
		lp, d := wiener5(s, a, v, w, sv)
		p := math.Exp(lp)
		if p == 0 {
			return k
		}
		k[kF], k[kA], k[kV], k[kW], k[kSv] = p, p*d[1], p*d[2], p*d[3], p*d[4]
		return k
	}
	var m wvec
	if kind == WienerCDF {
		if tt <= 0 {
			return k, k
		}
		k, m = adaptGK(0, tt, func(s float64) (wvec, wvec) { return magnitude(dens(s)) })
		k[kT] = dens(tt)[kF]
		m[kT] = k[kT]
		return k, m
	}
	t0 := max(tt, 0)
	k, m = adaptGK(0, 1, func(u float64) (wvec, wvec) {
		g := dens(t0 + u/(1-u))
		for i := range g {
			g[i] /= (1 - u) * (1 - u)
		}
		return magnitude(g)
	})
	k[kT] = -dens(tt)[kF]
	m[kT] = -k[kT]
	return k, m
}

// wienerUpperCDF returns the CDF F of the time at which the 4-parameter
// process (boundary a, drift v, start beta) reaches the upper boundary,
// unnormalised, and Q = P - F with P the probability that it does, each
// with its partials in (t, a, v, beta). It is the lower boundary's with
// the drift and start reflected.
func wienerUpperCDF(t, a, v, beta float64) (F, Q float64, dF, dQ [4]float64) {
	F, Q, dF, dQ = wienerLowerCDF(t, a, -v, 1-beta)
	dF[2], dF[3] = -dF[2], -dF[3]
	dQ[2], dQ[3] = -dQ[2], -dQ[3]
	return F, Q, dF, dQ
}

// wienerLowerCDF is the lower boundary's F and Q (Blurton, Kesselmeier
// and Gondan 2012, "Fast and accurate calculations for cumulative
// first-passage time distributions in Wiener diffusion models", J. Math.
// Psych.), with z = w a the start:
//
//   - small times (t < a²): F = e^{-vz} Σ_k sgn(r_k) h(|r_k|, |v|, t),
//     r_k = (w + 2k) a, h(r, μ, t) = e^{-μr} Φ((μt - r)/√t) + e^{μr} Φ(-(μt + r)/√t)
//     the CDF of a drifting Brownian motion's passage through r, so
//     undrifted by e^{μ²t/2};
//   - large times: Q = π/a² e^{-vz} Σ_{k≥1} k sin(kπw) e^{-λ_k t}/λ_k,
//     λ_k = v²/2 + k²π²/(2a²), the density's large-time series integrated
//     from t to ∞.
func wienerLowerCDF(t, a, v, w float64) (F, Q float64, dF, dQ [4]float64) {
	P, dP := wienerLowerProb(a, v, w)
	if t <= 0 {
		return 0, P, dF, dP
	}
	if t < a*a {
		F, dF = wienerLowerSmall(t, a, v, w)
		Q = P - F
		for i := range dQ {
			dQ[i] = dP[i] - dF[i]
		}
		return F, Q, dF, dQ
	}
	Q, dQ = wienerLowerLarge(t, a, v, w)
	F = P - Q
	for i := range dF {
		dF[i] = dP[i] - dQ[i]
	}
	return F, Q, dF, dQ
}

// wienerLowerProb returns the probability that the process reaches the
// lower boundary first, 1 - (1 - e^{-xw})/(1 - e^{-x}) with x = 2va, and
// its partials in (t, a, v, w) (none in t).
func wienerLowerProb(a, v, w float64) (float64, [4]float64) {
	x := 2 * v * a
	var up, dx, dw float64 // the upper boundary's probability and partials
	if math.Abs(x) < 1e-6 {
		// Its Taylor series: w + x w(1-w)/2 + x² w(2w-1)(w-1)/12 + ...
		up = w + x*w*(1-w)/2 + x*x*w*(2*w-1)*(w-1)/12
		dx = w*(1-w)/2 + x*w*(2*w-1)*(w-1)/6
		dw = 1 + x*(1-2*w)/2 + x*x*(6*w*w-6*w+1)/12
	} else {
		den := math.Expm1(-x)
		num := math.Expm1(-x * w)
		up = num / den
		dx = (-w*math.Exp(-x*w)*den + math.Exp(-x)*num) / (den * den)
		dw = -x * math.Exp(-x*w) / den
	}
	return 1 - up, [4]float64{0, -2 * v * dx, -2 * a * dx, -dw}
}

// wienerLowerSmall sums the small-time series of the lower CDF.
func wienerLowerSmall(t, a, v, w float64) (F float64, d [4]float64) {
	mu, sgnV := math.Abs(v), 1.0
	if v < 0 {
		sgnV = -1
	}
	st := math.Sqrt(t)
	// h and its partials in r and μ (its partial in t is the density).
	h := func(r float64) (h, hr, hmu, ht float64) {
		A := math.Exp(-mu*r + mathx.LogPhi((mu*t-r)/st))
		B := math.Exp(mu*r + mathx.LogPhi(-(mu*t+r)/st))
		phi0 := math.Exp(-mu*mu*t/2-r*r/(2*t)) / math.Sqrt(2*math.Pi)
		return A + B, -mu*(A-B) - 2*phi0/st, -r * (A - B), r * phi0 / (t * st)
	}
	var s, sa, sw, smu, stt float64
	// term adds the series' term at z = w + 2k and reports whether it
	// no longer matters.
	term := func(z float64) bool {
		sg := 1.0
		if z < 0 {
			sg = -1
		}
		r := math.Abs(z) * a
		hv, hr, hm, ht := h(r)
		s += sg * hv
		sa += sg * hr * math.Abs(z)
		sw += hr * a
		smu += sg * hm
		stt += sg * ht
		return hv <= 1e-18*math.Abs(s) && math.Abs(hr) <= 1e-18*math.Abs(sw)
	}
	term(w)
	for k := 1; k <= 200; k++ {
		up := term(w + 2*float64(k))
		down := term(w - 2*float64(k))
		if up && down {
			break
		}
	}
	e := math.Exp(-v * w * a)
	F = e * s
	d[0] = e * stt
	d[1] = -v*w*F + e*sa
	d[2] = -w*a*F + e*smu*sgnV
	d[3] = -v*a*F + e*sw
	return F, d
}

// wienerLowerLarge sums the large-time series of Q.
func wienerLowerLarge(t, a, v, w float64) (Q float64, d [4]float64) {
	var s, sa, sv, sw, st float64
	for k := 1; k < 1000; k++ {
		kp := float64(k) * math.Pi
		lam := v*v/2 + kp*kp/(2*a*a)
		e := math.Exp(-v*w*a - lam*t)
		sin, cos := math.Sincos(kp * w)
		T := float64(k) * sin * e / lam
		dlam := -T * (t + 1/lam) // ∂T/∂λ
		s += T
		sa += dlam * (-kp * kp / (a * a * a))
		sv += dlam * v
		sw += float64(k) * kp * cos * e / lam
		st += -lam * T
		if float64(k)*e/lam <= 1e-18*math.Abs(s) {
			break
		}
	}
	c := math.Pi / (a * a)
	Q = c * s
	d[0] = c * st
	d[1] = Q*(-2/a-v*w) + c*sa
	d[2] = Q*(-w*a) + c*sv
	d[3] = Q*(-v*a) + c*sw
	return Q, d
}

// adaptGK integrates f over [lo, hi] by adaptive bisection with the
// 7-point Gauss and 15-point Kronrod rules (Piessens et al., QUADPACK,
// 1983), each component to wienerTol relative to the integral of its
// magnitude over the whole interval, shared among the pieces by length
// (so that no piece chases relative precision where the integrand is
// negligible). f returns a value and its magnitude: its absolute value,
// or for an integral the integral of its integrand's magnitude, so that
// an outer quadrature does not chase the rounding of an inner one (a
// component that cancels, such as ∫ (r - ½) ∂f/∂β dr, is known only to
// the inner tolerance of the magnitude).
func adaptGK(lo, hi float64, f func(float64) (wvec, wvec)) (wvec, wvec) {
	return adaptGKPieces([]float64{lo, hi}, f)
}

// adaptGKPieces is adaptGK over the pieces between consecutive points,
// which share one budget.
func adaptGKPieces(points []float64, f func(float64) (wvec, wvec)) (wvec, wvec) {
	n := len(points) - 1
	kr, g, abs := make([]wvec, n), make([]wvec, n), make([]wvec, n)
	var total wvec
	for p := range n {
		kr[p], g[p], abs[p] = gk15(points[p], points[p+1], f)
		for i := range total {
			total[i] += abs[p][i]
		}
	}
	var sum, sumAbs wvec
	for p := range n {
		var budget wvec
		for i := range budget {
			// (The floor keeps subnormal tails from being bisected forever.)
			budget[i] = wienerTol*total[i]*(points[p+1]-points[p])/(points[n]-points[0]) + 1e-280
		}
		k, a := gkRec(points[p], points[p+1], f, kr[p], g[p], abs[p], budget, 0)
		for i := range sum {
			sum[i] += k[i]
			sumAbs[i] += a[i]
		}
	}
	return sum, sumAbs
}

// gkRec returns the integral over [lo, hi] whose rules gave kr and g,
// bisecting until the errors fit in budget.
func gkRec(lo, hi float64, f func(float64) (wvec, wvec), kr, g, abs, budget wvec, depth int) (wvec, wvec) {
	conv := true
	for i := range kr {
		conv = conv && math.Abs(kr[i]-g[i]) <= budget[i] || math.IsNaN(kr[i])
	}
	c := (lo + hi) / 2
	if conv || depth >= 30 || hi-lo < 1e-14*math.Max(1, math.Abs(c)) {
		return kr, abs
	}
	for i := range budget {
		budget[i] /= 2
	}
	k1, g1, a1 := gk15(lo, c, f)
	k2, g2, a2 := gk15(c, hi, f)
	l, la := gkRec(lo, c, f, k1, g1, a1, budget, depth+1)
	r, ra := gkRec(c, hi, f, k2, g2, a2, budget, depth+1)
	for i := range l {
		l[i] += r[i]
		la[i] += ra[i]
	}
	return l, la
}

// gk15 applies the Kronrod and Gauss rules to [lo, hi], with the Kronrod
// rule's integral of the magnitude.
func gk15(lo, hi float64, f func(float64) (wvec, wvec)) (kr, g, abs wvec) {
	c, h := (lo+hi)/2, (hi-lo)/2
	fc, mc := f(c)
	for i := range kr {
		kr[i] = gkWK[7] * fc[i]
		g[i] = gkWG[3] * fc[i]
		abs[i] = gkWK[7] * mc[i]
	}
	for j := range 7 {
		f1, m1 := f(c - h*gkX[j])
		f2, m2 := f(c + h*gkX[j])
		for i := range kr {
			kr[i] += gkWK[j] * (f1[i] + f2[i])
			abs[i] += gkWK[j] * (m1[i] + m2[i])
			if j%2 == 1 {
				g[i] += gkWG[j/2] * (f1[i] + f2[i])
			}
		}
	}
	for i := range kr {
		kr[i] *= h
		g[i] *= h
		abs[i] *= h
	}
	return kr, g, abs
}

// gkX are the Kronrod nodes on (0, 1) (the odd ones the Gauss nodes), gkWK
// their Kronrod weights with the centre's last, gkWG the Gauss weights of
// the odd nodes with the centre's last.
var (
	gkX = [7]float64{0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
		0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
		0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
		0.207784955007898467600689403773245}
	gkWK = [8]float64{0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
		0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
		0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
		0.204432940075298892414161999234649, 0.209482141084727828012999174891714}
	gkWG = [4]float64{0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
		0.381830050505118944950369775488975, 0.417959183673469387755102040816327}
)
