package ad_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
	"gonum.org/v1/gonum/mat"
)

// seq returns n distinct, moderately sized values. Its argument grows
// quadratically so that matrices filled with it have full rank.
func seq(n int, scale float64) []float64 {
	r := make([]float64, n)
	for i := range r {
		r[i] = scale * math.Cos(0.9*float64(i*i)+0.3)
	}
	return r
}

// mx wraps v as a rows x cols column-major matrix.
func mx(rows, cols int, v []ad.Var) ad.Matrix { return ad.Matrix{Rows: rows, Cols: cols, Data: v} }

// symFromLower builds a symmetric n x n matrix whose (i, j) and (j, i)
// elements are the same Var, taken by column from the lower triangle in v,
// and adds shift to the diagonal to make it positive definite.
func symFromLower(tp *ad.Tape, n int, v []ad.Var, shift float64) ad.Matrix {
	m := ad.Matrix{Rows: n, Cols: n, Data: make([]ad.Var, n*n)}
	k := 0
	for j := 0; j < n; j++ {
		for i := j; i < n; i++ {
			x := v[k]
			if i == j {
				x = tp.Add(x, ad.Const(shift))
			}
			m.Set(i, j, x)
			m.Set(j, i, x)
			k++
		}
	}
	return m
}

// lowerFrom builds an n x n lower-triangular matrix from v by column, with
// shift added to the diagonal.
func lowerFrom(tp *ad.Tape, n int, v []ad.Var, shift float64) ad.Matrix {
	m := ad.Matrix{Rows: n, Cols: n, Data: make([]ad.Var, n*n)}
	k := 0
	for j := 0; j < n; j++ {
		for i := j; i < n; i++ {
			x := v[k]
			if i == j {
				x = tp.Add(x, ad.Const(shift))
			}
			m.Set(i, j, x)
			k++
		}
	}
	return m
}

func consts(v []float64) []ad.Var {
	r := make([]ad.Var, len(v))
	for i, x := range v {
		r[i] = ad.Const(x)
	}
	return r
}

