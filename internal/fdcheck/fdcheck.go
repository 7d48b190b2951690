// Package fdcheck compares reverse-mode gradients with central finite
// differences. Tests across gostan use it so that every differentiable
// function is checked the same way.
package fdcheck

import (
	"fmt"
	"math"

	"github.com/gostan/gostan/ad"
)

// Func is a scalar function of tape variables.
type Func func(t *ad.Tape, x []ad.Var) (ad.Var, error)

// Gradient evaluates f at x0 on a tape and returns its value and gradient.
func Gradient(f Func, x0 []float64) (float64, []float64, error) {
	t := ad.NewTape()
	x := make([]ad.Var, len(x0))
	for i, v := range x0 {
		x[i] = t.Var(v)
	}
	y, err := f(t, x)
	if err != nil {
		return 0, nil, err
	}
	t.Grad(y)
	g := make([]float64, len(x))
	for i := range x {
		g[i] = t.Adjoint(x[i])
	}
	return y.Val, g, nil
}

// Value evaluates f at x0 with constant arguments (no derivatives).
func Value(f Func, x0 []float64) (float64, error) {
	x := make([]ad.Var, len(x0))
	for i, v := range x0 {
		x[i] = ad.Const(v)
	}
	y, err := f(ad.NewTape(), x)
	return y.Val, err
}

// Check returns an error when the AD gradient of f at x0 differs from a
// central finite difference (Richardson-extrapolated, step h relative to
// |x|) by more than rel relative to max(1, |g|) in any component, or when
// evaluating f on constants gives another value than on variables.
func Check(f Func, x0 []float64, rel float64) error {
	y, g, err := Gradient(f, x0)
	if err != nil {
		return err
	}
	yc, err := Value(f, x0)
	if err != nil {
		return fmt.Errorf("constant evaluation: %v", err)
	}
	if !(math.Abs(yc-y) <= 1e-12*math.Max(1, math.Abs(y))) {
		return fmt.Errorf("value with constants %v differs from value with variables %v", yc, y)
	}
	x := append([]float64(nil), x0...)
	at := func(i int, v float64) float64 {
		x[i] = v
		r, err := Value(f, x)
		x[i] = x0[i]
		if err != nil {
			return math.NaN()
		}
		return r
	}
	for i := range x0 {
		h := 1e-4 * math.Max(1, math.Abs(x0[i]))
		d := func(h float64) float64 { return (at(i, x0[i]+h) - at(i, x0[i]-h)) / (2 * h) }
		fd := (4*d(h/2) - d(h)) / 3
		if !(math.Abs(fd-g[i]) <= rel*math.Max(1, math.Abs(g[i]))) {
			return fmt.Errorf("d/dx[%d] at %v: AD %.12g, finite difference %.12g", i, x0, g[i], fd)
		}
	}
	return nil
}
