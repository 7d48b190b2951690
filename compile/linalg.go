package compile

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Linear algebra: solves, inverses, determinants, quadratic forms, norms,
// the matrix exponential and singular values.

// addLinearAlgebra defines them.
func (l *library) addLinearAlgebra() {
	m := map[string]builtin{}
	for name, f := range map[string]builtin{
		"mdivide_left":          solveBuiltin(solveLeft),
		"mdivide_left_spd":      solveBuiltin(solveLeftSpd),
		"mdivide_right":         solveBuiltin(solveRight),
		"mdivide_right_spd":     solveBuiltin(solveRightSpd),
		"mdivide_right_tri_low": solveBuiltin(solveRightTriLow),
		"inverse":               matrixFn(func(t *ad.Tape, m ad.Matrix) (ad.Matrix, error) { return t.Inverse(m) }),
		"inverse_spd":           matrixFn(dist.InverseSPD),
		"matrix_exp":            matrixFn(matrixExp),
		"determinant":           matrixReal(determinant),
		"trace":                 matrixReal(func(t *ad.Tape, m ad.Matrix) (ad.Var, error) { return t.Trace(m), nil }),
		"singular_values":       singularValues,
		"quad_form":             quadForm(false),
		"quad_form_sym":         quadForm(true),
		"trace_quad_form":       traceQuadForm,
		"trace_gen_quad_form":   traceGenQuadForm,
		"norm1":                 realReduce(func(t *ad.Tape, x []ad.Var) ad.Var { return t.Norm1(x) }),
		"norm2":                 realReduce(func(t *ad.Tape, x []ad.Var) ad.Var { return t.Norm2(x) }),
	} {
		m[name] = f
	}
	for name, f := range m {
		l.fn(name, f)
	}
}

// asMatrix views a vector as a column, a row vector as a row, a matrix as
// itself.
func asMatrix(k types.Kind, v *value) ad.Matrix {
	switch k {
	case types.Vector:
		return ad.Matrix{Rows: len(v.R), Cols: 1, Data: v.R}
	case types.RowVector:
		return ad.Matrix{Rows: 1, Cols: len(v.R), Data: v.R}
	}
	return v.matrix()
}

// setResult points buf at a result of type t.
func setResult(buf *value, t types.Type, m ad.Matrix) *value {
	switch t.Kind {
	case types.Vector, types.RowVector:
		buf.Dims = append(buf.Dims[:0], len(m.Data))
	default:
		buf.Dims = append(buf.Dims[:0], m.Rows, m.Cols)
	}
	buf.R, buf.I = m.Data, nil
	return buf
}

// addContainers compiles a + b or a - b of two containers of the same
// shape as one tape node (ad's ElemAdd and ElemSub), whose constant zeros
// cost nothing: a matrix plus diag_matrix(v) records the diagonal only.
func (c *compiler) addContainers(x *ast.BinaryExpr, a, b cexpr, t types.Type, f func(*ad.Tape, []ad.Var, []ad.Var) ([]ad.Var, error)) cexpr {
	pos := c.pos(x.OpPos)
	fa, fb := a.val(true), b.val(true)
	buf := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		u, v := fa(e), fb(e)
		if len(u.R) != len(v.R) || !sameDims(u.Dims, v.Dims) {
			fail(pos, "size mismatch in %s: %v and %v", x.Op, dimString(u.Dims), dimString(v.Dims))
		}
		r, _ := f(e.t, u.R, v.R)
		out := buf.of(e)
		out.Dims = append(out.Dims[:0], u.Dims...)
		out.R, out.I = r, nil
		return out
	}}
}

// solveBuiltin compiles a solve f(a, b) of two matrix-like arguments.
func solveBuiltin(f func(t *ad.Tape, a, b ad.Matrix) (ad.Matrix, error)) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		return c.solveOp(a[0], a[1], t, pos, f), nil
	}
}

