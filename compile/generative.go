package compile

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/mathx"
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
// view counts every normalising constant, as target += *_lpdf does.
func (c *compiler) keepConsts() bool { return c.gen != nil }

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
	c.funcs = map[*ast.FuncDecl]*userFunc{}
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
			base, _, ok := splitDensity(x.Fun.Name)
			if !ok {
				continue
			}
			a.site(&priorSite{stmt: s, lhs: x.Args[0], family: base, args: x.Args[1:], loops: loops}, cond, false)
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
	d, ok := densities[family]
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

// uniFamily is a univariate family's sampler and CDFs, from dist.
type uniFamily struct {
	rng         func(r *rand.Rand, p []float64) (float64, error)
	lcdf, lccdf func(t *ad.Tape, r [][]ad.Var) (ad.Var, error)
}

func familyOf(name string) uniFamily {
	d := densities[name]
	f := uniFamily{lcdf: d.lcdf, lccdf: d.lccdf}
	if u := d.uni; u != nil {
		f.rng = func(r *rand.Rand, p []float64) (float64, error) { return u.Rng(r, p...) }
	} else {
		f.rng = func(r *rand.Rand, p []float64) (float64, error) { return dist.NormalRng(r, p[0], p[1]) }
	}
	return f
}

// at is a log CDF (or CCDF) at x with parameters p.
func (f uniFamily) at(t *ad.Tape, w *siteWork, cdf func(*ad.Tape, [][]ad.Var) (ad.Var, error), p []float64, x float64) (float64, error) {
	w.x[0] = ad.Const(x)
	w.args = append(w.args[:0], w.x[:])
	for k, v := range p {
		w.pv[k] = ad.Const(v)
		w.args = append(w.args, w.pv[k:k+1])
	}
	v, err := cdf(t, w.args)
	return v.Val, err
}

// logMass is the log of the family's mass in [lo, hi] with parameters p,
// from whichever tail keeps the precision.
func (f uniFamily) logMass(t *ad.Tape, w *siteWork, p []float64, lo, hi float64) (float64, error) {
	if math.IsInf(lo, -1) && math.IsInf(hi, 1) {
		return 0, nil
	}
	at := func(cdf func(*ad.Tape, [][]ad.Var) (ad.Var, error), x float64) (float64, error) {
		return f.at(t, w, cdf, p, x)
	}
	switch {
	case math.IsInf(lo, -1):
		return at(f.lcdf, hi)
	case math.IsInf(hi, 1):
		return at(f.lccdf, lo)
	}
	a, err := at(f.lcdf, lo)
	if err != nil {
		return 0, err
	}
	if a < -math.Ln2 {
		b, err := at(f.lcdf, hi)
		return mathx.LogDiffExp(b, a), err
	}
	// lo is above the median: the upper tails are the precise ones.
	a, err = at(f.lccdf, lo)
	if err != nil {
		return 0, err
	}
	b, err := at(f.lccdf, hi)
	return mathx.LogDiffExp(a, b), err
}

// rejections is how many draws a truncated prior rejects before it draws
// by inverting its CDF instead.
const rejections = 64

