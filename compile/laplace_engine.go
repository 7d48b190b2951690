package compile

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	gfloats "gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/lapack"
	lapackgonum "gonum.org/v1/gonum/lapack/gonum"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// The numerics of the embedded Laplace approximation (Stan Functions
// Reference, "Embedded Laplace Approximation"), for the latent Gaussian
// model θ ~ N(0, K(φ)), y ~ p(y | θ, η).
//
// The mode θ̂ of Ψ(θ) = log p(y | θ, η) - ½ θᵀK⁻¹θ is found by Newton's
// method in the parameterisation θ = K a of Rasmussen & Williams (2006,
// "Gaussian Processes for Machine Learning", Algorithm 3.1): with W the
// negative Hessian of the log likelihood, a ← (I + WK)⁻¹(Wθ + ∇ log p),
// which needs neither K⁻¹ nor W to be positive definite (Margossian 2023,
// "General adjoint-differentiated Laplace approximation", for W block
// diagonal). The log marginal is
//
//	log p̂(y | φ, η) = log p(y | θ̂, η) - ½ aᵀθ̂ - ½ log |I + K W|.
//
// Its gradient (Rasmussen & Williams Algorithm 5.1, generalised by
// Margossian 2023 to block-diagonal W and likelihood parameters η) is
// taken with respect to the entries of K and to η. With Σ = (K⁻¹ + W)⁻¹,
// R = W - WΣW, S the block diagonal of Σ, H = -W and s2 = ∇θ ½ tr(S H)
// (the third derivatives of the log likelihood, contracted):
//
//	∂/∂K  = ½ (a aᵀ - R) + sym(b aᵀ),  b = s2 - R K s2,
//	∂/∂η  = ∂η [log p + ½ tr(S H) + vᵀ ∇θ log p],  v = Σ s2,
//
// the last two terms being the log determinant's dependence on η and,
// through the implicit function theorem, θ̂'s.

// laplaceLik is the log likelihood log p(y | θ, η) of an embedded Laplace
// approximation, with η its parameters flattened.
type laplaceLik interface {
	// grad returns the log likelihood at θ and puts its gradient in θ
	// into g and, when ge is not nil, in η into ge.
	grad(theta, g, ge []float64) float64
	// hess puts the Hessian in θ, block diagonal with blocks of size b,
	// into h (block k's b×b row-major from h[k*b*b]).
	hess(theta []float64, b int, h []float64)
	// third puts ∇θ ½ tr(S H(θ)) into s2 and, when ge is not nil, adds its
	// gradient in η to ge; S is block diagonal as hess stores it, and C
	// holds its blocks' lower Cholesky factors, S_k = C_k C_kᵀ.
	third(theta []float64, b int, S, C, s2, ge []float64)
	// hvpEta adds ∇η (vᵀ ∇θ log p) to ge.
	hvpEta(theta, v, ge []float64)
}

// laplaceControls are the controls of the Newton solver (the trailing
// arguments of the _tol forms).
type laplaceControls struct {
	theta0    []float64 // nil: zeros
	tol       float64
	maxSteps  int
	block     int
	solver    int
	lineSteps int
}

// laplaceDefaults are Stan 2.37's: tolerance 1e-6, 100 Newton steps,
// a diagonal Hessian, solver 1, no line search. laplaceLaterDefaults are
// the later forms' (Stan Math's generate_laplace_options): tolerance
// √ε ≈ 1.49012e-8, 500 steps, up to 1000 halvings of a step in the line
// search; their hessian_block_size is always given.
var (
	laplaceDefaults      = laplaceControls{tol: 1e-6, maxSteps: 100, block: 1, solver: 1}
	laplaceLaterDefaults = laplaceControls{tol: 1.49012e-8, maxSteps: 500, block: 1, solver: 1, lineSteps: 1000}
)

