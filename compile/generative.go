package compile

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// The generative view of a Stan program (issue 12, item 2): where the
// model block gives each parameter a proper distribution whose arguments
// depend only on data and on other parameters drawn before it, the
// program is a prior, which can be drawn from, times a likelihood, which
// is everything else. Nested sampling needs exactly this split.
//
// A prior site is a ~ statement or target += fam_lpdf(x | ...) whose
// left side is the whole parameter (x, to_vector(x), to_array_1d(x)) or
// a part of it (x[i] in a loop over i). The parameters are drawn in an
// order where every prior's arguments are known (a topological order of
// the dependencies, so declaration order does not matter); a cycle, an
// improper or unsupported family, a prior inside an if, or a parameter
// with no prior site makes the program refuse, naming the parameter and
// the line.
//
// The view is compiled once more, with the same slots: the model block
// with every normalising constant kept and each prior site's terms moved
// to env.prior, and, per parameter, its prior sites inside their loops
// with ~ replaced by a draw. The Program stays immutable: what these
// closures write lives in the Model's env and state slots.
//
// Bounds. A parameter declared <lower=a, upper=b> with a prior f has the
// prior f truncated to [a, b] (and to a T[,] truncation, if the statement
// has one). Stan's target is f·L, without the truncated mass
// M = F(b) - F(a); the normalised prior is f/M. Nested sampling
// integrates the likelihood over the normalised prior, so for
// logPrior + logLik to stay Stan's log density (with constants), and the
// evidence to be Stan's ∫ f·L = M·∫ L·(f/M), log M moves from the prior
// to the likelihood: logPrior gets f/M, logLik gets L·M. M may depend on
// other parameters (sigma ~ normal(0, tau) with sigma >= 0 has M = 1/2,
// but a bound that is a parameter makes M vary), so it is computed at
// every point.

// genCompile is the compiler's state while it compiles the generative view.
type genCompile struct {
	draw   bool // prior sites draw, rather than add their density to env.prior
	sites  map[ast.Stmt]*priorSite
	params []*genParam // by the parameter's index
	pvs    []*paramVar
	inSite ast.Stmt // the site being compiled as its ordinary statement
}

// keepConsts says that densities keep their constants: the generative
// view counts every normalising constant, as target += *_lpdf does, and
// so does a user density called by its normalised name.
func (c *compiler) keepConsts() bool { return c.gen != nil || c.keep }

// generative is a program's generative view; err says why there is none.
type generative struct {
	err   error
	model stmtFn      // the model block, constants kept, priors to env.prior
	order []*genParam // the parameters in the order they are drawn
}

// genParam is one parameter's prior.
type genParam struct {
	idx    int // in Program.params and Model.layouts
	sites  []*priorSite
	usesTP bool // some prior argument reads a transformed parameter
	draw   stmtFn
	marks  stateSlot[[]bool] // which stored elements a draw has filled
}

// priorSite is a statement that gives a parameter (or part of it) its
// prior.
type priorSite struct {
	stmt   ast.Stmt
	pos    token.Position
	param  int
	lhs    ast.Expr // the parameter, indexed or not
	family string
	args   []ast.Expr
	lo, hi ast.Expr   // the T[lo, hi] truncation's bounds, nil when absent
	loops  []ast.Stmt // the enclosing for loops, outermost first
	// deps are the parameters (its own included) that its arguments, its
	// truncation, its indices, its loops and its parameter's bounds read.
	deps map[int]bool
}

