package compile

// Complex numbers.
//
// Representation. A complex value is a pair of real tape values, so each
// part carries its own derivative and the tape needs nothing new. A complex
// scalar expression is a cexpr whose z field returns a cplx. A complex
// variable or container (complex, complex_vector, complex_row_vector,
// complex_matrix, and arrays of them) is an ordinary value whose R holds its
// elements interleaved, real part then imaginary part: len(R) is
// 2·size(Dims), and Dims count elements exactly as for the real types.
//
// This changes the least: slots, function frames, copyFrom, array views
// and the selector's offsets all work on such a value unchanged (offsets are
// element offsets, doubled where an element is read or written); whether a
// value is complex is known from its static type, as whether it holds ints
// is. The interleaved layout is also the layout in which Stan's
// deserializer reads complex parameters (std::complex arrays) and the
// order in which CmdStan writes their columns (z.real, then z.imag).

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// cplx is a complex scalar: its real and imaginary parts. The zero cplx is
// the constant 0.
type cplx struct{ re, im ad.Var }

// isComplex reports a complex base kind: complex, complex_vector,
// complex_row_vector or complex_matrix.
func isComplex(k types.Kind) bool {
	switch k {
	case types.Complex, types.ComplexVector, types.ComplexRowVector, types.ComplexMatrix:
		return true
	}
	return false
}

// width is the number of reals stored per element of a value of type t.
func width(t types.Type) int {
	if isComplex(t.Kind) {
		return 2
	}
	return 1
}

// shapeComplex resizes v to hold a complex value of dims, reusing its
// storage when it is large enough.
func (v *value) shapeComplex(dims []int) { v.shapeReals(dims, 2*size(dims)) }

// shapeAs resizes v for a value of type t with dims.
func shapeAs(v *value, dims []int, t types.Type) {
	if isComplex(t.Kind) {
		v.shapeComplex(dims)
		return
	}
	v.shape(dims, t.Kind == types.Int)
}

// cplx returns e as a complex function, promoting an int or a real.
func (e cexpr) cplx() func(*env) cplx {
	if e.z != nil {
		return e.z
	}
	f := e.real()
	return func(env *env) cplx { return cplx{re: f(env)} }
}

// cval returns a container expression as a complex container, promoting
// int and real containers (imaginary parts zero).
func (e cexpr) cval(c *compiler) func(*env) *value {
	if isComplex(e.t.Kind) {
		return e.v
	}
	f := e.val(true)
	out := c.buf()
	return func(env *env) *value {
		buf := out.of(env)
		v := f(env)
		buf.shapeComplex(v.Dims)
		for i, x := range v.R {
			buf.R[2*i], buf.R[2*i+1] = x, ad.Var{}
		}
		return buf
	}
}

func zeroComplex(t types.Type) cexpr {
	return cexpr{t: t, z: func(*env) cplx { return cplx{} }}
}

// ---- literals ----

// imagLit compiles an imaginary literal such as 2i or 1.5e-3i.
func (c *compiler) imagLit(x *ast.BasicLit, t types.Type) cexpr {
	s := strings.ReplaceAll(strings.TrimSuffix(x.Value, "i"), "_", "")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) { // out of range is ±Inf, as for reals
		c.errorf(x.Pos(), "imaginary literal %s is not a number", x.Value)
	}
	z := cplx{im: ad.Const(f)}
	return cexpr{t: t, z: func(*env) cplx { return z }}
}

// complexArrayLit compiles {a, b, ...} with complex elements: scalars
// (ints and reals promoted) or complex containers (real ones promoted).
func (c *compiler) complexArrayLit(x *ast.ArrayExpr, t types.Type) cexpr {
	out := c.buf()
	pos := c.pos(x.Pos())
	if t.Elem() == types.ComplexT {
		fs := make([]func(*env) cplx, len(x.Elems))
		for i, el := range x.Elems {
			fs[i] = c.expr(el).cplx()
		}
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			buf.shapeComplex([]int{len(fs)})
			for i, f := range fs {
				z := f(e)
				buf.R[2*i], buf.R[2*i+1] = z.re, z.im
			}
			return buf
		}}
	}
	fs := make([]func(*env) *value, len(x.Elems))
	for i, el := range x.Elems {
		fs[i] = c.expr(el).cval(c)
	}
	dimsOf := c.dimsState()
	return cexpr{t: t, v: func(e *env) *value {
		buf, dims := out.of(e), dimsOf.of(e)
		k := 0
		for i, f := range fs {
			v := f(e)
			if i == 0 {
				*dims = append(append((*dims)[:0], len(fs)), v.Dims...)
				buf.shapeComplex(*dims)
			} else if !sameDims(v.Dims, buf.Dims[1:]) {
				fail(pos, "array expression elements have different sizes: %s and %s", dimString(buf.Dims[1:]), dimString(v.Dims))
			}
			k += copy(buf.R[k:], v.R)
		}
		return buf
	}}
}

