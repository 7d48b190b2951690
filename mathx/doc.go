// Package mathx holds the special functions Stan's math library provides on
// float64, with the derivatives that the distributions' gradients need.
// gonum's mathext supplies the incomplete beta and gamma functions where it
// is accurate; the rest follows the cited references in each function.
package mathx
