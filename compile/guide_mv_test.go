package compile

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/gostan/gostan/mathx"
	"github.com/gostan/gostan/model"
)

// mvGuide draws a vector, an array of vectors, an element and a slice of
// an array from the Gaussian and Student-t families, and a simplex from a
// fixed Dirichlet; the model couples them.
const mvGuide = `
parameters {
  vector[3] a;
  array[2] vector[2] b;
  array[3] vector[2] d;
  vector[2] c;
  simplex[3] s;
}
model {
  a ~ multi_normal([0, 1, 2]', diag_matrix(rep_vector(2, 3)));
  for (i in 1:2) b[i] ~ normal(i, 1);
  for (i in 1:3) d[i] ~ normal(-i, 2);
  c ~ student_t(3, 0, 1);
  s ~ dirichlet([2, 3, 4]');
  target += dot_product(s, a) + a[1] * b[2][1] + c[1] * d[3][2];
}
guide parameters {
  vector[3] m;
  cholesky_factor_cov[3] L;
  array[2] vector[2] mb;
  cov_matrix[2] Sb;
  vector[2] md;
  cholesky_factor_cov[2] Ld;
  vector[2] mc;
  cov_matrix[2] Sc;
}
guide {
  a ~ multi_normal_cholesky(m, L);
  b ~ multi_normal(mb, Sb);
  d[1] ~ multi_student_t_cholesky(4, md, Ld);
  d[2:3] ~ multi_normal_cholesky(md, Ld);
  c ~ multi_student_t(5, mc, Sc);
  s ~ dirichlet([2, 2, 2]');
}
`

