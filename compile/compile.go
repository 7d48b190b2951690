// Package compile turns a checked Stan program into an executable model:
// each expression and statement becomes a Go closure over pre-allocated
// variable slots (closure compilation, not tree walking), real values are
// tape variables (ad.Var) that stay constants, recording nothing, while they
// depend only on data, and the parameters follow Stan's unconstrained
// layout and transforms so that the log density and its gradient at a point
// equal Stan's.
package compile

import (
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/scanner"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
	"github.com/gostan/gostan/transform"
)

// env is the run-time state of one evaluation: the tape, the variables,
// and the log density accumulated so far. Each model.Model owns one.
type env struct {
	t       *ad.Tape
	globals []value
	// ints holds the int scalar variables' values: for such a global
	// slot k, globals[k].I is ints[k:k+1] from the start and keeps it,
	// since value.shape reuses storage that is large enough
	// (TestIntsAliased). Loops' and indices' reads of int scalars load
	// ints[k], a load shorter than globals[k].I[0].
	ints   []int
	frame  []value      // the current user function's variables
	stacks []frameStack // each user function's frames, by its id
	depth  int          // calls in progress
	target []ad.Var
	// jacobian: jacobian += statements and the library's _jacobian
	// functions add to target, as the constraints' Jacobians are added.
	jacobian bool
	prior    []float64 // the prior's terms, in the generative view (generative.go)
	rng      *rand.Rand
	// init makes the generative view's prior sites pick a point rather
	// than draw one (Model.InitPrior): the median of init draws, or the
	// family's mean (initMean); 0 draws.
	init  int
	print io.Writer

	retI int
	retR ad.Var
	retV *value

	kern kernelStack // linear combinations' operands (lincomb.go)

	bufs  []value // the compiler's buffer slots (bufSlot)
	runs  []int   // the compiler's loop start counters (runSlot)
	state []any   // the compiler's state slots (stateSlot)

	// nonFinite is the statement that first added a non-finite term to
	// target in this evaluation, and term that term, to say where a
	// density stopped being finite.
	nonFinite *token.Position
	term      float64

	// prof measures profile statements (profile.go), or is nil; profiler
	// collects its measurements, and tdProf holds those of transformed
	// data until StartProfiling.
	prof     *profState
	profiler *Profiler
	tdProf   *profRecord
}

// addTarget adds a statement's term to the log density, remembering the
// first statement whose term is not finite.
func (e *env) addTarget(pos *token.Position, v ad.Var) {
	e.target = append(e.target, v)
	if e.nonFinite == nil && (math.IsNaN(v.Val) || math.IsInf(v.Val, 0)) {
		e.nonFinite, e.term = pos, v.Val
	}
}

// unwind forgets the calls in progress when an evaluation error aborts
// them, so that the next evaluation starts at depth 0.
func (e *env) unwind() {
	e.depth = 0
	e.frame = nil
	e.kern.top, e.kern.ftop = 0, 0
	for i := range e.stacks {
		e.stacks[i].depth = 0
	}
}

// frameStack holds one function's frames, one per recursion depth.
type frameStack struct {
	frames [][]value
	depth  int
}

// varRef locates a variable: a global slot, or a slot of the current
// function's frame.
type varRef struct {
	frame bool
	idx   int
}

func (r varRef) getter() func(*env) *value {
	k := r.idx
	if r.frame {
		return func(e *env) *value { return &e.frame[k] }
	}
	return func(e *env) *value { return &e.globals[k] }
}

// optimizations is a set of the compiler's fused and specialised paths,
// each of which replaces a general path that computes the same numbers
// (to rounding). Compile takes them all; tests compile with some off
// (compileWith) to compare the two paths.
type optimizations uint8

