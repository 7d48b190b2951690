package compile

import (
	"fmt"
	"math"
	"math/cmplx"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// complex_schur_decompose_t and complex_schur_decompose_u: the complex
// Schur decomposition A = U T Uᴴ of a square real or complex matrix, T
// upper triangular and U unitary. As in Eigen's ComplexSchur, which Stan
// runs: reduction to Hessenberg form, then the implicitly shifted QR
// algorithm with Wilkinson shifts (Golub and Van Loan, "Matrix
// Computations", 4th ed., §7.4-7.5), here by Givens rotations. The
// decomposition is not unique (the order of T's diagonal and the phases
// of U's columns are the algorithm's), so, as Stan does, the derivatives
// are those of the algorithm's own steps: every rotation is recorded on
// the tape when A depends on parameters.

// addSchur defines them.
func (l *library) addSchur() {
	for _, name := range []string{"complex_schur_decompose_t", "complex_schur_decompose_u"} {
		wantU := name == "complex_schur_decompose_u"
		l.fn(name, func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
			fm, buf, isC := a[0].v, c.buf(), isComplex(a[0].t.Kind)
			return cexpr{t: t, v: func(e *env) *value {
				m := fm(e)
				T, U, n, err := complexSchur(e.t, m, isC)
				if err != nil {
					fail(pos, "%s: %v", name, err)
				}
				out := T
				if wantU {
					out = U
				}
				b := buf.of(e)
				setComplexMatrix(b, out, n)
				return b
			}}, nil
		})
	}
}

// schurOps records complex arithmetic on a tape (constants when A is data).
type schurOps struct{ t *ad.Tape }

func (o schurOps) add(z, w cplx) cplx { return cplx{o.t.Add(z.re, w.re), o.t.Add(z.im, w.im)} }
func (o schurOps) sub(z, w cplx) cplx { return cplx{o.t.Sub(z.re, w.re), o.t.Sub(z.im, w.im)} }
func (o schurOps) mul(z, w cplx) cplx { return complexMul(o.t, z, w) }
func (o schurOps) conj(z cplx) cplx   { return cplx{z.re, o.t.Neg(z.im)} }
func (o schurOps) abs(z cplx) ad.Var  { return complexAbs(o.t, z) }
func (o schurOps) scale(z cplx, r ad.Var) cplx {
	return cplx{o.t.Mul(z.re, r), o.t.Mul(z.im, r)}
}

// sqrt is the principal square root, holomorphic away from the negative
// real axis with derivative 1/(2√z).
func (o schurOps) sqrt(z cplx) cplx {
	v := cmplx.Sqrt(complex(z.re.Val, z.im.Val))
	if v == 0 {
		return cplx{}
	}
	return holomorphic2(o.t, v, z, 1/(2*v), cplx{}, 0)
}

func val(z cplx) complex128 { return complex(z.re.Val, z.im.Val) }

// givens returns c (real) and s with [c s; -conj(s) c] [a; b] = [r'; 0]:
// c = |a|/r, s = (a/|a|) conj(b)/r, r = √(|a|² + |b|²); ok is false when
// b is 0 (no rotation is needed).
func (o schurOps) givens(a, b cplx) (c ad.Var, s cplx, ok bool) {
	if val(b) == 0 {
		return ad.Var{}, cplx{}, false
	}
	ab, bb := o.abs(a), o.abs(b)
	r := o.t.Hypot(ab, bb)
	inv := o.t.Div(ad.Const(1), r)
	if val(a) == 0 {
		return ad.Var{}, o.scale(o.conj(b), o.t.Div(ad.Const(1), bb)), true
	}
	phase := o.scale(a, o.t.Div(ad.Const(1), ab))
	return o.t.Mul(ab, inv), o.scale(o.mul(phase, o.conj(b)), inv), true
}

// rotate applies the rotation to rows k and k+1 of h (columns from j0)
// from the left, and its conjugate transpose to columns k and k+1 of h
// (rows up to i1) and of u from the right.
func (o schurOps) rotate(h, u []cplx, n, k, j0, i1 int, c ad.Var, s cplx) {
	cs := cplx{c, ad.Var{}}
	ms := cplx{o.t.Neg(s.re), o.t.Neg(s.im)}
	sc := o.conj(s)
	msc := o.conj(ms)
	for j := j0; j < n; j++ {
		x, y := h[k*n+j], h[(k+1)*n+j]
		h[k*n+j] = o.add(o.mul(cs, x), o.mul(s, y))
		h[(k+1)*n+j] = o.add(o.mul(msc, x), o.mul(cs, y))
	}
	for _, m := range [2]struct {
		a    []cplx
		rows int
	}{{h, i1 + 1}, {u, n}} {
		for i := range m.rows {
			x, y := m.a[i*n+k], m.a[i*n+k+1]
			m.a[i*n+k] = o.add(o.mul(x, cs), o.mul(y, sc))
			m.a[i*n+k+1] = o.add(o.mul(x, ms), o.mul(y, cs))
		}
	}
}