// TestGuideMVELBOGradient compares the gradient of one draw's
// log p - log q in every guide parameter with central differences at the
// same random numbers.
func TestGuideMVELBOGradient(t *testing.T) {
	m := buildSource(t, mvGuide, model.Data{})
	g, err := m.NewGuide(rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	par := g.Params()
	if len(par) != 3+6+4+3+2+3+2+3 {
		t.Fatalf("%d guide parameters", len(par))
	}
	checkELBOGradient(t, g, 3)
}

// TestGuideDirichletELBOGradient checks the implicit gradient of the ELBO
// of a Dirichlet guide q = dirichlet(β) against its closed form: with the
// posterior dirichlet(c), c = α + y, up to a constant
//
//	ELBO(β) = Σ_j (c_j - β_j)(ψ(β_j) - ψ(β₀)) - lgamma(β₀) + Σ_j lgamma(β_j),
//
// its derivative in log β_j (the unconstrained guide parameter) by
// differences. The mean of 20000 one-draw gradients must agree within
// four standard errors.
func TestGuideDirichletELBOGradient(t *testing.T) {
	data, err := model.ReadDataFile("../examples/guide_dirichlet.data.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := build(t, "../examples/guide_dirichlet.stan", data)
	if err != nil {
		t.Fatal(err)
	}
	g, err := m.NewGuide(rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	c := []float64{13, 4, 9, 0.5} // alpha + y
	beta := []float64{5, 2, 6, 1.5}
	elbo := func(b []float64) float64 {
		b0 := 0.0
		for _, v := range b {
			b0 += v
		}
		v := -mathx.Lgamma(b0)
		for j, bj := range b {
			v += (c[j]-bj)*(mathx.Digamma(bj)-mathx.Digamma(b0)) + mathx.Lgamma(bj)
		}
		return v
	}
	par := g.Params()
	for j, b := range beta {
		par[j] = math.Log(b)
	}
	grads := elboGradDraws(t, g, rand.New(rand.NewPCG(7, 7)), 20000)
	for j := range beta {
		const h = 1e-5
		up, down := append([]float64(nil), beta...), append([]float64(nil), beta...)
		up[j] *= math.Exp(h)
		down[j] *= math.Exp(-h)
		want := (elbo(up) - elbo(down)) / (2 * h)
		mean, se := meanSE(grads[j])
		if math.Abs(mean-want) > 4*se {
			t.Errorf("d ELBO / d log beta[%d]: mean %v ± %v, closed form %v", j+1, mean, se, want)
		}
	}
}

// meanSE is the mean of xs and its standard error.
func meanSE(xs []float64) (mean, se float64) {
	mean, sd := stat.MeanStdDev(xs, nil)
	return mean, sd / math.Sqrt(float64(len(xs)))
}

// TestGuideMVNRecoversPosterior fits examples/guide_mvn.stan, whose
// posterior is Gaussian with precision XᵀX/σ² + I/100 and mean
// Σ Xᵀy/σ²: the guide's m and L Lᵀ must match them.
func TestGuideMVNRecoversPosterior(t *testing.T) {
	data, err := model.ReadDataFile("../examples/guide_mvn.data.json")
	if err != nil {
		t.Fatal(err)
	}
	_, g := fitGuide(t, "../examples/guide_mvn.stan", data, 0.02, 20000)
	// The exact posterior.
	n, k := int(data["N"].Elems[0]), int(data["K"].Elems[0])
	x := mat.NewDense(n, k, data["X"].Elems) // row-major, as the file
	y := mat.NewVecDense(n, data["y"].Elems)
	s2 := data["sigma"].Elems[0] * data["sigma"].Elems[0]
	var prec mat.Dense
	prec.Mul(x.T(), x)
	prec.Scale(1/s2, &prec)
	for j := range k {
		prec.Set(j, j, prec.At(j, j)+1.0/100)
	}
	var cov mat.Dense
	if err := cov.Inverse(&prec); err != nil {
		t.Fatal(err)
	}
	var xty, mean mat.VecDense
	xty.MulVec(x.T(), y)
	mean.MulVec(&cov, &xty)
	mean.ScaleVec(1/s2, &mean)

	v, err := g.Values()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(g.Names()[:4], ","); got != "m[1],m[2],m[3],L[1,1]" {
		t.Fatalf("guide parameters %s", got)
	}
	l := mat.NewDense(k, k, nil)
	for j := range k {
		for i := range k {
			l.Set(i, j, v[k+i+j*k])
		}
	}
	var fit mat.Dense
	fit.Mul(l, l.T())
	for i := range k {
		sd := math.Sqrt(cov.At(i, i))
		if math.Abs(v[i]-mean.AtVec(i)) > 0.05*sd {
			t.Errorf("m[%d] = %.4f, posterior mean %.4f (sd %.3f)", i+1, v[i], mean.AtVec(i), sd)
		}
		for j := range k {
			scale := math.Sqrt(cov.At(i, i) * cov.At(j, j))
			if math.Abs(fit.At(i, j)-cov.At(i, j)) > 0.05*scale {
				t.Errorf("(L Lᵀ)[%d,%d] = %.4f, posterior covariance %.4f", i+1, j+1, fit.At(i, j), cov.At(i, j))
			}
		}
	}
	// The slopes are strongly correlated: a mean-field guide could not fit.
	if r := cov.At(1, 2) / math.Sqrt(cov.At(1, 1)*cov.At(2, 2)); r > -0.9 {
		t.Errorf("the example's slopes have correlation %.2f; it should show a strong one", r)
	}
}

// TestGuideDirichletRecoversPosterior fits examples/guide_dirichlet.stan,
// whose posterior dirichlet(α + y) is in the guide's family.
func TestGuideDirichletRecoversPosterior(t *testing.T) {
	data, err := model.ReadDataFile("../examples/guide_dirichlet.data.json")
	if err != nil {
		t.Fatal(err)
	}
	_, g := fitGuide(t, "../examples/guide_dirichlet.stan", data, 0.02, 20000)
	v, err := g.Values()
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{13, 4, 9, 0.5}
	sum, wantSum := 0.0, 26.5
	for _, b := range v {
		sum += b
	}
	for j, b := range v {
		if math.Abs(b/sum-want[j]/wantSum) > 0.005 {
			t.Errorf("guide mean[%d] = %.4f (alpha_q %v), posterior mean %.4f", j+1, b/sum, v, want[j]/wantSum)
		}
	}
	if math.Abs(sum-wantSum)/wantSum > 0.1 {
		t.Errorf("guide concentration %.2f, posterior's %.1f", sum, wantSum)
	}
}

// TestGuideSupportErrors checks that compile refuses a guide family whose
// draws leave the declared support of the parameter they draw, and
// accepts those that stay inside.
func TestGuideSupportErrors(t *testing.T) {
	for _, c := range []struct{ decl, draw, want string }{
		{"real<lower=0> s", "s ~ normal(g, 1)",
			"the guide draws s from 'normal', whose draws lie in (-inf, inf), outside s's declared real<lower=0>; draw it from a family on (0, inf): chi_square, exponential, frechet, gamma, inv_chi_square, inv_gamma, lognormal, rayleigh, scaled_inv_chi_square, weibull"},
		{"real<lower=0, upper=1> s", "s ~ lognormal(g, 1)",
			"whose draws lie in (0, inf), outside s's declared real<lower=0, upper=1>; draw it from a family on (0, 1): beta, beta_proportion"},
		{"real<lower=-(2)> s", "s ~ gamma(2, 1)", ""},
		{"real<lower=-1, upper=1> s", "s ~ beta(2, 2)", ""},
		{"real<lower=-1, upper=1> s", "s ~ uniform(-1, 1)", ""},
		{"real<lower=-1, upper=1> s", "s ~ cauchy(0, 1)",
			"outside s's declared real<lower=-1, upper=1>; draw it from a family whose arguments set its interval, such as uniform or pareto"},
		{"vector<lower=0>[2] s", "s ~ multi_normal_cholesky(rep_vector(g, 2), diag_matrix(rep_vector(1, 2)))",
			"the guide draws s from 'multi_normal_cholesky', whose draws lie in (-inf, inf), outside s's declared vector<lower=0>"},
		{"vector[3] s", "s ~ dirichlet(rep_vector(exp(g), 3))",
			"the guide draws s from 'dirichlet', whose draws are simplexes, but s is declared vector; declare it simplex"},
		{"simplex[3] s", "s ~ multi_normal(rep_vector(g, 3), diag_matrix(rep_vector(1, 3)))",
			"s is declared simplex, but 'multi_normal' draws outside that type; a guide draws a simplex from dirichlet"},
		{"simplex[3] s", "s ~ dirichlet(rep_vector(exp(g), 3))", ""},
		{"ordered[3] s", "s ~ multi_normal(rep_vector(g, 3), diag_matrix(rep_vector(1, 3)))",
			"s is declared ordered, but no guide family draws ordered values; the guide can draw vectors of reals (multi_normal, multi_normal_cholesky, multi_student_t, multi_student_t_cholesky), simplexes (dirichlet), covariance matrices (inv_wishart, wishart), Cholesky factors of covariance matrices (inv_wishart_cholesky, wishart_cholesky), correlation matrices (lkj_corr), Cholesky factors of correlation matrices (lkj_corr_cholesky)"},
		{"vector[2] s", "s ~ multi_normal_prec(rep_vector(g, 2), diag_matrix(rep_vector(1, 2)))",
			"the guide cannot draw from 'multi_normal_prec', which has no reparameterised sampler; it can draw from beta, beta_proportion, cauchy, chi_square, dirichlet, double_exponential"},
		{"cov_matrix[2] s", "s ~ wishart(4, diag_matrix(rep_vector(exp(g), 2)))", ""},
		{"cov_matrix[2] s", "s ~ inv_wishart(4, diag_matrix(rep_vector(exp(g), 2)))", ""},
		{"cholesky_factor_cov[2] s", "s ~ wishart_cholesky(4, diag_matrix(rep_vector(exp(g), 2)))", ""},
		{"cholesky_factor_cov[2] s", "s ~ inv_wishart_cholesky(4, diag_matrix(rep_vector(exp(g), 2)))", ""},
		{"corr_matrix[3] s", "s ~ lkj_corr(exp(g))", ""},
		{"cholesky_factor_corr[3] s", "s ~ lkj_corr_cholesky(exp(g))", ""},
		{"array[2] cov_matrix[2] s", "s[2] ~ wishart(4, diag_matrix(rep_vector(exp(g), 2)))", ""},
		{"matrix[2, 2] s", "s ~ wishart(4, diag_matrix(rep_vector(exp(g), 2)))",
			"the guide draws s from 'wishart', whose draws are covariance matrices, but s is declared matrix; declare it cov_matrix"},
		{"cov_matrix[3] s", "s ~ lkj_corr(exp(g))",
			"s is declared cov_matrix, but 'lkj_corr' draws correlation matrices; a guide draws a cov_matrix from inv_wishart or wishart"},
		{"corr_matrix[2] s", "s ~ wishart(4, diag_matrix(rep_vector(exp(g), 2)))",
			"s is declared corr_matrix, but 'wishart' draws covariance matrices; a guide draws a corr_matrix from lkj_corr"},
		{"cholesky_factor_cov[2] s", "s ~ wishart(4, diag_matrix(rep_vector(exp(g), 2)))",
			"s is declared cholesky_factor_cov, but 'wishart' draws covariance matrices; a guide draws a cholesky_factor_cov from inv_wishart_cholesky or wishart_cholesky"},
		{"cholesky_factor_corr[2] s", "s ~ lkj_corr(exp(g))",
			"s is declared cholesky_factor_corr, but 'lkj_corr' draws correlation matrices; a guide draws a cholesky_factor_corr from lkj_corr_cholesky"},
		{"cov_matrix[2] s", "s[1:2, 1:2] ~ wishart(4, diag_matrix(rep_vector(exp(g), 2)))",
			"the guide draws whole matrices from 'wishart'; index s only in its array dimensions"},
	} {
		src := "parameters { " + c.decl + "; }\nmodel { }\nguide parameters { real g; }\nguide { " + c.draw + "; }\n"
		_, err := Source("g.stan", []byte(src))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s drawn as %s: %v", c.decl, c.draw, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s drawn as %s: error %v, want %q", c.decl, c.draw, err, c.want)
		}
	}
}