// generative analyses the model block and compiles the view. It runs
// after the program compiled without errors; an error compiling the view
// (there should be none) becomes the view's err, not the program's.
func (c *compiler) generative(prog *ast.Program, p *Program) *generative {
	g := &generative{}
	mb := prog.Block(ast.Model)
	params := map[*check.Var]int{}
	for i, pv := range p.params {
		params[pv.v] = i
	}
	if len(p.params) == 0 {
		g.err = errors.New("the program has no parameters")
		return g
	}
	an := &priorAnalysis{c: c, params: params, p: p, tpDeps: c.tpDeps(prog, params),
		sites: make([][]*priorSite, len(p.params)), why: make([]string, len(p.params)),
		whole: make([]bool, len(p.params)), usesTP: map[*priorSite]bool{}}
	if mb != nil {
		an.walk(mb.Body.List, nil, false)
	}
	order, err := an.order()
	if err != nil {
		g.err = err
		return g
	}
	nErr := len(c.errs)
	savedFuncs, savedBase := c.funcs, c.funcBase
	c.funcBase += len(c.funcs)
	c.funcs = map[funcKey]*userFunc{}
	gc := &genCompile{sites: map[ast.Stmt]*priorSite{}, params: make([]*genParam, len(p.params)), pvs: p.params}
	for _, i := range order {
		// Sites that read no element of their own parameter are drawn
		// first: a random walk's start may follow its steps.
		sites := slices.Clone(an.sites[i])
		slices.SortStableFunc(sites, func(x, y *priorSite) int { return cmpBool(x.deps[i], y.deps[i]) })
		gp := &genParam{idx: i, sites: sites, marks: zeroState[[]bool](c)}
		for _, s := range gp.sites {
			gc.sites[s.stmt] = s
			gp.usesTP = gp.usesTP || an.usesTP[s]
		}
		gc.params[i] = gp
		g.order = append(g.order, gp)
	}
	c.gen = gc
	g.model = c.stmts(mb.Body.List)
	gc.draw = true
	for _, gp := range g.order {
		var list []stmtFn
		for _, s := range gp.sites {
			list = append(list, c.stmt(s.nest()))
		}
		gp.draw = func(e *env) ctrl {
			for _, f := range list {
				f(e)
			}
			return next
		}
	}
	c.gen = nil
	c.funcs, c.funcBase = savedFuncs, savedBase
	if len(c.errs) > nErr {
		g.err = fmt.Errorf("the generative view could not be compiled: %v", c.errs[nErr:].Err())
		c.errs = c.errs[:nErr]
	}
	return g
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// nest is the site inside copies of its loops, with nothing else in them.
func (s *priorSite) nest() ast.Stmt {
	st := s.stmt
	for i := len(s.loops) - 1; i >= 0; i-- {
		switch l := s.loops[i].(type) {
		case *ast.ForStmt:
			st = &ast.ForStmt{For: l.For, Var: l.Var, Lo: l.Lo, Hi: l.Hi, Body: st}
		case *ast.ForeachStmt:
			st = &ast.ForeachStmt{For: l.For, Var: l.Var, X: l.X, Body: st}
		}
	}
	return st
}

// ---- the analysis ----

type priorAnalysis struct {
	c      *compiler
	p      *Program
	params map[*check.Var]int
	tpDeps map[*check.Var]map[int]bool
	sites  [][]*priorSite // by parameter
	whole  []bool         // by parameter: a site gives the whole of it its prior
	why    []string       // by parameter: the first statement about it that is not a prior
	usesTP map[*priorSite]bool
}

// walk visits the model block's statements inside loops (outermost
// first); cond says they are inside an if or a while.
func (a *priorAnalysis) walk(list []ast.Stmt, loops []ast.Stmt, cond bool) {
	for _, s := range list {
		switch s := s.(type) {
		case *ast.BlockStmt:
			a.walk(s.List, loops, cond)
		case *ast.ProfileStmt:
			a.walk(s.Body.List, loops, cond)
		case *ast.ForStmt:
			a.walk([]ast.Stmt{s.Body}, append(slices.Clip(loops), s), cond)
		case *ast.ForeachStmt:
			a.walk([]ast.Stmt{s.Body}, append(slices.Clip(loops), s), cond)
		case *ast.WhileStmt:
			a.walk([]ast.Stmt{s.Body}, loops, true)
		case *ast.IfStmt:
			a.walk([]ast.Stmt{s.Then}, loops, true)
			if s.Else != nil {
				a.walk([]ast.Stmt{s.Else}, loops, true)
			}
		case *ast.TildeStmt:
			call := a.c.info.Dists[s]
			site := &priorSite{stmt: s, lhs: s.LHS, family: s.Dist.Name, args: s.Args, loops: loops}
			if s.Truncated {
				site.lo, site.hi = s.TruncLo, s.TruncHi
			}
			a.site(site, cond, call != nil && call.User != nil)
		case *ast.TargetStmt:
			x, ok := s.X.(*ast.CallExpr)
			if !ok || len(x.Args) == 0 || !x.Bar && len(x.Args) > 1 {
				continue
			}
			call := a.c.info.Calls[x]
			if call == nil || call.Dist.Form != types.Density && call.Dist.Form != types.DensityPropto {
				continue
			}
			if _, ok := stdlib().densities[call.Dist.Family]; !ok {
				continue
			}
			a.site(&priorSite{stmt: s, lhs: x.Args[0], family: call.Dist.Family, args: x.Args[1:], loops: loops}, cond, false)
		}
	}
}

// lhsParam returns the parameter a site's left side writes, whole or in
// part, and the expression that selects it.
func (a *priorAnalysis) lhsParam(x ast.Expr) (v *check.Var, sel ast.Expr, whole bool) {
	if call, ok := x.(*ast.CallExpr); ok && len(call.Args) == 1 {
		id, isId := call.Args[0].(*ast.Ident)
		if !isId {
			return nil, nil, false
		}
		v := a.c.info.Uses[id]
		switch {
		case v == nil:
			return nil, nil, false
		case call.Fun.Name == "to_array_1d" && (v.Type.Dims == 0 || v.Type.Kind == types.Real),
			call.Fun.Name == "to_vector" && (v.Type.Dims == 0 || v.Type.Dims == 1 && v.Type.Kind == types.Real):
			// These keep the storage order: matrices column-major,
			// arrays of reals row-major.
			return v, id, true
		}
		return nil, nil, false
	}
	root := ast.Root(x)
	if root == nil {
		return nil, nil, false
	}
	_, isId := x.(*ast.Ident)
	return a.c.info.Uses[root], x, isId
}

// site classifies a statement: a prior site of a parameter, or part of
// the likelihood (with the reason noted when it is about a parameter).
func (a *priorAnalysis) site(s *priorSite, cond, user bool) {
	c := a.c
	s.pos = c.pos(s.stmt.Pos())
	v, sel, whole := a.lhsParam(s.lhs)
	i, isParam := a.params[v]
	if v == nil || !isParam {
		if v != nil && v.Scope == check.Global && v.Block == ast.TransformedParameters {
			for j := range a.tpDeps[v] {
				a.note(j, s.pos, fmt.Sprintf("it gives a distribution to the transformed parameter '%s', which is not a prior of a parameter", v.Name))
			}
			return
		}
		ast.Inspect(s.lhs, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if j, ok := a.params[c.info.Uses[id]]; ok {
					a.note(j, s.pos, "its left side is an expression of the parameter, not the parameter")
				}
			}
			return true
		})
		return
	}
	s.param, s.lhs = i, sel
	pv := a.p.params[i]
	if a.whole[i] {
		return // the parameter has its prior: the rest is likelihood
	}
	reject := func(why string) { a.note(i, s.pos, why) }
	switch {
	case cond:
		reject("it is inside an if or while statement")
		return
	case user:
		reject(fmt.Sprintf("'%s' is a user-defined distribution", s.family))
		return
	}
	if why := familyFits(s.family, pv.base, s.lo != nil || s.hi != nil || pv.lower != nil || pv.upper != nil); why != "" {
		reject(why)
		return
	}
	// The dependencies: the arguments, the truncation, the indices on the
	// left, the loops' ranges and the parameter's own bounds.
	exprs := append([]ast.Expr{s.lo, s.hi}, s.args...)
	if ix, ok := s.lhs.(*ast.IndexExpr); ok {
		for x := ast.Expr(ix); ; {
			n, ok := x.(*ast.IndexExpr)
			if !ok {
				break
			}
			exprs = append(exprs, n.Indices...)
			x = n.X
		}
	}
	for _, l := range s.loops {
		switch l := l.(type) {
		case *ast.ForStmt:
			exprs = append(exprs, l.Lo, l.Hi)
		case *ast.ForeachStmt:
			exprs = append(exprs, l.X)
		}
	}
	if pv.v.Decl != nil {
		exprs = append(exprs, pv.v.Decl.Type.Lower, pv.v.Decl.Type.Upper)
	}
	s.deps = map[int]bool{}
	var why string
	for _, x := range exprs {
		if x == nil {
			continue
		}
		ast.Inspect(x, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if n.Fun.Name == "target" || n.Fun.Name == "get_lp" {
					why = "its arguments read the target"
				}
			case *ast.Ident:
				u := c.info.Uses[n]
				switch {
				case u == nil:
				case u.Scope == check.Global && u.Block == ast.Parameters:
					s.deps[a.params[u]] = true
				case u.Scope == check.Global && u.Block == ast.TransformedParameters:
					a.usesTP[s] = true
					for j := range a.tpDeps[u] {
						s.deps[j] = true
					}
				case u.Scope == check.Local && u.Block == ast.Model:
					why = fmt.Sprintf("its arguments read '%s', a local variable of the model block", u.Name)
				}
			}
			return why == ""
		})
	}
	switch {
	case why != "":
		reject(why)
		return
	case whole && s.deps[i]:
		reject("its arguments depend on the parameter itself")
		return
	case whole && len(a.sites[i]) > 0:
		// Parts of it have priors already: this is likelihood.
		return
	}
	a.whole[i] = whole
	a.sites[i] = append(a.sites[i], s)
}

