package dist

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// Densities of matrices and the multinomial and categorical GLM forms,
// computed with tape arithmetic so that their gradients follow.

// MultiGPLpdf is multi_gp(y | Σ, w): each row y_i of the K×N matrix y is
// normal with mean 0 and covariance Σ / w_i.
func MultiGPLpdf(t *ad.Tape, propto bool, y, sigma ad.Matrix, w []ad.Var) (ad.Var, error) {
	return multiGP(t, propto, false, y, sigma, w)
}

// MultiGPCholeskyLpdf is multi_gp_cholesky(y | L, w): MultiGPLpdf with
// Σ = L Lᵀ.
func MultiGPCholeskyLpdf(t *ad.Tape, propto bool, y, l ad.Matrix, w []ad.Var) (ad.Var, error) {
	return multiGP(t, propto, true, y, l, w)
}

func multiGP(t *ad.Tape, propto, cholesky bool, y, s ad.Matrix, w []ad.Var) (ad.Var, error) {
	fn := "multi_gp_lpdf"
	if cholesky {
		fn = "multi_gp_cholesky_lpdf"
	}
	k, n := y.Rows, y.Cols
	if s.Rows != n || s.Cols != n {
		return ad.Var{}, fmt.Errorf("%s: the kernel matrix is %d×%d, but must be %d×%d", fn, s.Rows, s.Cols, n, n)
	}
	if len(w) != k {
		return ad.Var{}, fmt.Errorf("%s: size of kernel scales (%d) must match the rows of y (%d)", fn, len(w), k)
	}
	for i, x := range w {
		if !(x.Val > 0) || math.IsInf(x.Val, 0) {
			return ad.Var{}, fmt.Errorf("%s: Kernel scales[%d] is %v, but must be positive finite!", fn, i+1, x.Val)
		}
	}
	if err := checkFiniteVars(fn, "Random variable", y.Data); err != nil {
		return ad.Var{}, err
	}
	if propto && !ad.AnyVar(y.Data, s.Data, w) {
		return ad.Const(0), nil
	}
	yt := t.Transpose(y) // N×K: column i is row i of y
	var logDet ad.Var
	var q []ad.Var // the quadratic forms y_i Σ⁻¹ y_iᵀ
	if cholesky {
		z, err := t.MdivideLeftTriLow(s, yt)
		if err != nil {
			return ad.Var{}, err
		}
		q = t.ColumnsDotSelf(z)
		b := t.Begin()
		v := 0.0
		for i := range n {
			d := s.At(i, i)
			if !(d.Val > 0) {
				return ad.Var{}, fmt.Errorf("%s: the Cholesky factor's diagonal must be positive, but [%d,%d] is %v", fn, i+1, i+1, d.Val)
			}
			v += 2 * math.Log(d.Val)
			b.Add(d, 2/d.Val)
		}
		logDet = b.End(v)
	} else {
		if err := CheckSymmetric(fn, "Kernel matrix", s); err != nil {
			return ad.Var{}, err
		}
		x, err := t.MdivideLeftSpd(s, yt)
		if err != nil {
			return ad.Var{}, err
		}
		q, err = t.ColumnsDotProduct(yt, x)
		if err != nil {
			return ad.Var{}, err
		}
		if logDet, err = t.LogDeterminantSpd(s); err != nil {
			return ad.Var{}, err
		}
	}
	lp := ad.Const(0)
	if !propto {
		lp = ad.Const(-float64(k*n) * mathx.HalfLog2Pi)
	}
	if !propto || !s.IsConst() {
		lp = t.Sub(lp, t.Mul(ad.Const(0.5*float64(k)), logDet))
	}
	if !propto || ad.AnyVar(w) {
		b := t.Begin()
		v := 0.0
		for _, x := range w {
			v += 0.5 * float64(n) * math.Log(x.Val)
			b.Add(x, 0.5*float64(n)/x.Val)
		}
		lp = t.Add(lp, b.End(v))
	}
	// -Σ w_i q_i / 2
	b := t.Begin()
	v := 0.0
	for i, x := range w {
		v -= 0.5 * x.Val * q[i].Val
		b.Add(x, -0.5*q[i].Val)
		b.Add(q[i], -0.5*x.Val)
	}
	return t.Add(lp, b.End(v)), nil
}

