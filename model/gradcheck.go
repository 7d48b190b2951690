package model

import (
	"fmt"
	"math"
	"strconv"
)

// GradientCheck is Stan's gradient test at one point (stan::model::
// test_gradients, which CmdStan's diagnose method runs): the model's
// gradient beside central finite differences of its log density.
type GradientCheck struct {
	X          []float64 // the unconstrained point
	LogP       float64   // the log density there
	Model      []float64 // the model's gradient
	FiniteDiff []float64 // (lp(x + ε eₖ) - lp(x - ε eₖ)) / 2ε
	// Failed counts the coordinates where |model - finite diff| exceeds
	// the error allowed or is NaN (Stan's count passes NaN over; a NaN
	// gradient is a failed test all the same).
	Failed int
}

// CheckGradient runs Stan's gradient test on m at x with step epsilon,
// counting the coordinates whose gradient differs from the finite
// difference by more than tolerance.
func CheckGradient(m Model, x []float64, epsilon, tolerance float64) (*GradientCheck, error) {
	c := &GradientCheck{X: append([]float64(nil), x...), Model: make([]float64, len(x)), FiniteDiff: make([]float64, len(x))}
	var err error
	if c.LogP, err = m.LogDensity(c.X, c.Model); err != nil {
		return nil, err
	}
	y := append([]float64(nil), x...)
	for k := range y {
		y[k] = x[k] + epsilon
		plus, err := m.LogDensity(y, nil)
		if err != nil {
			return nil, fmt.Errorf("the log density at coordinate %d + epsilon: %w", k, err)
		}
		y[k] = x[k] - epsilon
		minus, err := m.LogDensity(y, nil)
		if err != nil {
			return nil, fmt.Errorf("the log density at coordinate %d - epsilon: %w", k, err)
		}
		y[k] = x[k]
		c.FiniteDiff[k] = (plus - minus) / (2 * epsilon)
		if !(math.Abs(c.Model[k]-c.FiniteDiff[k]) <= tolerance) {
			c.Failed++
		}
	}
	return c, nil
}

// Lines are the test's report as Stan writes it: the log density, then a
// row per coordinate (0-based) with its value, both gradients and their
// difference, in columns of C++'s default six significant digits.
func (c *GradientCheck) Lines() []string {
	lines := []string{"", fmt.Sprintf(" Log probability=%s", FormatReal(c.LogP)), "",
		fmt.Sprintf("%10s%16s%16s%16s%16s", "param idx", "value", "model", "finite diff", "error")}
	for k, x := range c.X {
		lines = append(lines, fmt.Sprintf("%10d%16s%16s%16s%16s", k, FormatReal(x), FormatReal(c.Model[k]), FormatReal(c.FiniteDiff[k]), FormatReal(c.Model[k]-c.FiniteDiff[k])))
	}
	return lines
}

// FormatReal writes x as a C++ stream does by default, as Stan prints
// numbers (print, reject, its diagnostics): %g with six significant
// digits, and nan, inf, -inf.
func FormatReal(x float64) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}