func (c *compiler) solveOp(x, y cexpr, t types.Type, pos token.Position, f func(t *ad.Tape, a, b ad.Matrix) (ad.Matrix, error)) cexpr {
	fa, fb := x.val(true), y.val(true)
	ka, kb := x.t.Kind, y.t.Kind
	buf := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		r, err := f(e.t, asMatrix(ka, fa(e)), asMatrix(kb, fb(e)))
		if err != nil {
			fail(pos, "%v", err)
		}
		return setResult(buf.of(e), t, r)
	}}
}

// solveLeft is a⁻¹ b; solveRight is b a⁻¹ (its arguments in Stan's order,
// b first).
func solveLeft(t *ad.Tape, a, b ad.Matrix) (ad.Matrix, error) { return t.MdivideLeft(a, b) }

func solveRight(t *ad.Tape, b, a ad.Matrix) (ad.Matrix, error) { return t.MdivideRight(b, a) }

func solveLeftSpd(t *ad.Tape, a, b ad.Matrix) (ad.Matrix, error) { return t.MdivideLeftSpd(a, b) }

// solveRightSpd is b a⁻¹ for a symmetric positive-definite a: (a⁻¹ bᵀ)ᵀ.
func solveRightSpd(t *ad.Tape, b, a ad.Matrix) (ad.Matrix, error) {
	if b.Cols != a.Rows {
		return ad.Matrix{}, fmt.Errorf("mdivide_right_spd: Columns of b (%d) and Rows of A (%d) must match in size", b.Cols, a.Rows)
	}
	x, err := t.MdivideLeftSpd(a, t.Transpose(b))
	if err != nil {
		return ad.Matrix{}, err
	}
	return t.Transpose(x), nil
}

// solveRightTriLow is b l⁻¹ for the lower triangle of l, one tape node.
func solveRightTriLow(t *ad.Tape, b, l ad.Matrix) (ad.Matrix, error) {
	return t.MdivideRightTriLow(b, l)
}

// matrixFn compiles a function from a matrix to a matrix.
func matrixFn(f func(t *ad.Tape, m ad.Matrix) (ad.Matrix, error)) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fm := a[0].v
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			r, err := f(e.t, fm(e).matrix())
			if err != nil {
				fail(pos, "%v", err)
			}
			return setResult(buf.of(e), t, r)
		}}, nil
	}
}

// matrixReal compiles a function from a matrix to a real.
func matrixReal(f func(t *ad.Tape, m ad.Matrix) (ad.Var, error)) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fm := a[0].v
		return cexpr{t: t, r: func(e *env) ad.Var {
			r, err := f(e.t, fm(e).matrix())
			if err != nil {
				fail(pos, "%v", err)
			}
			return r
		}}, nil
	}
}

// determinant is det m, one statement whose partials are det m · m⁻ᵀ.
func determinant(t *ad.Tape, m ad.Matrix) (ad.Var, error) {
	if m.Rows != m.Cols {
		return ad.Var{}, fmt.Errorf("determinant: Expecting a square matrix; rows of m (%d) and columns of m (%d) must match in size", m.Rows, m.Cols)
	}
	n := m.Rows
	if n == 0 {
		return ad.Const(1), nil
	}
	d := mat.NewDense(n, n, nil)
	for j := range n {
		for i := range n {
			d.Set(i, j, m.At(i, j).Val)
		}
	}
	det := mat.Det(d)
	if m.IsConst() {
		return ad.Const(det), nil
	}
	var inv mat.Dense
	err := inv.Inverse(d)
	b := t.Begin()
	for j := range n {
		for i := range n {
			p := math.NaN()
			if err == nil {
				p = det * inv.At(j, i)
			}
			b.Add(m.At(i, j), p)
		}
	}
	return b.End(det), nil
}