// complexRowVectorLit compiles [a, b, ...] making a complex_row_vector
// (of scalars) or a complex_matrix (of row vectors, real or complex).
func (c *compiler) complexRowVectorLit(x *ast.RowVectorExpr, t types.Type) cexpr {
	out := c.buf()
	pos := c.pos(x.Pos())
	if t.Kind == types.ComplexMatrix {
		rows := make([]func(*env) *value, len(x.Elems))
		for i, el := range x.Elems {
			rows[i] = c.expr(el).cval(c)
		}
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			var dims [2]int
			n := len(rows)
			for i, rf := range rows {
				r := rf(e)
				if i == 0 {
					dims[0], dims[1] = n, r.Dims[0]
					buf.shapeComplex(dims[:])
				} else if r.Dims[0] != dims[1] {
					fail(pos, "matrix expression rows have different sizes: %d and %d", dims[1], r.Dims[0])
				}
				for j := range r.Dims[0] {
					o := i + j*n // column-major
					buf.R[2*o], buf.R[2*o+1] = r.R[2*j], r.R[2*j+1]
				}
			}
			return buf
		}}
	}
	fs := make([]func(*env) cplx, len(x.Elems))
	for i, el := range x.Elems {
		fs[i] = c.expr(el).cplx()
	}
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [2]int
		dims[0] = len(fs)
		buf.shapeComplex(dims[:1])
		for i, f := range fs {
			z := f(e)
			buf.R[2*i], buf.R[2*i+1] = z.re, z.im
		}
		return buf
	}}
}

// ---- arithmetic ----

// complexMul is z·w: each part is one tape statement with the partials of
// the holomorphic product.
func complexMul(t *ad.Tape, z, w cplx) cplx {
	a, b := complex(z.re.Val, z.im.Val), complex(w.re.Val, w.im.Val)
	return holomorphic2(t, a*b, z, b, w, a)
}

// complexDiv is z/w, its value by Go's complex division (Smith's
// algorithm, which neither overflows nor underflows where |w|² would), its
// partials 1/w and -(z/w)/w computed the same way.
func complexDiv(t *ad.Tape, z, w cplx) cplx {
	a, b := complex(z.re.Val, z.im.Val), complex(w.re.Val, w.im.Val)
	q := a / b
	inv := 1 / b
	return holomorphic2(t, q, z, inv, w, -q*inv)
}

// holomorphic2 records f(z, w) = v, holomorphic in each argument with
// complex derivatives dz and dw: by the Cauchy-Riemann equations the real
// part has partials (Re d, -Im d) and the imaginary part (Im d, Re d) with
// respect to each argument's (re, im).
func holomorphic2(t *ad.Tape, v complex128, z cplx, dz complex128, w cplx, dw complex128) cplx {
	b := t.Begin()
	b.Add(z.re, real(dz))
	b.Add(z.im, -imag(dz))
	b.Add(w.re, real(dw))
	b.Add(w.im, -imag(dw))
	re := b.End(real(v))
	b = t.Begin()
	b.Add(z.re, imag(dz))
	b.Add(z.im, real(dz))
	b.Add(w.re, imag(dw))
	b.Add(w.im, real(dw))
	im := b.End(imag(v))
	return cplx{re, im}
}

// complexAbs is |z| = hypot(re, im).
func complexAbs(t *ad.Tape, z cplx) ad.Var { return t.Hypot(z.re, z.im) }

// complexArg is arg z = atan2(im, re), with the partials (re/h)/h and
// -(im/h)/h, h = |z|, which neither overflow nor underflow where re²+im²
// would.
func complexArg(t *ad.Tape, z cplx) ad.Var {
	x, y := z.re.Val, z.im.Val
	h := math.Hypot(x, y)
	return t.Binary(math.Atan2(y, x), z.im, x/h/h, z.re, -y/h/h)
}

