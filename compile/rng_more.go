package compile

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/mathx"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// The rngs of the multivariate and discrete families that the dist
// package draws from; each family's definition holds its rng.

func discreteRangeRng() builtin {
	return vectorRng(nil, func(r *rand.Rand, n []int, _ []float64) (int, error) {
		return dist.DiscreteRangeRng(r, n[0], n[1])
	}, 2)
}

func hypergeometricRng(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	fn, fa, fb := a[0].i, a[1].i, a[2].i
	return cexpr{t: t, i: func(e *env) int {
		k, err := dist.HypergeometricRng(e.rng, fn(e), fa(e), fb(e))
		if err != nil {
			fail(pos, "%v", err)
		}
		return k
	}}, nil
}

func dirichletRng(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	fa := a[0].v
	buf, scratch := c.buf(), zeroState[[]float64](c)
	return cexpr{t: t, v: func(e *env) *value {
		alpha := scratch.of(e)
		*alpha = values(*alpha, fa(e).R)
		x, err := dist.DirichletRng(e.rng, *alpha)
		if err != nil {
			fail(pos, "%v", err)
		}
		return constVal(buf.of(e), []int{len(x)}, x)
	}}, nil
}

// dirichletMultinomialRng is dirichlet_multinomial_rng(alpha, N).
func dirichletMultinomialRng(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	fa, fn := a[0].v, a[1].i
	buf, scratch := c.buf(), zeroState[[]float64](c)
	return cexpr{t: t, v: func(e *env) *value {
		alpha := scratch.of(e)
		*alpha = values(*alpha, fa(e).R)
		k, err := dist.DirichletMultinomialRng(e.rng, *alpha, fn(e))
		if err != nil {
			fail(pos, "%v", err)
		}
		b := buf.of(e)
		b.shape([]int{len(k)}, true)
		copy(b.I, k)
		return b
	}}, nil
}

// multinomialRng is multinomial_rng, or with logit multinomial_logit_rng.
func multinomialRng(logit bool) builtin {
	name := "multinomial_rng"
	if logit {
		name = "multinomial_logit_rng"
	}
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fth, fn := a[0].v, a[1].i
		buf, scratch := c.buf(), zeroState[[]float64](c)
		return cexpr{t: t, v: func(e *env) *value {
			p := scratch.of(e)
			*p = values(*p, fth(e).R)
			th := *p
			if logit {
				lse := mathx.LogSumExp(th)
				for i := range th {
					th[i] = math.Exp(th[i] - lse)
				}
			} else if err := checkSimplex(name, th); err != "" {
				fail(pos, "%s", err)
			}
			k, err := dist.MultinomialRng(e.rng, th, fn(e))
			if err != nil {
				fail(pos, "%v", err)
			}
			b := buf.of(e)
			b.shape([]int{len(k)}, true)
			copy(b.I, k)
			return b
		}}, nil
	}
}

// orderedRng is ordered_logistic_rng or ordered_probit_rng by draw.
func orderedRng(name string, draw func(*rand.Rand, float64, []float64) (int, error)) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		feta, fc := a[0].real(), a[1].v
		scratch := zeroState[[]float64](c)
		return cexpr{t: t, i: func(e *env) int {
			cuts := scratch.of(e)
			*cuts = values(*cuts, fc(e).R)
			k, err := draw(e.rng, feta(e).Val, *cuts)
			if err != nil {
				fail(pos, "%s: %v", name, err)
			}
			return k
		}}, nil
	}
}

// lkjRng is lkj_corr_rng or lkj_corr_cholesky_rng by draw.
func lkjRng(draw func(*rand.Rand, int, float64) (*mat.Dense, error)) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fk, feta := a[0].i, a[1].real()
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			m, err := draw(e.rng, fk(e), feta(e).Val)
			if err != nil {
				fail(pos, "%v", err)
			}
			return denseVal(buf.of(e), m)
		}}, nil
	}
}

// wishartRng is wishart_rng or inv_wishart_rng by draw.
func wishartRng(draw func(*rand.Rand, float64, mat.Matrix) (*mat.Dense, error)) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fnu, fs := a[0].real(), a[1].v
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			m, err := draw(e.rng, fnu(e).Val, denseOf(fs(e)))
			if err != nil {
				fail(pos, "%v", err)
			}
			return denseVal(buf.of(e), m)
		}}, nil
	}
}