// singularValues are the singular values of a matrix, largest first, each
// one statement with partials ∂σ_k/∂m_ij = u_ik v_jk.
func singularValues(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	fm := a[0].v
	buf := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		m := fm(e).matrix()
		k := min(m.Rows, m.Cols)
		out := buf.of(e)
		out.shape([]int{k}, false)
		if k == 0 {
			return out
		}
		d := mat.NewDense(m.Rows, m.Cols, nil)
		for j := range m.Cols {
			for i := range m.Rows {
				d.Set(i, j, m.At(i, j).Val)
			}
		}
		var svd mat.SVD
		if !svd.Factorize(d, mat.SVDThin) {
			fail(pos, "singular_values: the decomposition failed")
		}
		s := svd.Values(nil)
		var u, v mat.Dense
		svd.UTo(&u)
		svd.VTo(&v)
		for q := range k {
			b := e.t.Begin()
			for j := range m.Cols {
				for i := range m.Rows {
					b.Add(m.At(i, j), u.At(i, q)*v.At(j, q))
				}
			}
			out.R[q] = b.End(s[q])
		}
		return out
	}}, nil
}

// quadForm is bᵀ a b for a matrix or a vector b; with sym, a must be
// symmetric and a matrix result is symmetrized.
func quadForm(sym bool) builtin {
	fn := "quad_form"
	if sym {
		fn = "quad_form_sym"
	}
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fa, fb := a[0].v, a[1].val(true)
		kb := a[1].t.Kind
		// operands checks A (and B against it) as Stan does.
		operands := func(e *env) (ad.Matrix, ad.Matrix) {
			m, b := fa(e).matrix(), asMatrix(kb, fb(e))
			if sym {
				if err := dist.CheckSymmetric(fn, "A", m); err != nil {
					fail(pos, "%v", err)
				}
			}
			if m.Rows != m.Cols {
				fail(pos, "%s: Expecting a square matrix; rows of A (%d) and columns of A (%d) must match in size", fn, m.Rows, m.Cols)
			}
			if m.Cols != b.Rows {
				fail(pos, "%s: Columns of A (%d) and Rows of B (%d) must match in size", fn, m.Cols, b.Rows)
			}
			return m, b
		}
		if t == types.RealT {
			// A vector b: one statement, ad's quadratic form.
			return cexpr{t: t, r: func(e *env) ad.Var {
				m, b := operands(e)
				r, err := e.t.Quadform(m, b.Data)
				if err != nil {
					fail(pos, "%v", err)
				}
				return r
			}}, nil
		}
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			m, b := operands(e)
			r := sandwich(e.t, pos, m, b)
			if sym && r.Rows > 1 {
				r = dist.Symmetrize(e.t, r)
			}
			return setResult(buf.of(e), t, r)
		}}, nil
	}
}

// sandwich is bᵀ a b, the sizes already checked.
func sandwich(t *ad.Tape, pos token.Position, a, b ad.Matrix) ad.Matrix {
	ab, err := t.MatMul(a, b)
	if err != nil {
		fail(pos, "%v", err)
	}
	r, err := t.MatMul(t.Transpose(b), ab)
	if err != nil {
		fail(pos, "%v", err)
	}
	return r
}

// traceQuadForm is trace(bᵀ a b).
func traceQuadForm(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	fa, fb, kb := a[0].v, a[1].v, a[1].t.Kind
	return cexpr{t: t, r: func(e *env) ad.Var {
		// A vector b is the one column of a matrix: trace(bᵀ A b) = bᵀ A b.
		m, b := fa(e).matrix(), asMatrix(kb, fb(e))
		if m.Rows != m.Cols || m.Cols != b.Rows {
			fail(pos, "trace_quad_form: A must be square and its columns (%d) must match the rows of B (%d)", m.Cols, b.Rows)
		}
		ab, err := e.t.MatMul(m, b)
		if err != nil {
			fail(pos, "%v", err)
		}
		// trace(bᵀ (a b)) = Σ b ∘ (a b).
		return dot(e.t, b.Data, ab.Data)
	}}, nil
}

