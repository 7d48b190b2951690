package compile

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLoglogistic checks loglogistic's density and CDF in programs
// against their closed forms, with gradients by finite differences.
func TestLoglogistic(t *testing.T) {
	at := []float64{1.7, 0.8, 2.5}
	lpdf := func(y, a, b float64) float64 {
		r := math.Pow(y/a, b)
		return math.Log(b/a) + (b-1)*math.Log(y/a) - 2*math.Log1p(r)
	}
	checkExprs(t, "", at, []exprCase{
		{"loglogistic_lpdf(x[1] | x[2], x[3]) + loglogistic_lpdf(x[2:3] | 1.5, x[3])", func(v []float64) float64 {
			return lpdf(v[0], v[1], v[2]) + lpdf(v[1], 1.5, v[2]) + lpdf(v[2], 1.5, v[2])
		}},
		{"loglogistic_cdf(x[1] | x[2], x[3]) + loglogistic_cdf(x[1] | 2, 3)", func(v []float64) float64 {
			return 1/(1+math.Pow(v[0]/v[1], -v[2])) + 1/(1+math.Pow(v[0]/2, -3))
		}},
	})
}

// TestBetaNegBinomial checks beta_neg_binomial's mass, CDFs and truncation
// in programs: the mass against its definition, the CDF against the sum
// of the mass, gradients by finite differences.
func TestBetaNegBinomial(t *testing.T) {
	at := []float64{2.5, 3, 1.5}
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	lpmf := func(n int, r, a, b float64) float64 {
		k := float64(n)
		lbeta := func(x, y float64) float64 { return lg(x) + lg(y) - lg(x+y) }
		return lg(k+r) - lg(k+1) - lg(r) + lbeta(k+b, a+r) - lbeta(a, b)
	}
	cdf := func(n int, r, a, b float64) float64 {
		s := 0.0
		for k := 0; k <= n; k++ {
			s += math.Exp(lpmf(k, r, a, b))
		}
		return s
	}
	checkExprs(t, "", at, []exprCase{
		{"beta_neg_binomial_lpmf({0, 4} | x[1], x[2], x[3])", func(v []float64) float64 {
			return lpmf(0, v[0], v[1], v[2]) + lpmf(4, v[0], v[1], v[2])
		}},
		{"beta_neg_binomial_lcdf(3 | x[1], x[2], x[3]) + beta_neg_binomial_lccdf(2 | x[1], x[2], x[3]) + beta_neg_binomial_cdf(1 | x[1], x[2], x[3])", func(v []float64) float64 {
			return math.Log(cdf(3, v[0], v[1], v[2])) + math.Log(1-cdf(2, v[0], v[1], v[2])) + cdf(1, v[0], v[1], v[2])
		}},
	})
}

// TestDirichletMultinomial checks dirichlet_multinomial in a program: with
// two categories it is the beta binomial.
func TestDirichletMultinomial(t *testing.T) {
	at := []float64{0.4, 1.1}
	checkExprs(t, "", at, []exprCase{
		{"dirichlet_multinomial_lpmf({3, 7} | exp(x)) - beta_binomial_lpmf(3 | 10, exp(x[1]), exp(x[2]))", func([]float64) float64 { return 0 }},
		{"dirichlet_multinomial_lpmf({3, 0, 2} | [exp(x[1]), 1, exp(x[2])]')", nil},
	})
}

// TestMultiStudentTCholesky checks multi_student_t_cholesky in a program
// against multi_student_t of L Lᵀ, with gradients by finite differences.
func TestMultiStudentTCholesky(t *testing.T) {
	at := []float64{0.3, -0.4, 1.1, 0.2, 0.5, -0.3}
	L := "[[exp(x[4]), 0], [x[5], exp(x[6])]]"
	checkExprs(t, "", at, []exprCase{
		{"multi_student_t_cholesky_lpdf(x[1:2] | 3 + x[3]^2, [0.1, -0.2]', " + L + ") - multi_student_t_lpdf(x[1:2] | 3 + x[3]^2, [0.1, -0.2]', multiply_lower_tri_self_transpose(" + L + "))", func([]float64) float64 { return 0 }},
		{"multi_student_t_cholesky_lpdf({x[1:2], x[2:3]} | 3 + x[3]^2, [0.1, -0.2]', " + L + ")", nil},
	})
}

