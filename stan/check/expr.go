package check

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/printer"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

var invalid = types.Type{}

// expr returns the type of x and records it; an ill-typed expression is
// reported once and has the invalid type, which silences errors about the
// expressions built on it.
func (c *checker) expr(x ast.Expr) types.Type {
	t := c.exprType(x)
	c.info.Types[x] = t
	return t
}

func (c *checker) exprType(x ast.Expr) types.Type {
	switch x := x.(type) {
	case *ast.BasicLit:
		switch x.Kind {
		case token.INT:
			// Stan's int is 32 bits wide.
			if v, err := strconv.ParseInt(strings.ReplaceAll(x.Value, "_", ""), 10, 64); err != nil || v > math.MaxInt32 {
				c.errorf(x.Pos(), "integer literal %s is too large: ints cannot be larger than 2147483647", x.Value)
				return invalid
			}
			return types.IntT
		case token.REAL:
			return types.RealT
		case token.IMAG:
			return types.ComplexT
		}
		c.errorf(x.Pos(), "string literals can only be arguments of print, reject and fatal_error")
		return invalid
	case *ast.Ident:
		v := c.lookup(x.Name)
		if v == nil {
			switch {
			case len(c.info.Funcs[x.Name]) > 0 || c.lib.Has(x.Name):
				c.errorf(x.Pos(), "function '%s' is used as a variable: call it with (...)", x.Name)
			default:
				c.errorf(x.Pos(), "identifier '%s' not in scope", x.Name)
			}
			return invalid
		}
		c.info.Uses[x] = v
		if c.guide != nil {
			c.guide.read(x, v)
		}
		return v.Type
	case *ast.ParenExpr:
		return c.expr(x.X)
	case *ast.TupleExpr:
		return c.tupleLit(x)
	case *ast.TupleIndexExpr:
		return c.tupleIndex(x)
	case *ast.BinaryExpr:
		return c.binary(x)
	case *ast.UnaryExpr:
		name := map[token.Kind]string{token.SUB: "minus", token.ADD: "plus", token.NOT: "logical_negation"}[x.Op]
		t := c.expr(x.X)
		if t.Kind == types.Invalid {
			return invalid
		}
		sig, err := types.Stdlib().Resolve(name, []types.Type{t})
		if err != nil {
			c.errorf(x.OpPos, "ill-typed argument supplied to prefix operator %s: found %v", x.Op, t)
			return invalid
		}
		return sig.Ret
	case *ast.PostfixExpr:
		t := c.expr(x.X)
		if t.Kind == types.Invalid {
			return invalid
		}
		sig, err := types.Stdlib().Resolve("transpose", []types.Type{t})
		if err != nil {
			c.errorf(x.Pos(), "the transpose operator ' needs a vector, row_vector or matrix, found %v", t)
			return invalid
		}
		return sig.Ret
	case *ast.CondExpr:
		// Unlike if and while, ? : needs an int condition (Reference
		// Manual, "Conditional operator").
		if t := c.expr(x.Cond); t != types.IntT && t.Kind != types.Invalid {
			c.errorf(x.Cond.Pos(), "ill-typed arguments supplied to ? : operator: the condition must be of type int, found %v", t)
		}
		a, b := c.expr(x.Then), c.expr(x.Else)
		if a.Kind == types.Invalid || b.Kind == types.Invalid {
			return invalid
		}
		if t, ok := common(a, b); ok {
			return t
		}
		c.errorf(x.Pos(), "the branches of a conditional expression have different types: %v and %v", a, b)
		return invalid
	case *ast.CallExpr:
		return c.call(x, false)
	case *ast.IndexExpr:
		return c.index(x)
	case *ast.SliceExpr:
		c.errorf(x.Pos(), "a range lo:hi can only be an index")
		return invalid
	case *ast.ArrayExpr:
		var elem types.Type
		for i, e := range x.Elems {
			t := c.expr(e)
			if t.Kind == types.Invalid {
				return invalid
			}
			if i == 0 {
				elem = t
				continue
			}
			ct, ok := common(elem, t)
			if !ok {
				c.errorf(e.Pos(), "array expression elements must have the same type: found %v and %v", elem, t)
				return invalid
			}
			elem = ct
		}
		return types.Array(elem, 1)
	case *ast.RowVectorExpr:
		ts := make([]types.Type, len(x.Elems))
		for i, e := range x.Elems {
			if ts[i] = c.expr(e); ts[i].Kind == types.Invalid {
				return invalid
			}
		}
		// As in stanc3, the first element decides: row vectors make a
		// matrix, scalars a row vector; the first element that does not
		// fit is the error.
		isRow := func(t types.Type) bool {
			return t.Dims == 0 && (t.Kind == types.RowVector || t.Kind == types.ComplexRowVector)
		}
		rows := len(ts) > 0 && isRow(ts[0])
		complex := false
		for i, t := range ts {
			if rows && !isRow(t) || !rows && !t.IsScalar() {
				c.errorf(x.Elems[i].Pos(), "a row vector expression [...] needs scalars (making a row_vector) or row vectors (making a matrix), found %v", t)
				return invalid
			}
			complex = complex || isComplexKind(t.Kind)
		}
		switch {
		case rows && complex:
			return types.Type{Kind: types.ComplexMatrix}
		case rows:
			return types.MatrixT
		case complex:
			return types.Type{Kind: types.ComplexRowVector}
		}
		return types.RowVectorT
	}
	return invalid
}

