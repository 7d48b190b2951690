package dist_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/internal/race"
)

var (
	mvY1    = []float64{0.3, -1.1, 2.0}
	mvY2    = []float64{-0.7, 0.4, 1.2}
	mvMu    = []float64{0.1, -0.5, 1.5}
	mvSigma = []float64{ // row-major, symmetric positive definite
		2.0, 0.3, -0.4,
		0.3, 1.5, 0.2,
		-0.4, 0.2, 0.9,
	}
)

// refNormal is the multivariate normal density written out with gonum's
// Cholesky (gonum's distmv needs a module this repository does not have).
type refNormal struct {
	mu []float64
	c  mat.Cholesky
}

func gonumNormal(t *testing.T, mu, sigma []float64) *refNormal {
	t.Helper()
	d := &refNormal{mu: mu}
	if !d.c.Factorize(symDense(len(mu), sigma)) {
		t.Fatal("reference normal: not positive definite")
	}
	return d
}

func (d *refNormal) quad(y []float64) float64 {
	k := len(y)
	r := mat.NewVecDense(k, nil)
	r.SubVec(mat.NewVecDense(k, append([]float64(nil), y...)), mat.NewVecDense(k, append([]float64(nil), d.mu...)))
	var w mat.VecDense
	if err := d.c.SolveVecTo(&w, r); err != nil {
		panic(err)
	}
	return mat.Dot(r, &w)
}

func (d *refNormal) LogProb(y []float64) float64 {
	k := float64(len(y))
	return -0.5*k*math.Log(2*math.Pi) - 0.5*d.c.LogDet() - 0.5*d.quad(y)
}

func TestMultiNormalValues(t *testing.T) {
	const k = 3
	d := gonumNormal(t, mvMu, mvSigma)
	want := d.LogProb(mvY1) + d.LogProb(mvY2)
	L := cholOf(t, k, mvSigma)
	y, mu := constVecs(mvY1, mvY2), constVecs(mvMu)

	got, err := dist.MultiNormalLpdf(nil, false, y, mu, constMat(k, mvSigma))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "multi_normal_lpdf", got.Val, want, 1e-13)
	got, err = dist.MultiNormalCholeskyLpdf(nil, false, y, mu, constMat(k, L))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "multi_normal_cholesky_lpdf", got.Val, want, 1e-13)

	// Broadcasting the other way: one y, two locations.
	want = d.LogProb(mvY1) + gonumNormal(t, mvY2, mvSigma).LogProb(mvY1)
	got, _ = dist.MultiNormalLpdf(nil, false, constVecs(mvY1), constVecs(mvMu, mvY2), constMat(k, mvSigma))
	near(t, "multi_normal_lpdf broadcast y", got.Val, want, 1e-13)

	// propto: a varying location drops log(2π) and, with constant
	// covariance, the log determinant; a varying covariance keeps it.
	tp := ad.NewTape()
	yv := [][]ad.Var{{tp.Var(mvY1[0]), tp.Var(mvY1[1]), tp.Var(mvY1[2])}}
	full, _ := dist.MultiNormalLpdf(nil, false, constVecs(mvY1), mu, constMat(k, mvSigma))
	var c mat.Cholesky
	c.Factorize(symDense(k, mvSigma))
	logDet := c.LogDet()
	for _, f := range []func(bool, ad.Matrix, ad.Matrix) (ad.Var, error){
		func(p bool, s, _ ad.Matrix) (ad.Var, error) { return dist.MultiNormalLpdf(tp, p, yv, mu, s) },
		func(p bool, _, l ad.Matrix) (ad.Var, error) { return dist.MultiNormalCholeskyLpdf(tp, p, yv, mu, l) },
	} {
		prop, _ := f(true, constMat(k, mvSigma), constMat(k, L))
		near(t, "propto, constant covariance", prop.Val, full.Val+1.5*math.Log(2*math.Pi)+0.5*logDet, 1e-13)
		sv := constMat(k, mvSigma)
		sv.Data[0] = tp.Var(mvSigma[0])
		lv := constMat(k, L)
		lv.Data[0] = tp.Var(L[0])
		prop, _ = f(true, sv, lv)
		near(t, "propto, varying covariance", prop.Val, full.Val+1.5*math.Log(2*math.Pi), 1e-13)
	}
	prop, _ := dist.MultiNormalLpdf(tp, true, y, mu, constMat(k, mvSigma))
	if prop.Val != 0 || !prop.IsConst() {
		t.Errorf("propto with constants = %v", prop)
	}
}

