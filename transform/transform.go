// Package transform holds Stan's constraint transforms (Stan 2.21, as
// its reference manual, chapter "Constraint Transforms", defines them):
// each maps unconstrained reals to a constrained value on the tape and adds
// the log absolute Jacobian determinant to an accumulator, and each has an
// inverse on float64 that reports values outside the support. The
// unconstrained layouts are exactly Stan's, so that a model's gradient
// equals Stan's at the same point.
package transform

import (
	"fmt"
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// DomainError reports a constrained value outside its transform's support.
type DomainError struct {
	Value float64
	Rule  string // e.g. ">= 0", "a valid simplex"
}

func (e *DomainError) Error() string { return fmt.Sprintf("is %v, but must be %s", e.Value, e.Rule) }

func addLJ(t *ad.Tape, lj *ad.Var, v ad.Var) {
	if lj != nil {
		*lj = t.Add(*lj, v)
	}
}

// Lower maps y to lb + e^y, with log Jacobian y. An infinite lb leaves y
// unconstrained.
func Lower(t *ad.Tape, y, lb ad.Var, lj *ad.Var) ad.Var {
	if math.IsInf(lb.Val, -1) {
		return y
	}
	addLJ(t, lj, y)
	return t.Add(lb, t.Exp(y))
}

// Upper maps y to ub - e^y, with log Jacobian y.
func Upper(t *ad.Tape, y, ub ad.Var, lj *ad.Var) ad.Var {
	if math.IsInf(ub.Val, 1) {
		return y
	}
	addLJ(t, lj, y)
	return t.Sub(ub, t.Exp(y))
}

// LowerUpper maps y to lb + (ub - lb) inv_logit(y), with log Jacobian
// log(ub - lb) + log inv_logit(y) + log(1 - inv_logit(y)).
func LowerUpper(t *ad.Tape, y, lb, ub ad.Var, lj *ad.Var) ad.Var {
	switch lo, hi := math.IsInf(lb.Val, -1), math.IsInf(ub.Val, 1); {
	case lo && hi:
		return y
	case lo:
		return Upper(t, y, ub, lj)
	case hi:
		return Lower(t, y, lb, lj)
	}
	diff := t.Sub(ub, lb)
	p := mathx.InvLogit(y.Val)
	// As Stan does, keep the value strictly inside the interval.
	if y.Val > 0 && p == 1 && !math.IsInf(y.Val, 1) {
		p = 1 - 1e-15
	} else if y.Val < 0 && p == 0 && !math.IsInf(y.Val, -1) {
		p = 1e-15
	}
	if lj != nil {
		a := math.Abs(y.Val)
		// log p + log(1-p) = -|y| - 2 log1p(e^-|y|), derivative 1 - 2p.
		l := t.Unary(-a-2*math.Log1p(math.Exp(-a)), y, 1-2*p)
		*lj = t.Add(*lj, t.Add(t.Log(diff), l))
	}
	pv := t.Unary(p, y, p*(1-p))
	return t.Add(lb, t.Mul(diff, pv))
}

// OffsetMultiplier maps y to mu + sigma y, with log Jacobian log sigma.
func OffsetMultiplier(t *ad.Tape, y, mu, sigma ad.Var, lj *ad.Var) ad.Var {
	addLJ(t, lj, t.Log(sigma))
	return t.Add(mu, t.Mul(sigma, y))
}

// UnconstrainLower inverts Lower.
func UnconstrainLower(x, lb float64) (float64, error) {
	if math.IsInf(lb, -1) {
		return x, nil
	}
	if !(x >= lb) {
		return 0, &DomainError{x, fmt.Sprintf(">= %v", lb)}
	}
	return math.Log(x - lb), nil
}

// UnconstrainUpper inverts Upper.
func UnconstrainUpper(x, ub float64) (float64, error) {
	if math.IsInf(ub, 1) {
		return x, nil
	}
	if !(x <= ub) {
		return 0, &DomainError{x, fmt.Sprintf("<= %v", ub)}
	}
	return math.Log(ub - x), nil
}

// UnconstrainLowerUpper inverts LowerUpper.
func UnconstrainLowerUpper(x, lb, ub float64) (float64, error) {
	switch lo, hi := math.IsInf(lb, -1), math.IsInf(ub, 1); {
	case lo && hi:
		return x, nil
	case lo:
		return UnconstrainUpper(x, ub)
	case hi:
		return UnconstrainLower(x, lb)
	}
	if !(x >= lb && x <= ub) {
		return 0, &DomainError{x, fmt.Sprintf("in the interval [%v, %v]", lb, ub)}
	}
	return mathx.Logit((x - lb) / (ub - lb)), nil
}

// UnconstrainOffsetMultiplier inverts OffsetMultiplier.
func UnconstrainOffsetMultiplier(x, mu, sigma float64) (float64, error) {
	if !(sigma > 0) || math.IsInf(sigma, 0) {
		return 0, &DomainError{sigma, "positive finite (the multiplier)"}
	}
	return (x - mu) / sigma, nil
}
