package compile

import (
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
)

// Guide draws of constrained matrices: covariance matrices and their
// Cholesky factors from the Wishart families, correlation matrices and
// theirs from the LKJ families. guideDrawMV hands the draw each square
// matrix of the variable, column-major, as a slice.

// wishartReparam compiles a guide's draw from a Wishart family of
// (ν, scale): the draws, then the sum of their log densities.
func wishartReparam(draw func(*ad.Tape, *rand.Rand, []ad.Matrix, ad.Var, ad.Matrix) error,
	lpdf func(*ad.Tape, bool, ad.Matrix, ad.Var, ad.Matrix) (ad.Var, error)) func(*compiler, []cexpr) mvDraw {
	return func(c *compiler, a []cexpr) mvDraw {
		nu, s := a[0].real(), matrixOf(a[1])
		work := zeroState[[]ad.Matrix](c)
		return func(e *env, y [][]ad.Var) (ad.Var, error) {
			v, S := nu(e), s(e)
			ms := squares(work.of(e), y)
			if err := draw(e.t, e.rng, ms, v, S); err != nil {
				return ad.Var{}, err
			}
			return sumLpdf(e.t, ms, func(m ad.Matrix) (ad.Var, error) { return lpdf(e.t, false, m, v, S) })
		}
	}
}

// lkjReparam compiles a guide's draw from an LKJ family of η.
func lkjReparam(draw func(*ad.Tape, *rand.Rand, []ad.Matrix, ad.Var) error,
	lpdf func(*ad.Tape, bool, ad.Matrix, ad.Var) (ad.Var, error)) func(*compiler, []cexpr) mvDraw {
	return func(c *compiler, a []cexpr) mvDraw {
		eta := a[0].real()
		work := zeroState[[]ad.Matrix](c)
		return func(e *env, y [][]ad.Var) (ad.Var, error) {
			h := eta(e)
			ms := squares(work.of(e), y)
			if err := draw(e.t, e.rng, ms, h); err != nil {
				return ad.Var{}, err
			}
			return sumLpdf(e.t, ms, func(m ad.Matrix) (ad.Var, error) { return lpdf(e.t, false, m, h) })
		}
	}
}

// squares views each slice of y, of k² elements, as a k×k matrix, in
// buf's storage.
func squares(buf *[]ad.Matrix, y [][]ad.Var) []ad.Matrix {
	*buf = (*buf)[:0]
	for _, x := range y {
		k := int(math.Round(math.Sqrt(float64(len(x)))))
		*buf = append(*buf, ad.Matrix{Rows: k, Cols: k, Data: x})
	}
	return *buf
}

// sumLpdf is the sum of lpdf over the matrices ms.
func sumLpdf(t *ad.Tape, ms []ad.Matrix, lpdf func(ad.Matrix) (ad.Var, error)) (ad.Var, error) {
	lq := ad.Const(0)
	for _, m := range ms {
		lp, err := lpdf(m)
		if err != nil {
			return ad.Var{}, err
		}
		lq = t.Add(lq, lp)
	}
	return lq, nil
}
