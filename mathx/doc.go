// Package mathx holds the special functions Stan's math library provides on
// float64, with the derivatives that the distributions' gradients need.
// Go's math supplies log-gamma and erfc, and gonum's mathext the incomplete
// gamma function and the normal quantile, all near machine precision; the
// rest follows the references cited in each function, chosen so that values
// keep about 1e-13 relative accuracy or better (checked against mpmath in
// values_test.go, which testdata/gen.py generates).
package mathx
