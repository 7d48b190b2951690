package dist_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
)

// matOf builds an r×c ad.Matrix from row-major values.
func matOf(r, c int, x []ad.Var) ad.Matrix {
	m := ad.Matrix{Rows: r, Cols: c, Data: make([]ad.Var, r*c)}
	for i := range r {
		for j := range c {
			m.Set(i, j, x[i*c+j])
		}
	}
	return m
}

// normalLogPdf is log N(y; mu, s) by gonum, for the closed forms.
func normalLogPdf(y, mu []float64, s *mat.SymDense) float64 {
	var ch mat.Cholesky
	if !ch.Factorize(s) {
		return math.NaN()
	}
	d := mat.NewVecDense(len(y), nil)
	for i := range y {
		d.SetVec(i, y[i]-mu[i])
	}
	var z mat.VecDense
	if err := ch.SolveVecTo(&z, d); err != nil {
		return math.NaN()
	}
	return -0.5*float64(len(y))*math.Log(2*math.Pi) - 0.5*ch.LogDet() - 0.5*mat.Dot(d, &z)
}

// TestMultiGP checks multi_gp against its definition, each row of y
// normal with covariance Σ / w_i, the Cholesky form against the plain
// one, and both gradients.
func TestMultiGP(t *testing.T) {
	sigma := []float64{2, 0.3, 0.1, 0.3, 1.5, -0.2, 0.1, -0.2, 1}
	y := []float64{0.4, -1.1, 0.7, 1.3, 0.2, -0.5}
	w := []float64{1.5, 0.7}
	want := 0.0
	for i := range 2 {
		s := mat.NewSymDense(3, nil)
		for a := range 3 {
			for b := range 3 {
				s.SetSym(a, b, sigma[a*3+b]/w[i])
			}
		}
		want += normalLogPdf(y[i*3:i*3+3], []float64{0, 0, 0}, s)
	}
	l := cholOf(t, 3, sigma)
	lp, err := dist.MultiGPLpdf(ad.NewTape(), false, matOf(2, 3, consts(y...)), matOf(3, 3, consts(sigma...)), consts(w...))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "multi_gp_lpdf", lp.Val, want, 1e-12)
	lp, err = dist.MultiGPCholeskyLpdf(ad.NewTape(), false, matOf(2, 3, consts(y...)), matOf(3, 3, consts(l...)), consts(w...))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "multi_gp_cholesky_lpdf", lp.Val, want, 1e-12)
	gradCheck(t, "multi_gp_lpdf", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a := split(x, 6, 6, 2)
		return dist.MultiGPLpdf(tp, false, matOf(2, 3, a[0]), symFrom(a[1], 3), a[2])
	}, append(append(append([]float64{}, y...), lowerVals(3, sigma)...), w...)...)
	gradCheck(t, "multi_gp_cholesky_lpdf", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a := split(x, 6, 6, 2)
		return dist.MultiGPCholeskyLpdf(tp, false, matOf(2, 3, a[0]), lowerFrom(a[1], 3), a[2])
	}, append(append(append([]float64{}, y...), lowerVals(3, l)...), w...)...)
}

