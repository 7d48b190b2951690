package compile

import (
	"fmt"
	"math"
	"sort"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// More matrix functions, each composed of the tape's matrix operations so
// that their gradients follow: powers, products with the exponential, the
// inverse from a Cholesky factor, the generalized inverse, QR and sample
// quantiles.

// addMoreLinearAlgebra defines them.
func (l *library) addMoreLinearAlgebra() {
	l.fn("log_determinant_spd", matrixReal(func(t *ad.Tape, m ad.Matrix) (ad.Var, error) { return t.LogDeterminantSpd(m) }))
	l.fn("chol2inv", matrixFn(chol2inv))
	l.fn("symmetrize_from_lower_tri", matrixFn(symmetrizeFromLowerTri))
	l.fn("generalized_inverse", matrixFn(generalizedInverse))
	l.fn("qr_Q", matrixFn(func(t *ad.Tape, m ad.Matrix) (ad.Matrix, error) { q, _ := qr(t, m, false); return q, nil }))
	l.fn("qr_R", matrixFn(func(t *ad.Tape, m ad.Matrix) (ad.Matrix, error) { _, r := qr(t, m, false); return r, nil }))
	l.fn("qr_thin_Q", matrixFn(func(t *ad.Tape, m ad.Matrix) (ad.Matrix, error) { q, _ := qr(t, m, true); return q, nil }))
	l.fn("qr_thin_R", matrixFn(func(t *ad.Tape, m ad.Matrix) (ad.Matrix, error) { _, r := qr(t, m, true); return r, nil }))
	l.fn("matrix_power", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fm, fn := a[0].v, a[1].i
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			r, err := matrixPower(e.t, fm(e).matrix(), fn(e))
			if err != nil {
				fail(pos, "%v", err)
			}
			return setResult(buf.of(e), t, r)
		}}, nil
	})
	l.fn("matrix_exp_multiply", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fa, fb := a[0].v, a[1].v
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			r, err := expMultiply(e.t, ad.Const(1), fa(e).matrix(), fb(e).matrix(), "matrix_exp_multiply")
			if err != nil {
				fail(pos, "%v", err)
			}
			return setResult(buf.of(e), t, r)
		}}, nil
	})
	l.fn("scale_matrix_exp_multiply", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fs, fa, fb := a[0].real(), a[1].v, a[2].v
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			r, err := expMultiply(e.t, fs(e), fa(e).matrix(), fb(e).matrix(), "scale_matrix_exp_multiply")
			if err != nil {
				fail(pos, "%v", err)
			}
			return setResult(buf.of(e), t, r)
		}}, nil
	})
	l.fn("quantile", quantileBuiltin)
	l.fn("trace_dot", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fa, fb := a[0].v, a[1].v
		return cexpr{t: t, r: func(e *env) ad.Var {
			r, err := traceDot(e.t, fa(e).matrix(), fb(e).matrix())
			if err != nil {
				fail(pos, "%v", err)
			}
			return r
		}}, nil
	})
	l.fn("svd_U", svdBuiltin(true))
	l.fn("svd_V", svdBuiltin(false))
}

func squareErr(fn string, m ad.Matrix) error {
	if m.Rows != m.Cols {
		return fmt.Errorf("%s: Expecting a square matrix; rows of m (%d) and columns of m (%d) must match in size", fn, m.Rows, m.Cols)
	}
	return nil
}

// traceDot is trace(A B) = Σ_ij A_ij B_ji, one tape statement without
// forming the product.
func traceDot(t *ad.Tape, a, b ad.Matrix) (ad.Var, error) {
	if a.Cols != b.Rows || a.Rows != b.Cols {
		return ad.Var{}, fmt.Errorf("trace_dot: A is %d×%d and B %d×%d, but B must be %d×%d", a.Rows, a.Cols, b.Rows, b.Cols, a.Cols, a.Rows)
	}
	bd := t.Begin()
	v := 0.0
	for j := range a.Cols {
		for i := range a.Rows {
			x, y := a.At(i, j), b.At(j, i)
			v += x.Val * y.Val
			bd.Add(x, y.Val)
			bd.Add(y, x.Val)
		}
	}
	return bd.End(v), nil
}