// laplaceFit is the approximation at the mode, and its working memory,
// which one Model's site reuses from evaluation to evaluation: the
// matrices are n×n row-major slices worked on by blas64 and lapack64 in
// place, so that an evaluation allocates nothing once they have grown.
type laplaceFit struct {
	n, b              int
	K                 []float64 // n×n, the caller's
	theta, a, g       []float64
	hb                []float64 // the block-diagonal Hessian of the log likelihood
	W                 []float64 // -hb's blocks, zeros elsewhere
	lik               float64   // log p(y | θ̂)
	value             float64   // the log marginal
	sigma             []float64 // Σ
	trial, atrial, bv []float64
	// lu factors the Newton matrix I + WK, I + KW at the mode, or K for
	// an initial guess.
	lu luWork
	// S is Σ's block diagonal, stored as the Hessian is, and C its
	// blocks' lower Cholesky factors, both from fit.
	S, C []float64
	// Scratch of gradients (s2, v, K s2, W Σ, R, and the gradients
	// returned).
	s2, v    []float64
	ks2      []float64
	WS, R    []float64
	gK, gEta []float64
	chol     []float64 // Σ's upper Cholesky factor, for draws and solves
}

// sqGeneral is the n×n row-major matrix in data, as blas64 takes it.
func sqGeneral(n int, data []float64) blas64.General {
	return blas64.General{Rows: n, Cols: n, Stride: n, Data: data[:n*n]}
}

// blasVec is x as blas64 takes it.
func blasVec(x []float64) blas64.Vector { return blas64.Vector{N: len(x), Inc: 1, Data: x} }

// luWork is an LU factorisation with partial pivoting of an n×n matrix in
// place, with the condition estimate by which gonum's mat.LU calls a
// matrix singular (reciprocal condition in the max-row-sum norm above
// mat.ConditionTolerance), on storage reused from call to call.
type luWork struct {
	n     int
	a     []float64 // the matrix, then its factors
	piv   []int
	work  []float64
	iwork []int
	logd  []float64
	ok    bool
	cond  float64
}

// size makes room for an n×n matrix in l.a.
func (l *luWork) size(n int) {
	l.n = n
	l.a = grow(l.a, n*n)
	l.work, l.logd = grow(l.work, 4*n), grow(l.logd, n)
	if cap(l.piv) < n {
		l.piv, l.iwork = make([]int, n), make([]int, n)
	}
	l.piv, l.iwork = l.piv[:n], l.iwork[:n]
}

// lapackImpl is gonum's LAPACK, whose unblocked Dgetf2 factors without
// Dgetrf's blocked trailing updates, which for n > 128 go through a
// parallel Dgemm that allocates; the blocks' updates are the same axpys
// in the same order, so the factors are the same.
var lapackImpl lapackgonum.Implementation

// factor factors l.a.
func (l *luWork) factor() {
	g := sqGeneral(l.n, l.a)
	anorm := lapack64.Lange(lapack.MaxRowSum, g, l.work)
	l.ok = lapackImpl.Dgetf2(l.n, l.n, l.a, l.n, l.piv)
	l.cond = 1 / lapack64.Gecon(lapack.MaxRowSum, g, anorm, l.work, l.iwork)
}

// solve overwrites the n×nrhs row-major b with the solution of A x = b,
// reporting false where A is singular or nearly so.
func (l *luWork) solve(b []float64, nrhs int) bool {
	if !l.ok {
		return false
	}
	lapack64.Getrs(blas.NoTrans, sqGeneral(l.n, l.a), blas64.General{Rows: l.n, Cols: nrhs, Stride: nrhs, Data: b}, l.piv)
	return l.cond <= mat.ConditionTolerance
}

// logDet returns log |det A| and its sign.
func (l *luWork) logDet() (float64, float64) {
	n, sign := l.n, 1.0
	for i := range n {
		v := l.a[i*n+i]
		if v < 0 {
			sign = -sign
		}
		if l.piv[i] != i {
			sign = -sign
		}
		l.logd[i] = math.Log(math.Abs(v))
	}
	return gfloats.Sum(l.logd), sign
}

