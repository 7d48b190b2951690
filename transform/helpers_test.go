package transform

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
)

// fdLogDet returns log|det J| for the Jacobian J of f: R^n -> R^n at x0,
// by Richardson-extrapolated central differences.
func fdLogDet(f func([]float64) []float64, x0 []float64) float64 {
	n := len(x0)
	if n == 0 {
		return 0
	}
	j := mat.NewDense(n, n, nil)
	x := append([]float64(nil), x0...)
	diff := func(i int, h float64) []float64 {
		x[i] = x0[i] + h
		p := f(x)
		x[i] = x0[i] - h
		m := f(x)
		x[i] = x0[i]
		for k := range p {
			p[k] = (p[k] - m[k]) / (2 * h)
		}
		return p
	}
	for i := range n {
		h := 1e-3 * math.Max(1, math.Abs(x0[i]))
		d1, d2 := diff(i, h), diff(i, h/2)
		for k := range n {
			j.Set(k, i, (4*d2[k]-d1[k])/3)
		}
	}
	ld, _ := mat.LogDet(j)
	return ld
}

// consts returns x as constant Vars.
func consts(x []float64) []ad.Var {
	v := make([]ad.Var, len(x))
	for i, xi := range x {
		v[i] = ad.Const(xi)
	}
	return v
}

// vals returns the values of v.
func vals(v []ad.Var) []float64 {
	x := make([]float64, len(v))
	for i, vi := range v {
		x[i] = vi.Val
	}
	return x
}

// weighted returns sum_i w_i v_i + lj with fixed irregular weights, so that
// a gradient check sees every output and the Jacobian.
func weighted(t *ad.Tape, v []ad.Var, lj ad.Var) ad.Var {
	b := t.Begin()
	s := lj.Val
	b.Add(lj, 1)
	for i, x := range v {
		w := 0.3 + 0.7*math.Sin(float64(3*i+1))
		s += w * x.Val
		b.Add(x, w)
	}
	return b.End(s)
}

func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func checkClose(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: length %d, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !near(got[i], want[i], tol) {
			t.Fatalf("%s[%d] = %.15g, want %.15g", what, i, got[i], want[i])
		}
	}
}
