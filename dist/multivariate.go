package dist

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// The multivariate densities compute their values and every partial in
// float64 and record one tape statement. Arrays of vectors are [][]ad.Var;
// a single vector broadcasts against many, as Stan allows.

func pick(vs [][]ad.Var, i int) []ad.Var {
	if len(vs) == 1 {
		return vs[0]
	}
	return vs[i]
}

func checkOutcome(fn string, n []int, k int) error {
	for i, v := range n {
		if v < 1 || v > k {
			return &IntError{fn, "Number of categories", i + 1, v, fmt.Sprintf("in the interval [1, %d]", k)}
		}
	}
	return nil
}

// CategoricalLpmf is Σ log θ[n_i].
func CategoricalLpmf(t *ad.Tape, propto bool, n []int, theta []ad.Var) (ad.Var, error) {
	const fn = "categorical_lpmf"
	if err := checkOutcome(fn, n, len(theta)); err != nil {
		return ad.Var{}, err
	}
	sum := 0.0
	for _, x := range theta {
		if !(x.Val >= 0) {
			return ad.Var{}, fmt.Errorf("%s: Probabilities parameter is not a valid simplex", fn)
		}
		sum += x.Val
	}
	if math.Abs(sum-1) > 1e-8 {
		return ad.Var{}, fmt.Errorf("%s: Probabilities parameter is not a valid simplex. sum(Probabilities parameter) = %v, but should be 1", fn, sum)
	}
	b := t.Begin()
	lp := 0.0
	for _, c := range n {
		x := theta[c-1]
		lp += math.Log(x.Val)
		b.Add(x, 1/x.Val)
	}
	return b.End(lp), nil
}

// CategoricalLogitLpmf is Σ (β[n_i] - log Σ e^β).
func CategoricalLogitLpmf(t *ad.Tape, propto bool, n []int, beta []ad.Var) (ad.Var, error) {
	const fn = "categorical_logit_lpmf"
	if err := checkOutcome(fn, n, len(beta)); err != nil {
		return ad.Var{}, err
	}
	sc := getScratch()
	defer sc.release()
	vals := sc.floats(len(beta))
	for i, x := range beta {
		if !isFinite(x.Val) {
			return ad.Var{}, &DomainError{fn, "log odds parameter", i + 1, x.Val, "finite"}
		}
		vals[i] = x.Val
	}
	lse := mathx.LogSumExp(vals)
	b := t.Begin()
	lp := 0.0
	cnt := sc.floats(len(beta))
	for _, c := range n {
		lp += vals[c-1] - lse
		cnt[c-1]++
	}
	m := float64(len(n))
	for i, x := range beta {
		b.Add(x, cnt[i]-m*math.Exp(vals[i]-lse))
	}
	return b.End(lp), nil
}

// MultinomialLpmf is log Multinomial(n | θ).
func MultinomialLpmf(t *ad.Tape, propto bool, n []int, theta []ad.Var) (ad.Var, error) {
	const fn = "multinomial_lpmf"
	if len(n) != len(theta) {
		return ad.Var{}, &SizeError{fn, "number of outcomes", "probabilities", len(n), len(theta)}
	}
	b := t.Begin()
	lp := 0.0
	total := 0
	for i, c := range n {
		if c < 0 {
			return ad.Var{}, &IntError{fn, "Number of trials variable", i + 1, c, "nonnegative"}
		}
		total += c
		x := theta[i]
		if c > 0 {
			lp += float64(c) * math.Log(x.Val)
			b.Add(x, float64(c)/x.Val)
		}
		if !propto {
			lp -= mathx.Lgamma(float64(c + 1))
		}
	}
	if !propto {
		lp += mathx.Lgamma(float64(total + 1))
	}
	return b.End(lp), nil
}

// Design is a GLM's design matrix, column-major: its values, and its
// Vars only when it depends on parameters (nil for data, the usual case,
// which then costs no tape work at all).
type Design struct {
	Rows, Cols int
	Val        []float64
	Vars       []ad.Var
}

// DesignOf makes a Design from a matrix of Vars.
func DesignOf(x ad.Matrix) Design {
	d := Design{Rows: x.Rows, Cols: x.Cols, Val: make([]float64, len(x.Data))}
	for i, v := range x.Data {
		d.Val[i] = v.Val
		if !v.IsConst() {
			d.Vars = x.Data
		}
	}
	return d
}

// glmPredictor computes η_i = α(_i) + Σ_j x_ij β_j into eta.
func glmPredictor(fn string, x Design, alpha, beta []ad.Var, eta []float64) error {
	if len(beta) != x.Cols {
		return &SizeError{fn, "columns of the design matrix", "weight vector", x.Cols, len(beta)}
	}
	if len(alpha) != 1 && len(alpha) != x.Rows {
		return &SizeError{fn, "rows of the design matrix", "intercept", x.Rows, len(alpha)}
	}
	for i := range eta {
		eta[i] = pick1(alpha, i).Val
	}
	for j, bj := range beta {
		floats.AddScaled(eta, bj.Val, x.Val[j*x.Rows:(j+1)*x.Rows])
	}
	return nil
}

