package compile

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/dist"
)

// TestHMMPrograms checks hmm_marginal in a program against enumeration
// of every state path, with gradients by finite differences, and
// hmm_hidden_state_prob through its first row.
func TestHMMPrograms(t *testing.T) {
	at := []float64{-1.2, -0.4, -0.3, -1.9, -2.5, -0.2, 0.4, -0.6, 0.3}
	G := "[[inv_logit(x[7]), 1 - inv_logit(x[7])], [inv_logit(x[8]), 1 - inv_logit(x[8])]]"
	rho := "[inv_logit(x[9]), 1 - inv_logit(x[9])]'"
	args := "to_matrix(x[1:6], 2, 3), " + G + ", " + rho
	il := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	goArgs := func(v []float64) (*mat.Dense, *mat.Dense, []float64) {
		o := mat.NewDense(2, 3, []float64{v[0], v[2], v[4], v[1], v[3], v[5]})
		g := mat.NewDense(2, 2, []float64{il(v[6]), 1 - il(v[6]), il(v[7]), 1 - il(v[7])})
		return o, g, []float64{il(v[8]), 1 - il(v[8])}
	}
	checkExprs(t, "", at, []exprCase{
		{"hmm_marginal(" + args + ")", func(v []float64) float64 {
			o, g, r := goArgs(v)
			// log Σ over the 8 state paths of the joint density.
			total := 0.0
			for s0 := range 2 {
				for s1 := range 2 {
					for s2 := range 2 {
						total += r[s0] * math.Exp(o.At(s0, 0)) * g.At(s0, s1) * math.Exp(o.At(s1, 1)) * g.At(s1, s2) * math.Exp(o.At(s2, 2))
					}
				}
			}
			return math.Log(total)
		}},
	})
	// hmm_hidden_state_prob is of values (Stan's has no gradient either):
	// through data, its first row times x[1].
	o, g, r := goArgs(at)
	p, err := dist.HMMHiddenStateProb(o, g, r)
	if err != nil {
		t.Fatal(err)
	}
	s := p.At(0, 0) + p.At(0, 1) + p.At(0, 2)
	decls := "transformed data {\n  vector[9] v = [" + floatList(at) + "]';\n  real s = sum(hmm_hidden_state_prob(to_matrix(v[1:6], 2, 3), " +
		strings.ReplaceAll(G, "x[", "v[") + ", " + strings.ReplaceAll(rho, "x[", "v[") + ")[1]);\n}"
	checkExprs(t, decls, at, []exprCase{{"s * x[1]", func(v []float64) float64 { return s * v[0] }}})
}

func floatList(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strings.Join(s, ", ")
}