// note keeps the first reason why a statement about parameter i is not
// its prior.
func (a *priorAnalysis) note(i int, pos token.Position, why string) {
	if a.why[i] == "" {
		a.why[i] = fmt.Sprintf("the statement at %s is not a prior: %s", pos, why)
	}
}

// familyFits says why a family cannot be the prior of a parameter of type
// base, or "" when it can; bounded says the prior is truncated, which
// needs the family's CDFs.
func familyFits(family, base string, bounded bool) string {
	structured := map[string][]string{"simplex": {"dirichlet"}, "cholesky_factor_corr": {"lkj_corr_cholesky"},
		"corr_matrix": {"lkj_corr"}, "cov_matrix": {"wishart", "inv_wishart"}}
	if want, ok := structured[base]; ok {
		if !slices.Contains(want, family) {
			return fmt.Sprintf("a %s parameter's prior must be %s, not %s", base, strings.Join(want, " or "), family)
		}
		return ""
	}
	if isStructured(base) {
		return fmt.Sprintf("no prior of a %s parameter is supported", base)
	}
	switch family {
	case "multi_normal", "multi_normal_cholesky", "multi_student_t":
		if bounded {
			return fmt.Sprintf("the parameter is bounded, and a truncated %s cannot be normalised", family)
		}
		return ""
	}
	d, ok := stdlib().densities[family]
	if !ok || (d.uni == nil && family != "normal") {
		return fmt.Sprintf("'%s' is not a family that can be drawn from as a prior", family)
	}
	if bounded && (d.lcdf == nil || d.lccdf == nil) {
		return fmt.Sprintf("the parameter is bounded and '%s' has no CDF to normalise the truncated prior", family)
	}
	return ""
}