// complexSchur returns T and U of m (complex when isC), row-major, and
// their size.
func complexSchur(t *ad.Tape, m *value, isC bool) (T, U []cplx, n int, err error) {
	if m.Dims[0] != m.Dims[1] {
		return nil, nil, 0, fmt.Errorf("Expecting a square matrix; rows of A (%d) and columns of A (%d) must match in size", m.Dims[0], m.Dims[1])
	}
	n = m.Dims[0]
	h, u := make([]cplx, n*n), make([]cplx, n*n)
	for i := range n {
		u[i*n+i] = cplx{ad.Const(1), ad.Var{}}
		for j := range n {
			if isC {
				h[i*n+j] = cplx{m.R[2*(i+j*n)], m.R[2*(i+j*n)+1]}
			} else {
				h[i*n+j] = cplx{m.R[i+j*n], ad.Var{}}
			}
			if z := val(h[i*n+j]); cmplx.IsNaN(z) || cmplx.IsInf(z) {
				return nil, nil, 0, fmt.Errorf("A is not finite")
			}
		}
	}
	o := schurOps{t}
	zero := cplx{}
	// Hessenberg form: zero column j below its subdiagonal from the bottom.
	for j := 0; j+2 < n; j++ {
		for i := n - 1; i >= j+2; i-- {
			if c, s, ok := o.givens(h[(i-1)*n+j], h[i*n+j]); ok {
				o.rotate(h, u, n, i-1, j, n-1, c, s)
				h[i*n+j] = zero
			}
		}
	}
	// Shifted QR on the active window [l, iu].
	const eps = 0x1p-52
	iter := 0
	for iu := n - 1; iu > 0; {
		l := iu
		for ; l > 0; l-- {
			sub := cmplx.Abs(val(h[l*n+l-1]))
			if sub <= eps*(cmplx.Abs(val(h[(l-1)*n+l-1]))+cmplx.Abs(val(h[l*n+l]))) || sub < math.SmallestNonzeroFloat64*1e10 {
				h[l*n+l-1] = zero
				break
			}
		}
		if l == iu {
			iu--
			iter = 0
			continue
		}
		if iter++; iter > 30*n {
			return nil, nil, 0, fmt.Errorf("the QR algorithm did not converge")
		}
		var mu cplx
		if iter%10 == 0 {
			// An exceptional shift, to break a cycle.
			mu = cplx{ad.Const(math.Abs(h[iu*n+iu-1].re.Val) + cmplx.Abs(val(h[iu*n+iu]))), ad.Var{}}
		} else {
			// Wilkinson's: the eigenvalue of the trailing 2×2 block nearer
			// its last diagonal entry d, d + p ± √(p² + bc), p = (a-d)/2.
			a, b, c, d := h[(iu-1)*n+iu-1], h[(iu-1)*n+iu], h[iu*n+iu-1], h[iu*n+iu]
			p := o.scale(o.sub(a, d), ad.Const(0.5))
			q := o.sqrt(o.add(o.mul(p, p), o.mul(b, c)))
			if cmplx.Abs(val(p)+val(q)) < cmplx.Abs(val(p)-val(q)) {
				mu = o.add(d, o.add(p, q))
			} else {
				mu = o.add(d, o.sub(p, q))
			}
		}
		x, y := o.sub(h[l*n+l], mu), h[(l+1)*n+l]
		for k := l; k < iu; k++ {
			if k > l {
				x, y = h[k*n+k-1], h[(k+1)*n+k-1]
			}
			c, s, ok := o.givens(x, y)
			if !ok {
				continue
			}
			j0 := l
			if k > l {
				j0 = k - 1
			}
			o.rotate(h, u, n, k, j0, min(k+2, iu), c, s)
			if k > l {
				h[(k+1)*n+k-1] = zero
			}
		}
	}
	for i := range n {
		for j := range i {
			h[i*n+j] = zero
		}
	}
	return h, u, n, nil
}