// TestLkjCov checks lkj_cov against its definition in Stan's terms:
// lognormal standard deviations and an LKJ correlation matrix, with no
// Jacobian; and its gradient.
func TestLkjCov(t *testing.T) {
	y := []float64{2, 0.3, 0.1, 0.3, 1.5, -0.2, 0.1, -0.2, 1}
	mu, sigma, eta := []float64{0.1, -0.2, 0.3}, []float64{1.2, 0.8, 2}, 1.7
	sds := make([]float64, 3)
	corr := make([]float64, 9)
	for i := range 3 {
		sds[i] = math.Sqrt(y[i*3+i])
	}
	for i := range 3 {
		for j := range 3 {
			corr[i*3+j] = y[i*3+j] / (sds[i] * sds[j])
		}
	}
	ln, err := dist.Lognormal.Lpdf(ad.NewTape(), false, consts(sds...), consts(mu...), consts(sigma...))
	if err != nil {
		t.Fatal(err)
	}
	lc, err := dist.LkjCorrLpdf(ad.NewTape(), false, matOf(3, 3, consts(corr...)), ad.Const(eta))
	if err != nil {
		t.Fatal(err)
	}
	lp, err := dist.LkjCovLpdf(ad.NewTape(), false, matOf(3, 3, consts(y...)), consts(mu...), consts(sigma...), ad.Const(eta))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "lkj_cov_lpdf", lp.Val, ln.Val+lc.Val, 1e-12)
	gradCheck(t, "lkj_cov_lpdf", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a := split(x, 6, 3, 3, 1)
		return dist.LkjCovLpdf(tp, false, symFrom(a[0], 3), a[1], a[2], a[3][0])
	}, append(append(append(lowerVals(3, y), mu...), sigma...), eta)...)
}

// TestMultinomialLogit checks multinomial_logit against multinomial of
// the softmax, and its gradient.
func TestMultinomialLogit(t *testing.T) {
	ns := []int{3, 0, 5, 2}
	beta := []float64{0.2, -1, 0.7, 0.1}
	m := math.Inf(-1)
	for _, b := range beta {
		m = math.Max(m, b)
	}
	z := 0.0
	for _, b := range beta {
		z += math.Exp(b - m)
	}
	theta := make([]float64, len(beta))
	for i, b := range beta {
		theta[i] = math.Exp(b-m) / z
	}
	want, err := dist.MultinomialLpmf(ad.NewTape(), false, ns, consts(theta...))
	if err != nil {
		t.Fatal(err)
	}
	lp, err := dist.MultinomialLogitLpmf(ad.NewTape(), false, ns, consts(beta...))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "multinomial_logit_lpmf", lp.Val, want.Val, 1e-12)
	gradCheck(t, "multinomial_logit_lpmf", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		return dist.MultinomialLogitLpmf(tp, false, ns, x)
	}, beta...)
}

// TestCategoricalLogitGLM checks categorical_logit_glm against
// categorical_logit of each row's linear predictor α + x_n β, with one y
// per row and one y for every row; and its gradient.
func TestCategoricalLogitGLM(t *testing.T) {
	x := []float64{0.5, -1, 0.3, 2, 0.1, -0.4} // 3×2
	alpha := []float64{0.2, -0.1, 0.4}
	beta := []float64{0.3, -0.6, 1, 0.2, 0.5, -0.8} // 2×3
	for _, y := range [][]int{{1, 3, 2}, {2}} {
		want := 0.0
		for n := range 3 {
			eta := make([]float64, 3)
			for c := range 3 {
				eta[c] = alpha[c] + x[n*2]*beta[c] + x[n*2+1]*beta[3+c]
			}
			lp, err := dist.CategoricalLogitLpmf(ad.NewTape(), false, []int{y[min(n, len(y)-1)]}, consts(eta...))
			if err != nil {
				t.Fatal(err)
			}
			want += lp.Val
		}
		lp, err := dist.CategoricalLogitGLMLpmf(ad.NewTape(), false, y, matOf(3, 2, consts(x...)), consts(alpha...), matOf(2, 3, consts(beta...)))
		if err != nil {
			t.Fatal(err)
		}
		near(t, "categorical_logit_glm_lpmf", lp.Val, want, 1e-12)
		gradCheck(t, "categorical_logit_glm_lpmf", func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
			a := split(v, 6, 3, 6)
			return dist.CategoricalLogitGLMLpmf(tp, false, y, matOf(3, 2, a[0]), a[1], matOf(2, 3, a[2]))
		}, append(append(append([]float64{}, x...), alpha...), beta...)...)
	}
}