var binaryNames = map[token.Kind]string{
	token.ADD: "add", token.SUB: "subtract", token.MUL: "multiply", token.QUO: "divide",
	token.REM: "modulus", token.IDIV: "%/%", token.LDIV: `\`, token.POW: "pow",
	token.ELTMUL: "elt_multiply", token.ELTDIV: "elt_divide", token.ELTPOW: ".^",
	token.EQL: "logical_eq", token.NEQ: "logical_neq", token.LSS: "logical_lt", token.LEQ: "logical_lte",
	token.GTR: "logical_gt", token.GEQ: "logical_gte", token.LAND: "logical_and", token.LOR: "logical_or",
}

func (c *checker) binary(x *ast.BinaryExpr) types.Type {
	a, b := c.expr(x.X), c.expr(x.Y)
	if a.Kind == types.Invalid || b.Kind == types.Invalid {
		return invalid
	}
	name := binaryNames[x.Op]
	if x.Op == token.POW && !(a.IsScalar() && b.IsScalar()) {
		name = "pow" // vectorised pow overloads live under the function's name
	}
	if x.Op == token.QUO && a == types.IntT && b == types.IntT {
		c.intDivision(x)
	}
	std := types.Stdlib()
	sig, err := std.Resolve(name, []types.Type{a, b})
	if err != nil && x.Op == token.QUO {
		// stanc3's / is divide or else mdivide_right; /= is divide alone.
		sig, err = std.Resolve("mdivide_right", []types.Type{a, b})
	}
	if err != nil {
		c.errorf(x.Pos(), "ill-typed arguments supplied to infix operator %s: left operand has type %v and right operand has type %v", x.Op, a, b)
		return invalid
	}
	return sig.Ret
}

// intDivision warns of int / int, which rounds toward zero, as stanc3
// does, with its rewriting as a real division: a literal operand made
// real, else the left multiplied by 1.0.
func (c *checker) intDivision(x *ast.BinaryExpr) {
	l, r := printer.ExprString(x.X), printer.ExprString(x.Y)
	var hint string
	if lit, ok := x.X.(*ast.BasicLit); ok && lit.Kind == token.INT {
		hint = l + ".0 / " + r
	} else if lit, ok := x.Y.(*ast.BasicLit); ok && lit.Kind == token.INT {
		hint = l + " / " + r + ".0"
	} else {
		hint = l + " * 1.0 / " + r
	}
	c.warnf(x.Pos(), "Found int division:\n    %s\nValues will be rounded towards zero. If rounding is not desired you can write the division as\n    %s\nIf rounding is intended please use the integer division operator %%/%%.",
		printer.ExprString(x), hint)
}

// ---- indexing ----

// index types x[i, ...]: a single index removes a dimension, a multiple
// index (an int array or a range) keeps it.
func (c *checker) index(x *ast.IndexExpr) types.Type {
	t := c.expr(x.X)
	multi := make([]bool, len(x.Indices))
	ok := true
	for i, ix := range x.Indices {
		if s, isSlice := ix.(*ast.SliceExpr); isSlice {
			multi[i] = true
			for _, b := range []ast.Expr{s.Lo, s.Hi} {
				if b == nil {
					continue
				}
				if bt := c.expr(b); bt != types.IntT && bt.Kind != types.Invalid {
					c.errorf(b.Pos(), "range bounds must be of type int, found %v", bt)
					ok = false
				}
			}
			c.info.Types[ix] = types.Array(types.IntT, 1)
			continue
		}
		switch it := c.expr(ix); it {
		case types.IntT:
		case types.Array(types.IntT, 1):
			multi[i] = true
		default:
			if it.Kind != types.Invalid {
				c.errorf(ix.Pos(), "an index must be of type int or array[] int, or a range, found %v", it)
			}
			ok = false
		}
	}
	if t.Kind == types.Invalid || !ok {
		return invalid
	}
	r, err := IndexType(t, multi)
	if err != "" {
		c.errorf(x.Pos(), "%s", err)
		return invalid
	}
	return r
}

// IndexType is the type of a value of type t indexed by len(multi)
// indices, multi[i] telling whether index i is multiple. It returns an
// error message for too many indices.
func IndexType(t types.Type, multi []bool) (types.Type, string) {
	inner := 0
	switch t.Kind {
	case types.Vector, types.RowVector, types.ComplexVector, types.ComplexRowVector:
		inner = 1
	case types.Matrix, types.ComplexMatrix:
		inner = 2
	}
	if len(multi) > t.Dims+inner {
		return invalid, "too many indexes for a value of type " + t.String()
	}
	if t.Kind == types.Tuple {
		dims := t.Dims - len(multi)
		for _, m := range multi {
			if m {
				dims++
			}
		}
		el := t
		for el.Dims > 0 {
			el = el.Elem()
		}
		return types.Array(el, dims), ""
	}
	dims := 0
	for i := 0; i < min(len(multi), t.Dims); i++ {
		if multi[i] {
			dims++
		}
	}
	dims += t.Dims - min(len(multi), t.Dims)
	rest := multi[min(len(multi), t.Dims):]
	kind := t.Kind
	complexK := t.Kind == types.ComplexVector || t.Kind == types.ComplexRowVector || t.Kind == types.ComplexMatrix
	scalar, vec, row, mat := types.Real, types.Vector, types.RowVector, types.Matrix
	if complexK {
		scalar, vec, row, mat = types.Complex, types.ComplexVector, types.ComplexRowVector, types.ComplexMatrix
	}
	switch inner {
	case 1:
		if len(rest) == 1 && !rest[0] {
			kind = scalar
		}
	case 2:
		switch {
		case len(rest) == 0:
		case len(rest) == 1 && !rest[0]:
			kind = row
		case len(rest) == 1:
			kind = mat
		case !rest[0] && !rest[1]:
			kind = scalar
		case !rest[0]:
			kind = row
		case !rest[1]:
			kind = vec
		default:
			kind = mat
		}
	}
	return types.Type{Kind: kind, Dims: dims}, ""
}

// ---- calls ----

// higherOrder are the higher-order functions: their first argument names
// a user-defined function, which must fit the form of arguments each
// requires (see higherForm).
var higherOrder = map[string]higherKind{
	"integrate_ode": odeOld, "integrate_ode_rk45": odeOld, "integrate_ode_bdf": odeOld, "integrate_ode_adams": odeOld,
	"ode_rk45": odeVariadic, "ode_bdf": odeVariadic, "ode_adams": odeVariadic, "ode_ckrk": odeVariadic,
	"dae": daeVariadic, "dae_tol": daeTol, "ode_adjoint_tol_ctl": odeAdjoint,
	"ode_rk45_tol": odeTol, "ode_bdf_tol": odeTol, "ode_adams_tol": odeTol, "ode_ckrk_tol": odeTol,
	"algebra_solver": algebraOld, "algebra_solver_newton": algebraOld,
	"solve_newton": solveVariadic, "solve_powell": solveVariadic,
	"solve_newton_tol": solveTol, "solve_powell_tol": solveTol,
	"map_rect": mapRect, "reduce_sum": reduceSum, "reduce_sum_static": reduceSum,
	"integrate_1d":               integrate1d,
	"integrate_1d_gauss_kronrod": integrateVariadic, "integrate_1d_double_exponential": integrateVariadic,
	"integrate_1d_gauss_kronrod_tol": integrateTol, "integrate_1d_double_exponential_tol": integrateTol,
}

func (c *checker) call(x *ast.CallExpr, stmt bool) types.Type {
	name := x.Fun.Name
	if kind, ok := higherOrder[name]; ok {
		return c.higherOrderCall(x, kind)
	}
	if IsLaplace(name) {
		return c.laplaceCall(x)
	}
	if c.info.Nets[name] != nil {
		for _, a := range x.Args {
			c.expr(a)
		}
		return invalid // a network's result type is known only at run time
	}
	args := make([]types.Type, len(x.Args))
	for i, a := range x.Args {
		args[i] = c.expr(a)
		if args[i].Kind == types.Invalid {
			return invalid
		}
	}
	if t, ok := genericCall(name, args); ok {
		c.info.Calls[x] = &Call{Name: name, Sig: types.Signature{Args: args, Ret: t}}
		return t
	}
	if c.lookup(name) != nil && (!c.lib.Has(name) || c.userOnly[name]) {
		c.errorf(x.Fun.Pos(), "'%s' is a variable, not a function", name)
		return invalid
	}
	if !c.lib.Has(name) || !types.Callable(name) && !c.userOnly[name] {
		if rule, ok := genericRules[name]; ok {
			ts := make([]string, len(args))
			for i, a := range args {
				ts[i] = a.String()
			}
			c.errorf(x.Fun.Pos(), "no matching signature for '%s' with arguments (%s): %s", name, strings.Join(ts, ", "), rule)
			return invalid
		}
		c.errorf(x.Fun.Pos(), "%s", c.undefinedFunc(name))
		return invalid
	}
	c.callRules(x)
	sig, err := c.lib.Resolve(name, args)
	if err != nil {
		c.errorf(x.Fun.Pos(), "%v", err)
		return invalid
	}
	c.info.Calls[x] = c.newCall(name, sig)
	if u := c.info.Calls[x].User; u != nil {
		for i, p := range u.Decl.Params {
			if p.Type.DataOnly {
				c.requireData(x, i)
			}
		}
	} else {
		for _, i := range dataArgs[name] {
			if i < len(x.Args) {
				c.requireData(x, i)
			}
		}
	}
	if sig.Ret.Kind == types.Void && !stmt {
		c.errorf(x.Pos(), "void function '%s' has no value to use in an expression", name)
		return invalid
	}
	return sig.Ret
}

// callRules checks where special functions may be called and the | of
// density calls.
func (c *checker) callRules(x *ast.CallExpr) {
	name := x.Fun.Name
	inFn := func(suffix string) bool { return c.fn != nil && strings.HasSuffix(c.fn.Name, suffix) }
	switch {
	case strings.HasSuffix(name, "_rng"):
		if !(c.fn == nil && (c.block == ast.TransformedData || c.block == ast.GeneratedQuantities) || inFn("_rng")) {
			c.errorf(x.Fun.Pos(), "random number generators are only allowed in the transformed data block, the generated quantities block or functions whose names end in _rng")
		}
	case strings.HasSuffix(name, "_lp"):
		if !(c.fn == nil && (c.block == ast.Model || c.block == ast.TransformedParameters) || inFn("_lp")) {
			c.errorf(x.Fun.Pos(), "functions whose names end in _lp are only allowed in the model block, the transformed parameters block or other _lp functions")
		}
	case strings.HasSuffix(name, "_jacobian"):
		// Since Stan 2.39 every function whose name ends in _jacobian,
		// the user's too, may touch the Jacobian.
		if !c.jacobianAllowed() {
			c.errorf(x.Fun.Pos(), "functions whose names end in _jacobian are only allowed in the transformed parameters block or other _jacobian functions")
		}
	case name == "target" || name == "get_lp":
		// Reading the target is like calling an _lp function.
		if !(c.fn == nil && (c.block == ast.Model || c.block == ast.TransformedParameters) || inFn("_lp")) {
			c.errorf(x.Fun.Pos(), "%s() is only allowed in the model block, the transformed parameters block or functions whose names end in _lp", name)
		}
	}
	if strings.HasSuffix(name, "_lupdf") || strings.HasSuffix(name, "_lupmf") {
		if !c.unnormalizedAllowed() {
			c.errorf(x.Fun.Pos(), "functions with names ending in _lupdf and _lupmf can only be used in the model block or user-defined functions with names ending in _lpdf or _lpmf: use %s here", normalized(name))
		}
	}
	// A _cdf takes the bar or commas, which older Stan required (old
	// syntax gostan keeps); the others require the bar.
	isDensity, needsBar := false, false
	for _, s := range []string{"_lpdf", "_lupdf", "_lpmf", "_lupmf", "_cdf", "_lcdf", "_lccdf"} {
		if strings.HasSuffix(name, s) {
			isDensity, needsBar = true, s != "_cdf"
		}
	}
	switch {
	case needsBar && !x.Bar && len(x.Args) > 1:
		c.errorf(x.Fun.Pos(), "probability functions with suffixes _lpdf, _lupdf, _lpmf, _lupmf, _lcdf and _lccdf require a vertical bar (|) between the variate and the parameters: %s(y | ...)", name)
	case x.Bar && !isDensity:
		c.errorf(x.Fun.Pos(), "only probability functions take a vertical bar (|) between their arguments, not '%s'", name)
	}
}

// undefinedFunc says why name is not a function, as stanc3 does: a
// density of a family that has a mass function (or the reverse), or a
// CDF or rng a family lacks, is named as such.
func (c *checker) undefinedFunc(name string) string {
	other := map[string]string{"_lpdf": "_lpmf", "_lupdf": "_lupmf", "_lpmf": "_lpdf", "_lupmf": "_lupdf"}
	for suffix, alt := range other {
		if base, ok := strings.CutSuffix(name, suffix); ok && c.lib.Has(base+strings.Replace(alt, "_lu", "_l", 1)) {
			return fmt.Sprintf("function '%s' is not implemented for distribution '%s', use '%s%s' instead", name, base, base, alt)
		}
	}
	for _, suffix := range []string{"_cdf", "_lcdf", "_lccdf", "_rng"} {
		base, ok := strings.CutSuffix(name, suffix)
		if !ok {
			continue
		}
		_, density := c.lib.Dist(base + "_lpdf")
		if _, mass := c.lib.Dist(base + "_lpmf"); density || mass {
			return fmt.Sprintf("function '%s' is not implemented for distribution '%s'", name, base)
		}
	}
	return fmt.Sprintf("a function '%s' is not defined", name)
}

// unnormalizedAllowed reports whether _lupdf and _lupmf functions may be
// called here: in the model block (and the guide, which is scored the
// same way) and in user-defined densities.
func (c *checker) unnormalizedAllowed() bool {
	if c.fn != nil {
		return strings.HasSuffix(c.fn.Name, "_lpdf") || strings.HasSuffix(c.fn.Name, "_lpmf")
	}
	return c.block == ast.Model || c.block == ast.Guide
}

// normalized is the normalised density of an unnormalised one: foo_lpdf
// for foo_lupdf, foo_lpmf for foo_lupmf.
func normalized(name string) string {
	if base, ok := strings.CutSuffix(name, "_lupdf"); ok {
		return base + "_lpdf"
	}
	return strings.TrimSuffix(name, "_lupmf") + "_lpmf"
}

// dataArgs are the library functions (other than the higher-order ones,
// see higherForm) with arguments Stan declares data, by index: stanc3's
// signatures qualify them DataOnly.
var dataArgs = map[string][]int{
	"quantile":              {0, 1},
	"linspaced_array":       {1, 2},
	"linspaced_vector":      {1, 2},
	"linspaced_row_vector":  {1, 2},
	"hmm_hidden_state_prob": {0, 1, 2},
	"to_int":                {0},
}

// DataArgs returns the indexes of the arguments of the library function
// name that Stan requires to be data (none for the higher-order
// functions, whose forms say theirs).
func DataArgs(name string) []int { return dataArgs[name] }

// requireData reports argument i of the call x if it depends on
// parameters, in stanc3's words, at the argument.
func (c *checker) requireData(x *ast.CallExpr, i int) {
	if c.argData(x.Args[i]) {
		return
	}
	c.errorf(x.Args[i].Pos(), "Ill-typed arguments supplied to function '%s': the %s argument must be data-only. (Local variables are assumed to depend on parameters; same goes for function inputs unless they are marked with the keyword 'data'.)", x.Fun.Name, ordinal(i+1))
}

// ordinal writes n as a word, as stanc3's messages do: first, second, ...
func ordinal(n int) string {
	words := []string{"zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
		"eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth"}
	if n < len(words) {
		return words[n]
	}
	return fmt.Sprintf("%dth", n)
}

// argData reports whether x may be passed where Stan requires data (an
// argument declared data, x_r, a tolerance): as in stanc3, ints are always
// data, and so is everything in generated quantities, which runs without
// derivatives.
func (c *checker) argData(x ast.Expr) bool {
	if c.fn == nil && c.block == ast.GeneratedQuantities || c.info.Types[x].Kind == types.Int {
		return true
	}
	only := true
	ast.Inspect(x, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v := c.lookup(id.Name); v != nil && !v.DataOnly && v.Type.Kind != types.Int {
				only = false
			}
		}
		return only
	})
	return only
}

// dataOnly reports whether x depends only on data: no parameter, no
// transformed parameter, no local of a parameter-dependent block.
func (c *checker) dataOnly(x ast.Expr) bool {
	return c.firstNonData(x) == nil
}

// firstNonData returns the first variable in x, in source order, that
// is not data, or nil.
func (c *checker) firstNonData(x ast.Expr) *ast.Ident {
	var found *ast.Ident
	ast.Inspect(x, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && found == nil {
			if v := c.lookup(id.Name); v != nil && !v.DataOnly {
				found = id
			}
		}
		return found == nil
	})
	return found
}

// genericRules say what the functions only genericCall types take.
var genericRules = map[string]string{
	"rep_array":    "rep_array takes a value of any type and one to three int sizes",
	"append_array": "append_array takes two arrays whose elements have one type (ints promote to reals, reals to complex numbers)",
}

// genericCall types the library functions whose result depends on the
// argument's type in a way the signature table cannot say.
func genericCall(name string, args []types.Type) (types.Type, bool) {
	switch name {
	case "rep_array":
		if len(args) < 2 || len(args) > 4 {
			return invalid, false
		}
		for _, a := range args[1:] {
			if a != types.IntT {
				return invalid, false
			}
		}
		return types.Array(args[0], len(args)-1), true
	case "size", "dims":
		// Of an array of tuples, whose elements the table has no types
		// for: its length, its array sizes.
		if len(args) == 1 && args[0].Kind == types.Tuple && args[0].Dims > 0 {
			if name == "size" {
				return types.IntT, true
			}
			return types.Array(types.IntT, 1), true
		}
	case "append_array":
		if len(args) == 2 && args[0].Dims > 0 {
			switch {
			case types.Promotes(args[1], args[0]):
				return args[0], true
			case types.Promotes(args[0], args[1]):
				return args[1], true
			}
		}
	}
	return invalid, false
}
