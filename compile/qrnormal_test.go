package compile

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/mathx"
	"github.com/gostan/gostan/model"
)

// qrPrograms are regressions that take the QR path (qrnormal.go). Each
// is compiled twice: as written, and with the variate y read through
// to_vector(y), which is no longer fixed data and so keeps the direct
// pass (the fused one, or dist.NormalIdGLMLpdf): the reference.
var qrPrograms = []struct{ name, model string }{
	{"intercept, three terms", `y ~ normal(alpha + X * beta + g * x1 - x2, sigma);`},
	{"no intercept", `target += normal_lpdf(y | X * beta + g * x1, sigma);`},
	{"lupdf", `target += normal_lupdf(y | alpha + X * beta, sigma);`},
	{"two matrices", `target += normal_lpdf(y | X * beta - alpha + X2 * beta2, sigma);`},
	{"data sigma", `y ~ normal(alpha + X * beta, s0);`},
	{"data sigma, lpdf", `target += normal_lpdf(y | alpha + X * beta, s0);`},
	{"glm", `target += normal_id_glm_lpdf(y | X, alpha, beta, sigma);`},
	{"glm lupdf", `target += normal_id_glm_lupdf(y | X, alpha, beta, sigma);`},
	{"glm data sigma", `target += normal_id_glm_lupdf(y | X, alpha, beta, s0);`},
}

func qrSource(body string, direct bool) string {
	// The variate is padded to to_vector(y)'s width, so that both
	// programs report errors at the same columns.
	y := "           y"
	if direct {
		y = "to_vector(y)"
	}
	body = strings.Replace(body, "(y |", "("+y+" |", 1)
	body = strings.Replace(body, "y ~", y+" ~", 1)
	return `data {
  int N; int K;
  vector[N] y; matrix[N, K] X; matrix[N, 2] X2; vector[N] x1; vector[N] x2;
  real s0;
}
parameters {
  real alpha; vector[K] beta; vector[2] beta2; real g; real<lower=0> sigma;
}
model {
  ` + body + `
}
`
}

// qrData is a regression of n rows and k columns whose noise has scale
// noise against a location of scale about 3 + √k.
func qrData(rng *rand.Rand, n, k int, noise float64) model.Data {
	X, X2 := make([]float64, n*k), make([]float64, n*2)
	x1, x2, y := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		mu := 3.0
		for j := range k {
			X[i*k+j] = rng.NormFloat64()
			mu += X[i*k+j] * float64(j+1) / float64(k)
		}
		X2[2*i], X2[2*i+1] = rng.NormFloat64(), 1+rng.Float64()
		x1[i], x2[i] = rng.NormFloat64(), rng.Float64()
		y[i] = mu + noise*rng.NormFloat64()
	}
	return model.Data{
		"N": {Elems: []float64{float64(n)}, Int: true}, "K": {Elems: []float64{float64(k)}, Int: true},
		"y": {Dims: []int{n}, Elems: y}, "X": {Dims: []int{n, k}, Elems: X}, "X2": {Dims: []int{n, 2}, Elems: X2},
		"x1": {Dims: []int{n}, Elems: x1}, "x2": {Dims: []int{n}, Elems: x2}, "s0": {Elems: []float64{0.7}},
	}
}

// qrPoint is the unconstrained point at the data's coefficients (beta_j
// = j/k, alpha = 3, the rest 0) moved by shift·U(-1, 1), with
// log sigma = logSigma.
func qrPoint(rng *rand.Rand, k int, shift, logSigma float64) []float64 {
	th := make([]float64, 1+k+2+1+1)
	th[0] = 3
	for j := range k {
		th[1+j] = float64(j+1) / float64(k)
	}
	for i := range th {
		th[i] += shift * (2*rng.Float64() - 1)
	}
	th[len(th)-1] = logSigma
	return th
}

func relDiff(a, b float64) float64 {
	return math.Abs(a-b) / max(math.Abs(a), math.Abs(b), 1e-300)
}

