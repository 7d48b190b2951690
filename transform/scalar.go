package transform

import (
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// addLJ adds v to the log-Jacobian accumulator lj unless lj is nil.
func addLJ(t *ad.Tape, lj *ad.Var, v ad.Var) {
	if lj != nil {
		*lj = t.Add(*lj, v)
	}
}

// Lower returns lb + exp(x), Stan's lb_constrain, and adds x to lj. An
// infinite lower bound (-Inf) leaves x unchanged.
func Lower(t *ad.Tape, x, lb ad.Var, lj *ad.Var) ad.Var {
	if math.IsInf(lb.Val, -1) {
		return x
	}
	e := math.Exp(x.Val)
	addLJ(t, lj, x)
	return t.Binary(lb.Val+e, x, e, lb, 1)
}

// UnconstrainLower returns log(y - lb), Stan's lb_free.
func UnconstrainLower(y, lb float64) (float64, error) {
	if math.IsInf(lb, -1) {
		return y, nil
	}
	if !(y >= lb) {
		return 0, errorf("lb_free", "Lower bounded variable is %v, but must be greater than or equal to %v", y, lb)
	}
	return math.Log(y - lb), nil
}

// Upper returns ub - exp(x), Stan's ub_constrain, and adds x to lj. An
// infinite upper bound (+Inf) leaves x unchanged.
func Upper(t *ad.Tape, x, ub ad.Var, lj *ad.Var) ad.Var {
	if math.IsInf(ub.Val, 1) {
		return x
	}
	e := math.Exp(x.Val)
	addLJ(t, lj, x)
	return t.Binary(ub.Val-e, x, -e, ub, 1)
}

// UnconstrainUpper returns log(ub - y), Stan's ub_free.
func UnconstrainUpper(y, ub float64) (float64, error) {
	if math.IsInf(ub, 1) {
		return y, nil
	}
	if !(y <= ub) {
		return 0, errorf("ub_free", "Upper bounded variable is %v, but must be less than or equal to %v", y, ub)
	}
	return math.Log(ub - y), nil
}

// LowerUpper returns lb + (ub - lb) inv_logit(x), Stan's lub_constrain, and
// adds log(ub - lb) + log(inv_logit(x)) + log(1 - inv_logit(x)) to lj. An
// infinite bound reduces it to Lower, Upper or the identity. It fails unless
// lb < ub.
func LowerUpper(t *ad.Tape, x, lb, ub ad.Var, lj *ad.Var) (ad.Var, error) {
	switch {
	case math.IsInf(lb.Val, -1):
		return Upper(t, x, ub, lj), nil
	case math.IsInf(ub.Val, 1):
		return Lower(t, x, lb, lj), nil
	case !(lb.Val < ub.Val):
		return ad.Var{}, errorf("lub_constrain", "lb is %v, but must be less than %v", lb.Val, ub.Val)
	}
	diff := ub.Val - lb.Val
	z := mathx.InvLogit(x.Val)
	// Stan keeps a finite x strictly inside the interval.
	if z == 1 && !math.IsInf(x.Val, 1) {
		z = 1 - 1e-15
	} else if z == 0 && !math.IsInf(x.Val, -1) {
		z = 1e-15
	}
	if lj != nil {
		// log z + log(1-z) = -|x| - 2 log1p(exp(-|x|)).
		a := math.Abs(x.Val)
		j := math.Log(diff) - a - 2*math.Log1p(math.Exp(-a))
		b := t.Begin()
		b.Add(*lj, 1)
		b.Add(x, 1-2*z)
		b.Add(lb, -1/diff)
		b.Add(ub, 1/diff)
		*lj = b.End(lj.Val + j)
	}
	b := t.Begin()
	b.Add(x, diff*z*(1-z))
	b.Add(lb, 1-z)
	b.Add(ub, z)
	return b.End(math.FMA(diff, z, lb.Val)), nil
}

// UnconstrainLowerUpper returns logit((y - lb) / (ub - lb)), Stan's
// lub_free.
func UnconstrainLowerUpper(y, lb, ub float64) (float64, error) {
	switch {
	case math.IsInf(lb, -1):
		return UnconstrainUpper(y, ub)
	case math.IsInf(ub, 1):
		return UnconstrainLower(y, lb)
	case !(lb < ub):
		return 0, errorf("lub_free", "lb is %v, but must be less than %v", lb, ub)
	case !(y >= lb && y <= ub):
		return 0, errorf("lub_free", "Bounded variable is %v, but must be in the interval [%v, %v]", y, lb, ub)
	}
	return mathx.Logit((y - lb) / (ub - lb)), nil
}

// OffsetMultiplier returns offset + mult * x, Stan's
// offset_multiplier_constrain, and adds log(mult) to lj. The offset must be
// finite and the multiplier positive and finite.
func OffsetMultiplier(t *ad.Tape, x, offset, mult ad.Var, lj *ad.Var) (ad.Var, error) {
	const fn = "offset_multiplier_constrain"
	if err := checkOffsetMultiplier(fn, offset.Val, mult.Val); err != nil {
		return ad.Var{}, err
	}
	if lj != nil {
		b := t.Begin()
		b.Add(*lj, 1)
		b.Add(mult, 1/mult.Val)
		*lj = b.End(lj.Val + math.Log(mult.Val))
	}
	b := t.Begin()
	b.Add(x, mult.Val)
	b.Add(offset, 1)
	b.Add(mult, x.Val)
	return b.End(math.FMA(mult.Val, x.Val, offset.Val)), nil
}

// UnconstrainOffsetMultiplier returns (y - offset) / mult, Stan's
// offset_multiplier_free.
func UnconstrainOffsetMultiplier(y, offset, mult float64) (float64, error) {
	if err := checkOffsetMultiplier("offset_multiplier_free", offset, mult); err != nil {
		return 0, err
	}
	return (y - offset) / mult, nil
}

func checkOffsetMultiplier(fn string, offset, mult float64) error {
	if math.IsInf(offset, 0) || math.IsNaN(offset) {
		return errorf(fn, "offset is %v, but must be finite!", offset)
	}
	if !(mult > 0) || math.IsInf(mult, 1) {
		return errorf(fn, "multiplier is %v, but must be positive finite!", mult)
	}
	return nil
}
