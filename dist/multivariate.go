package dist

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

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

func countOf(fn string, a, b [][]ad.Var) (int, error) {
	switch {
	case len(a) == len(b) || len(b) == 1:
		return len(a), nil
	case len(a) == 1:
		return len(b), nil
	}
	return 0, fmt.Errorf("%s: size of the variate array (%d) and the location array (%d) must match", fn, len(a), len(b))
}

func anyVar(xs ...[]ad.Var) bool {
	for _, x := range xs {
		for _, v := range x {
			if !v.IsConst() {
				return true
			}
		}
	}
	return false
}

// DirichletLpdf is log Dirichlet(theta | alpha) summed over arrays.
func DirichletLpdf(t *ad.Tape, propto bool, theta, alpha [][]ad.Var) (ad.Var, error) {
	const fn = "dirichlet_lpdf"
	n, err := countOf(fn, theta, alpha)
	if err != nil {
		return ad.Var{}, err
	}
	b := t.Begin()
	lp := 0.0
	for i := range n {
		th, al := pick(theta, i), pick(alpha, i)
		if len(th) != len(al) {
			return ad.Var{}, &SizeError{fn, "probabilities", "prior sample sizes", len(th), len(al)}
		}
		sum := 0.0
		for k, x := range th {
			if !(x.Val >= 0 && x.Val <= 1) {
				return ad.Var{}, &DomainError{fn, "probabilities", k + 1, x.Val, "in the interval [0, 1]"}
			}
			sum += x.Val
		}
		if math.Abs(sum-1) > 1e-8 {
			return ad.Var{}, fmt.Errorf("%s: probabilities is not a valid simplex. sum(probabilities) = %v, but should be 1", fn, sum)
		}
		asum := 0.0
		for k, a := range al {
			if !(a.Val > 0) || math.IsInf(a.Val, 1) {
				return ad.Var{}, &DomainError{fn, "prior sample sizes", k + 1, a.Val, "positive finite"}
			}
			asum += a.Val
		}
		alVary := anyVar(al)
		if propto && !alVary && !anyVar(th) {
			continue
		}
		if !propto || alVary {
			lp += mathx.Lgamma(asum)
			for _, a := range al {
				lp -= mathx.Lgamma(a.Val)
			}
		}
		dsum := mathx.Digamma(asum)
		for k, x := range th {
			a := al[k].Val
			lx := math.Log(x.Val)
			lp += (a - 1) * lx
			b.Add(x, (a-1)/x.Val)
			b.Add(al[k], dsum-mathx.Digamma(a)+lx)
		}
	}
	return b.End(lp), nil
}

