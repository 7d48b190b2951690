package compile

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/mathx"
	"github.com/gostan/gostan/model"
)

// matrixGuide draws covariance matrices and Cholesky factors of them,
// one an array, from the four Wishart families with fixed degrees of
// freedom, an array element by element; the model couples them.
const matrixGuide = `
parameters {
  cov_matrix[3] Sigma;
  cov_matrix[2] Tau;
  cholesky_factor_cov[3] LS;
  array[2] cholesky_factor_cov[2] LT;
}
model {
  Sigma ~ wishart(6, diag_matrix([1, 2, 0.5]'));
  Tau ~ inv_wishart(5, [[1, 0.3], [0.3, 2]]);
  LS ~ wishart_cholesky(5, diag_matrix(rep_vector(1, 3)));
  for (i in 1:2) LT[i] ~ inv_wishart_cholesky(4, diag_matrix(rep_vector(1.5, 2)));
  target += Sigma[1, 2] * Tau[1, 2] + LS[3, 1] * LT[2][2, 1] - 0.1 * trace(Sigma) * LT[1][1, 1];
}
guide parameters {
  cov_matrix[3] S;
  cov_matrix[2] T;
  cholesky_factor_cov[3] L;
  cholesky_factor_cov[2] M;
}
guide {
  Sigma ~ wishart(7, S);
  Tau ~ inv_wishart(6, T);
  LS ~ wishart_cholesky(6, L);
  for (i in 1:2) LT[i] ~ inv_wishart_cholesky(5, M);
}
`

// TestGuideMatrixELBOGradient compares the gradient of one draw's
// log p - log q in every scale parameter of the Wishart guides with
// central differences at the same random numbers: with ν fixed, the
// gamma draws do not move, and the draw is arithmetic in the scale.
func TestGuideMatrixELBOGradient(t *testing.T) {
	m := buildSource(t, matrixGuide, model.Data{})
	g, err := m.NewGuide(rand.New(rand.NewPCG(5, 5)))
	if err != nil {
		t.Fatal(err)
	}
	par := g.Params()
	if len(par) != 6+3+6+3 {
		t.Fatalf("%d guide parameters", len(par))
	}
	checkELBOGradient(t, g, 3)
}

// matrixPrior is a model whose only term is a matrix family's prior and
// a guide from the same family, whose ELBO is -KL(q || p) in closed form.
type matrixPrior struct {
	family, decl, gdecl, prior, guide string
	init                              model.Data
	elbo                              func(v []float64) float64 // of the guide parameters' values
}

// The prior's scale, and the guide's starting one.
var (
	s0 = []float64{2, 0.5, 0.5, 1}
	sq = []float64{1.5, -0.4, -0.4, 0.8}
)

// mdigamma is ψ_k(x) = Σ_j ψ(x - j/2).
func mdigamma(k int, x float64) float64 {
	v := 0.0
	for j := range k {
		v += mathx.Digamma(x - float64(j)/2)
	}
	return v
}

// wishartELBO is E_q[log p - log q] for p = wishart(ν0, S0) and
// q = wishart(ν, S), from E log|W| = ψ_k(ν/2) + k log 2 + log|S| and
// E tr(A W) = ν tr(A S).
func wishartELBO(nu0 float64, S0 *mat.SymDense, nu float64, S *mat.SymDense) float64 {
	k := float64(S.SymmetricDim())
	ld0, ld := logDet(S0), logDet(S)
	var inv0 mat.Dense
	if err := inv0.Inverse(S0); err != nil {
		panic(err)
	}
	var prod mat.Dense
	prod.Mul(&inv0, S)
	eld := mdigamma(int(k), nu/2) + k*math.Ln2 + ld
	ep := 0.5*(nu0-k-1)*eld - 0.5*nu*mat.Trace(&prod) - 0.5*nu0*k*math.Ln2 - 0.5*nu0*ld0 - lmgamma(int(k), nu0/2)
	eq := 0.5*(nu-k-1)*eld - 0.5*nu*k - 0.5*nu*k*math.Ln2 - 0.5*nu*ld - lmgamma(int(k), nu/2)
	return ep - eq
}

