package compile

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// laplaceSolveModel calls laplace_latent_solve in generated quantities in
// each spelling: the later generation (hessian_block_size after the
// likelihood's part; a tuple of controls in the _tol form) and Stan
// 2.37's, all with the Poisson likelihood pois of laplaceDecls; and, with
// a Gaussian likelihood coupling neighbouring latent values (so W is
// tridiagonal and hessian_block_size 5 takes all of it), s5.
const laplaceSolveModel = `parameters { real<lower=0> alpha; real<lower=0> rho; vector[5] m; }
generated quantities {
  tuple(vector[5], matrix[5, 5]) s1 = laplace_latent_solve(pois, (cnt, grp, m), 1, K, (xs, alpha, rho));
  tuple(vector[5], matrix[5, 5]) s2 = laplace_latent_solve_tol(pois, (cnt, grp, m), 1, K, (xs, alpha, rho), (rep_vector(0, 5), 1e-12, 200, 1, 10, 1));
  tuple(vector[5], matrix[5, 5]) s3 = laplace_latent_solve(pois, (cnt, grp, m), K, (xs, alpha, rho));
  tuple(vector[5], matrix[5, 5]) s4 = laplace_latent_solve_tol(pois, (cnt, grp, m), K, (xs, alpha, rho), rep_vector(0.1, 5), 1e-12, 200, 1, 1, 10);
  tuple(vector[5], matrix[5, 5]) s5 = laplace_latent_solve(pair, ([0.4, -0.3, 1.1, 0.2]', 0.8), 5, K, (xs, alpha, rho));
}
`

const laplaceSolvePair = `  real pair(vector theta, data vector y, real s) {
    return normal_lpdf(y | theta[1:4] + theta[2:5], s);
  }
`

// laplaceSolveK is laplaceDecls' covariance function K.
func laplaceSolveK(alpha, rho float64) *mat.Dense {
	xs := []float64{-1.5, -0.4, 0.3, 1.1, 2.0}
	K := mat.NewDense(5, 5, nil)
	for i := range 5 {
		for j := range 5 {
			d := xs[i] - xs[j]
			K.Set(i, j, alpha*alpha*math.Exp(-d*d/(2*rho*rho)))
		}
		K.Set(i, i, K.At(i, i)+1e-8)
	}
	return K
}

// laplaceSolvePoisson is the approximation of laplaceDecls' Poisson
// likelihood by plain Newton iterations on θ, with K⁻¹ formed: the mode
// and the dense covariance (K⁻¹ + W)⁻¹, W = diag(n_j exp(θ_j + m_j)).
func laplaceSolvePoisson(t *testing.T, K *mat.Dense, m []float64) ([]float64, *mat.Dense) {
	t.Helper()
	cnt := []int{3, 0, 5, 1, 2, 7}
	grp := []int{1, 2, 2, 3, 5, 5}
	var Ki mat.Dense
	if err := Ki.Inverse(K); err != nil {
		t.Fatal(err)
	}
	theta := make([]float64, 5)
	var P mat.Dense
	for range 100 {
		g := make([]float64, 5)
		w := make([]float64, 5)
		for k, y := range cnt {
			j := grp[k] - 1
			mu := math.Exp(theta[j] + m[j])
			g[j] += float64(y) - mu
			w[j] += mu
		}
		var kt mat.VecDense
		kt.MulVec(&Ki, mat.NewVecDense(5, theta))
		for j := range 5 {
			g[j] -= kt.AtVec(j)
		}
		P.CloneFrom(&Ki)
		for j := range 5 {
			P.Set(j, j, P.At(j, j)+w[j])
		}
		var step mat.VecDense
		if err := step.SolveVec(&P, mat.NewVecDense(5, g)); err != nil {
			t.Fatal(err)
		}
		for j := range 5 {
			theta[j] += step.AtVec(j)
		}
		if mat.Norm(&step, math.Inf(1)) < 1e-14 {
			break
		}
	}
	var S mat.Dense
	if err := S.Inverse(&P); err != nil {
		t.Fatal(err)
	}
	return theta, &S
}