// chol2inv is (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹ for the lower triangle of L.
func chol2inv(t *ad.Tape, l ad.Matrix) (ad.Matrix, error) {
	if err := squareErr("chol2inv", l); err != nil {
		return ad.Matrix{}, err
	}
	n := l.Rows
	for i := range n {
		if !(l.At(i, i).Val != 0) {
			return ad.Matrix{}, fmt.Errorf("chol2inv: L is singular (L[%d,%d] = %v)", i+1, i+1, l.At(i, i).Val)
		}
	}
	id := make([]float64, n*n)
	for i := range n {
		id[i*(n+1)] = 1
	}
	inv, err := t.MdivideLeftTriLow(l, ad.ConstMatrix(n, n, id))
	if err != nil {
		return ad.Matrix{}, err
	}
	return t.Crossprod(inv), nil
}

// symmetrizeFromLowerTri copies the lower triangle over the upper.
func symmetrizeFromLowerTri(t *ad.Tape, m ad.Matrix) (ad.Matrix, error) {
	if err := squareErr("symmetrize_from_lower_tri", m); err != nil {
		return ad.Matrix{}, err
	}
	n := m.Rows
	r := t.Matrix(n, n)
	for j := range n {
		for i := j; i < n; i++ {
			r.Set(i, j, m.At(i, j))
			r.Set(j, i, m.At(i, j))
		}
	}
	return r, nil
}

// matrixPower is mⁿ by repeated squaring; m⁰ is the identity.
func matrixPower(t *ad.Tape, m ad.Matrix, n int) (ad.Matrix, error) {
	if err := squareErr("matrix_power", m); err != nil {
		return ad.Matrix{}, err
	}
	if n < 0 {
		return ad.Matrix{}, fmt.Errorf("matrix_power: n is %d, but must be nonnegative", n)
	}
	for _, v := range m.Data {
		if math.IsNaN(v.Val) || math.IsInf(v.Val, 0) {
			return ad.Matrix{}, fmt.Errorf("matrix_power: M is not finite")
		}
	}
	k := m.Rows
	id := make([]float64, k*k)
	for i := range k {
		id[i*(k+1)] = 1
	}
	r := ad.ConstMatrix(k, k, id)
	for p := m; n > 0; n >>= 1 {
		if n&1 == 1 {
			r, _ = t.MatMul(r, p)
		}
		if n > 1 {
			p, _ = t.MatMul(p, p)
		}
	}
	return r, nil
}

// expMultiply is e^(s a) b.
func expMultiply(t *ad.Tape, s ad.Var, a, b ad.Matrix, fn string) (ad.Matrix, error) {
	if err := squareErr(fn, a); err != nil {
		return ad.Matrix{}, err
	}
	if a.Cols != b.Rows {
		return ad.Matrix{}, fmt.Errorf("%s: Columns of A (%d) and Rows of B (%d) must match in size", fn, a.Cols, b.Rows)
	}
	if a.Rows == 0 {
		return b, nil
	}
	e, err := matrixExp(t, t.ScaleMatrix(a, s))
	if err != nil {
		return ad.Matrix{}, err
	}
	return t.MatMul(e, b)
}

