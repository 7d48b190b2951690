package compile

import (
	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Complex vectors, row vectors and matrices (Stan Functions Reference,
// "Complex matrix operations", Stan 2.30). A complex container is its
// real part plus i times its imaginary part, and each function is
// computed from the real library's function of the same name applied to
// the parts, so its values and gradients are that function's:
//
//   - linear in its complex arguments (sums, negation, transposition,
//     slicing, concatenation, reshaping, broadcasting, diagonals,
//     reversal): f(A + iB) = f(A) + i f(B), all complex arguments taking
//     their real parts in the first call and their imaginary parts in the
//     second;
//   - bilinear (the products): f(A + iB, C + iD) = f(A, C) - f(B, D) +
//     i (f(A, D) + f(B, C)). dot_product conjugates its first argument,
//     as Stan's does (it is Eigen's dot, the Hermitian inner product):
//     f(A, C) + f(B, D) + i (f(A, D) - f(B, C)). The other products
//     conjugate nothing (Stan's columns_dot_product, rows_dot_product and
//     * are plain sums of products), and ' is the plain transpose;
//   - the squared norms dot_self, columns_dot_self, rows_dot_self:
//     f(A) + f(B), real, with imaginary part zero (Eigen's squaredNorm,
//     which Stan's dot_self is).
//
// An argument whose type is real where the signature has a complex one
// was promoted: its imaginary part is zero, and the bilinear products
// skip the terms it would zero. Elementwise and scalar division divide
// element by element (complexDiv).

type liftKind int

const (
	liftLinear liftKind = iota
	liftBilinear
	liftConjBilinear // conjugating the first argument
	liftSquare
)

// complexLifts are the library functions computed from their real
// counterparts on complex containers, and how.
var complexLifts = map[string]liftKind{
	"add": liftLinear, "subtract": liftLinear, "minus": liftLinear, "transpose": liftLinear,
	"trace": liftLinear, "diagonal": liftLinear, "diag_matrix": liftLinear, "add_diag": liftLinear,
	"rep_vector": liftLinear, "rep_row_vector": liftLinear, "rep_matrix": liftLinear,
	"col": liftLinear, "row": liftLinear, "block": liftLinear, "sub_col": liftLinear, "sub_row": liftLinear,
	"head": liftLinear, "tail": liftLinear, "segment": liftLinear,
	"append_col": liftLinear, "append_row": liftLinear,
	"to_matrix": liftLinear, "to_vector": liftLinear, "to_row_vector": liftLinear,
	"to_array_1d": liftLinear, "to_array_2d": liftLinear,
	"reverse": liftLinear, "cumulative_sum": liftLinear,
	"multiply": liftBilinear, "elt_multiply": liftBilinear,
	"columns_dot_product": liftBilinear, "rows_dot_product": liftBilinear,
	"diag_pre_multiply": liftBilinear, "diag_post_multiply": liftBilinear,
	"dot_product": liftConjBilinear,
	"dot_self":    liftSquare, "columns_dot_self": liftSquare, "rows_dot_self": liftSquare,
}

// isComplexContainer reports whether t is a complex vector, row vector
// or matrix, or an array of complex values.
func isComplexContainer(t types.Type) bool {
	return isComplex(t.Kind) && (t.Kind != types.Complex || t.Dims > 0)
}

// realOf is the real type of t's parts: vector for complex_vector, real
// for complex, and so on, arrays kept.
func realOf(t types.Type) types.Type {
	k := t.Kind
	switch k {
	case types.Complex, types.Int:
		k = types.Real
	case types.ComplexVector:
		k = types.Vector
	case types.ComplexRowVector:
		k = types.RowVector
	case types.ComplexMatrix:
		k = types.Matrix
	}
	return types.Array(types.Type{Kind: k}, t.Dims)
}

// part is a complex (or promoted) argument split into its real and
// imaginary parts: fill evaluates the argument once per call into
// buffers, which re and im read.
type part struct {
	re, im cexpr
	fill   func(*env)
	isReal bool // promoted from a real: im is zero
}

func (c *compiler) split(x cexpr) part {
	rt := realOf(x.t)
	p := part{isReal: !isComplex(x.t.Kind)}
	if x.v == nil {
		f := x.cplx()
		slot := zeroState[[2]ad.Var](c)
		p.re = cexpr{t: rt, r: func(e *env) ad.Var { return slot.of(e)[0] }}
		p.im = cexpr{t: rt, r: func(e *env) ad.Var { return slot.of(e)[1] }}
		p.fill = func(e *env) {
			z, s := f(e), slot.of(e)
			s[0], s[1] = z.re, z.im
		}
		return p
	}
	re, im := c.buf(), c.buf()
	p.re = cexpr{t: rt, c: c, v: func(e *env) *value { return re.of(e) }}
	p.im = cexpr{t: rt, c: c, v: func(e *env) *value { return im.of(e) }}
	if p.isReal {
		f := x.val(true)
		p.fill = func(e *env) {
			v, r, i := f(e), re.of(e), im.of(e)
			r.shapeReals(v.Dims, len(v.R))
			copy(r.R, v.R)
			i.shapeReals(v.Dims, len(v.R))
			clear(i.R)
		}
		return p
	}
	f := x.v
	p.fill = func(e *env) {
		v, r, i := f(e), re.of(e), im.of(e)
		n := len(v.R) / 2
		r.shapeReals(v.Dims, n)
		i.shapeReals(v.Dims, n)
		for k := range n {
			r.R[k], i.R[k] = v.R[2*k], v.R[2*k+1]
		}
	}
	return p
}

// term is one real function value of a lifted call, added or subtracted.
type term struct {
	x   cexpr
	neg bool
}

// realFunc computes a real function of real arguments, of result type t.
type realFunc func(args []cexpr, t types.Type) (cexpr, error)

// lift compiles the complex form of real, of the given kind, on args
// whose signature types are sig (nil: every argument is a value), with
// result type t.
func (c *compiler) lift(kind liftKind, real realFunc, args []cexpr, sig []types.Type, t types.Type) (cexpr, error) {
	parts := make([]*part, len(args))
	var fills []func(*env)
	var cx []int // the arguments split
	for i, a := range args {
		if sig != nil && !isComplex(sig[i].Kind) && !isComplex(a.t.Kind) {
			continue // an int size or index, the same in every call
		}
		p := c.split(a)
		parts[i] = &p
		fills = append(fills, p.fill)
		cx = append(cx, i)
	}
	// with calls real with each split argument's part of the given kind
	// (true: imaginary) and the others as they are.
	with := func(im map[int]bool) (cexpr, error) {
		as := make([]cexpr, len(args))
		for i, a := range args {
			switch {
			case parts[i] == nil:
				as[i] = a
			case im[i]:
				as[i] = parts[i].im
			default:
				as[i] = parts[i].re
			}
		}
		return real(as, realOf(t))
	}
	var reT, imT []term
	add := func(dst *[]term, neg bool, im map[int]bool) error {
		x, err := with(im)
		if err != nil {
			return err
		}
		*dst = append(*dst, term{x, neg})
		return nil
	}
	var err error
	switch kind {
	case liftLinear:
		all := map[int]bool{}
		for _, i := range cx {
			all[i] = true
		}
		err = add(&reT, false, nil)
		if err == nil {
			err = add(&imT, false, all)
		}
	case liftSquare:
		err = add(&reT, false, nil)
		if err == nil && !parts[cx[0]].isReal {
			err = add(&reT, false, map[int]bool{cx[0]: true})
		}
	case liftBilinear, liftConjBilinear:
		p, q := cx[0], cx[1]
		conj := kind == liftConjBilinear
		bReal, dReal := parts[p].isReal, parts[q].isReal
		steps := []struct {
			dst      *[]term
			neg, use bool
			im       map[int]bool
		}{
			{&reT, false, true, nil}, // A C
			{&reT, !conj, !bReal && !dReal, map[int]bool{p: true, q: true}}, // ∓ B D
			{&imT, false, !dReal, map[int]bool{q: true}},                    // A D
			{&imT, conj, !bReal, map[int]bool{p: true}},                     // ± B C
		}
		for _, s := range steps {
			if s.use && err == nil {
				err = add(s.dst, s.neg, s.im)
			}
		}
	}
	if err != nil {
		return cexpr{}, err
	}
	fillAll := func(e *env) {
		for _, f := range fills {
			f(e)
		}
	}
	if t == types.ComplexT {
		return cexpr{t: t, z: func(e *env) cplx {
			fillAll(e)
			return cplx{sumScalars(e, reT), sumScalars(e, imT)}
		}}, nil
	}
	reBuf, imBuf, out := c.buf(), c.buf(), c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		fillAll(e)
		re := sumValues(e, reT, reBuf.of(e))
		o := out.of(e)
		o.shapeComplex(re.Dims)
		for k, x := range re.R {
			o.R[2*k] = x
		}
		if len(imT) == 0 {
			for k := range re.R {
				o.R[2*k+1] = ad.Var{}
			}
			return o
		}
		im := sumValues(e, imT, imBuf.of(e))
		for k, x := range im.R {
			o.R[2*k+1] = x
		}
		return o
	}}, nil
}

