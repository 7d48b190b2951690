package dist

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// mvCase draws two vectors of three from flat parameters p: the location
// and the lower triangle of the covariance or of its factor, by columns
// (a symmetric matrix's two triangles share one Var).
type mvCase struct {
	name string
	p    []float64
	draw func(t *ad.Tape, r *rand.Rand, p []ad.Var, y [][]ad.Var) error
}

// lowerMatrix builds a 3×3 matrix from the six entries of its lower
// triangle, mirrored into the upper one when sym.
func lowerMatrix(p []ad.Var, sym bool) ad.Matrix {
	m := ad.Matrix{Rows: 3, Cols: 3, Data: make([]ad.Var, 9)}
	k := 0
	for j := range 3 {
		for i := j; i < 3; i++ {
			m.Data[i+3*j] = p[k]
			if sym {
				m.Data[j+3*i] = p[k]
			}
			k++
		}
	}
	return m
}

// The location (1, -2, 0.5) and the lower triangle of the scale factor
// L, or of Σ = L Lᵀ, by columns.
var (
	mvLoc   = []float64{1, -2, 0.5}
	mvChol  = []float64{1.5, 0.6, -0.3, 0.8, 0.4, 0.5}
	mvSigma = []float64{2.25, 0.9, -0.45, 1, 0.14, 0.5}
)

var mvCases = []mvCase{
	{"multi_normal_cholesky", append(mvLoc[:3:3], mvChol...), func(t *ad.Tape, r *rand.Rand, p []ad.Var, y [][]ad.Var) error {
		return MultiNormalCholeskyReparam(t, r, y, [][]ad.Var{p[:3]}, lowerMatrix(p[3:], false))
	}},
	{"multi_normal", append(mvLoc[:3:3], mvSigma...), func(t *ad.Tape, r *rand.Rand, p []ad.Var, y [][]ad.Var) error {
		return MultiNormalReparam(t, r, y, [][]ad.Var{p[:3]}, lowerMatrix(p[3:], true))
	}},
	{"multi_student_t_cholesky", append(mvLoc[:3:3], mvChol...), func(t *ad.Tape, r *rand.Rand, p []ad.Var, y [][]ad.Var) error {
		return MultiStudentTCholeskyReparam(t, r, y, ad.Const(5), [][]ad.Var{p[:3]}, lowerMatrix(p[3:], false))
	}},
	{"multi_student_t", append(mvLoc[:3:3], mvSigma...), func(t *ad.Tape, r *rand.Rand, p []ad.Var, y [][]ad.Var) error {
		return MultiStudentTReparam(t, r, y, ad.Const(5), [][]ad.Var{p[:3]}, lowerMatrix(p[3:], true))
	}},
}

// TestMVReparamGradient checks every partial of the Gaussian and Student-t
// draws against central differences with the same random numbers.
func TestMVReparamGradient(t *testing.T) {
	for _, c := range mvCases {
		for seed := range uint64(3) {
			tape := ad.NewTape()
			p := make([]ad.Var, len(c.p))
			for i, v := range c.p {
				p[i] = tape.Var(v)
			}
			y := [][]ad.Var{make([]ad.Var, 3), make([]ad.Var, 3)}
			if err := c.draw(tape, rand.New(rand.NewPCG(seed, 4)), p, y); err != nil {
				t.Fatal(err)
			}
			at := func(i int, h float64) [][]ad.Var {
				q := make([]ad.Var, len(c.p))
				for j, v := range c.p {
					q[j] = ad.Const(v)
				}
				q[i] = ad.Const(c.p[i] + h)
				out := [][]ad.Var{make([]ad.Var, 3), make([]ad.Var, 3)}
				if err := c.draw(nil, rand.New(rand.NewPCG(seed, 4)), q, out); err != nil {
					t.Fatal(err)
				}
				return out
			}
			for k := range 2 {
				for e := range 3 {
					tape.Grad(y[k][e])
					for i := range c.p {
						const h = 1e-6
						fd := (at(i, h)[k][e].Val - at(i, -h)[k][e].Val) / (2 * h)
						if got := tape.Adjoint(p[i]); math.Abs(got-fd) > 1e-6*(1+math.Abs(fd)) {
							t.Errorf("%s seed %d: d y[%d][%d] / d p[%d] = %v, finite differences %v", c.name, seed, k, e, i, got, fd)
						}
					}
				}
			}
		}
	}
}