// validate checks the controls as Stan does, for a latent vector of size n.
func (c *laplaceControls) validate(n int) error {
	switch {
	case c.theta0 != nil && len(c.theta0) != n:
		return fmt.Errorf("the initial guess theta_init has size %d, but the covariance matrix is %d×%d", len(c.theta0), n, n)
	case !(c.tol > 0) || math.IsInf(c.tol, 0):
		return fmt.Errorf("tolerance is %v, but must be positive and finite", c.tol)
	case c.maxSteps <= 0:
		return fmt.Errorf("max_num_steps is %d, but must be positive", c.maxSteps)
	case c.block <= 0 || n%c.block != 0:
		return fmt.Errorf("hessian_block_size is %d, but must be positive and divide the size of the latent vector, %d", c.block, n)
	case c.solver < 1 || c.solver > 3:
		return fmt.Errorf("solver is %d, but must be 1, 2 or 3", c.solver)
	case c.lineSteps < 0:
		return fmt.Errorf("max_steps_linesearch is %d, but must be non-negative", c.lineSteps)
	}
	for i, v := range c.theta0 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("theta_init[%d] is %v, but must be finite", i+1, v)
		}
	}
	return nil
}

// denseW fills f.W, the negative of the block-diagonal Hessian f.hb.
func (f *laplaceFit) denseW() {
	n, b := f.n, f.b
	f.W = grow(f.W, n*n)
	clear(f.W)
	for k := 0; k < n/b; k++ {
		for i := range b {
			for j := range b {
				f.W[(k*b+i)*n+k*b+j] = -f.hb[k*b*b+i*b+j]
			}
		}
	}
}

// objective is Ψ at θ = K a: log p(y | θ) - ½ aᵀθ, the log likelihood
// left in f.lik and its gradient in f.g.
func (f *laplaceFit) objective(lik laplaceLik, a, theta []float64) float64 {
	f.lik = lik.grad(theta, f.g, nil)
	return f.lik - 0.5*gfloats.Dot(a, theta)
}

// mulK puts K x into dst.
func (f *laplaceFit) mulK(dst, x []float64) {
	blas64.Gemv(blas.NoTrans, 1, sqGeneral(f.n, f.K), blasVec(x), 0, blasVec(dst))
}

// mulW puts W X (left) or X W into dst, for n×n X: Gemm's products in
// Gemm's order, each row of dst accumulated by axpys (blas64.Axpy, the
// kernel of Gemm's), but over W's blocks alone, since the rest of W is
// zeros: O(n² b) for O(n³), and serial where Gemm goes parallel.
func (f *laplaceFit) mulW(dst, X []float64, left bool) {
	n, b, W := f.n, f.b, f.W
	clear(dst[:n*n])
	for i := range n {
		row := dst[i*n : (i+1)*n]
		if left {
			k0 := i / b * b
			for l := k0; l < k0+b; l++ {
				if w := W[i*n+l]; w != 0 {
					blas64.Axpy(w, blasVec(X[l*n:(l+1)*n]), blasVec(row))
				}
			}
			continue
		}
		for k0 := 0; k0 < n; k0 += b {
			for l := k0; l < k0+b; l++ {
				if x := X[i*n+l]; x != 0 {
					blas64.Axpy(x, blasVec(W[l*n+k0:l*n+k0+b]), blasVec(row[k0:k0+b]))
				}
			}
		}
	}
}

// plusIdentity puts I + W K (left) or I + K W into f.lu's matrix.
func (f *laplaceFit) plusIdentity(left bool) {
	n, M := f.n, f.lu.a
	f.mulW(M, f.K, left)
	for i := range n {
		M[i*n+i]++
	}
}

