package dist_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gostan/gostan/ad"
	. "github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/internal/fdcheck"
)

// glmCases checks the GLMs against their families applied to the linear
// predictor, and their gradients in the intercept, weights and (for the
// normal) scale against finite differences.
func TestGLMs(t *testing.T) {
	x := []float64{0.5, -1, 2, 0.3, 1.5, -0.7} // 3×2 column-major
	design := Design{Rows: 3, Cols: 2, Val: x}
	yInt := []int{1, 0, 1}
	ycount := []int{2, 0, 5}
	yReal := []float64{0.3, -1.2, 2.2}
	eta := func(p []float64) []float64 {
		return []float64{p[0] + x[0]*p[1] + x[3]*p[2], p[0] + x[1]*p[1] + x[4]*p[2], p[0] + x[2]*p[1] + x[5]*p[2]}
	}
	p0 := []float64{0.2, 0.7, -0.4, 1.3}
	cases := []struct {
		name string
		glm  func(tp *ad.Tape, v []ad.Var) (ad.Var, error)
		ref  func(p []float64) float64
	}{
		{"bernoulli_logit_glm", func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
			return BernoulliLogitGLMLpmf(tp, false, yInt, design, v[:1], v[1:3])
		}, func(p []float64) float64 {
			lp, _ := BernoulliLogit.Lpmf(nil, false, [][]int{yInt}, consts(eta(p)...))
			return lp.Val
		}},
		{"poisson_log_glm", func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
			return PoissonLogGLMLpmf(tp, false, ycount, design, v[:1], v[1:3])
		}, func(p []float64) float64 {
			lp, _ := PoissonLog.Lpmf(nil, false, [][]int{ycount}, consts(eta(p)...))
			return lp.Val
		}},
		{"binomial_logit_glm", func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
			return BinomialLogitGLMLpmf(tp, false, ycount, []int{4, 3, 5}, design, v[:1], v[1:3])
		}, func(p []float64) float64 {
			lp, _ := BinomialLogit.Lpmf(nil, false, [][]int{ycount, {4, 3, 5}}, consts(eta(p)...))
			return lp.Val
		}},
		{"binomial_logit_glm one N", func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
			return BinomialLogitGLMLpmf(tp, false, ycount, []int{6}, design, v[:1], v[1:3])
		}, func(p []float64) float64 {
			lp, _ := BinomialLogit.Lpmf(nil, false, [][]int{ycount, {6}}, consts(eta(p)...))
			return lp.Val
		}},
		{"normal_id_glm", func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
			return NormalIdGLMLpdf(tp, false, consts(yReal...), design, v[:1], v[1:3], v[3:4])
		}, func(p []float64) float64 {
			lp, _ := NormalLpdf(nil, false, consts(yReal...), consts(eta(p)...), consts(p[3]))
			return lp.Val
		}},
	}
	for _, c := range cases {
		got, err := fdcheck.Value(c.glm, p0)
		if err != nil {
			t.Fatal(err)
		}
		if want := c.ref(p0); math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %v, family on the predictor %v", c.name, got, want)
		}
		if err := fdcheck.Check(c.glm, p0, 1e-6); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestCategoricalAndOrdered(t *testing.T) {
	n := []int{1, 3, 3, 2}
	// categorical_logit is categorical of the softmax.
	beta := []float64{0.2, -0.5, 1.1}
	sm := softmax(beta)
	a, _ := CategoricalLogitLpmf(nil, false, n, consts(beta...))
	b, _ := CategoricalLpmf(nil, false, n, consts(sm...))
	want := math.Log(sm[0]) + 2*math.Log(sm[2]) + math.Log(sm[1])
	if math.Abs(a.Val-want) > 1e-12 || math.Abs(b.Val-want) > 1e-12 {
		t.Errorf("categorical %v, categorical_logit %v, want %v", b.Val, a.Val, want)
	}
	logit := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) { return CategoricalLogitLpmf(tp, false, n, v) }
	if err := fdcheck.Check(logit, beta, 1e-6); err != nil {
		t.Errorf("categorical_logit: %v", err)
	}
	multi := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) { return MultinomialLpmf(tp, false, []int{2, 0, 3}, v) }
	if err := fdcheck.Check(multi, sm, 1e-6); err != nil {
		t.Errorf("multinomial: %v", err)
	}
	// Multinomial against the closed form.
	mn, _ := MultinomialLpmf(nil, false, []int{2, 0, 3}, consts(sm...))
	if w := math.Log(10) + 2*math.Log(sm[0]) + 3*math.Log(sm[2]); math.Abs(mn.Val-w) > 1e-12 {
		t.Errorf("multinomial %v, want %v", mn.Val, w)
	}
	// Ordered logistic and probit: the probabilities of all outcomes sum
	// to 1, and gradients in eta and the cutpoints are right.
	cuts := []float64{-0.5, 0.4, 1.7}
	for _, f := range []func(*ad.Tape, bool, []int, []ad.Var, [][]ad.Var) (ad.Var, error){OrderedLogisticLpmf, OrderedProbitLpmf} {
		sum := 0.0
		for k := 1; k <= 4; k++ {
			lp, err := f(nil, false, []int{k}, consts(0.3), [][]ad.Var{consts(cuts...)})
			if err != nil {
				t.Fatal(err)
			}
			sum += math.Exp(lp.Val)
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("ordered probabilities sum to %v", sum)
		}
		g := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
			return f(tp, false, []int{1, 2, 3, 4}, v[:1], [][]ad.Var{v[1:]})
		}
		if err := fdcheck.Check(g, append([]float64{0.3}, cuts...), 1e-6); err != nil {
			t.Errorf("ordered: %v", err)
		}
	}
}