// LkjCovLpdf is lkj_cov(y | μ, σ, η) as Stan defines it: the standard
// deviations sqrt(diag y) are lognormal(μ, σ), and the correlation matrix
// D⁻¹ y D⁻¹ is LKJ(η), with no Jacobian of the change of variables.
func LkjCovLpdf(t *ad.Tape, propto bool, y ad.Matrix, mu, sigma []ad.Var, eta ad.Var) (ad.Var, error) {
	const fn = "lkj_cov_lpdf"
	k := y.Rows
	if y.Cols != k {
		return ad.Var{}, fmt.Errorf("%s: Expecting a square matrix; rows of y (%d) and columns of y (%d) must match in size", fn, k, y.Cols)
	}
	if len(mu) != k || len(sigma) != k {
		return ad.Var{}, fmt.Errorf("%s: the location (%d) and scale (%d) vectors must have the size of y (%d)", fn, len(mu), len(sigma), k)
	}
	if err := checkFiniteVars(fn, "Location parameter", mu); err != nil {
		return ad.Var{}, err
	}
	for i, s := range sigma {
		if !(s.Val > 0) || math.IsInf(s.Val, 0) {
			return ad.Var{}, fmt.Errorf("%s: Scale parameter[%d] is %v, but must be positive finite!", fn, i+1, s.Val)
		}
	}
	if !(eta.Val > 0) || math.IsInf(eta.Val, 0) {
		return ad.Var{}, fmt.Errorf("%s: Shape parameter is %v, but must be positive finite!", fn, eta.Val)
	}
	sds := t.Vars(k)
	for i := range k {
		sds[i] = t.Sqrt(y.At(i, i))
	}
	lp, err := Lognormal.Lpdf(t, propto, sds, mu, sigma)
	if err != nil {
		return ad.Var{}, err
	}
	corr := t.Matrix(k, k)
	for j := range k {
		for i := range k {
			corr.Set(i, j, t.Div(y.At(i, j), t.Mul(sds[i], sds[j])))
		}
	}
	lc, err := LkjCorrLpdf(t, propto, corr, eta)
	if err != nil {
		return ad.Var{}, err
	}
	return t.Add(lp, lc), nil
}