// TestWishartCholeskyPrograms checks wishart_cholesky and
// inv_wishart_cholesky in programs against (inv_)wishart of L Lᵀ and the
// log Jacobian 2 log 2 + 2 log L₁₁ + log L₂₂, with gradients by finite
// differences.
func TestWishartCholeskyPrograms(t *testing.T) {
	at := []float64{0.3, -0.4, 0.2, 0.5, 0.1, -0.3}
	LW := "[[exp(x[1]), 0], [x[2], exp(x[3])]]"
	LS := "[[exp(x[4]), 0], [x[5], exp(x[6])]]"
	jac := func(v []float64) float64 { return 2*math.Ln2 + 2*v[0] + v[2] }
	checkExprs(t, "", at, []exprCase{
		{"wishart_cholesky_lpdf(" + LW + " | 3.5, " + LS + ") - wishart_lpdf(multiply_lower_tri_self_transpose(" + LW + ") | 3.5, multiply_lower_tri_self_transpose(" + LS + "))", jac},
		{"inv_wishart_cholesky_lpdf(" + LW + " | 3.5, " + LS + ") - inv_wishart_lpdf(multiply_lower_tri_self_transpose(" + LW + ") | 3.5, multiply_lower_tri_self_transpose(" + LS + "))", jac},
	})
}

// TestBinomialLogitGLM checks binomial_logit_glm in a program against
// binomial_logit of the linear predictor, with gradients by finite
// differences in the design matrix, intercepts and weights.
func TestBinomialLogitGLM(t *testing.T) {
	at := []float64{0.3, -0.4, 0.2, 0.5, 0.1, -0.3, 0.7, 0.2}
	X := "to_matrix(x[1:6], 3, 2)"
	checkExprs(t, "", at, []exprCase{
		{"binomial_logit_glm_lpmf({2, 0, 5} | {4, 3, 5}, " + X + ", x[7], x[7:8]) - binomial_logit_lpmf({2, 0, 5} | {4, 3, 5}, x[7] + " + X + " * x[7:8])", func([]float64) float64 { return 0 }},
		{"binomial_logit_glm_lpmf({2, 0, 5} | {4, 3, 5}, " + X + ", x[6:8], x[7:8]) - binomial_logit_lpmf({2, 0, 5} | {4, 3, 5}, x[6:8] + " + X + " * x[7:8])", func([]float64) float64 { return 0 }},
		// One N for every instance takes a real intercept (stanc3's table).
		{"binomial_logit_glm_lpmf({2, 0, 5} | 6, " + X + ", x[6], x[7:8]) - binomial_logit_lpmf({2, 0, 5} | 6, x[6] + " + X + " * x[7:8])", func([]float64) float64 { return 0 }},
		{"binomial_logit_glm_lpmf(2 | {4, 3, 5}, " + X + ", x[6], x[7:8]) - binomial_logit_lpmf({2, 2, 2} | {4, 3, 5}, x[6] + " + X + " * x[7:8])", func([]float64) float64 { return 0 }},
		{"binomial_logit_glm_lpmf({2, 0, 5} | {4, 3, 5}, " + X + ", x[7], x[7:8])", nil},
	})
}

// TestYuleSimon checks yule_simon's mass and CDFs in a program against
// α B(n, α+1) and the tail Γ(α+1) Γ(n+1) / Γ(α+n+1), with gradients by
// finite differences.
func TestYuleSimon(t *testing.T) {
	at := []float64{1.3, 0.6}
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	tail := func(n, a float64) float64 { return math.Exp(lg(a+1) + lg(n+1) - lg(a+n+1)) }
	checkExprs(t, "", at, []exprCase{
		{"yule_simon_lpmf({1, 4} | x[1]) + yule_simon_lpmf(2 | x[1:2])", func(v []float64) float64 {
			l := func(n, a float64) float64 { return math.Log(a) + lg(n) + lg(a+1) - lg(n+a+1) }
			return l(1, v[0]) + l(4, v[0]) + l(2, v[0]) + l(2, v[1])
		}},
		{"yule_simon_lccdf(3 | x[1]) + yule_simon_lcdf(2 | x[2]) + yule_simon_cdf(5 | x[1])", func(v []float64) float64 {
			return math.Log(tail(3, v[0])) + math.Log(1-tail(2, v[1])) + 1 - tail(5, v[0])
		}},
	})
}

