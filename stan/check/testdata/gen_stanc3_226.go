//go:build ignore

// Command gen_stanc3_226 writes stanc3_226_signatures.tsv.gz: the standard
// library's signatures as stanc3 typed them in the Stan 2.26 era (its
// src/middle/Stan_math_signatures.ml between the 2.26 additions and the
// array-of-structs/struct-of-arrays annotations of 2.27), expanded to one
// line per overload. It is a transcription of that table's facts (names,
// argument types, results and the rules that expand them), written here
// as data; run it with
//
//	go run gen_stanc3_226.go
//
// from this directory. A line is: name, result, arguments ("; " between
// them, "data " before one that must be data), and the kind of the name
// (density, cdf, ccdf or rng for a distribution's function, else empty).
// The higher-order functions (algebra_solver, integrate_ode_*, map_rect,
// integrate_1d, reduce_sum, ode_*) are not lines: their first argument is
// a function, and TestStanc3_226Signatures writes them by hand.
package main

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
	"strings"
)

// ty is a type: a base (int, real, vector, row_vector, matrix) in dims
// array dimensions.
type ty struct {
	base string
	dims int
}

func (t ty) String() string {
	if t.dims == 0 {
		return t.base
	}
	return "array[" + strings.Repeat(",", t.dims-1) + "] " + t.base
}

func arr(t ty, n int) ty { return ty{t.base, t.dims + n} }

var (
	tInt  = ty{"int", 0}
	tReal = ty{"real", 0}
	tV    = ty{"vector", 0}
	tRV   = ty{"row_vector", 0}
	tM    = ty{"matrix", 0}
	tAI   = arr(tInt, 1)
	tAR   = arr(tReal, 1)
	tAV   = arr(tV, 1)
	tARV  = arr(tRV, 1)

	bareTypes      = []ty{tInt, tReal, tV, tRV, tM}
	vectorTypes    = []ty{tReal, tAR, tV, tRV}
	allVectorTypes = []ty{tReal, tAR, tV, tRV, tInt, tAI}
)

// intsToReal is a type with its int base made real.
func intsToReal(t ty) ty {
	if t.base == "int" {
		t.base = "real"
	}
	return t
}

type arg struct {
	t    ty
	data bool
}

type sig struct {
	name, kind string
	ret        ty
	args       []arg
}

var (
	out  []sig
	seen = map[string]bool{}
)

func (s sig) line() string {
	var as []string
	for _, a := range s.args {
		if a.data {
			as = append(as, "data "+a.t.String())
		} else {
			as = append(as, a.t.String())
		}
	}
	return s.name + "\t" + s.ret.String() + "\t" + strings.Join(as, "; ") + "\t" + s.kind
}

func addKind(name, kind string, ret ty, args ...ty) {
	var as []arg
	for _, a := range args {
		as = append(as, arg{t: a})
	}
	addSig(sig{name, kind, ret, as})
}

func addSig(s sig) {
	if l := s.line(); !seen[l] {
		seen[l] = true
		out = append(out, s)
	}
}

// add is add_unqualified: every argument may be a parameter.
func add(name string, ret ty, args ...ty) { addKind(name, "", ret, args...) }

// addData is an overload every argument of which must be data.
func addData(name string, ret ty, args ...ty) {
	var as []arg
	for _, a := range args {
		as = append(as, arg{t: a, data: true})
	}
	addSig(sig{name, "", ret, as})
}

// The distributions' argument classes.
const (
	dReal = iota
	dVector
	dMatrix
	dVInt
	dVReal
	dIntAndReals
	dVectors
)

func expand(d int) []ty {
	switch d {
	case dReal:
		return []ty{tReal}
	case dVector:
		return []ty{tV}
	case dMatrix:
		return []ty{tM}
	case dVInt:
		return []ty{tInt, tAI}
	case dVReal:
		return []ty{tReal, tAR, tV, tRV}
	case dIntAndReals:
		return append(expand(dVReal), expand(dVInt)...)
	case dVectors:
		return []ty{tV, tAV, tRV, tARV}
	}
	panic(d)
}

// combinations lists every choice of one type per class, the first
// argument varying fastest as in stanc3's all_combinations.
func combinations(ds []int) [][]ty {
	res := [][]ty{{}}
	for i := len(ds) - 1; i >= 0; i-- {
		var next [][]ty
		for _, rest := range res {
			for _, t := range expand(ds[i]) {
				next = append(next, append([]ty{t}, rest...))
			}
		}
		res = next
	}
	return res
}

const (
	lpmf = 1 << iota
	lpdf
	rng
	cdf
	ccdf
)

const (
	fullLpdf = lpdf | rng | ccdf | cdf
	fullLpmf = lpmf | rng | ccdf | cdf
)

type family struct {
	kinds int
	name  string
	args  []int
}

