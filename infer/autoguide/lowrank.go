package autoguide

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// LowRankMultivariateNormal is N(loc, W Wᵀ + diag(s²)) with W of rank
// columns (NumPyro's default round(√D)) and s = softplus(raw). Its ELBO
// gradient is the pathwise gradient of E[log p] plus the analytic
// gradient of the Gaussian entropy ½ log|Σ|, computed with Woodbury's
// identity at O(D r²); its value is the draw's log p - log q. As NumPyro
// 0.7 has it (AsNumPyro), W = diag(s) F with F the parameter, s = exp(raw),
// and the gradient is Trace_ELBO's: log p - log q differentiated as a
// whole, log q's quadratic form through the draw included.
type LowRankMultivariateNormal struct {
	d, r     int
	par      []float64 // loc (d), W (or F) row-major (d×r), raw scales (d)
	numpyro  bool
	e1, e2   []float64
	z, g     []float64
	cap      *mat.SymDense // I + Wᵀ D⁻¹ W
	tmp      *mat.Dense
	dw       *mat.Dense // D⁻¹ W
	cinv     *mat.SymDense
	capChol  mat.Cholesky
	sinvDiag []float64
	u, wu    []float64 // Σ⁻¹ δ of the draw and Wᵀ Σ⁻¹ δ, for Trace_ELBO's gradient
	noise
}

// NewLowRankMultivariateNormal starts at loc with W = 0 and scales
// init_scale; rank 0 means round(√D).
func NewLowRankMultivariateNormal(loc []float64, rank int) *LowRankMultivariateNormal {
	return newLowRank(loc, rank, initScale, false, nil)
}

func newLowRank(loc []float64, rank int, scale float64, numpyro bool, keys *numpyroKeys) *LowRankMultivariateNormal {
	d := len(loc)
	if rank <= 0 {
		rank = max(1, int(math.Round(math.Sqrt(float64(d)))))
	}
	q := &LowRankMultivariateNormal{d: d, r: rank, par: make([]float64, d+d*rank+d),
		e1: make([]float64, rank), e2: make([]float64, d), z: make([]float64, d), g: make([]float64, d),
		cap: mat.NewSymDense(rank, nil), tmp: mat.NewDense(d, rank, nil), dw: mat.NewDense(d, rank, nil),
		cinv: mat.NewSymDense(rank, nil), sinvDiag: make([]float64, d), u: make([]float64, d), wu: make([]float64, rank),
		numpyro: numpyro, noise: noise{keys}}
	copy(q.par, loc)
	for i := range d {
		q.par[d+d*rank+i] = scaleInv(scale, numpyro)
	}
	return q
}

func (q *LowRankMultivariateNormal) Params() []float64 { return q.par }

func (q *LowRankMultivariateNormal) w(i, k int) float64 {
	if q.numpyro {
		return q.scale(i) * q.par[q.d+i*q.r+k]
	}
	return q.par[q.d+i*q.r+k]
}

func (q *LowRankMultivariateNormal) scale(i int) float64 {
	s, _ := scaleOf(q.par[q.d+q.d*q.r+i], q.numpyro)
	return s
}

// draw sets z = loc + W e1 + s e2.
func (q *LowRankMultivariateNormal) draw(z []float64) {
	for i := range q.d {
		s := q.par[i] + q.scale(i)*q.e2[i]
		for k := range q.r {
			s += q.w(i, k) * q.e1[k]
		}
		z[i] = s
	}
}

func (q *LowRankMultivariateNormal) Sample(rng *rand.Rand, z []float64) {
	q.posterior(rng, q.e1, q.e2)
	q.draw(z)
}

// entropy returns ½ log|Σ| and fills sinvDiag with diag(Σ⁻¹) and tmp with
// Σ⁻¹ W, by Woodbury: Σ⁻¹ = D⁻¹ - D⁻¹ W C⁻¹ Wᵀ D⁻¹, C = I + Wᵀ D⁻¹ W.
func (q *LowRankMultivariateNormal) entropy() (float64, bool) {
	d, r := q.d, q.r
	logDetD := 0.0
	for i := range d {
		logDetD += 2 * math.Log(q.scale(i))
	}
	for a := range r {
		for b := a; b < r; b++ {
			s := 0.0
			if a == b {
				s = 1
			}
			for i := range d {
				s += q.w(i, a) * q.w(i, b) / (q.scale(i) * q.scale(i))
			}
			q.cap.SetSym(a, b, s)
		}
	}
	if !q.capChol.Factorize(q.cap) {
		return 0, false
	}
	// Σ⁻¹ W = D⁻¹ W C⁻¹ (the Woodbury terms collapse for W).
	dw, cinv := q.dw, q.cinv
	for i := range d {
		for k := range r {
			dw.Set(i, k, q.w(i, k)/(q.scale(i)*q.scale(i)))
		}
	}
	if err := q.capChol.InverseTo(cinv); err != nil {
		return 0, false
	}
	q.tmp.Mul(dw, cinv)
	for i := range d {
		di := 1 / (q.scale(i) * q.scale(i))
		s := 0.0
		for a := range r {
			for b := range r {
				s += dw.At(i, a) * cinv.At(a, b) * dw.At(i, b)
			}
		}
		q.sinvDiag[i] = di - s
	}
	return 0.5 * (logDetD + q.capChol.LogDet()), true
}

