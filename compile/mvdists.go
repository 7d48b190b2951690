package compile

import (
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// vectorsOf returns a vector or an array of vectors as one slice per
// vector, in a per-model buffer reused across calls.
func vectorsOf(x cexpr) func(*env) [][]ad.Var {
	f := x.val(true)
	slot := zeroState[[][]ad.Var](x.c)
	if x.t.Dims == 0 {
		return func(e *env) [][]ad.Var {
			buf := slot.of(e)
			*buf = append((*buf)[:0], f(e).R)
			return *buf
		}
	}
	return func(e *env) [][]ad.Var {
		v, buf := f(e), slot.of(e)
		n := v.Dims[0]
		block := size(v.Dims[1:])
		*buf = (*buf)[:0]
		for k := range n {
			*buf = append(*buf, v.R[k*block:(k+1)*block])
		}
		return *buf
	}
}

func matrixOf(x cexpr) func(*env) ad.Matrix {
	f := x.v
	return func(e *env) ad.Matrix { return f(e).matrix() }
}

// designOf gives a GLM's design matrix; a data matrix is converted to
// float64 once per model, on first use. A row_vector x is every
// instance's row, n of them (Stan Math broadcasts it over y).
func designOf(x cexpr, n func(*env) int) func(*env) dist.Design {
	if x.t.Kind == types.RowVector {
		m := designMatrixOf(x, n)
		return func(e *env) dist.Design { return dist.DesignOf(m(e)) }
	}
	m := designMatrixOf(x, n)
	if x.fixed {
		slot := zeroState[*dist.Design](x.c)
		return func(e *env) dist.Design {
			cached := slot.of(e)
			if *cached == nil {
				d := dist.DesignOf(m(e))
				*cached = &d
			}
			return **cached
		}
	}
	return func(e *env) dist.Design { return dist.DesignOf(m(e)) }
}

// designMatrixOf reads a GLM's x as a matrix, a row_vector repeated as
// the n rows of the instances, a vector as the one column of its rows
// (Stan 2.40's normal_id_glm).
func designMatrixOf(x cexpr, n func(*env) int) func(*env) ad.Matrix {
	f := x.v
	switch x.t.Kind {
	case types.Vector:
		return func(e *env) ad.Matrix { v := f(e); return ad.Matrix{Rows: len(v.R), Cols: 1, Data: v.R} }
	case types.Matrix:
		return func(e *env) ad.Matrix { return f(e).matrix() }
	}
	return func(e *env) ad.Matrix {
		row, rows := f(e).R, n(e)
		m := ad.Matrix{Rows: rows, Cols: len(row), Data: make([]ad.Var, rows*len(row))}
		for j, v := range row {
			for i := range rows {
				m.Data[i+j*rows] = v
			}
		}
		return m
	}
}

// countOf is the number of a GLM's instances a broadcast row stands for:
// the size of its outcome y.
func countOf[T any](y func(*env) []T) func(*env) int {
	return func(e *env) int { return len(y(e)) }
}

func intsOf(x cexpr) func(*env) []int {
	if x.i != nil {
		f, slot := x.i, zeroState[[1]int](x.c)
		return func(e *env) []int { buf := slot.of(e); buf[0] = f(e); return buf[:] }
	}
	f := x.v
	return func(e *env) []int { return f(e).I }
}

// mustAt returns a function that passes a density's value through, or
// aborts the evaluation with its error at pos.
func mustAt(pos token.Position) func(ad.Var, error) ad.Var {
	return func(lp ad.Var, err error) ad.Var {
		if err != nil {
			panic(&evalError{pos: pos, err: err})
		}
		return lp
	}
}

// mvnDensity compiles a multivariate normal density of (vectors y, vectors
// μ, matrix Σ): multi_normal, multi_normal_cholesky, multi_normal_prec.
func mvnDensity(f func(*ad.Tape, bool, [][]ad.Var, [][]ad.Var, ad.Matrix) (ad.Var, error)) density {
	return density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		y, mu, s := vectorsOf(a[0]), vectorsOf(a[1]), matrixOf(a[2])
		ok := mustAt(pos)
		return func(e *env) ad.Var { return ok(f(e.t, propto, y(e), mu(e), s(e))) }
	}}
}