var distributions = []family{
	{fullLpmf, "beta_binomial", []int{dVInt, dVInt, dVReal, dVReal}},
	{fullLpdf, "beta", []int{dVReal, dVReal, dVReal}},
	{lpdf | ccdf | cdf, "beta_proportion", []int{dVReal, dVReal, dIntAndReals}},
	{fullLpmf, "bernoulli", []int{dVInt, dVReal}},
	{lpmf | rng, "bernoulli_logit", []int{dVInt, dVReal}},
	{fullLpmf, "binomial", []int{dVInt, dVInt, dVReal}},
	{lpmf, "binomial_logit", []int{dVInt, dVInt, dVReal}},
	{lpmf, "categorical", []int{dVInt, dVector}},
	{lpmf, "categorical_logit", []int{dVInt, dVector}},
	{fullLpdf, "cauchy", []int{dVReal, dVReal, dVReal}},
	{fullLpdf, "chi_square", []int{dVReal, dVReal}},
	{lpdf, "dirichlet", []int{dVectors, dVectors}},
	{fullLpmf, "discrete_range", []int{dVInt, dVInt, dVInt}},
	{fullLpdf, "double_exponential", []int{dVReal, dVReal, dVReal}},
	{fullLpdf, "exp_mod_normal", []int{dVReal, dVReal, dVReal, dVReal}},
	{fullLpdf, "exponential", []int{dVReal, dVReal}},
	{fullLpdf, "frechet", []int{dVReal, dVReal, dVReal}},
	{fullLpdf, "gamma", []int{dVReal, dVReal, dVReal}},
	{fullLpdf, "gumbel", []int{dVReal, dVReal, dVReal}},
	{fullLpdf, "inv_chi_square", []int{dVReal, dVReal}},
	{fullLpdf, "inv_gamma", []int{dVReal, dVReal, dVReal}},
	{fullLpdf, "logistic", []int{dVReal, dVReal, dVReal}},
	{fullLpdf, "lognormal", []int{dVReal, dVReal, dVReal}},
	{lpdf, "multi_gp", []int{dMatrix, dMatrix, dVector}},
	{lpdf, "multi_gp_cholesky", []int{dMatrix, dMatrix, dVector}},
	{lpdf, "multi_normal", []int{dVectors, dVectors, dMatrix}},
	{lpdf, "multi_normal_cholesky", []int{dVectors, dVectors, dMatrix}},
	{lpdf, "multi_normal_prec", []int{dVectors, dVectors, dMatrix}},
	{lpdf, "multi_student_t", []int{dVectors, dReal, dVectors, dMatrix}},
	{fullLpmf, "neg_binomial", []int{dVInt, dVReal, dVReal}},
	{fullLpmf, "neg_binomial_2", []int{dVInt, dVReal, dVReal}},
	{lpmf | rng, "neg_binomial_2_log", []int{dVInt, dVReal, dVReal}},
	{fullLpdf, "normal", []int{dVReal, dVReal, dVReal}},
	{fullLpdf, "pareto", []int{dVReal, dVReal, dVReal}},
	{fullLpdf, "pareto_type_2", []int{dVReal, dVReal, dVReal, dVReal}},
	{fullLpmf, "poisson", []int{dVInt, dVReal}},
	{lpmf | rng, "poisson_log", []int{dVInt, dVReal}},
	{fullLpdf, "rayleigh", []int{dVReal, dVReal}},
	{fullLpdf, "scaled_inv_chi_square", []int{dVReal, dVReal, dVReal}},
	{fullLpdf, "skew_normal", []int{dVReal, dVReal, dVReal, dVReal}},
	{fullLpdf, "student_t", []int{dVReal, dVReal, dVReal, dVReal}},
	{fullLpdf, "std_normal", []int{dVReal}},
	{fullLpdf, "uniform", []int{dVReal, dVReal, dVReal}},
	{lpdf | rng, "von_mises", []int{dVReal, dVReal, dVReal}},
	{fullLpdf, "weibull", []int{dVReal, dVReal, dVReal}},
	{lpdf, "wiener", []int{dVReal, dVReal, dVReal, dVReal, dVReal}},
	{lpdf, "wishart", []int{dMatrix, dReal, dMatrix}},
}

// missing are names the table's rules make that the math library lacks.
var missing = map[string]bool{"beta_proportion_cdf": true}

// rngResult is the result of an rng of a variate of type t: t when every
// argument is a scalar, else an array of t.
func rngResult(t ty, args []ty) ty {
	for _, a := range args {
		if a.dims > 0 || (a.base != "int" && a.base != "real") {
			return arr(t, 1)
		}
	}
	return t
}