// glmRows checks that an argument of n values, one value or one per row
// of the design matrix, has one of those sizes.
func glmRows(fn, what string, n, rows int) error {
	if n != 1 && n != rows {
		return &SizeError{fn, what, "rows of the design matrix", n, rows}
	}
	return nil
}

func pick1(v []ad.Var, i int) ad.Var {
	if len(v) == 1 {
		return v[0]
	}
	return v[i]
}

// glmPartials adds the partials of a GLM given dη_i.
func glmPartials(b *ad.Builder, x Design, alpha, beta []ad.Var, deta []float64) {
	for j, bj := range beta {
		if !bj.IsConst() {
			b.Add(bj, floats.Dot(x.Val[j*x.Rows:(j+1)*x.Rows], deta))
		}
		if x.Vars != nil {
			vars := x.Vars[j*x.Rows : (j+1)*x.Rows]
			for i, xv := range vars {
				b.Add(xv, deta[i]*bj.Val)
			}
		}
	}
	if len(alpha) == 1 {
		s := 0.0
		for _, d := range deta {
			s += d
		}
		b.Add(alpha[0], s)
		return
	}
	for i, a := range alpha {
		b.Add(a, deta[i])
	}
}

// BernoulliLogitGLMLpmf is Σ log Bernoulli(y_i | inv_logit(α + x_i β)).
func BernoulliLogitGLMLpmf(t *ad.Tape, propto bool, y []int, x Design, alpha, beta []ad.Var) (ad.Var, error) {
	const fn = "bernoulli_logit_glm_lpmf"
	sc := getScratch()
	defer sc.release()
	eta, deta := sc.floats(x.Rows), sc.floats(x.Rows)
	if err := glmPredictor(fn, x, alpha, beta, eta); err != nil {
		return ad.Var{}, err
	}
	if err := glmRows(fn, "Vector of dependent variables", len(y), x.Rows); err != nil {
		return ad.Var{}, err
	}
	b := t.Begin()
	lp := 0.0
	for i, e := range eta {
		yi := y[0]
		if len(y) > 1 {
			yi = y[i]
		}
		if yi != 0 && yi != 1 {
			return ad.Var{}, &IntError{fn, "Vector of dependent variables", i + 1, yi, "in the interval [0, 1]"}
		}
		if yi == 1 {
			lp += mathx.LogInvLogit(e)
			deta[i] = mathx.InvLogit(-e)
		} else {
			lp += mathx.Log1mInvLogit(e)
			deta[i] = -mathx.InvLogit(e)
		}
	}
	glmPartials(&b, x, alpha, beta, deta)
	return b.End(lp), nil
}

// PoissonLogGLMLpmf is Σ log Poisson(y_i | exp(α + x_i β)).
func PoissonLogGLMLpmf(t *ad.Tape, propto bool, y []int, x Design, alpha, beta []ad.Var) (ad.Var, error) {
	const fn = "poisson_log_glm_lpmf"
	sc := getScratch()
	defer sc.release()
	eta, deta := sc.floats(x.Rows), sc.floats(x.Rows)
	if err := glmPredictor(fn, x, alpha, beta, eta); err != nil {
		return ad.Var{}, err
	}
	if err := glmRows(fn, "Vector of dependent variables", len(y), x.Rows); err != nil {
		return ad.Var{}, err
	}
	b := t.Begin()
	lp := 0.0
	for i, e := range eta {
		yi := y[0]
		if len(y) > 1 {
			yi = y[i]
		}
		if yi < 0 {
			return ad.Var{}, &IntError{fn, "Vector of dependent variables", i + 1, yi, "nonnegative"}
		}
		ex := math.Exp(e)
		lp += float64(yi)*e - ex
		if !propto {
			lp -= mathx.Lgamma(float64(yi + 1))
		}
		deta[i] = float64(yi) - ex
	}
	glmPartials(&b, x, alpha, beta, deta)
	return b.End(lp), nil
}