func softmax(x []float64) []float64 {
	s := 0.0
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = math.Exp(v)
		s += out[i]
	}
	for i := range out {
		out[i] /= s
	}
	return out
}

func TestHypergeometricAndDiscreteRange(t *testing.T) {
	// Hypergeometric masses over the support sum to 1.
	sum := 0.0
	for n := 0; n <= 5; n++ {
		lp, err := HypergeometricLpmf(n, 5, 6, 4)
		if err != nil {
			if n >= 1 {
				t.Fatal(err)
			}
			continue
		}
		sum += math.Exp(lp)
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("hypergeometric sums to %v", sum)
	}
	if _, err := HypergeometricLpmf(0, 5, 6, 4); err == nil {
		t.Error("n = 0 of 5 draws with 4 failures accepted")
	}
	lp, _ := DiscreteRangeLpmf([]int{3, 5}, []int{1}, []int{6})
	if math.Abs(lp-2*math.Log(1.0/6)) > 1e-15 {
		t.Errorf("discrete_range %v", lp)
	}
	if lp, _ := DiscreteRangeLpmf([]int{7}, []int{1}, []int{6}); !math.IsInf(lp, -1) {
		t.Errorf("outside the range: %v", lp)
	}
}

func TestDiscreteRangeCDF(t *testing.T) {
	lp, err := DiscreteRangeLcdf([]int{3}, []int{1}, []int{6})
	if err != nil || math.Abs(lp-math.Log(0.5)) > 1e-15 {
		t.Errorf("lcdf %v (%v)", lp, err)
	}
	lp, _ = DiscreteRangeLccdf([]int{5}, []int{1}, []int{6})
	if math.Abs(lp-math.Log(1.0/6)) > 1e-15 {
		t.Errorf("lccdf %v", lp)
	}
}

// TestOrderedLogisticGLM checks ordered_logistic_glm against
// ordered_logistic of the linear predictor, and its gradient in x, β and
// the cutpoints by finite differences.
func TestOrderedLogisticGLM(t *testing.T) {
	y := []int{1, 3, 2}
	// x (3×2, column-major), β (2), cutpoints (2).
	x0 := []float64{0.5, -1, 2, 0.3, 1.5, -0.7, 0.4, -0.9, -0.5, 0.8}
	f := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
		return OrderedLogisticGLMLpmf(tp, false, y, ad.Matrix{Rows: 3, Cols: 2, Data: v[:6]}, v[6:8], v[8:10])
	}
	got, err := fdcheck.Value(f, x0)
	if err != nil {
		t.Fatal(err)
	}
	eta := make([]float64, 3)
	for i := range 3 {
		eta[i] = x0[i]*x0[6] + x0[3+i]*x0[7]
	}
	want, _ := OrderedLogisticLpmf(nil, false, y, consts(eta...), [][]ad.Var{consts(x0[8:10]...)})
	if math.Abs(got-want.Val) > 1e-12 {
		t.Errorf("ordered_logistic_glm = %v, ordered_logistic of the predictor %v", got, want.Val)
	}
	if err := fdcheck.Check(f, x0, 1e-6); err != nil {
		t.Error(err)
	}
	if _, err := OrderedLogisticGLMLpmf(nil, false, []int{4}, ad.Matrix{Rows: 1, Cols: 1, Data: consts(1)}, consts(1), consts(-1, 1)); err == nil {
		t.Error("an outcome beyond the cutpoints is accepted")
	}
}