func addFamily(f family) {
	suffixes := []struct {
		kind    int
		sfx     []string
		kindTag []string
	}{
		{lpmf, []string{"_lpmf", "_log"}, []string{"density", "density"}},
		{lpdf, []string{"_lpdf", "_log"}, []string{"density", "density"}},
		{cdf, []string{"_cdf", "_cdf_log", "_lcdf"}, []string{"cdf", "cdf", "cdf"}},
		{ccdf, []string{"_ccdf_log", "_lccdf"}, []string{"ccdf", "ccdf"}},
	}
	// stanc3 adds the kinds in the order the family lists them; the order
	// of lines does not matter here.
	for _, s := range suffixes {
		if f.kinds&s.kind == 0 {
			continue
		}
		for _, args := range combinations(f.args) {
			for i, sfx := range s.sfx {
				if !missing[f.name+sfx] {
					addKind(f.name+sfx, s.kindTag[i], tReal, args...)
				}
			}
		}
	}
	if f.kinds&rng != 0 {
		ret := tReal
		if f.args[0] == dVInt {
			ret = tInt
		}
		var params []int
		for _, d := range f.args[1:] {
			if d == dVReal {
				d = dIntAndReals
			}
			params = append(params, d)
		}
		for _, args := range combinations(params) {
			addKind(f.name+"_rng", "rng", rngResult(ret, args), args...)
		}
	}
}

// unary are the element-wise functions of any int, real, vector, row
// vector or matrix in up to 7 array dimensions (stanc3's DDeepVectorized).
var unary = strings.Fields(`acos acosh asin asinh atan atanh cbrt ceil cos cosh
	digamma erf erfc exp exp2 expm1 fabs floor inv inv_cloglog inv_logit inv_Phi
	inv_sqrt inv_square lambert_w0 lambert_wm1 lgamma log log10 log1m log1m_exp
	log1m_inv_logit log1p log1p_exp log2 log_inv_logit logit Phi Phi_approx round
	sin sinh sqrt square tan tanh tgamma trunc trigamma`)

func binary(name string) { add(name, tReal, tReal, tReal) }

// binaryVec is add_binary_vec: two ints or reals, or a container with
// itself or with a scalar, either way round.
func binaryVec(name string) {
	for _, i := range []ty{tInt, tReal} {
		for _, j := range []ty{tInt, tReal} {
			add(name, tReal, i, j)
		}
	}
	conts := []ty{tAI, tAR, tV, tRV, tM}
	for i := 0; i < 8; i++ {
		for _, j := range conts {
			t := arr(j, i)
			add(name, intsToReal(t), t, t)
		}
	}
	for _, s := range []ty{tInt, tReal} {
		for j := 0; j < 8; j++ {
			for _, k := range conts {
				t := arr(k, j)
				add(name, intsToReal(t), t, s)
			}
		}
	}
	for _, s := range []ty{tInt, tReal} {
		for j := 0; j < 8; j++ {
			for _, k := range conts {
				t := arr(k, j)
				add(name, intsToReal(t), s, t)
			}
		}
	}
}

// binaryVecRealReal is add_binary_vec_real_real.
func binaryVecRealReal(name string) {
	binary(name)
	conts := []ty{tAR, tV, tRV, tM}
	for i := 0; i < 8; i++ {
		for _, j := range conts {
			t := arr(j, i)
			add(name, t, t, t)
		}
	}
	for j := 0; j < 8; j++ {
		for _, k := range conts {
			t := arr(k, j)
			add(name, t, t, tReal)
		}
	}
	for j := 0; j < 8; j++ {
		for _, k := range conts {
			t := arr(k, j)
			add(name, t, tReal, t)
		}
	}
}

// binaryVecIntReal is add_binary_vec_int_real: an int (or ints shaped as
// the real argument) first.
func binaryVecIntReal(name string) {
	for _, i := range []ty{tAR, tV, tRV, tM} {
		for j := 0; j < 8; j++ {
			add(name, arr(i, j), tInt, arr(i, j))
		}
	}
	for _, i := range []ty{tAR, tV, tRV} {
		for j := 0; j < 8; j++ {
			add(name, arr(i, j), arr(tInt, j+1), arr(i, j))
		}
	}
	for i := 0; i < 8; i++ {
		add(name, arr(tM, i), arr(tInt, i+2), arr(tM, i))
	}
	for i := 0; i < 8; i++ {
		add(name, arr(tReal, i), arr(tInt, i), tReal)
	}
}

// binaryVecRealInt is add_binary_vec_real_int, the mirror image.
func binaryVecRealInt(name string) {
	for _, i := range []ty{tAR, tV, tRV, tM} {
		for j := 0; j < 8; j++ {
			add(name, arr(i, j), arr(i, j), tInt)
		}
	}
	for _, i := range []ty{tAR, tV, tRV} {
		for j := 0; j < 8; j++ {
			add(name, arr(i, j), arr(i, j), arr(tInt, j+1))
		}
	}
	for i := 0; i < 8; i++ {
		add(name, arr(tM, i), arr(tM, i), arr(tInt, i+2))
	}
	for i := 0; i < 8; i++ {
		add(name, arr(tReal, i), tReal, arr(tInt, i))
	}
}

// binaryVecIntInt is add_binary_vec_int_int.
func binaryVecIntInt(name string) {
	for i := 0; i < 8; i++ {
		add(name, arr(tInt, i), arr(tInt, i), tInt)
	}
	for i := 1; i < 8; i++ {
		add(name, arr(tInt, i), tInt, arr(tInt, i))
	}
	for i := 1; i < 8; i++ {
		add(name, arr(tInt, i), arr(tInt, i), arr(tInt, i))
	}
}

