package dist

import "github.com/gostan/gostan/ad"

// Prepared is a log density of reals whose fixed arguments, those no
// evaluation changes (a compiled program's data, transformed data and
// literals), its family prepared once: their supports checked, and
// values derived from them alone (normal: 1/sigma, or that mu is 0 and
// sigma 1). It takes every argument, the fixed ones unchanged since
// they were prepared, and returns what the family's density returns,
// errors included. A compiled call keeps one per Model.
type Prepared func(t *ad.Tape, propto bool, args [][]ad.Var) (ad.Var, error)

// fixedPass reports whether the arguments fixed says are fixed are in
// the supports rules give, in order.
func fixedPass(rules []rule, fixed []bool, args [][]ad.Var) bool {
	for i, a := range args {
		if !fixed[i] || rules[i].text == "" {
			continue
		}
		for _, x := range a {
			if !rules[i].ok(x.Val) {
				return false
			}
		}
	}
	return true
}

// Prepare returns u's density with the arguments fixed says are fixed
// prepared: when they are in their supports it skips their checks;
// otherwise it is Lpdf, which reports the first bad element.
func (u *Univariate) Prepare(fixed []bool, args [][]ad.Var) Prepared {
	if !fixedPass(u.rules, fixed, args) {
		return func(t *ad.Tape, propto bool, args [][]ad.Var) (ad.Var, error) { return u.Lpdf(t, propto, args...) }
	}
	var skip [4]bool
	copy(skip[:], fixed)
	return func(t *ad.Tape, propto bool, args [][]ad.Var) (ad.Var, error) { return u.lpdf(t, propto, &skip, args) }
}

// normalRules are the normal density's support rules, in its arguments'
// order.
var normalRules = []rule{notNaN, finite, posFinite}

// NormalPrepare returns the normal density with the arguments fixed
// says are fixed prepared. Dropping constants, it takes two forms from
// them: y ~ normal(0, 1), a non-centred parameterisation's raw effects,
// is StdNormalLpdf's pass; with y and sigma fixed vectors (eight
// schools' likelihood) 1/sigma is taken once. Values and partials are
// NormalLpdf's, operation for operation; an argument out of its
// support, sizes that differ or nothing varying go to NormalLpdf, so
// that errors are unchanged.
func NormalPrepare(fixed []bool, y, mu, sigma []ad.Var) Prepared {
	general := func(t *ad.Tape, propto bool, a [][]ad.Var) (ad.Var, error) {
		return NormalLpdf(t, propto, a[0], a[1], a[2])
	}
	switch {
	case !fixedPass(normalRules, fixed, [][]ad.Var{y, mu, sigma}):
	case fixed[1] && fixed[2] && len(mu) == 1 && mu[0].Val == 0 && len(sigma) == 1 && sigma[0].Val == 1:
		return func(t *ad.Tape, propto bool, a [][]ad.Var) (ad.Var, error) {
			if propto && len(a[0]) > 0 {
				if lp, err := StdNormalLpdf(t, true, a[0]); err == nil {
					return lp, nil
				}
				// An error, to be worded as normal's.
			}
			return general(t, propto, a)
		}
	case fixed[0] && fixed[2] && len(sigma) == len(y) && len(y) > 1:
		inv := make([]float64, len(sigma))
		for i, s := range sigma {
			inv[i] = 1 / s.Val
		}
		return func(t *ad.Tape, propto bool, a [][]ad.Var) (ad.Var, error) {
			if mu := a[1]; propto && len(mu) == len(inv) && ad.AnyVar(mu) {
				if lp, ok := normalFixedScale(t, a[0], mu, inv); ok {
					return lp, nil
				}
			}
			return general(t, propto, a)
		}
	}
	return general
}

// normalFixedScale is normalVectorScale's pass, dropping constants, for
// y and sigma fixed and mu varying, with inv = 1/sigma: it reports false,
// having recorded nothing, when an element of mu is not finite.
func normalFixedScale(t *ad.Tape, y, mu []ad.Var, inv []float64) (ad.Var, bool) {
	b := t.Begin()
	dm := b.AddVars(mu)
	n := len(inv)
	y, mu = y[:n], mu[:n]
	var lp float64
	for i, m := range mu {
		mi := m.Val
		if mi-mi != 0 {
			b.Cancel()
			return ad.Var{}, false
		}
		z := (y[i].Val - mi) * inv[i]
		lp -= 0.5 * z * z
		dm[i] = z * inv[i]
	}
	return b.End(lp), true
}
