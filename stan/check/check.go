// Package check type-checks Stan programs, after go/types: it resolves
// every identifier to its declaration, gives every expression its type,
// resolves calls and ~ statements to signatures, and reports the semantic
// errors stanc reports (undeclared or reused names, ill-typed expressions
// and assignments, functions used in the wrong block, missing returns,
// and the rules of the guide blocks).
package check

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/scanner"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Scope says where a variable lives.
type Scope int

const (
	Global  Scope = iota // declared at the top of a program block
	Local                // declared inside a block's statements or a function body
	LoopVar              // a for loop's variable
	FuncArg              // a function argument
)

// Var is a declared variable.
type Var struct {
	Name  string
	Type  types.Type
	Decl  *ast.VarDecl // nil for loop variables and function arguments
	Block ast.BlockKind
	Scope Scope
	// DataOnly: the value is known before sampling (data, transformed
	// data, loop variables over data, data arguments).
	DataOnly bool
}

// Func is a user-defined function.
type Func struct {
	Name string
	Sig  types.Signature
	Decl *ast.FuncDecl // the definition (or the declaration when never defined)

	defined bool // a body was seen, even one that does not match
}

// Info is what checking learns about a program.
type Info struct {
	Types map[ast.Expr]types.Type
	Uses  map[*ast.Ident]*Var      // identifiers in expressions, and declared names
	Calls map[*ast.CallExpr]*Call  // resolved calls
	Dists map[*ast.TildeStmt]*Call // the density each ~ statement calls
	Funcs map[string][]*Func       // user-defined functions by name
	Vars  map[ast.BlockKind][]*Var // global variables by block, in order
	Nets  map[string]*ast.Stmt     // networks by name
	// JacobianAssigns holds, for each jacobian += statement of an older
	// program where a variable named jacobian is in scope, the compound
	// assignment to that variable it stands for.
	JacobianAssigns map[*ast.JacobianStmt]*ast.AssignStmt
	// Warnings are what stanc3 warns of in a valid program, in the order
	// found, each message starting "warning: ".
	Warnings scanner.ErrorList
}

// Call is a resolved function call.
type Call struct {
	Name string // the function called, e.g. "normal_lpdf"
	Sig  types.Signature
	User *Func // nil for the standard library
	// FuncArg is the function passed to a higher-order function such as
	// integrate_ode_rk45, else nil.
	FuncArg *Func
	// Laplace is what an embedded Laplace call passes (its FuncArg is
	// the covariance function), else nil.
	Laplace *LaplaceCall
	// Dist is the family and form of a standard library function of a
	// distribution (the density of a ~ statement, normal_lcdf,
	// poisson_rng); its Form is types.NoDist for other functions.
	Dist types.DistFunc
}

// newCall returns the call of fn with signature sig: a user-defined
// function's, or the standard library's with its distribution family.
func (c *checker) newCall(fn string, sig types.Signature) *Call {
	call := &Call{Name: fn, Sig: sig, User: c.userFunc(fn, sig)}
	if call.User == nil {
		call.Dist, _ = c.lib.Dist(fn)
	}
	return call
}

// Check type-checks prog with the default Config. The error, if any, is a
// scanner.ErrorList.
func Check(fset *token.FileSet, prog *ast.Program) (*Info, error) { return Config{}.Check(fset, prog) }

// Config is how a program is checked, as stanc3's flags set it.
type Config struct {
	// AllowUndefined accepts a function declared without a definition
	// (stanc3's --allow-undefined, for functions supplied in C++): the
	// program checks, but gostan cannot compile it.
	AllowUndefined bool
}

// Check type-checks prog. The error, if any, is a scanner.ErrorList.
func (conf Config) Check(fset *token.FileSet, prog *ast.Program) (*Info, error) {
	c := &checker{
		conf: conf,
		fset: fset,
		lib:  types.NewLibrary(),
		info: &Info{
			Types: map[ast.Expr]types.Type{}, Uses: map[*ast.Ident]*Var{},
			Calls: map[*ast.CallExpr]*Call{}, Dists: map[*ast.TildeStmt]*Call{},
			Funcs: map[string][]*Func{}, Vars: map[ast.BlockKind][]*Var{}, Nets: map[string]*ast.Stmt{},
			JacobianAssigns: map[*ast.JacobianStmt]*ast.AssignStmt{},
		},
	}
	c.scopes = []map[string]*Var{{}}
	c.userOnly = map[string]bool{}
	if f := fset.File(prog.Pos()); f != nil {
		c.modelName = modelName(f.Name())
	}
	c.program(prog)
	return c.info, c.errs.Err()
}

type checker struct {
	conf   Config
	fset   *token.FileSet
	lib    *types.Library
	info   *Info
	errs   scanner.ErrorList
	scopes []map[string]*Var

	block     ast.BlockKind // the block being checked
	fn        *Func         // the function being checked, or nil
	loops     int           // depth of enclosing loops
	globals   bool          // declarations are at the top of a program block
	guide     *guideState
	modelName string // identifiers may not take it (see modelName)
	// userOnly: names of user-defined functions the Stan library lacks.
	userOnly map[string]bool
	// laplaceLiks: the likelihoods named in embedded Laplace calls, in
	// order (see laplaceSecondOrder).
	laplaceLiks []*ast.Ident
}

func (c *checker) errorf(pos token.Pos, format string, args ...any) {
	c.errs.Add(c.fset.Position(pos), fmt.Sprintf(format, args...))
}

// warnf records a warning, stanc3's text prefixed with "warning: ".
func (c *checker) warnf(pos token.Pos, format string, args ...any) {
	c.info.Warnings.Add(c.fset.Position(pos), "warning: "+fmt.Sprintf(format, args...))
}

