package compile

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/types"
)

// density is a log density or mass function of the dist package: its
// leading integer arguments, then real ones.
type density struct {
	ints int
	fn   func(t *ad.Tape, propto bool, ints [][]int, reals [][]ad.Var) (ad.Var, error)
	// prepare is fn for a family of reals alone, with the arguments
	// no evaluation changes prepared, once per Model (dist.Prepared);
	// nil when the family has none.
	prepare func(fixed []bool, reals [][]ad.Var) dist.Prepared
	// lcdf and lccdf, for truncation and the _lcdf/_lccdf functions.
	lcdf, lccdf func(t *ad.Tape, reals [][]ad.Var) (ad.Var, error)
	// build compiles a density whose arguments are not all vectorised
	// reals and ints (multivariate and GLM families); fn is then nil.
	build func(c *compiler, args []cexpr, propto bool, pos token.Position) func(*env) ad.Var
	// truncCDF is the log CDF (or, upper, CCDF) of a build family of ints
	// only, for truncation: its arguments are the variate's and the
	// parameters'.
	truncCDF func(ints [][]int, upper bool) (float64, error)
	// intCDF compiles the log CDF (or, upper, CCDF) of a build family
	// with an int variate and differentiable parameters, params, at y: for
	// its _lcdf, _lccdf and _cdf functions and for truncation.
	intCDF func(c *compiler, params []cexpr, pos token.Position) func(e *env, y []int, upper bool) ad.Var
	// uni or disc is the family, when the dist package has it whole.
	uni  *dist.Univariate
	disc *dist.Discrete
	// rng compiles the family's _rng call; nil when Stan has none.
	rng builtin
	// reparam is the family's reparameterised draw, for guides; nil when
	// the dist package has none.
	reparam dist.ReparamFunc
	// reparamMV compiles a multivariate family's reparameterised draw,
	// for guides, from its parameters' arguments (the variate left out).
	reparamMV func(c *compiler, params []cexpr) mvDraw
}

// mvDraw fills each vector of y with a reparameterised draw and returns
// their log density, constants kept.
type mvDraw func(e *env, y [][]ad.Var) (ad.Var, error)

// withReparamMV returns d with its multivariate guide draw.
func (d density) withReparamMV(f func(c *compiler, params []cexpr) mvDraw) density {
	d.reparamMV = f
	return d
}

// withLpdf returns d with a specialised density in place of its family's
// generic driver.
func (d density) withLpdf(fn func(t *ad.Tape, propto bool, ints [][]int, reals [][]ad.Var) (ad.Var, error)) density {
	d.fn, d.prepare = fn, nil
	return d
}

// withRng returns d with its rng.
func (d density) withRng(rng builtin) density {
	d.rng = rng
	return d
}

func univariate(u *dist.Univariate) density {
	d := density{uni: u, rng: uniRng(u), fn: func(t *ad.Tape, propto bool, _ [][]int, r [][]ad.Var) (ad.Var, error) {
		return u.Lpdf(t, propto, r...)
	}, prepare: u.Prepare}
	if u.HasCDF() {
		d.lcdf = func(t *ad.Tape, r [][]ad.Var) (ad.Var, error) { return u.Lcdf(t, r...) }
		d.lccdf = func(t *ad.Tape, r [][]ad.Var) (ad.Var, error) { return u.Lccdf(t, r...) }
	}
	return d
}

func discrete(u *dist.Discrete, ints int) density {
	return density{ints: ints, disc: u, rng: discRng(u, ints), fn: func(t *ad.Tape, propto bool, n [][]int, r [][]ad.Var) (ad.Var, error) {
		return u.Lpmf(t, propto, n, r...)
	}}
}