// laplaceSolvePairExact is the approximation of the likelihood pair,
// exact for a Gaussian: Σ = (K⁻¹ + AᵀA/s²)⁻¹ and mean Σ Aᵀy/s², A the
// 4×5 matrix of theta[1:4] + theta[2:5].
func laplaceSolvePairExact(t *testing.T, K *mat.Dense) ([]float64, *mat.Dense) {
	t.Helper()
	y := []float64{0.4, -0.3, 1.1, 0.2}
	s := 0.8
	A := mat.NewDense(4, 5, nil)
	for i := range 4 {
		A.Set(i, i, 1)
		A.Set(i, i+1, 1)
	}
	var P, S mat.Dense
	if err := P.Inverse(K); err != nil {
		t.Fatal(err)
	}
	var AtA mat.Dense
	AtA.Mul(A.T(), A)
	AtA.Scale(1/(s*s), &AtA)
	P.Add(&P, &AtA)
	if err := S.Inverse(&P); err != nil {
		t.Fatal(err)
	}
	var aty, mean mat.VecDense
	aty.MulVec(A.T(), mat.NewVecDense(4, y))
	aty.ScaleVec(1/(s*s), &aty)
	mean.MulVec(&S, &aty)
	return mean.RawVector().Data, &S
}

// TestLaplaceSolve: laplace_latent_solve's mean is the mode found by
// independent Newton iterations, and its matrix is lower triangular, the
// Cholesky factor of the covariance (K⁻¹ + W)⁻¹ formed densely at that
// mode, in every spelling; with a Gaussian likelihood and the whole
// Hessian (hessian_block_size 5) both equal the exact posterior's.
func TestLaplaceSolve(t *testing.T) {
	src := strings.Replace(laplaceDecls, "functions {\n", "functions {\n"+laplaceSolvePair, 1) + laplaceSolveModel
	m := buildSource(t, src, nil)
	names := m.Names()
	at := func(name string) int {
		for i, n := range names {
			if n == name {
				return i
			}
		}
		t.Fatalf("no output %s in %v", name, names)
		return -1
	}
	out := make([]float64, len(names))
	rng := rand.New(rand.NewPCG(1, 2))
	for _, x := range [][]float64{{0.1, -0.2, 0.3, -0.1, 0.2, 0, -0.3}, {0.6, 0.4, -0.5, 0.2, 0.1, 0.4, 0.3}} {
		if err := m.Write(x, rng, out); err != nil {
			t.Fatal(err)
		}
		alpha, rho := math.Exp(x[0]), math.Exp(x[1])
		K := laplaceSolveK(alpha, rho)
		pMean, pCov := laplaceSolvePoisson(t, K, x[2:])
		gMean, gCov := laplaceSolvePairExact(t, K)
		// Every spelling agrees with the references to rounding (measured:
		// 1e-15); the default tolerance's mode too, for the engine polishes
		// the mode with a last Newton step.
		const tol = 1e-10
		for _, c := range []struct {
			site string
			mean []float64
			cov  *mat.Dense
		}{
			{"s1", pMean, pCov}, {"s2", pMean, pCov}, {"s3", pMean, pCov}, {"s4", pMean, pCov},
			{"s5", gMean, gCov},
		} {
			var ch mat.Cholesky
			if !ch.Factorize(mat.NewSymDense(5, c.cov.RawMatrix().Data)) {
				t.Fatalf("%s: the reference covariance is not positive definite", c.site)
			}
			var L mat.TriDense
			ch.LTo(&L)
			for i := range 5 {
				got := out[at(c.site+":1["+itoa(i+1)+"]")]
				if math.Abs(got-c.mean[i]) > tol*math.Max(1, math.Abs(c.mean[i])) {
					t.Errorf("%s at %v: mean[%d] %.12g, by Newton's method %.12g", c.site, x, i+1, got, c.mean[i])
				}
				for j := range 5 {
					got := out[at(c.site+":2["+itoa(i+1)+","+itoa(j+1)+"]")]
					switch {
					case j > i && got != 0:
						t.Errorf("%s at %v: factor[%d,%d] is %v above the diagonal", c.site, x, i+1, j+1, got)
					case math.Abs(got-L.At(i, j)) > tol:
						t.Errorf("%s at %v: factor[%d,%d] %.12g, Cholesky factor of (K⁻¹ + W)⁻¹ %.12g", c.site, x, i+1, j+1, got, L.At(i, j))
					}
				}
			}
		}
	}
}