// choleskyOf factors a symmetric positive definite matrix given as Vars.
func choleskyOf(fn string, s ad.Matrix) (*mat.Cholesky, error) {
	k := s.Rows
	if s.Cols != k {
		return nil, fmt.Errorf("%s: Covariance matrix is %d×%d, but must be square", fn, k, s.Cols)
	}
	sym := mat.NewSymDense(k, nil)
	for i := range k {
		for j := 0; j <= i; j++ {
			a, c := s.At(i, j).Val, s.At(j, i).Val
			if math.Abs(a-c) > 1e-8*math.Max(1, math.Abs(a)) {
				return nil, fmt.Errorf("%s: Covariance matrix is not symmetric. Covariance matrix[%d,%d] = %v, but Covariance matrix[%d,%d] = %v", fn, i+1, j+1, a, j+1, i+1, c)
			}
			sym.SetSym(i, j, a)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(sym) {
		return nil, fmt.Errorf("%s: Covariance matrix is not positive definite", fn)
	}
	return &ch, nil
}

// MultiNormalLpdf is log N(y | mu, Sigma) summed over arrays of vectors.
func MultiNormalLpdf(t *ad.Tape, propto bool, y, mu [][]ad.Var, sigma ad.Matrix) (ad.Var, error) {
	const fn = "multi_normal_lpdf"
	n, err := countOf(fn, y, mu)
	if err != nil {
		return ad.Var{}, err
	}
	ch, err := choleskyOf(fn, sigma)
	if err != nil {
		return ad.Var{}, err
	}
	k := sigma.Rows
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		return ad.Var{}, fmt.Errorf("%s: Covariance matrix is singular", fn)
	}
	sigVary := !sigma.IsConst()
	b := t.Begin()
	lp := 0.0
	if !propto {
		lp -= 0.5 * float64(n*k) * log2Pi
	}
	if !propto || sigVary {
		lp -= 0.5 * float64(n) * ch.LogDet()
	}
	r := mat.NewVecDense(k, nil)
	w := mat.NewVecDense(k, nil)
	// dSigma accumulates ½(Σ⁻¹ r rᵀ Σ⁻¹ - Σ⁻¹) over the observations.
	dS := make([]float64, k*k)
	for i := range n {
		yi, mi := pick(y, i), pick(mu, i)
		if len(yi) != k || len(mi) != k {
			return ad.Var{}, &SizeError{fn, "Random variable", "Covariance matrix", len(yi), k}
		}
		for j := range k {
			if math.IsNaN(yi[j].Val) {
				return ad.Var{}, &DomainError{fn, "Random variable", j + 1, yi[j].Val, "not nan"}
			}
			if !isFinite(mi[j].Val) {
				return ad.Var{}, &DomainError{fn, "Location parameter", j + 1, mi[j].Val, "finite"}
			}
			r.SetVec(j, yi[j].Val-mi[j].Val)
		}
		w.MulVec(&inv, r)
		lp -= 0.5 * mat.Dot(r, w)
		for j := range k {
			b.Add(yi[j], -w.AtVec(j))
			b.Add(mi[j], w.AtVec(j))
		}
		if sigVary {
			for p := range k {
				for q := range k {
					dS[p+q*k] += 0.5 * w.AtVec(p) * w.AtVec(q)
				}
			}
		}
	}
	if sigVary {
		for p := range k {
			for q := range k {
				b.Add(sigma.At(p, q), dS[p+q*k]-0.5*float64(n)*inv.At(p, q))
			}
		}
	}
	return b.End(lp), nil
}

// MultiNormalCholeskyLpdf is log N(y | mu, L Lᵀ) with L lower triangular.
func MultiNormalCholeskyLpdf(t *ad.Tape, propto bool, y, mu [][]ad.Var, l ad.Matrix) (ad.Var, error) {
	const fn = "multi_normal_cholesky_lpdf"
	n, err := countOf(fn, y, mu)
	if err != nil {
		return ad.Var{}, err
	}
	k := l.Rows
	lf := mat.NewTriDense(k, mat.Lower, nil)
	for i := range k {
		for j := 0; j <= i; j++ {
			lf.SetTri(i, j, l.At(i, j).Val)
		}
	}
	lVary := !l.IsConst()
	b := t.Begin()
	lp := 0.0
	if !propto {
		lp -= 0.5 * float64(n*k) * log2Pi
	}
	logDiag := 0.0
	for j := range k {
		logDiag += math.Log(l.At(j, j).Val)
	}
	if !propto || lVary {
		lp -= float64(n) * logDiag
	}
	r := mat.NewVecDense(k, nil)
	z := mat.NewVecDense(k, nil)
	w := mat.NewVecDense(k, nil)
	dL := make([]float64, k*k)
	for i := range n {
		yi, mi := pick(y, i), pick(mu, i)
		if len(yi) != k || len(mi) != k {
			return ad.Var{}, &SizeError{fn, "Random variable", "Cholesky factor of covariance matrix", len(yi), k}
		}
		for j := range k {
			r.SetVec(j, yi[j].Val-mi[j].Val)
		}
		if err := z.SolveVec(lf, r); err != nil {
			return ad.Var{}, fmt.Errorf("%s: Cholesky factor of covariance matrix is singular", fn)
		}
		if err := w.SolveVec(lf.T(), z); err != nil {
			return ad.Var{}, fmt.Errorf("%s: Cholesky factor of covariance matrix is singular", fn)
		}
		lp -= 0.5 * mat.Dot(z, z)
		for j := range k {
			b.Add(yi[j], -w.AtVec(j))
			b.Add(mi[j], w.AtVec(j))
		}
		if lVary {
			for p := range k {
				for q := 0; q <= p; q++ {
					dL[p+q*k] += w.AtVec(p) * z.AtVec(q)
				}
			}
		}
	}
	if lVary {
		for p := range k {
			for q := 0; q <= p; q++ {
				d := dL[p+q*k]
				if p == q {
					d -= float64(n) / l.At(p, p).Val
				}
				b.Add(l.At(p, q), d)
			}
		}
	}
	return b.End(lp), nil
}

// lkjLogConstant is the log normalising constant of the LKJ density on
// K×K correlation matrices (Lewandowski, Kurowicka and Joe 2009, theorem
// 5) and its derivative in eta.
func lkjLogConstant(eta float64, k int) (float64, float64) {
	c, d := 0.0, 0.0
	for i := 1; i < k; i++ {
		m := float64(k - i)
		bk := eta + (m-1)/2
		c -= (2*eta-2+m)*m*math.Ln2 + m*mathx.Lbeta(bk, bk)
		d -= 2*m*math.Ln2 + m*2*(mathx.Digamma(bk)-mathx.Digamma(2*bk))
	}
	return c, d
}

// LkjCorrCholeskyLpdf is the LKJ density of the correlation matrix L Lᵀ
// for its Cholesky factor L.
func LkjCorrCholeskyLpdf(t *ad.Tape, propto bool, l ad.Matrix, eta ad.Var) (ad.Var, error) {
	const fn = "lkj_corr_cholesky_lpdf"
	if !(eta.Val > 0) {
		return ad.Var{}, &DomainError{fn, "Shape parameter", 0, eta.Val, "positive"}
	}
	k := l.Rows
	b := t.Begin()
	lp := 0.0
	deta := 0.0
	for i := 1; i < k; i++ {
		// 1-based diagonal index i+1: weight K - (i+1) + 2η - 2.
		ld := math.Log(l.At(i, i).Val)
		w := float64(k-i-1) + 2*eta.Val - 2
		lp += w * ld
		b.Add(l.At(i, i), w/l.At(i, i).Val)
		deta += 2 * ld
	}
	if !propto || !eta.IsConst() {
		c, dc := lkjLogConstant(eta.Val, k)
		lp += c
		deta += dc
	}
	b.Add(eta, deta)
	return b.End(lp), nil
}

// LkjCorrLpdf is the LKJ density of a correlation matrix:
// (η - 1) log det Σ plus its normalising constant.
func LkjCorrLpdf(t *ad.Tape, propto bool, s ad.Matrix, eta ad.Var) (ad.Var, error) {
	const fn = "lkj_corr_lpdf"
	if !(eta.Val > 0) {
		return ad.Var{}, &DomainError{fn, "Shape parameter", 0, eta.Val, "positive"}
	}
	ch, err := choleskyOf(fn, s)
	if err != nil {
		return ad.Var{}, err
	}
	k := s.Rows
	ld := ch.LogDet()
	b := t.Begin()
	lp := (eta.Val - 1) * ld
	deta := ld
	if !s.IsConst() {
		var inv mat.SymDense
		if err := ch.InverseTo(&inv); err != nil {
			return ad.Var{}, fmt.Errorf("%s: Correlation matrix is singular", fn)
		}
		for p := range k {
			for q := range k {
				b.Add(s.At(p, q), (eta.Val-1)*inv.At(p, q))
			}
		}
	}
	if !propto || !eta.IsConst() {
		c, dc := lkjLogConstant(eta.Val, k)
		lp += c
		deta += dc
	}
	b.Add(eta, deta)
	return b.End(lp), nil
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
	vals := make([]float64, len(beta))
	for i, x := range beta {
		if !isFinite(x.Val) {
			return ad.Var{}, &DomainError{fn, "log odds parameter", i + 1, x.Val, "finite"}
		}
		vals[i] = x.Val
	}
	lse := mathx.LogSumExp(vals)
	b := t.Begin()
	lp := 0.0
	cnt := make([]float64, len(beta))
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

// glmPredictor computes η_i = α(_i) + Σ_j x_ij β_j in float64.
func glmPredictor(fn string, x ad.Matrix, alpha, beta []ad.Var) ([]float64, error) {
	if len(beta) != x.Cols {
		return nil, &SizeError{fn, "columns of the design matrix", "weight vector", x.Cols, len(beta)}
	}
	if len(alpha) != 1 && len(alpha) != x.Rows {
		return nil, &SizeError{fn, "rows of the design matrix", "intercept", x.Rows, len(alpha)}
	}
	eta := make([]float64, x.Rows)
	for i := range eta {
		eta[i] = pick1(alpha, i).Val
	}
	for j, bj := range beta {
		col := x.Data[j*x.Rows : (j+1)*x.Rows]
		for i, xv := range col {
			eta[i] += xv.Val * bj.Val
		}
	}
	return eta, nil
}

func pick1(v []ad.Var, i int) ad.Var {
	if len(v) == 1 {
		return v[0]
	}
	return v[i]
}

// glmPartials adds the partials of a GLM given dη_i.
func glmPartials(b *ad.Builder, x ad.Matrix, alpha, beta []ad.Var, deta []float64) {
	xConst := x.IsConst()
	for j, bj := range beta {
		col := x.Data[j*x.Rows : (j+1)*x.Rows]
		if !bj.IsConst() {
			s := 0.0
			for i, xv := range col {
				s += xv.Val * deta[i]
			}
			b.Add(bj, s)
		}
		if !xConst {
			for i, xv := range col {
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
func BernoulliLogitGLMLpmf(t *ad.Tape, propto bool, y []int, x ad.Matrix, alpha, beta []ad.Var) (ad.Var, error) {
	const fn = "bernoulli_logit_glm_lpmf"
	eta, err := glmPredictor(fn, x, alpha, beta)
	if err != nil {
		return ad.Var{}, err
	}
	if len(y) != 1 && len(y) != len(eta) {
		return ad.Var{}, &SizeError{fn, "Vector of dependent variables", "rows of the design matrix", len(y), len(eta)}
	}
	b := t.Begin()
	lp := 0.0
	deta := make([]float64, len(eta))
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
func PoissonLogGLMLpmf(t *ad.Tape, propto bool, y []int, x ad.Matrix, alpha, beta []ad.Var) (ad.Var, error) {
	const fn = "poisson_log_glm_lpmf"
	eta, err := glmPredictor(fn, x, alpha, beta)
	if err != nil {
		return ad.Var{}, err
	}
	b := t.Begin()
	lp := 0.0
	deta := make([]float64, len(eta))
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
func NormalIdGLMLpdf(t *ad.Tape, propto bool, y []ad.Var, x ad.Matrix, alpha, beta, sigma []ad.Var) (ad.Var, error) {
	const fn = "normal_id_glm_lpdf"
	eta, err := glmPredictor(fn, x, alpha, beta)
	if err != nil {
		return ad.Var{}, err
	}
	b := t.Begin()
	lp := 0.0
	deta := make([]float64, len(eta))
	sVary := anyVar(sigma)
	for i, e := range eta {
		yi, s := pick1(y, i), pick1(sigma, i)
		if !(s.Val > 0) {
			return ad.Var{}, &DomainError{fn, "Scale vector", i + 1, s.Val, "positive"}
		}
		z := (yi.Val - e) / s.Val
		lp -= 0.5 * z * z
		if !propto || sVary {
			lp -= math.Log(s.Val)
		}
		if !propto {
			lp -= 0.5 * log2Pi
		}
		deta[i] = z / s.Val
		b.Add(yi, -z/s.Val)
		b.Add(s, (z*z-1)/s.Val)
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
		ki := k[min(i, len(k)-1)]
		e := pick1(eta, i)
		ci := pick(c, i)
		K := len(ci) + 1
		if ki < 1 || ki > K {
			return ad.Var{}, &IntError{fn, "Random variable", i + 1, ki, fmt.Sprintf("in the interval [1, %d]", K)}
		}
		for j := 1; j < len(ci); j++ {
			if !(ci[j].Val > ci[j-1].Val) {
				return ad.Var{}, fmt.Errorf("%s: Cut-points is not a valid ordered vector", fn)
			}
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