// ---- scopes ----

func (c *checker) push() { c.scopes = append(c.scopes, map[string]*Var{}) }
func (c *checker) pop()  { c.scopes = c.scopes[:len(c.scopes)-1] }

func (c *checker) lookup(name string) *Var {
	for i := len(c.scopes) - 1; i >= 0; i-- {
		if v := c.scopes[i][name]; v != nil {
			return v
		}
	}
	return nil
}

func (c *checker) declare(id *ast.Ident, v *Var) {
	c.identifier(id)
	if strings.HasSuffix(id.Name, "_lupdf") || strings.HasSuffix(id.Name, "_lupmf") {
		c.errorf(id.Pos(), "identifier '%s' has a _lupdf/_lupmf suffix, which is only allowed for functions", id.Name)
	}
	// Variables may shadow library and user-defined functions (beta, e),
	// as in stanc3; a call of the name is then an error.
	if c.lookup(id.Name) != nil || c.info.Nets[id.Name] != nil {
		c.errorf(id.Pos(), "identifier '%s' is already in use", id.Name)
	}
	c.scopes[len(c.scopes)-1][id.Name] = v
	c.info.Uses[id] = v
}

// keywords are the words Stan reserves beyond those the parser rejects.
var keywords = map[string]bool{
	"typedef": true, "struct": true, "var": true, "export": true, "extern": true, "static": true, "auto": true,
}

// identifier checks a declared name: Stan reserves a few words for the
// future, and names ending in __ for its own variables (lp__).
func (c *checker) identifier(id *ast.Ident) {
	if keywords[id.Name] || strings.HasSuffix(id.Name, "__") {
		c.errorf(id.Pos(), "identifier '%s' clashes with a reserved keyword", id.Name)
	}
	if id.Name == c.modelName {
		c.errorf(id.Pos(), "identifier '%s' clashes with the model name", id.Name)
	}
}

// modelName is the name stanc gives the model of a file (its C++ class):
// the file's base name without .stan, other characters than letters,
// digits and _ replaced by _, followed by _model.
func modelName(file string) string {
	base := strings.TrimSuffix(filepath.Base(file), ".stan")
	return strings.Map(func(r rune) rune {
		if r == '_' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return r
		}
		return '_'
	}, base) + "_model"
}

// ---- program ----

func (c *checker) program(prog *ast.Program) {
	// Functions first, so that the blocks can call them; all signatures
	// before bodies, so that functions can call each other.
	if b := prog.Block(ast.Functions); b != nil {
		c.block = ast.Functions
		c.functionSignatures(b.Body.List)
		for _, s := range b.Body.List {
			if f, ok := s.(*ast.FuncDecl); ok && f.Body != nil {
				c.functionBody(f)
			}
		}
		for name, fs := range c.info.Funcs {
			for _, f := range fs {
				if !f.defined && !c.conf.AllowUndefined {
					c.errorf(f.Decl.Name.Pos(), "function '%s' is declared but not defined", name)
				}
			}
		}
	}
	if b := prog.Block(ast.Networks); b != nil {
		c.networks(b.Body.List)
	}
	for _, b := range prog.Blocks {
		switch b.Kind {
		case ast.Functions, ast.Networks:
			continue
		}
		c.block = b.Kind
		if b.Kind == ast.Guide {
			c.guide = newGuideState(c, prog)
		}
		local := b.Kind == ast.Model || b.Kind == ast.Guide
		if local {
			c.push()
		}
		c.globals = !local
		for _, s := range b.Body.List {
			c.topStmt(b.Kind, s)
		}
		if local {
			c.pop()
		}
		if b.Kind == ast.Guide {
			c.guide.finish(b)
			c.guide = nil
		}
	}
	c.laplaceSecondOrder()
}

// topStmt checks a statement at the top of a program block.
func (c *checker) topStmt(k ast.BlockKind, s ast.Stmt) {
	if _, ok := s.(*ast.VarDecl); !ok {
		switch k {
		case ast.Data, ast.Parameters, ast.GuideParameters:
			c.errorf(s.Pos(), "only variable declarations are allowed in the %s block", k)
			return
		}
	}
	c.stmt(s)
}

func (c *checker) networks(list []ast.Stmt) {
	for i, s := range list {
		var id *ast.Ident
		switch s := s.(type) {
		case *ast.FuncDecl:
			id = s.Name
		case *ast.VarDecl:
			id = s.Name
		}
		if c.info.Nets[id.Name] != nil || c.info.Funcs[id.Name] != nil {
			c.errorf(id.Pos(), "identifier '%s' is already in use", id.Name)
		}
		c.info.Nets[id.Name] = &list[i]
	}
}

// ---- types of declarations ----

var baseKinds = map[string]types.Kind{
	"int": types.Int, "real": types.Real, "complex": types.Complex,
	"vector": types.Vector, "simplex": types.Vector, "unit_vector": types.Vector, "ordered": types.Vector,
	"positive_ordered": types.Vector, "row_vector": types.RowVector,
	"matrix": types.Matrix, "cholesky_factor_corr": types.Matrix, "cholesky_factor_cov": types.Matrix,
	"corr_matrix": types.Matrix, "cov_matrix": types.Matrix,
	"sum_to_zero_vector": types.Vector, "sum_to_zero_matrix": types.Matrix,
	"column_stochastic_matrix": types.Matrix, "row_stochastic_matrix": types.Matrix,
	"complex_vector": types.ComplexVector, "complex_row_vector": types.ComplexRowVector,
	"complex_matrix": types.ComplexMatrix, "void": types.Void,
}

