package compile

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/parser"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// compileSource parses, checks and compiles a program. It reports a
// program the checker rejects separately: the walk below must only
// generate programs the checker accepts.
func compileSource(src string) (p *Program, checkErr, compileErr error) {
	fset := token.NewFileSet()
	prog, err := parser.ParseFile(fset, "walk.stan", []byte(src), nil)
	if err != nil {
		return nil, err, nil
	}
	info, err := check.Check(fset, prog)
	if err != nil {
		return nil, err, nil
	}
	p, err = Compile(fset, prog, info)
	return p, nil, err
}

// smokeRun binds data of fixed values to a compiled walk program (whose
// sizes are literals) and evaluates its log density, gradient and outputs
// once in each of two models made from p, on two goroutines, so that the
// race detector (in CI) sees any state the models share. Errors, such as a
// domain error for a value out of a function's domain, are expected; a
// panic is a bug, which it returns.
func smokeRun(p *Program) (bug error) {
	data, ok := smokeData(p)
	if !ok {
		return nil
	}
	var bugs [2]error
	var wg sync.WaitGroup
	for i := range bugs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bugs[i] = smokeEval(p, data)
		}()
	}
	wg.Wait()
	return errors.Join(bugs[:]...)
}

// smokeData makes data of fixed values for a walk program, or reports
// that it has complex data, which the walk does not bind.
func smokeData(p *Program) (model.Data, bool) {
	data := model.Data{}
	for _, dv := range p.data {
		t := dv.v.Type
		if isComplex(t.Kind) {
			return nil, false
		}
		dims := dv.dims(nil, nil)
		val := &model.Value{Dims: dims, Int: t.Kind == types.Int}
		n := size(dims)
		val.Elems = make([]float64, n)
		for k := range val.Elems {
			switch {
			case val.Int:
				val.Elems[k] = 1
			case t.Kind == types.Matrix:
				// Row-major 2×2 blocks of [[1, 0.2], [0.2, 1]], positive
				// definite and a correlation matrix.
				val.Elems[k] = [4]float64{1, 0.2, 0.2, 1}[k%4]
			default:
				val.Elems[k] = 0.5
			}
		}
		data[dv.name] = val
	}
	return data, true
}

// smokeEval makes a model and evaluates it once at a fixed point.
func smokeEval(p *Program, data model.Data) (bug error) {
	defer func() {
		if r := recover(); r != nil {
			bug = fmt.Errorf("panics: %v", r)
		}
	}()
	m, err := p.NewModel(data, 1)
	if err != nil {
		return fmt.Errorf("the data do not bind: %v", err)
	}
	x := make([]float64, m.Dim())
	for i := range x {
		x[i] = 0.1 * float64(i%7-2)
	}
	m.LogDensity(x, make([]float64, len(x)))
	m.Write(x, rand.New(rand.NewPCG(1, 1)), make([]float64, len(m.Names())))
	return nil
}

// declType writes a declaration's type with small sizes.
func declType(t types.Type) string {
	var base string
	switch t.Kind {
	case types.Vector, types.RowVector, types.ComplexVector, types.ComplexRowVector:
		base = t.Kind.String() + "[2]"
	case types.Matrix, types.ComplexMatrix:
		base = t.Kind.String() + "[2, 2]"
	default:
		base = t.Kind.String()
	}
	if t.Dims == 0 {
		return base
	}
	return "array[" + strings.TrimSuffix(strings.Repeat("2, ", t.Dims), ", ") + "] " + base
}