// addUnivariateFamilies defines the families of vectorised real and int
// arguments, whose densities, CDFs and rngs the dist package has.
func (l *library) addUnivariateFamilies() {
	for name, d := range map[string]density{
		"normal": {
			fn: func(t *ad.Tape, propto bool, _ [][]int, r [][]ad.Var) (ad.Var, error) {
				return dist.NormalLpdf(t, propto, r[0], r[1], r[2])
			},
			prepare: func(fixed []bool, r [][]ad.Var) dist.Prepared {
				return dist.NormalPrepare(fixed, r[0], r[1], r[2])
			},
			lcdf:  func(t *ad.Tape, r [][]ad.Var) (ad.Var, error) { return dist.NormalLcdf(t, r[0], r[1], r[2]) },
			lccdf: func(t *ad.Tape, r [][]ad.Var) (ad.Var, error) { return dist.NormalLccdf(t, r[0], r[1], r[2]) },
			rng:   vectorRng(func(r *rand.Rand, p []float64) (float64, error) { return dist.NormalRng(r, p[0], p[1]) }, nil, 0),
		},
		"std_normal": univariate(dist.StdNormal).withLpdf(func(t *ad.Tape, propto bool, _ [][]int, r [][]ad.Var) (ad.Var, error) {
			return dist.StdNormalLpdf(t, propto, r[0])
		}),
		"student_t":               univariate(dist.StudentT),
		"cauchy":                  univariate(dist.Cauchy),
		"double_exponential":      univariate(dist.DoubleExponential),
		"logistic":                univariate(dist.Logistic),
		"loglogistic":             univariate(dist.Loglogistic),
		"gumbel":                  univariate(dist.Gumbel),
		"lognormal":               univariate(dist.Lognormal),
		"chi_square":              univariate(dist.ChiSquare),
		"inv_chi_square":          univariate(dist.InvChiSquare),
		"scaled_inv_chi_square":   univariate(dist.ScaledInvChiSquare),
		"exponential":             univariate(dist.Exponential),
		"gamma":                   univariate(dist.Gamma),
		"inv_gamma":               univariate(dist.InvGamma),
		"weibull":                 univariate(dist.Weibull),
		"frechet":                 univariate(dist.Frechet),
		"rayleigh":                univariate(dist.Rayleigh),
		"pareto":                  univariate(dist.Pareto),
		"pareto_type_2":           univariate(dist.ParetoType2),
		"beta":                    univariate(dist.Beta),
		"beta_proportion":         univariate(dist.BetaProportion),
		"von_mises":               univariate(dist.VonMises),
		"uniform":                 univariate(dist.Uniform),
		"skew_normal":             univariate(dist.SkewNormal),
		"exp_mod_normal":          univariate(dist.ExpModNormal),
		"skew_double_exponential": univariate(dist.SkewDoubleExponential),
		"bernoulli":               discrete(dist.Bernoulli, 1),
		"bernoulli_logit":         discrete(dist.BernoulliLogit, 1),
		"binomial":                discrete(dist.Binomial, 2),
		"binomial_logit":          discrete(dist.BinomialLogit, 2),
		"poisson":                 discrete(dist.Poisson, 1),
		"poisson_log":             discrete(dist.PoissonLog, 1),
		"neg_binomial":            discrete(dist.NegBinomial, 1),
		"neg_binomial_2":          discrete(dist.NegBinomial2, 1),
		"neg_binomial_2_log":      discrete(dist.NegBinomial2Log, 1),
		"beta_binomial":           discrete(dist.BetaBinomial, 2),
		"beta_neg_binomial":       discrete(dist.BetaNegBinomial, 1),
		"yule_simon":              discrete(dist.YuleSimon, 1),
	} {
		l.family(name, d)
	}
}

// densityArgs converts compiled arguments to the slices a density takes:
// scalars become one-element slices. The slices are the model's
// (densitySlices), which eval fills.
type densityArgs struct {
	fi   []func(*env) []int
	fr   []func(*env) []ad.Var
	work stateSlot[densitySlices]
}

// densitySlices are a model's arguments of one density call, and the
// storage of its scalar arguments.
type densitySlices struct {
	ints  [][]int
	reals [][]ad.Var
	oneI  []int
	oneR  []ad.Var
}

func newDensityArgs(c *compiler, args []cexpr, nInts int) *densityArgs {
	nReals := len(args) - nInts
	a := &densityArgs{work: newState(c, func() *densitySlices {
		return &densitySlices{ints: make([][]int, nInts), reals: make([][]ad.Var, nReals),
			oneI: make([]int, nInts), oneR: make([]ad.Var, nReals)}
	})}
	work := a.work
	for k, x := range args {
		if k < nInts {
			if x.i != nil {
				f := x.i
				a.fi = append(a.fi, func(e *env) []int { w := work.of(e); w.oneI[k] = f(e); return w.oneI[k : k+1] })
			} else {
				f := x.v
				a.fi = append(a.fi, func(e *env) []int { return f(e).I })
			}
			continue
		}
		j := k - nInts
		if x.v == nil {
			f := x.real()
			a.fr = append(a.fr, func(e *env) []ad.Var { w := work.of(e); w.oneR[j] = f(e); return w.oneR[j : j+1] })
		} else {
			f := x.val(true)
			a.fr = append(a.fr, func(e *env) []ad.Var { return f(e).R })
		}
	}
	return a
}