// invWishartELBO is wishartELBO for the inverse Wishart, from
// E log|X| = log|S| - ψ_k(ν/2) - k log 2 and E tr(A X⁻¹) = ν tr(A S⁻¹).
func invWishartELBO(nu0 float64, S0 *mat.SymDense, nu float64, S *mat.SymDense) float64 {
	k := float64(S.SymmetricDim())
	ld0, ld := logDet(S0), logDet(S)
	var inv mat.Dense
	if err := inv.Inverse(S); err != nil {
		panic(err)
	}
	var prod mat.Dense
	prod.Mul(S0, &inv)
	eld := ld - mdigamma(int(k), nu/2) - k*math.Ln2
	ep := 0.5*nu0*ld0 - 0.5*nu0*k*math.Ln2 - lmgamma(int(k), nu0/2) - 0.5*(nu0+k+1)*eld - 0.5*nu*mat.Trace(&prod)
	eq := 0.5*nu*ld - 0.5*nu*k*math.Ln2 - lmgamma(int(k), nu/2) - 0.5*(nu+k+1)*eld - 0.5*nu*k
	return ep - eq
}

// lkjELBO is E_q[log p - log q] for p = lkj_corr(η0) and q = lkj_corr(η)
// in dimension K: log c(η0) - log c(η) + (η0 - η) E log det Ω, where
// det Ω = Π (1 - z²) over the C-vine's partial correlations, so
// E log det Ω = Σ_i (K-1-i)(log 4 + 2ψ(b_i) - 2ψ(2b_i)), b_i = η + (K-2-i)/2.
func lkjELBO(K int, eta0, eta float64) float64 {
	eld := 0.0
	for i := range K - 1 {
		b := eta + float64(K-2-i)/2
		eld += float64(K-1-i) * (math.Log(4) + 2*mathx.Digamma(b) - 2*mathx.Digamma(2*b))
	}
	logc := func(e float64) float64 {
		id := make([]float64, K*K)
		for i := range K {
			id[i+i*K] = 1
		}
		v, err := dist.LkjCorrLpdf(nil, false, ad.ConstMatrix(K, K, id), ad.Const(e))
		if err != nil {
			panic(err)
		}
		return v.Val
	}
	return logc(eta0) - logc(eta) + (eta0-eta)*eld
}

func logDet(S *mat.SymDense) float64 {
	var c mat.Cholesky
	if !c.Factorize(S) {
		panic("not positive definite")
	}
	return c.LogDet()
}

// guideScale2 is the guide's 2×2 scale from its values after ν: S's four
// entries, or a Cholesky factor's (column-major) multiplied out.
func guideScale2(v []float64, chol bool) *mat.SymDense {
	if !chol {
		return mat.NewSymDense(2, []float64{v[0], v[2], v[1], v[3]})
	}
	l := mat.NewDense(2, 2, []float64{v[0], v[2], v[1], v[3]})
	var s mat.Dense
	s.Mul(l, l.T())
	return mat.NewSymDense(2, []float64{s.At(0, 0), s.At(0, 1), s.At(1, 0), s.At(1, 1)})
}

func matrixPriors() []matrixPrior {
	S0 := mat.NewSymDense(2, s0)
	l := mat.NewDense(2, 2, nil)
	var c mat.Cholesky
	c.Factorize(mat.NewSymDense(2, sq))
	var tri mat.TriDense
	c.LTo(&tri)
	l.Copy(&tri)
	cov := &model.Value{Dims: []int{2, 2}, Elems: sq}
	fac := &model.Value{Dims: []int{2, 2}, Elems: []float64{l.At(0, 0), 0, l.At(1, 0), l.At(1, 1)}}
	var l0 mat.TriDense
	c.Factorize(S0)
	c.LTo(&l0)
	lit := func(m mat.Matrix) string {
		return "[[" + strconv.FormatFloat(m.At(0, 0), 'g', -1, 64) + ", " + strconv.FormatFloat(m.At(0, 1), 'g', -1, 64) + "], [" +
			strconv.FormatFloat(m.At(1, 0), 'g', -1, 64) + ", " + strconv.FormatFloat(m.At(1, 1), 'g', -1, 64) + "]]"
	}
	num := func(x float64) *model.Value { return &model.Value{Elems: []float64{x}} }
	out := []matrixPrior{}
	for _, f := range []struct {
		family string
		chol   bool
		elbo   func(float64, *mat.SymDense, float64, *mat.SymDense) float64
	}{
		{"wishart", false, wishartELBO},
		{"inv_wishart", false, invWishartELBO},
		{"wishart_cholesky", true, wishartELBO},
		{"inv_wishart_cholesky", true, invWishartELBO},
	} {
		decl, init, prior := "cov_matrix[2]", cov, lit(S0)
		if f.chol {
			decl, init, prior = "cholesky_factor_cov[2]", fac, lit(&l0)
		}
		elbo := f.elbo
		chol := f.chol
		out = append(out, matrixPrior{
			family: f.family, decl: decl, gdecl: "real<lower=1> nu; " + decl + " S;",
			prior: f.family + "(5, " + prior + ")", guide: f.family + "(nu, S)",
			init: model.Data{"nu": num(7), "S": init},
			elbo: func(v []float64) float64 { return elbo(5, S0, v[0], guideScale2(v[1:], chol)) },
		})
	}
	for _, f := range []struct{ family, decl string }{{"lkj_corr", "corr_matrix[3]"}, {"lkj_corr_cholesky", "cholesky_factor_corr[3]"}} {
		out = append(out, matrixPrior{
			family: f.family, decl: f.decl, gdecl: "real<lower=0> eta;",
			prior: f.family + "(2.5)", guide: f.family + "(eta)",
			init: model.Data{"eta": num(4)},
			elbo: func(v []float64) float64 { return lkjELBO(3, 2.5, v[0]) },
		})
	}
	return out
}