// GaussianDLMObsLpdf is the log likelihood of the observations y (r×T) of the
// dynamic linear model θ_t = Gᵀ... as Stan writes it: y_t ~ N(Fᵀ θ_t, V),
// θ_t ~ N(G θ_{t-1}, W), θ_0 ~ N(m0, C0), by the Kalman filter.
func GaussianDLMObsLpdf(t *ad.Tape, propto bool, y, F, G, V, W ad.Matrix, m0 []ad.Var, C0 ad.Matrix) (ad.Var, error) {
	const fn = "gaussian_dlm_obs_lpdf"
	r, T := y.Rows, y.Cols
	n := G.Rows
	switch {
	case F.Rows != n || F.Cols != r:
		return ad.Var{}, fmt.Errorf("%s: F is %d×%d, but must be %d×%d", fn, F.Rows, F.Cols, n, r)
	case G.Cols != n:
		return ad.Var{}, fmt.Errorf("%s: G is %d×%d, but must be square", fn, G.Rows, G.Cols)
	case V.Rows != r || V.Cols != r:
		return ad.Var{}, fmt.Errorf("%s: V is %d×%d, but must be %d×%d", fn, V.Rows, V.Cols, r, r)
	case W.Rows != n || W.Cols != n:
		return ad.Var{}, fmt.Errorf("%s: W is %d×%d, but must be %d×%d", fn, W.Rows, W.Cols, n, n)
	case len(m0) != n:
		return ad.Var{}, fmt.Errorf("%s: m0 has size %d, but must have size %d", fn, len(m0), n)
	case C0.Rows != n || C0.Cols != n:
		return ad.Var{}, fmt.Errorf("%s: C0 is %d×%d, but must be %d×%d", fn, C0.Rows, C0.Cols, n, n)
	}
	for _, c := range []struct {
		name string
		m    ad.Matrix
	}{{"V", V}, {"W", W}, {"C0", C0}} {
		if err := CheckSymmetric(fn, c.name, c.m); err != nil {
			return ad.Var{}, err
		}
	}
	if err := checkFiniteVars(fn, "y", y.Data); err != nil {
		return ad.Var{}, err
	}
	if propto && !ad.AnyVar(y.Data, F.Data, G.Data, V.Data, W.Data, m0, C0.Data) {
		return ad.Const(0), nil
	}
	mul := func(x, z ad.Matrix) ad.Matrix {
		p, _ := t.MatMul(x, z)
		return p
	}
	add := func(x, z ad.Matrix) ad.Matrix {
		p, _ := t.AddMatrix(x, z)
		return p
	}
	lp := ad.Const(0)
	if !propto {
		lp = ad.Const(-float64(r*T) * mathx.HalfLog2Pi)
	}
	m := ad.Matrix{Rows: n, Cols: 1, Data: m0}
	C := C0
	Ft, Gt := t.Transpose(F), t.Transpose(G)
	for i := range T {
		aa := mul(G, m)
		R := add(Symmetrize(t, mul(G, mul(C, Gt))), W)
		f := mul(Ft, aa)
		Q := add(Symmetrize(t, mul(Ft, mul(R, F))), V)
		Qinv, err := InverseSPD(t, Q)
		if err != nil {
			return ad.Var{}, fmt.Errorf("%s: %v", fn, err)
		}
		e := t.Matrix(r, 1)
		for k := range r {
			e.Data[k] = t.Sub(y.At(k, i), f.Data[k])
		}
		A := mul(R, mul(F, Qinv))
		m = add(aa, mul(A, e))
		sub, _ := t.SubMatrix(R, mul(A, mul(Q, t.Transpose(A))))
		C = Symmetrize(t, sub)
		ld, err := t.LogDeterminantSpd(Q)
		if err != nil {
			return ad.Var{}, fmt.Errorf("%s: %v", fn, err)
		}
		quad, err := t.Dot(e.Data, mul(Qinv, e).Data)
		if err != nil {
			return ad.Var{}, fmt.Errorf("%s: %v", fn, err)
		}
		lp = t.Sub(lp, t.Mul(ad.Const(0.5), t.Add(ld, quad)))
	}
	return lp, nil
}

// GaussianDLMObsDiagLpdf is GaussianDLMObsLpdf with the observations'
// variances v: V is diagonal.
func GaussianDLMObsDiagLpdf(t *ad.Tape, propto bool, y, F, G ad.Matrix, v []ad.Var, W ad.Matrix, m0 []ad.Var, C0 ad.Matrix) (ad.Var, error) {
	const fn = "gaussian_dlm_obs_lpdf"
	r := y.Rows
	if len(v) != r {
		return ad.Var{}, fmt.Errorf("%s: V has size %d, but must have size %d", fn, len(v), r)
	}
	for i, x := range v {
		if !(x.Val >= 0) || math.IsInf(x.Val, 0) {
			return ad.Var{}, fmt.Errorf("%s: V[%d] is %v, but must be nonnegative and finite", fn, i+1, x.Val)
		}
	}
	V := t.Matrix(r, r)
	for i := range r {
		V.Set(i, i, v[i])
	}
	return GaussianDLMObsLpdf(t, propto, y, F, G, V, W, m0, C0)
}