// TestMVReparamMoments compares the draws' means and covariances with
// the families' own: Σ for the normal, ν/(ν-2)·Σ for Student's t with ν = 5.
func TestMVReparamMoments(t *testing.T) {
	const n = 40000
	for _, c := range mvCases {
		p := make([]ad.Var, len(c.p))
		for i, v := range c.p {
			p[i] = ad.Const(v)
		}
		scale := 1.0
		if strings.HasPrefix(c.name, "multi_student_t") {
			scale = 5.0 / 3
		}
		sigma := lowerMatrix(ad.ConstMatrix(6, 1, mvSigma).Data, true) // L Lᵀ too
		r := rand.New(rand.NewPCG(11, 12))
		var sum [3]float64
		var cross [3][3]float64
		y := [][]ad.Var{make([]ad.Var, 3)}
		for range n {
			if err := c.draw(nil, r, p, y); err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				sum[i] += y[0][i].Val
				for j := range 3 {
					cross[i][j] += (y[0][i].Val - mvLoc[i]) * (y[0][j].Val - mvLoc[j])
				}
			}
		}
		for i := range 3 {
			sd := math.Sqrt(scale * sigma.At(i, i).Val)
			if m := sum[i] / n; math.Abs(m-mvLoc[i]) > 4*sd/math.Sqrt(n) {
				t.Errorf("%s: mean[%d] %v, want %v", c.name, i, m, mvLoc[i])
			}
			for j := range 3 {
				want := scale * sigma.At(i, j).Val
				// Student's t with 5 degrees of freedom has heavy-tailed
				// products: a loose bound.
				if got := cross[i][j] / n; math.Abs(got-want) > 0.06*scale*math.Sqrt(sigma.At(i, i).Val*sigma.At(j, j).Val) {
					t.Errorf("%s: cov[%d,%d] %v, want %v", c.name, i, j, got, want)
				}
			}
		}
	}
}

// gammaQuantile solves P(a, z) = u for z by Newton's method in log z,
// from z0.
func gammaQuantile(a, u, z0 float64) float64 {
	lz := math.Log(z0)
	for range 100 {
		z := math.Exp(lz)
		dens := math.Exp((a-1)*lz - z - mathx.Lgamma(a))
		step := (mathx.GammaP(a, z) - u) / (dens * z)
		lz -= step
		if math.Abs(step) < 1e-15 {
			break
		}
	}
	return math.Exp(lz)
}

// TestDirichletReparamGradient checks the implicit derivatives of a
// Dirichlet draw against central differences that hold each gamma draw's
// CDF value u_j = P(α_j, G_j) fixed, the base randomness of implicit
// reparameterisation: G_j(α) = P⁻¹(α_j, u_j), normalised.
func TestDirichletReparamGradient(t *testing.T) {
	alpha := []float64{0.4, 2, 7.5}
	for seed := range uint64(4) {
		tape := ad.NewTape()
		a := make([]ad.Var, len(alpha))
		for i, v := range alpha {
			a[i] = tape.Var(v)
		}
		y := [][]ad.Var{make([]ad.Var, 3)}
		if err := DirichletReparam(tape, rand.New(rand.NewPCG(seed, 5)), y, [][]ad.Var{a}); err != nil {
			t.Fatal(err)
		}
		// The same gamma draws, in the same order, and their CDF values.
		r := rand.New(rand.NewPCG(seed, 5))
		g, u := make([]float64, 3), make([]float64, 3)
		sum := 0.0
		for j, v := range alpha {
			g[j] = distuv.Gamma{Alpha: v, Beta: 1, Src: r}.Rand()
			u[j] = mathx.GammaP(v, g[j])
			sum += g[j]
		}
		for j := range 3 {
			if math.Abs(y[0][j].Val-g[j]/sum) > 1e-14 {
				t.Fatalf("seed %d: draw %v is not the gamma draws %v normalised", seed, y[0][j].Val, g)
			}
		}
		at := func(i int, h float64) []float64 {
			x, s := make([]float64, 3), 0.0
			for j, v := range alpha {
				if j == i {
					v += h
				}
				x[j] = gammaQuantile(v, u[j], g[j])
				s += x[j]
			}
			for j := range x {
				x[j] /= s
			}
			return x
		}
		for k := range 3 {
			tape.Grad(y[0][k])
			for i := range 3 {
				const h = 1e-5
				fd := (at(i, h)[k] - at(i, -h)[k]) / (2 * h)
				if got := tape.Adjoint(a[i]); math.Abs(got-fd) > 1e-5*(1+math.Abs(fd)) {
					t.Errorf("seed %d: d x[%d] / d alpha[%d] = %v, finite differences %v", seed, k, i, got, fd)
				}
			}
		}
	}
}