// eval evaluates the arguments into the model's slices.
func (a *densityArgs) eval(e *env) *densitySlices {
	w := a.work.of(e)
	for i, f := range a.fi {
		w.ints[i] = f(e)
	}
	for i, f := range a.fr {
		w.reals[i] = f(e)
	}
	return w
}

// densityCall compiles a call of a family's density or CDF, such as
// normal_lpdf(y | mu, sigma), as the checker resolved it.
func (c *compiler) densityCall(x *ast.CallExpr, call *check.Call, args []cexpr, t types.Type) cexpr {
	pos := c.pos(x.Pos())
	d, known := stdlib().densities[call.Dist.Family]
	form := call.Dist.Form
	switch {
	case !known:
	case form == types.Density || form == types.DensityPropto:
		propto := form == types.DensityPropto && !c.keepConsts()
		if d.build != nil {
			return cexpr{t: t, r: d.build(c, args, propto, pos)}
		}
		if f := scalarUnivariate(c, d, args, propto, pos); f != nil {
			return cexpr{t: t, r: f}
		}
		if f := c.fixedDensity(d, x.Args, args, propto, pos); f != nil {
			return cexpr{t: t, r: f.eval}
		}
		da := newDensityArgs(c, args, d.ints)
		return cexpr{t: t, r: func(e *env) ad.Var {
			w := da.eval(e)
			lp, err := d.fn(e.t, propto, w.ints, w.reals)
			if err != nil {
				panic(&evalError{pos: pos, err: err})
			}
			return lp
		}}
	default:
		upper, noLog := form == types.LCCDF, form == types.CDF
		f := d.lcdf
		if upper {
			f = d.lccdf
		}
		if d.intCDF != nil {
			y, at := intsOf(args[0]), d.intCDF(c, args[1:], pos)
			return cexpr{t: t, r: func(e *env) ad.Var {
				v := at(e, y(e), upper)
				if noLog {
					return e.t.Exp(v)
				}
				return v
			}}
		}
		if d.truncCDF != nil {
			da := newDensityArgs(c, args, len(args))
			return cexpr{t: t, r: func(e *env) ad.Var {
				v, err := d.truncCDF(da.eval(e).ints, upper)
				if err != nil {
					panic(&evalError{pos: pos, err: err})
				}
				if noLog {
					return ad.Const(math.Exp(v))
				}
				return ad.Const(v)
			}}
		}
		if u := d.disc; u != nil {
			da := newDensityArgs(c, args, d.ints)
			return cexpr{t: t, r: func(e *env) ad.Var {
				w := da.eval(e)
				var v ad.Var
				var err error
				if upper {
					v, err = u.Lccdf(e.t, w.ints, w.reals...)
				} else {
					v, err = u.Lcdf(e.t, w.ints, w.reals...)
				}
				if err != nil {
					panic(&evalError{pos: pos, err: err})
				}
				if noLog {
					return e.t.Exp(v)
				}
				return v
			}}
		}
		if f == nil {
			break
		}
		da := newDensityArgs(c, args, 0)
		return cexpr{t: t, r: func(e *env) ad.Var {
			v, err := f(e.t, da.eval(e).reals)
			if err != nil {
				panic(&evalError{pos: pos, err: err})
			}
			if noLog {
				return e.t.Exp(v)
			}
			return v
		}}
	}
	c.errorf(x.Pos(), "function '%s' is not supported yet", call.Name)
	return cexpr{t: t, r: func(*env) ad.Var { return ad.Var{} }}
}

