package compile

import (
	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// More densities whose arguments are not all vectorised reals, all of
// the dist package: the multivariate and matrix families, the GLMs and
// wiener.

// addMoreFamilies defines the rest of the families whose arguments are
// not all vectorised reals.
func (l *library) addMoreFamilies() {
	m := map[string]density{}
	m["multi_normal_prec"] = mvnDensity(dist.MultiNormalPrecLpdf)
	m["multi_student_t"] = density{rng: studentTRng(dist.MultiStudentTRng), build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		y, nu, mu, s := vectorsOf(a[0]), a[1].real(), vectorsOf(a[2]), matrixOf(a[3])
		ok := mustAt(pos)
		return func(e *env) ad.Var { return ok(dist.MultiStudentTLpdf(e.t, propto, y(e), nu(e), mu(e), s(e))) }
	}, reparamMV: studentReparam(dist.MultiStudentTReparam, dist.MultiStudentTLpdf)}
	m["multi_student_t_cholesky"] = density{rng: studentTRng(dist.MultiStudentTCholeskyRng), build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		y, nu, mu, l := vectorsOf(a[0]), a[1].real(), vectorsOf(a[2]), matrixOf(a[3])
		ok := mustAt(pos)
		return func(e *env) ad.Var { return ok(dist.MultiStudentTCholeskyLpdf(e.t, propto, y(e), nu(e), mu(e), l(e))) }
	}, reparamMV: studentReparam(dist.MultiStudentTCholeskyReparam, dist.MultiStudentTCholeskyLpdf)}
	wishart := func(f func(*ad.Tape, bool, ad.Matrix, ad.Var, ad.Matrix) (ad.Var, error)) density {
		return density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
			w, nu, s := matrixOf(a[0]), a[1].real(), matrixOf(a[2])
			ok := mustAt(pos)
			return func(e *env) ad.Var { return ok(f(e.t, propto, w(e), nu(e), s(e))) }
		}}
	}
	m["wishart"] = wishart(dist.WishartLpdf).withRng(wishartRng(dist.WishartRng)).
		withReparamMV(wishartReparam(dist.WishartReparam, dist.WishartLpdf))
	m["inv_wishart"] = wishart(dist.InvWishartLpdf).withRng(wishartRng(dist.InvWishartRng)).
		withReparamMV(wishartReparam(dist.InvWishartReparam, dist.InvWishartLpdf))
	m["wishart_cholesky"] = wishart(dist.WishartCholeskyLpdf).withRng(wishartRng(dist.WishartCholeskyRng)).
		withReparamMV(wishartReparam(dist.WishartCholeskyReparam, dist.WishartCholeskyLpdf))
	m["inv_wishart_cholesky"] = wishart(dist.InvWishartCholeskyLpdf).withRng(wishartRng(dist.InvWishartCholeskyRng)).
		withReparamMV(wishartReparam(dist.InvWishartCholeskyReparam, dist.InvWishartCholeskyLpdf))
	gp := func(f func(*ad.Tape, bool, ad.Matrix, ad.Matrix, []ad.Var) (ad.Var, error)) density {
		return density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
			y, s, w := matrixOf(a[0]), matrixOf(a[1]), asVector(c, a[2])
			ok := mustAt(pos)
			return func(e *env) ad.Var { return ok(f(e.t, propto, y(e), s(e), w(e))) }
		}}
	}
	m["multi_gp"] = gp(dist.MultiGPLpdf)
	m["multi_gp_cholesky"] = gp(dist.MultiGPCholeskyLpdf)
	m["lkj_cov"] = density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		y, mu, sigma, eta := matrixOf(a[0]), asVector(c, a[1]), asVector(c, a[2]), a[3].real()
		ok := mustAt(pos)
		return func(e *env) ad.Var { return ok(dist.LkjCovLpdf(e.t, propto, y(e), mu(e), sigma(e), eta(e))) }
	}}
	m["gaussian_dlm_obs"] = density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		y, F, G, W, m0, C0 := matrixOf(a[0]), matrixOf(a[1]), matrixOf(a[2]), matrixOf(a[4]), asVector(c, a[5]), matrixOf(a[6])
		ok := mustAt(pos)
		if a[3].t.Kind == types.Vector {
			v := asVector(c, a[3])
			return func(e *env) ad.Var {
				return ok(dist.GaussianDLMObsDiagLpdf(e.t, propto, y(e), F(e), G(e), v(e), W(e), m0(e), C0(e)))
			}
		}
		V := matrixOf(a[3])
		return func(e *env) ad.Var {
			return ok(dist.GaussianDLMObsLpdf(e.t, propto, y(e), F(e), G(e), V(e), W(e), m0(e), C0(e)))
		}
	}}
	m["multinomial_logit"] = density{rng: multinomialRng(true), build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		ns, beta := intsOf(a[0]), asVector(c, a[1])
		ok := mustAt(pos)
		return func(e *env) ad.Var { return ok(dist.MultinomialLogitLpmf(e.t, propto, ns(e), beta(e))) }
	}}
	m["wiener"] = wienerDensity() // wiener.go
	m["categorical_logit_glm"] = density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		y := intsOf(a[0])
		x, al, be := designMatrixOf(a[1], countOf(y)), asVector(c, a[2]), a[3].v
		ok := mustAt(pos)
		return func(e *env) ad.Var {
			return ok(dist.CategoricalLogitGLMLpmf(e.t, propto, y(e), x(e), al(e), be(e).matrix()))
		}
	}}
	m["neg_binomial_2_log_glm"] = density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		y := intsOf(a[0])
		x, al, be, phi := designMatrixOf(a[1], countOf(y)), asVector(c, a[2]), asVector(c, a[3]), asVector(c, a[4])
		ok := mustAt(pos)
		return func(e *env) ad.Var {
			return ok(dist.NegBinomial2LogGLMLpmf(e.t, propto, y(e), x(e), al(e), be(e), phi(e)))
		}
	}}
	for name, d := range m {
		l.family(name, d)
	}
}
