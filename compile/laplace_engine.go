package compile

import (
	"fmt"
	"math"

	gfloats "gonum.org/v1/gonum/floats"
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
	// gradient in η to ge; S is block diagonal as hess stores it.
	third(theta []float64, b int, S, s2, ge []float64)
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
// which one Model's site reuses from evaluation to evaluation.
type laplaceFit struct {
	n, b              int
	K                 []float64 // n×n row-major
	theta, a, g       []float64
	hb                []float64 // the block-diagonal Hessian of the log likelihood
	W                 *mat.Dense
	lik               float64 // log p(y | θ̂)
	value             float64 // the log marginal
	sigma             *mat.Dense
	trial, atrial, bv []float64
	// Scratch of fit (the Newton matrix I + WK, or I + KW at the mode,
	// and its factors) and of gradients (S, s2, v, K s2, R, its product
	// with W, and the gradients returned).
	M, WK    mat.Dense
	lu       mat.LU
	S, s2, v []float64
	ks2      []float64
	WS, R    mat.Dense
	gK, gEta []float64
	blk      []float64 // a diagonal block of Σ, factored to check it
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
	if f.W == nil || f.W.RawMatrix().Rows != n {
		f.W = mat.NewDense(n, n, nil)
	} else {
		f.W.Zero()
	}
	for k := 0; k < n/b; k++ {
		for i := range b {
			for j := range b {
				f.W.Set(k*b+i, k*b+j, -f.hb[k*b*b+i*b+j])
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
	n := f.n
	for i := range n {
		s := 0.0
		row := f.K[i*n : (i+1)*n]
		for j, v := range row {
			s += v * x[j]
		}
		dst[i] = s
	}
}

// fit finds the mode and the log marginal of the approximation with
// covariance K (n×n, row-major) and likelihood lik.
func (f *laplaceFit) fit(lik laplaceLik, K []float64, n int, ctl laplaceControls) error {
	if err := ctl.validate(n); err != nil {
		return err
	}
	for i, v := range K {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("the covariance matrix has a non-finite element %v at [%d, %d]", v, i/n+1, i%n+1)
		}
	}
	f.n, f.b, f.K = n, ctl.block, K
	f.theta, f.a, f.g = grow(f.theta, n), grow(f.a, n), grow(f.g, n)
	f.trial, f.atrial, f.bv = grow(f.trial, n), grow(f.atrial, n), grow(f.bv, n)
	f.hb = grow(f.hb, n*f.b)
	Kd := mat.NewDense(n, n, K)
	if ctl.theta0 != nil {
		copy(f.theta, ctl.theta0)
		// a = K⁻¹ θ₀.
		f.lu.Factorize(Kd)
		av := mat.NewVecDense(n, f.a)
		if err := f.lu.SolveVecTo(av, false, mat.NewVecDense(n, f.theta)); err != nil {
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
	M, WK := &f.M, &f.WK
	converged, polished := false, false
	for step := 0; ; step++ {
		if step >= ctl.maxSteps && !converged {
			return fmt.Errorf("the Newton solver for the mode reached the maximum number of steps (%d) before the objective changed by less than the tolerance %v", ctl.maxSteps, ctl.tol)
		}
		// The Newton step: a' = (I + WK)⁻¹ (Wθ + ∇ log p).
		lik.hess(f.theta, f.b, f.hb)
		f.denseW()
		WK.Mul(f.W, Kd)
		M.CloneFrom(WK)
		for i := range n {
			M.Set(i, i, M.At(i, i)+1)
		}
		wv := mat.NewVecDense(n, f.bv)
		wv.MulVec(f.W, mat.NewVecDense(n, f.theta))
		for i := range n {
			f.bv[i] += f.g[i]
		}
		f.lu.Factorize(M)
		if err := f.lu.SolveVecTo(mat.NewVecDense(n, f.atrial), false, mat.NewVecDense(n, f.bv)); err != nil {
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
	KW := M
	KW.Mul(Kd, f.W)
	for i := range n {
		KW.Set(i, i, KW.At(i, i)+1)
	}
	lu := &f.lu
	lu.Factorize(KW)
	logDet, sign := lu.LogDet()
	if sign <= 0 || math.IsNaN(logDet) || math.IsInf(logDet, 0) {
		return fmt.Errorf("the Laplace approximation is improper at the mode: the determinant of I + K W is not positive")
	}
	f.value = f.lik - 0.5*gfloats.Dot(f.a, f.theta) - 0.5*logDet
	if f.sigma == nil || f.sigma.RawMatrix().Rows != n {
		f.sigma = mat.NewDense(n, n, nil)
	}
	if err := lu.SolveTo(f.sigma, false, Kd); err != nil {
		return fmt.Errorf("the Laplace approximation is improper at the mode: I + K W is singular")
	}
	// Σ is symmetric; the solve leaves rounding asymmetry.
	for i := range n {
		for j := range i {
			v := 0.5 * (f.sigma.At(i, j) + f.sigma.At(j, i))
			f.sigma.Set(i, j, v)
			f.sigma.Set(j, i, v)
		}
	}
	// Σ's diagonal blocks are the covariances the gradient's third
	// derivatives and the latent draws factor: a value is refused where
	// they are not positive definite, with or without a gradient.
	b := f.b
	f.blk = grow(f.blk, b*b)
	for k := 0; k < n/b; k++ {
		for i := range b {
			for j := range b {
				f.blk[i*b+j] = f.sigma.At(k*b+i, k*b+j)
			}
		}
		if !lowerCholesky(f.blk, b) {
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
	f.S, f.s2, f.v = grow(f.S, n*b), grow(f.s2, n), grow(f.v, n)
	S, s2 := f.S, f.s2
	for k := 0; k < n/b; k++ {
		for i := range b {
			for j := range b {
				S[k*b*b+i*b+j] = f.sigma.At(k*b+i, k*b+j)
			}
		}
	}
	if nEta > 0 {
		f.gEta = grow(f.gEta, nEta)
		gEta = f.gEta
		clear(gEta)
		lik.grad(f.theta, f.g, gEta) // ∂η log p
		lik.third(f.theta, b, S, s2, gEta)
		// v = Σ s2; ∂η vᵀ∇θ log p.
		v := f.v
		mat.NewVecDense(n, v).MulVec(f.sigma, mat.NewVecDense(n, s2))
		lik.hvpEta(f.theta, v, gEta)
	} else {
		lik.third(f.theta, b, S, s2, nil)
	}
	for _, x := range s2 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, nil, fmt.Errorf("the third derivatives of the log likelihood are not finite at the mode")
		}
	}
	if wantK {
		// R = W - W Σ W.
		WS, R := &f.WS, &f.R
		WS.Mul(f.W, f.sigma)
		R.Mul(WS, f.W)
		R.Sub(f.W, R)
		// b = s2 - R K s2.
		f.ks2 = grow(f.ks2, n)
		ks2 := f.ks2
		f.mulK(ks2, s2)
		bv := f.bv
		mat.NewVecDense(n, bv).MulVec(R, mat.NewVecDense(n, ks2))
		for i := range n {
			bv[i] = s2[i] - bv[i]
		}
		f.gK = grow(f.gK, n*n)
		gK = f.gK
		for i := range n {
			for j := range n {
				gK[i*n+j] = 0.5*(f.a[i]*f.a[j]-R.At(i, j)) + 0.5*(bv[i]*f.a[j]+f.a[i]*bv[j])
			}
		}
	}
	return gK, gEta, nil
}

// cholesky puts the lower Cholesky factor of the approximation's
// covariance Σ = (K⁻¹ + W)⁻¹ into L.
func (f *laplaceFit) cholesky(L *mat.TriDense) error {
	var ch mat.Cholesky
	if !ch.Factorize(mat.NewSymDense(f.n, f.sigma.RawMatrix().Data)) {
		return fmt.Errorf("the covariance of the Laplace approximation is not positive definite")
	}
	ch.LTo(L)
	return nil
}

// draw puts a draw from the approximation N(θ̂, Σ) into out, from the
// standard normals z.
func (f *laplaceFit) draw(z, out []float64) error {
	var L mat.TriDense
	if err := f.cholesky(&L); err != nil {
		return err
	}
	for i := range f.n {
		s := f.theta[i]
		for j := 0; j <= i; j++ {
			s += L.At(i, j) * z[j]
		}
		out[i] = s
	}
	return nil
}