// TestOrderedLogisticGLM checks ordered_logistic_glm in a program against
// ordered_logistic of the linear predictor, for a matrix and a row
// vector, with gradients by finite differences.
func TestOrderedLogisticGLM(t *testing.T) {
	at := []float64{0.5, -1, 2, 0.3, 1.5, -0.7, 0.4, -0.9, -0.5, 0.8}
	X, b, c := "to_matrix(x[1:6], 3, 2)", "x[7:8]", "[x[9], x[9] + exp(x[10])]'"
	checkExprs(t, "", at, []exprCase{
		{"ordered_logistic_glm_lpmf({1, 3, 2} | " + X + ", " + b + ", " + c + ") - ordered_logistic_lpmf({1, 3, 2} | " + X + " * " + b + ", " + c + ")", func([]float64) float64 { return 0 }},
		{"ordered_logistic_glm_lpmf(2 | " + X + "[2], " + b + ", " + c + ") - ordered_logistic_lpmf(2 | " + X + "[2] * " + b + ", " + c + ")", func([]float64) float64 { return 0 }},
		{"ordered_logistic_glm_lpmf(2 | " + X + ", " + b + ", " + c + ")", nil},
	})
}

// TestWienerSv checks the 5-parameter wiener in a program: at s_δ = 0 it
// is the 4-parameter density; gradients by finite differences.
func TestWienerSv(t *testing.T) {
	at := []float64{1.3, 0.2, 0.4, 0.8, 0.7}
	checkExprs(t, "", at, []exprCase{
		{"wiener_lpdf(0.9 | x[1], x[2], x[3], x[4], 0) - wiener_lpdf(0.9 | x[1], x[2], x[3], x[4])", func([]float64) float64 { return 0 }},
		{"wiener_lpdf(0.9 | x[1], x[2], x[3], x[4], x[5])", nil},
	})
}

// TestRowVectorLocations checks the rngs of the multivariate normal and
// Student-t families with row-vector locations (each draw a vector), and
// ordered_probit of one predictor against cutpoints per outcome.
func TestRowVectorLocations(t *testing.T) {
	src := `transformed data {
  matrix[2, 2] S = [[1, 0.3], [0.3, 2]];
}
parameters { real x; }
model { x ~ normal(0, 1); }
generated quantities {
  vector[2] a = multi_normal_rng([1, 2], S);
  array[2] vector[2] b = multi_normal_cholesky_rng({[1, 2], [3, 4]}, cholesky_decompose(S));
  vector[2] c = multi_student_t_rng(4, [1, 2], S);
  array[2] vector[2] d = multi_student_t_cholesky_rng(4, {[1, 2], [3, 4]}, cholesky_decompose(S));
}`
	m := buildSource(t, src, nil)
	if names := m.Names(); len(names) != 1+2+4+2+4 {
		t.Fatalf("outputs %v", names)
	}
	// Many draws: each output's mean is its location (the Student-t's
	// too, with 4 degrees of freedom).
	out := make([]float64, len(m.Names()))
	mean := make([]float64, len(out))
	r := rand.New(rand.NewPCG(2, 2))
	const n = 4000
	for range n {
		if err := m.Write([]float64{0}, r, out); err != nil {
			t.Fatal(err)
		}
		for i, v := range out {
			mean[i] += v / n
		}
	}
	want := []float64{0, 1, 2, 1, 3, 2, 4, 1, 2, 1, 3, 2, 4} // CmdStan order: b[1,1], b[2,1], ...
	for i := 1; i < len(want); i++ {
		if math.Abs(mean[i]-want[i]) > 0.15 {
			t.Errorf("%s: mean %v, want %v", m.Names()[i], mean[i], want[i])
		}
	}
	at := []float64{0.4, -0.3}
	checkExprs(t, "", at, []exprCase{
		{"ordered_probit_lpmf({1, 2} | x[1], {[-0.5, x[2] + 1]', [0, 1]'}) - ordered_probit_lpmf({1, 2} | [x[1], x[1]]', {[-0.5, x[2] + 1]', [0, 1]'})", func([]float64) float64 { return 0 }},
	})
}
