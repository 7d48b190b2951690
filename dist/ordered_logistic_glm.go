package dist

import "github.com/gostan/gostan/ad"

// OrderedLogisticGLMLpmf is the ordered logistic mass of outcomes y with
// linear predictors x β (one per row of x) and cutpoints c. A single y is
// used for every row.
func OrderedLogisticGLMLpmf(t *ad.Tape, propto bool, y []int, x ad.Matrix, beta, cuts []ad.Var) (ad.Var, error) {
	const fn = "ordered_logistic_glm_lpmf"
	if x.Cols != len(beta) {
		return ad.Var{}, &SizeError{fn, "columns of the design matrix", "weight vector", x.Cols, len(beta)}
	}
	if len(y) != 1 && len(y) != x.Rows {
		return ad.Var{}, &SizeError{fn, "Vector of dependent variables", "rows of the design matrix", len(y), x.Rows}
	}
	if x.Rows == 0 || len(y) == 0 {
		return ad.Var{}, nil
	}
	if t == nil {
		// The product records on a tape; constants record nothing.
		t = ad.NewTape()
	}
	eta, err := t.MatVec(x, beta)
	if err != nil {
		return ad.Var{}, err
	}
	lp, err := OrderedLogisticLpmf(t, propto, y, eta, [][]ad.Var{cuts})
	if err != nil {
		if e, ok := err.(*IntError); ok {
			e.Func = fn
		}
		return ad.Var{}, err
	}
	return lp, nil
}
