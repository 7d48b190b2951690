package dist

import (
	"strconv"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// BinomialLogitGLMLpmf is Σ log Binomial(n_i | N_i, inv_logit(α + x_i β)):
// per row, with η = α + x_i β, n η - N log(1 + e^η) + log C(N, n), whose
// derivative in η is n - N inv_logit(η). A single n or N is used for
// every row.
func BinomialLogitGLMLpmf(t *ad.Tape, propto bool, n, N []int, x Design, alpha, beta []ad.Var) (ad.Var, error) {
	const fn = "binomial_logit_glm_lpmf"
	sc := getScratch()
	defer sc.release()
	eta, deta := sc.floats(x.Rows), sc.floats(x.Rows)
	if err := glmPredictor(fn, x, alpha, beta, eta); err != nil {
		return ad.Var{}, err
	}
	for _, v := range [][]int{n, N} {
		if len(v) != 1 && len(v) != len(eta) {
			return ad.Var{}, &SizeError{fn, "Successes variable", "rows of the design matrix", len(v), len(eta)}
		}
	}
	b := t.Begin()
	lp := 0.0
	for i, e := range eta {
		ni, Ni := n[min(i, len(n)-1)], N[min(i, len(N)-1)]
		if Ni < 0 {
			return ad.Var{}, &IntError{fn, "Population size parameter", i + 1, Ni, "nonnegative"}
		}
		if ni < 0 || ni > Ni {
			return ad.Var{}, &IntError{fn, "Successes variable", i + 1, ni, "in the interval [0, " + strconv.Itoa(Ni) + "]"}
		}
		// n log σ(η) + (N-n) log(1-σ(η)), without cancellation.
		lp += float64(ni)*mathx.LogInvLogit(e) + float64(Ni-ni)*mathx.Log1mInvLogit(e)
		if !propto {
			lp += lchoose(Ni, ni)
		}
		deta[i] = float64(ni) - float64(Ni)*mathx.InvLogit(e)
	}
	glmPartials(&b, x, alpha, beta, deta)
	return b.End(lp), nil
}
