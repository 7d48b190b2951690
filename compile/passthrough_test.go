package compile

import (
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// TestPassThroughDataOnly checks the one run-time check every solver
// (ODE, DAE, algebraic, integrate_1d, Laplace) makes of an argument whose
// parameter in the function is declared data: a value that depends on
// parameters is an error, with the site's position and the argument's
// name; data, or a parameter the function does not declare data, is not.
func TestPassThroughDataOnly(t *testing.T) {
	pos := token.Position{Filename: "m.stan", Line: 4, Column: 9}
	declared := dataOnly{pos: pos, what: "integrate_1d_gauss_kronrod: argument 3 of the integrand"}
	tp := ad.NewTape()
	vec := func(xs ...ad.Var) cexpr {
		v := &value{}
		v.shape([]int{len(xs)}, false)
		copy(v.R, xs)
		return cexpr{t: types.VectorT, v: func(*env) *value { return v }}
	}
	real := func(x ad.Var) cexpr { return cexpr{t: types.RealT, r: func(*env) ad.Var { return x }} }
	for _, c := range []struct {
		name string
		e    cexpr
		data dataOnly
		want string // the error, or "" for none
	}{
		{"parameter real declared data", real(tp.Var(1.5)), declared, "m.stan:4:9: integrate_1d_gauss_kronrod: argument 3 of the integrand is declared data, but depends on parameters"},
		{"vector with one parameter declared data", vec(ad.Const(1), tp.Var(2)), declared, "m.stan:4:9: integrate_1d_gauss_kronrod: argument 3 of the integrand is declared data, but depends on parameters"},
		{"data vector declared data", vec(ad.Const(1), ad.Const(2)), declared, ""},
		{"data real declared data", real(ad.Const(0.5)), declared, ""},
		{"parameter vector not declared data", vec(tp.Var(1), tp.Var(2)), dataOnly{}, ""},
	} {
		a := &odeArg{e: c.e, t: c.e.t, data: c.data}
		if c.e.t == types.VectorT {
			a.e.v = c.e.v
		}
		e := &env{state: []any{&odeArgVal{}}}
		got := func() (msg string) {
			defer func() {
				if r := recover(); r != nil {
					ee, ok := r.(*evalError)
					if !ok {
						panic(r)
					}
					msg = ee.Error()
				}
			}()
			a.load(e)
			return ""
		}()
		if got != c.want {
			t.Errorf("%s: error %q, want %q", c.name, got, c.want)
		}
		if c.want == "" {
			v := a.of(e)
			if n := len(v.flat); n == 0 || v.flat[n-1].Val != v.arg.R[n-1].Val {
				t.Errorf("%s: loaded %v, passes %v", c.name, v.flat, v.arg.R)
			}
		}
	}
}
