package ppl

import (
	"fmt"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/transform"
)

// Constraint is the support of a continuous site, with the bijection
// from the unconstrained reals that Stan uses for it (package transform).
// Bounds are tape values, so a bound may depend on other sites.
type Constraint struct {
	kind   constraintKind
	lo, hi ad.Var
}

type constraintKind int

const (
	realLine constraintKind = iota
	lowerBound
	upperBound
	interval
	simplex
	ordered
	positiveOrdered
)

// Constraints NumPyro names: the real line, (0, ∞), (0, 1), bounded
// intervals, the simplex and ordered vectors.
var (
	Real            = Constraint{kind: realLine}
	Positive        = Constraint{kind: lowerBound}
	UnitInterval    = Constraint{kind: interval, hi: ad.Const(1)}
	Simplex         = Constraint{kind: simplex}
	Ordered         = Constraint{kind: ordered}
	PositiveOrdered = Constraint{kind: positiveOrdered}
)

// GreaterThan is (lo, ∞).
func GreaterThan(lo ad.Var) Constraint { return Constraint{kind: lowerBound, lo: lo} }

// LessThan is (-∞, hi).
func LessThan(hi ad.Var) Constraint { return Constraint{kind: upperBound, hi: hi} }

// Interval is (lo, hi).
func Interval(lo, hi ad.Var) Constraint { return Constraint{kind: interval, lo: lo, hi: hi} }

func (c Constraint) String() string {
	switch c.kind {
	case lowerBound:
		return fmt.Sprintf("greater than %g", c.lo.Val)
	case upperBound:
		return fmt.Sprintf("less than %g", c.hi.Val)
	case interval:
		return fmt.Sprintf("in (%g, %g)", c.lo.Val, c.hi.Val)
	case simplex:
		return "a simplex"
	case ordered:
		return "ordered"
	case positiveOrdered:
		return "positive and ordered"
	}
	return "real"
}

// free is the unconstrained size of n values in events of size event.
func (c Constraint) free(n, event int) int {
	if c.kind == simplex {
		return n / event * transform.SimplexSize(event)
	}
	return n
}

// constrain maps the unconstrained y to out (n values in events of size
// event) and adds the log-Jacobian to lj when lj is not nil.
func (c Constraint) constrain(t *ad.Tape, y, out []ad.Var, event int, lj *ad.Var) error {
	switch c.kind {
	case realLine:
		copy(out, y)
	case lowerBound:
		for i := range out {
			out[i] = transform.Lower(t, y[i], c.lo, lj)
		}
	case upperBound:
		for i := range out {
			out[i] = transform.Upper(t, y[i], c.hi, lj)
		}
	case interval:
		for i := range out {
			v, err := transform.LowerUpper(t, y[i], c.lo, c.hi, lj)
			if err != nil {
				return err
			}
			out[i] = v
		}
	default:
		k := transform.SimplexSize(event)
		for b := 0; b < len(out)/event; b++ {
			o := out[b*event : (b+1)*event]
			var err error
			switch c.kind {
			case simplex:
				err = transform.Simplex(t, y[b*k:(b+1)*k], o, lj)
			case ordered:
				err = transform.Ordered(t, y[b*event:(b+1)*event], o, lj)
			case positiveOrdered:
				err = transform.PositiveOrdered(t, y[b*event:(b+1)*event], o, lj)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// unconstrain is constrain's inverse on values: x constrained, y out.
func (c Constraint) unconstrain(x []float64, event int, y []float64) error {
	var err error
	switch c.kind {
	case realLine:
		copy(y, x)
	case lowerBound:
		for i := range x {
			if y[i], err = transform.UnconstrainLower(x[i], c.lo.Val); err != nil {
				return err
			}
		}
	case upperBound:
		for i := range x {
			if y[i], err = transform.UnconstrainUpper(x[i], c.hi.Val); err != nil {
				return err
			}
		}
	case interval:
		for i := range x {
			if y[i], err = transform.UnconstrainLowerUpper(x[i], c.lo.Val, c.hi.Val); err != nil {
				return err
			}
		}
	default:
		k := transform.SimplexSize(event)
		for b := 0; b < len(x)/event; b++ {
			xb := x[b*event : (b+1)*event]
			switch c.kind {
			case simplex:
				err = transform.UnconstrainSimplex(xb, y[b*k:(b+1)*k])
			case ordered:
				err = transform.UnconstrainOrdered(xb, y[b*event:(b+1)*event])
			case positiveOrdered:
				err = transform.UnconstrainPositiveOrdered(xb, y[b*event:(b+1)*event])
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}