// ternaryVec is add_ternary_vec (fma): reals, or one container type with
// reals in any of the other places.
func ternaryVec(name string) {
	add(name, tReal, tReal, tReal, tReal)
	for _, c := range []ty{tV, tRV, tM} {
		for _, args := range [][]ty{
			{c, tReal, tReal}, {c, c, tReal}, {c, tReal, c}, {c, c, c},
			{tReal, c, tReal}, {tReal, c, c}, {tReal, tReal, c},
		} {
			add(name, c, args...)
		}
	}
}

func nullary(name string) { add(name, tReal) }

func manual() {
	add("abs", tInt, tInt)
	add("abs", tReal, tReal)
	for _, x := range bareTypes {
		add("add", x, x, x)
	}
	for _, c := range []ty{tV, tRV, tM} {
		add("add", c, c, tReal)
	}
	for _, c := range []ty{tV, tRV, tM} {
		add("add", c, tReal, c)
	}
	for _, d := range []ty{tReal, tV, tRV} {
		add("add_diag", tM, tM, d)
	}
	for i := 1; i < 8; i++ {
		for _, t := range bareTypes {
			add("append_array", arr(t, i), arr(t, i), arr(t, i))
		}
	}
	binary("atan2")
	for _, a := range [][]ty{
		{tAI, tM, tReal, tV}, {tAI, tM, tV, tV}, {tInt, tM, tReal, tV},
		{tInt, tM, tV, tV}, {tAI, tRV, tReal, tV}, {tAI, tRV, tV, tV},
	} {
		addKind("bernoulli_logit_glm_lpmf", "density", tReal, a...)
	}
	binaryVecIntReal("bessel_first_kind")
	binaryVecIntReal("bessel_second_kind")
	binaryVec("beta")
	for _, t := range vectorTypes {
		for _, u := range allVectorTypes {
			addKind("beta_proportion_rng", "rng", rngResult(tReal, []ty{t, u}), t, u)
		}
	}
	binaryVecIntReal("binary_log_loss")
	binaryVec("binomial_coefficient_log")
	add("block", tM, tM, tInt, tInt, tInt, tInt)
	addKind("categorical_rng", "rng", tInt, tV)
	addKind("categorical_logit_rng", "rng", tInt, tV)
	for _, a := range [][]ty{
		{tAI, tM, tV, tM}, {tInt, tM, tV, tM}, {tAI, tRV, tV, tM}, {tInt, tRV, tV, tM},
	} {
		addKind("categorical_logit_glm_lpmf", "density", tReal, a...)
	}
	add("append_col", tM, tM, tM)
	add("append_col", tM, tV, tM)
	add("append_col", tM, tM, tV)
	add("append_col", tM, tV, tV)
	add("append_col", tRV, tRV, tRV)
	add("append_col", tRV, tReal, tRV)
	add("append_col", tRV, tRV, tReal)
	add("chol2inv", tM, tM)
	add("cholesky_decompose", tM, tM)
	binaryVecIntInt("choose")
	add("col", tV, tM, tInt)
	for _, c := range []ty{tV, tRV, tM} {
		add("cols", tInt, c)
	}
	for _, c := range []ty{tV, tRV, tM} {
		add("columns_dot_product", tRV, c, c)
	}
	for _, c := range []ty{tV, tRV, tM} {
		add("columns_dot_self", tRV, c)
	}
	for _, x := range []ty{tAR, tAV, tARV} {
		add("cov_exp_quad", tM, x, tReal, tReal)
	}
	for _, x := range []ty{tAR, tAV, tARV} {
		add("cov_exp_quad", tM, x, x, tReal, tReal)
	}
	add("crossprod", tM, tM)
	add("csr_matrix_times_vector", tV, tInt, tInt, tV, tAI, tAI, tV)
	add("csr_to_dense_matrix", tM, tInt, tInt, tV, tAI, tAI)
	add("csr_extract_w", tV, tM)
	add("csr_extract_v", tAI, tM)
	add("csr_extract_u", tAI, tM)
	add("cumulative_sum", tAR, tAR)
	add("cumulative_sum", tV, tV)
	add("cumulative_sum", tRV, tRV)
	add("determinant", tReal, tM)
	add("diag_matrix", tM, tV)
	add("diag_post_multiply", tM, tM, tV)
	add("diag_post_multiply", tM, tM, tRV)
	add("diag_pre_multiply", tM, tV, tM)
	add("diag_pre_multiply", tM, tRV, tM)
	add("diagonal", tV, tM)
	for _, t := range bareTypes {
		add("dims", tAI, t)
	}
	for i := 0; i < 8; i++ {
		for _, t := range bareTypes {
			add("dims", tAI, arr(t, i+1))
		}
	}
	addKind("dirichlet_rng", "rng", tV, tV)
	add("distance", tReal, tV, tV)
	add("distance", tReal, tRV, tRV)
	add("distance", tReal, tV, tRV)
	add("distance", tReal, tRV, tV)
	add("divide", tInt, tInt, tInt)
	add("divide", tReal, tReal, tReal)
	for _, c := range []ty{tV, tRV, tM} {
		add("divide", c, c, tReal)
	}
	add("dot_product", tReal, tV, tV)
	add("dot_product", tReal, tRV, tRV)
	add("dot_product", tReal, tV, tRV)
	add("dot_product", tReal, tRV, tV)
	add("dot_product", tReal, tAR, tAR)
	add("dot_self", tReal, tV)
	add("dot_self", tReal, tRV)
	nullary("e")
	add("eigenvalues_sym", tV, tM)
	for _, f := range []string{"eigenvectors_sym", "generalized_inverse", "qr_Q", "qr_R", "qr_thin_Q", "qr_thin_R"} {
		add(f, tM, tM)
	}
	add("elt_divide", tInt, tInt, tInt)
	add("elt_divide", tReal, tReal, tReal)
	for _, c := range []ty{tV, tRV, tM} {
		add("elt_divide", c, c, c)
	}
	for _, c := range []ty{tV, tRV, tM} {
		add("elt_divide", c, c, tReal)
	}
	for _, c := range []ty{tV, tRV, tM} {
		add("elt_divide", c, tReal, c)
	}
	add("elt_multiply", tInt, tInt, tInt)
	add("elt_multiply", tReal, tReal, tReal)
	for _, c := range []ty{tV, tRV, tM} {
		add("elt_multiply", c, c, c)
	}
	binaryVecIntInt("falling_factorial")
	binaryVecRealInt("falling_factorial")
	binaryVec("fdim")
	ternaryVec("fma")
	binaryVec("fmax")
	binaryVec("fmin")
	binaryVec("fmod")
	binaryVecRealReal("gamma_p")
	binaryVecRealReal("gamma_q")
	for _, f := range []string{"gaussian_dlm_obs_log", "gaussian_dlm_obs_lpdf"} {
		addKind(f, "density", tReal, tM, tM, tM, tM, tM, tV, tM)
		addKind(f, "density", tReal, tM, tM, tM, tV, tM, tV, tM)
	}
	add("gp_dot_prod_cov", tM, tAR, tReal)
	add("gp_dot_prod_cov", tM, tAR, tAR, tReal)
	add("gp_dot_prod_cov", tM, tAV, tReal)
	add("gp_dot_prod_cov", tM, tAV, tAV, tReal)
	for _, f := range []string{"gp_exp_quad_cov", "gp_matern32_cov", "gp_matern52_cov", "gp_exponential_cov"} {
		add(f, tM, tAR, tReal, tReal)
		add(f, tM, tAR, tAR, tReal, tReal)
		add(f, tM, tAV, tReal, tReal)
		add(f, tM, tAV, tAV, tReal, tReal)
		add(f, tM, tAV, tReal, tAR)
		add(f, tM, tAV, tAV, tReal, tAR)
	}
	add("gp_periodic_cov", tM, tAR, tReal, tReal, tReal)
	add("gp_periodic_cov", tM, tAR, tAR, tReal, tReal, tReal)
	add("gp_periodic_cov", tM, tAV, tReal, tReal, tReal)
	add("gp_periodic_cov", tM, tAV, tAV, tReal, tReal, tReal)
	for _, f := range []string{"head", "tail"} {
		add(f, tRV, tRV, tInt)
		add(f, tV, tV, tInt)
		for _, t := range bareTypes {
			for j := 1; j < 4; j++ {
				add(f, arr(t, j), arr(t, j), tInt)
			}
		}
	}
	add("hmm_marginal", tReal, tM, tM, tV)
	addData("hmm_hidden_state_prob", tM, tM, tM, tV)
	addKind("hmm_latent_rng", "rng", tAI, tM, tM, tV)
	addKind("hypergeometric_log", "density", tReal, tInt, tInt, tInt, tInt)
	addKind("hypergeometric_lpmf", "density", tReal, tInt, tInt, tInt, tInt)
	addKind("hypergeometric_rng", "rng", tInt, tInt, tInt, tInt)
	binaryVec("hypot")
	add("identity_matrix", tM, tInt)
	add("if_else", tInt, tInt, tInt, tInt)
	add("if_else", tReal, tInt, tReal, tReal)
	add("inc_beta", tReal, tReal, tReal, tReal)
	add("int_step", tInt, tReal)
	add("int_step", tInt, tInt)
	addKind("inv_wishart_log", "density", tReal, tM, tReal, tM)
	addKind("inv_wishart_lpdf", "density", tReal, tM, tReal, tM)
	addKind("inv_wishart_rng", "rng", tM, tReal, tM)
	add("inverse", tM, tM)
	add("inverse_spd", tM, tM)
	add("is_inf", tInt, tReal)
	add("is_nan", tInt, tReal)
	binaryVec("lbeta")
	binary("lchoose")
	binaryVecRealInt("ldexp")
	addData("linspaced_int_array", tAI, tInt, tInt, tInt)
	addData("linspaced_array", tAR, tInt, tReal, tReal)
	addData("linspaced_row_vector", tRV, tInt, tReal, tReal)
	addData("linspaced_vector", tV, tInt, tReal, tReal)
	for _, f := range []string{"lkj_corr_cholesky", "lkj_corr"} {
		addKind(f+"_log", "density", tReal, tM, tReal)
		addKind(f+"_lpdf", "density", tReal, tM, tReal)
		addKind(f+"_rng", "rng", tM, tInt, tReal)
	}
	addKind("lkj_cov_log", "density", tReal, tM, tV, tV, tReal)
	binaryVecIntReal("lmgamma")
	binaryVec("lmultiply")
	nullary("log10")
	nullary("log2")
	add("log_determinant", tReal, tM)
	binaryVec("log_diff_exp")
	binaryVec("log_falling_factorial")
	binaryVec("log_inv_logit_diff")
	add("log_mix", tReal, tReal, tReal, tReal)
	for _, v1 := range vectorTypes[1:] {
		for _, v2 := range vectorTypes[1:] {
			add("log_mix", tReal, v1, v2)
		}
		add("log_mix", tReal, v1, tAV)
		add("log_mix", tReal, v1, tARV)
	}
	binaryVec("log_modified_bessel_first_kind")
	binaryVec("log_rising_factorial")
	add("log_softmax", tV, tV)
	for _, c := range []ty{tAR, tV, tRV, tM} {
		add("log_sum_exp", tReal, c)
	}
	binary("log_sum_exp")
	for _, t1 := range []ty{tInt, tReal} {
		add("logical_negation", tInt, t1)
		for _, t2 := range []ty{tInt, tReal} {
			for _, o := range []string{"logical_or", "logical_and", "logical_eq", "logical_neq", "logical_lt", "logical_lte", "logical_gt", "logical_gte"} {
				add(o, tInt, t1, t2)
			}
		}
	}
	nullary("machine_precision")
	add("matrix_exp", tM, tM)
	add("matrix_exp_multiply", tM, tM, tM)
	add("matrix_power", tM, tM, tInt)
	for _, f := range []string{"max", "min"} {
		add(f, tInt, tAI)
		for _, c := range []ty{tAR, tV, tRV, tM} {
			add(f, tReal, c)
		}
		add(f, tInt, tInt, tInt)
	}
	for _, f := range []string{"mdivide_left", "mdivide_left_spd"} {
		add(f, tV, tM, tV)
		add(f, tM, tM, tM)
	}
	add("mdivide_left_tri_low", tM, tM, tM)
	add("mdivide_left_tri_low", tV, tM, tV)
	for _, f := range []string{"mdivide_right", "mdivide_right_spd", "mdivide_right_tri_low"} {
		add(f, tRV, tRV, tM)
		add(f, tM, tM, tM)
	}
	for _, f := range []string{"mean", "sd", "variance"} {
		for _, c := range []ty{tAR, tV, tRV, tM} {
			add(f, tReal, c)
		}
	}
	for _, f := range []string{"minus", "plus"} {
		for _, t := range bareTypes {
			add(f, t, t)
		}
	}
	binaryVecIntReal("modified_bessel_first_kind")
	binaryVecIntReal("modified_bessel_second_kind")
	add("modulus", tInt, tInt, tInt)
	for _, f := range []string{"multi_normal_rng", "multi_normal_cholesky_rng"} {
		addKind(f, "rng", tV, tV, tM)
		addKind(f, "rng", tAV, tAV, tM)
		addKind(f, "rng", tV, tRV, tM)
		addKind(f, "rng", tAV, tARV, tM)
	}
	addKind("multi_student_t_rng", "rng", tV, tReal, tV, tM)
	addKind("multi_student_t_rng", "rng", tAV, tReal, tAV, tM)
	addKind("multi_student_t_rng", "rng", tV, tReal, tRV, tM)
	addKind("multi_student_t_rng", "rng", tAV, tReal, tARV, tM)
	for _, f := range []string{"multinomial", "multinomial_logit"} {
		addKind(f+"_log", "density", tReal, tAI, tV)
		addKind(f+"_lpmf", "density", tReal, tAI, tV)
		addKind(f+"_rng", "rng", tAI, tV, tInt)
	}
	add("multiply", tInt, tInt, tInt)
	add("multiply", tReal, tReal, tReal)
	for _, c := range []ty{tV, tRV, tM} {
		add("multiply", c, c, tReal)
	}
	add("multiply", tReal, tRV, tV)
	add("multiply", tM, tV, tRV)
	add("multiply", tV, tM, tV)
	add("multiply", tRV, tRV, tM)
	add("multiply", tM, tM, tM)
	for _, c := range []ty{tV, tRV, tM} {
		add("multiply", c, tReal, c)
	}
	binaryVec("multiply_log")
	add("multiply_lower_tri_self_transpose", tM, tM)
	for _, a := range [][]ty{
		{tAI, tM, tReal, tV, tReal}, {tAI, tM, tV, tV, tReal}, {tInt, tM, tReal, tV, tReal},
		{tInt, tM, tV, tV, tReal}, {tAI, tRV, tReal, tV, tReal}, {tAI, tRV, tV, tV, tReal},
	} {
		addKind("neg_binomial_2_log_glm_lpmf", "density", tReal, a...)
	}
	nullary("negative_infinity")
	for _, a := range [][]ty{
		{tV, tM, tReal, tV, tReal}, {tV, tM, tV, tV, tReal}, {tReal, tM, tReal, tV, tV},
		{tReal, tM, tV, tV, tV}, {tV, tRV, tReal, tV, tV}, {tV, tRV, tV, tV, tV},
	} {
		addKind("normal_id_glm_lpdf", "density", tReal, a...)
	}
	nullary("not_a_number")
	for _, c := range []ty{tM, tV, tRV} {
		add("num_elements", tInt, c)
	}
	for i := 1; i < 10; i++ {
		for _, t := range bareTypes {
			add("num_elements", tInt, arr(t, i))
		}
	}
	for _, f := range []struct {
		name string
		ret  ty
	}{{"int_array", tAI}, {"array", tAR}, {"row_vector", tRV}, {"vector", tV}} {
		add("one_hot_"+f.name, f.ret, tInt, tInt)
		add("ones_"+f.name, f.ret, tInt)
		add("zeros_"+f.name, f.ret, tInt)
	}
	for _, a := range [][]ty{{tAI, tM, tV, tV}, {tAI, tRV, tV, tV}, {tInt, tM, tV, tV}, {tInt, tRV, tV, tV}} {
		addKind("ordered_logistic_glm_lpmf", "density", tReal, a...)
	}
	for _, f := range []string{"ordered_logistic_log", "ordered_logistic_lpmf", "ordered_probit_log"} {
		addKind(f, "density", tReal, tInt, tReal, tV)
		addKind(f, "density", tReal, tAI, tV, tV)
		addKind(f, "density", tReal, tAI, tV, tAV)
	}
	addKind("ordered_logistic_rng", "rng", tInt, tReal, tV)
	addKind("ordered_probit_lpmf", "density", tReal, tInt, tReal, tV)
	addKind("ordered_probit_lpmf", "density", tReal, tAI, tReal, tV)
	addKind("ordered_probit_lpmf", "density", tReal, tAI, tReal, tAV)
	addKind("ordered_probit_rng", "rng", tInt, tReal, tV)
	binaryVecRealReal("owens_t")
	nullary("pi")
	for _, a := range [][]ty{
		{tAI, tM, tReal, tV}, {tAI, tM, tV, tV}, {tInt, tM, tReal, tV},
		{tInt, tM, tV, tV}, {tAI, tRV, tReal, tV}, {tAI, tRV, tV, tV},
	} {
		addKind("poisson_log_glm_lpmf", "density", tReal, a...)
	}
	nullary("positive_infinity")
	binaryVec("pow")
	add("prod", tInt, tAI)
	for _, c := range []ty{tAR, tV, tRV, tM} {
		add("prod", tReal, c)
	}
	for _, f := range []string{"quad_form", "quad_form_sym"} {
		add(f, tReal, tM, tV)
		add(f, tM, tM, tM)
	}
	add("quad_form_diag", tM, tM, tV)
	add("quad_form_diag", tM, tM, tRV)
	for _, c := range []ty{tAR, tV, tRV} {
		addData("quantile", tReal, c, tReal)
		addData("quantile", tAR, c, tAR)
	}
	for _, c := range []ty{tAI, tAR, tV, tRV} {
		add("rank", tInt, c, tInt)
	}
	add("append_row", tM, tM, tM)
	add("append_row", tM, tRV, tM)
	add("append_row", tM, tM, tRV)
	add("append_row", tM, tRV, tRV)
	add("append_row", tV, tV, tV)
	add("append_row", tV, tReal, tV)
	add("append_row", tV, tV, tReal)
	for _, t := range bareTypes {
		add("rep_array", arr(t, 1), t, tInt)
		add("rep_array", arr(t, 2), t, tInt, tInt)
		add("rep_array", arr(t, 3), t, tInt, tInt, tInt)
		for j := 1; j < 3; j++ {
			add("rep_array", arr(t, j+1), arr(t, j), tInt)
			add("rep_array", arr(t, j+2), arr(t, j), tInt, tInt)
			add("rep_array", arr(t, j+3), arr(t, j), tInt, tInt, tInt)
		}
	}
	add("rep_matrix", tM, tReal, tInt, tInt)
	add("rep_matrix", tM, tV, tInt)
	add("rep_matrix", tM, tRV, tInt)
	add("rep_row_vector", tRV, tReal, tInt)
	add("rep_vector", tV, tReal, tInt)
	add("reverse", tV, tV)
	add("reverse", tRV, tRV)
	for i := 1; i < 8; i++ {
		for _, t := range bareTypes {
			add("reverse", arr(t, i), arr(t, i))
		}
	}
	binaryVecIntInt("rising_factorial")
	binaryVecRealInt("rising_factorial")
	add("row", tRV, tM, tInt)
	for _, c := range []ty{tV, tRV, tM} {
		add("rows", tInt, c)
	}
	for _, c := range []ty{tV, tRV, tM} {
		add("rows_dot_product", tV, c, c)
	}
	for _, c := range []ty{tV, tRV, tM} {
		add("rows_dot_self", tV, c)
	}
	add("scale_matrix_exp_multiply", tM, tReal, tM, tM)
	add("segment", tRV, tRV, tInt, tInt)
	add("segment", tV, tV, tInt, tInt)
	for _, t := range bareTypes {
		for j := 1; j < 4; j++ {
			add("segment", arr(t, j), arr(t, j), tInt, tInt)
		}
	}
	add("singular_values", tV, tM)
	for i := 1; i < 8; i++ {
		for _, t := range bareTypes {
			add("size", tInt, arr(t, i))
		}
	}
	for _, t := range bareTypes {
		add("size", tInt, t)
	}
	add("softmax", tV, tV)
	for _, f := range []string{"sort_asc", "sort_desc"} {
		for _, c := range []ty{tAI, tAR, tV, tRV} {
			add(f, c, c)
		}
	}
	for _, f := range []string{"sort_indices_asc", "sort_indices_desc"} {
		for _, c := range []ty{tAI, tAR, tV, tRV} {
			add(f, tAI, c)
		}
	}
	add("squared_distance", tReal, tReal, tReal)
	add("squared_distance", tReal, tV, tV)
	add("squared_distance", tReal, tRV, tRV)
	add("squared_distance", tReal, tV, tRV)
	add("squared_distance", tReal, tRV, tV)
	nullary("sqrt2")
	add("sub_col", tV, tM, tInt, tInt, tInt)
	add("sub_row", tRV, tM, tInt, tInt, tInt)
	for _, t := range bareTypes {
		add("subtract", t, t, t)
	}
	for _, c := range []ty{tV, tRV, tM} {
		add("subtract", c, c, tReal)
	}
	for _, c := range []ty{tV, tRV, tM} {
		add("subtract", c, tReal, c)
	}
	add("sum", tInt, tAI)
	for _, c := range []ty{tAR, tV, tRV, tM} {
		add("sum", tReal, c)
	}
	for _, f := range []string{"svd_U", "svd_V", "symmetrize_from_lower_tri", "tcrossprod"} {
		add(f, tM, tM)
	}
	for _, c := range []ty{tM, tV, tRV} {
		add("to_array_1d", tAR, c)
	}
	for i := 1; i < 10; i++ {
		add("to_array_1d", tAR, arr(tReal, i))
		add("to_array_1d", tAI, arr(tInt, i))
	}
	add("to_array_2d", arr(tReal, 2), tM)
	for _, a := range [][]ty{
		{tM}, {tM, tInt, tInt}, {tM, tInt, tInt, tInt},
		{tV}, {tV, tInt, tInt}, {tV, tInt, tInt, tInt},
		{tRV}, {tARV}, {tRV, tInt, tInt}, {tRV, tInt, tInt, tInt},
		{tAR, tInt, tInt}, {tAR, tInt, tInt, tInt}, {tAI, tInt, tInt}, {tAI, tInt, tInt, tInt},
		{arr(tReal, 2)}, {arr(tInt, 2)},
	} {
		add("to_matrix", tM, a...)
	}
	for _, c := range []ty{tM, tV, tRV, tAR, tAI} {
		add("to_row_vector", tRV, c)
		add("to_vector", tV, c)
	}
	add("trace", tReal, tM)
	add("trace_gen_quad_form", tReal, tM, tM, tM)
	add("trace_quad_form", tReal, tM, tV)
	add("trace_quad_form", tReal, tM, tM)
	add("transpose", tRV, tV)
	add("transpose", tV, tRV)
	add("transpose", tM, tM)
	add("uniform_simplex", tV, tInt)
	addKind("wishart_rng", "rng", tM, tReal, tM)
}

func main() {
	for _, f := range distributions {
		addFamily(f)
	}
	for _, name := range unary {
		for _, b := range bareTypes {
			for i := 0; i < 8; i++ {
				t := arr(b, i)
				add(name, intsToReal(t), t)
			}
		}
	}
	add("step", tReal, tReal)
	manual()
	f, err := os.Create("stanc3_226_signatures.tsv.gz")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	z := gzip.NewWriter(f)
	w := bufio.NewWriter(z)
	for _, s := range out {
		fmt.Fprintln(w, s.line())
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := z.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(len(out), "signatures")
}