func TestMultiNormalGradients(t *testing.T) {
	const k = 3
	L := cholOf(t, k, mvSigma)
	x := flat(mvY1, mvY2, mvMu)
	gradCheck(t, "multi_normal_cholesky_lpdf", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a := split(x, 6, 3, 6)
		return dist.MultiNormalCholeskyLpdf(tp, false, vecsOf(a[0], k), vecsOf(a[1], k), lowerFrom(a[2], k))
	}, append(x, lowerVals(k, L)...)...)
	gradCheck(t, "multi_normal_cholesky_lpdf broadcast y", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a := split(x, 3, 6, 6)
		return dist.MultiNormalCholeskyLpdf(tp, false, vecsOf(a[0], k), vecsOf(a[1], k), lowerFrom(a[2], k))
	}, append(flat(mvMu, mvY1, mvY2), lowerVals(k, L)...)...)
	gradCheck(t, "multi_normal_lpdf", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a := split(x, 6, 3, 6)
		return dist.MultiNormalLpdf(tp, false, vecsOf(a[0], k), vecsOf(a[1], k), symFrom(a[2], k))
	}, append(x, lowerVals(k, mvSigma)...)...)
	checkEntrywise(t, "multi_normal_lpdf", k, mvSigma, func(tp *ad.Tape, s ad.Matrix) (ad.Var, error) {
		return dist.MultiNormalLpdf(tp, false, constVecs(mvY1, mvY2), constVecs(mvMu), s)
	})
	// One observed vector takes the loops instead of BLAS.
	gradCheck(t, "multi_normal_cholesky_lpdf of one vector", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a := split(x, 3, 3, 6)
		return dist.MultiNormalCholeskyLpdf(tp, false, vecsOf(a[0], k), vecsOf(a[1], k), lowerFrom(a[2], k))
	}, append(flat(mvY1, mvMu), lowerVals(k, L)...)...)
	gradCheck(t, "multi_normal_lpdf of one vector", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a := split(x, 3, 3, 6)
		return dist.MultiNormalLpdf(tp, false, vecsOf(a[0], k), vecsOf(a[1], k), symFrom(a[2], k))
	}, append(flat(mvY2, mvMu), lowerVals(k, mvSigma)...)...)
	checkEntrywise(t, "multi_normal_lpdf of one vector", k, mvSigma, func(tp *ad.Tape, s ad.Matrix) (ad.Var, error) {
		return dist.MultiNormalLpdf(tp, false, constVecs(mvY1), constVecs(mvMu), s)
	})
}

func TestMultiNormalErrors(t *testing.T) {
	const k = 3
	y, mu := constVecs(mvY1), constVecs(mvMu)
	bad := append([]float64(nil), mvSigma...)
	bad[1] = 0.5
	_, err := dist.MultiNormalLpdf(nil, false, y, mu, constMat(k, bad))
	wantErr(t, "asymmetric", err, "multi_normal_lpdf: Covariance matrix is not symmetric. Covariance matrix[1,2] = 0.5, but Covariance matrix[2,1] = 0.3")
	_, err = dist.MultiNormalLpdf(nil, false, y, mu, constMat(2, []float64{1, 2, 2, 1}))
	wantErr(t, "sizes", err, "multi_normal_lpdf: size of Random variable (3) and size of Covariance matrix (2) must match")
	_, err = dist.MultiNormalLpdf(nil, false, constVecs([]float64{0, 0}), constVecs([]float64{0, 0}), constMat(2, []float64{1, 2, 2, 1}))
	wantErr(t, "indefinite", err, "multi_normal_lpdf: Covariance matrix is not positive definite.")
	_, err = dist.MultiNormalLpdf(nil, false, constVecs(mvY1, mvY2), constVecs(mvMu, mvMu, mvMu), constMat(k, mvSigma))
	wantErr(t, "array sizes", err, "multi_normal_lpdf: size of Random variable (2) and size of Location parameter (3) must match")
	_, err = dist.MultiNormalLpdf(nil, false, constVecs([]float64{0, math.NaN(), 0}), mu, constMat(k, mvSigma))
	wantErr(t, "nan y", err, "multi_normal_lpdf: Random variable[2] is NaN, but must be not nan")
	_, err = dist.MultiNormalLpdf(nil, false, y, constVecs([]float64{0, 0, math.Inf(1)}), constMat(k, mvSigma))
	wantErr(t, "infinite mu", err, "multi_normal_lpdf: Location parameter[3] is +Inf, but must be finite")

	L := cholOf(t, k, mvSigma)
	L[1] = 0.25
	_, err = dist.MultiNormalCholeskyLpdf(nil, false, y, mu, constMat(k, L))
	wantErr(t, "upper", err, "multi_normal_cholesky_lpdf: Cholesky factor of covariance matrix is not lower triangular; Cholesky factor of covariance matrix[1,2]=0.25")
	_, err = dist.MultiNormalCholeskyLpdf(nil, false, constVecs([]float64{1, 2}), constVecs([]float64{0, 0}), constMat(2, []float64{1, 0, 0.5, -1}))
	wantErr(t, "negative diagonal", err, "multi_normal_cholesky_lpdf: Cholesky factor of covariance matrix[2] is -1, but must be positive")
	_, err = dist.MultiNormalCholeskyLpdf(nil, false, y, mu, ad.Matrix{Rows: 3, Cols: 2, Data: consts(1, 2, 3, 4, 5, 6)})
	wantErr(t, "square", err, "multi_normal_cholesky_lpdf: Expecting a square matrix; rows of Cholesky factor of covariance matrix (3) and columns of Cholesky factor of covariance matrix (2) must match in size")
	_, err = dist.MultiNormalRng(rand.New(rand.NewPCG(1, 1)), mvMu, mat.NewDense(3, 3, bad))
	wantErr(t, "rng asymmetric", err, "multi_normal_rng: Covariance matrix is not symmetric. Covariance matrix[1,2] = 0.5, but Covariance matrix[2,1] = 0.3")
}