// complexBinary compiles +, -, *, / (and .*, ./) of complex numbers (ints and reals
// promoted) and == and !=.
func (c *compiler) complexBinary(x *ast.BinaryExpr, a, b cexpr, t types.Type) cexpr {
	fa, fb := a.cplx(), b.cplx()
	switch x.Op {
	case token.EQL, token.NEQ:
		want := x.Op == token.EQL
		return cexpr{t: t, i: func(e *env) int {
			p, q := fa(e), fb(e)
			return b2i((p.re.Val == q.re.Val && p.im.Val == q.im.Val) == want)
		}}
	case token.ADD:
		return cexpr{t: t, z: func(e *env) cplx {
			p, q := fa(e), fb(e)
			return cplx{e.t.Add(p.re, q.re), e.t.Add(p.im, q.im)}
		}}
	case token.SUB:
		return cexpr{t: t, z: func(e *env) cplx {
			p, q := fa(e), fb(e)
			return cplx{e.t.Sub(p.re, q.re), e.t.Sub(p.im, q.im)}
		}}
	case token.MUL, token.ELTMUL:
		return cexpr{t: t, z: func(e *env) cplx { return complexMul(e.t, fa(e), fb(e)) }}
	case token.QUO, token.ELTDIV:
		return cexpr{t: t, z: func(e *env) cplx { return complexDiv(e.t, fa(e), fb(e)) }}
	case token.POW, token.ELTPOW:
		return cexpr{t: t, z: func(e *env) cplx { return complexPow(e.t, fa(e), fb(e)) }}
	}
	c.errorf(x.OpPos, "operator %s on complex numbers is not supported", x.Op)
	return zeroComplex(t)
}

func complexNeg(a cexpr, t types.Type) cexpr {
	f := a.cplx()
	return cexpr{t: t, z: func(e *env) cplx {
		z := f(e)
		return cplx{e.t.Neg(z.re), e.t.Neg(z.im)}
	}}
}

// complexCond compiles c ? a : b of complex type.
func (c *compiler) complexCond(x *ast.CondExpr, t types.Type) cexpr {
	cond := c.truth(x.Cond)
	a, b := c.expr(x.Then), c.expr(x.Else)
	if t == types.ComplexT {
		fa, fb := a.cplx(), b.cplx()
		return cexpr{t: t, z: func(e *env) cplx {
			if cond(e) {
				return fa(e)
			}
			return fb(e)
		}}
	}
	fa, fb := a.cval(c), b.cval(c)
	return cexpr{t: t, v: func(e *env) *value {
		if cond(e) {
			return fa(e)
		}
		return fb(e)
	}}
}

// ---- indexing ----

// complexIndex compiles an index into a complex array or container: a
// single element is read as a pair, whole array elements are views, and
// anything else is copied pair by pair.
func complexIndex(c *compiler, base cexpr, idx []index, t types.Type, pos token.Position) cexpr {
	fb := base.v
	arrayDims := base.t.Dims
	allSingle := true
	for _, ix := range idx {
		allSingle = allSingle && !ix.multi
	}
	if t == types.ComplexT {
		return cexpr{t: t, z: func(e *env) cplx {
			v := fb(e)
			o := singleOffset(e, v, arrayDims, idx, pos)
			return cplx{v.R[2*o], v.R[2*o+1]}
		}}
	}
	out := c.buf()
	if allSingle && len(idx) <= arrayDims {
		n := len(idx)
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			v := fb(e)
			o := arrayOffset(e, v, idx[:n], pos)
			block := 2 * size(v.Dims[n:])
			buf.Dims, buf.R, buf.I = v.Dims[n:], v.R[o*block:(o+1)*block], nil
			return buf
		}}
	}
	selOf := newState(c, func() *selector { return &selector{} })
	return cexpr{t: t, v: func(e *env) *value {
		buf, sel := out.of(e), selOf.of(e)
		v := fb(e)
		sel.run(e, v, arrayDims, idx, pos)
		buf.shapeComplex(sel.dims)
		for k, o := range sel.offs {
			buf.R[2*k], buf.R[2*k+1] = v.R[2*o], v.R[2*o+1]
		}
		return buf
	}}
}

// ---- assignment ----