// TestGaussianDLMObsScalar checks the Kalman filter's log likelihood of a
// one-state, one-series model over two times with the joint normal density
// of (y_1, y_2), its diagonal-V form with the matrix form, and the
// gradient.
func TestGaussianDLMObsScalar(t *testing.T) {
	y1, y2, F, G, V, W, m0, C0 := 0.4, -0.3, 1.3, 0.8, 0.5, 0.7, 0.2, 1.1
	p1 := G*G*C0 + W
	p2 := G*G*p1 + W
	s := mat.NewSymDense(2, []float64{F*F*p1 + V, F * F * G * p1, F * F * G * p1, F*F*p2 + V})
	want := normalLogPdf([]float64{y1, y2}, []float64{F * G * m0, F * G * G * m0}, s)
	one := func(v float64) ad.Matrix { return matOf(1, 1, consts(v)) }
	lp, err := dist.GaussianDLMObsLpdf(ad.NewTape(), false, matOf(1, 2, consts(y1, y2)), one(F), one(G), one(V), one(W), consts(m0), one(C0))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "gaussian_dlm_obs_lpdf", lp.Val, want, 1e-12)
	lp, err = dist.GaussianDLMObsDiagLpdf(ad.NewTape(), false, matOf(1, 2, consts(y1, y2)), one(F), one(G), consts(V), one(W), consts(m0), one(C0))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "gaussian_dlm_obs_lpdf, diagonal V", lp.Val, want, 1e-12)
	gradCheck(t, "gaussian_dlm_obs_lpdf", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		m := func(i int) ad.Matrix { return matOf(1, 1, x[i:i+1]) }
		return dist.GaussianDLMObsDiagLpdf(tp, false, matOf(1, 2, x[0:2]), m(2), m(3), x[4:5], m(5), x[6:7], m(7))
	}, y1, y2, F, G, V, W, m0, C0)
}

// TestWienerLpdf checks wiener's gradient against finite differences, the
// broadcasting of its arguments, and the error for y at or before τ.
func TestWienerLpdf(t *testing.T) {
	gradCheck(t, "wiener_lpdf", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		return dist.WienerLpdf(tp, false, x[0:2], x[2:3], x[3:4], x[4:5], x[5:6])
	}, 0.9, 2.5, 1.3, 0.2, 0.4, 0.8)
	one, err := dist.WienerLpdf(ad.NewTape(), false, consts(0.9), consts(1.3), consts(0.2), consts(0.4), consts(0.8))
	if err != nil {
		t.Fatal(err)
	}
	two, err := dist.WienerLpdf(ad.NewTape(), false, consts(0.9, 0.9), consts(1.3), consts(0.2), consts(0.4), consts(0.8))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "wiener_lpdf of two equal elements", two.Val, 2*one.Val, 1e-14)
	_, err = dist.WienerLpdf(ad.NewTape(), false, consts(0.1), consts(1.3), consts(0.2), consts(0.4), consts(0.8))
	wantErr(t, "wiener_lpdf with y < tau", err, "wiener_lpdf: Random variable = 0.1, but must be greater than nondecision time = 0.2")
}