// TypeOf returns the unsized type of a declared type.
func TypeOf(t *ast.Type) types.Type {
	if t.IsTuple() {
		ms := make([]types.Type, len(t.Members))
		for i, m := range t.Members {
			ms[i] = TypeOf(m)
		}
		return types.Array(types.TupleOf(ms...), len(t.ArrayDims))
	}
	return types.Type{Kind: baseKinds[t.Base], Dims: len(t.ArrayDims)}
}

// ---- functions ----

// functionSignatures records every function's signature. As in stanc3,
// an error in a signature points at the start of the definition (its
// return type), one about the name at the name.
func (c *checker) functionSignatures(list []ast.Stmt) {
	for _, s := range list {
		f, ok := s.(*ast.FuncDecl)
		if !ok {
			continue
		}
		sig := types.Signature{Ret: TypeOf(f.Ret)}
		for _, p := range f.Params {
			sig.Args = append(sig.Args, TypeOf(p.Type))
		}
		name := f.Name.Name
		c.identifier(f.Name)
		var prev *Func
		for _, g := range c.info.Funcs[name] {
			if equalArgs(g.Sig.Args, sig.Args) {
				prev = g
			}
		}
		if !c.libraryOverload(f, sig, prev) {
			continue
		}
		c.suffixRules(f, sig)
		switch {
		case prev == nil:
			fn := &Func{Name: name, Sig: sig, Decl: f, defined: f.Body != nil}
			c.info.Funcs[name] = append(c.info.Funcs[name], fn)
			c.addUserSig(name, sig)
			if base, ok := strings.CutSuffix(name, "_lpdf"); ok {
				c.addUserSig(base+"_lupdf", sig)
			} else if base, ok := strings.CutSuffix(name, "_lpmf"); ok {
				c.addUserSig(base+"_lupmf", sig)
			}
		case prev.Decl.Body != nil && f.Body != nil:
			c.errorf(f.Pos(), "function '%s' is already defined with these argument types (overloads must differ in their argument types, not only in their return types)", name)
		case prev.Decl.Body != nil && f.Body == nil:
			c.errorf(f.Pos(), "function '%s' is already defined with these argument types: a declaration comes before the definition", name)
		case prev.Decl.Body == nil && f.Body == nil:
			c.errorf(f.Pos(), "function '%s' is already declared with these argument types: a function is declared at most once", name)
		case prev.Sig.Ret != sig.Ret:
			c.errorf(f.Pos(), "function '%s' was declared to return %v, but is defined to return %v", name, prev.Sig.Ret, sig.Ret)
			prev.defined = prev.defined || f.Body != nil
		case !sameQualifiers(prev.Decl, f):
			c.errorf(f.Pos(), "function '%s' was declared with argument types (%s), but is defined with (%s): the data qualifiers must agree", name, qualifiedArgs(prev.Decl), qualifiedArgs(f))
			prev.defined = true
		case f.Body != nil:
			prev.Decl, prev.defined = f, true
		}
	}
}

// addUserSig adds a user-defined signature to the library, noting the
// names the Stan library does not have: a variable of such a name shadows
// the function, while one named for a library function does not (stanc3).
func (c *checker) addUserSig(name string, sig types.Signature) {
	if !c.lib.Has(name) {
		c.userOnly[name] = true
	}
	c.lib.Add(name, sig)
}

// libraryOverload reports whether a user-defined function may take its
// name: Stan lets user-defined functions overload library functions with
// other argument types, except the higher-order ones. prev is the user's
// own function with these argument types, if any.
func (c *checker) libraryOverload(f *ast.FuncDecl, sig types.Signature, prev *Func) bool {
	name := f.Name.Name
	_, higher := higherOrder[name]
	if laplace, _, _, _ := laplaceForm(name); higher || laplace {
		c.errorf(f.Name.Pos(), "function '%s' is a higher-order function of the Stan library, which cannot be overloaded", name)
		return false
	}
	if prev != nil {
		return true
	}
	for _, s := range c.lib.Signatures(name) {
		if equalArgs(s.Args, sig.Args) {
			c.errorf(f.Pos(), "function '%s' is already defined in the Stan library with argument types (%s)", name, typeList(sig.Args))
			return false
		}
	}
	return true
}

// sameQualifiers reports whether a declaration and a definition of one
// signature agree on which arguments are data only.
func sameQualifiers(a, b *ast.FuncDecl) bool {
	for i, p := range a.Params {
		if p.Type.DataOnly != b.Params[i].Type.DataOnly {
			return false
		}
	}
	return true
}

// qualifiedArgs writes f's argument types with their data qualifiers.
func qualifiedArgs(f *ast.FuncDecl) string {
	s := make([]string, len(f.Params))
	for i, p := range f.Params {
		s[i] = TypeOf(p.Type).String()
		if p.Type.DataOnly {
			s[i] = "data " + s[i]
		}
	}
	return strings.Join(s, ", ")
}

func equalArgs(a, b []types.Type) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// suffixRules checks what a function's name promises: densities return
// real and take their variate first.
func (c *checker) suffixRules(f *ast.FuncDecl, sig types.Signature) {
	name := f.Name.Name
	if strings.HasSuffix(name, "_lupdf") || strings.HasSuffix(name, "_lupmf") {
		c.errorf(f.Name.Pos(), "user-defined functions cannot have names ending in _lupdf or _lupmf: define %s, which may then be called as %s", normalized(name), name)
	}
	// Stan 2.33 dropped _log as a density suffix: a function named
	// safe_log may return a vector.
	for _, suffix := range []string{"_lpdf", "_lpmf", "_lcdf", "_lccdf", "_cdf"} {
		if !strings.HasSuffix(name, suffix) {
			continue
		}
		if sig.Ret != types.RealT {
			c.errorf(f.Pos(), "real return type required for a probability function ending in %s", suffix)
		}
		if len(sig.Args) == 0 {
			c.errorf(f.Pos(), "probability function '%s' needs at least one argument, the variate", name)
			return
		}
		switch suffix {
		case "_lpdf":
			if sig.Args[0].Kind == types.Int {
				c.errorf(f.Pos(), "probability density functions require real variates (first argument); use _lpmf for integer variates")
			}
		case "_lpmf":
			if sig.Args[0].Kind != types.Int {
				c.errorf(f.Pos(), "probability mass functions require integer variates (first argument); use _lpdf for real variates")
			}
		}
	}
}