// drawIn draws from the family restricted to the open interval (lo, hi):
// by rejection while the interval holds much of the mass, else by
// inverting the CDF (dist has no quantile functions; its CDFs are inverted
// by bisection).
func (f uniFamily) drawIn(t *ad.Tape, w *siteWork, r *rand.Rand, p []float64, lo, hi float64) (float64, error) {
	for range rejections {
		x, err := f.rng(r, p)
		if err != nil {
			return 0, err
		}
		if x > lo && x < hi {
			return x, nil
		}
	}
	if f.lcdf == nil || f.lccdf == nil {
		return 0, fmt.Errorf("none of %d draws fell inside the bounds (%v, %v), and the family has no CDF to invert", rejections, lo, hi)
	}
	logM, err := f.logMass(t, w, p, lo, hi)
	if err != nil {
		return 0, err
	}
	if math.IsInf(logM, -1) || math.IsNaN(logM) {
		return 0, fmt.Errorf("the prior has no mass inside the bounds (%v, %v)", lo, hi)
	}
	logU := math.Log(r.Float64()) + logM
	// Solve for x in whichever tail is precise at lo: F(x) = F(lo) + u·M,
	// or, above the median, S(x) = S(lo) - u·M with S = 1 - F.
	cdf, sign := f.lcdf, 1.0
	var target float64
	if math.IsInf(lo, -1) {
		target = logU
	} else if a, err := f.at(t, w, f.lcdf, p, lo); err != nil {
		return 0, err
	} else if a < -math.Ln2 {
		target = mathx.LogSumExp2(a, logU)
	} else {
		s, err := f.at(t, w, f.lccdf, p, lo)
		if err != nil {
			return 0, err
		}
		cdf, sign, target = f.lccdf, -1, mathx.LogDiffExp(s, logU)
	}
	// below says the root is above x: the (signed) log CDF is below target.
	below := func(x float64) (bool, error) {
		v, err := f.at(t, w, cdf, p, x)
		return sign*v < sign*target, err
	}
	// Finite brackets inside (lo, hi), stepping out from a finite end.
	a, b := lo, hi
	start := 0.0
	switch {
	case !math.IsInf(lo, -1) && !math.IsInf(hi, 1):
	case !math.IsInf(lo, -1):
		start = lo
	case !math.IsInf(hi, 1):
		start = hi
	}
	for step := 1.0; math.IsInf(a, -1) || math.IsInf(b, 1); step *= 2 {
		if step > 1e300 {
			return 0, fmt.Errorf("cannot bracket the prior's quantile in (%v, %v)", lo, hi)
		}
		if math.IsInf(a, -1) {
			if ok, err := below(start - step); err != nil {
				return 0, err
			} else if ok {
				a = start - step
			}
		}
		if math.IsInf(b, 1) {
			if ok, err := below(start + step); err != nil {
				return 0, err
			} else if !ok {
				b = start + step
			}
		}
	}
	for range 200 {
		m := a + (b-a)/2
		if m <= a || m >= b {
			break
		}
		ok, err := below(m)
		if err != nil {
			return 0, err
		}
		if ok {
			a = m
		} else {
			b = m
		}
	}
	x := a + (b-a)/2
	if !(x > lo && x < hi) {
		return 0, fmt.Errorf("the prior's quantile %v is not inside the bounds (%v, %v)", x, lo, hi)
	}
	return x, nil
}

// siteWork is a univariate site's per-model buffers.
type siteWork struct {
	sel  selector
	all  []int
	p    []float64
	x    [1]ad.Var
	pv   [3]ad.Var
	args [][]ad.Var
	vals []float64
}

// uniSite is a compiled univariate prior site: the selection of the
// parameter, the family's parameters and the truncation.
type uniSite struct {
	pv      *paramVar
	get     func(*env) *Val
	arrDims int
	idx     []index
	params  *densityArgs
	lo, hi  func(*env) ad.Var
	fam     uniFamily
	pos     token.Position
	work    stateSlot[siteWork]
}

func (c *compiler) uniSite(s *priorSite) *uniSite {
	ref, v, idx, _ := c.lvalue(s.lhs)
	u := &uniSite{pv: c.gen.pvs[s.param], get: ref.getter(), arrDims: v.Type.Dims, idx: idx,
		fam: familyOf(s.family), pos: s.pos, work: zeroState[siteWork](c)}
	args := make([]cexpr, len(s.args))
	for k, a := range s.args {
		args[k] = c.expr(a)
	}
	u.params = newDensityArgs(c, args, 0)
	if s.lo != nil {
		u.lo = c.expr(s.lo).real()
	}
	if s.hi != nil {
		u.hi = c.expr(s.hi).real()
	}
	return u
}

// offsets are the stored elements the site selects.
func offsets(e *env, w *siteWork, dst *Val, arrDims int, idx []index, pos token.Position) []int {
	if idx != nil {
		w.sel.run(e, dst, arrDims, idx, pos)
		return w.sel.offs
	}
	w.all = w.all[:0]
	for o := range dst.R {
		w.all = append(w.all, o)
	}
	return w.all
}

