package compile

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/printer"
	"github.com/gostan/gostan/stan/token"
)

// Explicit guides (Baudart et al. 2021, "Compiling Stan to generative
// probabilistic languages and extension to deep probabilistic
// programming"): the guide block draws every model parameter with ~ from
// families with a reparameterised sampler, and its guide parameters are
// fitted by stochastic variational inference.

// guideDraw compiles a guide's x ~ family(args): x is drawn by the
// family's reparameterised sampler, and log q(x), constants kept, is
// added to the target. A univariate family draws element by element with
// its arguments broadcast; a multivariate one draws each vector of x, a
// matrix family the whole matrix x.
func (c *compiler) guideDraw(s *ast.TildeStmt) stmtFn {
	base := s.Dist.Name
	d := stdlib().densities[base]
	if d.reparam == nil && d.reparamMV == nil {
		c.errorf(s.Dist.Pos(), "the guide cannot draw from '%s', which has no reparameterised sampler; it can draw from %s",
			base, strings.Join(guideFamilies(), ", "))
		return nil
	}
	if s.Truncated {
		c.errorf(s.Dist.Pos(), "a guide's draw cannot be truncated")
		return nil
	}
	ref, v, idx, ok := c.lvalue(s.LHS)
	if !ok || !c.guideSupport(s, v, base) {
		return nil
	}
	args := make([]cexpr, len(s.Args))
	for i, a := range s.Args {
		args[i] = c.expr(a)
	}
	if d.reparamMV != nil {
		matrix := isMatrixType(dist.DrawSupport(base).Type)
		if matrix && len(idx) > v.Type.Dims {
			c.errorf(s.Dist.Pos(), "the guide draws whole matrices from '%s'; index %s only in its array dimensions", base, v.Name)
			return nil
		}
		return c.guideDrawMV(d.reparamMV(c, args), ref, v, idx, matrix, c.pos(s.Tilde))
	}
	draw := d.reparam
	da := newDensityArgs(c, args, 0)
	get := ref.getter()
	pos := c.pos(s.Tilde)
	arrayDims := v.Type.Dims
	na := len(args)
	work := newState(c, func() *guideWork {
		return &guideWork{p: make([]ad.Var, na), reals: make([][]ad.Var, na+1)}
	})
	return func(e *env) ctrl {
		w := work.of(e)
		sel, p, reals := &w.sel, w.p, w.reals
		params := da.eval(e).reals
		dst := get(e)
		n := len(dst.R) // without indices, the draw fills the variable
		if idx != nil {
			sel.run(e, dst, arrayDims, idx, pos)
			n = len(sel.offs)
		}
		for k, a := range params {
			if len(a) != 1 && len(a) != n {
				fail(pos, "size mismatch: the guide draws %d values, but argument %d has %d", n, k+1, len(a))
			}
		}
		xs := w.xs[:0]
		for i := range n {
			o := i
			if idx != nil {
				o = sel.offs[i]
			}
			for k, a := range params {
				p[k] = a[0]
				if len(a) > 1 {
					p[k] = a[i]
				}
			}
			x, err := draw(e.t, e.rng, p)
			if err != nil {
				panic(&evalError{pos: pos, err: err})
			}
			dst.R[o] = x
			xs = append(xs, x)
		}
		w.xs = xs
		reals[0] = xs
		copy(reals[1:], params)
		lq, err := d.fn(e.t, false, nil, reals)
		if err != nil {
			panic(&evalError{pos: pos, err: err})
		}
		e.target = append(e.target, lq)
		return next
	}
}

// guideDrawMV compiles a draw of a vector, or of an array of vectors, from
// a multivariate family: the selected elements, a vector's elements
// consecutive, are drawn as vectors of the last dimension's size. A
// matrix family (matrix) draws each square matrix, column-major, as one
// slice.
func (c *compiler) guideDrawMV(draw mvDraw, ref varRef, v *check.Var, idx []index, matrix bool, pos token.Position) stmtFn {
	get := ref.getter()
	arrayDims := v.Type.Dims
	work := zeroState[guideWork](c)
	return func(e *env) ctrl {
		w := work.of(e)
		dst := get(e)
		dims, n := dst.Dims, len(dst.R)
		if idx != nil {
			w.sel.run(e, dst, arrayDims, idx, pos)
			dims, n = w.sel.dims, len(w.sel.offs)
		}
		w.xs = slices.Grow(w.xs[:0], n)[:n]
		w.reals = w.reals[:0]
		k := dims[len(dims)-1]
		if matrix {
			if rows := dims[len(dims)-2]; rows != k {
				fail(pos, "the guide draws square matrices, but %s is %d×%d", v.Name, rows, k)
			}
			k *= k
		}
		if k > 0 {
			for i := 0; i < n; i += k {
				w.reals = append(w.reals, w.xs[i:i+k])
			}
		}
		lq, err := draw(e, w.reals)
		if err != nil {
			panic(&evalError{pos: pos, err: err})
		}
		for i, x := range w.xs {
			if idx != nil {
				i = w.sel.offs[i]
			}
			dst.R[i] = x
		}
		e.target = append(e.target, lq)
		return next
	}
}