// TestQRNormalMatchesDirect compares the QR path's log density and
// gradient with the direct pass's, with constants kept and dropped, on
// ordinary data and on data whose residuals are 1e-8 of y's spread
// (R² ≈ 1 - 1e-9), evaluated at the coefficients that fit them, where the
// sum of squares is the residual alone and yᵀy - ‖Qᵀy‖² would have lost
// it.
func TestQRNormalMatchesDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cases := []struct {
		name            string
		noise, shift    float64
		logSigma, tolLp float64
	}{
		{"ordinary", 1, 0.5, 0.1, 1e-10},
		{"R² ≈ 1 - 1e-9", 1e-4, 0, math.Log(1e-4), 1e-10},
		{"R² ≈ 1 - 1e-9, off the fit", 1e-4, 1e-4, math.Log(1e-4), 1e-10},
	}
	for _, cs := range cases {
		const n, k = 300, 6
		data := qrData(rng, n, k, cs.noise)
		for _, pr := range qrPrograms {
			m := buildSource(t, qrSource(pr.model, false), data)
			ref := buildSource(t, qrSource(pr.model, true), data)
			for trial := range 3 {
				th := qrPoint(rng, k, cs.shift, cs.logSigma)
				for _, propto := range []bool{true, false} {
					g, gr := make([]float64, len(th)), make([]float64, len(th))
					lp, err := m.LogDensityPropto(th, g, propto, true)
					if err != nil {
						t.Fatalf("%s %s: %v", cs.name, pr.name, err)
					}
					lr, err := ref.LogDensityPropto(th, gr, propto, true)
					if err != nil {
						t.Fatalf("%s %s (direct): %v", cs.name, pr.name, err)
					}
					if d := relDiff(lp, lr); d > cs.tolLp {
						t.Errorf("%s %s #%d propto=%v: lp %.17g, direct %.17g (rel %.2g)", cs.name, pr.name, trial, propto, lp, lr, d)
					}
					// The gradient against its own scale: at the fitted
					// coefficients its elements are sums of residuals
					// that cancel.
					scale := 0.0
					for i := range g {
						scale = max(scale, math.Abs(gr[i]))
					}
					for i := range g {
						if d := math.Abs(g[i] - gr[i]); d > 1e-10*scale {
							t.Errorf("%s %s #%d propto=%v: grad[%d] %.17g, direct %.17g (rel to max %.2g)", cs.name, pr.name, trial, propto, i, g[i], gr[i], d/scale)
						}
					}
				}
			}
		}
	}
}

// TestQRNormalFiniteDifferences checks the QR path's gradient against
// central differences of its log density.
func TestQRNormalFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n, k = 50, 4
	data := qrData(rng, n, k, 0.5)
	for _, pr := range qrPrograms {
		m := buildSource(t, qrSource(pr.model, false), data)
		th := qrPoint(rng, k, 0.3, -0.2)
		g := make([]float64, len(th))
		if _, err := m.LogDensityPropto(th, g, false, true); err != nil {
			t.Fatal(err)
		}
		for i := range th {
			const h = 1e-5
			x := append([]float64(nil), th...)
			x[i] += h
			up, _ := m.LogDensityPropto(x, nil, false, true)
			x[i] -= 2 * h
			down, _ := m.LogDensityPropto(x, nil, false, true)
			fd := (up - down) / (2 * h)
			if math.Abs(fd-g[i]) > 1e-6*max(1, math.Abs(fd)) {
				t.Errorf("%s: grad[%d] %g, finite difference %g", pr.name, i, g[i], fd)
			}
		}
	}
}

// TestQRNormalAllocs checks that a gradient on the QR path allocates
// nothing once the model has factorised its data.
func TestQRNormalAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n, k = 100, 5
	data := qrData(rng, n, k, 1)
	for _, pr := range qrPrograms {
		m := buildSource(t, qrSource(pr.model, false), data)
		th := qrPoint(rng, k, 0.3, 0)
		g := make([]float64, len(th))
		m.LogDensity(th, g)
		if a := testing.AllocsPerRun(20, func() { m.LogDensity(th, g) }); a != 0 {
			t.Errorf("%s: %v allocations per gradient", pr.name, a)
		}
	}
}