// mvnReparam compiles a guide's draw from a multivariate normal or
// Student-t family of (ν,) vectors μ and matrix Σ (or its factor): the
// draw, then its density.
func mvnReparam(draw func(*ad.Tape, *rand.Rand, [][]ad.Var, [][]ad.Var, ad.Matrix) error,
	lpdf func(*ad.Tape, bool, [][]ad.Var, [][]ad.Var, ad.Matrix) (ad.Var, error)) func(*compiler, []cexpr) mvDraw {
	return func(c *compiler, a []cexpr) mvDraw {
		mu, s := vectorsOf(a[0]), matrixOf(a[1])
		return func(e *env, y [][]ad.Var) (ad.Var, error) {
			m, S := mu(e), s(e)
			if err := draw(e.t, e.rng, y, m, S); err != nil {
				return ad.Var{}, err
			}
			return lpdf(e.t, false, y, m, S)
		}
	}
}

// studentReparam is mvnReparam for the Student-t families, whose degrees
// of freedom come first.
func studentReparam(draw func(*ad.Tape, *rand.Rand, [][]ad.Var, ad.Var, [][]ad.Var, ad.Matrix) error,
	lpdf func(*ad.Tape, bool, [][]ad.Var, ad.Var, [][]ad.Var, ad.Matrix) (ad.Var, error)) func(*compiler, []cexpr) mvDraw {
	return func(c *compiler, a []cexpr) mvDraw {
		nu, mu, s := a[0].real(), vectorsOf(a[1]), matrixOf(a[2])
		return func(e *env, y [][]ad.Var) (ad.Var, error) {
			v, m, S := nu(e), mu(e), s(e)
			if err := draw(e.t, e.rng, y, v, m, S); err != nil {
				return ad.Var{}, err
			}
			return lpdf(e.t, false, y, v, m, S)
		}
	}
}

func dirichletReparam(c *compiler, a []cexpr) mvDraw {
	alpha := vectorsOf(a[0])
	return func(e *env, y [][]ad.Var) (ad.Var, error) {
		al := alpha(e)
		if err := dist.DirichletReparam(e.t, e.rng, y, al); err != nil {
			return ad.Var{}, err
		}
		return dist.DirichletLpdf(e.t, false, y, al)
	}
}