// guideFamilies lists the families a guide can draw from, sorted.
func guideFamilies() []string {
	var out []string
	for name, d := range stdlib().densities {
		if d.reparam != nil || d.reparamMV != nil {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// guideSupport checks, while compiling, that a guide's family draws
// inside the declared support of the parameter v it draws, where the
// declaration says enough to know: a constrained type (a simplex, a
// covariance or correlation matrix or its Cholesky factor) comes only
// from the families that draw it (constrainedTypes), those families
// draw nothing else, and a family's interval must lie within bounds
// written as numbers. Bounds given by expressions, and families whose
// interval depends on their arguments (uniform, pareto), are checked at
// each draw (Program.drawChecks).
func (c *compiler) guideSupport(s *ast.TildeStmt, v *check.Var, family string) bool {
	if v.Decl == nil {
		return true
	}
	name, dt := v.Name, v.Decl.Type
	sup := dist.DrawSupport(family)
	switch {
	case isStructured(dt.Base) && sup.Type != dt.Base:
		if fams := typeFamilies(dt.Base); len(fams) > 0 {
			draws := "outside that type"
			if sup.Type != "" {
				draws = typeNoun(sup.Type)
			}
			c.errorf(s.Dist.Pos(), "%s is declared %s, but '%s' draws %s; a guide draws a %s from %s",
				name, dt.Base, family, draws, dt.Base, strings.Join(fams, " or "))
			return false
		}
		kinds := []string{"vectors of reals (" + strings.Join(vectorFamilies(), ", ") + ")"}
		for _, ct := range constrainedTypes {
			kinds = append(kinds, ct.noun+" ("+strings.Join(typeFamilies(ct.base), ", ")+")")
		}
		c.errorf(s.Dist.Pos(), "%s is declared %s, but no guide family draws %s values; the guide can draw %s",
			name, dt.Base, dt.Base, strings.Join(kinds, ", "))
		return false
	case sup.Type != "" && dt.Base != sup.Type:
		c.errorf(s.Dist.Pos(), "the guide draws %s from '%s', whose draws are %s, but %s is declared %s; declare it %s",
			name, family, typeNoun(sup.Type), name, declared(dt), sup.Type)
		return false
	case sup.Type != "" || sup.Varies:
		return true
	}
	lo, loKnown := literal(dt.Lower)
	hi, hiKnown := literal(dt.Upper)
	if (loKnown && sup.Lo < lo) || (hiKnown && sup.Hi > hi) {
		c.errorf(s.Dist.Pos(), "the guide draws %s from '%s', whose draws lie in %s, outside %s's declared %s; %s",
			name, family, interval(sup.Lo, sup.Hi), name, declared(dt), fitting(lo, hi, loKnown, hiKnown))
		return false
	}
	return true
}

// constrainedTypes are the constrained types some guide family draws
// (dist.Support.Type), in the order messages list them.
var constrainedTypes = []struct{ base, noun string }{
	{"simplex", "simplexes"},
	{"cov_matrix", "covariance matrices"},
	{"cholesky_factor_cov", "Cholesky factors of covariance matrices"},
	{"corr_matrix", "correlation matrices"},
	{"cholesky_factor_corr", "Cholesky factors of correlation matrices"},
}

// typeNoun names the values of a constrained type.
func typeNoun(base string) string {
	for _, ct := range constrainedTypes {
		if ct.base == base {
			return ct.noun
		}
	}
	return base + " values"
}

// isMatrixType reports whether a constrained type is a matrix.
func isMatrixType(base string) bool { return base != "" && base != "simplex" }

// typeFamilies are the guide families whose draws are of a constrained
// type, sorted.
func typeFamilies(base string) []string {
	var out []string
	for _, f := range guideFamilies() {
		if dist.DrawSupport(f).Type == base {
			out = append(out, f)
		}
	}
	return out
}

// fitting suggests the families whose draws span the declared bounds
// exactly, or else those whose interval their arguments set.
func fitting(lo, hi float64, loKnown, hiKnown bool) string {
	if !loKnown {
		lo = math.Inf(-1)
	}
	if !hiKnown {
		hi = math.Inf(1)
	}
	var fit []string
	for _, f := range guideFamilies() {
		if s := dist.DrawSupport(f); !s.Varies && s.Type == "" && s.Lo == lo && s.Hi == hi {
			fit = append(fit, f)
		}
	}
	if len(fit) > 0 {
		return "draw it from a family on " + interval(lo, hi) + ": " + strings.Join(fit, ", ")
	}
	return "draw it from a family whose arguments set its interval, such as uniform or pareto"
}

// vectorFamilies are the multivariate guide families on vectors of reals.
func vectorFamilies() []string {
	var out []string
	for _, f := range guideFamilies() {
		if stdlib().densities[f].reparamMV != nil && dist.DrawSupport(f).Type == "" {
			out = append(out, f)
		}
	}
	return out
}

// literal is the value of a bound written as a number, possibly signed
// or in parentheses.
func literal(x ast.Expr) (float64, bool) {
	switch x := x.(type) {
	case *ast.BasicLit:
		if x.Kind != token.INT && x.Kind != token.REAL {
			return 0, false
		}
		v, err := strconv.ParseFloat(x.Value, 64)
		return v, err == nil
	case *ast.ParenExpr:
		return literal(x.X)
	case *ast.UnaryExpr:
		v, ok := literal(x.X)
		switch x.Op {
		case token.SUB:
			return -v, ok
		case token.ADD:
			return v, ok
		}
	}
	return 0, false
}

// interval writes (lo, hi), infinities as Stan writes them.
func interval(lo, hi float64) string {
	num := func(x float64) string {
		switch {
		case math.IsInf(x, 1):
			return "inf"
		case math.IsInf(x, -1):
			return "-inf"
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return "(" + num(lo) + ", " + num(hi) + ")"
}

// declared writes a declaration's type with its bounds, as written.
func declared(t *ast.Type) string {
	var b []string
	if t.Lower != nil {
		b = append(b, "lower="+printer.ExprString(t.Lower))
	}
	if t.Upper != nil {
		b = append(b, "upper="+printer.ExprString(t.Upper))
	}
	if len(b) == 0 {
		return t.Base
	}
	return t.Base + "<" + strings.Join(b, ", ") + ">"
}

// guideWork is a guide draw's per-model work space: the selected
// elements, the draws, one draw's arguments and the density's arguments.
type guideWork struct {
	sel   selector
	xs, p []ad.Var
	reals [][]ad.Var
}

// HasGuide reports whether the program has a guide block.
func (p *Program) HasGuide() bool { return p.guide != nil }

// Guide is a program's explicit guide bound to a model: an svi.Guide
// whose variational parameters are the guide parameters on their
// unconstrained space. Its ELBO evaluates the model at the constrained
// values the guide draws, so the transforms' Jacobians, which would
// appear in both log p and log q, are never computed.
type Guide struct {
	m       *Model
	layouts []*layout
	par     []float64
	leaves  []ad.Var
	names   []string
}

// NewGuide binds the program's guide to m, its parameters drawn uniformly
// in (-2, 2) on the unconstrained scale, as Stan initialises.
func (m *Model) NewGuide(rng *rand.Rand) (g *Guide, err error) {
	if m.p.guide == nil {
		return nil, errors.New("the program has no guide block")
	}
	defer m.recover(&err)
	g = &Guide{m: m}
	layouts, off := layoutParams(m.e, m.p.gparams, 0)
	g.layouts = layouts
	for _, l := range layouts {
		for _, k := range outputOrder(l.dims, l.p.v.Type) {
			g.names = append(g.names, elementName(l.p.name, l.dims, l.p.v.Type, k))
		}
	}
	g.par = make([]float64, off)
	g.leaves = make([]ad.Var, off)
	for i := range g.par {
		g.par[i] = 4*rng.Float64() - 2
	}
	return g, nil
}

// Params are the unconstrained guide parameters.
func (g *Guide) Params() []float64 { return g.par }

// draw runs the guide block from rng, on the tape when taped, and returns
// log q of the draw; the model's parameter slots then hold the draw.
func (g *Guide) draw(rng *rand.Rand, taped bool) ad.Var {
	m := g.m
	e := m.e
	t := e.t
	t.Reset()
	e.target = e.target[:0]
	e.rng = rng
	for i, v := range g.par {
		if taped {
			g.leaves[i] = t.Var(v)
		} else {
			g.leaves[i] = ad.Const(v)
		}
	}
	for _, l := range g.layouts {
		l.constrain(e, g.leaves, nil)
	}
	for _, l := range m.layouts {
		dst := l.p.get(e)
		shapeAs(dst, l.dims, l.p.v.Type)
		dst.fillNaN()
	}
	m.p.guide(e)
	return t.Sum(e.target)
}

// checkDraw reports a draw outside the parameters' declared supports.
func (g *Guide) checkDraw() error {
	for _, ck := range g.m.p.drawChecks {
		if err := ck.run(g.m.e); err != nil {
			return err
		}
	}
	return nil
}

// ELBOGrad adds the gradient of log p(θ) - log q(θ) for one draw θ of the
// guide; the model is evaluated by the program itself, so lp is unused.
func (g *Guide) ELBOGrad(rng *rand.Rand, _ func(z, grad []float64) (float64, error), grad []float64) (elbo float64, err error) {
	m := g.m
	saved := m.e.rng
	defer func() { m.e.rng = saved }()
	defer m.recover(&err)
	e := m.e
	t := e.t
	logq := g.draw(rng, true)
	if err := g.checkDraw(); err != nil {
		return 0, err
	}
	e.target = e.target[:0]
	// The guide's parameters are the declared ones, so the Jacobian of a
	// change of variables the program makes itself (jacobian +=) belongs
	// to log p.
	e.jacobian = true
	if err := m.runModel(); err != nil {
		return 0, err
	}
	obj := t.Sub(t.Sum(e.target), logq)
	if math.IsNaN(obj.Val) || math.IsInf(obj.Val, 0) {
		return 0, fmt.Errorf("log p - log q is %v", obj.Val)
	}
	t.Grad(obj)
	for i, x := range g.leaves {
		grad[i] += t.Adjoint(x)
	}
	return obj.Val, nil
}

// Sample draws the model's parameters from the guide and writes them
// unconstrained into z, for Model.Write; a guide that fails 100 times in
// a row gives NaNs.
func (g *Guide) Sample(rng *rand.Rand, z []float64) {
	for range 100 {
		if g.sample(rng, z) == nil {
			return
		}
	}
	for i := range z {
		z[i] = math.NaN()
	}
}

func (g *Guide) sample(rng *rand.Rand, z []float64) (err error) {
	m := g.m
	saved := m.e.rng
	defer func() { m.e.rng = saved }()
	defer m.recover(&err)
	g.draw(rng, false)
	if err := g.checkDraw(); err != nil {
		return err
	}
	for _, l := range m.layouts {
		if err := l.unconstrain(m.e, z); err != nil {
			return err
		}
	}
	return nil
}

// Data are the guide parameters' values as data, each variable with its
// sizes: what the command line writes as JSON beside the draws, and what
// SetValues reads back.
func (g *Guide) Data() (model.Data, error) {
	vals, err := g.Values()
	if err != nil {
		return nil, err
	}
	return layoutData(g.layouts, vals), nil
}

// SetValues sets the guide parameters that init holds, given on their
// constrained scale as a CmdStan init file gives parameters; the others
// keep their values. A value outside its parameter's support is an error
// naming it.
func (g *Guide) SetValues(init model.Data) (err error) {
	defer g.m.recover(&err)
	return g.m.unconstrainInto(g.layouts, init, g.par)
}

// Names are the guide parameters' columns, as Stan names them.
func (g *Guide) Names() []string { return g.names }

// Values are the guide parameters on their constrained scale, in the
// order of Names.
func (g *Guide) Values() (out []float64, err error) {
	m := g.m
	defer m.recover(&err)
	for i, v := range g.par {
		g.leaves[i] = ad.Const(v)
	}
	for _, l := range g.layouts {
		l.constrain(m.e, g.leaves, nil)
		v := l.p.get(m.e)
		for _, k := range outputOrder(l.dims, l.p.v.Type) {
			out = append(out, v.R[k].Val)
		}
	}
	return out, nil
}