// TestQRNormalErrors checks that the QR path fails as the direct pass
// does: a scale that is not positive, a NaN or infinite variate, and
// coefficients of the wrong size.
func TestQRNormalErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	const n, k = 20, 3
	bad := []struct {
		name  string
		patch func(model.Data)
	}{
		{"sigma 0", func(d model.Data) { d["s0"].Elems[0] = 0 }},
		{"sigma -1", func(d model.Data) { d["s0"].Elems[0] = -1 }},
		{"sigma NaN", func(d model.Data) { d["s0"].Elems[0] = math.NaN() }},
		{"sigma +Inf", func(d model.Data) { d["s0"].Elems[0] = math.Inf(1) }},
		{"y NaN", func(d model.Data) { d["y"].Elems[4] = math.NaN() }},
		{"y +Inf", func(d model.Data) { d["y"].Elems[4] = math.Inf(1) }},
		{"X NaN", func(d model.Data) { d["X"].Elems[7] = math.NaN() }},
	}
	for _, b := range bad {
		data := qrData(rng, n, k, 1)
		b.patch(data)
		for _, pr := range qrPrograms {
			m := buildSource(t, qrSource(pr.model, false), data)
			ref := buildSource(t, qrSource(pr.model, true), data)
			th := qrPoint(rng, k, 0.3, 0)
			g, gr := make([]float64, len(th)), make([]float64, len(th))
			lp, err := m.LogDensity(th, g)
			lr, errRef := ref.LogDensity(th, gr)
			switch {
			case (err == nil) != (errRef == nil):
				t.Errorf("%s %s: error %v, direct %v", b.name, pr.name, err, errRef)
			case err != nil && err.Error() != errRef.Error():
				t.Errorf("%s %s: error %q, direct %q", b.name, pr.name, err, errRef)
			case err == nil && !(lp == lr || relDiff(lp, lr) < 1e-10 || math.IsNaN(lp) && math.IsNaN(lr)):
				t.Errorf("%s %s: lp %v, direct %v", b.name, pr.name, lp, lr)
			}
		}
	}
	// beta of the wrong size for X: the product's error, or the GLM's.
	data := qrData(rng, n, k, 1)
	for _, pr := range qrPrograms {
		wrong := func(direct bool) string {
			return strings.Replace(qrSource(pr.model, direct), "vector[K] beta", "vector[K + 1] beta", 1)
		}
		m, ref := buildSource(t, wrong(false), data), buildSource(t, wrong(true), data)
		th := qrPoint(rng, k+1, 0.3, 0)
		_, err := m.LogDensity(th, make([]float64, len(th)))
		_, errRef := ref.LogDensity(th, make([]float64, len(th)))
		if err == nil || errRef == nil || err.Error() != errRef.Error() {
			t.Errorf("%s, beta of K + 1: error %v, direct %v", pr.name, err, errRef)
		}
	}
}

// TestQRNormalNearFit checks the QR path against sums taken in 300-bit
// arithmetic at the least-squares fit of data with R² ≈ 1 - 1e-9: the
// log density and the intercept's partial Σ (y_i - μ_i) / σ², which
// cancel to 1e-5 of their terms there, to 1e-11.
func TestQRNormalNearFit(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const n, k = 300, 6
	data := qrData(rng, n, k, 1e-4)
	th := qrPoint(rng, k, 0, math.Log(1e-4))
	y, X := data["y"].Elems, data["X"].Elems
	bf := func(x float64) *big.Float { return new(big.Float).SetPrec(300).SetFloat64(x) }
	sr, sr2 := bf(0), bf(0)
	for i := range n {
		mu := bf(th[0])
		for j := range k {
			mu.Add(mu, bf(0).Mul(bf(X[i*k+j]), bf(th[1+j])))
		}
		r := bf(0).Sub(bf(y[i]), mu)
		sr.Add(sr, r)
		sr2.Add(sr2, r.Mul(r, r))
	}
	s, _ := sr.Float64()
	ss, _ := sr2.Float64()
	sigma := math.Exp(th[len(th)-1])
	wantGrad := s / (sigma * sigma)
	// normal_id_glm_lpdf with its constants, plus the log Jacobian of
	// sigma's lower bound.
	wantLp := -float64(n)*math.Log(sigma) - ss/(2*sigma*sigma) - float64(n)*mathx.HalfLog2Pi + math.Log(sigma)
	for _, pr := range qrPrograms {
		if !strings.Contains(pr.model, "glm_lpdf") {
			continue
		}
		m := buildSource(t, qrSource(pr.model, false), data)
		g := make([]float64, len(th))
		lp, err := m.LogDensityPropto(th, g, false, true)
		if err != nil {
			t.Fatal(err)
		}
		if d := relDiff(lp, wantLp); d > 1e-11 {
			t.Errorf("%s: lp %.17g, exact %.17g (rel %.2g)", pr.name, lp, wantLp, d)
		}
		if d := relDiff(g[0], wantGrad); d > 1e-11 {
			t.Errorf("%s: d lp / d alpha %.17g, exact %.17g (rel %.2g)", pr.name, g[0], wantGrad, d)
		}
	}
}