func TestLinalgGradients(t *testing.T) {
	d6, d9, d12 := consts(seq(6, 1.3)), consts(seq(9, 0.8)), consts(seq(12, 1.1))
	cases := []struct {
		name string
		n    int // number of parameters
		f    fdcheck.Func
	}{
		{"MatMul var var", 12, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			c, err := tp.MatMul(mx(2, 3, x[:6]), mx(3, 2, x[6:]))
			return reduce(tp, c.Data), err
		}},
		{"MatMul data var", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			c, err := tp.MatMul(mx(4, 3, d12), mx(3, 2, x))
			return reduce(tp, c.Data), err
		}},
		{"MatMul var data", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			c, err := tp.MatMul(mx(2, 3, x), mx(3, 4, d12))
			return reduce(tp, c.Data), err
		}},
		{"MatMul mixed", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			a := append([]ad.Var{}, d6...)
			a[1], a[4] = x[0], x[1]
			c, err := tp.MatMul(mx(2, 3, a), mx(3, 2, []ad.Var{x[2], d6[0], x[3], x[4], d6[2], x[5]}))
			return reduce(tp, c.Data), err
		}},
		{"MatVec var var", 9, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MatVec(mx(2, 3, x[:6]), x[6:])
			return reduce(tp, y), err
		}},
		{"MatVec data var", 3, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MatVec(mx(4, 3, d12), x)
			return tp.DotSelf(y), err
		}},
		{"MatVec var data", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MatVec(mx(2, 3, x), d6[:3])
			return reduce(tp, y), err
		}},
		{"DataMatVec", 3, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.DataMatVec(ad.DataMatrix{Rows: 4, Cols: 3, Data: seq(12, 1.1)}, x)
			return tp.DotSelf(y), err
		}},
		{"DataMatMul", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			c, err := tp.DataMatMul(ad.DataMatrix{Rows: 4, Cols: 3, Data: seq(12, 1.1)}, mx(3, 2, x))
			return reduce(tp, c.Data), err
		}},
		{"MatMulData", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			c, err := tp.MatMulData(mx(2, 3, x), ad.DataMatrix{Rows: 3, Cols: 4, Data: seq(12, 1.1)})
			return reduce(tp, c.Data), err
		}},
		{"MatVecData", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MatVecData(mx(2, 3, x), seq(3, 1.3))
			return reduce(tp, y), err
		}},
		{"Transpose", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			c, err := tp.MatMul(tp.Transpose(mx(2, 3, x)), mx(2, 3, d6))
			return reduce(tp, c.Data), err
		}},
		{"Crossprod", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return reduce(tp, tp.Crossprod(mx(3, 2, x)).Data), nil
		}},
		{"Tcrossprod", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return reduce(tp, tp.Tcrossprod(mx(3, 2, x)).Data), nil
		}},
		{"ColumnsDotSelf", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return reduce(tp, tp.ColumnsDotSelf(mx(2, 3, x))), nil
		}},
		{"RowsDotSelf", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return reduce(tp, tp.RowsDotSelf(mx(2, 3, x))), nil
		}},
		{"ColumnsDotProduct", 12, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			r, err := tp.ColumnsDotProduct(mx(2, 3, x[:6]), mx(2, 3, x[6:]))
			return reduce(tp, r), err
		}},
		{"RowsDotProduct", 12, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			r, err := tp.RowsDotProduct(mx(2, 3, x[:6]), mx(2, 3, x[6:]))
			return reduce(tp, r), err
		}},
		{"VecMat", 9, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			r, err := tp.VecMat(x[:3], mx(3, 2, x[3:]))
			return reduce(tp, r), err
		}},
		{"Matrix elementwise", 12, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			a, b := mx(2, 3, x[:6]), mx(2, 3, x[6:])
			s, err := tp.AddMatrix(a, b)
			if err != nil {
				return ad.Var{}, err
			}
			d, _ := tp.SubMatrix(a, b)
			m, _ := tp.ElemMulMatrix(s, d)
			q, _ := tp.ElemDivMatrix(m, tp.ScaleMatrix(b, x[0]))
			return reduce(tp, q.Data), nil
		}},
		{"MdivideRight", 15, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MdivideRight(mx(2, 3, x[9:]), mx(3, 3, x[:9]))
			return reduce(tp, y.Data), err
		}},
		{"Trace", 9, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.Trace(mx(3, 3, x)), nil }},
		{"Quadform", 12, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return tp.Quadform(mx(3, 3, x[:9]), x[9:])
		}},
		{"DiagPreMultiply", 9, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			c, err := tp.DiagPreMultiply(x[:3], mx(3, 2, x[3:]))
			return reduce(tp, c.Data), err
		}},
		{"DiagPostMultiply", 9, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			c, err := tp.DiagPostMultiply(mx(3, 2, x[:6]), x[6:8])
			return reduce(tp, c.Data), err
		}},
		{"DiagPreMultiply data matrix", 3, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			c, err := tp.DiagPreMultiply(x, mx(3, 2, d6))
			return reduce(tp, c.Data), err
		}},
		{"QuadFormDiag", 12, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			c, err := tp.QuadFormDiag(mx(3, 3, x[:9]), x[9:])
			return reduce(tp, c.Data), err
		}},
		{"QuadFormDiag data matrix", 3, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			c, err := tp.QuadFormDiag(mx(3, 3, d9), x)
			return reduce(tp, c.Data), err
		}},
		{"QuadFormDiag data vector", 9, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			c, err := tp.QuadFormDiag(mx(3, 3, x), d6[:3])
			return reduce(tp, c.Data), err
		}},
		{"CholeskyDecompose", 10, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			l, err := tp.CholeskyDecompose(symFromLower(tp, 4, x, 5))
			return reduce(tp, l.Data), err
		}},
		{"CholeskyDecompose of B Bᵀ + I", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			s := tp.Tcrossprod(mx(3, 2, x))
			for i := 0; i < 3; i++ {
				s.Set(i, i, tp.Add(s.At(i, i), ad.Const(1)))
			}
			l, err := tp.CholeskyDecompose(s)
			return reduce(tp, l.Data), err
		}},
		{"MdivideLeftSpd var var", 12, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MdivideLeftSpd(symFromLower(tp, 3, x[:6], 4), mx(3, 2, x[6:12]))
			return reduce(tp, y.Data), err
		}},
		{"MdivideLeftSpd var data", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MdivideLeftSpdVec(symFromLower(tp, 3, x, 4), d6[:3])
			return reduce(tp, y), err
		}},
		{"MdivideLeftSpd data var", 3, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MdivideLeftSpdVec(symFromLower(tp, 3, d6, 4), x)
			return reduce(tp, y), err
		}},
		{"LogDeterminantSpd", 10, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return tp.LogDeterminantSpd(symFromLower(tp, 4, x, 3))
		}},
		{"MdivideLeftTriLow var var", 9, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MdivideLeftTriLowVec(lowerFrom(tp, 3, x[:6], 2), x[6:])
			return reduce(tp, y), err
		}},
		{"MdivideLeftTriLow data var", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			l := lowerFrom(tp, 3, d6, 3)
			y, err := tp.MdivideLeftTriLow(l, mx(3, 2, x))
			return reduce(tp, y.Data), err
		}},
		{"MdivideLeftTriLow var data", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MdivideLeftTriLow(lowerFrom(tp, 3, x, 2), mx(3, 2, d6))
			return reduce(tp, y.Data), err
		}},
		{"MdivideRightTriLow var var", 12, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MdivideRightTriLow(mx(2, 3, x[6:]), lowerFrom(tp, 3, x[:6], 2))
			return reduce(tp, y.Data), err
		}},
		{"MdivideRightTriLow data var", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MdivideRightTriLow(mx(2, 3, x), lowerFrom(tp, 3, d6, 3))
			return reduce(tp, y.Data), err
		}},
		{"MdivideRightTriLow var data", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MdivideRightTriLow(mx(1, 3, d6[:3]), lowerFrom(tp, 3, x, 2))
			return reduce(tp, y.Data), err
		}},
		{"MdivideLeft var var", 12, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MdivideLeftVec(mx(3, 3, x[:9]), x[9:])
			return reduce(tp, y), err
		}},
		{"MdivideLeft data var", 6, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MdivideLeft(mx(3, 3, d9), mx(3, 2, x))
			return reduce(tp, y.Data), err
		}},
		{"MdivideLeft var data", 9, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MdivideLeft(mx(3, 3, x), mx(3, 2, d6))
			return reduce(tp, y.Data), err
		}},
		{"Inverse", 9, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.Inverse(mx(3, 3, x))
			return reduce(tp, y.Data), err
		}},
		{"LogDeterminant", 9, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return tp.LogDeterminant(mx(3, 3, x))
		}},
		{"LogDeterminant 4x4", 16, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return tp.LogDeterminant(mx(4, 4, x))
		}},
	}
	for _, c := range cases {
		if err := fdcheck.Check(c.f, seq(c.n, 0.9), 1e-6); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// dense converts a constant ad.Matrix to gonum.
func dense(m ad.Matrix) *mat.Dense {
	d := mat.NewDense(m.Rows, m.Cols, nil)
	for j := 0; j < m.Cols; j++ {
		for i := 0; i < m.Rows; i++ {
			d.Set(i, j, m.At(i, j).Val)
		}
	}
	return d
}

func sameMatrix(t *testing.T, name string, got ad.Matrix, want mat.Matrix) {
	t.Helper()
	r, c := want.Dims()
	if got.Rows != r || got.Cols != c {
		t.Fatalf("%s: %dx%d, want %dx%d", name, got.Rows, got.Cols, r, c)
	}
	for j := 0; j < c; j++ {
		for i := 0; i < r; i++ {
			g, w := got.At(i, j).Val, want.At(i, j)
			if !(math.Abs(g-w) <= 1e-12*math.Max(1, math.Abs(w))) {
				t.Errorf("%s[%d,%d] = %.17g, want %.17g", name, i, j, g, w)
			}
		}
	}
}

// Values against gonum/mat, on a tape with variables so that the recorded
// path is the one checked.
func TestLinalgValues(t *testing.T) {
	tp := ad.NewTape()
	vars := func(v []float64) []ad.Var {
		r := make([]ad.Var, len(v))
		for i, x := range v {
			r[i] = tp.Var(x)
		}
		return r
	}
	a := mx(4, 4, vars(seq(16, 1.2)))
	b := mx(4, 3, vars(seq(12, 0.7)))
	ga, gb := dense(a), dense(b)

	var prod, cross, sol, ginv mat.Dense
	c, _ := tp.MatMul(a, b)
	prod.Mul(ga, gb)
	sameMatrix(t, "MatMul", c, &prod)

	dm := ad.DataMatrix{Rows: 4, Cols: 3, Data: seq(12, 0.7)}
	c, _ = tp.DataMatMul(dm, tp.Transpose(b))
	var dprod mat.Dense
	dprod.Mul(mat.NewDense(3, 4, dm.Data).T(), gb.T())
	sameMatrix(t, "DataMatMul", c, &dprod)

	cross.Mul(ga.T(), ga)
	sameMatrix(t, "Crossprod", tp.Crossprod(a), &cross)

	x, _ := tp.MdivideLeft(a, b)
	if err := sol.Solve(ga, gb); err != nil {
		t.Fatal(err)
	}
	sameMatrix(t, "MdivideLeft", x, &sol)

	inv, _ := tp.Inverse(a)
	if err := ginv.Inverse(ga); err != nil {
		t.Fatal(err)
	}
	sameMatrix(t, "Inverse", inv, &ginv)

	var right mat.Dense
	mr, _ := tp.MdivideRight(tp.Transpose(b), a)
	right.Mul(gb.T(), &ginv)
	sameMatrix(t, "MdivideRight", mr, &right)

	ld, _ := tp.LogDeterminant(a)
	if w, _ := mat.LogDet(ga); math.Abs(ld.Val-w) > 1e-12*math.Abs(w) {
		t.Errorf("LogDeterminant = %.17g, want %.17g", ld.Val, w)
	}

	s := tp.Tcrossprod(a)
	for i := 0; i < 4; i++ {
		s.Set(i, i, tp.Add(s.At(i, i), ad.Const(0.5)))
	}
	l, err := tp.CholeskyDecompose(s)
	if err != nil {
		t.Fatal(err)
	}
	var ch mat.Cholesky
	if !ch.Factorize(mat.NewSymDense(4, dense(s).RawMatrix().Data)) {
		t.Fatal("gonum: not positive definite")
	}
	var gl mat.TriDense
	ch.LTo(&gl)
	sameMatrix(t, "CholeskyDecompose", l, &gl)

	spd, _ := tp.MdivideLeftSpd(s, b)
	var wspd mat.Dense
	if err := ch.SolveTo(&wspd, gb); err != nil {
		t.Fatal(err)
	}
	sameMatrix(t, "MdivideLeftSpd", spd, &wspd)
	lds, _ := tp.LogDeterminantSpd(s)
	if w := ch.LogDet(); math.Abs(lds.Val-w) > 1e-12*math.Abs(w) {
		t.Errorf("LogDeterminantSpd = %.17g, want %.17g", lds.Val, w)
	}

	y, _ := tp.MdivideLeftTriLow(l, b)
	var wy mat.Dense
	if err := wy.Solve(&gl, gb); err != nil {
		t.Fatal(err)
	}
	sameMatrix(t, "MdivideLeftTriLow", y, &wy)
	yr, _ := tp.MdivideRightTriLow(tp.Transpose(b), l)
	var wr, glt mat.Dense
	if err := glt.Inverse(&gl); err != nil {
		t.Fatal(err)
	}
	wr.Mul(gb.T(), &glt)
	sameMatrix(t, "MdivideRightTriLow", yr, &wr)

	if tr := tp.Trace(a).Val; math.Abs(tr-mat.Trace(ga)) > 1e-14 {
		t.Errorf("Trace = %v, want %v", tr, mat.Trace(ga))
	}
	cdp, _ := tp.ColumnsDotProduct(a, a)
	rdp, _ := tp.RowsDotProduct(a, a)
	for j := 0; j < 4; j++ {
		if w := mat.Dot(ga.ColView(j), ga.ColView(j)); math.Abs(cdp[j].Val-w) > 1e-14*w {
			t.Errorf("ColumnsDotProduct[%d] = %v, want %v", j, cdp[j].Val, w)
		}
		if w := mat.Dot(ga.RowView(j), ga.RowView(j)); math.Abs(rdp[j].Val-w) > 1e-14*w {
			t.Errorf("RowsDotProduct[%d] = %v, want %v", j, rdp[j].Val, w)
		}
	}

	qd, _ := tp.QuadFormDiag(a, b.Data[:4])
	var wqd mat.Dense
	dv := mat.NewDiagDense(4, []float64{b.At(0, 0).Val, b.At(1, 0).Val, b.At(2, 0).Val, b.At(3, 0).Val})
	wqd.Product(dv, ga, dv)
	sameMatrix(t, "QuadFormDiag", qd, &wqd)

	q, _ := tp.Quadform(a, b.Data[:4])
	bv := mat.NewVecDense(4, []float64{b.At(0, 0).Val, b.At(1, 0).Val, b.At(2, 0).Val, b.At(3, 0).Val})
	if w := mat.Inner(bv, ga, bv); math.Abs(q.Val-w) > 1e-12*math.Abs(w) {
		t.Errorf("Quadform = %.17g, want %.17g", q.Val, w)
	}
}

func TestLinalgErrors(t *testing.T) {
	tp := ad.NewTape()
	a := mx(2, 3, consts(seq(6, 1)))
	_, err := tp.MatVec(a, consts(seq(2, 1)))
	want := "multiply: Columns of m1 (3) and Rows of m2 (2) must match in size"
	if err == nil || err.Error() != want {
		t.Errorf("MatVec: %v, want %q", err, want)
	}
	_, err = tp.CholeskyDecompose(a)
	want = "cholesky_decompose: Expecting a square matrix; rows of m (2) and columns of m (3) must match in size"
	if err == nil || err.Error() != want {
		t.Errorf("CholeskyDecompose: %v, want %q", err, want)
	}
	_, err = tp.CholeskyDecompose(mx(2, 2, consts([]float64{1, 2, 3, 1})))
	want = "cholesky_decompose: Matrix m is not symmetric. m[1,2] = 3, but m[2,1] = 2"
	if err == nil || err.Error() != want {
		t.Errorf("CholeskyDecompose: %v, want %q", err, want)
	}
	_, err = tp.CholeskyDecompose(mx(2, 2, consts([]float64{1, 2, 2, 1})))
	want = "cholesky_decompose: Matrix m is not positive definite"
	if err == nil || err.Error() != want {
		t.Errorf("CholeskyDecompose: %v, want %q", err, want)
	}
	_, err = tp.LogDeterminantSpd(mx(2, 2, consts([]float64{1, 2, 2, 1})))
	want = "log_determinant_spd: Matrix m is not positive definite"
	if err == nil || err.Error() != want {
		t.Errorf("LogDeterminantSpd: %v, want %q", err, want)
	}
	_, err = tp.MdivideLeftSpd(mx(2, 2, consts([]float64{1, 2, 3, 1})), mx(2, 1, consts(seq(2, 1))))
	want = "mdivide_left_spd: Matrix A is not symmetric. A[1,2] = 3, but A[2,1] = 2"
	if err == nil || err.Error() != want {
		t.Errorf("MdivideLeftSpd: %v, want %q", err, want)
	}
	_, err = tp.AddMatrix(a, tp.Transpose(a))
	want = "add: Rows of m1 (2) and rows of m2 (3) must match in size"
	if err == nil || err.Error() != want {
		t.Errorf("AddMatrix: %v, want %q", err, want)
	}
	if _, err := tp.Inverse(a); err == nil {
		t.Error("Inverse of a 2x3 matrix: no error")
	}
	if _, err := tp.MdivideLeftTriLowVec(mx(2, 2, consts(seq(4, 1))), consts(seq(3, 1))); err == nil {
		t.Error("MdivideLeftTriLow with mismatched sizes: no error")
	}
}

// Constant operands give constant results and record nothing, on a nil
// tape too.
func TestLinalgConstants(t *testing.T) {
	for _, tp := range []*ad.Tape{ad.NewTape(), nil} {
		a := mx(3, 3, consts([]float64{4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2}))
		b := mx(3, 2, consts(seq(6, 1)))
		var outs []ad.Var
		add := func(m ad.Matrix, err error) {
			if err != nil {
				t.Fatal(err)
			}
			outs = append(outs, m.Data...)
		}
		add(tp.MatMul(a, b))
		add(tp.CholeskyDecompose(a))
		add(tp.MdivideLeftTriLow(a, b))
		add(tp.MdivideLeft(a, b))
		add(tp.Inverse(a))
		add(tp.MdivideLeftSpd(a, b))
		add(tp.Tcrossprod(b), nil)
		ld, err := tp.LogDeterminant(a)
		if err != nil {
			t.Fatal(err)
		}
		lds, err := tp.LogDeterminantSpd(a)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, ld, lds)
		if ad.AnyVar(outs) || (tp != nil && tp.Len() != 0) {
			t.Error("constant operands gave variables")
		}
	}
}