// generalizedInverse is the Moore–Penrose inverse of a matrix of full
// rank: the inverse when it is square, Aᵀ(AAᵀ)⁻¹ when it is wide and
// (AᵀA)⁻¹Aᵀ when it is tall.
func generalizedInverse(t *ad.Tape, a ad.Matrix) (ad.Matrix, error) {
	const fn = "generalized_inverse"
	if a.Rows == 0 || a.Cols == 0 {
		return ad.Matrix{Rows: a.Cols, Cols: a.Rows}, nil
	}
	for _, v := range a.Data {
		if math.IsNaN(v.Val) || math.IsInf(v.Val, 0) {
			return ad.Matrix{}, fmt.Errorf("%s: A is not finite", fn)
		}
	}
	at := t.Transpose(a)
	var r ad.Matrix
	var err error
	switch {
	case a.Rows == a.Cols:
		r, err = t.Inverse(a)
	case a.Rows < a.Cols:
		var g ad.Matrix
		if g, err = t.Inverse(t.Tcrossprod(a)); err == nil {
			r, err = t.MatMul(at, g)
		}
	default:
		var g ad.Matrix
		if g, err = t.Inverse(t.Crossprod(a)); err == nil {
			r, err = t.MatMul(g, at)
		}
	}
	if err != nil {
		return ad.Matrix{}, fmt.Errorf("%s: A does not have full rank", fn)
	}
	return r, nil
}

// qr is the QR decomposition of the m×n matrix a by Householder
// reflections, with the signs Stan gives it: R's diagonal is nonnegative.
// Thin, Q is m×k and R k×n for k = min(m, n); else Q is m×m and R m×n.
func qr(t *ad.Tape, a ad.Matrix, thin bool) (q, r ad.Matrix) {
	m, n := a.Rows, a.Cols
	r = t.Matrix(m, n)
	copy(r.Data, a.Data)
	q = t.Matrix(m, m)
	for i := range m {
		q.Set(i, i, ad.Const(1))
	}
	dot := func(a, b []ad.Var) ad.Var { d, _ := t.Dot(a, b); return d }
	v := make([]ad.Var, m)
	for k := 0; k < min(m-1, n); k++ {
		x := r.Data[k+k*m : m+k*m]
		norm := t.Norm2(x)
		if norm.Val == 0 {
			continue
		}
		// The reflection takes x to alpha e₁, alpha of the sign opposite
		// to x₀'s so that v₀ = x₀ - alpha does not cancel.
		alpha := norm
		if x[0].Val >= 0 {
			alpha = t.Neg(norm)
		}
		v = v[:len(x)]
		copy(v, x)
		v[0] = t.Sub(x[0], alpha)
		scale := t.Div(ad.Const(2), dot(v, v))
		for j := k; j < n; j++ {
			col := r.Data[k+j*m : m+j*m]
			s := t.Mul(dot(v, col), scale)
			for i := range col {
				col[i] = t.Sub(col[i], t.Mul(s, v[i]))
			}
		}
		for i := k + 1; i < m; i++ {
			r.Set(i, k, ad.Const(0))
		}
		row := make([]ad.Var, len(v))
		for i := range m {
			for l := range v {
				row[l] = q.At(i, k+l)
			}
			s := t.Mul(dot(row, v), scale)
			for l := range v {
				q.Set(i, k+l, t.Sub(row[l], t.Mul(s, v[l])))
			}
		}
	}
	kk := min(m, n)
	for i := range kk {
		if r.At(i, i).Val < 0 {
			for j := i; j < n; j++ {
				r.Set(i, j, t.Neg(r.At(i, j)))
			}
			for l := range m {
				q.Set(l, i, t.Neg(q.At(l, i)))
			}
		}
	}
	if !thin {
		return q, r
	}
	// The first k columns of Q, and the first k rows of R.
	rt := t.Matrix(kk, n)
	for j := range n {
		for i := range kk {
			rt.Set(i, j, r.At(i, j))
		}
	}
	return ad.Matrix{Rows: m, Cols: kk, Data: q.Data[:m*kk]}, rt
}