// NormalIdGLMLpdf is Σ log N(y_i | α + x_i β, σ).
func NormalIdGLMLpdf(t *ad.Tape, propto bool, y []ad.Var, x Design, alpha, beta, sigma []ad.Var) (ad.Var, error) {
	const fn = "normal_id_glm_lpdf"
	sc := getScratch()
	defer sc.release()
	eta, deta := sc.floats(x.Rows), sc.floats(x.Rows)
	if err := glmPredictor(fn, x, alpha, beta, eta); err != nil {
		return ad.Var{}, err
	}
	if err := glmRows(fn, "Vector of dependent variables", len(y), x.Rows); err != nil {
		return ad.Var{}, err
	}
	if err := glmRows(fn, "Vector of scale parameters", len(sigma), x.Rows); err != nil {
		return ad.Var{}, err
	}
	b := t.Begin()
	lp := 0.0
	sVary := ad.AnyVar(sigma)
	scalarSigma := len(sigma) == 1
	logSigma := !propto || sVary
	if scalarSigma && logSigma {
		lp -= float64(len(eta)) * math.Log(sigma[0].Val)
		logSigma = false
	}
	if !propto {
		lp -= float64(len(eta)) * 0.5 * log2Pi
	}
	yVary := ad.AnyVar(y)
	dsig := 0.0
	for i, e := range eta {
		yi, s := pick1(y, i), pick1(sigma, i)
		if !(s.Val > 0) {
			return ad.Var{}, &DomainError{fn, "Scale vector", i + 1, s.Val, "positive"}
		}
		z := (yi.Val - e) / s.Val
		lp -= 0.5 * z * z
		if logSigma {
			lp -= math.Log(s.Val)
		}
		deta[i] = z / s.Val
		if yVary {
			b.Add(yi, -z/s.Val)
		}
		if scalarSigma {
			dsig += (z*z - 1) / s.Val
		} else {
			b.Add(s, (z*z-1)/s.Val)
		}
	}
	if scalarSigma {
		b.Add(sigma[0], dsig)
	}
	glmPartials(&b, x, alpha, beta, deta)
	return b.End(lp), nil
}

// OrderedLogisticLpmf is the ordered logistic mass of outcomes k given
// linear predictors eta and cutpoints c (one vector, or one per outcome).
func OrderedLogisticLpmf(t *ad.Tape, propto bool, k []int, eta []ad.Var, c [][]ad.Var) (ad.Var, error) {
	const fn = "ordered_logistic_lpmf"
	b := t.Begin()
	lp := 0.0
	n := max(len(k), len(eta))
	for i := range n {
		ki, e, ci, K, err := orderedTerm(fn, k, eta, c, i)
		if err != nil {
			return ad.Var{}, err
		}
		switch {
		case ki == 1:
			// log(1 - inv_logit(e - c1))
			u := e.Val - ci[0].Val
			lp += mathx.Log1mInvLogit(u)
			d := -mathx.InvLogit(u)
			b.Add(e, d)
			b.Add(ci[0], -d)
		case ki == K:
			u := e.Val - ci[K-2].Val
			lp += mathx.LogInvLogit(u)
			d := mathx.InvLogit(-u)
			b.Add(e, d)
			b.Add(ci[K-2], -d)
		default:
			// log(inv_logit(e - c_{k-1}) - inv_logit(e - c_k))
			u1, u2 := e.Val-ci[ki-2].Val, e.Val-ci[ki-1].Val
			p1, p2 := mathx.InvLogit(u1), mathx.InvLogit(u2)
			lp += mathx.LogDiffExp(mathx.LogInvLogit(u1), mathx.LogInvLogit(u2))
			diff := p1 - p2
			d1, d2 := p1*(1-p1)/diff, -p2*(1-p2)/diff
			b.Add(e, d1+d2)
			b.Add(ci[ki-2], -d1)
			b.Add(ci[ki-1], -d2)
		}
	}
	return b.End(lp), nil
}

// orderedTerm checks and returns the i-th outcome, predictor and
// cutpoints of an ordered family, and the number of outcomes.
func orderedTerm(fn string, k []int, eta []ad.Var, c [][]ad.Var, i int) (int, ad.Var, []ad.Var, int, error) {
	if i == 0 {
		// One linear predictor per outcome, either of them one for all
		// (the GLM's single outcome), and one cut-point vector for all or
		// one per outcome.
		n := max(len(k), len(eta))
		if len(k) != len(eta) && min(len(k), len(eta)) != 1 {
			return 0, ad.Var{}, nil, 0, &SizeError{fn, "Integers", "Linear predictor", len(k), len(eta)}
		}
		if len(c) != 1 && len(c) != n {
			return 0, ad.Var{}, nil, 0, &SizeError{fn, "Integers", "Cut-points", n, len(c)}
		}
	}
	ki := k[min(i, len(k)-1)]
	ci := pick(c, i)
	K := len(ci) + 1
	if ki < 1 || ki > K {
		return 0, ad.Var{}, nil, 0, &IntError{fn, "Random variable", i + 1, ki, fmt.Sprintf("in the interval [1, %d]", K)}
	}
	for j := 1; j < len(ci); j++ {
		if !(ci[j].Val > ci[j-1].Val) {
			return 0, ad.Var{}, nil, 0, fmt.Errorf("%s: Cut-points is not a valid ordered vector", fn)
		}
	}
	return ki, pick1(eta, i), ci, K, nil
}