// traceGenQuadForm is trace(d bᵀ a b).
func traceGenQuadForm(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	fd, fa, fb := a[0].v, a[1].v, a[2].v
	return cexpr{t: t, r: func(e *env) ad.Var {
		d, m, b := fd(e).matrix(), fa(e).matrix(), fb(e).matrix()
		if m.Rows != m.Cols || d.Rows != d.Cols || m.Cols != b.Rows || d.Cols != b.Cols {
			fail(pos, "trace_gen_quad_form: D (%d×%d) and A (%d×%d) must be square, A's columns must match B's rows (%d) and D's columns B's columns (%d)", d.Rows, d.Cols, m.Rows, m.Cols, b.Rows, b.Cols)
		}
		q := sandwich(e.t, pos, m, b)
		// trace(d q) = Σ dᵀ ∘ q.
		return dot(e.t, e.t.Transpose(d).Data, q.Data)
	}}, nil
}

// The degree-13 Padé approximant of exp, with scaling and squaring
// (Higham, The scaling and squaring method for the matrix exponential
// revisited, 2005), computed with tape arithmetic so that its gradient is
// the approximant's.
var pade13 = [14]float64{64764752532480000, 32382376266240000, 7771770303897600,
	1187353796428800, 129060195264000, 10559470521600, 670442572800,
	33522128640, 1323241920, 40840800, 960960, 16380, 182, 1}

const pade13Theta = 5.371920351148152

// matrixExp is e^m.
func matrixExp(t *ad.Tape, m ad.Matrix) (ad.Matrix, error) {
	if m.Rows != m.Cols {
		return ad.Matrix{}, fmt.Errorf("matrix_exp: Expecting a square matrix; rows of A (%d) and columns of A (%d) must match in size", m.Rows, m.Cols)
	}
	n := m.Rows
	if n == 0 {
		return m, nil
	}
	norm := 0.0 // the 1-norm: the largest column sum
	for j := range n {
		s := 0.0
		for i := range n {
			s += math.Abs(m.At(i, j).Val)
		}
		norm = math.Max(norm, s)
	}
	if math.IsNaN(norm) || math.IsInf(norm, 0) {
		return ad.Matrix{}, fmt.Errorf("matrix_exp: A is not finite")
	}
	sq := 0
	if norm > pade13Theta {
		sq = int(math.Ceil(math.Log2(norm / pade13Theta)))
	}
	a := m
	if sq > 0 {
		a = t.ScaleMatrix(m, ad.Const(math.Ldexp(1, -sq)))
	}
	mul := func(x, y ad.Matrix) ad.Matrix {
		r, _ := t.MatMul(x, y)
		return r
	}
	a2 := mul(a, a)
	a4 := mul(a2, a2)
	a6 := mul(a4, a2)
	// comb is Σ c_k x_k + c0 I, entry by entry.
	comb := func(c0 float64, cs []float64, xs ...ad.Matrix) ad.Matrix {
		r := t.Matrix(n, n)
		for k := range r.Data {
			b := t.Begin()
			v := 0.0
			if k%(n+1) == 0 {
				v = c0
			}
			for q, x := range xs {
				v += cs[q] * x.Data[k].Val
				b.Add(x.Data[k], cs[q])
			}
			r.Data[k] = b.End(v)
		}
		return r
	}
	b := pade13
	u1 := mul(a6, comb(0, []float64{b[13], b[11], b[9]}, a6, a4, a2))
	u := mul(a, comb(b[1], []float64{1, b[7], b[5], b[3]}, u1, a6, a4, a2))
	v1 := mul(a6, comb(0, []float64{b[12], b[10], b[8]}, a6, a4, a2))
	v := comb(b[0], []float64{1, b[6], b[4], b[2]}, v1, a6, a4, a2)
	p := comb(0, []float64{1, 1}, v, u)
	q := comb(0, []float64{1, -1}, v, u)
	r, err := t.MdivideLeft(q, p)
	if err != nil {
		return ad.Matrix{}, err
	}
	for range sq {
		r = mul(r, r)
	}
	return r, nil
}
