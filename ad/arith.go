package ad

import "math"

// Add returns a + b.
func (t *Tape) Add(a, b Var) Var { return t.Binary(a.Val+b.Val, a, 1, b, 1) }

// Sub returns a - b.
func (t *Tape) Sub(a, b Var) Var { return t.Binary(a.Val-b.Val, a, 1, b, -1) }

// Mul returns a * b.
func (t *Tape) Mul(a, b Var) Var { return t.Binary(a.Val*b.Val, a, b.Val, b, a.Val) }

// Div returns a / b.
func (t *Tape) Div(a, b Var) Var {
	q := a.Val / b.Val
	return t.Binary(q, a, 1/b.Val, b, -q/b.Val)
}

// Neg returns -a.
func (t *Tape) Neg(a Var) Var { return t.Unary(-a.Val, a, -1) }

// Exp returns e**a.
func (t *Tape) Exp(a Var) Var {
	e := math.Exp(a.Val)
	return t.Unary(e, a, e)
}

// Log returns the natural logarithm of a.
func (t *Tape) Log(a Var) Var { return t.Unary(math.Log(a.Val), a, 1/a.Val) }

// Sum returns the sum of xs as one statement.
func (t *Tape) Sum(xs []Var) Var {
	b := t.Begin()
	s := 0.0
	for _, x := range xs {
		s += x.Val
		b.Add(x, 1)
	}
	return b.End(s)
}
