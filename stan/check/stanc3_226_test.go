package check

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// TestStanc3_226Signatures holds the checker to the standard library as
// stanc3 typed it in the Stan 2.26 era, in that era's syntax: gostan
// keeps reading old programs (docs/language.md, "Old syntax, kept on
// purpose"). testdata/stanc3_226_signatures.tsv.gz is stanc3's
// Stan_math_signatures.ml of early 2021 expanded to one line per overload
// by testdata/gen_stanc3_226.go: 26892 overloads, the distributions with
// every suffix the table made (_log, _cdf_log, _ccdf_log among them).
//
// For each overload the test writes a program in the old syntax (arrays
// declared as real x[2], data arguments in data, the others also declared
// as parameters) that calls it in transformed data with data, and in
// transformed parameters, the model and generated quantities with
// parameters (an rng only in transformed data and generated quantities, a
// density also by target += and ~), assigning each result to a local of
// the table's result type. The program must check, and each call must
// have the table's result. A second program calls it the same way with
// ints (data ints and int arrays) in place of every real, which the old
// checker promoted. A _cdf is called both with the vertical bar and with
// commas (which Stan then required). The higher-order functions, which
// take a function, are programs written out in higherOld226.
func TestStanc3_226Signatures(t *testing.T) {
	var sigs []oldSig
	names := map[string]bool{}
	for _, row := range readSigTable(t, "testdata/stanc3_226_signatures.tsv.gz") {
		s := oldSig{name: row.fields[0], ret: parseSigType(t, row.fields[1]), kind: row.fields[3], args: row.args, data: row.data}
		sigs = append(sigs, s)
		names[s.name] = true
	}
	if len(sigs) != 26892 {
		t.Errorf("read %d overloads, want 26892", len(sigs))
	}
	fails := map[string][]string{}
	total := map[string]int{}
	for _, s := range sigs {
		total[s.name]++
		src := s.program(names)
		if msg := checkOld(src, s.name, &s.ret); msg != "" {
			fails[s.name] = append(fails[s.name], fmt.Sprintf("%s(%s): %s", s.name, typeList(s.args), msg))
			continue
		}
		if p, ok := s.promoted(); ok {
			if msg := checkOld(p.program(names), s.name, nil); msg != "" {
				fails[s.name] = append(fails[s.name], fmt.Sprintf("%s(%s) [ints for reals]: %s", s.name, typeList(p.args), msg))
				continue
			}
		}
		if src, ok := s.onePromoted(); ok {
			if msg := checkOld(src, s.name, nil); msg != "" {
				fails[s.name] = append(fails[s.name], fmt.Sprintf("%s(%s) [an int for one real]: %s", s.name, typeList(s.args), msg))
			}
		}
	}
	for _, h := range higherOld226 {
		total[h.name]++
		if msg := checkOld(h.src, h.name, nil); msg != "" {
			fails[h.name] = append(fails[h.name], h.name+": "+msg)
		}
	}
	var failed []string
	n := 0
	for name, fs := range fails {
		failed = append(failed, name)
		n += len(fs)
	}
	sort.Strings(failed)
	for _, name := range failed {
		t.Errorf("%d of %d overloads fail, e.g. %s", len(fails[name]), total[name], fails[name][0])
	}
	if n > 0 {
		t.Logf("%d of %d overloads fail", n, len(sigs)+len(higherOld226))
	}
}

// oldSig is one overload of the old table: a function's name, result,
// arguments, which of them must be data, and the kind of the name
// (density, cdf, ccdf, rng, or empty).
type oldSig struct {
	name, kind string
	ret        types.Type
	args       []types.Type
	data       []bool
}

// promoted is the overload with an int in place of every real (the
// same array dimensions), or false when it has no real argument.
func (s oldSig) promoted() (oldSig, bool) {
	p := s
	p.args = slices.Clone(s.args)
	ok := false
	for i, a := range p.args {
		if a.Kind == types.Real {
			p.args[i] = types.Array(types.IntT, a.Dims)
			ok = true
		}
	}
	return p, ok
}

