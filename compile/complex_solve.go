package compile

import (
	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// complexMdivideRight compiles b / a and mdivide_right(b, a), b a⁻¹, for a
// complex row vector or matrix b and a complex square matrix a (Stan
// Functions Reference, "Complex matrix division operators and
// functions"). With X = Xr + i Xi the solution of X A = B, A = Ar + i Ai,
// the real system
//
//	[Xr Xi] [ Ar  Ai] = [Br Bi]
//	        [-Ai  Ar]
//
// is equivalent, and is solved by the real right division (ad's
// MdivideRight), whose derivatives these are.
func complexMdivideRight(c *compiler, b, a cexpr, t types.Type, pos token.Position) cexpr {
	fb, fa, buf := b.cval(c), a.cval(c), c.buf()
	isRow := b.t.Kind == types.ComplexRowVector || b.t.Kind == types.RowVector
	return cexpr{t: t, v: func(e *env) *value {
		vb, va := fb(e), fa(e)
		m, p := 1, len(vb.R)/2
		if !isRow {
			m, p = vb.Dims[0], vb.Dims[1]
		}
		n, nc := va.Dims[0], va.Dims[1]
		if n != nc {
			fail(pos, "%v", &ad.SizeError{Func: "mdivide_right", Name1: "Expecting a square matrix; rows of A", Name2: "columns of A", N1: n, N2: nc})
		}
		if p != n {
			fail(pos, "%v", &ad.SizeError{Func: "mdivide_right", Name1: "Columns of b", Name2: "Rows of A", N1: p, N2: n})
		}
		at := func(v *value, rows, i, j int) cplx { return cplx{v.R[2*(i+j*rows)], v.R[2*(i+j*rows)+1]} }
		E := ad.Matrix{Rows: 2 * n, Cols: 2 * n, Data: make([]ad.Var, 4*n*n)}
		for j := range n {
			for i := range n {
				z := at(va, n, i, j)
				E.Set(i, j, z.re)
				E.Set(i+n, j+n, z.re)
				E.Set(i, j+n, z.im)
				E.Set(i+n, j, e.t.Neg(z.im))
			}
		}
		B := ad.Matrix{Rows: m, Cols: 2 * n, Data: make([]ad.Var, 2*m*n)}
		for j := range n {
			for i := range m {
				z := at(vb, m, i, j)
				B.Set(i, j, z.re)
				B.Set(i, j+n, z.im)
			}
		}
		X, err := e.t.MdivideRight(B, E)
		if err != nil {
			fail(pos, "%v", err)
		}
		o := buf.of(e)
		if isRow {
			o.shapeComplex([]int{n})
		} else {
			o.shapeComplex([]int{m, n})
		}
		for j := range n {
			for i := range m {
				o.R[2*(i+j*m)], o.R[2*(i+j*m)+1] = X.At(i, j), X.At(i, j+n)
			}
		}
		return o
	}}
}