// assignComplex stores x into a complex variable of type vt, or into the
// part of it idx selects, promoting ints and reals.
func assignComplex(c *compiler, get func(*env) *value, vt types.Type, idx []index, x cexpr, pos token.Position) stmtFn {
	arrayDims := vt.Dims
	if x.v == nil {
		f := x.cplx()
		if idx == nil {
			return func(e *env) ctrl {
				z := f(e)
				dst := get(e)
				dst.R[0], dst.R[1] = z.re, z.im
				return next
			}
		}
		allSingle := true
		for _, ix := range idx {
			allSingle = allSingle && !ix.multi
		}
		if allSingle {
			return func(e *env) ctrl {
				z := f(e)
				dst := get(e)
				o := singleOffset(e, dst, arrayDims, idx, pos)
				dst.R[2*o], dst.R[2*o+1] = z.re, z.im
				return next
			}
		}
		selOf := newState(c, func() *selector { return &selector{} })
		return func(e *env) ctrl {
			z := f(e)
			dst := get(e)
			sel := selOf.of(e)
			sel.run(e, dst, arrayDims, idx, pos)
			o := sel.offs[0]
			dst.R[2*o], dst.R[2*o+1] = z.re, z.im
			return next
		}
	}
	f := x.cval(c)
	if idx == nil {
		return assignWhole(get, f, pos)
	}
	// The value is copied first: it may share storage with dst.
	type assignWork struct {
		tmp value
		sel selector
	}
	work := newState(c, func() *assignWork { return &assignWork{} })
	return func(e *env) ctrl {
		w := work.of(e)
		tmp, sel := &w.tmp, &w.sel
		tmp.copyFrom(f(e))
		dst := get(e)
		sel.run(e, dst, arrayDims, idx, pos)
		if len(tmp.R) != 2*len(sel.offs) {
			fail(pos, "size mismatch in assignment: the indexed variable has %d elements, the value %d", len(sel.offs), len(tmp.R)/2)
		}
		for k, o := range sel.offs {
			dst.R[2*o], dst.R[2*o+1] = tmp.R[2*k], tmp.R[2*k+1]
		}
		return next
	}
}

// ---- library functions ----

