package dist

import (
	"fmt"
	"math"

	"github.com/gostan/gostan/ad"
)

// wiener(y | α, τ, β, δ) is the density of the time y at which a Wiener
// process with drift δ, started at β α between boundaries 0 and α, first
// hits the upper boundary, after a non-decision time τ (Stan's 4-parameter
// Wiener first passage time distribution). With t = y - τ, it is the lower
// boundary's density (Navarro and Fuss, Fast and accurate calculations for
// first-passage times in Wiener diffusion models, 2009) with the drift and
// start reflected:
//
//	p(y) = exp(δ α (1 - β) - δ² t / 2) / α² · F(t / α², 1 - β),
//
// F(u, w) the density of the standard process (no drift, boundary 1),
// summed here to rounding from whichever of its two series converges
// faster: Stan truncates them at an error of 1e-6.

// WienerLpdf is wiener(y | α, τ, β, δ), vectorised: each argument is one
// value or one per element.
func WienerLpdf(t *ad.Tape, propto bool, y, alpha, tau, beta, delta []ad.Var) (ad.Var, error) {
	xs := [5][]ad.Var{y, alpha, tau, beta, delta}
	return wienerLpdf(t, propto, xs[:])
}

// WienerSvLpdf is Stan's 5-parameter wiener(y | α, τ, β, δ, s_δ): the
// drift varies between trials as normal(δ, s_δ). Integrating
// e^(δ α w - δ² t/2) over it (a Gaussian integral) replaces that factor by
//
//	(1 + s² t)^(-1/2) exp((s² α² w² + 2 α δ w - δ² t) / (2 (1 + s² t))),
//
// with w = 1 - β, which is the 4-parameter form at s = 0.
func WienerSvLpdf(t *ad.Tape, propto bool, y, alpha, tau, beta, delta, sv []ad.Var) (ad.Var, error) {
	xs := [6][]ad.Var{y, alpha, tau, beta, delta, sv}
	return wienerLpdf(t, propto, xs[:])
}

// wienerSize is the number of elements of the Wiener arguments xs, each
// one value or one per element; 0 when one of them is empty.
func wienerSize(fn string, xs [][]ad.Var) (int, error) {
	n := 0
	for _, x := range xs {
		n = max(n, len(x))
	}
	for i, x := range xs {
		if len(x) != 1 && len(x) != n {
			return 0, fmt.Errorf("%s: the sizes of the arguments must match: argument %d has size %d, another %d", fn, i+1, len(x), n)
		}
		if len(x) == 0 {
			return 0, nil
		}
	}
	return n, nil
}

// wienerLpdf is the 4-parameter density of xs, or the 5-parameter one
// when xs holds s_δ too.
func wienerLpdf(t *ad.Tape, propto bool, xs [][]ad.Var) (ad.Var, error) {
	const fn = "wiener_lpdf"
	n, err := wienerSize(fn, xs)
	if err != nil || n == 0 {
		return ad.Const(0), err
	}
	at := func(i, j int) ad.Var { return xs[i][min(j, len(xs[i])-1)] }
	withSv := len(xs) == 6
	vary := false
	for _, x := range xs {
		vary = vary || ad.AnyVar(x)
	}
	for j := range n {
		y, al, tau, be, de := at(0, j).Val, at(1, j).Val, at(2, j).Val, at(3, j).Val, at(4, j).Val
		switch {
		case !(y > 0) || math.IsInf(y, 0):
			return ad.Var{}, fmt.Errorf("%s: Random variable is %v, but must be positive finite!", fn, y)
		case !(al > 0) || math.IsInf(al, 0):
			return ad.Var{}, fmt.Errorf("%s: Boundary separation is %v, but must be positive finite!", fn, al)
		case !(tau >= 0) || math.IsInf(tau, 0):
			return ad.Var{}, fmt.Errorf("%s: Nondecision time is %v, but must be nonnegative finite!", fn, tau)
		case !(be > 0 && be < 1):
			return ad.Var{}, fmt.Errorf("%s: A-priori bias is %v, but must be in the interval (0, 1)", fn, be)
		case math.IsNaN(de) || math.IsInf(de, 0):
			return ad.Var{}, fmt.Errorf("%s: Drift rate is %v, but must be finite!", fn, de)
		case !(y > tau):
			return ad.Var{}, fmt.Errorf("%s: Random variable = %v, but must be greater than nondecision time = %v", fn, y, tau)
		}
		if sv := 0.0; withSv {
			if sv = at(5, j).Val; !(sv >= 0) || math.IsInf(sv, 0) {
				return ad.Var{}, fmt.Errorf("%s: Inter-trial variability in drift rate is %v, but must be nonnegative finite!", fn, sv)
			}
		}
	}
	if propto && !vary {
		return ad.Const(0), nil
	}
	b := t.Begin()
	lp := 0.0
	for j := range n {
		y, al, tau, be, de := at(0, j), at(1, j), at(2, j), at(3, j), at(4, j)
		sv := ad.Var{}
		if withSv {
			sv = at(5, j)
		}
		l, d := wiener5(y.Val-tau.Val, al.Val, de.Val, be.Val, sv.Val)
		lp += l
		b.Add(y, d[0])
		b.Add(tau, -d[0])
		b.Add(al, d[1])
		b.Add(de, d[2])
		b.Add(be, d[3])
		b.Add(sv, d[4])
	}
	return b.End(lp), nil
}