// tilde compiles y ~ dist(args): the density without constants (with them
// in the generative view, where keepConsts), and the truncation's
// normalising term.
func (c *compiler) tilde(s *ast.TildeStmt) stmtFn {
	if c.inGuide {
		return c.guideDraw(s)
	}
	call := c.info.Dists[s]
	propto := !c.keepConsts()
	if call.Laplace != nil {
		// y ~ laplace_marginal_<likelihood>(...) is its _lpmf with y first.
		fake := check.LaplaceTildeCall(s)
		c.info.Calls[fake] = call
		c.info.Types[fake] = types.RealT
		f := c.laplace(fake, call, types.RealT).r
		pos := c.pos(s.Tilde)
		return func(e *env) ctrl { e.addTarget(&pos, f(e)); return next }
	}
	if call.User == nil && s.Dist.Name == "normal" && propto {
		// Before the arguments are compiled: the fused form compiles
		// the parts of the location itself.
		if f := c.fusedNormal(s); f != nil {
			return f
		}
	}
	args := []cexpr{c.expr(s.LHS)}
	for _, a := range s.Args {
		args = append(args, c.expr(a))
	}
	pos := c.pos(s.Tilde)
	if call.User == nil && !s.Truncated && c.deferring() && c.deferrable(s.Dist.Name, append([]ast.Expr{s.LHS}, s.Args...)) {
		return c.deferredDensity(s.Dist.Name, args, propto, pos)
	}
	withTrunc := func(f func(*env) ad.Var, trunc func(*env) ad.Var) stmtFn {
		if trunc == nil {
			return func(e *env) ctrl { e.addTarget(&pos, f(e)); return next }
		}
		return func(e *env) ctrl { e.addTarget(&pos, f(e)); e.addTarget(&pos, trunc(e)); return next }
	}
	if call.User != nil {
		// A user-defined density: call it like a function, by its
		// unnormalised name, as ~ drops constants.
		uc := *call
		uc.Name = unnormalized(call.Name)
		fake := &ast.CallExpr{Fun: &ast.Ident{NamePos: s.Dist.Pos(), Name: uc.Name}, Args: append([]ast.Expr{s.LHS}, s.Args...)}
		c.info.Calls[fake] = &uc
		c.info.Types[fake] = types.RealT
		f := c.userCall(fake, &uc, args, types.RealT).r
		var trunc func(*env) ad.Var
		if s.Truncated {
			trunc = c.userTruncation(s, args)
		}
		return withTrunc(f, trunc)
	}
	base := s.Dist.Name
	d, ok := stdlib().densities[base]
	if !ok {
		c.errorf(s.Dist.Pos(), "distribution '%s' is not supported yet", base)
		return nil
	}
	if d.build != nil {
		f := d.build(c, args, propto, pos)
		var trunc func(*env) ad.Var
		if s.Truncated {
			trunc = c.truncation(s, d, args)
		}
		return withTrunc(f, trunc)
	}
	if !s.Truncated {
		if f := c.fixedDensity(d, append([]ast.Expr{s.LHS}, s.Args...), args, propto, pos); f != nil {
			return func(e *env) ctrl { e.addTarget(&pos, f.eval(e)); return next }
		}
	}
	if base == "normal" && propto && !s.Truncated && args[0].v == nil && args[1].v == nil && args[2].v == nil {
		return scalarNormal(c, args, pos)
	}
	if base == "cauchy" && propto && !s.Truncated && args[0].v == nil && args[1].v == nil && args[2].v == nil {
		return scalarCauchy(c, args, pos)
	}
	if !s.Truncated {
		if f := scalarUnivariate(c, d, args, propto, pos); f != nil {
			return withTrunc(f, nil)
		}
	}
	da := newDensityArgs(c, args, d.ints)
	var trunc func(e *env) ad.Var
	if s.Truncated {
		trunc = c.truncation(s, d, args)
	}
	return withTrunc(func(e *env) ad.Var {
		w := da.eval(e)
		lp, err := d.fn(e.t, propto, w.ints, w.reals)
		if err != nil {
			panic(&evalError{pos: pos, err: err})
		}
		return lp
	}, trunc)
}