// fit finds the mode and the log marginal of the approximation with
// covariance K (n×n, row-major) and likelihood lik, with controls ctl
// already validated for n.
func (f *laplaceFit) fit(lik laplaceLik, K []float64, n int, ctl laplaceControls) error {
	for i, v := range K {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("the covariance matrix has a non-finite element %v at [%d, %d]", v, i/n+1, i%n+1)
		}
	}
	f.n, f.b, f.K = n, ctl.block, K
	f.theta, f.a, f.g = grow(f.theta, n), grow(f.a, n), grow(f.g, n)
	f.trial, f.atrial, f.bv = grow(f.trial, n), grow(f.atrial, n), grow(f.bv, n)
	f.hb = grow(f.hb, n*f.b)
	f.sigma = grow(f.sigma, n*n)
	f.lu.size(n)
	if ctl.theta0 != nil {
		copy(f.theta, ctl.theta0)
		// a = K⁻¹ θ₀.
		copy(f.lu.a, K)
		f.lu.factor()
		copy(f.a, f.theta)
		if !f.lu.solve(f.a, 1) {
			return fmt.Errorf("the covariance matrix is singular")
		}
	} else {
		clear(f.theta)
		clear(f.a)
	}
	psi := f.objective(lik, f.a, f.theta)
	if math.IsNaN(psi) || math.IsInf(psi, 1) {
		return fmt.Errorf("the log likelihood is %v at the initial guess", f.lik)
	}
	converged, polished := false, false
	for step := 0; ; step++ {
		if step >= ctl.maxSteps && !converged {
			return fmt.Errorf("the Newton solver for the mode reached the maximum number of steps (%d) before the objective changed by less than the tolerance %v", ctl.maxSteps, ctl.tol)
		}
		// The Newton step: a' = (I + WK)⁻¹ (Wθ + ∇ log p).
		lik.hess(f.theta, f.b, f.hb)
		f.denseW()
		f.plusIdentity(true)
		blas64.Gemv(blas.NoTrans, 1, sqGeneral(n, f.W), blasVec(f.theta), 0, blasVec(f.bv))
		for i := range n {
			f.bv[i] += f.g[i]
		}
		f.lu.factor()
		copy(f.atrial, f.bv)
		if !f.lu.solve(f.atrial, 1) {
			return fmt.Errorf("the Newton step for the mode is singular (I + W K)")
		}
		f.mulK(f.trial, f.atrial)
		next := f.objective(lik, f.atrial, f.trial)
		// The line search halves the step while the objective drops;
		// not the polishing step, whose change is rounding, which
		// halving would undo.
		for ls := 0; ls < ctl.lineSteps && !converged && !(next >= psi); ls++ {
			for i := range n {
				f.atrial[i] = 0.5 * (f.atrial[i] + f.a[i])
			}
			f.mulK(f.trial, f.atrial)
			next = f.objective(lik, f.atrial, f.trial)
		}
		if math.IsNaN(next) || math.IsInf(next, 0) {
			return fmt.Errorf("the objective of the Newton solver for the mode is %v", next)
		}
		copy(f.a, f.atrial)
		copy(f.theta, f.trial)
		change := math.Abs(next - psi)
		psi = next
		if converged {
			polished = true
		}
		// Once the objective changes by less than the tolerance, one
		// more step takes the mode to near machine precision (Newton's
		// convergence is quadratic), which the gradient's implicit
		// function theorem assumes.
		if change < ctl.tol {
			converged = true
		}
		if polished {
			break
		}
	}
	// At the mode: the Hessian, log |I + K W| and Σ = (I + K W)⁻¹ K.
	lik.hess(f.theta, f.b, f.hb)
	f.denseW()
	f.plusIdentity(false)
	f.lu.factor()
	logDet, sign := f.lu.logDet()
	if sign <= 0 || math.IsNaN(logDet) || math.IsInf(logDet, 0) {
		return fmt.Errorf("the Laplace approximation is improper at the mode: the determinant of I + K W is not positive")
	}
	f.value = f.lik - 0.5*gfloats.Dot(f.a, f.theta) - 0.5*logDet
	sigma := f.sigma
	copy(sigma, K)
	if !f.lu.solve(sigma, n) {
		return fmt.Errorf("the Laplace approximation is improper at the mode: I + K W is singular")
	}
	// Σ is symmetric; the solve leaves rounding asymmetry.
	for i := range n {
		for j := range i {
			v := 0.5 * (sigma[i*n+j] + sigma[j*n+i])
			sigma[i*n+j], sigma[j*n+i] = v, v
		}
	}
	// Σ's diagonal blocks are the covariances the gradient's third
	// derivatives and the latent draws factor: a value is refused where
	// they are not positive definite, with or without a gradient. The
	// blocks (S) and their factors (C) are kept for the gradient.
	b := f.b
	f.S, f.C = grow(f.S, n*b), grow(f.C, n*b)
	for k := 0; k < n/b; k++ {
		for i := range b {
			copy(f.S[k*b*b+i*b:k*b*b+(i+1)*b], sigma[(k*b+i)*n+k*b:])
		}
		copy(f.C[k*b*b:(k+1)*b*b], f.S[k*b*b:(k+1)*b*b])
		if !lowerCholesky(f.C[k*b*b:(k+1)*b*b], b) {
			return fmt.Errorf("the covariance of the Laplace approximation is not positive definite at the mode")
		}
	}
	return nil
}