// TestGuideMatrixELBOClosedForm checks the implicit gradients in ν and η,
// with the scale's pathwise ones and the entropy's: for each matrix
// family, a model that is the family's prior alone and a guide of the
// same family have ELBO -KL(q || p) in closed form (wishartELBO,
// invWishartELBO, lkjELBO; a Cholesky factor's KL is its matrix's). The
// mean of 10000 one-draw gradients in each unconstrained guide parameter
// must agree with central differences of the closed form within 4.5
// standard errors.
func TestGuideMatrixELBOClosedForm(t *testing.T) {
	for _, c := range matrixPriors() {
		src := "parameters { " + c.decl + " X; }\nmodel { X ~ " + c.prior + "; }\nguide parameters { " + c.gdecl + " }\nguide { X ~ " + c.guide + "; }\n"
		m := buildSource(t, src, model.Data{})
		g, err := m.NewGuide(rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if err := g.SetValues(c.init); err != nil {
			t.Fatal(err)
		}
		par := g.Params()
		closed := func(i int, h float64) float64 {
			old := par[i]
			par[i] += h
			defer func() { par[i] = old }()
			v, err := g.Values()
			if err != nil {
				t.Fatal(err)
			}
			return c.elbo(v)
		}
		grads := elboGradDraws(t, g, rand.New(rand.NewPCG(9, 9)), 10000)
		for i := range par {
			const h = 1e-5
			want := (closed(i, h) - closed(i, -h)) / (2 * h)
			if mean, se := meanSE(grads[i]); math.Abs(mean-want) > 4.5*se {
				t.Errorf("%s: d ELBO / d %s (unconstrained) = %v ± %v, closed form %v", c.family, g.Names()[i], mean, se, want)
			}
		}
	}
}

// TestGuideWishartRecoversPosterior fits examples/guide_wishart.stan,
// whose posterior wishart(ν0 + N, (S0⁻¹ + Σ (y_n - μ)(y_n - μ)ᵀ)⁻¹) is in
// the guide's family: the guide's ν_q and mean ν_q S_q must match it.
// The tolerances are the spread of the final one-particle SVI iterate
// over six seeds, with room: ν_q 0.4% to 1.2% low (the optimiser's noise:
// with 16 particles it is within 0.2%), the mean within 0.10 posterior
// standard deviations of every entry.
func TestGuideWishartRecoversPosterior(t *testing.T) {
	data, err := model.ReadDataFile("../examples/guide_wishart.data.json")
	if err != nil {
		t.Fatal(err)
	}
	m, g := fitGuide(t, "../examples/guide_wishart.stan", data, 0.02, 20000)
	k, n := int(data["K"].Elems[0]), int(data["N"].Elems[0])
	mu, y := data["mu"].Elems, data["y"].Elems
	scatter := mat.NewDense(k, k, nil)
	if err := scatter.Inverse(mat.NewDense(k, k, data["S0"].Elems)); err != nil {
		t.Fatal(err)
	}
	for r := range n {
		d := mat.NewVecDense(k, nil)
		for i := range k {
			d.SetVec(i, y[r*k+i]-mu[i])
		}
		scatter.RankOne(scatter, 1, d, d)
	}
	var post mat.Dense
	if err := post.Inverse(scatter); err != nil {
		t.Fatal(err)
	}
	nu := data["nu0"].Elems[0] + float64(n)

	v, err := g.Values()
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Names()[:2]; got[0] != "nu_q" || got[1] != "S_q[1,1]" {
		t.Fatalf("guide parameters %v", got)
	}
	if math.Abs(v[0]-nu) > 0.03*nu {
		t.Errorf("nu_q = %.2f, posterior's %v", v[0], nu)
	}
	for i := range k {
		for j := range k {
			want := nu * post.At(i, j)
			// Var W_ij = ν (S_ij² + S_ii S_jj).
			sd := math.Sqrt(nu * (post.At(i, j)*post.At(i, j) + post.At(i, i)*post.At(j, j)))
			got := v[0] * v[1+i+j*k]
			if math.Abs(got-want) > 0.15*sd {
				t.Errorf("E Lambda[%d,%d]: guide %.4f, posterior %.4f (sd %.3f)", i+1, j+1, got, want, sd)
			}
		}
	}
	// The guide's draws, written as the model's output: their mean is the
	// guide's within four standard errors.
	const draws = 4000
	rng := rand.New(rand.NewPCG(3, 3))
	z := make([]float64, m.Dim())
	row := make([]float64, len(m.Names()))
	sum, sq := make([]float64, k*k), make([]float64, k*k)
	for range draws {
		g.Sample(rng, z)
		if err := m.Write(z, rng, row); err != nil {
			t.Fatal(err)
		}
		for i := range sum {
			sum[i] += row[i]
			sq[i] += row[i] * row[i]
		}
	}
	if m.Names()[1] != "Lambda[2,1]" {
		t.Fatalf("columns %v", m.Names())
	}
	for i := range sum {
		mean := sum[i] / draws
		se := math.Sqrt((sq[i]/draws - mean*mean) / draws)
		if want := v[0] * v[1+i]; math.Abs(mean-want) > 4*se {
			t.Errorf("draws of Lambda[%d,%d]: mean %.4f ± %.4f, the guide's %.4f", i%k+1, i/k+1, mean, se, want)
		}
	}
}

// TestGuideLkjRecoversPrior fits a guide lkj_corr_cholesky(eta_q) to a
// model that is the prior lkj_corr_cholesky(3) alone: eta_q must reach 3.
// Over eight seeds the final iterate lay in [2.96, 3.07].
func TestGuideLkjRecoversPrior(t *testing.T) {
	const src = `
parameters { cholesky_factor_corr[4] L; }
model { L ~ lkj_corr_cholesky(3); }
guide parameters { real<lower=0> eta_q; }
guide { L ~ lkj_corr_cholesky(eta_q); }
`
	p, err := Source("lkj.stan", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.NewModel(model.Data{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	g, err := m.NewGuide(rng)
	if err != nil {
		t.Fatal(err)
	}
	s := &svi.SVI{Model: m, Guide: g, Opt: svi.NewAdam(0.02), Particles: 1, MaxRetries: 10, Schedule: svi.ExponentialDecay(0.02, 0.01, 5000)}
	if err := s.Run(rng, 5000, nil); err != nil {
		t.Fatal(err)
	}
	v, err := g.Values()
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(v[0]-3) > 0.15 {
		t.Errorf("eta_q = %.3f, the prior's 3", v[0])
	}
}

// TestGuideMatrixNotSquare checks that a Cholesky factor declared with
// two sizes that differ cannot be drawn from a Wishart family, and that
// the error says so.
func TestGuideMatrixNotSquare(t *testing.T) {
	const src = `
parameters { cholesky_factor_cov[3, 2] L; }
model { }
guide parameters { real<lower=1> nu; }
guide { L ~ wishart_cholesky(nu, diag_matrix(rep_vector(1, 2))); }
`
	m := buildSource(t, src, model.Data{})
	g, err := m.NewGuide(rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.ELBOGrad(rand.New(rand.NewPCG(1, 1)), nil, make([]float64, 1))
	if err == nil || !strings.Contains(err.Error(), "gaps.stan:5:11: the guide draws square matrices, but L is 3×2") {
		t.Errorf("error %v", err)
	}
}