// element fills w.p with element i's family parameters, broadcasting.
func (u *uniSite) element(w *siteWork, reals [][]ad.Var, i, n int) []float64 {
	w.p = w.p[:0]
	for k, a := range reals {
		if len(a) != 1 && len(a) != n {
			fail(u.pos, "size mismatch: the prior gives %d values, but argument %d has %d", n, k+1, len(a))
		}
		w.p = append(w.p, a[min(i, len(a)-1)].Val)
	}
	return w.p
}

// bounds are element o's support under the prior: its declared bounds
// within the truncation (tlo, thi).
func (u *uniSite) bounds(e *env, o int, tlo, thi float64) (float64, float64) {
	lo := max(boundAt(e, u.pv.lower, o, math.Inf(-1)).Val, tlo)
	hi := min(boundAt(e, u.pv.upper, o, math.Inf(1)).Val, thi)
	return lo, hi
}

// truncation is the statement's T[lo, hi], infinite where absent.
func (u *uniSite) truncation(e *env) (float64, float64) {
	lo, hi := math.Inf(-1), math.Inf(1)
	if u.lo != nil {
		lo = u.lo(e).Val
	}
	if u.hi != nil {
		hi = u.hi(e).Val
	}
	return lo, hi
}

// priorShift compiles the log mass that moves from a site's prior to the
// likelihood: log M of the declared bounds (within the truncation) less
// the truncation's own log mass, which the statement already divides by.
// It is nil when the parameter has no bounds, and so needs no shift.
func (c *compiler) priorShift(s *priorSite) func(*env) float64 {
	pv := c.gen.pvs[s.param]
	if pv.lower == nil && pv.upper == nil || !isUnivariate(s.family) {
		return nil
	}
	u := c.uniSite(s)
	truncated := s.lo != nil || s.hi != nil
	return func(e *env) float64 {
		w := u.work.of(e)
		reals := u.params.eval(e).reals
		dst := u.get(e)
		offs := offsets(e, w, dst, u.arrDims, u.idx, u.pos)
		tlo, thi := u.truncation(e)
		d := 0.0
		for i, o := range offs {
			p := u.element(w, reals, i, len(offs))
			lo, hi := u.bounds(e, o, tlo, thi)
			m, err := u.fam.logMass(e.t, w, p, lo, hi)
			if err != nil {
				panic(&evalError{pos: u.pos, err: err})
			}
			d += m
			if truncated {
				mt, err := u.fam.logMass(e.t, w, p, tlo, thi)
				if err != nil {
					panic(&evalError{pos: u.pos, err: err})
				}
				d -= mt
			}
		}
		return d
	}
}

func isUnivariate(family string) bool {
	return family == "normal" || densities[family].uni != nil
}

// priorDraw compiles a site's draw: the elements it selects are drawn
// from its family, within their bounds, and marked drawn.
func (c *compiler) priorDraw(s *priorSite) stmtFn {
	gp := c.gen.params[s.param]
	pv := c.gen.pvs[s.param]
	marks, pos := gp.marks, s.pos
	mark := func(e *env, dst *Val, offs []int) {
		m := *marks.of(e)
		for _, o := range offs {
			if m[o] {
				fail(pos, "%s is given a prior twice", elementName(pv.name, dst.Dims, pv.v.Type, o))
			}
			m[o] = true
		}
	}
	if isUnivariate(s.family) {
		u := c.uniSite(s)
		return func(e *env) ctrl {
			w := u.work.of(e)
			reals := u.params.eval(e).reals
			dst := u.get(e)
			offs := offsets(e, w, dst, u.arrDims, u.idx, u.pos)
			mark(e, dst, offs)
			tlo, thi := u.truncation(e)
			for i, o := range offs {
				p := u.element(w, reals, i, len(offs))
				lo, hi := u.bounds(e, o, tlo, thi)
				x, err := u.fam.drawIn(e.t, w, e.rng, p, lo, hi)
				if err != nil {
					fail(pos, "drawing %s from its prior: %v", elementName(pv.name, dst.Dims, pv.v.Type, o), err)
				}
				dst.R[o] = ad.Const(x)
			}
			return next
		}
	}
	return c.multiDraw(s, mark)
}