// OrderedProbitLpmf is the ordered probit mass of outcomes k given linear
// predictors eta and cutpoints c (one vector, or one per outcome):
// P(k) = Φ(η - c_{k-1}) - Φ(η - c_k), with c_0 = -∞ and c_K = +∞.
func OrderedProbitLpmf(t *ad.Tape, propto bool, k []int, eta []ad.Var, c [][]ad.Var) (ad.Var, error) {
	const fn = "ordered_probit_lpmf"
	b := t.Begin()
	lp := 0.0
	n := max(len(k), len(eta))
	phi := func(x float64) float64 { return math.Exp(-0.5*x*x) / math.Sqrt(2*math.Pi) }
	for i := range n {
		ki, e, ci, K, err := orderedTerm(fn, k, eta, c, i)
		if err != nil {
			return ad.Var{}, err
		}
		switch {
		case ki == 1:
			// log Φ(c1 - η)
			u := ci[0].Val - e.Val
			lp += mathx.LogPhi(u)
			d := phi(u) / mathx.Phi(u)
			b.Add(e, -d)
			b.Add(ci[0], d)
		case ki == K:
			// log Φ(η - c_{K-1})
			u := e.Val - ci[K-2].Val
			lp += mathx.LogPhi(u)
			d := phi(u) / mathx.Phi(u)
			b.Add(e, d)
			b.Add(ci[K-2], -d)
		default:
			u1, u2 := e.Val-ci[ki-2].Val, e.Val-ci[ki-1].Val
			p := mathx.Phi(u1) - mathx.Phi(u2)
			lp += math.Log(p)
			d1, d2 := phi(u1)/p, -phi(u2)/p
			b.Add(e, d1+d2)
			b.Add(ci[ki-2], -d1)
			b.Add(ci[ki-1], -d2)
		}
	}
	return b.End(lp), nil
}

// HypergeometricLpmf is log [C(a, n) C(b, N-n) / C(a+b, N)]: n successes
// in N draws without replacement from a successes and b failures.
func HypergeometricLpmf(n, N, a, b int) (float64, error) {
	const fn = "hypergeometric_lpmf"
	switch {
	case N < 0 || N > a+b:
		return 0, &IntError{fn, "Draws parameter", 0, N, fmt.Sprintf("in the interval [0, %d]", a+b)}
	case n < max(0, N-b) || n > min(a, N):
		return 0, &IntError{fn, "Successes variable", 0, n, fmt.Sprintf("in the interval [%d, %d]", max(0, N-b), min(a, N))}
	}
	return lchoose(a, n) + lchoose(b, N-n) - lchoose(a+b, N), nil
}

// DiscreteRangeLpmf is log 1/(hi - lo + 1) for each y in [lo, hi].
func DiscreteRangeLpmf(y, lo, hi []int) (float64, error) {
	const fn = "discrete_range_lpmf"
	if len(y) == 0 || len(lo) == 0 || len(hi) == 0 {
		return 0, nil // an empty argument: an empty sum, as in Stan Math
	}
	n := max(len(y), len(lo), len(hi))
	lp := 0.0
	for i := range n {
		yi, l, h := y[min(i, len(y)-1)], lo[min(i, len(lo)-1)], hi[min(i, len(hi)-1)]
		if l > h {
			return 0, &IntError{fn, "Lower bound parameter", i + 1, l, fmt.Sprintf("less than or equal to %d", h)}
		}
		if yi < l || yi > h {
			return math.Inf(-1), nil
		}
		lp -= math.Log(float64(h - l + 1))
	}
	return lp, nil
}

// DiscreteRangeLcdf is Σ log P(Y ≤ y) for Y uniform on lo..hi.
func DiscreteRangeLcdf(y, lo, hi []int) (float64, error) {
	return discreteRangeTail(y, lo, hi, false)
}

// DiscreteRangeLccdf is Σ log P(Y > y).
func DiscreteRangeLccdf(y, lo, hi []int) (float64, error) {
	return discreteRangeTail(y, lo, hi, true)
}

func discreteRangeTail(y, lo, hi []int, upper bool) (float64, error) {
	if _, err := DiscreteRangeLpmf(lo, lo, hi); err != nil {
		return 0, err
	}
	if len(y) == 0 || len(lo) == 0 || len(hi) == 0 {
		return 0, nil
	}
	n := max(len(y), len(lo), len(hi))
	lp := 0.0
	for i := range n {
		yi, l, h := y[min(i, len(y)-1)], lo[min(i, len(lo)-1)], hi[min(i, len(hi)-1)]
		f := math.Min(1, math.Max(0, float64(yi-l+1)/float64(h-l+1)))
		if upper {
			f = 1 - f
		}
		lp += math.Log(f)
	}
	return lp, nil
}