// addMultivariateFamilies defines the multivariate, categorical and GLM
// families of the dist package.
func (l *library) addMultivariateFamilies() {
	m := map[string]density{}
	m["multi_normal"] = mvnDensity(dist.MultiNormalLpdf).withRng(multiNormalRng(false)).
		withReparamMV(mvnReparam(dist.MultiNormalReparam, dist.MultiNormalLpdf))
	m["multi_normal_cholesky"] = mvnDensity(dist.MultiNormalCholeskyLpdf).withRng(multiNormalRng(true)).
		withReparamMV(mvnReparam(dist.MultiNormalCholeskyReparam, dist.MultiNormalCholeskyLpdf))
	m["dirichlet"] = density{rng: dirichletRng, reparamMV: dirichletReparam, build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		th, al := vectorsOf(a[0]), vectorsOf(a[1])
		ok := mustAt(pos)
		return func(e *env) ad.Var { return ok(dist.DirichletLpdf(e.t, propto, th(e), al(e))) }
	}}
	lkj := func(f func(*ad.Tape, bool, ad.Matrix, ad.Var) (ad.Var, error)) density {
		return density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
			m, eta := matrixOf(a[0]), a[1].real()
			ok := mustAt(pos)
			return func(e *env) ad.Var { return ok(f(e.t, propto, m(e), eta(e))) }
		}}
	}
	m["lkj_corr_cholesky"] = lkj(dist.LkjCorrCholeskyLpdf).withRng(lkjRng(dist.LkjCorrCholeskyRng)).
		withReparamMV(lkjReparam(dist.LkjCorrCholeskyReparam, dist.LkjCorrCholeskyLpdf))
	m["lkj_corr"] = lkj(dist.LkjCorrLpdf).withRng(lkjRng(dist.LkjCorrRng)).
		withReparamMV(lkjReparam(dist.LkjCorrReparam, dist.LkjCorrLpdf))
	cat := func(f func(*ad.Tape, bool, []int, []ad.Var) (ad.Var, error)) density {
		return density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
			n, th := intsOf(a[0]), asVector(c, a[1])
			ok := mustAt(pos)
			return func(e *env) ad.Var { return ok(f(e.t, propto, n(e), th(e))) }
		}}
	}
	m["categorical"] = cat(dist.CategoricalLpmf).withRng(categoricalRng(false))
	m["categorical_logit"] = cat(dist.CategoricalLogitLpmf).withRng(categoricalRng(true))
	m["multinomial"] = cat(dist.MultinomialLpmf).withRng(multinomialRng(false))
	m["dirichlet_multinomial"] = cat(dist.DirichletMultinomialLpmf).withRng(dirichletMultinomialRng)
	m["poisson_binomial"] = density{rng: poissonBinomialRng, build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		y, th := intsOf(a[0]), vectorsOf(a[1])
		ok := mustAt(pos)
		return func(e *env) ad.Var { return ok(dist.PoissonBinomialLpmf(e.t, y(e), th(e))) }
	}, intCDF: func(c *compiler, params []cexpr, pos token.Position) func(*env, []int, bool) ad.Var {
		th := vectorsOf(params[0])
		ok := mustAt(pos)
		return func(e *env, y []int, upper bool) ad.Var {
			if upper {
				return ok(dist.PoissonBinomialLccdf(e.t, y, th(e)))
			}
			return ok(dist.PoissonBinomialLcdf(e.t, y, th(e)))
		}
	}}
	glm := func(f func(*ad.Tape, bool, []int, dist.Design, []ad.Var, []ad.Var) (ad.Var, error)) density {
		return density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
			y := intsOf(a[0])
			x, al, be := designOf(a[1], countOf(y)), asVector(c, a[2]), asVector(c, a[3])
			ok := mustAt(pos)
			return func(e *env) ad.Var { return ok(f(e.t, propto, y(e), x(e), al(e), be(e))) }
		}}
	}
	m["bernoulli_logit_glm"] = glm(dist.BernoulliLogitGLMLpmf).withRng(bernoulliLogitGLMRng)
	m["poisson_log_glm"] = glm(dist.PoissonLogGLMLpmf)
	m["binomial_logit_glm"] = density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		n, N := intsOf(a[0]), intsOf(a[1])
		x, al, be := designOf(a[2], countOf(n)), asVector(c, a[3]), asVector(c, a[4])
		ok := mustAt(pos)
		return func(e *env) ad.Var { return ok(dist.BinomialLogitGLMLpmf(e.t, propto, n(e), N(e), x(e), al(e), be(e))) }
	}}
	m["normal_id_glm"] = density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		y := asVector(c, a[0])
		x, al, be, s := designOf(a[1], countOf(y)), asVector(c, a[2]), asVector(c, a[3]), asVector(c, a[4])
		ok := mustAt(pos)
		direct := func(e *env) ad.Var {
			return ok(dist.NormalIdGLMLpdf(e.t, propto, y(e), x(e), al(e), be(e), s(e)))
		}
		if f := qrGLM(c, a, propto, direct); f != nil {
			return f
		}
		return direct
	}}
	m["ordered_probit"] = density{rng: orderedRng("ordered_probit_rng", dist.OrderedProbitRng), build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		k, eta, cuts := intsOf(a[0]), asVector(c, a[1]), vectorsOf(a[2])
		ok := mustAt(pos)
		return func(e *env) ad.Var { return ok(dist.OrderedProbitLpmf(e.t, propto, k(e), eta(e), cuts(e))) }
	}}
	m["hypergeometric"] = density{rng: hypergeometricRng, build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		n, N, sa, sb := a[0].i, a[1].i, a[2].i, a[3].i
		return func(e *env) ad.Var {
			lp, err := dist.HypergeometricLpmf(n(e), N(e), sa(e), sb(e))
			if err != nil {
				panic(&evalError{pos: pos, err: err})
			}
			return ad.Const(lp)
		}
	}}
	m["discrete_range"] = density{rng: discreteRangeRng(), truncCDF: func(n [][]int, upper bool) (float64, error) {
		if upper {
			return dist.DiscreteRangeLccdf(n[0], n[1], n[2])
		}
		return dist.DiscreteRangeLcdf(n[0], n[1], n[2])
	}, build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		y, lo, hi := intsOf(a[0]), intsOf(a[1]), intsOf(a[2])
		return func(e *env) ad.Var {
			lp, err := dist.DiscreteRangeLpmf(y(e), lo(e), hi(e))
			if err != nil {
				panic(&evalError{pos: pos, err: err})
			}
			return ad.Const(lp)
		}
	}}
	m["ordered_logistic"] = density{rng: orderedRng("ordered_logistic_rng", dist.OrderedLogisticRng), build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		k, eta, cuts := intsOf(a[0]), asVector(c, a[1]), vectorsOf(a[2])
		ok := mustAt(pos)
		return func(e *env) ad.Var { return ok(dist.OrderedLogisticLpmf(e.t, propto, k(e), eta(e), cuts(e))) }
	}}
	m["ordered_logistic_glm"] = density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		y, fx, kx, be, cuts := intsOf(a[0]), a[1].val(true), a[1].t.Kind, asVector(c, a[2]), asVector(c, a[3])
		ok := mustAt(pos)
		return func(e *env) ad.Var {
			return ok(dist.OrderedLogisticGLMLpmf(e.t, propto, y(e), asMatrix(kx, fx(e)), be(e), cuts(e)))
		}
	}}
	for name, d := range m {
		l.family(name, d)
	}
}