const (
	optAffineLoops  optimizations = 1 << iota // affine.go's factorised regressions
	optPrepareFixed                           // dists.go's fixedDensity
	optFuseForward                            // hmmforward.go's forward-recursion node
	optFuseLSE                                // lsefill.go's fused log_sum_exp fills
	optHoistByIndex                           // indexhoist.go's tables of calls by index
	optDoubleGQ                               // double.go's double-precision statements

	allOptimizations = optAffineLoops | optPrepareFixed | optFuseForward | optFuseLSE | optHoistByIndex | optDoubleGQ
)

type compiler struct {
	opts     optimizations // the fused paths this compilation may take
	fset     *token.FileSet
	info     *check.Info
	errs     scanner.ErrorList
	slots    map[*check.Var]varRef
	nGlobals int
	// intScalars are the global slots of int scalar variables (env.ints).
	intScalars []int
	fn         *userFunc // the function being compiled, or nil
	funcs      map[funcKey]*userFunc
	// frames are the frame sizes of the functions, each shared by its
	// compiled copies (here, the generative view's, the full model's),
	// which share their variables' slots.
	frames   map[*ast.FuncDecl]*int
	keep     bool        // compiling a copy of a density that keeps its constants
	inGuide  bool        // compiling the guide block, where ~ draws
	inTData  bool        // compiling transformed data, whose variables change until it ends
	double   bool        // compiling generated quantities (double.go)
	gen      *genCompile // compiling the generative view (generative.go), or nil
	funcBase int         // the id of the first function in funcs
	// profNames are the profile statements' names, by id (profile.go).
	profNames []string
	nBufs     int
	nRuns     int
	makers    []func() any // each state slot's constructor
	// loop collects the sampling statements deferred inside the
	// outermost loop being compiled, nil outside loops; deferred has
	// every one of the program (deferred.go).
	loop     *[]*deferStmt
	deferred *[]*deferStmt
	loops    []*loopFrame // the loops being compiled, innermost last (hoist.go)
	// prepare runs when a model is built, after transformed data: work
	// that needs the data but no parameters (whenBuilt).
	prepare []func(*env)
	// unhoisted are the calls of the loop-invariant calls hoist.go
	// wrapped, for callers that evaluate them once per run themselves.
	unhoisted map[*ast.CallExpr]func(*env) ad.Var
}

func (c *compiler) errorf(p token.Pos, format string, args ...any) {
	c.errs.Add(c.fset.Position(p), fmt.Sprintf(format, args...))
}

// declareLocal gives a variable a slot in the current scope: a frame slot
// inside a function, else a global slot.
func (c *compiler) declareLocal(v *check.Var) varRef {
	if r, ok := c.slots[v]; ok {
		return r
	}
	var r varRef
	if c.fn != nil {
		r = varRef{frame: true, idx: *c.fn.nSlots}
		*c.fn.nSlots++
	} else {
		r = varRef{idx: c.nGlobals}
		c.nGlobals++
		if v.Type == types.IntT {
			c.intScalars = append(c.intScalars, r.idx)
		}
	}
	c.slots[v] = r
	return r
}

// ---- user-defined functions ----

type userFunc struct {
	id     int
	name   string
	sig    types.Signature
	decl   *ast.FuncDecl
	nSlots *int // the frame size, shared by the function's copies
	params []varRef
	body   stmtFn
}

// funcKey names a compiled copy of a user function: keep, for a density
// called by its normalised name (foo_lpdf), compiles the densities of its
// body with their constants, as Stan instantiates the function with
// propto false; called as foo_lupdf or by ~, it drops them (Stan
// Functions Reference, "Unnormalized densities").
type funcKey struct {
	decl *ast.FuncDecl
	keep bool
}