// TestDirichletReparamMoments compares the draws' means and variances with
// the Dirichlet's: α_j/α₀ and α_j(α₀-α_j)/(α₀²(α₀+1)).
func TestDirichletReparamMoments(t *testing.T) {
	const n = 40000
	alpha := []float64{0.4, 2, 7.5}
	a := []ad.Var{ad.Const(alpha[0]), ad.Const(alpha[1]), ad.Const(alpha[2])}
	a0 := alpha[0] + alpha[1] + alpha[2]
	r := rand.New(rand.NewPCG(3, 4))
	var m, v [3]float64
	y := [][]ad.Var{make([]ad.Var, 3)}
	for range n {
		if err := DirichletReparam(nil, r, y, [][]ad.Var{a}); err != nil {
			t.Fatal(err)
		}
		if err := checkSimplex("test", argSimplex, y[0]); err != nil {
			t.Fatal(err)
		}
		for j := range 3 {
			m[j] += y[0][j].Val / n
			v[j] += y[0][j].Val * y[0][j].Val / n
		}
	}
	for j, aj := range alpha {
		mean := aj / a0
		variance := aj * (a0 - aj) / (a0 * a0 * (a0 + 1))
		if math.Abs(m[j]-mean) > 4*math.Sqrt(variance/n) {
			t.Errorf("mean[%d] %v, want %v", j, m[j], mean)
		}
		if got := v[j] - m[j]*m[j]; math.Abs(got-variance) > 0.03*variance {
			t.Errorf("variance[%d] %v, want %v", j, got, variance)
		}
	}
}

// TestMVReparamErrors checks the arguments a draw refuses, in Stan's words.
func TestMVReparamErrors(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	vec := func(xs ...float64) []ad.Var {
		out := make([]ad.Var, len(xs))
		for i, x := range xs {
			out[i] = ad.Const(x)
		}
		return out
	}
	two := func() [][]ad.Var { return [][]ad.Var{make([]ad.Var, 2), make([]ad.Var, 2)} }
	id := ad.ConstMatrix(2, 2, []float64{1, 0, 0, 1})
	for _, c := range []struct {
		err  error
		want string
	}{
		{MultiNormalReparam(nil, r, two(), [][]ad.Var{vec(0, 0), vec(0, 0), vec(0, 0)}, id),
			"multi_normal_rng: size of random variable (2) and size of Location parameter (3) must match"},
		{MultiNormalReparam(nil, r, two(), [][]ad.Var{vec(0, 0, 0)}, id), "multi_normal_rng: size of Location parameter (3) and size of Covariance matrix (2) must match"},
		{MultiNormalReparam(nil, r, two(), [][]ad.Var{vec(0, math.Inf(1))}, id), "multi_normal_rng: Location parameter[2] is +Inf, but must be finite"},
		{MultiNormalReparam(nil, r, two(), [][]ad.Var{vec(0, 0)}, ad.ConstMatrix(2, 2, []float64{1, 2, 2, 1})), "multi_normal_rng: Covariance matrix is not positive definite."},
		{MultiNormalCholeskyReparam(nil, r, two(), [][]ad.Var{vec(0, 0)}, ad.ConstMatrix(2, 2, []float64{1, 0, 1, 1})), "multi_normal_cholesky_rng: Cholesky factor of covariance matrix is not lower triangular"},
		{MultiStudentTReparam(nil, r, two(), ad.Const(-1), [][]ad.Var{vec(0, 0)}, id), "multi_student_t_rng: Degrees of freedom parameter is -1"},
		{DirichletReparam(nil, r, two(), [][]ad.Var{vec(1, 0)}), "dirichlet_rng: prior sample sizes[2] is 0, but must be positive finite"},
		{DirichletReparam(nil, r, two(), [][]ad.Var{vec(1, 1, 1)}), "dirichlet_rng: size of probabilities (2) and size of prior sample sizes (3) must match"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("error %v, want %q", c.err, c.want)
		}
	}
}