// TestGLMSizes checks that a GLM whose outcomes or scales are neither one
// value nor one per row of the design matrix fails with a size error:
// fewer indexed past their end (a panic), more were silently ignored.
func TestGLMSizes(t *testing.T) {
	design := Design{Rows: 3, Cols: 1, Val: []float64{1, 2, 3}}
	one, w := consts(0.5), consts(0.2)
	for _, c := range []struct {
		name string
		f    func() (ad.Var, error)
		want string
	}{
		{"poisson fewer", func() (ad.Var, error) { return PoissonLogGLMLpmf(ad.NewTape(), false, []int{1, 2}, design, one, w) },
			"poisson_log_glm_lpmf: size of Vector of dependent variables (2) and size of rows of the design matrix (3) must match"},
		{"poisson more", func() (ad.Var, error) {
			return PoissonLogGLMLpmf(ad.NewTape(), false, []int{1, 2, 3, 4}, design, one, w)
		}, "poisson_log_glm_lpmf: size of Vector of dependent variables (4)"},
		{"normal y fewer", func() (ad.Var, error) {
			return NormalIdGLMLpdf(ad.NewTape(), false, consts(1, 2), design, one, w, one)
		}, "normal_id_glm_lpdf: size of Vector of dependent variables (2) and size of rows of the design matrix (3) must match"},
		{"normal y more", func() (ad.Var, error) {
			return NormalIdGLMLpdf(ad.NewTape(), false, consts(1, 2, 3, 4), design, one, w, one)
		}, "normal_id_glm_lpdf: size of Vector of dependent variables (4)"},
		{"normal sigma", func() (ad.Var, error) {
			return NormalIdGLMLpdf(ad.NewTape(), false, consts(1, 2, 3), design, one, w, consts(1, 2))
		}, "normal_id_glm_lpdf: size of Vector of scale parameters (2) and size of rows of the design matrix (3) must match"},
	} {
		_, err := c.f()
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	// One outcome and one scale for every row are still taken.
	if _, err := NormalIdGLMLpdf(ad.NewTape(), false, consts(1), design, one, w, consts(1, 2, 3)); err != nil {
		t.Error(err)
	}
}

// TestOrderedSizes checks that ordered_logistic and ordered_probit want
// one linear predictor per outcome and one cut-point vector or one per
// outcome: more outcomes than predictors indexed past the predictors'
// end (a panic), fewer ignored the rest.
func TestOrderedSizes(t *testing.T) {
	cuts := [][]ad.Var{consts(0, 1)}
	for _, f := range []func(*ad.Tape, bool, []int, []ad.Var, [][]ad.Var) (ad.Var, error){OrderedLogisticLpmf, OrderedProbitLpmf} {
		for _, c := range []struct {
			k    []int
			eta  []ad.Var
			c    [][]ad.Var
			want string
		}{
			{[]int{1, 2, 3}, consts(1, 2), cuts, "size of Integers (3) and size of Linear predictor (2) must match"},
			{[]int{1, 2}, consts(1, 2, 3), cuts, "size of Integers (2) and size of Linear predictor (3) must match"},
			{[]int{1, 2}, consts(1, 2), [][]ad.Var{consts(0, 1), consts(0, 1), consts(0, 1)}, "size of Integers (2) and size of Cut-points (3) must match"},
		} {
			_, err := f(ad.NewTape(), false, c.k, c.eta, c.c)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%v | %d predictors, %d cut-point vectors: %v, want %q", c.k, len(c.eta), len(c.c), err, c.want)
			}
		}
		if _, err := f(ad.NewTape(), false, []int{1, 3}, consts(1, 2), [][]ad.Var{consts(0, 1), consts(-1, 1)}); err != nil {
			t.Error(err)
		}
	}
}
