package compile

import (
	"fmt"
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/mathx"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// More densities whose arguments are not all vectorised reals: the
// multivariate families the dist package has, and others computed here
// with tape arithmetic, so that their gradients follow.

var halfLog2Pi = 0.5 * math.Log(2*math.Pi)

// addMoreFamilies defines the rest of the families whose arguments are
// not all vectorised reals.
func (l *library) addMoreFamilies() {
	m := map[string]density{}
	m["multi_normal_prec"] = mvnDensity(dist.MultiNormalPrecLpdf)
	m["multi_student_t"] = density{rng: multiStudentTRng, build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		y, nu, mu, s := vectorsOf(a[0]), a[1].real(), vectorsOf(a[2]), matrixOf(a[3])
		ok := mustAt(pos)
		return func(e *env) ad.Var { return ok(dist.MultiStudentTLpdf(e.t, propto, y(e), nu(e), mu(e), s(e))) }
	}}
	wishart := func(f func(*ad.Tape, bool, ad.Matrix, ad.Var, ad.Matrix) (ad.Var, error)) density {
		return density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
			w, nu, s := matrixOf(a[0]), a[1].real(), matrixOf(a[2])
			ok := mustAt(pos)
			return func(e *env) ad.Var { return ok(f(e.t, propto, w(e), nu(e), s(e))) }
		}}
	}
	m["wishart"] = wishart(dist.WishartLpdf).withRng(wishartRng(dist.WishartRng))
	m["inv_wishart"] = wishart(dist.InvWishartLpdf).withRng(wishartRng(dist.InvWishartRng))
	m["multi_gp"] = valDensity(multiGP(false))
	m["multi_gp_cholesky"] = valDensity(multiGP(true))
	m["lkj_cov"] = valDensity(lkjCov)
	m["gaussian_dlm_obs"] = valDensity(gaussianDLMObs)
	m["multinomial_logit"] = valDensity(multinomialLogit).withRng(multinomialRng(true))
	m["categorical_logit_glm"] = density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		y, x, al, be := intsOf(a[0]), a[1].v, asVector(c, a[2]), a[3].v
		ok := mustAt(pos)
		return func(e *env) ad.Var {
			return ok(categoricalLogitGLM(e.t, propto, y(e), x(e).matrix(), al(e), be(e).matrix()))
		}
	}}
	m["neg_binomial_2_log_glm"] = density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		y, x, al, be, phi := intsOf(a[0]), a[1].v, asVector(c, a[2]), asVector(c, a[3]), asVector(c, a[4])
		ok := mustAt(pos)
		ys := zeroState[[1][]int](c)
		return func(e *env) ad.Var {
			eta, err := linearPredictor(e.t, "neg_binomial_2_log_glm_lpmf", x(e).matrix(), al(e), be(e))
			if err != nil {
				panic(&evalError{pos: pos, err: err})
			}
			n := ys.of(e)
			n[0] = y(e)
			return ok(dist.NegBinomial2Log.Lpmf(e.t, propto, n[:], eta, phi(e)))
		}
	}}
	for name, d := range m {
		l.family(name, d)
	}
}

// valDensity compiles a density of containers (and scalars, as
// one-element Vals) by a function of their values.
func valDensity(f func(t *ad.Tape, propto bool, a []*Val) (ad.Var, error)) density {
	return density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		// valArgs are a model's arguments of one call, and the storage
		// of its scalar ones.
		type valArgs struct {
			vals []*Val
			scal []Val
		}
		n := len(a)
		work := newState(c, func() *valArgs { return &valArgs{make([]*Val, n), make([]Val, n)} })
		fs := make([]func(*env) *Val, n)
		for i, x := range a {
			switch {
			case x.v != nil:
				fs[i] = x.val(x.t.Kind != types.Int)
			case x.i != nil:
				fi := x.i
				fs[i] = func(e *env) *Val {
					v := &work.of(e).scal[i]
					v.shape(nil, true)
					v.I[0] = fi(e)
					return v
				}
			default:
				fr := x.real()
				fs[i] = func(e *env) *Val {
					v := &work.of(e).scal[i]
					v.shape(nil, false)
					v.R[0] = fr(e)
					return v
				}
			}
		}
		ok := mustAt(pos)
		return func(e *env) ad.Var {
			vals := work.of(e).vals
			for i, g := range fs {
				vals[i] = g(e)
			}
			return ok(f(e.t, propto, vals))
		}
	}}
}

func allConst(vs ...[]ad.Var) bool {
	for _, v := range vs {
		if anyVar(v) {
			return false
		}
	}
	return true
}

func checkFiniteVars(fn, what string, xs []ad.Var) error {
	for i, x := range xs {
		if math.IsInf(x.Val, 0) || math.IsNaN(x.Val) {
			return fmt.Errorf("%s: %s[%d] is %v, but must be finite!", fn, what, i+1, x.Val)
		}
	}
	return nil
}