// wiener5 returns the log of the 5-parameter density at time tt after the
// non-decision time, with boundary a, drift v, start beta and drift
// variability sv, and its partials in (tt, a, v, beta, sv). With w = 1 - β
// the drift's factor is g = -log(D)/2 + N/(2D), D = 1 + s²t,
// N = s²α²w² + 2αδw - δ²t, which at s = 0 is the 4-parameter αδw - δ²t/2.
func wiener5(tt, a, v, beta, sv float64) (lp float64, d [5]float64) {
	w := 1 - beta
	u := tt / (a * a)
	logF, dLogFdu, dLogFdw := wienerStd(u, w)
	s2 := sv * sv
	D := 1 + s2*tt
	N := s2*a*a*w*w + 2*a*v*w - v*v*tt
	lp = -2*math.Log(a) + logF - 0.5*math.Log(D) + N/(2*D)
	d[0] = dLogFdu/(a*a) - s2/(2*D) - v*v/(2*D) - N*s2/(2*D*D)
	d[1] = -2/a - dLogFdu*2*tt/(a*a*a) + (s2*a*w*w+v*w)/D
	d[2] = (a*w - v*tt) / D
	d[3] = -(dLogFdw + (s2*a*a*w+a*v)/D)
	d[4] = sv * (-tt/D + a*a*w*w/D - N*tt/(D*D))
	return lp, d
}

// wienerStd returns log F(u, w) and its partials in u and w, F the first
// passage time density at the lower boundary of a driftless Wiener process
// between 0 and 1 started at w.
func wienerStd(u, w float64) (logF, du, dw float64) {
	if u < 1 {
		// The small-time series: F = (2π u³)^(-1/2) Σ_k (w+2k) e^{-(w+2k)²/(2u)};
		// the terms are scaled by e^{w²/(2u)} to keep them representable.
		var s, su, sw float64
		for k := 0; ; k++ {
			done := true
			for side, kk := range [2]int{k, -k} {
				if k == 0 && side == 1 {
					continue
				}
				z := w + 2*float64(kk)
				e := math.Exp(-(z*z - w*w) / (2 * u))
				s += z * e
				su += z * e * z * z / (2 * u * u)
				sw += e * (1 - z*z/u)
				if math.Abs(z)*e > 1e-20*math.Abs(s) {
					done = false
				}
			}
			if done && k > 0 || k > 1000 {
				break
			}
		}
		logF = -0.5*math.Log(2*math.Pi) - 1.5*math.Log(u) - w*w/(2*u) + math.Log(s)
		return logF, -1.5/u + su/s, sw / s
	}
	// The large-time series: F = π Σ_{k≥1} k e^{-k²π²u/2} sin(kπw).
	var s, su, sw float64
	for k := 1; ; k++ {
		kp := float64(k) * math.Pi
		e := float64(k) * math.Exp(-kp*kp*u/2)
		s += e * math.Sin(kp*w)
		su += -e * kp * kp / 2 * math.Sin(kp*w)
		sw += e * kp * math.Cos(kp*w)
		if e <= 1e-20*math.Abs(s) || k > 1000 {
			break
		}
	}
	return math.Log(math.Pi) + math.Log(s), su / s, sw / s
}
