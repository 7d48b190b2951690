package ad_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
	"github.com/gostan/gostan/internal/race"
)

// symConst returns a symmetric n x n constant matrix with entries from seq.
func symConst(n int) ad.Matrix {
	v := seq(n*n, 1)
	m := ad.Matrix{Rows: n, Cols: n, Data: make([]ad.Var, n*n)}
	for j := range n {
		for i := j; i < n; i++ {
			m.Set(i, j, ad.Const(v[i+j*n]))
			m.Set(j, i, ad.Const(v[i+j*n]))
		}
	}
	return m
}

// TestSymEigenValues checks eigenvalues and eigenvectors against gonum's
// for several sizes: ascending values, A V = V diag(λ), Vᵀ V = I.
func TestSymEigenValues(t *testing.T) {
	var w ad.SymEigen
	for _, n := range []int{1, 2, 3, 5, 12} {
		a := symConst(n)
		vals, vecs, err := w.Compute(nil, a, true)
		if err != nil {
			t.Fatal(err)
		}
		sym := mat.NewSymDense(n, nil)
		for i := range n {
			for j := 0; j <= i; j++ {
				sym.SetSym(i, j, a.At(i, j).Val)
			}
		}
		var es mat.EigenSym
		if !es.Factorize(sym, false) {
			t.Fatal("gonum failed")
		}
		want := es.Values(nil)
		for i := range n {
			if math.Abs(vals[i].Val-want[i]) > 1e-12*math.Max(1, math.Abs(want[i])) {
				t.Errorf("n=%d: λ[%d] = %v, want %v", n, i, vals[i].Val, want[i])
			}
			for j := range n {
				av, vv, dot := 0.0, vecs[i+j*n].Val*vals[j].Val, 0.0
				for k := range n {
					av += a.At(i, k).Val * vecs[k+j*n].Val
					dot += vecs[k+i*n].Val * vecs[k+j*n].Val
				}
				if math.Abs(av-vv) > 1e-12 {
					t.Errorf("n=%d: (A V)[%d,%d] = %v, (V Λ) = %v", n, i, j, av, vv)
				}
				if d := dot - b2f(i == j); math.Abs(d) > 1e-12 {
					t.Errorf("n=%d: (Vᵀ V)[%d,%d] off by %v", n, i, j, d)
				}
			}
		}
		vals2, vecs2, err := w.Compute(nil, a, false)
		if err != nil || vecs2 != nil {
			t.Fatalf("values only: vectors %v, error %v", vecs2, err)
		}
		for i := range n {
			if math.Abs(vals2[i].Val-want[i]) > 1e-12*math.Max(1, math.Abs(want[i])) {
				t.Errorf("n=%d, values only: λ[%d] = %v, want %v", n, i, vals2[i].Val, want[i])
			}
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// TestSymEigenGradient checks the algorithm's derivative against finite
// differences where the eigenvalues are well separated (there it is the
// analytic derivative), with the upper triangle ignored.
func TestSymEigenGradient(t *testing.T) {
	const n = 4
	f := func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		m := ad.Matrix{Rows: n, Cols: n, Data: make([]ad.Var, n*n)}
		k := 0
		for j := range n {
			for i := j; i < n; i++ {
				m.Set(i, j, x[k])
				m.Set(j, i, x[k])
				k++
			}
		}
		var w ad.SymEigen
		vals, vecs, err := w.Compute(tp, m, true)
		if err != nil {
			return ad.Var{}, err
		}
		s := tp.Mul(ad.Const(0.3), vals[0])
		s = tp.Add(s, tp.Mul(vals[n-1], vals[1]))
		// Sign-invariant functions of the eigenvectors.
		s = tp.Add(s, tp.Mul(vecs[0], vecs[1]))
		s = tp.Add(s, tp.Square(vecs[2+3*n]))
		return s, nil
	}
	x := seq(n*(n+1)/2, 1)
	for i := range n {
		x[i*n-i*(i-1)/2] += float64(2 * i) // separate the eigenvalues
	}
	if err := fdcheck.Check(f, x, 1e-7); err != nil {
		t.Error(err)
	}
}

// TestSymEigenErrors checks Stan's argument checks.
func TestSymEigenErrors(t *testing.T) {
	var w ad.SymEigen
	for _, c := range []struct {
		m    ad.Matrix
		want string
	}{
		{ad.Matrix{Rows: 2, Cols: 3, Data: make([]ad.Var, 6)}, "eigenvalues_sym: Expecting a square matrix; rows of m (2) and columns of m (3) must match in size"},
		{ad.Matrix{}, "eigenvalues_sym: m has size 0, but must have a non-zero size"},
		{ad.ConstMatrix(2, 2, []float64{1, 2, 3, 1}), "eigenvalues_sym: m is not symmetric. m[1,2] = 3, but m[2,1] = 2"},
	} {
		if _, _, err := w.Compute(nil, c.m, false); err == nil || err.Error() != c.want {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}

// TestSymEigenAllocs checks that a repeated decomposition allocates
// nothing.
func TestSymEigenAllocs(t *testing.T) {
	const n = 6
	tp := ad.NewTape()
	base := symConst(n)
	var w ad.SymEigen
	run := func() {
		tp.Reset()
		m := tp.Matrix(n, n)
		for k, v := range base.Data {
			m.Data[k] = tp.Var(v.Val)
		}
		vals, vecs, _ := w.Compute(tp, m, true)
		tp.Grad(tp.Add(vals[0], vecs[1]))
	}
	run()
	if a := testing.AllocsPerRun(5, run); a != 0 && !race.Enabled {
		t.Errorf("%v allocations per decomposition", a)
	}
}