// MultinomialLogitLpmf is multinomial(y | softmax(β)).
func MultinomialLogitLpmf(t *ad.Tape, propto bool, ns []int, beta []ad.Var) (ad.Var, error) {
	const fn = "multinomial_logit_lpmf"
	if len(ns) != len(beta) {
		return ad.Var{}, fmt.Errorf("%s: Size of number of trials variable (%d) and rows of log-probabilities parameter (%d) must match in size", fn, len(ns), len(beta))
	}
	total := 0
	for i, k := range ns {
		if k < 0 {
			return ad.Var{}, fmt.Errorf("%s: Number of trials variable[%d] is %d, but must be nonnegative!", fn, i+1, k)
		}
		total += k
	}
	if err := checkFiniteVars(fn, "log-probabilities parameter", beta); err != nil {
		return ad.Var{}, err
	}
	v := 0.0
	if !propto {
		v = mathx.Lgamma(float64(total + 1))
		for _, k := range ns {
			v -= mathx.Lgamma(float64(k + 1))
		}
	}
	if len(beta) == 0 {
		return ad.Const(v), nil
	}
	m := math.Inf(-1)
	for _, x := range beta {
		m = math.Max(m, x.Val)
	}
	s := 0.0
	for _, x := range beta {
		s += math.Exp(x.Val - m)
	}
	lse := m + math.Log(s)
	// Σ n_k (β_k - lse), ∂/∂β_j = n_j - N softmax_j.
	b := t.Begin()
	for j, x := range beta {
		v += float64(ns[j]) * (x.Val - lse)
		b.Add(x, float64(ns[j])-float64(total)*math.Exp(x.Val-lse))
	}
	return b.End(v), nil
}

// NegBinomial2LogGLMLpmf is neg_binomial_2_log(y | α + x β, φ): x is
// N×K, β of size K, α, y and φ one or one per row.
func NegBinomial2LogGLMLpmf(t *ad.Tape, propto bool, y []int, x ad.Matrix, alpha, beta, phi []ad.Var) (ad.Var, error) {
	const fn = "neg_binomial_2_log_glm_lpmf"
	if err := glmRows(fn, "Vector of dependent variables", len(y), x.Rows); err != nil {
		return ad.Var{}, err
	}
	if err := glmRows(fn, "Precision parameter", len(phi), x.Rows); err != nil {
		return ad.Var{}, err
	}
	eta, err := linearPredictor(t, fn, x, alpha, beta)
	if err != nil {
		return ad.Var{}, err
	}
	n := [1][]int{y}
	return NegBinomial2Log.Lpmf(t, propto, n[:], eta, phi)
}

// linearPredictor is α + x β for a GLM, α a scalar or one per row.
func linearPredictor(t *ad.Tape, fn string, x ad.Matrix, alpha, beta []ad.Var) ([]ad.Var, error) {
	if x.Cols != len(beta) {
		return nil, fmt.Errorf("%s: Columns of Matrix of independent variables (%d) and size of Weight vector (%d) must match in size", fn, x.Cols, len(beta))
	}
	if len(alpha) != 1 && len(alpha) != x.Rows {
		return nil, fmt.Errorf("%s: size of Intercept (%d) must be 1 or the rows of Matrix of independent variables (%d)", fn, len(alpha), x.Rows)
	}
	xb, err := t.MatVec(x, beta)
	if err != nil {
		return nil, err
	}
	eta := t.Vars(x.Rows)
	for i := range eta {
		eta[i] = t.Add(alpha[min(i, len(alpha)-1)], xb[i])
	}
	return eta, nil
}

