package ad_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
)

// BenchmarkMatrixNodes times one forward and reverse pass through each
// single-node matrix operation at a GP's size (n = 11, parameters as tape
// variables, a weighted sum as the result), with its allocations: none in
// steady state.
func BenchmarkMatrixNodes(b *testing.B) {
	const n = 11
	w := seq(n*n, 1)
	jac := seq(2*66, 0.5)
	tp := ad.NewTape()
	// lower returns a lower-triangular n×n matrix of new variables.
	lower := func() ad.Matrix {
		l := tp.Matrix(n, n)
		for j := range n {
			for i := j; i < n; i++ {
				v := 0.1 * math.Cos(float64(i+3*j))
				if i == j {
					v = 1 + 0.1*float64(i)
				}
				l.Set(i, j, tp.Var(v))
			}
		}
		return l
	}
	vars := func(k int) []ad.Var {
		v := tp.Vars(k)
		for i := range v {
			v[i] = tp.Var(0.3 * math.Sin(float64(i+1)))
		}
		return v
	}
	spd := func() ad.Matrix {
		s := tp.Matrix(n, n)
		for j := range n {
			for i := j; i < n; i++ {
				v := math.Exp(-0.1 * float64((i-j)*(i-j)))
				if i == j {
					v += 0.5
				}
				x := tp.Var(v)
				s.Set(i, j, x)
				s.Set(j, i, x)
			}
		}
		return s
	}
	cases := []struct {
		name string
		f    func() []ad.Var
	}{
		{"CholeskyDecompose", func() []ad.Var { l, _ := tp.CholeskyDecompose(spd()); return l.Data }},
		{"MdivideLeftTriLow", func() []ad.Var { x, _ := tp.MdivideLeftTriLowVec(lower(), vars(n)); return x }},
		{"MdivideRightTriLow", func() []ad.Var {
			x, _ := tp.MdivideRightTriLow(ad.Matrix{Rows: 1, Cols: n, Data: vars(n)}, lower())
			return x.Data
		}},
		{"QuadFormDiag", func() []ad.Var { x, _ := tp.QuadFormDiag(spd(), vars(n)); return x.Data }},
		{"DiagPreMultiply", func() []ad.Var { x, _ := tp.DiagPreMultiply(vars(n), lower()); return x.Data }},
		{"ElemAdd with zeros", func() []ad.Var {
			d := tp.Matrix(n, n)
			for i, x := range vars(n) {
				d.Set(i, i, x)
			}
			x, _ := tp.ElemAdd(spd().Data, d.Data)
			return x
		}},
		{"Jacobian 66x2", func() []ad.Var {
			return tp.Jacobian(w[:66], vars(2), jac)
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tp.Reset()
				out := c.f()
				y, _ := tp.DotData(out, w[:len(out)])
				tp.Grad(y)
			}
		})
	}
}