// truncation returns the term a truncated ~ adds: -log(F(U) - F(L)), or
// -log(1 - F(L)), or -log F(U); a variate outside [L, U] gives -inf.
func (c *compiler) truncation(s *ast.TildeStmt, d density, args []cexpr) func(*env) ad.Var {
	if d.intCDF != nil && args[0].t == types.IntT {
		// A bound outside the support gives the CDF's limit there.
		at, bd := d.intCDF(c, args[1:], c.pos(s.Pos())), zeroState[[1]int](c)
		cdf := func(upper bool) func(*env, truncBound) ad.Var {
			return func(e *env, b truncBound) ad.Var {
				switch {
				case b.i < 0 && upper:
					return ad.Const(0)
				case b.i < 0:
					return ad.Const(negInf)
				}
				y := bd.of(e)
				y[0] = b.i
				return at(e, y[:], upper)
			}
		}
		return c.cdfTruncation(s, args[0], cdf(false), cdf(true))
	}
	if anyContainer(args) {
		if d.disc == nil && d.lcdf == nil && d.truncCDF == nil {
			c.errorf(s.Dist.Pos(), "vectorised truncation of '%s' is not supported yet", s.Dist.Name)
			return nil
		}
		return c.vectorTruncation(s, d, args) // truncation_vec.go
	}
	if d.disc != nil {
		return c.discreteTruncation(s, d, args)
	}
	if d.truncCDF != nil {
		// The ints' CDFs of a family without real parameters.
		ints := newDensityArgs(c, args[1:], len(args)-1)
		bound := zeroState[[1]int](c)
		at := func(e *env, b int, upper bool) ad.Var {
			w, bd := ints.eval(e), bound.of(e)
			bd[0] = b
			v, err := d.truncCDF(append([][]int{bd[:]}, w.ints...), upper)
			if err != nil {
				panic(&evalError{pos: c.pos(s.Pos()), err: err})
			}
			return ad.Const(v)
		}
		return c.cdfTruncation(s, args[0], func(e *env, b truncBound) ad.Var { return at(e, b.i, false) },
			func(e *env, b truncBound) ad.Var { return at(e, b.i, true) })
	}
	if d.lcdf == nil || d.lccdf == nil {
		// The checker admits truncation only of families with CDFs.
		c.errorf(s.Dist.Pos(), "truncation of '%s' needs its CDFs", s.Dist.Name)
		return nil
	}
	y := args[0].real()
	var lo, hi func(*env) ad.Var
	if s.TruncLo != nil {
		lo = c.expr(s.TruncLo).real()
	}
	if s.TruncHi != nil {
		hi = c.expr(s.TruncHi).real()
	}
	params := newDensityArgs(c, args[1:], 0)
	pos := c.pos(s.Pos())
	bound := zeroState[[1]ad.Var](c)
	with := func(e *env, b ad.Var, f func(*ad.Tape, [][]ad.Var) (ad.Var, error)) ad.Var {
		bd := bound.of(e)
		bd[0] = b
		r := append([][]ad.Var{bd[:]}, params.work.of(e).reals...)
		v, err := f(e.t, r)
		if err != nil {
			panic(&evalError{pos: pos, err: err})
		}
		return v
	}
	return func(e *env) ad.Var {
		params.eval(e)
		yv := y(e)
		switch {
		case lo != nil && hi != nil:
			l, h := lo(e), hi(e)
			if yv.Val < l.Val || yv.Val > h.Val {
				return ad.Const(negInf)
			}
			return e.t.Neg(e.t.LogDiffExp(with(e, h, d.lcdf), with(e, l, d.lcdf)))
		case lo != nil:
			l := lo(e)
			if yv.Val < l.Val {
				return ad.Const(negInf)
			}
			return e.t.Neg(with(e, l, d.lccdf))
		default:
			h := hi(e)
			if yv.Val > h.Val {
				return ad.Const(negInf)
			}
			return e.t.Neg(with(e, h, d.lcdf))
		}
	}
}

// fixedDensity is a density of reals alone whose arguments include a
// container and fixed ones (fixedArg), evaluated by the family's
// prepared density: the fixed arguments are read and prepared on a
// Model's first evaluation, and only the others afterwards. It is part
// of a Program, shared by its Models' goroutines and read-only; each
// Model's part is its fixedCall (TestProgramSharedByGoroutines shares
// such calls).
type fixedDensity struct {
	fixed   []bool
	varying []int // the arguments read at every evaluation
	vals    []func(*env) *value
	scalars []func(*env) ad.Var
	prepare func(fixed []bool, reals [][]ad.Var) dist.Prepared
	propto  bool
	pos     token.Position
	st      stateSlot[fixedCall]
}

// fixedCall is a Model's state of a fixedDensity: the arguments, the
// fixed ones read on the first evaluation, storage for the scalars, and
// the prepared density.
type fixedCall struct {
	reals [][]ad.Var
	one   [4]ad.Var
	lpdf  dist.Prepared
}

// fixedDensity compiles d's call with arguments argx, compiled to args,
// as a fixedDensity, or returns nil when it is not one.
func (c *compiler) fixedDensity(d density, argx []ast.Expr, args []cexpr, propto bool, pos token.Position) *fixedDensity {
	if c.opts&optPrepareFixed == 0 || d.prepare == nil || d.ints != 0 || len(args) > 4 {
		return nil
	}
	n := len(args)
	f := &fixedDensity{fixed: make([]bool, n), vals: make([]func(*env) *value, n), scalars: make([]func(*env) ad.Var, n),
		prepare: d.prepare, propto: propto, pos: pos}
	container := false
	for i, a := range args {
		if f.fixed[i] = c.fixedArg(argx[i]); !f.fixed[i] {
			f.varying = append(f.varying, i)
		}
		if a.v != nil {
			f.vals[i], container = a.val(true), true
		} else {
			f.scalars[i] = a.real()
		}
	}
	if len(f.varying) == n || !container {
		return nil
	}
	f.st = newState(c, func() *fixedCall { return &fixedCall{reals: make([][]ad.Var, n)} })
	return f
}