// TestNegBinomial2LogGLM checks neg_binomial_2_log_glm against
// neg_binomial_2_log of the linear predictor α + x β, and its gradient.
func TestNegBinomial2LogGLM(t *testing.T) {
	y := []int{3, 0, 7}
	x := []float64{0.5, -1, 0.3, 2, 0.1, -0.4} // 3×2
	beta, alpha, phi := []float64{0.3, -0.6}, []float64{0.2}, []float64{1.5, 2, 0.7}
	eta := make([]float64, 3)
	for n := range 3 {
		eta[n] = alpha[0] + x[n*2]*beta[0] + x[n*2+1]*beta[1]
	}
	want, err := dist.NegBinomial2Log.Lpmf(ad.NewTape(), false, [][]int{y}, consts(eta...), consts(phi...))
	if err != nil {
		t.Fatal(err)
	}
	lp, err := dist.NegBinomial2LogGLMLpmf(ad.NewTape(), false, y, matOf(3, 2, consts(x...)), consts(alpha...), consts(beta...), consts(phi...))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "neg_binomial_2_log_glm_lpmf", lp.Val, want.Val, 1e-12)
	gradCheck(t, "neg_binomial_2_log_glm_lpmf", func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
		a := split(v, 6, 1, 2, 3)
		return dist.NegBinomial2LogGLMLpmf(tp, false, y, matOf(3, 2, a[0]), a[1], a[2], a[3])
	}, append(append(append(append([]float64{}, x...), alpha...), beta...), phi...)...)
	// Outcomes and precisions are one or one per row of x; other sizes
	// are errors that say which (the outcomes' said "Number of successes"
	// twice, from neg_binomial_2_log of the linear predictor).
	for _, c := range []struct {
		y    []int
		phi  []float64
		want string
	}{
		{[]int{3, 0}, phi, "neg_binomial_2_log_glm_lpmf: size of Vector of dependent variables (2) and size of rows of the design matrix (3) must match"},
		{[]int{3, 0, 7, 1}, phi, "neg_binomial_2_log_glm_lpmf: size of Vector of dependent variables (4) and size of rows of the design matrix (3) must match"},
		{y, []float64{1, 2}, "neg_binomial_2_log_glm_lpmf: size of Precision parameter (2) and size of rows of the design matrix (3) must match"},
	} {
		_, err := dist.NegBinomial2LogGLMLpmf(ad.NewTape(), false, c.y, matOf(3, 2, consts(x...)), consts(alpha...), consts(beta...), consts(c.phi...))
		if err == nil || err.Error() != c.want {
			t.Errorf("y %v, phi %v: %v, want %q", c.y, c.phi, err, c.want)
		}
	}
	if _, err := dist.NegBinomial2LogGLMLpmf(ad.NewTape(), false, []int{3}, matOf(3, 2, consts(x...)), consts(alpha...), consts(beta...), consts(1.5)); err != nil {
		t.Errorf("one outcome and one precision for every row: %v", err)
	}
}

// TestWienerSvLpdf checks the 5-parameter wiener against the 4-parameter
// density integrated over a normal drift by quadrature, against the
// 4-parameter one at s_δ = 0, and its gradient by finite differences.
func TestWienerSvLpdf(t *testing.T) {
	const y, a, tau, b, v, s = 0.9, 1.3, 0.2, 0.4, 0.8, 0.7
	got, err := dist.WienerSvLpdf(ad.NewTape(), false, consts(y), consts(a), consts(tau), consts(b), consts(v), consts(s))
	if err != nil {
		t.Fatal(err)
	}
	f := func(d float64) float64 {
		lp, _ := dist.WienerLpdf(ad.NewTape(), false, consts(y), consts(a), consts(tau), consts(b), consts(d))
		return math.Exp(lp.Val) * distuv.Normal{Mu: v, Sigma: s}.Prob(d)
	}
	near(t, "wiener_lpdf with s_δ", got.Val, math.Log(quad.Fixed(f, v-12*s, v+12*s, 400, nil, 0)), 1e-10)
	zero, _ := dist.WienerSvLpdf(ad.NewTape(), false, consts(y), consts(a), consts(tau), consts(b), consts(v), consts(0))
	four, _ := dist.WienerLpdf(ad.NewTape(), false, consts(y), consts(a), consts(tau), consts(b), consts(v))
	near(t, "wiener_lpdf with s_δ = 0", zero.Val, four.Val, 1e-14)
	gradCheck(t, "wiener_lpdf with s_δ", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		return dist.WienerSvLpdf(tp, false, x[0:2], x[2:3], x[3:4], x[4:5], x[5:6], x[6:7])
	}, 0.9, 2.5, 1.3, 0.2, 0.4, 0.8, 0.7)
}