// multiDraw compiles the draw of a multivariate site: a simplex, a
// correlation or covariance matrix or its Cholesky factor, or vectors
// (an array of them when the location is broadcast or an array).
func (c *compiler) multiDraw(s *priorSite, mark func(*env, *Val, []int)) stmtFn {
	pv := c.gen.pvs[s.param]
	ref, v, idx, _ := c.lvalue(s.lhs)
	get, arrDims, pos := ref.getter(), v.Type.Dims, s.pos
	args := make([]func(*env) *Val, len(s.args))
	reals := make([]func(*env) ad.Var, len(s.args))
	for k, a := range s.args {
		x := c.expr(a)
		if x.v != nil {
			args[k] = x.val(true)
		} else {
			reals[k] = x.real()
		}
	}
	work := zeroState[siteWork](c)
	family := s.family
	return func(e *env) ctrl {
		w := work.of(e)
		dst := get(e)
		offs := offsets(e, w, dst, arrDims, idx, pos)
		mark(e, dst, offs)
		n := len(offs)
		w.vals = w.vals[:0]
		var err error
		switch family {
		case "dirichlet":
			var x []float64
			x, err = dist.DirichletRng(e.rng, floats(w, args[0](e)))
			w.vals = append(w.vals, x...)
		case "lkj_corr_cholesky", "lkj_corr", "wishart", "inv_wishart":
			k := int(math.Round(math.Sqrt(float64(n))))
			var m *mat.Dense
			switch family {
			case "lkj_corr_cholesky":
				m, err = dist.LkjCorrCholeskyRng(e.rng, k, reals[0](e).Val)
			case "lkj_corr":
				m, err = dist.LkjCorrRng(e.rng, k, reals[0](e).Val)
			case "wishart":
				m, err = dist.WishartRng(e.rng, reals[0](e).Val, dense(args[1](e)))
			default:
				m, err = dist.InvWishartRng(e.rng, reals[0](e).Val, dense(args[1](e)))
			}
			if err == nil {
				for j := range k {
					for i := range k {
						w.vals = append(w.vals, m.At(i, j)) // column-major
					}
				}
			}
		default: // multi_normal, multi_normal_cholesky, multi_student_t
			nu, loc := 0.0, args
			if family == "multi_student_t" {
				nu, loc = reals[0](e).Val, args[1:]
			}
			mu, sigma := floats(w, loc[0](e)), dense(loc[1](e))
			k, _ := sigma.Dims()
			if k == 0 || n%k != 0 || len(mu) != k && len(mu) != n {
				fail(pos, "size mismatch: %d values drawn from %s with a location of %d and a %d×%d matrix", n, family, len(mu), k, k)
			}
			for b := 0; b < n/k && err == nil; b++ {
				m := mu[min(b*k, len(mu)-k):][:k]
				var x []float64
				switch family {
				case "multi_normal":
					x, err = dist.MultiNormalRng(e.rng, m, sigma)
				case "multi_normal_cholesky":
					x, err = dist.MultiNormalCholeskyRng(e.rng, m, sigma)
				default:
					x, err = dist.MultiStudentTRng(e.rng, nu, m, sigma)
				}
				w.vals = append(w.vals, x...)
			}
		}
		if err != nil {
			fail(pos, "drawing %s from its prior: %v", pv.name, err)
		}
		if len(w.vals) != n {
			fail(pos, "size mismatch: %s draws %d values for %d elements of '%s'", family, len(w.vals), n, pv.name)
		}
		for i, o := range offs {
			dst.R[o] = ad.Const(w.vals[i])
		}
		return next
	}
}

// floats are a value's reals, in w.p.
func floats(w *siteWork, v *Val) []float64 {
	w.p = w.p[:0]
	for _, x := range v.R {
		w.p = append(w.p, x.Val)
	}
	return w.p
}

// dense is a matrix value as a gonum matrix.
func dense(v *Val) *mat.Dense {
	m := v.matrix()
	out := mat.NewDense(max(m.Rows, 1), max(m.Cols, 1), nil)
	for j := range m.Cols {
		for i := range m.Rows {
			out.Set(i, j, m.Data[i+j*m.Rows].Val)
		}
	}
	return out
}

// ---- the Model's side: nested.Problem ----

