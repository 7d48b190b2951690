package dist_test

import (
	"fmt"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
)

// A bivariate normal observation with a varying location: one tape
// statement carries the partials of both location components.
func ExampleMultiNormalLpdf() {
	tp := ad.NewTape()
	mu := []ad.Var{tp.Var(0), tp.Var(1)}
	y := []ad.Var{ad.Const(0.5), ad.Const(0.5)}
	// Covariance [[1, 0.5], [0.5, 2]], column-major.
	sigma := ad.ConstMatrix(2, 2, []float64{1, 0.5, 0.5, 2})
	lp, err := dist.MultiNormalLpdf(tp, false, [][]ad.Var{y}, [][]ad.Var{mu}, sigma)
	if err != nil {
		fmt.Println(err)
		return
	}
	tp.Grad(lp)
	fmt.Printf("lp %.6f, d/dmu %.6f %.6f\n", lp.Val, tp.Adjoint(mu[0]), tp.Adjoint(mu[1]))
	// Output: lp -2.403399, d/dmu 0.714286 -0.428571
}