// eval is the density's value.
func (f *fixedDensity) eval(e *env) ad.Var {
	fc := f.st.of(e)
	if fc.lpdf == nil {
		for i := range f.fixed {
			f.read(e, fc, i)
		}
		fc.lpdf = f.prepare(f.fixed, fc.reals)
	} else {
		for _, i := range f.varying {
			f.read(e, fc, i)
		}
	}
	lp, err := fc.lpdf(e.t, f.propto, fc.reals)
	if err != nil {
		panic(&evalError{pos: f.pos, err: err})
	}
	return lp
}

// read evaluates argument i into fc.
func (f *fixedDensity) read(e *env, fc *fixedCall, i int) {
	if v := f.vals[i]; v != nil {
		fc.reals[i] = v(e).R
	} else {
		fc.one[i] = f.scalars[i](e)
		fc.reals[i] = fc.one[i : i+1]
	}
}

// fixedArg reports whether x's value never changes where it is read: a
// number literal, negated or not, or a fixed variable (fixedVar).
func (c *compiler) fixedArg(x ast.Expr) bool {
	x = unparen(x)
	if u, ok := x.(*ast.UnaryExpr); ok && (u.Op == token.SUB || u.Op == token.ADD) {
		x = unparen(u.X)
	}
	switch x := x.(type) {
	case *ast.BasicLit:
		return x.Kind == token.INT || x.Kind == token.REAL
	case *ast.Ident:
		return c.fixedVar(c.info.Uses[x])
	}
	return false
}

// fixedExpr reports whether x's value never changes where it is read: it
// reads only literals and fixed variables (fixedVar), through library
// functions that draw no random numbers.
func (c *compiler) fixedExpr(x ast.Expr) bool {
	fixed := true
	ast.Inspect(x, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			k := c.info.Calls[n]
			if k == nil || k.User != nil || k.FuncArg != nil || k.Laplace != nil || strings.HasSuffix(k.Name, "_rng") {
				fixed = false
				return false
			}
			for _, a := range n.Args {
				fixed = fixed && c.fixedExpr(a)
			}
			return false // not n.Fun, which names no variable
		case *ast.Ident:
			fixed = fixed && c.fixedVar(c.info.Uses[n])
		}
		return fixed
	})
	return fixed
}

// fixedVar reports whether v's value never changes where it is read: a
// data variable, or a transformed data variable read after that block.
func (c *compiler) fixedVar(v *check.Var) bool {
	return v != nil && v.Scope == check.Global && (v.Block == ast.Data || v.Block == ast.TransformedData && !c.inTData)
}

// scalarNormal is y ~ normal(mu, sigma) with scalar arguments, the body of
// many loops: one statement with its three partials, constants dropped.
func scalarNormal(c *compiler, args []cexpr, pos token.Position) stmtFn {
	fy, fm, fs := args[0].real(), args[1].real(), args[2].real()
	logs := newState(c, func() *logMemo { return &logMemo{} })
	return func(e *env) ctrl {
		y, mu, s := fy(e), fm(e), fs(e)
		if !(s.Val > 0) || math.IsInf(s.Val, 1) || math.IsNaN(y.Val) || math.IsNaN(mu.Val) || math.IsInf(mu.Val, 0) {
			// The general path reports the error in Stan's words.
			_, err := dist.NormalLpdf(e.t, true, []ad.Var{y}, []ad.Var{mu}, []ad.Var{s})
			panic(&evalError{pos: pos, err: err})
		}
		if y.IsConst() && mu.IsConst() && s.IsConst() {
			return next
		}
		z := (y.Val - mu.Val) / s.Val
		lp := -0.5 * z * z
		b := e.t.Begin()
		b.Add(y, -z/s.Val)
		b.Add(mu, z/s.Val)
		if !s.IsConst() {
			lp -= logs.of(e).log(s.Val)
			b.Add(s, (z*z-1)/s.Val)
		}
		e.addTarget(&pos, b.End(lp))
		return next
	}
}