func (c *checker) functionBody(f *ast.FuncDecl) {
	var fn *Func
	for _, g := range c.info.Funcs[f.Name.Name] {
		if g.Decl == f {
			fn = g
		}
	}
	if fn == nil {
		return
	}
	c.fn = fn
	seen := map[string]bool{}
	for _, p := range f.Params {
		if seen[p.Name.Name] {
			c.errorf(f.Pos(), "all function arguments must have distinct identifiers: '%s' names two", p.Name.Name)
			return
		}
		seen[p.Name.Name] = true
	}
	c.push()
	for i, p := range f.Params {
		c.declare(p.Name, &Var{Name: p.Name.Name, Type: fn.Sig.Args[i], Scope: FuncArg, Block: ast.Functions, DataOnly: p.Type.DataOnly})
	}
	c.stmts(f.Body.List)
	if fn.Sig.Ret.Kind != types.Void && !returns(f.Body) {
		c.errorf(f.Pos(), "function '%s' must return a value of type %v on every path: add a return statement", f.Name.Name, fn.Sig.Ret)
	}
	c.pop()
	c.fn = nil
}

// completion says how a statement can end, as stanc3's type checker
// classifies statements to decide that a returning function's body
// returns on every path.
type completion int

const (
	incomplete completion = iota // control can reach the next statement
	complete                     // every path returns, rejects or errors
	nonlocal                     // a break can leave the enclosing loop
)

// returns reports whether a function body returns on every path.
func returns(body *ast.BlockStmt) bool { return completes(body) == complete }

// completes classifies s: return, reject and fatal_error complete; break
// leaves the loop; a loop completes if its body does (and while (1) also
// when its body merely falls through); an if completes if both branches
// do; a block folds its statements up to the first escape (return,
// reject, fatal_error, break, continue), so a statement after a complete
// if makes the block incomplete again.
func completes(s ast.Stmt) completion {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return complete
	case *ast.PrintStmt:
		if s.Kind != "print" {
			return complete
		}
	case *ast.BranchStmt:
		if s.Tok == "break" {
			return nonlocal
		}
	case *ast.IfStmt:
		a, b := completes(s.Then), incomplete
		if s.Else != nil {
			b = completes(s.Else)
		}
		switch {
		case a == complete && b == complete:
			return complete
		case a == nonlocal || b == nonlocal:
			return nonlocal
		}
	case *ast.WhileStmt:
		switch completes(s.Body) {
		case complete:
			return complete
		case incomplete:
			if lit, ok := s.Cond.(*ast.BasicLit); ok && lit.Kind == token.INT && strings.Trim(lit.Value, "0_") != "" {
				return complete
			}
		}
	case *ast.ForStmt:
		if completes(s.Body) == complete {
			return complete
		}
	case *ast.ForeachStmt:
		if completes(s.Body) == complete {
			return complete
		}
	case *ast.BlockStmt:
		return blockCompletes(s.List)
	case *ast.ProfileStmt:
		return blockCompletes(s.Body.List)
	}
	return incomplete
}

func blockCompletes(list []ast.Stmt) completion {
	acc := incomplete
	for _, t := range list {
		c := completes(t)
		switch {
		case acc == nonlocal || c == nonlocal:
			acc = nonlocal
		case c == complete:
			acc = complete
		default:
			acc = incomplete
		}
		if escapes(t) {
			break
		}
	}
	return acc
}

// escapes reports whether s leaves its block unconditionally.
func escapes(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return true
	case *ast.PrintStmt:
		return s.Kind != "print"
	}
	return false
}

// ---- statements ----

func (c *checker) stmts(list []ast.Stmt) {
	for _, s := range list {
		c.stmt(s)
	}
}

