package ad

import "testing"

// Sweeping in pieces, cut anywhere, is Grad.
func TestSweepPieces(t *testing.T) {
	tp := NewTape()
	x, y := tp.Var(0.7), tp.Var(-1.3)
	record := func() Var {
		a := tp.Mul(x, y)
		b := tp.Exp(a)
		c := tp.Add(b, tp.Log(tp.Mul(x, x)))
		return tp.Sum([]Var{c, tp.Mul(c, y), a})
	}
	z := record()
	tp.Grad(z)
	want := []float64{tp.Adjoint(x), tp.Adjoint(y)}
	n := tp.Size().Stmts
	if n < 5 {
		t.Fatalf("%d statements", n)
	}
	for cut := 0; cut <= n; cut++ {
		if !tp.GradBegin(z) {
			t.Fatal("z is a constant")
		}
		tp.Sweep(n, cut)
		tp.Sweep(cut, 0)
		if got := []float64{tp.Adjoint(x), tp.Adjoint(y)}; got[0] != want[0] || got[1] != want[1] {
			t.Errorf("cut at %d: %v, want %v", cut, got, want)
		}
	}
	s0 := tp.Size()
	tp.Var(1)
	tp.Mul(x, y)
	if d := tp.Size(); d.Slots-s0.Slots != 2 || d.Stmts-s0.Stmts != 1 || d.Custom != s0.Custom {
		t.Errorf("sizes %+v then %+v", s0, d)
	}
	if tp.GradBegin(Const(2)) {
		t.Error("GradBegin of a constant")
	}
}