// checkMoments compares the sample mean and covariance of draws with mu
// and sigma (row-major) within 5 standard errors, using the normal
// approximation Var(s_ij) ≈ (σ_ij² + σ_ii σ_jj)/n.
func checkMoments(t *testing.T, name string, draws [][]float64, mu, sigma []float64) {
	t.Helper()
	k, n := len(mu), float64(len(draws))
	mean := make([]float64, k)
	for _, d := range draws {
		for i, v := range d {
			mean[i] += v / n
		}
	}
	for i := range k {
		if se := math.Sqrt(sigma[i*k+i] / n); math.Abs(mean[i]-mu[i]) > 5*se {
			t.Errorf("%s: mean[%d] = %v, want %v", name, i, mean[i], mu[i])
		}
		for j := range k {
			s := 0.0
			for _, d := range draws {
				s += (d[i] - mean[i]) * (d[j] - mean[j])
			}
			s /= n - 1
			w := sigma[i*k+j]
			if se := math.Sqrt((w*w + sigma[i*k+i]*sigma[j*k+j]) / n); math.Abs(s-w) > 5*se {
				t.Errorf("%s: cov[%d,%d] = %v, want %v", name, i, j, s, w)
			}
		}
	}
}

func TestMultiNormalRng(t *testing.T) {
	const k, n = 3, 20000
	r := rand.New(rand.NewPCG(3, 4))
	draws := make([][]float64, n)
	for i := range draws {
		d, err := dist.MultiNormalRng(r, mvMu, mat.NewDense(k, k, append([]float64(nil), mvSigma...)))
		if err != nil {
			t.Fatal(err)
		}
		draws[i] = d
	}
	checkMoments(t, "multi_normal_rng", draws, mvMu, mvSigma)
	L := cholOf(t, k, mvSigma)
	for i := range draws {
		d, err := dist.MultiNormalCholeskyRng(r, mvMu, mat.NewDense(k, k, L))
		if err != nil {
			t.Fatal(err)
		}
		draws[i] = d
	}
	checkMoments(t, "multi_normal_cholesky_rng", draws, mvMu, mvSigma)
}

func TestMultiNormalAllocs(t *testing.T) {
	const k = 3
	tp := ad.NewTape()
	y := constVecs(mvY1, mvY2)
	mu := make([][]ad.Var, 1)
	S := ad.Matrix{Rows: k, Cols: k}
	eval := func() {
		tp.Reset()
		mu[0] = tp.Vars(k)
		for i := range k {
			mu[0][i] = tp.Var(mvMu[i])
		}
		S = tp.Matrix(k, k)
		for i := range S.Data {
			S.Data[i] = tp.Var(mvSigma[i])
		}
		lp, err := dist.MultiNormalLpdf(tp, true, y, mu, S)
		if err != nil {
			t.Fatal(err)
		}
		tp.Grad(lp)
	}
	eval()
	if a := testing.AllocsPerRun(20, eval); a != 0 && !race.Enabled {
		t.Errorf("%v allocations per gradient", a)
	}
}