// userFunction compiles a copy of a function once; recursive calls find it
// in the table before its body is done.
func (c *compiler) userFunction(f *check.Func, keep bool) *userFunc {
	k := funcKey{f.Decl, keep}
	if u, ok := c.funcs[k]; ok {
		return u
	}
	n := c.frames[f.Decl]
	if n == nil {
		n = new(int)
		c.frames[f.Decl] = n
	}
	// Compiled again, its variables keep their slots (declareLocal finds
	// them), so the copies share the frame size.
	u := &userFunc{id: c.funcBase + len(c.funcs), name: f.Name, sig: f.Sig, decl: f.Decl, nSlots: n}
	c.funcs[k] = u
	saved, savedLoop, savedLoops, savedKeep := c.fn, c.loop, c.loops, c.keep
	c.fn, c.loop, c.loops, c.keep = u, nil, nil, keep
	for _, p := range f.Decl.Params {
		u.params = append(u.params, c.declareLocal(c.info.Uses[p.Name]))
	}
	if f.Decl.Body != nil {
		u.body = c.stmts(f.Decl.Body.List)
	}
	c.fn, c.loop, c.loops, c.keep = saved, savedLoop, savedLoops, savedKeep
	return u
}

// userCall calls a user function. call.Name is the name called: a
// density's normalised name (foo_lpdf) keeps the constants of the
// densities in its body.
func (c *compiler) userCall(x *ast.CallExpr, call *check.Call, args []cexpr, t types.Type) cexpr {
	keep := c.keepConsts() || strings.HasSuffix(call.Name, "_lpdf") || strings.HasSuffix(call.Name, "_lpmf")
	u := c.userFunction(call.User, keep)
	pos := c.pos(x.Pos())
	type argFn struct {
		i func(*env) int
		r func(*env) ad.Var
		z func(*env) cplx
		v func(*env) *value
	}
	fs := make([]argFn, len(args))
	for k, a := range args {
		pt := u.sig.Args[k]
		switch {
		case pt == types.IntT:
			fs[k].i = a.i
		case pt == types.RealT:
			fs[k].r = a.real()
		case pt == types.ComplexT:
			fs[k].z = a.cplx()
		case isComplex(pt.Kind):
			fs[k].v = a.cval(c)
		case pt.Kind == types.Tuple:
			fs[k].v = c.converted(a, pt)
		default:
			fs[k].v = a.val(pt.Kind != types.Int)
		}
	}
	// Arguments are evaluated in the caller's frame into these buffers,
	// then copied into the callee's.
	type argBufs struct {
		ints  []int
		reals []ad.Var
		cplxs []cplx
		vals  []*value
	}
	n := len(args)
	argSlot := newState(c, func() *argBufs {
		return &argBufs{make([]int, n), make([]ad.Var, n), make([]cplx, n), make([]*value, n)}
	})
	invoke := func(e *env) {
		a := argSlot.of(e)
		ints, reals, cplxs, vals := a.ints, a.reals, a.cplxs, a.vals
		for k, f := range fs {
			switch {
			case f.i != nil:
				ints[k] = f.i(e)
			case f.r != nil:
				reals[k] = f.r(e)
			case f.z != nil:
				cplxs[k] = f.z(e)
			default:
				vals[k] = f.v(e)
			}
		}
		if e.depth >= 10000 {
			fail(pos, "function '%s' recursed too deeply", u.name)
		}
		if u.body == nil {
			fail(pos, "function '%s' is declared but not defined", u.name)
		}
		saved := e.frame
		e.depth++
		// Each function keeps its own frames, one per recursion depth, so
		// a slot always holds values of one type and keeps its storage.
		for len(e.stacks) <= u.id {
			e.stacks = append(e.stacks, frameStack{})
		}
		st := &e.stacks[u.id]
		st.depth++
		if len(st.frames) < st.depth {
			st.frames = append(st.frames, make([]value, *u.nSlots))
		}
		fr := st.frames[st.depth-1]
		for k, p := range u.params {
			dst := &fr[p.idx]
			switch {
			case fs[k].i != nil:
				dst.shapeIntScalar()
				dst.I[0] = ints[k]
			case fs[k].r != nil:
				dst.shape(nil, false)
				dst.R[0] = reals[k]
			case fs[k].z != nil:
				dst.shapeComplex(nil)
				dst.R[0], dst.R[1] = cplxs[k].re, cplxs[k].im
			default:
				dst.copyFrom(vals[k])
			}
		}
		e.frame = fr
		u.body(e)
		e.frame = saved
		e.depth--
		e.stacks[u.id].depth--
	}
	switch {
	case t.Kind == types.Void:
		return cexpr{t: t, i: func(e *env) int { invoke(e); return 0 }}
	case t == types.IntT:
		return cexpr{t: t, i: func(e *env) int { invoke(e); return e.retI }}
	case t == types.RealT:
		return cexpr{t: t, r: func(e *env) ad.Var { invoke(e); return e.retR }}
	case t == types.ComplexT:
		return cexpr{t: t, z: func(e *env) cplx { invoke(e); return cplx{e.retV.R[0], e.retV.R[1]} }}
	}
	buf := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		invoke(e)
		b := buf.of(e)
		b.copyFrom(e.retV) // the callee's frame is reused by the next call
		return b
	}}
}

