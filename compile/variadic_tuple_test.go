package compile

import (
	"math"
	"strings"
	"testing"
)

// The higher-order functions that pass their trailing arguments through
// to a user function (the variadic ODE, DAE and algebraic solvers, the
// variadic integrators and reduce_sum) take those arguments whatever their type, as Stan does:
// a parameter inside a tuple (or a nested tuple, an array of tuples, a
// complex number) must carry its derivative into the solver's
// sensitivities just as the same parameter passed plainly does.

// variadicTupleFuncs defines each system function four ways: with the
// arguments plain (p), in a tuple (t), in a nested tuple with an int (n),
// the rate in a complex number (z), in an array of tuples (a).
const variadicTupleFuncs = `functions {
  vector op(real t, vector y, real a, vector b) { return -a * y + b .* [y[2], y[1]]'; }
  vector ot(real t, vector y, tuple(real, vector) p) { return -p.1 * y + p.2 .* [y[2], y[1]]'; }
  vector on(real t, vector y, tuple(tuple(real, int), vector) p) { return -p.1.1 * y + p.1.2 * p.2 .* [y[2], y[1]]'; }
  vector oz(real t, vector y, complex z, vector b) { return -get_real(z) * y + get_imag(z) * b .* [y[2], y[1]]'; }
  vector oa(real t, vector y, array[] tuple(real, vector) p) { return -p[2].1 * y + p[1].2 .* [y[2], y[1]]'; }
  vector dp(real t, vector y, vector yp, real a, vector b) { return yp + a * y - b .* [y[2], y[1]]'; }
  vector dt(real t, vector y, vector yp, tuple(real, vector) p) { return yp + p.1 * y - p.2 .* [y[2], y[1]]'; }
  vector dn(real t, vector y, vector yp, tuple(tuple(real, int), vector) p) { return yp + p.1.1 * y - p.1.2 * p.2 .* [y[2], y[1]]'; }
  vector dz(real t, vector y, vector yp, complex z, vector b) { return yp + get_real(z) * y - get_imag(z) * b .* [y[2], y[1]]'; }
  vector sp(vector x, real a, vector b) { return x + 0.1 * x .* x .* x - a * b; }
  vector st(vector x, tuple(real, vector) p) { return x + 0.1 * x .* x .* x - p.1 * p.2; }
  vector sn(vector x, tuple(tuple(real, int), vector) p) { return x + 0.1 * x .* x .* x - p.1.1 * p.1.2 * p.2; }
  vector sz(vector x, complex z, vector b) { return x + 0.1 * x .* x .* x - get_real(z) * get_imag(z) * b; }
  real rp(array[] real xs, int s, int e, real a, vector b) { return normal_lpdf(xs | a * b[1], b[2] * b[2] + 1); }
  real rt(array[] real xs, int s, int e, tuple(real, vector) p) { return normal_lpdf(xs | p.1 * p.2[1], p.2[2] * p.2[2] + 1); }
  real rn(array[] real xs, int s, int e, tuple(tuple(real, int), vector) p) { return normal_lpdf(xs | p.1.1 * p.1.2 * p.2[1], p.2[2] * p.2[2] + 1); }
  real rz(array[] real xs, int s, int e, complex z, vector b) { return normal_lpdf(xs | get_real(z) * b[1], get_imag(z) * b[2] * b[2] + 1); }
  real qp(real x, real xc, real a, vector b) { return exp(-a * x * x) * (1 + b[1] * x + b[2] * x * x); }
  real qt(real x, real xc, tuple(real, vector) p) { return exp(-p.1 * x * x) * (1 + p.2[1] * x + p.2[2] * x * x); }
  real qn(real x, real xc, tuple(tuple(real, int), vector) p) { return exp(-p.1.1 * x * x) * (p.1.2 + p.2[1] * x + p.2[2] * x * x); }
  real qz(real x, real xc, complex z, vector b) { return exp(-get_real(z) * x * x) * (get_imag(z) + b[1] * x + b[2] * x * x); }
}
parameters { real<lower=0.5, upper=2> a; vector[2] b; }
`

// variadicTupleCase is a call written with the arguments plain and in
// each other way; F stands for the function's suffix, ARGS for the
// arguments: "a, b", "(a, b)", "((a, 1), b)", "to_complex(a, 1), b",
// "{(a, b), (a, b)}".
type variadicTupleCase struct {
	name, model string
	forms       string // the forms after p, of t, n, z, a
}