func (q *LowRankMultivariateNormal) ELBOGrad(rng *rand.Rand, lp lpFunc, grad []float64) (float64, error) {
	d, r := q.d, q.r
	q.step(rng, q.e1, q.e2)
	q.draw(q.z)
	v, err := lp(q.z, q.g)
	if err != nil {
		return 0, err
	}
	h, ok := q.entropy()
	if !ok {
		return 0, errNotDefinite
	}
	if q.numpyro {
		q.sigmaInvDelta()
	}
	for i := range d {
		grad[i] += q.g[i]
		s := q.scale(i)
		// Pathwise, plus ½ ∂log|Σ|/∂s_i = (Σ⁻¹)_ii s_i.
		gs := q.g[i]*q.e2[i] + q.sinvDiag[i]*s
		if q.numpyro {
			gs += q.u[i] * (q.e2[i] - s*q.u[i])
		}
		for k := range r {
			// Pathwise, plus ½ ∂log|Σ|/∂W = Σ⁻¹ W.
			gw := q.g[i]*q.e1[k] + q.tmp.At(i, k)
			if q.numpyro {
				gw += q.u[i] * (q.e1[k] - q.wu[k])
				// W = s F: ∂/∂F = s ∂/∂W, and s gets F ∂/∂W.
				gs += q.par[d+i*r+k] * gw
				gw *= s
			}
			grad[d+i*r+k] += gw
		}
		_, ds := scaleOf(q.par[d+d*r+i], q.numpyro)
		grad[d+d*r+i] += gs * ds
	}
	return v - q.logQ(q.z, h), nil
}

// sigmaInvDelta sets u = Σ⁻¹ δ for the draw's δ = z - loc = A e, with A =
// [W | diag(s)] and e = (e1, e2), by Woodbury as logQ, and wu = Wᵀu.
// Trace_ELBO differentiates log q(z) with z a function of the parameters:
// its quadratic form ½ eᵀAᵀ(AAᵀ)⁻¹A e is not constant when A is not
// square, and its gradient in A is u (e - Aᵀu)ᵀ, which ELBOGrad adds.
func (q *LowRankMultivariateNormal) sigmaInvDelta() {
	d, r := q.d, q.r
	t := q.wu // Wᵀ D⁻¹ δ first
	for k := range r {
		t[k] = 0
		for i := range d {
			t[k] += q.w(i, k) * (q.z[i] - q.par[i]) / (q.scale(i) * q.scale(i))
		}
	}
	for i := range d {
		ui := (q.z[i] - q.par[i]) / (q.scale(i) * q.scale(i))
		for k := range r {
			ui -= q.tmp.At(i, k) * t[k]
		}
		q.u[i] = ui
	}
	for k := range r {
		t[k] = 0
		for i := range d {
			t[k] += q.w(i, k) * q.u[i]
		}
	}
}

// logQ returns log q(z) given h = ½ log|Σ| from entropy, with ½ δᵀΣ⁻¹δ
// for δ = z - loc by Woodbury: Σ⁻¹δ = D⁻¹δ - (D⁻¹ W C⁻¹)(Wᵀ D⁻¹ δ). It
// overwrites e1.
func (q *LowRankMultivariateNormal) logQ(z []float64, h float64) float64 {
	d, r := q.d, q.r
	for k := range r {
		s := 0.0
		for i := range d {
			s += q.w(i, k) * (z[i] - q.par[i]) / (q.scale(i) * q.scale(i))
		}
		q.e1[k] = s
	}
	quad := 0.0
	for i := range d {
		delta := z[i] - q.par[i]
		sinv := delta / (q.scale(i) * q.scale(i))
		for k := range r {
			sinv -= q.tmp.At(i, k) * q.e1[k]
		}
		quad += delta * sinv
	}
	return -h - 0.5*float64(d)*math.Log(2*math.Pi) - 0.5*quad
}

// Mean is loc.
func (q *LowRankMultivariateNormal) Mean() []float64 { return q.par[:q.d] }

// SampleLogQ draws z with log q(z); NaN when the covariance is singular.
func (q *LowRankMultivariateNormal) SampleLogQ(rng *rand.Rand, z []float64) float64 {
	q.posterior(rng, q.e1, q.e2)
	q.draw(z)
	h, ok := q.entropy()
	if !ok {
		return math.NaN()
	}
	return q.logQ(z, h)
}
