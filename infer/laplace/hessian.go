package laplace

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Func is a log density and its gradient, written into grad.
type Func = func(x, grad []float64) (float64, error)

// Hessian returns the Hessian of f at x by central differences of the
// gradient, with steps 1e-5·max(1, |x_j|), symmetrized.
func Hessian(f Func, x []float64) (*mat.SymDense, error) {
	return hessian(context.Background(), f, x)
}

// hessian is Hessian that returns nil, without an error, when ctx is
// cancelled before the last column.
func hessian(ctx context.Context, f Func, x []float64) (*mat.SymDense, error) {
	d := len(x)
	if d == 0 {
		return nil, errors.New("the density has no parameters")
	}
	full := make([]float64, d*d) // column j from the gradient's change in x_j
	gp, gm := make([]float64, d), make([]float64, d)
	y := append([]float64(nil), x...)
	for j := range d {
		if ctx.Err() != nil {
			return nil, nil
		}
		step := 1e-5 * math.Max(1, math.Abs(x[j]))
		y[j] = x[j] + step
		if _, err := f(y, gp); err != nil {
			return nil, fmt.Errorf("the gradient near the mode: %w", err)
		}
		y[j] = x[j] - step
		if _, err := f(y, gm); err != nil {
			return nil, fmt.Errorf("the gradient near the mode: %w", err)
		}
		y[j] = x[j]
		for i := range d {
			full[i*d+j] = (gp[i] - gm[i]) / (2 * step)
		}
	}
	h := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			v := 0.5 * (full[i*d+j] + full[j*d+i])
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("the Hessian at the mode is not finite (entry %d,%d is %v)", i+1, j+1, v)
			}
			h.SetSym(i, j, v)
		}
	}
	return h, nil
}