func variadicTupleCases() []variadicTupleCase {
	var cs []variadicTupleCase
	ode := "model {\n  array[3] vector[2] ys = CALL;\n  for (k in 1:3) target += normal_lpdf(ys[k] | [0.8, 0.3]', 0.5);\n}\n"
	for _, s := range []string{"ode_rk45", "ode_bdf", "ode_adams", "ode_ckrk"} {
		cs = append(cs, variadicTupleCase{s, strings.Replace(ode, "CALL", s+"(oF, [1.0, -0.5]', 0, {0.5, 1.0, 2.0}, ARGS)", 1), "tnza"})
		cs = append(cs, variadicTupleCase{s + "_tol", strings.Replace(ode, "CALL", s+"_tol(oF, [1.0, -0.5]', 0, {0.5, 1.0, 2.0}, 1e-9, 1e-9, 1000000, ARGS)", 1), "tnza"})
	}
	cs = append(cs, variadicTupleCase{"ode_adjoint_tol_ctl", strings.Replace(ode, "CALL",
		"ode_adjoint_tol_ctl(oF, [1.0, -0.5]', 0, {0.5, 1.0, 2.0}, 1e-10, [1e-10, 1e-10]', 1e-8, [1e-8, 1e-8]', 1e-8, 1e-8, 100000, 150, 1, 2, 2, ARGS)", 1), "tnza"})
	dae := "model {\n  vector[2] y0 = [1.0, -0.5]';\n  array[3] vector[2] ys = CALL;\n  for (k in 1:3) target += normal_lpdf(ys[k] | [0.8, 0.3]', 0.5);\n}\n"
	yp0 := "-a * y0 + b .* [y0[2], y0[1]]'"
	cs = append(cs, variadicTupleCase{"dae", strings.Replace(dae, "CALL", "dae(dF, y0, "+yp0+", 0, {0.5, 1.0, 2.0}, ARGS)", 1), "tnz"})
	cs = append(cs, variadicTupleCase{"dae_tol", strings.Replace(dae, "CALL", "dae_tol(dF, y0, "+yp0+", 0, {0.5, 1.0, 2.0}, 1e-9, 1e-9, 1000000, ARGS)", 1), "tnz"})
	alg := "model {\n  vector[2] x = CALL;\n  target += normal_lpdf(x | [0.8, 0.3]', 0.5);\n}\n"
	for _, s := range []string{"solve_newton", "solve_powell"} {
		cs = append(cs, variadicTupleCase{s, strings.Replace(alg, "CALL", s+"(sF, [1, 1]', ARGS)", 1), "tnz"})
		cs = append(cs, variadicTupleCase{s + "_tol", strings.Replace(alg, "CALL", s+"_tol(sF, [1, 1]', 1e-10, 1e-8, 200, ARGS)", 1), "tnz"})
	}
	for _, s := range []string{"integrate_1d_gauss_kronrod", "integrate_1d_double_exponential"} {
		cs = append(cs, variadicTupleCase{s, "model { target += log(" + s + "(qF, -1, 2, ARGS)); }\n", "tnz"})
		cs = append(cs, variadicTupleCase{s + "_tol", "model { target += log(" + s + "_tol(qF, -1, 2, 1e-10, 1e-12, 20, ARGS)); }\n", "tnz"})
	}
	for _, s := range []string{"reduce_sum", "reduce_sum_static"} {
		cs = append(cs, variadicTupleCase{s, "model { target += " + s + "(rF, {0.3, -0.2, 1.1}, 1, ARGS); }\n", "tnz"})
	}
	return cs
}

// TestVariadicTupleArguments: every variadic higher-order function gives
// the value and gradient of the arguments passed plainly when they come
// in a tuple, a nested tuple, a complex number or an array of tuples, and
// those gradients match finite differences.
func TestVariadicTupleArguments(t *testing.T) {
	args := map[byte]string{'p': "a, b", 't': "(a, b)", 'n': "((a, 1), b)", 'z': "to_complex(a, 1), b", 'a': "{(a, b), (a, b)}"}
	x := []float64{0.3, 0.4, -0.6}
	// The DAE solver's variable-order steps make its solution a rougher
	// function of the parameters, which finite differences magnify to
	// about tolerance/h (measured: 3e-4 at the default tolerances, 3e-3
	// at 1e-9); TestVariadicTupleDAEAsODE checks its gradient tightly.
	fdTol := map[string]float64{"dae": 1e-3, "dae_tol": 1e-2}
	for _, c := range variadicTupleCases() {
		fd := fdTol[c.name]
		if fd == 0 {
			fd = 1e-5
		}
		src := func(form byte) string {
			m := strings.Replace(c.model, "ARGS", args[form], 1)
			m = strings.Replace(m, "F,", string(form)+",", 1)
			return variadicTupleFuncs + m
		}
		lpP, gP := laplaceTupleDensity(t, src('p'), x)
		for _, form := range []byte(c.forms) {
			name := c.name + " " + args[form]
			s := src(form)
			lp, g := laplaceTupleDensity(t, s, x)
			if math.Abs(lp-lpP) > 1e-9*math.Max(1, math.Abs(lpP)) {
				t.Errorf("%s: log density %.12g, passed plainly %.12g", name, lp, lpP)
			}
			for i := range gP {
				if math.Abs(g[i]-gP[i]) > 1e-6*math.Max(1, math.Abs(gP[i])) {
					t.Errorf("%s: gradient[%d] %.10g, passed plainly %.10g", name, i, g[i], gP[i])
				}
			}
			checkLaplaceGradSource(t, name, s, x, fd)
		}
		checkLaplaceGradSource(t, c.name+" plain", src('p'), x, fd)
	}
}

// TestVariadicTupleDAEAsODE: the DAE y' + a y - b∘rev(y) = 0 is the ODE of
// the other cases, so its log density and gradient, with the parameters in
// a tuple, are the ODE solver's.
func TestVariadicTupleDAEAsODE(t *testing.T) {
	x := []float64{0.3, 0.4, -0.6}
	var ode, dae variadicTupleCase
	for _, c := range variadicTupleCases() {
		switch c.name {
		case "ode_rk45_tol":
			ode = c
		case "dae_tol":
			dae = c
		}
	}
	src := func(c variadicTupleCase, form string) string {
		m := strings.Replace(c.model, "ARGS", "(a, b)", 1)
		return variadicTupleFuncs + strings.Replace(m, "F,", form+",", 1)
	}
	lpO, gO := laplaceTupleDensity(t, src(ode, "t"), x)
	lpD, gD := laplaceTupleDensity(t, src(dae, "t"), x)
	if math.Abs(lpO-lpD) > 1e-7 {
		t.Errorf("dae: log density %.12g, ode_rk45 %.12g", lpD, lpO)
	}
	for i := range gO {
		if math.Abs(gO[i]-gD[i]) > 1e-6*math.Max(1, math.Abs(gO[i])) {
			t.Errorf("dae: gradient[%d] %.10g, ode_rk45 %.10g", i, gD[i], gO[i])
		}
	}
}