// ---- the program ----

// Program is a compiled Stan program: immutable after Compile and shared
// by every Model made from it, on any number of goroutines. What an
// evaluation writes lives in the Model (see scratch.go).
type Program struct {
	fset       *token.FileSet
	nGlobals   int
	intScalars []int // the global slots of int scalars (env.ints)
	data       []*dataVar
	tdata      stmtFn
	tdChecks   []*constraintCheck
	params     []*paramVar
	tparams    stmtFn
	tpChecks   []*constraintCheck
	model      stmtFn
	gq         stmtFn
	gqChecks   []*constraintCheck
	// The explicit guide: its parameters, its block, and the checks that
	// its draws lie in the parameters' supports.
	gparams    []*paramVar
	guide      stmtFn
	drawChecks []*constraintCheck
	// outDims are the transformed parameters and generated quantities
	// with their sizes, for Names and Write.
	outDims    []outVar
	nTPOut     int // how many of outDims are transformed parameters
	nDataSlots int
	slots      map[*check.Var]varRef
	nBufs      int
	nRuns      int
	makers     []func() any
	// gen is the program's generative view: its priors and likelihood.
	gen *generative
	// full is the model block with every constant kept (constants.go).
	full stmtFn
	// prepare is the compiler's, run by NewModel.
	prepare []func(*env)
	// profNames are the profile statements' names, by id (profile.go).
	profNames []string
	// Print receives print() output; nil discards it.
	Print io.Writer
}

type outVar struct {
	v     *check.Var
	dims  func(*env, []int) []int
	tuple *tupleNode // a variable of a tuple type (tuple_vars.go)
}

// Compile lowers a checked program. Unsupported constructs are reported as
// errors with their positions.
func Compile(fset *token.FileSet, prog *ast.Program, info *check.Info) (*Program, error) {
	return compileWith(fset, prog, info, allOptimizations)
}