// operatorSyntax writes the operators of the operator table as Stan
// writes them; the walk compiles them both as operators and as calls.
var operatorSyntax = map[string]string{
	"add": "+", "subtract": "-", "multiply": "*", "divide": "/", "modulus": "%", "%/%": "%/%",
	`\`: `\`, "elt_multiply": ".*", "elt_divide": "./", "pow": "^", ".^": ".^",
	"logical_eq": "==", "logical_neq": "!=", "logical_lt": "<", "logical_lte": "<=", "logical_gt": ">",
	"logical_gte": ">=", "logical_and": "&&", "logical_or": "||",
	"minus": "-", "plus": "+", "logical_negation": "!",
}

// walkProgram writes a program that uses sig of name in an expression:
// its arguments are data, or, when params is set, parameters wherever
// their type allows.
func walkProgram(name string, sig types.Signature, params bool, form string) string {
	data, pars, call := walkCall(name, sig, params, form)
	block := "model"
	switch {
	case strings.HasSuffix(name, "_rng"):
		block = "generated quantities"
	case strings.HasSuffix(name, "_jacobian"):
		block = "transformed parameters"
	}
	return fmt.Sprintf("data {\n%s}\nparameters {\n%s}\n%s {\n  print(%s);\n}\n", data, pars, block, call)
}

// walkCall writes the declarations of a walk program's data and
// parameters, and its call of sig of name.
func walkCall(name string, sig types.Signature, params bool, form string) (dataDecls, parDecls, call string) {
	var data, pars strings.Builder
	args := make([]string, len(sig.Args))
	for i, a := range sig.Args {
		args[i] = validArg(name, sig, i, fmt.Sprintf("a%d", i+1))
		decl := fmt.Sprintf("  %s a%d;\n", declType(a), i+1)
		if params && a.Kind != types.Int && a.Kind != types.Complex && a.Kind != types.ComplexVector &&
			a.Kind != types.ComplexRowVector && a.Kind != types.ComplexMatrix && !slices.Contains(check.DataArgs(name), i) {
			pars.WriteString(decl)
		} else {
			data.WriteString(decl)
		}
	}
	switch {
	case form == "op" && len(args) == 2:
		call = fmt.Sprintf("(%s %s %s)", args[0], operatorSyntax[name], args[1])
	case form == "op" && len(args) == 1:
		call = fmt.Sprintf("(%s%s)", operatorSyntax[name], args[0])
	case isDensitySuffix(name) && len(args) > 1:
		call = fmt.Sprintf("%s(%s | %s)", name, args[0], strings.Join(args[1:], ", "))
	default:
		call = fmt.Sprintf("%s(%s)", name, strings.Join(args, ", "))
	}
	return data.String(), pars.String(), call
}

func isDensitySuffix(name string) bool {
	for _, s := range []string{"_lpdf", "_lupdf", "_lpmf", "_lupmf", "_cdf", "_lcdf", "_lccdf"} {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// tildeProgram writes y ~ family(...) for a density's signature, with an
// optional truncation T[lo, hi] (lo or hi may be "").
func tildeProgram(family string, sig types.Signature, params bool, lo, hi string) string {
	var data, pars strings.Builder
	args := make([]string, len(sig.Args))
	for i, a := range sig.Args {
		args[i] = validArg(family, sig, i, fmt.Sprintf("a%d", i+1))
		decl := fmt.Sprintf("  %s a%d;\n", declType(a), i+1)
		if params && a.Kind != types.Int {
			pars.WriteString(decl)
		} else {
			data.WriteString(decl)
		}
	}
	bt := "real"
	if sig.Args[0].Kind == types.Int {
		bt = "int"
	}
	data.WriteString("  " + bt + " lo;\n  " + bt + " hi;\n")
	trunc := ""
	if lo != "" || hi != "" {
		trunc = fmt.Sprintf(" T[%s, %s]", lo, hi)
	}
	return fmt.Sprintf("data {\n%s}\nparameters {\n%s}\nmodel {\n  %s ~ %s(%s)%s;\n}\n",
		data.String(), pars.String(), args[0], family, strings.Join(args[1:], ", "), trunc)
}

// walkResult collects what failed to compile, by function.
type walkResult struct {
	fails    map[string][]string // name -> failing forms
	checked  int
	graded   int             // programs whose gradient was checked (fdCheck)
	points   int             // points at which it was
	ungraded map[string]bool // names none of whose programs was: no point had a finite density
}

// try compiles src and, when run is set, runs it once (smokeRun); when
// grad is set, it checks its gradient against finite differences
// (fdCheck), at points of kinks when the function has kinks at the smoke
// point.
func (w *walkResult) try(t *testing.T, key, what, src string, run, grad, kinks bool) {
	w.checked++
	p, cerr, err := compileSource(src)
	if cerr != nil {
		t.Errorf("%s: the walk wrote a program the checker rejects: %v\n%s", what, firstLine(cerr), src)
		return
	}
	if err != nil {
		w.fails[key] = append(w.fails[key], what+": "+firstLine(err))
		return
	}
	if run {
		if bug := smokeRun(p); bug != nil {
			t.Errorf("%s %v\n%s", what, bug, src)
		}
	}
	if grad {
		n, bug := fdCheck(p, kinks)
		if bug != nil {
			t.Errorf("%s: gradient: %v\n%s", what, bug, src)
		}
		if n > 0 {
			w.graded++
			w.points += n
		}
		if _, ok := w.ungraded[key]; !ok || n > 0 {
			w.ungraded[key] = n == 0
		}
	}
}

// TestStdlibCompiles walks the checker's standard library: for every
// function and every overload it compiles a call with data arguments and
// with parameter arguments; for every operator, the operator too; for
// every distribution, ~ statements, truncated when the family has CDFs;
// and the higher-order functions of walkExtras. It runs each program once
// (smokeRun): no call may panic. Where the arguments are parameters and
// the value is real, it compares the gradient of the log density with
// finite differences (gradProgram, fdCheck).
func TestStdlibCompiles(t *testing.T) {
	lib := types.NewLibrary()
	w := &walkResult{fails: map[string][]string{}, ungraded: map[string]bool{}}
	for _, name := range lib.Names() {
		seen := map[string]bool{}
		for _, sig := range lib.Signatures(name) {
			if seen[sig.String()] {
				continue
			}
			seen[sig.String()] = true
			var forms []string
			if types.Callable(name) {
				forms = append(forms, "call")
			}
			if _, ok := operatorSyntax[name]; ok && len(sig.Args) >= 1 && len(sig.Args) <= 2 {
				forms = append(forms, "op")
			}
			for _, form := range forms {
				for _, params := range []bool{false, true} {
					what := fmt.Sprintf("%s %s%v params=%v", form, name, sig, params)
					key := name
					if form == "op" {
						key = "op:" + name
					}
					// With parameters, a call whose value carries a
					// gradient goes into target instead of print, and
					// its gradient is checked.
					if src := gradProgram(name, sig, form); params && src != "" {
						w.try(t, key, what, src, true, true, kinkAtZero[name])
						continue
					}
					w.try(t, key, what, walkProgram(name, sig, params, form), true, false, false)
				}
			}
			// ~ statements and truncation.
			for _, suffix := range []string{"_lpdf", "_lpmf"} {
				family, ok := strings.CutSuffix(name, suffix)
				if !ok {
					continue
				}
				// Only ints (discrete_range, hypergeometric): no gradient.
				hasReal := slices.ContainsFunc(sig.Args, func(a types.Type) bool { return a.Kind != types.Int })
				for _, params := range []bool{false, true} {
					what := fmt.Sprintf("%s ~ %s%v params=%v", name, family, sig, params)
					w.try(t, "~"+family, what, tildeProgram(family, sig, params, "", ""), true, params && hasReal, false)
					if !sig.Args[0].IsScalar() || !lib.Has(family+"_lcdf") {
						continue
					}
					for _, b := range [][2]string{{"lo", "hi"}, {"lo", ""}, {"", "hi"}} {
						what := fmt.Sprintf("%s ~ %s%v T[%s,%s] params=%v", name, family, sig, b[0], b[1], params)
						w.try(t, "T~"+family, what, tildeProgram(family, sig, params, b[0], b[1]), true, params && hasReal, false)
					}
				}
			}
		}
	}
	for _, x := range walkExtras {
		w.try(t, x.key, x.key, x.src, true, false, false)
	}
	var keys []string
	for k := range w.fails {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := stillUnsupported[k]; !ok {
			t.Errorf("%s does not compile (%d forms), e.g. %s", k, len(w.fails[k]), w.fails[k][0])
		}
	}
	for k := range stillUnsupported {
		if len(w.fails[k]) == 0 {
			t.Errorf("%s compiles now: take it off stillUnsupported", k)
		}
	}
	var ungraded []string
	for k, u := range w.ungraded {
		if u {
			ungraded = append(ungraded, k)
		}
	}
	sort.Strings(ungraded)
	t.Logf("%d programs compiled, %d names allowed to fail; %d gradients checked against finite differences at %d points",
		w.checked, len(stillUnsupported), w.graded, w.points)
	if len(ungraded) > 0 {
		// validArg gives such a name's arguments points where it is finite.
		t.Errorf("no gradient of %d names checked (no point with a finite density): %v", len(ungraded), ungraded)
	}
	if path := os.Getenv("GOSTAN_WALK_DUMP"); path != "" {
		var b strings.Builder
		for _, k := range keys {
			for _, f := range w.fails[k] {
				fmt.Fprintf(&b, "%s\t%s\n", k, f)
			}
		}
		os.WriteFile(path, []byte(b.String()), 0o644)
	}
}

// stillUnsupported lists what the checker accepts and compile does not,
// with the reason: a call's name, op:name for an operator, ~family for a
// ~ statement, T~family for a truncated one, or a walkExtras key. It is
// empty: everything the walk reaches compiles. (Outside the walk, compile
// still rejects the networks block, the deep PPL extension.)
var stillUnsupported = map[string]string{}

// walkExtras are programs for what the library table does not list: the
// higher-order functions, whose first argument is a user-defined
// function, the functions typed by the checker's genericCall, and
// truncation of user-defined families.
var walkExtras = []struct{ key, src string }{
	{"append_array", `data { array[2] int i; array[2] real r; array[2, 3] real rr; array[2] vector[3] v; array[1] matrix[2, 2] m; }
parameters { array[2] real p; array[1] vector[3] pv; }
model { print(append_array(i, i), append_array(i, r), append_array(r, i), append_array(rr, rr), append_array(v, pv), append_array(m, m), append_array(p, r)); }`},
	{"rep_array", `data { int n; vector[2] v; }
parameters { real p; }
model { print(rep_array(1, n), rep_array(p, n, 2), rep_array(v, 2, 2, n)); }`},
	{"integrate_ode", walkODEOld("integrate_ode")},
	{"integrate_ode_rk45", walkODEOld("integrate_ode_rk45")},
	{"integrate_ode_bdf", walkODEOld("integrate_ode_bdf")},
	{"integrate_ode_adams", walkODEOld("integrate_ode_adams")},
	{"ode_rk45", walkODE("ode_rk45", "")},
	{"ode_bdf", walkODE("ode_bdf", "")},
	{"ode_adams", walkODE("ode_adams", "")},
	{"ode_ckrk", walkODE("ode_ckrk", "")},
	{"ode_rk45_tol", walkODE("ode_rk45_tol", "1e-8, 1e-8, 100000, ")},
	{"ode_bdf_tol", walkODE("ode_bdf_tol", "1e-8, 1e-8, 100000, ")},
	{"ode_adams_tol", walkODE("ode_adams_tol", "1e-8, 1e-8, 100000, ")},
	{"ode_ckrk_tol", walkODE("ode_ckrk_tol", "1e-8, 1e-8, 100000, ")},
	{"algebra_solver", `functions {
  vector f(vector y, vector th, array[] real xr, array[] int xi) { return y - th; }
}
transformed data { array[0] real xr; array[0] int xi; }
parameters { vector[2] th; }
model { print(algebra_solver(f, [1, 1]', th, xr, xi), algebra_solver(f, [1, 1]', th, xr, xi, 1e-10, 1e-6, 1000)); }`},
	{"algebra_solver_newton", `functions {
  vector f(vector y, vector th, array[] real xr, array[] int xi) { return y - th; }
}
transformed data { array[0] real xr; array[0] int xi; }
parameters { vector[2] th; }
model { print(algebra_solver_newton(f, [1, 1]', th, xr, xi), algebra_solver_newton(f, [1, 1]', th, xr, xi, 1e-10, 1e-6, 1000)); }`},
	{"solve_newton", `functions {
  vector f(vector y, real a, vector b) { return y - a * b; }
}
parameters { real a; vector[2] b; }
model { print(solve_newton(f, [1, 1]', a, b)); }`},
	{"solve_powell", `functions {
  vector f(vector y, real a, vector b) { return y - a * b; }
}
parameters { real a; vector[2] b; }
model { print(solve_powell(f, [1, 1]', a, b)); }`},
	{"map_rect", `functions {
  vector f(vector phi, vector th, data array[] real xr, data array[] int xi) { return phi[1] * th * xr[1] * xi[1]; }
}
transformed data { array[3, 1] real xr = {{1.0}, {2.0}, {3.0}}; array[3, 1] int xi = {{1}, {2}, {3}}; }
parameters { vector[1] phi; array[3] vector[2] th; }
model { print(map_rect(f, phi, th, xr, xi)); }`},
	{"reduce_sum", `functions {
  real part(array[] real x, int start, int end, real mu, vector s) { return normal_lpdf(x | mu, s[1]); }
}
data { array[5] real x; }
parameters { real mu; vector<lower=0>[1] s; }
model { target += reduce_sum(part, x, 2, mu, s); }`},
	{"reduce_sum_static", `functions {
  real part(array[] vector x, int start, int end, real mu) { return normal_lpdf(x[1] | mu, 1) * (end - start + 1); }
}
data { array[5] vector[2] x; }
parameters { real mu; }
model { target += reduce_sum_static(part, x, 1, mu); }`},
	{"integrate_1d", `functions {
  real g(real x, real xc, array[] real th, array[] real xr, array[] int xi) { return exp(-th[1] * x * x); }
}
transformed data { array[0] real xr; array[0] int xi; }
parameters { real<lower=0> a; }
model { print(integrate_1d(g, 0, 1, {a}, xr, xi), integrate_1d(g, negative_infinity(), positive_infinity(), {a}, xr, xi, 1e-8)); }`},
	{"T~user", `functions {
  real foo_lpdf(real y, real mu) { return normal_lpdf(y | mu, 1); }
  real foo_lcdf(real y, real mu) { return normal_lcdf(y | mu, 1); }
  real foo_lccdf(real y, real mu) { return normal_lccdf(y | mu, 1); }
}
parameters { real<lower=0, upper=1> y; real mu; }
model { y ~ foo(mu) T[0, 1]; y ~ foo(mu) T[0, ]; y ~ foo(mu) T[, 1]; }`},
}

// walkODEOld calls a solver of the old interface.
func walkODEOld(name string) string {
	return `functions {
  array[] real f(real t, array[] real y, array[] real th, array[] real xr, array[] int xi) { return {-th[1] * y[1]}; }
}
transformed data { array[0] real xr; array[0] int xi; }
parameters { real k; }
model { print(` + name + `(f, {1.0}, 0, {1.0, 2.0}, {k}, xr, xi)); }`
}

// walkODE calls a solver of the variadic interface with tol (its
// tolerances and steps, or "") and arguments of every kind.
func walkODE(name, tol string) string {
	return `functions {
  vector f(real t, vector y, real a, vector b, array[] real c, matrix m, array[] int k, data real d) {
    return -a * y + b * c[1] + m * y * k[1] * d;
  }
}
data { array[2] real ts; }
parameters { real a; vector[2] b; array[2] real c; matrix[2, 2] m; vector[2] y0; }
model { print(` + name + `(f, y0, 0, ts, ` + tol + `a, b, c, m, {1, 2}, 0.5)); }`
}
