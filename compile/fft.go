package compile

import (
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// The discrete Fourier transforms, and the parts of complex containers
// (get_real and get_imag of a complex scalar are in complex.go): fft and inv_fft of a complex vector,
// fft2 and inv_fft2 of a complex matrix (a transform of every column, then
// of every row). Each output is a linear combination of the inputs, so it
// is one tape statement per real and imaginary part; the sums are direct,
// O(n²) per transform.

// addFFT defines them.
func (l *library) addFFT() {
	l.fn("fft", fftBuiltin(false, false))
	l.fn("inv_fft", fftBuiltin(true, false))
	l.fn("fft2", fftBuiltin(false, true))
	l.fn("inv_fft2", fftBuiltin(true, true))
	l.fn("get_real", complexParts(false))
	l.fn("get_imag", complexParts(true))
}

// dft writes the transform of in to out: Σ_j in_j e^(∓2πi jk/n), the
// sign + and a factor 1/n for the inverse.
func dft(t *ad.Tape, in, out []cplx, inverse bool) {
	n := len(in)
	sign, scale := -1.0, 1.0
	if inverse {
		sign, scale = 1, 1/float64(n)
	}
	for k := range n {
		var re, im float64
		b := t.Begin()
		for j, z := range in {
			s, c := math.Sincos(sign * 2 * math.Pi * float64(j*k%n) / float64(n))
			// (a + ib)(c + is) = (ac - bs) + i(as + bc)
			re += z.re.Val*c - z.im.Val*s
			b.Add(z.re, c*scale)
			b.Add(z.im, -s*scale)
		}
		out[k].re = b.End(re * scale)
		b = t.Begin()
		for j, z := range in {
			s, c := math.Sincos(sign * 2 * math.Pi * float64(j*k%n) / float64(n))
			im += z.re.Val*s + z.im.Val*c
			b.Add(z.re, s*scale)
			b.Add(z.im, c*scale)
		}
		out[k].im = b.End(im * scale)
	}
}

func fftBuiltin(inverse, twoD bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		f := a[0].cval(c)
		buf := c.buf()
		type work struct{ in, out []cplx }
		scratch := newState(c, func() *work { return &work{} })
		return cexpr{t: t, v: func(e *env) *value {
			v, w := f(e), scratch.of(e)
			b := buf.of(e)
			b.shapeComplex(v.Dims)
			// transform applies dft to the n elements at first, first+step, ...
			transform := func(src, dst []ad.Var, first, step, n int) {
				w.in, w.out = resize(w.in, n), resize(w.out, n)
				for j := range n {
					k := first + j*step
					w.in[j] = cplx{src[2*k], src[2*k+1]}
				}
				dft(e.t, w.in, w.out, inverse)
				for j, z := range w.out {
					k := first + j*step
					dst[2*k], dst[2*k+1] = z.re, z.im
				}
			}
			if !twoD {
				transform(v.R, b.R, 0, 1, v.Dims[0])
				return b
			}
			r, cols := v.Dims[0], v.Dims[1]
			for j := range cols {
				transform(v.R, b.R, j*r, 1, r)
			}
			for i := range r {
				transform(b.R, b.R, i, r, cols)
			}
			return b
		}}, nil
	}
}

func resize(s []cplx, n int) []cplx {
	if cap(s) < n {
		return make([]cplx, n)
	}
	return s[:n]
}

// complexParts is get_real (im false) or get_imag of a complex container:
// the parts, interleaved in its storage, in a real container of its shape.
func complexParts(im bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		f, buf := a[0].v, c.buf()
		off := 0
		if im {
			off = 1
		}
		return cexpr{t: t, v: func(e *env) *value {
			v, b := f(e), buf.of(e)
			b.shape(v.Dims, false)
			for k := range b.R {
				b.R[k] = v.R[2*k+off]
			}
			return b
		}}, nil
	}
}
