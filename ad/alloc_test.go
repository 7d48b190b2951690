package ad_test

import (
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/race"
)

// model is a fixed function of p + k*k parameters (β, then a k x k matrix
// B) that uses a data matrix-vector product, a Cholesky factor and a vector
// log_sum_exp: log_sum_exp(X β) + |L⁻¹ (X β)[:k]|², where L is the Cholesky
// factor of B Bᵀ + I.
type model struct {
	x     ad.Matrix // data, rows x p
	theta []float64 // p + k*k parameters
	p, k  int
}

func newModel(rows, p, k int) *model {
	return &model{
		x:     ad.ConstMatrix(rows, p, seq(rows*p, 1)),
		theta: seq(p+k*k, 0.5),
		p:     p,
		k:     k,
	}
}

// eval records the model on tp and runs the reverse sweep.
func (m *model) eval(tp *ad.Tape) float64 {
	tp.Reset()
	th := tp.Vars(len(m.theta))
	for i, v := range m.theta {
		th[i] = tp.Var(v)
	}
	mu, err := tp.MatVec(m.x, th[:m.p])
	if err != nil {
		panic(err)
	}
	s := tp.Tcrossprod(ad.Matrix{Rows: m.k, Cols: m.k, Data: th[m.p:]})
	for i := 0; i < m.k; i++ {
		s.Set(i, i, tp.Add(s.At(i, i), ad.Const(1)))
	}
	l, err := tp.CholeskyDecompose(s)
	if err != nil {
		panic(err)
	}
	z, err := tp.MdivideLeftTriLowVec(l, mu[:m.k])
	if err != nil {
		panic(err)
	}
	y := tp.Add(tp.LogSumExp(mu), tp.DotSelf(z))
	tp.Grad(y)
	return y.Val
}

// A steady-state gradient evaluation (Reset, record, Grad) allocates
// nothing once the tape has grown to fit.
func TestSteadyStateAllocatesNothing(t *testing.T) {
	m := newModel(30, 6, 4)
	tp := ad.NewTape()
	m.eval(tp)
	if a := testing.AllocsPerRun(50, func() { m.eval(tp) }); a != 0 && !race.Enabled {
		t.Fatalf("steady-state gradient allocates %v times per evaluation", a)
	}
}

// BenchmarkMatVecGrad: a 100x50 data matrix times a parameter vector, then
// the sum of squares, and its gradient.
func BenchmarkMatVecGrad(b *testing.B) {
	x := ad.ConstMatrix(100, 50, seq(5000, 1))
	beta := seq(50, 0.3)
	tp := ad.NewTape()
	b.ReportAllocs()
	for b.Loop() {
		tp.Reset()
		v := tp.Vars(50)
		for i, x := range beta {
			v[i] = tp.Var(x)
		}
		mu, _ := tp.MatVec(x, v)
		tp.Grad(tp.DotSelf(mu))
	}
}

// BenchmarkDataMatVecGrad is BenchmarkMatVecGrad with the matrix as plain
// floats (DataMatrix) instead of constant Vars.
func BenchmarkDataMatVecGrad(b *testing.B) {
	x := ad.DataMatrix{Rows: 100, Cols: 50, Data: seq(5000, 1)}
	beta := seq(50, 0.3)
	tp := ad.NewTape()
	b.ReportAllocs()
	for b.Loop() {
		tp.Reset()
		v := tp.Vars(50)
		for i, x := range beta {
			v[i] = tp.Var(x)
		}
		mu, _ := tp.DataMatVec(x, v)
		tp.Grad(tp.DotSelf(mu))
	}
}

// BenchmarkCholeskyGrad: the Cholesky factor of a 20x20 parameter matrix
// and the gradient of a weighted sum of its elements.
func BenchmarkCholeskyGrad(b *testing.B) {
	const n = 20
	lower := seq(n*(n+1)/2, 0.3)
	w := seq(n*n, 1)
	tp := ad.NewTape()
	a := ad.Matrix{Rows: n, Cols: n, Data: make([]ad.Var, n*n)}
	b.ReportAllocs()
	for b.Loop() {
		tp.Reset()
		k := 0
		for j := 0; j < n; j++ {
			for i := j; i < n; i++ {
				v := lower[k]
				if i == j {
					v += n
				}
				x := tp.Var(v)
				a.Set(i, j, x)
				a.Set(j, i, x)
				k++
			}
		}
		l, err := tp.CholeskyDecompose(a)
		if err != nil {
			b.Fatal(err)
		}
		y, _ := tp.DotData(l.Data, w)
		tp.Grad(y)
	}
}

// Every vector and matrix operation runs allocation-free in steady state.
func TestAllOpsAllocateNothing(t *testing.T) {
	tp := ad.NewTape()
	theta := seq(40, 0.6)
	data := ad.DataMatrix{Rows: 4, Cols: 4, Data: seq(16, 1)}
	cdata := ad.ConstMatrix(4, 4, seq(16, 1))
	w := seq(16, 1)
	eval := func() {
		tp.Reset()
		x := tp.Vars(len(theta))
		for i, v := range theta {
			x[i] = tp.Var(v)
		}
		a := ad.Matrix{Rows: 4, Cols: 4, Data: x[:16]}
		v := x[16:20]
		y := tp.LogSumExp(tp.Softmax(v))
		y = tp.Add(y, tp.Sum(tp.LogSoftmax(v)))
		e, _ := tp.ElemMul(v, x[20:24])
		y = tp.Add(y, tp.Sd(tp.MulScalar(e, x[24])))
		d, _ := tp.Dot(v, x[24:28])
		y = tp.Add(y, d)
		m, _ := tp.MatMul(a, cdata)
		mv, _ := tp.DataMatVec(data, v)
		y = tp.Add(y, tp.Sum(mv))
		y = tp.Add(y, tp.Add(tp.Prod(v), tp.Norm2(tp.CumulativeSum(v))))
		cd, _ := tp.ColumnsDotProduct(a, a)
		y = tp.Add(y, tp.Add(tp.Max(cd), tp.Trace(a)))
		s := tp.Tcrossprod(m)
		for i := 0; i < 4; i++ {
			s.Set(i, i, tp.Add(s.At(i, i), ad.Const(1)))
		}
		l, _ := tp.CholeskyDecompose(s)
		z, _ := tp.MdivideLeftTriLow(l, a)
		z, _ = tp.MdivideRightTriLow(z, l)
		jv := tp.Jacobian(w[:6], v[:2], w[:12])
		y = tp.Add(y, tp.Sum(jv))
		q, _ := tp.MdivideLeft(a, z)
		inv, _ := tp.Inverse(a)
		ld, _ := tp.LogDeterminant(a)
		spd, _ := tp.MdivideLeftSpdVec(s, v)
		lds, _ := tp.LogDeterminantSpd(s)
		y = tp.Add(y, tp.Add(tp.Sum(spd), lds))
		qf, _ := tp.Quadform(a, v)
		dp, _ := tp.DiagPreMultiply(v, inv)
		dp, _ = tp.QuadFormDiag(dp, v)
		y = tp.Add(y, tp.Add(ld, qf))
		r, _ := tp.DotData(q.Data, w)
		y = tp.Add(y, r)
		r, _ = tp.DotData(dp.Data, w)
		y = tp.Add(y, tp.Add(r, tp.Sum(tp.ColumnsDotSelf(tp.Crossprod(l)))))
		tp.Grad(y)
	}
	eval()
	if n := testing.AllocsPerRun(20, eval); n != 0 && !race.Enabled {
		t.Fatalf("steady-state evaluation allocates %v times", n)
	}
}
