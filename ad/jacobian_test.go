package ad_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
)

// A Jacobian node built from the partials of f_k(a, b) = e^{a k} sin(b k)
// has the gradient of the f_k it stands for; a constant input gets none.
func TestJacobianGradient(t *testing.T) {
	const m = 7
	f := func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a, b := x[0].Val, x[1].Val
		vals, jac := make([]float64, m), make([]float64, 3*m)
		for k := range m {
			fk := float64(k + 1)
			vals[k] = math.Exp(a*fk) * math.Sin(b*fk)
			jac[k] = fk * vals[k]
			jac[m+k] = fk * math.Exp(a*fk) * math.Cos(b*fk)
			jac[2*m+k] = 1e9 // the constant input's partials, never used
		}
		out := tp.Jacobian(vals, []ad.Var{x[0], x[1], ad.Const(3)}, jac)
		return reduce(tp, out), nil
	}
	if err := fdcheck.Check(f, []float64{0.3, -0.7}, 1e-6); err != nil {
		t.Error(err)
	}
}