// complexCall compiles the library functions of complex arguments or
// results: to_complex, get_real, get_imag, abs, arg, the special
// functions, pow, sums and products, rep_array of complex values and the
// decompositions of complex matrices. ok is false for any other call.
func (c *compiler) complexCall(call *check.Call, args []cexpr, t types.Type, pos token.Position) (cexpr, bool) {
	name := call.Name
	zArg := len(call.Sig.Args) == 1 && call.Sig.Args[0] == types.ComplexT
	complexArgs := false
	for _, a := range call.Sig.Args {
		complexArgs = complexArgs || isComplex(a.Kind)
	}
	if zArg && t == types.ComplexT {
		if e, ok := complexUnaryCall(name, args[0], t); ok {
			return e, true
		}
	}
	if f := complexDecomposition(name, call.Sig.Args); f != nil {
		return f(c, args[0], t, pos), true
	}
	switch {
	case (name == "pow" || name == ".^") && complexArgs:
		return complexEltwise(c, args[0], args[1], t, pos, name, complexPow), true
	case name == "mdivide_right" && complexArgs:
		return complexMdivideRight(c, args[0], args[1], t, pos), true
	case name == "prod" && complexArgs:
		return complexProd(c, args[0], t), true
	case name == "to_complex" && t != types.ComplexT:
		return toComplexContainer(c, args, t, pos), true
	case name == "to_complex":
		switch len(args) {
		case 0:
			return zeroComplex(t), true
		case 1:
			return cexpr{t: t, z: args[0].cplx()}, true
		}
		re, im := args[0].real(), args[1].real()
		return cexpr{t: t, z: func(e *env) cplx { return cplx{re(e), im(e)} }}, true
	case name == "polar":
		fr, ft := args[0].real(), args[1].real()
		return cexpr{t: t, z: func(e *env) cplx {
			r, th := fr(e), ft(e)
			return cplx{e.t.Mul(r, e.t.Cos(th)), e.t.Mul(r, e.t.Sin(th))}
		}}, true
	case name == "norm" && zArg:
		f := args[0].cplx()
		return cexpr{t: t, r: func(e *env) ad.Var {
			z := f(e)
			return e.t.Add(e.t.Square(z.re), e.t.Square(z.im))
		}}, true
	case name == "proj" && zArg:
		// The projection onto the Riemann sphere: z, or +∞ + 0i (with
		// the sign of the imaginary part) when a part is infinite.
		f := args[0].cplx()
		return cexpr{t: t, z: func(e *env) cplx {
			z := f(e)
			if math.IsInf(z.re.Val, 0) || math.IsInf(z.im.Val, 0) {
				return cplx{ad.Const(math.Inf(1)), ad.Const(math.Copysign(0, z.im.Val))}
			}
			return z
		}}, true
	case name == "conj" && zArg:
		f := args[0].cplx()
		return cexpr{t: t, z: func(e *env) cplx { z := f(e); return cplx{z.re, e.t.Neg(z.im)} }}, true
	case name == "conj":
		// Of a complex container: each imaginary part negated.
		f, out := args[0].cval(c), c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			v, b := f(e), out.of(e)
			b.shapeComplex(v.Dims)
			for k := 0; k < len(v.R); k += 2 {
				b.R[k], b.R[k+1] = v.R[k], e.t.Neg(v.R[k+1])
			}
			return b
		}}, true
	case name == "symmetrize_from_lower_tri" && complexArgs:
		// Eigen's selfadjointView<Lower>, as Stan Math computes it: the
		// upper triangle the conjugate of the lower, the diagonal real.
		f, out := args[0].cval(c), c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			v, b := f(e), out.of(e)
			n := v.Dims[0]
			if v.Dims[1] != n {
				fail(pos, "symmetrize_from_lower_tri: the matrix is %d×%d, but must be square", n, v.Dims[1])
			}
			b.shapeComplex(v.Dims)
			for j := range n {
				d := 2 * (j + j*n)
				b.R[d], b.R[d+1] = v.R[d], ad.Const(0)
				for i := j + 1; i < n; i++ {
					lo, up := 2*(i+j*n), 2*(j+i*n)
					b.R[lo], b.R[lo+1] = v.R[lo], v.R[lo+1]
					b.R[up], b.R[up+1] = v.R[lo], e.t.Neg(v.R[lo+1])
				}
			}
			return b
		}}, true
	case name == "get_real" && zArg:
		f := args[0].cplx()
		return cexpr{t: t, r: func(e *env) ad.Var { return f(e).re }}, true
	case name == "get_imag" && zArg:
		f := args[0].cplx()
		return cexpr{t: t, r: func(e *env) ad.Var { return f(e).im }}, true
	case name == "abs" && zArg:
		f := args[0].cplx()
		return cexpr{t: t, r: func(e *env) ad.Var { return complexAbs(e.t, f(e)) }}, true
	case name == "arg" && zArg:
		f := args[0].cplx()
		return cexpr{t: t, r: func(e *env) ad.Var { return complexArg(e.t, f(e)) }}, true
	case name == "sum" && len(call.Sig.Args) == 1 && isComplex(call.Sig.Args[0].Kind):
		f := args[0].cval(c)
		// The real parts and the imaginary parts.
		type parts struct{ re, im []ad.Var }
		work := newState(c, func() *parts { return &parts{} })
		return cexpr{t: t, z: func(e *env) cplx {
			w := work.of(e)
			v := f(e)
			re, im := w.re[:0], w.im[:0]
			for k := 0; k < len(v.R); k += 2 {
				re, im = append(re, v.R[k]), append(im, v.R[k+1])
			}
			w.re, w.im = re, im
			return cplx{e.t.Sum(re), e.t.Sum(im)}
		}}, true
	case name == "rep_array" && isComplex(t.Kind):
		return repComplexArray(c, args, t, pos), true
	}
	return cexpr{}, false
}

// toComplexContainer is to_complex(re, im) of containers of one shape, or
// of a container and a real used for each element.
func toComplexContainer(c *compiler, args []cexpr, t types.Type, pos token.Position) cexpr {
	var vs [2]func(*env) *value
	var rs [2]func(*env) ad.Var
	for i, x := range args {
		if x.v != nil {
			vs[i] = x.val(true)
		} else {
			rs[i] = x.real()
		}
	}
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		var parts [2][]ad.Var
		var scal [2]ad.Var
		var dims []int
		for i := range 2 {
			if vs[i] == nil {
				scal[i] = rs[i](e)
				continue
			}
			v := vs[i](e)
			if parts[0] != nil && len(v.R) != len(parts[0]) {
				fail(pos, "to_complex: the real parts (%d) and imaginary parts (%d) must match in size", len(parts[0]), len(v.R))
			}
			parts[i], dims = v.R, v.Dims
		}
		buf := out.of(e)
		buf.shapeComplex(dims)
		for k := range size(dims) {
			for i := range 2 {
				x := scal[i]
				if parts[i] != nil {
					x = parts[i][k]
				}
				buf.R[2*k+i] = x
			}
		}
		return buf
	}}
}

