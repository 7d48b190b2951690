package dist_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// lkjR is a 3×3 correlation matrix (row-major) and lkjR4 a 4×4 one.
var (
	lkjR = []float64{
		1, 0.3, -0.2,
		0.3, 1, 0.4,
		-0.2, 0.4, 1,
	}
	lkjR4 = []float64{
		1, 0.3, -0.2, 0.1,
		0.3, 1, 0.4, -0.3,
		-0.2, 0.4, 1, 0.25,
		0.1, -0.3, 0.25, 1,
	}
)

func logDetOf(t *testing.T, k int, a []float64) float64 {
	t.Helper()
	var c mat.Cholesky
	if !c.Factorize(symDense(k, a)) {
		t.Fatal("not positive definite")
	}
	return c.LogDet()
}

func TestLkjValues(t *testing.T) {
	// K = 2: (r + 1)/2 is Beta(η, η).
	for _, eta := range []float64{0.5, 1, 3.2} {
		for _, r := range []float64{-0.7, 0.1, 0.95} {
			want := distuv.Beta{Alpha: eta, Beta: eta}.LogProb((r+1)/2) - math.Ln2
			got, err := dist.LkjCorrLpdf(nil, false, constMat(2, []float64{1, r, r, 1}), ad.Const(eta))
			if err != nil {
				t.Fatal(err)
			}
			near(t, "lkj_corr_lpdf K=2", got.Val, want, 1e-13)
			got, _ = dist.LkjCorrCholeskyLpdf(nil, false, constMat(2, []float64{1, 0, r, math.Sqrt(1 - r*r)}), ad.Const(eta))
			near(t, "lkj_corr_cholesky_lpdf K=2", got.Val, want, 1e-13)
		}
	}
	// η = 1 is uniform: minus the log volume of the correlation matrices,
	// π²/2 for K = 3 and 32π²/27 for K = 4.
	got, _ := dist.LkjCorrLpdf(nil, false, constMat(3, lkjR), ad.Const(1))
	near(t, "lkj_corr_lpdf K=3 uniform", got.Val, -math.Log(math.Pi*math.Pi/2), 1e-14)
	got, _ = dist.LkjCorrLpdf(nil, false, constMat(4, lkjR4), ad.Const(1))
	near(t, "lkj_corr_lpdf K=4 uniform", got.Val, -math.Log(32*math.Pi*math.Pi/27), 1e-14)
	// K = 3, η = 2.5: in C-vine partial correlations the volume integral
	// factorises: c = [2^{2η} B(η+½, η+½)]² · 2^{2η-1} B(η, η).
	eta := 2.5
	lbeta := func(a, b float64) float64 {
		la, _ := math.Lgamma(a)
		lb, _ := math.Lgamma(b)
		lab, _ := math.Lgamma(a + b)
		return la + lb - lab
	}
	logc := 2*(2*eta*math.Ln2+lbeta(eta+0.5, eta+0.5)) + (2*eta-1)*math.Ln2 + lbeta(eta, eta)
	want := -logc + (eta-1)*logDetOf(t, 3, lkjR)
	got, _ = dist.LkjCorrLpdf(nil, false, constMat(3, lkjR), ad.Const(eta))
	near(t, "lkj_corr_lpdf K=3", got.Val, want, 1e-13)

	// The Cholesky form adds the log Jacobian Σ_{i≥2} (K - i) log L_ii.
	for _, eta := range []float64{0.7, 2.5} {
		L := cholOf(t, 4, lkjR4)
		full, _ := dist.LkjCorrLpdf(nil, false, constMat(4, lkjR4), ad.Const(eta))
		got, err := dist.LkjCorrCholeskyLpdf(nil, false, constMat(4, L), ad.Const(eta))
		if err != nil {
			t.Fatal(err)
		}
		jac := 2*math.Log(L[5]) + math.Log(L[10])
		near(t, "lkj_corr_cholesky_lpdf K=4", got.Val, full.Val+jac, 1e-13)
	}

	// propto with constant η drops the constant.
	tp := ad.NewTape()
	y := constMat(3, lkjR)
	y.Set(0, 1, tp.Var(0.3))
	prop, _ := dist.LkjCorrLpdf(tp, true, y, ad.Const(eta))
	near(t, "lkj_corr_lupdf", prop.Val, (eta-1)*logDetOf(t, 3, lkjR), 1e-13)
	prop, _ = dist.LkjCorrLpdf(tp, true, constMat(3, lkjR), ad.Const(eta))
	if prop.Val != 0 || !prop.IsConst() {
		t.Errorf("propto with constants = %v", prop)
	}
}