func (c *checker) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.VarDecl:
		c.varDecl(s)
	case *ast.AssignStmt:
		c.assign(s)
	case *ast.TildeStmt:
		c.tilde(s)
	case *ast.TargetStmt:
		c.targetAllowed(s.Pos(), "target +=")
		c.expr(s.X) // stanc3 takes any value but a function (see jacobianStmt)
	case *ast.JacobianStmt:
		c.jacobianStmt(s)
	case *ast.ExprStmt:
		t := c.call(s.Call, true)
		if t.Kind != types.Void && t.Kind != types.Invalid {
			c.errorf(s.Call.Pos(), "function '%s' returns %v, so its value must be used: only void functions can be statements", s.Call.Fun.Name, t)
		}
	case *ast.ForStmt:
		for _, b := range []ast.Expr{s.Lo, s.Hi} {
			if t := c.expr(b); t != types.IntT && t.Kind != types.Invalid {
				c.errorf(b.Pos(), "bounds of a for loop must be of type int, found %v", t)
			}
		}
		c.push()
		c.declare(s.Var, &Var{Name: s.Var.Name, Type: types.IntT, Scope: LoopVar, Block: c.block, DataOnly: c.dataOnly(s.Lo) && c.dataOnly(s.Hi)})
		c.loop(s.Body)
		c.pop()
	case *ast.ForeachStmt:
		t := c.expr(s.X)
		var elem types.Type
		switch {
		case t.Dims > 0:
			elem = t.Elem()
		case t.IsMatrixLike() && !isComplexKind(t.Kind):
			elem = types.Type{Kind: t.Elem().Kind}
		case t.Kind != types.Invalid:
			c.errorf(s.X.Pos(), "a foreach loop needs an array, vector or matrix to loop over, found %v", t)
		}
		c.push()
		c.declare(s.Var, &Var{Name: s.Var.Name, Type: elem, Scope: LoopVar, Block: c.block, DataOnly: c.dataOnly(s.X)})
		c.loop(s.Body)
		c.pop()
	case *ast.WhileStmt:
		c.condition(s.Cond)
		c.loop(s.Body)
	case *ast.IfStmt:
		c.condition(s.Cond)
		c.branch(s)
	case *ast.BlockStmt:
		c.push()
		saved := c.globals
		c.globals = false
		c.stmts(s.List)
		c.globals = saved
		c.pop()
	case *ast.BranchStmt:
		if c.loops == 0 {
			c.errorf(s.Pos(), "%s statements are only allowed in the body of a for-loop or while-loop", s.Tok)
		}
	case *ast.ReturnStmt:
		c.ret(s)
	case *ast.PrintStmt:
		if len(s.Args) == 0 {
			c.errorf(s.Pos(), "%s needs at least one argument", s.Kind)
		}
		for _, a := range s.Args {
			if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				continue
			}
			if c.namesFunction(a) {
				c.errorf(a.Pos(), "functions cannot be printed")
				continue
			}
			c.expr(a)
		}
	case *ast.ProfileStmt:
		c.stmt(s.Body)
	case *ast.EmptyStmt:
	case *ast.FuncDecl:
		c.errorf(s.Pos(), "functions can only be defined in the functions block")
	}
}

// namesFunction reports an expression that is a function's bare name
// (possibly in parentheses) where no variable of that name is in scope:
// stanc3 types it as a function, which print, reject and fatal_error
// refuse.
func (c *checker) namesFunction(x ast.Expr) bool {
	for {
		p, ok := x.(*ast.ParenExpr)
		if !ok {
			break
		}
		x = p.X
	}
	id, ok := x.(*ast.Ident)
	return ok && c.lookup(id.Name) == nil && (len(c.info.Funcs[id.Name]) > 0 || c.lib.Has(id.Name))
}

func (c *checker) loop(body ast.Stmt) {
	c.loops++
	if c.guide != nil {
		c.guide.enterLoop()
	}
	c.stmt(body)
	if c.guide != nil {
		c.guide.leaveLoop()
	}
	c.loops--
}

func (c *checker) branch(s *ast.IfStmt) {
	if c.guide == nil {
		c.stmt(s.Then)
		if s.Else != nil {
			c.stmt(s.Else)
		}
		return
	}
	before := c.guide.save()
	c.stmt(s.Then)
	afterThen := c.guide.save()
	c.guide.restore(before)
	if s.Else != nil {
		c.stmt(s.Else)
	}
	c.guide.join(s, afterThen)
}

// condition checks an if or while condition: an int, or a real as Stan
// allowed until 2.33 (kept, as gostan keeps the other old syntax, for old
// programs).
func (c *checker) condition(x ast.Expr) {
	if t := c.expr(x); !(t == types.IntT || t == types.RealT) && t.Kind != types.Invalid {
		c.errorf(x.Pos(), "condition must be of type int or real, found %v", t)
	}
}

func (c *checker) ret(s *ast.ReturnStmt) {
	if c.fn == nil {
		if s.X != nil {
			c.errorf(s.Pos(), "return statements with a value are only allowed in function bodies")
		} else {
			c.errorf(s.Pos(), "void return statements may only be used inside non-returning function definitions")
		}
		return
	}
	want := c.fn.Sig.Ret
	if s.X == nil {
		if want.Kind != types.Void {
			c.errorf(s.Pos(), "function '%s' must return a value of type %v", c.fn.Name, want)
		}
		return
	}
	t := c.expr(s.X)
	if want.Kind == types.Void {
		c.errorf(s.Pos(), "void function '%s' cannot return a value", c.fn.Name)
		return
	}
	if t.Kind != types.Invalid && !types.Promotes(t, want) {
		c.errorf(s.Pos(), "function '%s' returns %v, but this return statement has type %v", c.fn.Name, want, t)
	}
}

// targetAllowed checks that the log density may be touched here.
func (c *checker) targetAllowed(pos token.Pos, what string) {
	if c.fn != nil {
		if !strings.HasSuffix(c.fn.Name, "_lp") {
			c.errorf(pos, "%s is only allowed in the model block or in functions whose names end in _lp", what)
		}
		return
	}
	if c.block != ast.Model && !(c.block == ast.Guide && what == "~ statement") {
		c.errorf(pos, "%s is only allowed in the model block or in functions whose names end in _lp", what)
	}
}

// jacobianStmt checks jacobian += X;, or, where a variable named jacobian
// is in scope (programs older than the statement), the compound assignment
// to it.
func (c *checker) jacobianStmt(s *ast.JacobianStmt) {
	if c.lookup("jacobian") != nil {
		a := &ast.AssignStmt{LHS: &ast.Ident{NamePos: s.Jacobian, Name: "jacobian"}, OpPos: s.OpPos, Op: token.ADD_ASSIGN, RHS: s.X, Semi: s.Semi}
		c.info.JacobianAssigns[s] = a
		c.assign(a)
		return
	}
	if !c.jacobianAllowed() {
		c.errorf(s.Pos(), "jacobian += is only allowed in the transformed parameters block or in functions whose names end in _jacobian")
	}
	// stanc3's type checker takes any value but a function here and in
	// target +=, complex numbers and tuples included, which Stan's C++
	// then fails to compile (the compile package refuses them too).
	c.expr(s.X)
}