// sumScalars adds up real scalar terms; none is zero.
func sumScalars(e *env, ts []term) ad.Var {
	var s ad.Var
	for k, t := range ts {
		x := t.x.real()(e)
		switch {
		case k == 0 && t.neg:
			s = e.t.Neg(x)
		case k == 0:
			s = x
		case t.neg:
			s = e.t.Sub(s, x)
		default:
			s = e.t.Add(s, x)
		}
	}
	return s
}

// sumValues adds up container terms of one shape into buf, or returns a
// lone unnegated term's own value.
func sumValues(e *env, ts []term, buf *value) *value {
	first := ts[0].x.val(true)(e)
	if len(ts) == 1 && !ts[0].neg {
		return first
	}
	buf.shapeReals(first.Dims, len(first.R))
	for k, x := range first.R {
		if ts[0].neg {
			x = e.t.Neg(x)
		}
		buf.R[k] = x
	}
	for _, t := range ts[1:] {
		v := t.x.val(true)(e)
		for k, x := range v.R {
			if t.neg {
				buf.R[k] = e.t.Sub(buf.R[k], x)
			} else {
				buf.R[k] = e.t.Add(buf.R[k], x)
			}
		}
	}
	return buf
}

// complexLibCall compiles a library function of complex containers that
// complexLifts lists; ok is false for others.
func (c *compiler) complexLibCall(x *ast.CallExpr, call *check.Call, args []cexpr, t types.Type) (cexpr, bool) {
	kind, ok := complexLifts[call.Name]
	if !ok {
		return cexpr{}, false
	}
	complexArgs := false
	for _, a := range call.Sig.Args {
		complexArgs = complexArgs || isComplex(a.Kind)
	}
	if !complexArgs {
		return cexpr{}, false
	}
	f := stdlib().funcs[call.Name]
	if f == nil {
		return cexpr{}, false
	}
	pos := c.pos(x.Pos())
	real := func(as []cexpr, rt types.Type) (cexpr, error) { return f(c, as, rt, pos) }
	e, err := c.lift(kind, real, args, call.Sig.Args, t)
	if err != nil {
		c.errorf(x.Pos(), "%v", err)
		return zeroOf(t), true
	}
	return e, true
}