// corrFrom builds a correlation matrix with constant unit diagonal and
// shared symmetric Vars below it, taken row by row from x.
func corrFrom(x []ad.Var, k int) ad.Matrix {
	m := ad.Matrix{Rows: k, Cols: k, Data: make([]ad.Var, k*k)}
	p := 0
	for i := range k {
		m.Set(i, i, ad.Const(1))
		for j := range i {
			m.Set(i, j, x[p])
			m.Set(j, i, x[p])
			p++
		}
	}
	return m
}

func TestLkjGradients(t *testing.T) {
	L := cholOf(t, 4, lkjR4)
	for _, eta := range []float64{0.6, 1, 3} {
		gradCheck(t, "lkj_corr_cholesky_lpdf", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return dist.LkjCorrCholeskyLpdf(tp, false, lowerFrom(x[1:], 4), x[0])
		}, append([]float64{eta}, lowerVals(4, L)...)...)
		gradCheck(t, "lkj_corr_lpdf", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return dist.LkjCorrLpdf(tp, false, corrFrom(x[1:], 4), x[0])
		}, eta, 0.3, -0.2, 0.4, 0.1, -0.3, 0.25)
		checkEntrywise(t, "lkj_corr_lpdf", 4, lkjR4, func(tp *ad.Tape, y ad.Matrix) (ad.Var, error) {
			return dist.LkjCorrLpdf(tp, false, y, ad.Const(eta))
		})
	}
}

func TestLkjErrors(t *testing.T) {
	_, err := dist.LkjCorrLpdf(nil, false, constMat(3, lkjR), ad.Const(0))
	wantErr(t, "eta", err, "lkj_corr_lpdf: Shape parameter is 0, but must be positive")
	bad := append([]float64(nil), lkjR...)
	bad[4] = 1.5
	_, err = dist.LkjCorrLpdf(nil, false, constMat(3, bad), ad.Const(1))
	wantErr(t, "diagonal", err, "lkj_corr_lpdf: Correlation matrix is not a valid correlation matrix. Correlation matrix[2,2] is 1.5, but should be near 1")
	_, err = dist.LkjCorrLpdf(nil, false, constMat(2, []float64{1, 1.2, 1.2, 1}), ad.Const(1))
	wantErr(t, "indefinite", err, "lkj_corr_lpdf: Correlation matrix is not positive definite.")
	_, err = dist.LkjCorrCholeskyLpdf(nil, false, constMat(2, []float64{1, 0.1, 0, 1}), ad.Const(1))
	wantErr(t, "upper", err, "lkj_corr_cholesky_lpdf: Random variable is not lower triangular; Random variable[1,2]=0.1")
	_, err = dist.LkjCorrRng(rand.New(rand.NewPCG(1, 1)), 3, -1)
	wantErr(t, "rng", err, "lkj_corr_rng: Shape parameter is -1, but must be positive finite")
}

func TestLkjRng(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const K, n = 4, 20000
	for _, eta := range []float64{0.8, 3} {
		// Each off-diagonal correlation has mean 0 and variance
		// 1/(2η + K - 1): (r + 1)/2 is Beta(η - 1 + K/2, η - 1 + K/2).
		mean, sq := make([]float64, K*K), make([]float64, K*K)
		for range n {
			c, err := dist.LkjCorrRng(r, K, eta)
			if err != nil {
				t.Fatal(err)
			}
			var ch mat.Cholesky
			if !ch.Factorize(mat.NewSymDense(K, c.RawMatrix().Data)) {
				t.Fatalf("draw not positive definite: %v", mat.Formatted(c))
			}
			for i := range K {
				if c.At(i, i) != 1 {
					t.Fatalf("diagonal %v", c.At(i, i))
				}
				for j := range i {
					mean[i*K+j] += c.At(i, j) / n
					sq[i*K+j] += c.At(i, j) * c.At(i, j) / n
				}
			}
		}
		v := 1 / (2*eta + K - 1)
		for i := range K {
			for j := range i {
				m, s := mean[i*K+j], sq[i*K+j]
				// The 4th moment of a symmetric beta bounds Var(r²) by v.
				if math.Abs(m) > 5*math.Sqrt(v/n) || math.Abs(s-v) > 5*math.Sqrt(v/n) {
					t.Errorf("lkj_corr_rng(%v): r[%d,%d] mean %v, E r² %v, want 0, %v", eta, i, j, m, s, v)
				}
			}
		}
	}
	L, err := dist.LkjCorrCholeskyRng(r, K, 1.5)
	if err != nil {
		t.Fatal(err)
	}
	for i := range K {
		s := 0.0
		for j := range K {
			if j > i && L.At(i, j) != 0 {
				t.Errorf("L[%d,%d] = %v above the diagonal", i, j, L.At(i, j))
			}
			s += L.At(i, j) * L.At(i, j)
		}
		near(t, "row norm", s, 1, 1e-14)
	}
}