// Larger, non-square shapes catch indexing slips that 3x3 cases can hide.
func TestLinalgGradientsLarger(t *testing.T) {
	const n, k = 6, 3
	cases := []struct {
		name string
		np   int
		f    fdcheck.Func
	}{
		{"CholeskyDecompose 6x6", n * (n + 1) / 2, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			l, err := tp.CholeskyDecompose(symFromLower(tp, n, x, 4))
			return reduce(tp, l.Data), err
		}},
		{"Inverse 6x6", n * n, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			a := mx(n, n, x)
			for i := 0; i < n; i++ {
				a.Set(i, i, tp.Add(a.At(i, i), ad.Const(2)))
			}
			y, err := tp.Inverse(a)
			return reduce(tp, y.Data), err
		}},
		{"MdivideLeft 6x6 by 6x3", n*n + n*k, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			a := mx(n, n, x[:n*n])
			for i := 0; i < n; i++ {
				a.Set(i, i, tp.Add(a.At(i, i), ad.Const(2)))
			}
			y, err := tp.MdivideLeft(a, mx(n, k, x[n*n:]))
			return reduce(tp, y.Data), err
		}},
		{"MdivideLeftTriLow 6x6 by 6x3", n*(n+1)/2 + n*k, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MdivideLeftTriLow(lowerFrom(tp, n, x[:n*(n+1)/2], 2), mx(n, k, x[n*(n+1)/2:]))
			return reduce(tp, y.Data), err
		}},
		{"MdivideRightTriLow 3x6 by 6x6", n*(n+1)/2 + n*k, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MdivideRightTriLow(mx(k, n, x[n*(n+1)/2:]), lowerFrom(tp, n, x[:n*(n+1)/2], 2))
			return reduce(tp, y.Data), err
		}},
		{"MatMul 5x3 by 3x4", 27, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			y, err := tp.MatMul(mx(5, 3, x[:15]), mx(3, 4, x[15:]))
			return reduce(tp, y.Data), err
		}},
	}
	for _, c := range cases {
		if err := fdcheck.Check(c.f, seq(c.np, 0.5), 1e-6); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