// order checks that every parameter has a prior and returns the
// parameters in an order in which each prior's arguments are drawn
// before it (declaration order where there is a choice).
func (a *priorAnalysis) order() ([]int, error) {
	var errs []string
	for i, pv := range a.p.params {
		if len(a.sites[i]) > 0 {
			continue
		}
		why := a.why[i]
		if why == "" {
			why = "no ~ or target += statement gives it a distribution"
		}
		errs = append(errs, fmt.Sprintf("%s: parameter '%s' has no proper prior: %s", pv.pos, pv.name, why))
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	done := make([]bool, len(a.sites))
	var order []int
	for len(order) < len(a.sites) {
		progress := false
		for i := range a.sites {
			if done[i] || !a.ready(i, done) {
				continue
			}
			done[i] = true
			order = append(order, i)
			progress = true
		}
		if !progress {
			break
		}
	}
	for i, pv := range a.p.params {
		if done[i] {
			continue
		}
		var on []string
		for _, s := range a.sites[i] {
			for j := range s.deps {
				if j != i && !done[j] {
					on = append(on, "'"+a.p.params[j].name+"'")
				}
			}
		}
		slices.Sort(on)
		on = slices.Compact(on)
		errs = append(errs, fmt.Sprintf("%s: parameter '%s' has no proper prior: its prior at %s depends on %s, whose priors depend on it in turn",
			pv.pos, pv.name, a.sites[i][0].pos, strings.Join(on, ", ")))
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return order, nil
}

// ready says whether every parameter that parameter i's priors read,
// other than i itself, is drawn.
func (a *priorAnalysis) ready(i int, done []bool) bool {
	for _, s := range a.sites[i] {
		for j := range s.deps {
			if j != i && !done[j] {
				return false
			}
		}
	}
	return true
}

// tpDeps finds, for each variable the transformed parameters block
// assigns, the parameters its value depends on (through assignments,
// and the conditions and loops around them).
func (c *compiler) tpDeps(prog *ast.Program, params map[*check.Var]int) map[*check.Var]map[int]bool {
	deps := map[*check.Var]map[int]bool{}
	b := prog.Block(ast.TransformedParameters)
	if b == nil {
		return deps
	}
	reads := func(xs []ast.Expr) map[int]bool {
		out := map[int]bool{}
		for _, x := range xs {
			if x == nil {
				continue
			}
			ast.Inspect(x, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					if u := c.info.Uses[id]; u != nil {
						if i, ok := params[u]; ok {
							out[i] = true
						}
						for j := range deps[u] {
							out[j] = true
						}
					}
				}
				return true
			})
		}
		return out
	}
	changed := true
	add := func(v *check.Var, from map[int]bool) {
		if v == nil {
			return
		}
		if deps[v] == nil {
			deps[v] = map[int]bool{}
		}
		for j := range from {
			if !deps[v][j] {
				deps[v][j] = true
				changed = true
			}
		}
	}
	var walk func(list []ast.Stmt, ctx []ast.Expr)
	walk = func(list []ast.Stmt, ctx []ast.Expr) {
		for _, s := range list {
			switch s := s.(type) {
			case *ast.VarDecl:
				if s.Init != nil {
					add(c.info.Uses[s.Name], reads(append(slices.Clip(ctx), s.Init)))
				}
			case *ast.AssignStmt:
				if r := ast.Root(s.LHS); r != nil {
					add(c.info.Uses[r], reads(append(slices.Clip(ctx), s.LHS, s.RHS)))
				}
			case *ast.BlockStmt:
				walk(s.List, ctx)
			case *ast.ProfileStmt:
				walk(s.Body.List, ctx)
			case *ast.ForStmt:
				walk([]ast.Stmt{s.Body}, append(slices.Clip(ctx), s.Lo, s.Hi))
			case *ast.ForeachStmt:
				walk([]ast.Stmt{s.Body}, append(slices.Clip(ctx), s.X))
			case *ast.WhileStmt:
				walk([]ast.Stmt{s.Body}, append(slices.Clip(ctx), s.Cond))
			case *ast.IfStmt:
				walk([]ast.Stmt{s.Then}, append(slices.Clip(ctx), s.Cond))
				if s.Else != nil {
					walk([]ast.Stmt{s.Else}, append(slices.Clip(ctx), s.Cond))
				}
			}
		}
	}
	for changed {
		changed = false
		walk(b.Body.List, nil)
	}
	return deps
}

// ---- compiling the sites ----

// genStmt compiles a prior site of the generative view: in the model
// block, the statement with its terms moved to the prior; in a draw, the
// draw. Other statements, and everything outside the view, compile as
// usual (ok false).
func (c *compiler) genStmt(s ast.Stmt) (stmtFn, bool) {
	if c.gen == nil || c.gen.inSite == s {
		return nil, false
	}
	site, ok := c.gen.sites[s]
	if !ok {
		return nil, false
	}
	if c.gen.draw {
		return c.priorDraw(site), true
	}
	c.gen.inSite = s
	f := c.stmt(s)
	c.gen.inSite = nil
	shift := c.priorShift(site)
	pos := site.pos
	return func(e *env) ctrl {
		n := len(e.target)
		r := f(e)
		lp := 0.0
		for _, v := range e.target[n:] {
			lp += v.Val
		}
		e.target = e.target[:n]
		if shift != nil {
			// log M moves from the prior to the likelihood.
			d := shift(e)
			lp -= d
			e.addTarget(&pos, ad.Const(d))
		}
		e.prior = append(e.prior, lp)
		return r
	}, true
}