// gradients returns the gradient of the log marginal in the entries of K
// (n×n row-major, nil unless wantK) and in η (nil unless nEta > 0), in
// f's storage, valid until the next call.
func (f *laplaceFit) gradients(lik laplaceLik, wantK bool, nEta int) (gK, gEta []float64, err error) {
	n, b := f.n, f.b
	f.s2, f.v = grow(f.s2, n), grow(f.v, n)
	S, C, s2, sigma := f.S, f.C, f.s2, f.sigma
	if nEta > 0 {
		f.gEta = grow(f.gEta, nEta)
		gEta = f.gEta
		clear(gEta)
		lik.grad(f.theta, f.g, gEta) // ∂η log p
		lik.third(f.theta, b, S, C, s2, gEta)
		// v = Σ s2; ∂η vᵀ∇θ log p.
		v := f.v
		blas64.Gemv(blas.NoTrans, 1, sqGeneral(n, sigma), blasVec(s2), 0, blasVec(v))
		lik.hvpEta(f.theta, v, gEta)
	} else {
		lik.third(f.theta, b, S, C, s2, nil)
	}
	for _, x := range s2 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, nil, fmt.Errorf("the third derivatives of the log likelihood are not finite at the mode")
		}
	}
	if wantK {
		// R = W - W Σ W.
		f.WS, f.R = grow(f.WS, n*n), grow(f.R, n*n)
		W, R := f.W, f.R
		f.mulW(f.WS, sigma, true)
		f.mulW(R, f.WS, false)
		for i, w := range W {
			R[i] = w - R[i]
		}
		// b = s2 - R K s2.
		f.ks2 = grow(f.ks2, n)
		ks2 := f.ks2
		f.mulK(ks2, s2)
		bv := f.bv
		blas64.Gemv(blas.NoTrans, 1, sqGeneral(n, R), blasVec(ks2), 0, blasVec(bv))
		for i := range n {
			bv[i] = s2[i] - bv[i]
		}
		f.gK = grow(f.gK, n*n)
		gK = f.gK
		for i := range n {
			for j := range n {
				gK[i*n+j] = 0.5*(f.a[i]*f.a[j]-R[i*n+j]) + 0.5*(bv[i]*f.a[j]+f.a[i]*bv[j])
			}
		}
	}
	return gK, gEta, nil
}

// cholesky puts into f.chol's upper triangle the upper Cholesky factor U
// of the approximation's covariance Σ = (K⁻¹ + W)⁻¹ = UᵀU, whose
// transpose is the lower factor, L[i, j] = f.chol[j*n+i] for j ≤ i.
func (f *laplaceFit) cholesky() error {
	n := f.n
	f.chol = grow(f.chol, n*n)
	copy(f.chol, f.sigma)
	if _, ok := lapack64.Potrf(blas64.Symmetric{Uplo: blas.Upper, N: n, Stride: n, Data: f.chol}); !ok {
		return fmt.Errorf("the covariance of the Laplace approximation is not positive definite")
	}
	return nil
}

// draw puts a draw from the approximation N(θ̂, Σ) into out, from the
// standard normals z.
func (f *laplaceFit) draw(z, out []float64) error {
	if err := f.cholesky(); err != nil {
		return err
	}
	n, U := f.n, f.chol
	for i := range n {
		s := f.theta[i]
		for j := 0; j <= i; j++ {
			s += U[j*n+i] * z[j]
		}
		out[i] = s
	}
	return nil
}
