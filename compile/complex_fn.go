package compile

import (
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// The complex special functions (Stan Functions Reference, "Complex-valued
// basic functions": exponential and power functions, trigonometric and
// hyperbolic functions). Each is holomorphic off its branch cuts, so it is
// recorded as its value and its complex derivative (holomorphic1). The
// values are computed from real functions by the identities the reference
// states, arranged as in Kahan, "Branch cuts for complex elementary
// functions" (1987) so that the cuts and the signs of zero on them are
// C++'s std::complex (C99 Annex G): sqrt, log and the power cut along the
// negative real axis, asin, acos and atanh along the real axis outside
// [-1, 1], asinh and atan along the imaginary axis outside [-i, i], acosh
// along the real axis left of 1.

// holomorphic1 records f(z) = v for f holomorphic with derivative d (see
// holomorphic2).
func holomorphic1(t *ad.Tape, v complex128, z cplx, d complex128) cplx {
	b := t.Begin()
	b.Add(z.re, real(d))
	b.Add(z.im, -imag(d))
	re := b.End(real(v))
	b = t.Begin()
	b.Add(z.re, imag(d))
	b.Add(z.im, real(d))
	im := b.End(imag(v))
	return cplx{re, im}
}

// complexUnary are the complex functions of one complex argument: each
// returns f(z) and f'(z).
var complexUnary = map[string]func(z complex128) (v, d complex128){
	"exp": func(z complex128) (complex128, complex128) { v := cexp(z); return v, v },
	"log": func(z complex128) (complex128, complex128) { return clog(z), 1 / z },
	"log10": func(z complex128) (complex128, complex128) {
		return clog(z) / math.Ln10, 1 / (z * math.Ln10)
	},
	"sqrt": func(z complex128) (complex128, complex128) { v := csqrt(z); return v, 1 / (2 * v) },
	"sinh": func(z complex128) (complex128, complex128) { return csinh(z), ccosh(z) },
	"cosh": func(z complex128) (complex128, complex128) { return ccosh(z), csinh(z) },
	"tanh": func(z complex128) (complex128, complex128) { v := ctanh(z); return v, 1 - v*v },
	"sin": func(z complex128) (complex128, complex128) {
		return negTimesI(csinh(timesI(z))), ccosh(timesI(z))
	},
	"cos": func(z complex128) (complex128, complex128) {
		return ccosh(timesI(z)), -negTimesI(csinh(timesI(z)))
	},
	"tan": func(z complex128) (complex128, complex128) {
		v := negTimesI(ctanh(timesI(z)))
		return v, 1 + v*v
	},
	"asinh": func(z complex128) (complex128, complex128) { return casinh(z), 1 / csqrt(1+z*z) },
	"acosh": func(z complex128) (complex128, complex128) {
		return cacosh(z), 1 / (csqrt(z-1) * csqrt(z+1))
	},
	"atanh": func(z complex128) (complex128, complex128) { return catanh(z), 1 / (1 - z*z) },
	"asin":  func(z complex128) (complex128, complex128) { return casin(z), 1 / csqrt(1-z*z) },
	"acos": func(z complex128) (complex128, complex128) {
		if x, y := real(z), imag(z); y == 0 && math.Abs(x) <= 1 {
			return complex(math.Acos(x), -y), -1 / csqrt(1-z*z)
		}
		a := casin(z)
		return complex(math.Pi/2-real(a), -imag(a)), -1 / csqrt(1-z*z)
	},
	"atan": func(z complex128) (complex128, complex128) {
		return negTimesI(catanh(timesI(z))), 1 / (1 + z*z)
	},
}

// addReal is z + r with z's imaginary part kept as it is: Go's complex
// addition would turn -0 into +0, moving a point on a cut to the other
// side.
func addReal(z complex128, r float64) complex128 { return complex(real(z)+r, imag(z)) }

// timesI is iz and negTimesI is -iz, exactly (signs of zero kept).
func timesI(z complex128) complex128    { return complex(-imag(z), real(z)) }
func negTimesI(z complex128) complex128 { return complex(imag(z), -real(z)) }

// cexp is e^x (cos y + i sin y); a zero imaginary part stays exact.
func cexp(z complex128) complex128 {
	x, y := real(z), imag(z)
	if y == 0 {
		return complex(math.Exp(x), y)
	}
	r := math.Exp(x)
	s, c := math.Sincos(y)
	return complex(r*c, r*s)
}

// clog is log|z| + i arg z, arg z in [-π, π] taking the sign of a zero
// imaginary part.
func clog(z complex128) complex128 {
	return complex(math.Log(math.Hypot(real(z), imag(z))), math.Atan2(imag(z), real(z)))
}

// clog1p is log(1 + u), accurate for small u: the real part is
// ½ log1p(2 Re u + |u|²).
func clog1p(u complex128) complex128 {
	x, y := real(u), imag(u)
	if math.Abs(x) > 0.5 || math.Abs(y) > 0.5 {
		return clog(complex(1+x, y))
	}
	return complex(0.5*math.Log1p(x*(2+x)+y*y), math.Atan2(y, 1+x))
}

// csqrt is the principal square root, in the right half-plane, with the
// sign of the imaginary part of z (Kahan's algorithm: no cancellation,
// no overflow of |z|² ).
func csqrt(z complex128) complex128 {
	x, y := real(z), imag(z)
	if x == 0 && y == 0 {
		return complex(0, y)
	}
	if math.IsInf(y, 0) {
		return complex(math.Inf(1), y)
	}
	t := math.Sqrt((math.Abs(x) + math.Hypot(x, y)) / 2)
	if x >= 0 {
		return complex(t, y/(2*t))
	}
	return complex(math.Abs(y)/(2*t), math.Copysign(t, y))
}

func csinh(z complex128) complex128 {
	x, y := real(z), imag(z)
	if y == 0 {
		return complex(math.Sinh(x), y)
	}
	s, c := math.Sincos(y)
	return complex(math.Sinh(x)*c, math.Cosh(x)*s)
}

func ccosh(z complex128) complex128 {
	x, y := real(z), imag(z)
	if y == 0 {
		return complex(math.Cosh(x), x*y)
	}
	s, c := math.Sincos(y)
	return complex(math.Cosh(x)*c, math.Sinh(x)*s)
}

// ctanh is Kahan's formula, (β ρ s + i t) / (1 + β s²) with t = tan y,
// β = 1 + t², s = sinh x, ρ = √(1 + s²), which neither overflows nor
// cancels; past |x| = 22 tanh is ±1 to double precision.
func ctanh(z complex128) complex128 {
	x, y := real(z), imag(z)
	if math.Abs(x) > 22 {
		s, c := math.Sincos(y)
		return complex(math.Copysign(1, x), 4*s*c*math.Exp(-2*math.Abs(x)))
	}
	t := math.Tan(y)
	beta := 1 + t*t
	s := math.Sinh(x)
	rho := math.Sqrt(1 + s*s)
	den := 1 + beta*s*s
	return complex(beta*rho*s/den, t/den)
}

// casinh is log(z + √(1 + z²)) for Re z ≥ 0 (written log1p(z + z²/(1 +
// √(1 + z²))), which keeps small z accurate), and -asinh(-z) otherwise;
// for large |z| it is log 2z, as z² would overflow.
func casinh(z complex128) complex128 {
	if math.Signbit(real(z)) {
		return -casinh(-z)
	}
	if math.Hypot(real(z), imag(z)) > 1e150 {
		return clog(z) + math.Ln2
	}
	r := csqrt(addReal(z*z, 1))
	return clog1p(z + z*z/addReal(r, 1))
}

// cacosh is log(z + √(z + 1) √(z - 1)), the product of roots (not the root
// of the product) placing the cut on (-∞, 1], written log1p((z - 1) + √(z
// + 1) √(z - 1)) to keep z near 1 accurate.
func cacosh(z complex128) complex128 {
	if math.Hypot(real(z), imag(z)) > 1e150 {
		v := clog(z) + math.Ln2
		if math.Signbit(imag(z)) {
			return complex(real(v), -math.Abs(imag(v)))
		}
		return complex(real(v), math.Abs(imag(v)))
	}
	return clog1p(addReal(z, -1) + csqrt(addReal(z, 1))*csqrt(addReal(z, -1)))
}

// catanh is (log(1 + z) - log(1 - z)) / 2. On the cuts, 1 - z is formed
// from the negated parts so the sign of a zero imaginary part carries.
func catanh(z complex128) complex128 {
	return (clog1p(z) - clog1p(complex(-real(z), -imag(z)))) / 2
}

// casin is -i asinh(iz), and the real asin on [-1, 1].
func casin(z complex128) complex128 {
	if x, y := real(z), imag(z); y == 0 && math.Abs(x) <= 1 {
		return complex(math.Asin(x), y)
	}
	return negTimesI(casinh(timesI(z)))
}

// cpow is z^w = exp(w log z), and 0 for z = 0 (as C++'s pow of complex
// numbers is), with partials w z^w / z and z^w log z.
func cpow(z, w complex128) (v, dz, dw complex128) {
	if z == 0 {
		return 0, 0, 0
	}
	l := clog(z)
	v = cexp(w * l)
	return v, w * v / z, v * l
}

// complexUnaryCall compiles a complex function of one complex argument.
func complexUnaryCall(name string, arg cexpr, t types.Type) (cexpr, bool) {
	f, ok := complexUnary[name]
	if !ok {
		return cexpr{}, false
	}
	fz := arg.cplx()
	return cexpr{t: t, z: func(e *env) cplx {
		z := fz(e)
		v, d := f(complex(z.re.Val, z.im.Val))
		return holomorphic1(e.t, v, z, d)
	}}, true
}

// complexPow is z^w on the tape.
func complexPow(t *ad.Tape, z, w cplx) cplx {
	v, dz, dw := cpow(complex(z.re.Val, z.im.Val), complex(w.re.Val, w.im.Val))
	return holomorphic2(t, v, z, dz, w, dw)
}

// complexEltwise applies f element by element to a and b, each a complex
// scalar or container (ints and reals promoted); a scalar pairs with
// every element of the other operand.
func complexEltwise(c *compiler, a, b cexpr, t types.Type, pos token.Position, op string, f func(*ad.Tape, cplx, cplx) cplx) cexpr {
	type operand struct {
		z func(*env) cplx
		v func(*env) *value
	}
	opnd := func(x cexpr) operand {
		if x.v == nil {
			return operand{z: x.cplx()}
		}
		return operand{v: x.cval(c)}
	}
	oa, ob := opnd(a), opnd(b)
	if t == types.ComplexT {
		return cexpr{t: t, z: func(e *env) cplx { return f(e.t, oa.z(e), ob.z(e)) }}
	}
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		var va, vb *value
		var za, zb cplx
		var dims []int
		if oa.v != nil {
			va = oa.v(e)
			dims = va.Dims
		} else {
			za = oa.z(e)
		}
		if ob.v != nil {
			vb = ob.v(e)
			if va != nil && !sameDims(va.Dims, vb.Dims) {
				fail(pos, "size mismatch in %s: %s and %s", op, dimString(va.Dims), dimString(vb.Dims))
			}
			dims = vb.Dims
		} else {
			zb = ob.z(e)
		}
		o := out.of(e)
		o.shapeComplex(dims)
		for k := range size(dims) {
			p, q := za, zb
			if va != nil {
				p = cplx{va.R[2*k], va.R[2*k+1]}
			}
			if vb != nil {
				q = cplx{vb.R[2*k], vb.R[2*k+1]}
			}
			r := f(e.t, p, q)
			o.R[2*k], o.R[2*k+1] = r.re, r.im
		}
		return o
	}}
}

// complexProd is the product of a complex container's elements, 1 for
// none.
func complexProd(c *compiler, arg cexpr, t types.Type) cexpr {
	f := arg.cval(c)
	return cexpr{t: t, z: func(e *env) cplx {
		v := f(e)
		p := cplx{re: ad.Const(1)}
		for k := 0; k < len(v.R); k += 2 {
			p = complexMul(e.t, p, cplx{v.R[k], v.R[k+1]})
		}
		return p
	}}
}