// generativeView is the program's generative view, or why it has none.
func (p *Program) generativeView() (*generative, error) {
	switch {
	case p.gen == nil:
		return nil, errors.New("the program did not compile, so it has no priors")
	case p.gen.err != nil:
		return nil, p.gen.err
	}
	return p.gen, nil
}

// CheckPriors says whether the program has a generative view: an error
// naming each parameter without a proper prior, and the line, or one
// from drawing the prior once and evaluating the draw.
func (m *Model) CheckPriors() error {
	if _, err := m.p.generativeView(); err != nil {
		return err
	}
	z := make([]float64, m.dim)
	if err := m.DrawPrior(rand.New(rand.NewPCG(m.seed, 0x9e1)), z); err != nil {
		return fmt.Errorf("drawing from the prior: %w", err)
	}
	lp, _, err := m.PriorLikelihood(z)
	if err != nil {
		return fmt.Errorf("evaluating a draw from the prior: %w", err)
	}
	if math.IsNaN(lp) || math.IsInf(lp, 0) {
		return fmt.Errorf("the prior's log density at a draw from it is %v", lp)
	}
	return nil
}

// DrawPrior draws the parameters from their priors, in the order the
// analysis found, and writes them unconstrained into z.
func (m *Model) DrawPrior(rng *rand.Rand, z []float64) (err error) {
	g, err := m.p.generativeView()
	if err != nil {
		return err
	}
	if len(z) != m.dim {
		return fmt.Errorf("the point has %d values, but the model has %d unconstrained parameters", len(z), m.dim)
	}
	e := m.e
	saved := e.rng
	e.rng = rng
	defer func() { e.rng = saved }()
	defer m.recover(&err)
	e.t.Reset()
	for _, l := range m.layouts {
		dst := l.p.get(e)
		shapeAs(dst, l.dims, l.p.v.Type)
		dst.fillNaN()
	}
	for _, gp := range g.order {
		l := m.layouts[gp.idx]
		dst := l.p.get(e)
		marks := gp.marks.of(e)
		*marks = slices.Grow((*marks)[:0], len(dst.R))[:len(dst.R)]
		clear(*marks)
		if gp.usesTP {
			m.tryTParams()
		}
		gp.draw(e)
		for o, done := range *marks {
			if !done {
				return fmt.Errorf("%s: %s is given no prior (the prior statements cover only part of '%s')",
					gp.sites[0].pos, elementName(l.p.name, l.dims, l.p.v.Type, o), l.p.name)
			}
		}
	}
	for _, l := range m.layouts {
		if err := l.unconstrain(e, z); err != nil {
			return err
		}
	}
	return nil
}

// tryTParams runs the transformed parameters on the parameters drawn so
// far, the rest NaN: the ones a prior reads depend only on drawn ones. An
// error of the others is no error of the draw.
func (m *Model) tryTParams() {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(*evalError); !ok {
				panic(r)
			}
			m.e.unwind()
		}
	}()
	if m.p.tparams != nil {
		m.p.tparams(m.e)
	}
}

// PriorLikelihood splits the log density at z, with every constant, into
// the prior's (its log-Jacobian included) and the likelihood's; their sum
// is LogDensity's value plus the constants Stan drops.
func (m *Model) PriorLikelihood(z []float64) (logPrior, logLik float64, err error) {
	g, err := m.p.generativeView()
	if err != nil {
		return 0, 0, err
	}
	if len(z) != m.dim {
		return 0, 0, fmt.Errorf("the point has %d values, but the model has %d unconstrained parameters", len(z), m.dim)
	}
	defer m.recover(&err)
	e := m.e
	e.t.Reset()
	e.target = e.target[:0]
	e.prior = e.prior[:0]
	e.nonFinite = nil
	for i, v := range z {
		m.leaves[i] = ad.Const(v)
	}
	lj := ad.Const(0)
	for _, l := range m.layouts {
		l.constrain(e, m.leaves[l.off:l.off+l.n], &lj)
	}
	if err := m.runTParams(); err != nil {
		return 0, 0, err
	}
	g.model(e)
	logPrior = lj.Val
	for _, v := range e.prior {
		logPrior += v
	}
	for _, v := range e.target {
		logLik += v.Val
	}
	return logPrior, logLik, nil
}