// multiGP is multi_gp(y | Σ, w): each row y_i of the K×N matrix y is
// normal with mean 0 and covariance Σ / w_i; with cholesky, Σ = L Lᵀ.
func multiGP(cholesky bool) func(t *ad.Tape, propto bool, a []*Val) (ad.Var, error) {
	fn := "multi_gp_lpdf"
	if cholesky {
		fn = "multi_gp_cholesky_lpdf"
	}
	return func(t *ad.Tape, propto bool, a []*Val) (ad.Var, error) {
		y, s, w := a[0].matrix(), a[1].matrix(), a[2].R
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
		if propto && allConst(y.Data, s.Data, w) {
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
			if err := checkSymmetric(fn, "Kernel matrix", s); err != nil {
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
			lp = ad.Const(-float64(k*n) * halfLog2Pi)
		}
		if !propto || !s.IsConst() {
			lp = t.Sub(lp, t.Mul(ad.Const(0.5*float64(k)), logDet))
		}
		if !propto || anyVar(w) {
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
}

// lkjCov is lkj_cov(y | μ, σ, η) as Stan defines it: the standard
// deviations sqrt(diag y) are lognormal(μ, σ), and the correlation matrix
// D⁻¹ y D⁻¹ is LKJ(η), with no Jacobian of the change of variables.
func lkjCov(t *ad.Tape, propto bool, a []*Val) (ad.Var, error) {
	const fn = "lkj_cov_lpdf"
	y, mu, sigma, eta := a[0].matrix(), a[1].R, a[2].R, a[3].R[0]
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
	lp, err := dist.Lognormal.Lpdf(t, propto, sds, mu, sigma)
	if err != nil {
		return ad.Var{}, err
	}
	corr := t.Matrix(k, k)
	for j := range k {
		for i := range k {
			corr.Set(i, j, t.Div(y.At(i, j), t.Mul(sds[i], sds[j])))
		}
	}
	lc, err := dist.LkjCorrLpdf(t, propto, corr, eta)
	if err != nil {
		return ad.Var{}, err
	}
	return t.Add(lp, lc), nil
}

// gaussianDLMObs is the log likelihood of the observations y (r×T) of the
// dynamic linear model θ_t = Gᵀ... as Stan writes it: y_t ~ N(Fᵀ θ_t, V),
// θ_t ~ N(G θ_{t-1}, W), θ_0 ~ N(m0, C0), by the Kalman filter.
func gaussianDLMObs(t *ad.Tape, propto bool, a []*Val) (ad.Var, error) {
	const fn = "gaussian_dlm_obs_lpdf"
	y, F, G, W, m0, C0 := a[0].matrix(), a[1].matrix(), a[2].matrix(), a[4].matrix(), a[5].R, a[6].matrix()
	r, T := y.Rows, y.Cols
	var V ad.Matrix
	if len(a[3].Dims) == 1 {
		// The observations' variances: V is diagonal.
		v := a[3].R
		if len(v) != r {
			return ad.Var{}, fmt.Errorf("%s: V has size %d, but must have size %d", fn, len(v), r)
		}
		for i, x := range v {
			if !(x.Val >= 0) || math.IsInf(x.Val, 0) {
				return ad.Var{}, fmt.Errorf("%s: V[%d] is %v, but must be nonnegative and finite", fn, i+1, x.Val)
			}
		}
		V = t.Matrix(r, r)
		for i := range r {
			V.Set(i, i, v[i])
		}
	} else {
		V = a[3].matrix()
	}
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
		if err := checkSymmetric(fn, c.name, c.m); err != nil {
			return ad.Var{}, err
		}
	}
	if err := checkFiniteVars(fn, "y", y.Data); err != nil {
		return ad.Var{}, err
	}
	if propto && allConst(y.Data, F.Data, G.Data, V.Data, W.Data, m0, C0.Data) {
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
		lp = ad.Const(-float64(r*T) * halfLog2Pi)
	}
	m := ad.Matrix{Rows: n, Cols: 1, Data: m0}
	C := C0
	Ft, Gt := t.Transpose(F), t.Transpose(G)
	for i := range T {
		aa := mul(G, m)
		R := add(symmetrize(t, mul(G, mul(C, Gt))), W)
		f := mul(Ft, aa)
		Q := add(symmetrize(t, mul(Ft, mul(R, F))), V)
		Qinv, err := inverseSpd(t, Q)
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
		C = symmetrize(t, sub)
		ld, err := t.LogDeterminantSpd(Q)
		if err != nil {
			return ad.Var{}, fmt.Errorf("%s: %v", fn, err)
		}
		quad := dot(t, e.Data, mul(Qinv, e).Data)
		lp = t.Sub(lp, t.Mul(ad.Const(0.5), t.Add(ld, quad)))
	}
	return lp, nil
}

// multinomialLogit is multinomial(y | softmax(β)).
func multinomialLogit(t *ad.Tape, propto bool, a []*Val) (ad.Var, error) {
	const fn = "multinomial_logit_lpmf"
	ns, beta := a[0].I, a[1].R
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

// categoricalLogitGLM is Σ_n log softmax(α + x_n β)_{y_n}: x is N×K, β
// K×C, α of size C; a single y is every row's.
func categoricalLogitGLM(t *ad.Tape, propto bool, y []int, x ad.Matrix, alpha []ad.Var, beta ad.Matrix) (ad.Var, error) {
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
	if propto && allConst(x.Data, alpha, beta.Data) {
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
		terms = append(terms, t.Sub(row[k], logSumExp(t, row)))
	}
	return t.Sum(terms), nil
}