// studentTRng is multi_student_t_rng or multi_student_t_cholesky_rng by
// draw, which takes the scale matrix or its Cholesky factor.
func studentTRng(draw func(*rand.Rand, float64, []float64, mat.Matrix) ([]float64, error)) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fnu, fmu, fs := a[0].real(), vectorsOf(a[1]), a[2].v
		buf, scratch := c.buf(), zeroState[[]float64](c)
		return cexpr{t: t, v: func(e *env) *value {
			nu, mus, s := fnu(e).Val, fmu(e), denseOf(fs(e))
			k, _ := s.Dims()
			b := shapeDraws(buf.of(e), t, len(mus), k)
			mu := scratch.of(e)
			for n, m := range mus {
				*mu = values(*mu, m)
				x, err := draw(e.rng, nu, *mu, s)
				if err != nil {
					fail(pos, "%v", err)
				}
				for i, v := range x {
					b.R[n*k+i] = ad.Const(v)
				}
			}
			return b
		}}, nil
	}
}

// values copies the values of xs into dst.
func values(dst []float64, xs []ad.Var) []float64 {
	dst = dst[:0]
	for _, x := range xs {
		dst = append(dst, x.Val)
	}
	return dst
}

// constVal fills buf with constants.
func constVal(buf *value, dims []int, x []float64) *value {
	buf.shape(dims, false)
	for i, v := range x {
		buf.R[i] = ad.Const(v)
	}
	return buf
}

// denseOf is a matrix's values as a gonum matrix.
func denseOf(v *value) *mat.Dense {
	r, c := v.Dims[0], v.Dims[1]
	d := mat.NewDense(r, c, nil)
	for j := range c {
		for i := range r {
			d.Set(i, j, v.R[i+j*r].Val)
		}
	}
	return d
}

// denseVal fills buf with a gonum matrix, column-major.
func denseVal(buf *value, m *mat.Dense) *value {
	r, c := m.Dims()
	buf.shape([]int{r, c}, false)
	for j := range c {
		for i := range r {
			buf.R[i+j*r] = ad.Const(m.At(i, j))
		}
	}
	return buf
}

// checkSimplex is Stan's check_simplex, "" when p is a simplex.
func checkSimplex(fn string, p []float64) string {
	s := 0.0
	for i, x := range p {
		if !(x >= 0) {
			return fmt.Sprintf("%s: Probabilities parameter is not a valid simplex. Probabilities parameter[%d] = %v, but should be greater than or equal to 0", fn, i+1, x)
		}
		s += x
	}
	if math.Abs(s-1) > 1e-8 {
		return fmt.Sprintf("%s: Probabilities parameter is not a valid simplex. sum(Probabilities parameter) = %v, but should be 1", fn, s)
	}
	return ""
}

// bernoulliLogitGLMRng is bernoulli_logit_glm_rng(x, alpha, beta): for
// each row x_i of x (a row_vector is one row), a Bernoulli draw with
// chance of success inv_logit(alpha_i + x_i · beta) (Stan Math,
// bernoulli_logit_glm_rng: bernoulli_logit_rng(alpha + x * beta)).
func bernoulliLogitGLMRng(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	fx, fa, fb := a[0].v, a[1].v, a[2].v
	isRow := a[0].t.Kind == types.RowVector
	buf := c.buf()
	const name = "bernoulli_logit_glm_rng"
	return cexpr{t: t, v: func(e *env) *value {
		x, alpha, beta := fx(e), fa(e).R, fb(e).R
		rows, cols := 1, x.Dims[0]
		if !isRow {
			rows, cols = x.Dims[0], x.Dims[1]
		}
		if len(beta) != cols {
			fail(pos, "%s: Weight vector has size %d, but must have size %d", name, len(beta), cols)
		}
		if len(alpha) != rows {
			fail(pos, "%s: Vector of intercepts has size %d, but must have size %d", name, len(alpha), rows)
		}
		for _, part := range []struct {
			what string
			v    []ad.Var
		}{{"Matrix of independent variables", x.R}, {"Weight vector", beta}, {"Intercept", alpha}} {
			for _, v := range part.v {
				if math.IsInf(v.Val, 0) || math.IsNaN(v.Val) {
					fail(pos, "%s: %s is %v, but must be finite", name, part.what, v.Val)
				}
			}
		}
		b := buf.of(e)
		b.shape([]int{rows}, true)
		for i := range rows {
			eta := alpha[i].Val
			for j := range cols {
				eta += x.R[i+j*rows].Val * beta[j].Val
			}
			b.I[i] = b2i(e.rng.Float64() < mathx.InvLogit(eta))
		}
		return b
	}}, nil
}