// oldDecl declares name of type t in the old syntax, sizes 2.
func oldDecl(t types.Type, name string) string {
	var base string
	switch t.Kind {
	case types.Int:
		base = "int"
	case types.Real:
		base = "real"
	case types.Vector:
		base = "vector[2]"
	case types.RowVector:
		base = "row_vector[2]"
	case types.Matrix:
		base = "matrix[2, 2]"
	default:
		panic(t.String())
	}
	if t.Dims == 0 {
		return base + " " + name + ";"
	}
	return base + " " + name + "[" + strings.TrimSuffix(strings.Repeat("2, ", t.Dims), ", ") + "];"
}

// program writes the program that calls s in every block it may be
// called in. names are the table's functions, to tell whether a _log
// density is a family's only density.
func (s oldSig) program(names map[string]bool) string {
	var b strings.Builder
	b.WriteString("data {\n")
	for i, a := range s.args {
		fmt.Fprintf(&b, "  %s\n", oldDecl(a, fmt.Sprintf("d%d", i)))
	}
	b.WriteString("}\n")
	var pb strings.Builder
	pb.WriteString("parameters {\n")
	param := make([]bool, len(s.args))
	for i, a := range s.args {
		if a.Kind != types.Int && !s.data[i] {
			param[i] = true
			fmt.Fprintf(&pb, "  %s\n", oldDecl(a, fmt.Sprintf("p%d", i)))
		}
	}
	pb.WriteString("  real y_p;\n}\n")
	args := func(params bool) []string {
		var as []string
		for i := range s.args {
			if params && param[i] {
				as = append(as, fmt.Sprintf("p%d", i))
			} else {
				as = append(as, fmt.Sprintf("d%d", i))
			}
		}
		return as
	}
	var calls []func(params bool) string
	for i := range s.calls(nil) {
		calls = append(calls, func(params bool) string { return s.calls(args(params))[i] })
	}
	local := func(call string) string {
		return fmt.Sprintf("  {\n    %s\n    r = %s;\n  }\n", oldDecl(s.ret, "r"), call)
	}
	b.WriteString("transformed data {\n")
	for _, c := range calls {
		b.WriteString(local(c(false)))
	}
	b.WriteString("}\n")
	b.WriteString(pb.String())
	if s.kind != "rng" {
		b.WriteString("transformed parameters {\n")
		for _, c := range calls {
			b.WriteString(local(c(true)))
		}
		b.WriteString("}\n")
	}
	b.WriteString("model {\n  y_p ~ normal(0, 1);\n")
	if s.kind != "rng" {
		for _, c := range calls {
			if s.kind == "" {
				b.WriteString(local(c(true)))
			} else {
				fmt.Fprintf(&b, "  target += %s;\n", c(true))
			}
		}
	}
	if family, ok := s.tildeFamily(names); ok {
		as := args(true)
		fmt.Fprintf(&b, "  %s ~ %s(%s);\n", as[0], family, strings.Join(as[1:], ", "))
	}
	b.WriteString("}\ngenerated quantities {\n")
	for _, c := range calls {
		b.WriteString(local(c(true)))
	}
	b.WriteString("}\n")
	return b.String()
}

// calls are the calls of s with arguments as: with the vertical bar
// for a density, CDF or CCDF whose name requires it, with both the bar
// and commas for a _cdf, else with commas, and with the operator an
// operator's overloads stand for. With nil arguments it only counts the
// forms.
func (s oldSig) calls(as []string) []string {
	comma := s.name + "(" + strings.Join(as, ", ") + ")"
	bar := comma
	if len(as) > 1 {
		bar = s.name + "(" + as[0] + " | " + strings.Join(as[1:], ", ") + ")"
	}
	switch {
	case strings.HasSuffix(s.name, "_lpdf"), strings.HasSuffix(s.name, "_lpmf"),
		strings.HasSuffix(s.name, "_lcdf"), strings.HasSuffix(s.name, "_lccdf"):
		return []string{bar}
	case strings.HasSuffix(s.name, "_cdf") && s.kind == "cdf":
		return []string{bar, comma}
	}
	calls := []string{comma}
	for _, op := range oldOperators[s.name] {
		switch {
		case as == nil:
			calls = append(calls, "")
		case op == "'":
			calls = append(calls, "("+as[0]+"')")
		case len(as) == 1:
			calls = append(calls, "("+op+as[0]+")")
		default:
			calls = append(calls, "("+as[0]+" "+op+" "+as[1]+")")
		}
	}
	return calls
}