// compileWith is Compile taking only the fused paths in opts.
func compileWith(fset *token.FileSet, prog *ast.Program, info *check.Info, opts optimizations) (*Program, error) {
	// The compiler synthesises nodes (x op= y as x = x op y, operators
	// called by name, user densities called as functions) and types them in
	// its own copy of the checker's maps, which the checker's caller may share.
	own := *info
	own.Types = maps.Clone(info.Types)
	own.Calls = maps.Clone(info.Calls)
	c := &compiler{opts: opts, fset: fset, info: &own, slots: map[*check.Var]varRef{}, funcs: map[funcKey]*userFunc{}, frames: map[*ast.FuncDecl]*int{},
		deferred: new([]*deferStmt)}
	p := &Program{fset: fset, slots: c.slots}
	for _, b := range prog.Blocks {
		switch b.Kind {
		case ast.Data:
			for _, s := range b.Body.List {
				if d, ok := s.(*ast.VarDecl); ok && d.Type.IsTuple() {
					p.data = append(p.data, c.tupleData(d)...)
				} else if ok {
					p.data = append(p.data, c.dataDecl(d))
				}
			}
			p.nDataSlots = c.nGlobals
		case ast.TransformedData:
			c.inTData = true
			p.tdata = c.stmts(b.Body.List)
			c.inTData = false
			p.tdChecks = c.constraintChecks(b, "transformed data")
			p.nDataSlots = c.nGlobals
		case ast.Parameters:
			for _, s := range b.Body.List {
				if d, ok := s.(*ast.VarDecl); ok && d.Type.IsTuple() {
					p.params = append(p.params, c.tupleParams(d)...)
				} else if ok {
					p.params = append(p.params, c.paramDecl(d))
				}
			}
		case ast.TransformedParameters:
			p.tparams = c.stmts(b.Body.List)
			p.tpChecks = c.constraintChecks(b, "transformed parameter")
			p.outDims = append(p.outDims, c.outputs(b)...)
			p.nTPOut = len(p.outDims)
		case ast.Model:
			p.model = c.modelStmts(b.Body.List)
		case ast.GeneratedQuantities:
			c.double = true
			p.gq = c.stmts(b.Body.List)
			c.double = false
			p.gqChecks = c.constraintChecks(b, "generated quantity")
			p.outDims = append(p.outDims, c.outputs(b)...)
		case ast.GuideParameters:
			for _, s := range b.Body.List {
				if d, ok := s.(*ast.VarDecl); ok && d.Type.IsTuple() {
					c.errorf(d.Pos(), "guide parameters of tuple types are not supported yet")
				} else if ok {
					p.gparams = append(p.gparams, c.paramDecl(d))
				}
			}
		case ast.Guide:
			c.inGuide = true
			p.guide = c.stmts(b.Body.List)
			c.inGuide = false
			if pb := prog.Block(ast.Parameters); pb != nil {
				p.drawChecks = c.constraintChecks(pb, "parameter drawn by the guide")
			}
		case ast.Networks:
			c.errorf(b.Pos(), "the %s block is not supported by compile yet", b.Kind)
		}
	}
	if c.errs.Err() == nil {
		p.gen = c.generative(prog, p)
		p.full = c.fullModel(prog)
	}
	p.nGlobals, p.intScalars = c.nGlobals, c.intScalars
	p.nBufs, p.nRuns, p.makers = c.nBufs, c.nRuns, c.makers
	p.prepare = c.prepare
	p.profNames = c.profNames
	return p, c.errs.Err()
}

// outputs lists a block's top-level declarations with their sizes.
func (c *compiler) outputs(b *ast.Block) []outVar {
	var out []outVar
	for _, s := range b.Body.List {
		if d, ok := s.(*ast.VarDecl); ok && d.Type.IsTuple() {
			out = append(out, outVar{v: c.info.Uses[d.Name], tuple: c.tupleTree(d)})
		} else if ok {
			out = append(out, outVar{v: c.info.Uses[d.Name], dims: c.dimsOf(d.Name.Name, d.Type)})
		}
	}
	return out
}

// ---- constraints of declared variables ----

// constraintCheck validates a declared variable's bounds and structure
// after its block has run (transformed data, transformed parameters,
// generated quantities), as Stan does.
type constraintCheck struct {
	what  string // "transformed parameter"
	name  string
	pos   token.Position // the declaration
	get   func(*env) *value
	kind  types.Type
	base  string
	lower cexpr
	upper cexpr
	hasLo bool
	hasHi bool

	work stateSlot[structWork] // checkStructure's buffers
}

// structWork holds checkStructure's buffers, which grow to the largest
// variable checked.
type structWork struct{ x, y []float64 }

