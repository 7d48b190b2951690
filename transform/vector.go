package transform

import (
	"fmt"
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// SimplexSize is the unconstrained size of a K-simplex.
func SimplexSize(k int) int { return max(k-1, 0) }

// Simplex fills x (length K) from y (length K-1) by Stan's stick-breaking
// transform: z_k = inv_logit(y_k - log(K-1-k)) breaks off a fraction z_k
// of the stick left.
func Simplex(t *ad.Tape, y, x []ad.Var, lj *ad.Var) {
	k := len(x)
	if k == 0 {
		return
	}
	stick := ad.Const(1)
	for i := range k - 1 {
		adj := y[i].Val - math.Log(float64(k-1-i))
		z := mathx.InvLogit(adj)
		zv := t.Unary(z, y[i], z*(1-z))
		x[i] = t.Mul(stick, zv)
		if lj != nil {
			// log(stick) + log z + log(1 - z)
			a := math.Abs(adj)
			l := t.Unary(-a-2*math.Log1p(math.Exp(-a)), y[i], 1-2*z)
			*lj = t.Add(*lj, t.Add(t.Log(stick), l))
		}
		stick = t.Sub(stick, x[i])
	}
	x[k-1] = stick
}

// UnconstrainSimplex inverts Simplex into y (length K-1).
func UnconstrainSimplex(x, y []float64) error {
	sum := 0.0
	for _, v := range x {
		if !(v >= 0) {
			return &DomainError{v, "nonnegative (an element of a simplex)"}
		}
		sum += v
	}
	if math.Abs(sum-1) > 1e-8 {
		return fmt.Errorf("is not a valid simplex. sum(x) = %v, but should be 1", sum)
	}
	k := len(x)
	stick := 1.0
	for i := range k - 1 {
		z := x[i] / stick
		y[i] = mathx.Logit(z) + math.Log(float64(k-1-i))
		stick -= x[i]
	}
	return nil
}

// Ordered fills x with x_0 = y_0, x_k = x_{k-1} + e^{y_k}.
func Ordered(t *ad.Tape, y, x []ad.Var, lj *ad.Var) {
	for i := range x {
		if i == 0 {
			x[0] = y[0]
			continue
		}
		addLJ(t, lj, y[i])
		x[i] = t.Add(x[i-1], t.Exp(y[i]))
	}
}

// PositiveOrdered fills x with x_0 = e^{y_0}, x_k = x_{k-1} + e^{y_k}.
func PositiveOrdered(t *ad.Tape, y, x []ad.Var, lj *ad.Var) {
	for i := range x {
		addLJ(t, lj, y[i])
		e := t.Exp(y[i])
		if i == 0 {
			x[0] = e
			continue
		}
		x[i] = t.Add(x[i-1], e)
	}
}

// UnconstrainOrdered inverts Ordered (or PositiveOrdered when positive).
func UnconstrainOrdered(x, y []float64, positive bool) error {
	for i, v := range x {
		switch {
		case i == 0 && positive:
			if !(v > 0) {
				return &DomainError{v, "positive (the first element of a positive_ordered vector)"}
			}
			y[0] = math.Log(v)
		case i == 0:
			y[0] = v
		default:
			if !(v > x[i-1]) {
				return fmt.Errorf("is not a valid ordered vector. The element at %d is %v, but should be greater than the previous element, %v", i+1, v, x[i-1])
			}
			y[i] = math.Log(v - x[i-1])
		}
	}
	return nil
}

// UnitVector fills x with y / |y|; its log Jacobian term is -½|y|², the
// density Stan adds so that the radius is identified.
func UnitVector(t *ad.Tape, y, x []ad.Var, lj *ad.Var) {
	b := t.Begin()
	ss := 0.0
	for _, v := range y {
		ss += v.Val * v.Val
		b.Add(v, 2*v.Val)
	}
	sq := b.End(ss)
	addLJ(t, lj, t.Unary(-0.5*ss, sq, -0.5))
	norm := t.Sqrt(sq)
	for i, v := range y {
		x[i] = t.Div(v, norm)
	}
}

// UnconstrainUnitVector returns x itself, after checking its norm.
func UnconstrainUnitVector(x, y []float64) error {
	ss := 0.0
	for _, v := range x {
		ss += v * v
	}
	if math.Abs(ss-1) > 1e-8 {
		return fmt.Errorf("is not a valid unit vector. The sum of the squares of the elements should be 1, but is %v", ss)
	}
	copy(y, x)
	return nil
}