// quantileBuiltin is Stan's quantile: the sample quantile of type 7 of
// Hyndman and Fan (R's default), x₍ₕ₎ + (h - ⌊h⌋)(x₍ₕ₊₁₎ - x₍ₕ₎) of the
// sorted x for h = (n-1)p, 0-based; of one p or of each of an array.
func quantileBuiltin(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	fx := a[0].val(true)
	sorted := newState(c, func() *[]ad.Var { return new([]ad.Var) })
	at := func(e *env, p float64) ad.Var {
		xs := *sorted.of(e)
		if !(p >= 0 && p <= 1) {
			fail(pos, "quantile: p is %v, but must be in the interval [0, 1]", p)
		}
		h := float64(len(xs)-1) * p
		lo := int(math.Floor(h))
		if lo >= len(xs)-1 {
			return xs[len(xs)-1]
		}
		return e.t.Add(xs[lo], e.t.Mul(ad.Const(h-float64(lo)), e.t.Sub(xs[lo+1], xs[lo])))
	}
	sortX := func(e *env) {
		x := fx(e)
		if len(x.R) == 0 {
			fail(pos, "quantile: x has size 0, but must have a non-zero size")
		}
		s := sorted.of(e)
		*s = append((*s)[:0], x.R...)
		for _, v := range *s {
			if math.IsNaN(v.Val) {
				fail(pos, "quantile: x is nan, but must not be nan")
			}
		}
		sort.SliceStable(*s, func(i, j int) bool { return (*s)[i].Val < (*s)[j].Val })
	}
	if a[1].v == nil {
		fp := a[1].real()
		return cexpr{t: t, r: func(e *env) ad.Var {
			sortX(e)
			return at(e, fp(e).Val)
		}}, nil
	}
	fps := a[1].val(true)
	buf := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		sortX(e)
		ps := fps(e)
		out := buf.of(e)
		out.shape(ps.Dims, false)
		for i, p := range ps.R {
			out.R[i] = at(e, p.Val)
		}
		return out
	}}, nil
}

// svdBuiltin compiles svd_U (u set) or svd_V of an m×n matrix A, whose
// K = min(m, n) columns are the singular vectors in the order of the
// singular values, largest first. They come from the eigenvectors of the
// smaller of AᵀA and AAᵀ (V or U), the others from A V Σ⁻¹ or Aᵀ U Σ⁻¹;
// a vector's sign is arbitrary, as in any SVD. A zero singular value
// leaves the vectors the quotient makes not finite.
func svdBuiltin(u bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fm := a[0].v
		buf := c.buf()
		solver := newState(c, func() *ad.SymEigen { return &ad.SymEigen{} })
		fn := "svd_V"
		if u {
			fn = "svd_U"
		}
		return cexpr{t: t, v: func(e *env) *value {
			tp, m := e.t, fm(e).matrix()
			if m.Rows == 0 || m.Cols == 0 {
				fail(pos, "%s: m has size 0, but must have a non-zero size", fn)
			}
			for _, v := range m.Data {
				if math.IsNaN(v.Val) || math.IsInf(v.Val, 0) {
					fail(pos, "%s: m is not finite", fn)
				}
			}
			// Work with the matrix whose Gram matrix is the smaller: the
			// transpose of a wide m swaps the roles of U and V.
			w, wantRight := m, !u
			if m.Rows < m.Cols {
				w, wantRight = tp.Transpose(m), u
			}
			k := w.Cols
			vals, vecs, err := solver.of(e).Compute(tp, tp.Crossprod(w), true)
			if err != nil {
				fail(pos, "%s: %v", fn, err)
			}
			// Eigenvalues come ascending: column j of the result is the
			// eigenvector of the (k-1-j)th.
			right := tp.Matrix(k, k)
			for j := range k {
				copy(right.Data[j*k:(j+1)*k], vecs[(k-1-j)*k:(k-j)*k])
			}
			if wantRight {
				return setResult(buf.of(e), t, right)
			}
			left, _ := tp.MatMul(w, right)
			for j := range k {
				s := tp.Sqrt(vals[k-1-j])
				for i := range left.Rows {
					left.Set(i, j, tp.Div(left.At(i, j), s))
				}
			}
			return setResult(buf.of(e), t, left)
		}}, nil
	}
}