// jacobianAllowed reports whether the Jacobian may be touched here: in the
// transformed parameters block and in functions whose names end in
// _jacobian.
func (c *checker) jacobianAllowed() bool {
	if c.fn != nil {
		return strings.HasSuffix(c.fn.Name, "_jacobian")
	}
	return c.block == ast.TransformedParameters
}

// ---- declarations ----

func (c *checker) varDecl(d *ast.VarDecl) {
	t := TypeOf(d.Type)
	global := c.globals && c.fn == nil
	if !d.Comma.IsValid() { // the names after the first share its type, checked once
		c.declType(d.Name.Name, d.Type, global)
	}
	scope := Local
	if global {
		scope = Global
	}
	v := &Var{Name: d.Name.Name, Type: t, Decl: d, Block: c.block, Scope: scope}
	switch c.block {
	case ast.Data, ast.TransformedData:
		v.DataOnly = true
	case ast.Functions:
		v.DataOnly = false
	}
	// As in stanc3, the name is in scope in its own initial value, which
	// then reads the variable before it is assigned (NaN for a real): Stan
	// accepts it with a warning.
	c.declare(d.Name, v)
	if global {
		c.info.Vars[c.block] = append(c.info.Vars[c.block], v)
	}
	if d.Init != nil {
		switch {
		case global && (c.block == ast.Data || c.block == ast.Parameters || c.block == ast.GuideParameters):
			c.errorf(d.Init.Pos(), "variables in the %s block cannot be given values", c.block)
		default:
			it := c.expr(d.Init)
			if it.Kind != types.Invalid && !types.Promotes(it, t) {
				c.errorf(d.Type.Pos(), "cannot initialise %s of type %v with a value of type %v", d.Name.Name, t, it)
			}
			if c.readsVar(d.Init, v) {
				c.warnf(d.Type.Pos(), "Assignment of variable to itself during declaration. This is almost certainly a bug.")
			}
		}
	}
}