// oldOperators are the operators whose overloads the old table listed
// under a function's name, as its checker looked them up.
var oldOperators = map[string][]string{
	"add": {"+"}, "subtract": {"-"}, "multiply": {"*"}, "divide": {"/"}, "mdivide_right": {"/"},
	"mdivide_left": {`\`}, "modulus": {"%"}, "elt_multiply": {".*"}, "elt_divide": {"./"},
	"pow": {"^", ".^"}, "logical_or": {"||"}, "logical_and": {"&&"}, "logical_eq": {"=="},
	"logical_neq": {"!="}, "logical_lt": {"<"}, "logical_lte": {"<="}, "logical_gt": {">"},
	"logical_gte": {">="}, "plus": {"+"}, "minus": {"-"}, "logical_negation": {"!"}, "transpose": {"'"},
}

// onePromoted writes a program that calls s in transformed data once for
// each real argument with an int (or int array) in its place and the
// others as they are, or returns false when s has no real argument or
// only one argument.
func (s oldSig) onePromoted() (string, bool) {
	var b strings.Builder
	b.WriteString("data {\n")
	for i, a := range s.args {
		fmt.Fprintf(&b, "  %s\n", oldDecl(a, fmt.Sprintf("d%d", i)))
		if a.Kind == types.Real {
			fmt.Fprintf(&b, "  %s\n", oldDecl(types.Array(types.IntT, a.Dims), fmt.Sprintf("i%d", i)))
		}
	}
	b.WriteString("}\ntransformed data {\n")
	n := 0
	for k, a := range s.args {
		if a.Kind != types.Real || len(s.args) < 2 {
			continue
		}
		var as []string
		for i := range s.args {
			if i == k {
				as = append(as, fmt.Sprintf("i%d", i))
			} else {
				as = append(as, fmt.Sprintf("d%d", i))
			}
		}
		for _, c := range s.calls(as) {
			n++
			fmt.Fprintf(&b, "  print(%s);\n", c)
		}
	}
	b.WriteString("}\n")
	return b.String(), n > 0
}

// tildeFamily is the family a ~ statement names to use s: a density
// ending in _lpdf or _lpmf, or in _log when the family has no other.
func (s oldSig) tildeFamily(names map[string]bool) (string, bool) {
	if s.kind != "density" {
		return "", false
	}
	for _, sfx := range []string{"_lpdf", "_lpmf"} {
		if f, ok := strings.CutSuffix(s.name, sfx); ok {
			return f, true
		}
	}
	f, ok := strings.CutSuffix(s.name, "_log")
	if ok && !names[f+"_lpdf"] && !names[f+"_lpmf"] {
		return f, true
	}
	return "", false
}

// checkOld parses and checks src; it returns the first error, or, when
// ret is not nil, a message if a call of name does not have type *ret.
func checkOld(src, name string, ret *types.Type) string {
	fset := token.NewFileSet()
	info, err := parseCheck(fset, "old.stan", []byte(src))
	if err != nil {
		return strings.SplitN(err.Error(), "\n", 2)[0]
	}
	if ret == nil {
		return ""
	}
	for x := range info.Calls {
		if x.Fun.Name == name && info.Types[x] != *ret {
			return fmt.Sprintf("returns %v, stanc3 %v", info.Types[x], *ret)
		}
	}
	return ""
}

// higherOld226 are the calls of the old table's higher-order functions,
// each in the old syntax with a function of the form it requires, with
// data and with parameters, with and without their controls (which Stan
// typed as reals then, the maximum number of steps too).
var higherOld226 = []struct{ name, src string }{
	{"algebra_solver", oldSolver("algebra_solver")},
	{"algebra_solver_newton", oldSolver("algebra_solver_newton")},
	{"integrate_ode", oldODE("integrate_ode", false)},
	{"integrate_ode_rk45", oldODE("integrate_ode_rk45", true)},
	{"integrate_ode_bdf", oldODE("integrate_ode_bdf", true)},
	{"integrate_ode_adams", oldODE("integrate_ode_adams", true)},
	{"integrate_1d", `functions {
  real integrand(real x, real xc, real[] theta, real[] x_r, int[] x_i) { return exp(-theta[1] * x); }
}
data { real a; real b; real theta_d[1]; real x_r[0]; int x_i[0]; real tol; }
transformed data { real r; r = integrate_1d(integrand, a, b, theta_d, x_r, x_i); r = integrate_1d(integrand, a, b, theta_d, x_r, x_i, tol); }
parameters { real theta[1]; real<lower=0> b_p; real y_p; }
transformed parameters { real q; q = integrate_1d(integrand, 0, b_p, theta, x_r, x_i); q = integrate_1d(integrand, 0.0, b_p, theta, x_r, x_i, 1e-8); }
model { y_p ~ normal(0, 1); }
generated quantities { real g; g = integrate_1d(integrand, a, b, theta, x_r, x_i, tol); }
`},
	{"map_rect", `functions {
  vector job(vector phi, vector theta, real[] x_r, int[] x_i) { return phi + theta; }
}
data { vector[2] phi_d; vector[2] theta_d[3]; real x_r[3, 0]; int x_i[3, 0]; }
transformed data { vector[6] r; r = map_rect(job, phi_d, theta_d, x_r, x_i); }
parameters { vector[2] phi; vector[2] theta[3]; real y_p; }
transformed parameters { vector[6] q; q = map_rect(job, phi, theta, x_r, x_i); }
model { y_p ~ normal(0, 1); target += sum(map_rect(job, phi, theta, x_r, x_i)); }
generated quantities { vector[6] g; g = map_rect(job, phi, theta_d, x_r, x_i); }
`},
	{"reduce_sum", oldReduceSum("reduce_sum")},
	{"reduce_sum_static", oldReduceSum("reduce_sum_static")},
	{"ode_rk45", oldVariadicODE("ode_rk45")},
	{"ode_bdf", oldVariadicODE("ode_bdf")},
	{"ode_adams", oldVariadicODE("ode_adams")},
	{"ode_ckrk", oldVariadicODE("ode_ckrk")},
	{"ode_rk45_tol", oldVariadicODE("ode_rk45_tol")},
	{"ode_bdf_tol", oldVariadicODE("ode_bdf_tol")},
	{"ode_adams_tol", oldVariadicODE("ode_adams_tol")},
	{"ode_ckrk_tol", oldVariadicODE("ode_ckrk_tol")},
	{"ode_adjoint_tol_ctl", oldVariadicODE("ode_adjoint_tol_ctl")},
}

func oldSolver(name string) string {
	return strings.ReplaceAll(`functions {
  vector system(vector y, vector theta, real[] x_r, int[] x_i) { return y - theta; }
}
data { vector[2] guess_d; vector[2] theta_d; real x_r[0]; int x_i[0]; real rel_tol; real f_tol; real max_steps; }
transformed data {
  vector[2] r;
  r = SOLVER(system, guess_d, theta_d, x_r, x_i);
  r = SOLVER(system, guess_d, theta_d, x_r, x_i, rel_tol, f_tol, max_steps);
}
parameters { vector[2] theta; real y_p; }
transformed parameters {
  vector[2] q;
  q = SOLVER(system, guess_d, theta, x_r, x_i);
  q = SOLVER(system, guess_d, theta, x_r, x_i, 1e-10, 1e-6, 1e3);
}
model { y_p ~ normal(0, 1); }
generated quantities { vector[2] g; g = SOLVER(system, guess_d, theta, x_r, x_i, rel_tol, f_tol, max_steps); }
`, "SOLVER", name)
}

// oldODE calls one of the integrate_ode functions; tols adds the form
// with controls.
func oldODE(name string, tols bool) string {
	ctl := ""
	if tols {
		ctl = `
  r = ODE(rhs, y0_d, t0, ts, theta_d, x_r, x_i, rel_tol, abs_tol, max_steps);
  q = ODE(rhs, y0, t0, ts, theta, x_r, x_i, 1e-6, 1e-6, 1e3);`
	}
	return strings.ReplaceAll(`functions {
  real[] rhs(real t, real[] y, real[] theta, real[] x_r, int[] x_i) {
    real dydt[2];
    dydt[1] = y[2];
    dydt[2] = -theta[1] * y[1];
    return dydt;
  }
}
data { real y0_d[2]; real t0; real ts[3]; real theta_d[1]; real x_r[0]; int x_i[0]; real rel_tol; real abs_tol; real max_steps; }
parameters { real y0[2]; real theta[1]; real t0_p; real ts_p[3]; real y_p; }
model {
  real r[3, 2];
  real q[3, 2];
  y_p ~ normal(0, 1);
  r = ODE(rhs, y0_d, t0, ts, theta_d, x_r, x_i);
  q = ODE(rhs, y0, t0, ts, theta, x_r, x_i);
  q = ODE(rhs, y0, t0_p, ts_p, theta, x_r, x_i);`+ctl+`
}
generated quantities { real g[3, 2]; g = ODE(rhs, y0, t0, ts, theta, x_r, x_i); }
`, "ODE", name)
}

func oldReduceSum(name string) string {
	return strings.ReplaceAll(`functions {
  real part_real(real[] slice, int start, int end, real mu) { return normal_lpdf(slice | mu, 1); }
  real part_int(int[] slice, int start, int end, vector lambda) { return poisson_lpmf(slice | lambda[start:end]); }
  real part_vec(vector[] slice, int start, int end, matrix L) { return multi_normal_cholesky_lpdf(slice | rep_vector(0, 2), L); }
}
data { int N; real y[N]; int k[N]; vector[2] v[N]; matrix[2, 2] L; int grainsize; }
parameters { real mu; vector<lower=0>[N] lambda; real y_p; }
model {
  y_p ~ normal(0, 1);
  target += RS(part_real, y, grainsize, mu);
  target += RS(part_int, k, 1, lambda);
  target += RS(part_vec, v, grainsize, L);
}
generated quantities { real g; g = RS(part_real, y, grainsize, mu); }
`, "RS", name)
}

// oldVariadicODE calls one of the ODE solvers of Stan 2.24 on, which
// pass their trailing arguments to the system.
func oldVariadicODE(name string) string {
	ctl := ""
	switch {
	case name == "ode_adjoint_tol_ctl":
		ctl = "rel_tol, abs_tol_v, rel_tol, abs_tol_v, rel_tol, abs_tol, max_steps, 150, 1, 2, 2, "
	case strings.HasSuffix(name, "_tol"):
		ctl = "rel_tol, abs_tol, max_steps, "
	}
	return strings.ReplaceAll(strings.ReplaceAll(`functions {
  vector rhs(real t, vector y, real theta, real[] x) { return -theta * y; }
}
data { vector[2] y0_d; real t0; real ts[3]; real theta_d; real x[1]; real rel_tol; real abs_tol; vector[2] abs_tol_v; int max_steps; }
transformed data { vector[2] r[3]; r = ODE(rhs, y0_d, t0, ts, CTLtheta_d, x); }
parameters { vector[2] y0; real theta; real y_p; }
transformed parameters { vector[2] q[3]; q = ODE(rhs, y0, t0, ts, CTLtheta, x); }
model { y_p ~ normal(0, 1); }
generated quantities { vector[2] g[3]; g = ODE(rhs, y0, t0, ts, CTLtheta, x); }
`, "ODE", name), "CTL", ctl)
}