// complexContainerBinary compiles an operator with a complex container
// operand or result.
func (c *compiler) complexContainerBinary(x *ast.BinaryExpr, a, b cexpr, t types.Type) cexpr {
	pos := c.pos(x.OpPos)
	var kind liftKind
	switch x.Op {
	case token.ADD, token.SUB:
		kind = liftLinear
	case token.MUL, token.ELTMUL:
		kind = liftBilinear
	case token.QUO, token.ELTDIV:
		if x.Op == token.QUO && b.t.Dims == 0 && (b.t.Kind == types.ComplexMatrix || b.t.Kind == types.Matrix) {
			return complexMdivideRight(c, a, b, t, pos)
		}
		return complexEltwise(c, a, b, t, pos, "./", complexDiv)
	case token.POW, token.ELTPOW:
		return complexEltwise(c, a, b, t, pos, x.Op.String(), complexPow)
	default:
		c.errorf(x.OpPos, "operator %s on complex containers is not supported", x.Op)
		return zeroOf(t)
	}
	real := func(as []cexpr, rt types.Type) (cexpr, error) { return c.binaryOf(x, as[0], as[1], rt), nil }
	e, err := c.lift(kind, real, []cexpr{a, b}, nil, t)
	if err != nil {
		c.errorf(x.OpPos, "%v", err)
		return zeroOf(t)
	}
	return e
}

// complexUnaryMinus and complexTranspose are -x and x' of a complex
// container: the plain transpose, as Stan's (no conjugation).
func (c *compiler) complexUnaryMinus(a cexpr, t types.Type) cexpr {
	e, _ := c.lift(liftLinear, func(as []cexpr, rt types.Type) (cexpr, error) {
		return mapReal(c, rt, as[0], func(tp *ad.Tape, v ad.Var) ad.Var { return tp.Neg(v) }), nil
	}, []cexpr{a}, nil, t)
	return e
}

func (c *compiler) complexTranspose(a cexpr, t types.Type) cexpr {
	e, _ := c.lift(liftLinear, func(as []cexpr, rt types.Type) (cexpr, error) {
		return c.transpose(as[0], rt), nil
	}, []cexpr{a}, nil, t)
	return e
}

// zeroOf is a placeholder value of type t after a compile error.
func zeroOf(t types.Type) cexpr {
	if t == types.ComplexT {
		return zeroComplex(t)
	}
	return cexpr{t: t, v: func(*env) *value { return &value{} }}
}