// readsVar reports whether x mentions v.
func (c *checker) readsVar(x ast.Expr, v *Var) bool {
	found := false
	ast.Inspect(x, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && c.info.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// declType checks a declared type: its sizes, its constraints and what
// the block allows; a tuple's members are checked as declarations of
// their own, named as Stan writes a member (x.1).
func (c *checker) declType(name string, dt *ast.Type, global bool) {
	t := TypeOf(dt)
	for _, x := range dt.ArrayDims {
		c.sizeExpr(x, global, "array dimension")
	}
	if dt.IsTuple() {
		for i, m := range dt.Members {
			c.declType(fmt.Sprintf("%s.%d", name, i+1), m, global)
		}
		return
	}
	for _, x := range dt.Sizes {
		c.sizeExpr(x, global, dt.Base+" size")
	}
	constrained := dt.HasConstraint() || isConstrainedBase(dt.Base)
	switch {
	case !global && constrained && c.fn == nil:
		c.errorf(dt.Pos(), "local variables cannot have constraints: declare %s as %s", name, unconstrained(dt.Base))
	case c.fn != nil && constrained:
		c.errorf(dt.Pos(), "local variables cannot have constraints: declare %s as %s", name, unconstrained(dt.Base))
	}
	// Only int, real, vector, row_vector and matrix take constraints, and
	// int only bounds (the Reference Manual's declaration grammar).
	if isConstrainedBase(dt.Base) && dt.HasConstraint() {
		c.errorf(dt.Pos(), "%s variables cannot have bounds, offsets or multipliers", dt.Base)
	}
	if t.Kind == types.Int && (dt.Offset != nil || dt.Multiplier != nil) {
		c.errorf(dt.Pos(), "integer variables cannot have an offset or multiplier: declare %s as real", name)
	}
	if isComplexKind(t.Kind) && dt.HasConstraint() {
		c.errorf(dt.Pos(), "complex variables cannot have bounds, offsets or multipliers: declare %s as %s", name, dt.Base)
	}
	if global && t.Kind == types.Int && (c.block == ast.Parameters || c.block == ast.TransformedParameters || c.block == ast.GuideParameters) {
		c.errorf(dt.Pos(), "%s cannot be integers: declare %s as real", c.block, name)
	}
	if global && isComplexKind(t.Kind) && c.block == ast.GuideParameters {
		c.errorf(dt.Pos(), "guide parameters cannot be complex: declare the real and imaginary parts of %s as reals", name)
	}
	for _, b := range []ast.Expr{dt.Lower, dt.Upper, dt.Offset, dt.Multiplier} {
		if b == nil {
			continue
		}
		bt := c.expr(b)
		// As stanc3 checks a bound, offset or multiplier: an int or a
		// real, or a value of exactly the declared type, arrays included
		// (a vector does not bound an array of vectors, nor an int array
		// an array of reals); a real does not bound an int, unless the
		// int is in an array.
		switch {
		case bt.Kind == types.Invalid:
		case bt != types.IntT && bt != types.RealT && bt != t:
			c.errorf(b.Pos(), "bound of type %v does not match the declared type %v: it must be an int, a real or of type %v", bt, t, t)
		case global && t == types.IntT && bt == types.RealT:
			c.errorf(b.Pos(), "bounds of an integer variable must be of type int, found real")
		}
		if global && (c.block == ast.Data || c.block == ast.TransformedData) && !c.dataOnly(b) {
			c.errorf(b.Pos(), "bounds of data variables must be data")
		}
	}
}

func isConstrainedBase(b string) bool {
	switch b {
	case "simplex", "unit_vector", "ordered", "positive_ordered", "cholesky_factor_corr", "cholesky_factor_cov", "corr_matrix", "cov_matrix",
		"sum_to_zero_vector", "sum_to_zero_matrix", "column_stochastic_matrix", "row_stochastic_matrix":
		return true
	}
	return false
}

func unconstrained(b string) string {
	switch baseKinds[b] {
	case types.Vector:
		return "vector"
	case types.Matrix:
		return "matrix"
	}
	return b
}

// sizeExpr checks an array dimension or a vector or matrix size.
// stanc3 refuses a non-data variable in a top-level size as it meets
// it, before the size's type, and points at the variable.
func (c *checker) sizeExpr(x ast.Expr, global bool, what string) {
	if global {
		if id := c.firstNonData(x); id != nil {
			c.errorf(id.Pos(), "non-data variables are not allowed in the sizes of top-level declarations")
			return
		}
	}
	t := c.expr(x)
	if t.Kind != types.Invalid && t != types.IntT {
		c.errorf(x.Pos(), "%s must be of type int, found %v", what, t)
	}
	if global {
		ast.Inspect(x, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && strings.HasSuffix(call.Fun.Name, "_rng") {
				c.errorf(call.Fun.Pos(), "random number generators are not allowed in the sizes of top-level declarations")
				return false
			}
			return true
		})
	}
}

// ---- assignment and ~ ----

func (c *checker) assign(s *ast.AssignStmt) {
	if tx, ok := s.LHS.(*ast.TupleExpr); ok {
		c.unpack(s, tx)
		return
	}
	c.assignable(s.LHS)
	lt := c.expr(s.LHS)
	rt := c.expr(s.RHS)
	if lt.Kind == types.Invalid || rt.Kind == types.Invalid {
		return
	}
	c.nestedMultiIndex(s.LHS)
	if !c.lvaluesUnique(s.LHS, []lvalueTarget{c.target(s.LHS)}) {
		return
	}
	if s.Op == token.ARROW && (lt.Kind == types.Tuple || projectsTuple(s.LHS)) {
		// gostan reads <- for the programs written before Stan 2.33
		// removed it; tuples came with 2.33, so none assigned them so.
		c.errorf(s.OpPos, "the old assignment operator <- cannot assign a tuple or a tuple's member: tuples came after Stan 2.33 removed <-; use =")
		return
	}
	if s.Op == token.ASSIGN || s.Op == token.ARROW {
		if !types.Promotes(rt, lt) {
			c.errorf(s.Pos(), "ill-typed arguments supplied to assignment operator =: lhs has type %v and rhs has type %v", lt, rt)
		}
		return
	}
	op := map[token.Kind]string{token.ADD_ASSIGN: "add", token.SUB_ASSIGN: "subtract", token.MUL_ASSIGN: "multiply",
		token.QUO_ASSIGN: "divide", token.ELTMUL_ASSIGN: "elt_multiply", token.ELTDIV_ASSIGN: "elt_divide"}[s.Op]
	// The result must have the left side's type exactly, and the
	// elementwise operators need containers (x .*= 2 on a real is not
	// Stan).
	sig, err := types.Stdlib().Resolve(op, []types.Type{lt, rt})
	elementwise := s.Op == token.ELTMUL_ASSIGN || s.Op == token.ELTDIV_ASSIGN
	if err != nil || sig.Ret != lt || elementwise && sig.Ret.IsScalar() {
		c.errorf(s.Pos(), "ill-typed arguments supplied to assignment operator %s: lhs has type %v and rhs has type %v", s.Op, lt, rt)
	}
}

// projectsTuple reports an lvalue that selects a tuple's member (t.1,
// t.2[i], ...).
func projectsTuple(lhs ast.Expr) bool {
	for {
		switch x := lhs.(type) {
		case *ast.TupleIndexExpr:
			return true
		case *ast.IndexExpr:
			lhs = x.X
		default:
			return false
		}
	}
}

// assignable checks that the variable an lvalue names may be assigned
// here.
func (c *checker) assignable(lhs ast.Expr) {
	root := ast.Root(lhs)
	if root == nil {
		return
	}
	if v := c.lookup(root.Name); v != nil {
		switch {
		case v.Scope == LoopVar || v.Scope == FuncArg:
			c.errorf(root.Pos(), "cannot assign to function argument or loop identifier '%s'", v.Name)
		case v.Scope == Global && v.Block != c.block:
			c.errorf(root.Pos(), "cannot assign to global variable '%s' declared in the %s block", v.Name, v.Block)
		case v.Scope == Global && (v.Block == ast.Data || v.Block == ast.Parameters || v.Block == ast.GuideParameters):
			c.errorf(root.Pos(), "cannot assign to variable '%s' of the %s block", v.Name, v.Block)
		}
	}
}

// nestedMultiIndex rejects an lvalue x[...][...] with a multiple index
// (a range or an int array) before the last brackets. Stan read such an
// lvalue as the flat x[..., ...], unlike the same expression on the right
// of =, and made it an error in 2.33; nested single indexes stay allowed.
func (c *checker) nestedMultiIndex(lhs ast.Expr) {
	for x, ok := lhs.(*ast.IndexExpr); ok; x, ok = x.X.(*ast.IndexExpr) {
		inner, nested := x.X.(*ast.IndexExpr)
		if !nested {
			return
		}
		for _, i := range inner.Indices {
			if c.info.Types[i] != types.IntT {
				c.errorf(i.Pos(), "a multiple index (a range or an array of ints) cannot be followed by more brackets on the left of an assignment: write x[i, j] instead of x[i][j]")
				return
			}
		}
	}
}

// oldLogDensity reports whether fn, a name ending in _log, is a log
// density by the old suffix: a distribution family's (the library's
// registry of distributions says so) or one the program defines. A library
// function that merely ends in _log is none: y ~ multiply(x) or y ~
// binomial_coefficient(n) names no distribution, in stanc3 of Stan 2.26
// (which read the _log suffix) as today (which does not).
func (c *checker) oldLogDensity(fn string) bool {
	if d, ok := c.lib.Dist(fn); ok {
		return d.Form == types.Density
	}
	return !types.Stdlib().Has(fn)
}

func (c *checker) tilde(s *ast.TildeStmt) {
	if c.laplaceTilde(s) {
		return
	}
	c.targetAllowed(s.Pos(), "~ statement")
	if c.guide != nil {
		c.guide.lhs = ast.Root(s.LHS)
	}
	lt := c.expr(s.LHS)
	if c.guide != nil {
		c.guide.lhs = nil
	}
	args := []types.Type{lt}
	for _, a := range s.Args {
		args = append(args, c.expr(a))
	}
	if c.guide != nil {
		c.guide.draw(s)
		c.nestedMultiIndex(s.LHS)
	}
	for _, t := range args {
		if t.Kind == types.Invalid {
			return
		}
	}
	name := s.Dist.Name
	for _, suffix := range []string{"_cdf", "_ccdf", "_lcdf", "_lccdf", "_cdf_log", "_ccdf_log"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && (c.lib.Has(name) || c.lib.Has(base+"_lpdf") || c.lib.Has(base+"_lpmf")) {
			c.errorf(s.Pos(), "CDFs and CCDFs cannot be used in ~ statements: '%s' is not a density", name)
			return
		}
	}
	var lastErr error
	for _, suffix := range []string{"_lpdf", "_lpmf", "_log"} {
		fn := name + suffix
		if !c.lib.Has(fn) || suffix == "_log" && !c.oldLogDensity(fn) {
			continue
		}
		sig, err := c.lib.Resolve(fn, args)
		if err == nil && sig.Ret != types.RealT {
			err = fmt.Errorf("%s returns %v, not a real log density", fn, sig.Ret)
		}
		if err != nil {
			lastErr = err
			continue
		}
		call := c.newCall(fn, sig)
		c.info.Dists[s] = call
		if s.Truncated {
			c.truncation(s, name, args)
		}
		return
	}
	if lastErr == nil {
		if base := trimSuffixes(name, "_lpdf", "_lpmf", "_lupdf", "_lupmf"); base != name {
			c.errorf(s.Dist.Pos(), "~ statement should refer to a distribution without its \"_lpdf\" or \"_lpmf\" suffix: use %s", base)
			return
		}
		c.errorf(s.Pos(), "no distribution '%s' was found", name)
		return
	}
	c.errorf(s.Pos(), "ill-typed arguments to '~' statement: no distribution '%s' accepts arguments (%s)", name, typeList(args))
}

// truncation checks T[L, U]: the variate and the parameters may be
// containers (Stan 2.31 vectorises truncation), the bounds are scalars.
// As stanc3 requires, the family has both a CDF and a CCDF (_lcdf and
// _lccdf, or the older _cdf_log and _ccdf_log) returning real, each
// taking every bound in the variate's place followed by the parameters;
// a missing one is reported at the statement.
func (c *checker) truncation(s *ast.TildeStmt, name string, args []types.Type) {
	for _, b := range []ast.Expr{s.TruncLo, s.TruncHi} {
		if b == nil {
			continue
		}
		t := c.expr(b)
		if t.Kind == types.Invalid {
			continue
		}
		if !t.IsScalar() {
			c.errorf(b.Pos(), "truncation bounds must be int or real, found %v", t)
			continue
		}
		bargs := append([]types.Type{t}, args[1:]...)
		for _, suffix := range [][2]string{{"_lcdf", "_cdf_log"}, {"_lccdf", "_ccdf_log"}} {
			if why := c.cdfTakes(name, suffix, bargs); why != "" {
				c.errorf(s.Pos(), "Truncation is only defined if distribution has _lcdf and _lccdf functions implemented with appropriate signature. No matching signature for arguments: (%s); %s", typeList(bargs), why)
				return
			}
		}
	}
}

// cdfTakes returns "" if the family's function of either spelling (such
// as _lcdf or _cdf_log) takes args and returns a real, or why not.
func (c *checker) cdfTakes(name string, spellings [2]string, args []types.Type) string {
	why := ""
	for _, suffix := range spellings {
		fn := name + suffix
		if !c.lib.Has(fn) {
			continue
		}
		sig, err := c.lib.Resolve(fn, args)
		switch {
		case err == nil && sig.Ret == types.RealT:
			return ""
		case why != "": // the first spelling's reason
		case err != nil:
			why = fn + " does not take them"
		default:
			why = fn + " does not return real"
		}
	}
	if why == "" {
		why = name + spellings[0] + " is not defined"
	}
	return why
}

// trimSuffixes removes the first of suffixes that name ends in.
func trimSuffixes(name string, suffixes ...string) string {
	for _, s := range suffixes {
		if base, ok := strings.CutSuffix(name, s); ok {
			return base
		}
	}
	return name
}

func typeList(ts []types.Type) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.String()
	}
	return strings.Join(s, ", ")
}

func (c *checker) userFunc(name string, sig types.Signature) *Func {
	for _, f := range c.info.Funcs[name] {
		if equalArgs(f.Sig.Args, sig.Args) {
			return f
		}
	}
	for _, base := range []string{"_lupdf", "_lupmf"} {
		if b, ok := strings.CutSuffix(name, base); ok {
			return c.userFunc(b+strings.Replace(base, "_lu", "_l", 1), sig)
		}
	}
	return nil
}

func isComplexKind(k types.Kind) bool {
	return k == types.Complex || k == types.ComplexVector || k == types.ComplexRowVector || k == types.ComplexMatrix
}
