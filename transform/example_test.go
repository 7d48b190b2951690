package transform_test

import (
	"fmt"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/transform"
)

// A simplex[3] parameter takes two unconstrained values; the log-Jacobian
// goes into the log density, and an initial value maps back with
// UnconstrainSimplex.
func ExampleSimplex() {
	t := ad.NewTape()
	y := []ad.Var{t.Var(0), t.Var(0)}
	theta := make([]ad.Var, 3)
	lj := ad.Const(0)
	if err := transform.Simplex(t, y, theta, &lj); err != nil {
		panic(err)
	}
	fmt.Printf("%.4f %.4f %.4f, log|J| = %.4f\n", theta[0].Val, theta[1].Val, theta[2].Val, lj.Val)

	free := make([]float64, transform.SimplexSize(3))
	fmt.Println(transform.UnconstrainSimplex([]float64{0.5, 0.25, 0.5}, free))
	// Output:
	// 0.3333 0.3333 0.3333, log|J| = -3.2958
	// simplex_free: Simplex variable is not a valid simplex. sum(Simplex variable) = 1.25, but should be 1
}

// A real<lower=0, upper=1> parameter.
func ExampleLowerUpper() {
	lj := ad.Const(0)
	p, err := transform.LowerUpper(nil, ad.Const(0), ad.Const(0), ad.Const(1), &lj)
	fmt.Printf("%v %.4f %v\n", p.Val, lj.Val, err)
	// Output: 0.5 -1.3863 <nil>
}
