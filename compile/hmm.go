package compile

import (
	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// addHMM defines the hidden Markov model functions of the dist package:
// hmm_marginal (differentiable), hmm_hidden_state_prob and
// hmm_latent_rng (of values).
func (l *library) addHMM() {
	l.fn("hmm_marginal", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fo, fg, fr := a[0].v, a[1].v, asVector(c, a[2])
		ok := mustAt(pos)
		return cexpr{t: t, r: func(e *env) ad.Var {
			return ok(dist.HMMMarginal(e.t, fo(e).matrix(), fg(e).matrix(), fr(e)))
		}}, nil
	})
	// values reads the three arguments as numbers; a K×0 log_omega
	// (no observations) keeps its K rows.
	values := func(c *compiler, a []cexpr) func(e *env) (mat.Matrix, mat.Matrix, []float64) {
		fo, fg, fr := a[0].v, a[1].v, a[2].v
		return func(e *env) (mat.Matrix, mat.Matrix, []float64) {
			o, g, r := fo(e), fg(e), fr(e)
			rho := make([]float64, len(r.R))
			for i, v := range r.R {
				rho[i] = v.Val
			}
			var om mat.Matrix = emptyRows(o.Dims[0])
			if o.Dims[0] > 0 && o.Dims[1] > 0 {
				om = denseOf(o)
			}
			var gm mat.Matrix = emptyRows(0)
			if g.Dims[0] > 0 && g.Dims[1] > 0 {
				gm = denseOf(g)
			}
			return om, gm, rho
		}
	}
	l.fn("hmm_hidden_state_prob", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		args, buf := values(c, a), c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			o, g, rho := args(e)
			p, err := dist.HMMHiddenStateProb(o, g, rho)
			if err != nil {
				fail(pos, "%v", err)
			}
			if r, _ := o.Dims(); p.IsEmpty() {
				b := buf.of(e)
				b.shape([]int{r, 0}, false)
				return b
			}
			return denseVal(buf.of(e), p)
		}}, nil
	})
	l.fn("hmm_latent_rng", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		args, buf := values(c, a), c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			o, g, rho := args(e)
			z, err := dist.HMMLatentRng(e.rng, o, g, rho)
			if err != nil {
				fail(pos, "%v", err)
			}
			b := buf.of(e)
			b.shape([]int{len(z)}, true)
			copy(b.I, z)
			return b
		}}, nil
	})
}

// emptyRows is a matrix of r rows and no columns, which gonum's Dense
// cannot hold.
type emptyRows int

func (m emptyRows) Dims() (int, int)    { return int(m), 0 }
func (m emptyRows) At(i, j int) float64 { panic("emptyRows has no elements") }
func (m emptyRows) T() mat.Matrix       { return mat.Transpose{Matrix: m} }