func (c *compiler) constraintChecks(b *ast.Block, what string) []*constraintCheck {
	var out []*constraintCheck
	for _, s := range b.Body.List {
		if d, ok := s.(*ast.VarDecl); ok && d.Type.IsTuple() {
			out = append(out, c.tupleChecks(d, what)...)
		} else if ok && isConstrained(d) {
			out = append(out, c.constraintCheck(d, what))
		}
	}
	return out
}

// isConstrained says whether a declaration has bounds or a structured
// type to check.
func isConstrained(d *ast.VarDecl) bool {
	return d.Type.Lower != nil || d.Type.Upper != nil || isStructured(d.Type.Base)
}

// constraintCheck compiles the check of one constrained declaration.
func (c *compiler) constraintCheck(d *ast.VarDecl, what string) *constraintCheck {
	v := c.info.Uses[d.Name]
	ck := &constraintCheck{what: what, name: d.Name.Name, pos: c.pos(d.Name.Pos()), get: c.slots[v].getter(), kind: v.Type, base: d.Type.Base,
		work: newState(c, func() *structWork { return &structWork{} })}
	if d.Type.Lower != nil {
		ck.lower, ck.hasLo = c.expr(d.Type.Lower), true
	}
	if d.Type.Upper != nil {
		ck.upper, ck.hasHi = c.expr(d.Type.Upper), true
	}
	return ck
}

func isStructured(base string) bool { return transform.Lookup(base) != nil }

// run validates the variable; errors name the declaration's file:line,
// the element and the rule.
func (ck *constraintCheck) run(e *env) error {
	if err := ck.violation(e); err != nil {
		return &evalError{pos: ck.pos, err: err}
	}
	return nil
}

func (ck *constraintCheck) violation(e *env) error {
	v := ck.get(e)
	n := len(v.R) + len(v.I)
	at := func(k int) float64 {
		if v.I != nil {
			return float64(v.I[k])
		}
		return v.R[k].Val
	}
	bound := func(b cexpr, k int) float64 {
		switch {
		case b.i != nil:
			return float64(b.i(e))
		case b.r != nil:
			return b.r(e).Val
		}
		bv := b.v(e)
		if bv.I != nil {
			return float64(bv.I[k])
		}
		return bv.R[k].Val
	}
	for k := range n {
		x := at(k)
		if ck.hasLo {
			if lb := bound(ck.lower, k); !(x >= lb) {
				return fmt.Errorf("%s %q is %v, but must be >= %v", ck.what, elementName(ck.name, v.Dims, ck.kind, k), x, lb)
			}
		}
		if ck.hasHi {
			if ub := bound(ck.upper, k); !(x <= ub) {
				return fmt.Errorf("%s %q is %v, but must be <= %v", ck.what, elementName(ck.name, v.Dims, ck.kind, k), x, ub)
			}
		}
	}
	if isStructured(ck.base) {
		if err := ck.checkStructure(v, ck.work.of(e)); err != nil {
			return err
		}
	}
	return nil
}

// elementName names the k-th stored element of a variable, 1-based, as
// "x[2,3]": array indices row-major, the matrix part column-major.
func elementName(name string, dims []int, t types.Type, k int) string {
	if len(dims) == 0 {
		return name
	}
	idx := make([]int, len(dims))
	arr := t.Dims
	inner := len(dims) - arr
	block := size(dims[arr:])
	if block == 0 {
		// An empty vector or matrix has no element to name.
		return name
	}
	in := k % block
	out := k / block
	for d := arr - 1; d >= 0; d-- {
		idx[d] = out % dims[d]
		out /= dims[d]
	}
	if inner >= 1 {
		idx[arr] = in % dims[arr]
	}
	if inner == 2 {
		idx[arr+1] = in / dims[arr]
	}
	parts := make([]string, len(idx))
	for i, x := range idx {
		parts[i] = fmt.Sprint(x + 1)
	}
	return name + "[" + strings.Join(parts, ",") + "]"
}