// scalarCauchy is y ~ cauchy(mu, sigma) with scalar arguments, a
// hierarchical model's prior on a scale: dist.Cauchy's term and partials
// written out, constants dropped.
func scalarCauchy(c *compiler, args []cexpr, pos token.Position) stmtFn {
	fy, fm, fs := args[0].real(), args[1].real(), args[2].real()
	logs := newState(c, func() *logMemo { return &logMemo{} })
	return func(e *env) ctrl {
		y, mu, s := fy(e), fm(e), fs(e)
		if !(s.Val > 0) || math.IsInf(s.Val, 1) || math.IsNaN(y.Val) || math.IsNaN(mu.Val) || math.IsInf(mu.Val, 0) {
			// The general path reports the error in Stan's words.
			_, err := dist.Cauchy.Scalar(e.t, true, [4]ad.Var{y, mu, s}, 3)
			panic(&evalError{pos: pos, err: err})
		}
		if y.IsConst() && mu.IsConst() && s.IsConst() {
			return next
		}
		z := (y.Val - mu.Val) / s.Val
		lp := -math.Log1p(z * z)
		if !s.IsConst() {
			lp -= logs.of(e).log(s.Val)
		}
		q := s.Val * (1 + z*z)
		dy := -2 * z / q
		b := e.t.Begin()
		b.Add(y, dy)
		b.Add(mu, -dy)
		b.Add(s, (z*z-1)/q)
		e.addTarget(&pos, b.End(lp))
		return next
	}
}

// scalarUnivariate compiles a continuous density whose arguments are all
// scalars to a direct call, or returns nil.
func scalarUnivariate(c *compiler, d density, args []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
	if d.uni == nil || len(args) > 4 {
		return nil
	}
	fs := make([]func(*env) ad.Var, len(args))
	for i, a := range args {
		if a.v != nil {
			return nil
		}
		fs[i] = a.real()
	}
	if d.uni == dist.Exponential {
		return scalarExponential(c, fs[0], fs[1], propto, pos)
	}
	u, n := d.uni, len(args)
	return func(e *env) ad.Var {
		var x [4]ad.Var
		for i, f := range fs {
			x[i] = f(e)
		}
		lp, err := u.Scalar(e.t, propto, x, n)
		if err != nil {
			panic(&evalError{pos: pos, err: err})
		}
		return lp
	}
}

// scalarExponential is exponential_lpdf(y | beta) on scalars, an HMM's
// emission: log(beta) is remembered from the site's last few calls (an
// HMM's K states), its checks and partials written out.
func scalarExponential(c *compiler, fy, fb func(*env) ad.Var, propto bool, pos token.Position) func(*env) ad.Var {
	logs := newState(c, func() *logMemo { return &logMemo{} })
	return func(e *env) ad.Var {
		y, b := fy(e), fb(e)
		if !(y.Val >= 0) || !(b.Val > 0 && b.Val <= math.MaxFloat64) {
			// The general path reports the error in Stan's words.
			_, err := dist.Exponential.Scalar(e.t, propto, [4]ad.Var{y, b}, 2)
			panic(&evalError{pos: pos, err: err})
		}
		if propto && y.IsConst() && b.IsConst() {
			return ad.Var{}
		}
		lp := -b.Val * y.Val
		if !propto || !b.IsConst() {
			lp += logs.of(e).log(b.Val)
		}
		bl := e.t.Begin()
		bl.Add(y, -b.Val)
		bl.Add(b, 1/b.Val-y.Val)
		return bl.End(lp)
	}
}

// discreteTruncation is truncation of a discrete family to [L, U]:
// -log(F(U) - F(L-1)), or -log(1 - F(L-1)), or -log F(U), as Stan
// defines it for integer outcomes.
func (c *compiler) discreteTruncation(s *ast.TildeStmt, d density, args []cexpr) func(*env) ad.Var {
	y := args[0].i
	var lo, hi func(*env) int
	for _, b := range []struct {
		x   ast.Expr
		dst *func(*env) int
	}{{s.TruncLo, &lo}, {s.TruncHi, &hi}} {
		if b.x == nil {
			continue
		}
		x := c.expr(b.x)
		if x.i == nil || x.t != types.IntT || y == nil {
			c.errorf(b.x.Pos(), "the truncation bounds of '%s' must be ints, with an int outcome", s.Dist.Name)
			return nil
		}
		*b.dst = x.i
	}
	ints := newDensityArgs(c, args[1:d.ints], len(args[1:d.ints]))
	reals := newDensityArgs(c, args[d.ints:], 0)
	pos := c.pos(s.Pos())
	bound := zeroState[[1]int](c)
	cdf := func(e *env, b int, upper bool) ad.Var {
		bd := bound.of(e)
		bd[0] = b
		all := append([][]int{bd[:]}, ints.work.of(e).ints...)
		rs := reals.work.of(e).reals
		var v ad.Var
		var err error
		if upper {
			v, err = d.disc.Lccdf(e.t, all, rs...)
		} else {
			v, err = d.disc.Lcdf(e.t, all, rs...)
		}
		if err != nil {
			panic(&evalError{pos: pos, err: err})
		}
		return v
	}
	return func(e *env) ad.Var {
		ints.eval(e)
		reals.eval(e)
		yv := y(e)
		switch {
		case lo != nil && hi != nil:
			l, h := lo(e), hi(e)
			if yv < l || yv > h {
				return ad.Const(negInf)
			}
			if l <= 0 { // F(L-1) = 0: every discrete family here has support n >= 0
				return e.t.Neg(cdf(e, h, false))
			}
			return e.t.Neg(e.t.LogDiffExp(cdf(e, h, false), cdf(e, l-1, false)))
		case lo != nil:
			l := lo(e)
			if yv < l {
				return ad.Const(negInf)
			}
			if l <= 0 {
				return ad.Const(0)
			}
			return e.t.Neg(cdf(e, l-1, true))
		default:
			h := hi(e)
			if yv > h {
				return ad.Const(negInf)
			}
			return e.t.Neg(cdf(e, h, false))
		}
	}
}