// repComplexArray is rep_array(x, n, ...) of a complex scalar or
// container.
func repComplexArray(c *compiler, args []cexpr, t types.Type, pos token.Position) cexpr {
	ns := make([]func(*env) int, len(args)-1)
	for i := range ns {
		ns[i] = args[i+1].i
	}
	var fz func(*env) cplx
	var fv func(*env) *value
	if args[0].v == nil {
		fz = args[0].cplx()
	} else {
		fv = args[0].cval(c)
	}
	out, dimsOf := c.buf(), c.dimsState()
	return cexpr{t: t, v: func(e *env) *value {
		buf, d := out.of(e), dimsOf.of(e)
		*d = evalSizes(e, ns, *d, pos)
		dims := *d
		count := size(dims)
		if fz != nil {
			z := fz(e)
			buf.shapeComplex(dims)
			for k := range count {
				buf.R[2*k], buf.R[2*k+1] = z.re, z.im
			}
			return buf
		}
		v := fv(e)
		*d = append(dims, v.Dims...)
		buf.shapeComplex(*d)
		for k := range count {
			copy(buf.R[k*len(v.R):], v.R)
		}
		return buf
	}}
}

// ---- declarations, data and output ----

// readComplex fills a complex data variable from Stan JSON, where, as in
// CmdStan, each complex value is a pair [re, im]: the value's dims are
// the declared dims followed by 2. Matrices are given row by row and
// stored column-major.
func (dv *dataVar) readComplex(e *env, data model.Data, dims []int) error {
	t := dv.v.Type
	dst := dv.get(e)
	n := size(dims)
	val, ok := data[dv.name]
	if !ok || n == 0 && len(val.Elems) == 0 {
		if n == 0 {
			dst.shapeComplex(dims)
			return nil
		}
		return fmt.Errorf("variable %q not found in the data", dv.name)
	}
	want := append(append([]int(nil), dims...), 2)
	if len(val.Elems) != 2*n || !sameDims(val.Dims, want) {
		return fmt.Errorf("%s %q has size %s, but is declared %v with size %s: each complex value is an array [re, im] of 2 numbers, so the data must have size %s",
			dv.what, dv.name, dimString(val.Dims), t, dimString(dims), dimString(want))
	}
	dst.shapeComplex(dims)
	rows, cols := 1, 1
	if innerDims(t) == 2 {
		rows, cols = dims[len(dims)-2], dims[len(dims)-1]
	}
	block := rows * cols
	for k := range n {
		// k is the element's index in the file (row-major); o its storage
		// offset (the matrix part column-major).
		b, in := k/block, k%block
		o := b*block + in/cols + (in%cols)*rows
		dst.R[2*o] = ad.Const(val.Elems[2*k])
		dst.R[2*o+1] = ad.Const(val.Elems[2*k+1])
	}
	return nil
}

// outputColumns lists a variable's output columns: the offsets into its
// storage (R or I) in Stan's output order, and their names. A complex
// element gives two adjacent columns, its real part then its imaginary
// part, which CmdStan names z.real, z.imag, z.2.1.real, ...: here in
// gostan's bracket form z[real], z[imag], z[2,1,real], which the command
// line writes back as CmdStan's.
func outputColumns(name string, dims []int, t types.Type) (order []int, names []string) {
	if !isComplex(t.Kind) {
		for _, k := range outputOrder(dims, t) {
			order = append(order, k)
			names = append(names, elementName(name, dims, t, k))
		}
		return order, names
	}
	for _, k := range outputOrder(dims, t) {
		el := elementName(name, dims, t, k)
		for p, part := range [2]string{"real", "imag"} {
			order = append(order, 2*k+p)
			if strings.HasSuffix(el, "]") {
				names = append(names, strings.TrimSuffix(el, "]")+","+part+"]")
			} else {
				names = append(names, el+"["+part+"]")
			}
		}
	}
	return order, names
}