// CategoricalLogitGLMLpmf is Σ_n log softmax(α + x_n β)_{y_n}: x is N×K, β
// K×C, α of size C; a single y is every row's.
func CategoricalLogitGLMLpmf(t *ad.Tape, propto bool, y []int, x ad.Matrix, alpha []ad.Var, beta ad.Matrix) (ad.Var, error) {
	const fn = "categorical_logit_glm_lpmf"
	n, c := x.Rows, beta.Cols
	if x.Cols != beta.Rows {
		return ad.Var{}, fmt.Errorf("%s: Columns of Matrix of independent variables (%d) and rows of Weight vector (%d) must match in size", fn, x.Cols, beta.Rows)
	}
	if len(alpha) != c {
		return ad.Var{}, fmt.Errorf("%s: size of Intercept (%d) and columns of Weight vector (%d) must match in size", fn, len(alpha), c)
	}
	if len(y) != 1 && len(y) != n {
		return ad.Var{}, fmt.Errorf("%s: size of Vector of dependent variables (%d) and rows of Matrix of independent variables (%d) must match in size", fn, len(y), n)
	}
	for i, k := range y {
		if k < 1 || k > c {
			return ad.Var{}, fmt.Errorf("%s: Categorical outcome[%d] is %d, but must be in the interval [1, %d]", fn, i+1, k, c)
		}
	}
	for _, v := range [][]ad.Var{x.Data, alpha, beta.Data} {
		if err := checkFiniteVars(fn, "argument", v); err != nil {
			return ad.Var{}, err
		}
	}
	if propto && !ad.AnyVar(x.Data, alpha, beta.Data) {
		return ad.Const(0), nil
	}
	eta, err := t.MatMul(x, beta)
	if err != nil {
		return ad.Var{}, err
	}
	row := t.Vars(c)
	terms := t.Vars(n)[:0]
	for i := range n {
		for j := range c {
			row[j] = t.Add(eta.At(i, j), alpha[j])
		}
		k := y[min(i, len(y)-1)] - 1
		terms = append(terms, t.Sub(row[k], t.LogSumExp(row)))
	}
	return t.Sum(terms), nil
}

// checkFiniteVars checks that every element of xs is finite.
func checkFiniteVars(fn, what string, xs []ad.Var) error {
	for i, x := range xs {
		if math.IsInf(x.Val, 0) || math.IsNaN(x.Val) {
			return fmt.Errorf("%s: %s[%d] is %v, but must be finite!", fn, what, i+1, x.Val)
		}
	}
	return nil
}

// CheckSymmetric is Stan's check_symmetric: |m_ij - m_ji| <= 1e-8.
func CheckSymmetric(fn, name string, m ad.Matrix) error {
	if m.Rows != m.Cols {
		return fmt.Errorf("%s: Expecting a square matrix; rows of %s (%d) and columns of %s (%d) must match in size", fn, name, m.Rows, name, m.Cols)
	}
	for j := range m.Cols {
		for i := j + 1; i < m.Rows; i++ {
			if a, b := m.At(i, j).Val, m.At(j, i).Val; !(math.Abs(a-b) <= 1e-8) {
				return fmt.Errorf("%s: %s is not symmetric. %s[%d,%d] = %v, but %s[%d,%d] = %v", fn, name, name, i+1, j+1, a, name, j+1, i+1, b)
			}
		}
	}
	return nil
}

// Symmetrize returns (m + mᵀ)/2.
func Symmetrize(t *ad.Tape, m ad.Matrix) ad.Matrix {
	n := m.Rows
	r := t.Matrix(n, n)
	half := ad.Const(0.5)
	for j := range n {
		r.Set(j, j, m.At(j, j))
		for i := j + 1; i < n; i++ {
			v := t.Mul(half, t.Add(m.At(i, j), m.At(j, i)))
			r.Set(i, j, v)
			r.Set(j, i, v)
		}
	}
	return r
}

// InverseSPD is the inverse of a symmetric positive-definite matrix, as
// Stan computes it: of the symmetrized matrix, symmetrized again.
func InverseSPD(t *ad.Tape, m ad.Matrix) (ad.Matrix, error) {
	const fn = "inverse_spd"
	if err := CheckSymmetric(fn, "m", m); err != nil {
		return ad.Matrix{}, err
	}
	s := Symmetrize(t, m)
	if !positiveDefiniteVars(s) {
		return ad.Matrix{}, fmt.Errorf("%s: m is not positive definite", fn)
	}
	inv, err := t.Inverse(s)
	if err != nil {
		return ad.Matrix{}, err
	}
	return Symmetrize(t, inv), nil
}

func positiveDefiniteVars(m ad.Matrix) bool {
	n := m.Rows
	sym := mat.NewSymDense(n, nil)
	for j := range n {
		for i := j; i < n; i++ {
			sym.SetSym(i, j, m.At(i, j).Val)
		}
	}
	var ch mat.Cholesky
	return ch.Factorize(sym)
}