// truncBound is a truncation bound: an int for an int variate, else a real.
type truncBound struct {
	i int
	r ad.Var
}

// truncBounds compiles a truncation's bounds (the zero cexpr for one left
// out), which must be ints when the outcome is.
func (c *compiler) truncBounds(s *ast.TildeStmt, isInt bool) (lo, hi cexpr, ok bool) {
	if s.TruncLo != nil {
		lo = c.expr(s.TruncLo)
	}
	if s.TruncHi != nil {
		hi = c.expr(s.TruncHi)
	}
	for _, b := range []ast.Expr{s.TruncLo, s.TruncHi} {
		if b != nil && isInt && c.info.Types[b] != types.IntT {
			c.errorf(b.Pos(), "the truncation bounds of '%s' must be ints, with an int outcome", s.Dist.Name)
			return lo, hi, false
		}
	}
	return lo, hi, true
}

// cdfTruncation is the term a truncated ~ adds, from the family's log CDF
// and log CCDF at a bound: -log(F(U) - F(L)), -log(1 - F(L)) or -log F(U),
// with L - 1 in place of L for an int variate (P(y >= L) = 1 - F(L - 1));
// a variate outside [L, U] gives -inf.
func (c *compiler) cdfTruncation(s *ast.TildeStmt, y cexpr, lcdf, lccdf func(*env, truncBound) ad.Var) func(*env) ad.Var {
	isInt := y.t == types.IntT
	lo, hi, ok := c.truncBounds(s, isInt)
	if !ok {
		return nil
	}
	bound := func(e *env, x cexpr, shift int) truncBound {
		if isInt {
			return truncBound{i: x.i(e) + shift}
		}
		return truncBound{r: x.real()(e)}
	}
	// below reports y < b, above y > b.
	below := func(e *env, b cexpr) bool {
		if isInt {
			return y.i(e) < b.i(e)
		}
		return y.real()(e).Val < b.real()(e).Val
	}
	above := func(e *env, b cexpr) bool {
		if isInt {
			return y.i(e) > b.i(e)
		}
		return y.real()(e).Val > b.real()(e).Val
	}
	shift := 0
	if isInt {
		shift = -1
	}
	return func(e *env) ad.Var {
		switch {
		case s.TruncLo != nil && s.TruncHi != nil:
			if below(e, lo) || above(e, hi) {
				return ad.Const(negInf)
			}
			return e.t.Neg(e.t.LogDiffExp(lcdf(e, bound(e, hi, 0)), lcdf(e, bound(e, lo, shift))))
		case s.TruncLo != nil:
			if below(e, lo) {
				return ad.Const(negInf)
			}
			return e.t.Neg(lccdf(e, bound(e, lo, shift)))
		default:
			if above(e, hi) {
				return ad.Const(negInf)
			}
			return e.t.Neg(lcdf(e, bound(e, hi, 0)))
		}
	}
}

// unnormalized maps a density's name to its unnormalised form:
// foo_lpdf to foo_lupdf, foo_lpmf to foo_lupmf.
func unnormalized(name string) string {
	for _, s := range []string{"_lpdf", "_lpmf"} {
		if base, ok := strings.CutSuffix(name, s); ok {
			return base + "_lu" + s[2:]
		}
	}
	return name
}
