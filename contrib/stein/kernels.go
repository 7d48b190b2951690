package stein

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Kernel is a Stein kernel in diagonal form: a matrix-valued kernel
// K(x, y) whose matrix is diagonal, which covers the scalar kernels (the
// same value on every diagonal entry), the component-wise ones and the
// block-diagonal graphical kernel (Wang, Tang, Bajaj and Liu 2019). The
// Stein force on coordinate d needs only the diagonal entry K_dd and the
// divergence term ∂K_dd/∂x_d, so that is what Eval gives.
//
// A Kernel holds the quantities Prepare sets (bandwidths, random
// features) and serves one goroutine.
type Kernel interface {
	// Prepare sets what depends on the current particles (one a row),
	// once per Stein step, before Eval.
	Prepare(particles [][]float64, rng *rand.Rand) error
	// Eval writes val[d] = K_dd(x, y) and grad[d] = ∂K_dd(x, y)/∂x_d,
	// the derivative with respect to the first argument.
	Eval(x, y, val, grad []float64)
}

// stationary is a Kernel of x - y alone, symmetric in its arguments:
// K(y, x) = K(x, y) and ∂K(y, x)/∂y = -∂K(x, y)/∂x, so that the forces
// evaluate each pair of particles once.
type stationary interface{ stationary() bool }

func isStationary(k Kernel) bool {
	s, ok := k.(stationary)
	return ok && s.stationary()
}

// RBFMode is how the RBF kernel treats the coordinates.
type RBFMode int

const (
	// Norm is exp(-|x-y|²/h): one value for every coordinate.
	Norm RBFMode = iota
	// Vector is exp(-(x_d-y_d)²/h_d) coordinate by coordinate, each with
	// its own bandwidth.
	Vector
	// Matrix is the matrix-valued kernel: its diagonal holds the Norm
	// kernel (MatrixMode NormDiag) or the Vector one (VectorDiag). In the
	// diagonal form every kernel has here, it equals that kernel.
	Matrix
)

// MatrixMode is the diagonal of the RBF kernel's Matrix mode.
type MatrixMode int

const (
	NormDiag MatrixMode = iota
	VectorDiag
)

// DefaultBandwidthFactor is 1/log n for n particles, Liu and Wang's median
// heuristic (1 below two particles, where log n is not positive).
func DefaultBandwidthFactor(n int) float64 {
	if n < 2 {
		return 1
	}
	return 1 / math.Log(float64(n))
}

// RBF is the Gaussian kernel of Liu and Wang (2016), k(x, y) =
// exp(-|x-y|²/h), with the median heuristic h = factor(n)·med² where med
// is the median distance between the n particles (per coordinate in
// Vector mode); Bandwidth > 0 fixes h instead.
type RBF struct {
	Mode            RBFMode
	MatrixMode      MatrixMode
	BandwidthFactor func(n int) float64 // nil: DefaultBandwidthFactor
	Bandwidth       float64

	h       []float64 // bandwidth per coordinate (one entry in norm mode)
	scratch []float64
}

// NewRBF is the norm-mode RBF kernel with the median heuristic.
func NewRBF() *RBF { return &RBF{} }

func (k *RBF) vector() bool {
	return k.Mode == Vector || k.Mode == Matrix && k.MatrixMode == VectorDiag
}

func (k *RBF) Prepare(ps [][]float64, _ *rand.Rand) error {
	if len(ps) == 0 {
		return fmt.Errorf("stein: no particles")
	}
	d := len(ps[0])
	factor := k.BandwidthFactor
	if factor == nil {
		factor = DefaultBandwidthFactor
	}
	if !k.vector() {
		k.h = resize(k.h, 1)
		if k.Bandwidth > 0 {
			k.h[0] = k.Bandwidth
			return nil
		}
		k.scratch = pairDistances(k.scratch[:0], ps, func(x, y []float64) float64 { return math.Sqrt(sqDist(x, y)) })
		med := median(k.scratch)
		k.h[0] = factor(len(ps))*med*med + 1e-5
		return nil
	}
	k.h = resize(k.h, d)
	for c := range d {
		if k.Bandwidth > 0 {
			k.h[c] = k.Bandwidth
			continue
		}
		k.scratch = pairDistances(k.scratch[:0], ps, func(x, y []float64) float64 { return math.Abs(x[c] - y[c]) })
		med := median(k.scratch)
		k.h[c] = factor(len(ps))*med*med + 1e-5
	}
	return nil
}

func (k *RBF) stationary() bool { return true }

func (k *RBF) Eval(x, y, val, grad []float64) {
	if !k.vector() {
		h := k.h[0]
		v := math.Exp(-sqDist(x, y) / h)
		for c := range x {
			val[c] = v
			grad[c] = -2 * (x[c] - y[c]) / h * v
		}
		return
	}
	for c := range x {
		diff := x[c] - y[c]
		v := math.Exp(-diff * diff / k.h[c])
		val[c] = v
		grad[c] = -2 * diff / k.h[c] * v
	}
}

// Linear is the linear kernel k(x, y) = x·y + 1 of Liu and Wang's "Stein
// Variational Gradient Descent as Moment Matching" (2018): with it SVGD
// matches the first and second moments. Vector true makes it component
// wise, x_d y_d + 1.
type Linear struct{ Vector bool }

func (k *Linear) Prepare([][]float64, *rand.Rand) error { return nil }

func (k *Linear) Eval(x, y, val, grad []float64) {
	if k.Vector {
		for c := range x {
			val[c] = x[c]*y[c] + 1
			grad[c] = y[c]
		}
		return
	}
	v := 1.0
	for c := range x {
		v += x[c] * y[c]
	}
	for c := range x {
		val[c] = v
		grad[c] = y[c]
	}
}

// RandomFeature is the random Fourier feature kernel of the moment
// matching paper, k(x, y) = (1/m) Σ_l φ_l(x) φ_l(y) with
// φ_l(x) = √2 cos(w_l·x/h + b_l), w_l ~ N(0, I), b_l ~ U(0, 2π): an
// unbiased estimate of an RBF kernel of bandwidth h whose features are
// drawn once, at the first Prepare.
type RandomFeature struct {
	// Features is m (0: as many as there are particles at the first
	// Prepare).
	Features int
	// BandwidthSubset > 0 is how many particles, drawn at random each
	// step, the median heuristic uses (0: all).
	BandwidthSubset int
	// RandomIndices, when not nil, are the features (indices into the m
	// drawn) the kernel sums over; nil: all.
	RandomIndices   []int
	BandwidthFactor func(n int) float64 // nil: DefaultBandwidthFactor

	w    [][]float64
	b    []float64
	use  []int
	h    float64
	dist []float64
	sub  [][]float64
}

func (k *RandomFeature) Prepare(ps [][]float64, rng *rand.Rand) error {
	if len(ps) == 0 {
		return fmt.Errorf("stein: no particles")
	}
	d := len(ps[0])
	if k.w == nil {
		m := k.Features
		if m <= 0 {
			m = len(ps)
		}
		k.w, k.b = make([][]float64, m), make([]float64, m)
		for l := range m {
			k.w[l] = make([]float64, d)
			for c := range d {
				k.w[l][c] = rng.NormFloat64()
			}
			k.b[l] = 2 * math.Pi * rng.Float64()
		}
		k.use = k.RandomIndices
		if k.use == nil {
			k.use = make([]int, m)
			for l := range m {
				k.use[l] = l
			}
		}
		for _, l := range k.use {
			if l < 0 || l >= m {
				return fmt.Errorf("stein: random feature index %d is outside the %d features", l, m)
			}
		}
	}
	if len(k.w[0]) != d {
		return fmt.Errorf("stein: random features of dimension %d for particles of dimension %d", len(k.w[0]), d)
	}
	sub := ps
	if n := k.BandwidthSubset; n > 0 && n < len(ps) {
		k.sub = k.sub[:0]
		for _, i := range rng.Perm(len(ps))[:n] {
			k.sub = append(k.sub, ps[i])
		}
		sub = k.sub
	}
	factor := k.BandwidthFactor
	if factor == nil {
		factor = DefaultBandwidthFactor
	}
	k.dist = pairDistances(k.dist[:0], sub, func(x, y []float64) float64 { return math.Sqrt(sqDist(x, y)) })
	med := median(k.dist)
	k.h = factor(len(sub))*med*med + 1e-5
	return nil
}

func (k *RandomFeature) Eval(x, y, val, grad []float64) {
	v := 0.0
	clear(grad)
	m := float64(len(k.use))
	for _, l := range k.use {
		w := k.w[l]
		ax, ay := k.b[l], k.b[l]
		for c := range x {
			ax += w[c] * x[c] / k.h
			ay += w[c] * y[c] / k.h
		}
		fy := math.Sqrt2 * math.Cos(ay)
		v += math.Sqrt2 * math.Cos(ax) * fy / m
		s := -math.Sqrt2 * math.Sin(ax) * fy / (k.h * m)
		for c := range x {
			grad[c] += s * w[c]
		}
	}
	for c := range x {
		val[c] = v
	}
}

// Mixture is Σ_i w_i k_i, a weighted sum of kernels.
type Mixture struct {
	Weights []float64
	Kernels []Kernel

	v, g []float64
}

func (k *Mixture) Prepare(ps [][]float64, rng *rand.Rand) error {
	if len(k.Weights) != len(k.Kernels) || len(k.Kernels) == 0 {
		return fmt.Errorf("stein: a mixture kernel needs one weight per kernel, has %d weights and %d kernels", len(k.Weights), len(k.Kernels))
	}
	for _, c := range k.Kernels {
		if err := c.Prepare(ps, rng); err != nil {
			return err
		}
	}
	return nil
}

func (k *Mixture) stationary() bool {
	for _, c := range k.Kernels {
		if !isStationary(c) {
			return false
		}
	}
	return true
}

func (k *Mixture) Eval(x, y, val, grad []float64) {
	k.v, k.g = resize(k.v, len(x)), resize(k.g, len(x))
	clear(val)
	clear(grad)
	for i, c := range k.Kernels {
		c.Eval(x, y, k.v, k.g)
		for d := range x {
			val[d] += k.Weights[i] * k.v[d]
			grad[d] += k.Weights[i] * k.g[d]
		}
	}
}

// Graphical is the block-diagonal kernel of Stein variational message
// passing (Wang, Zheng and Liu 2018): each block of coordinates (a
// parameter) has its own kernel on that block alone.
type Graphical struct {
	// Blocks are the coordinates of each block; nil: one block per
	// coordinate.
	Blocks [][]int
	// Kernels are the blocks' kernels; a missing or nil one is Default's.
	Kernels []Kernel
	// Default makes the kernel of a block without one (nil: NewRBF).
	Default func() Kernel

	kern       []Kernel
	sub        [][][]float64 // per block, the particles' coordinates
	xb, yb     []float64
	vb, gb     []float64
	dimensions int
}

func (k *Graphical) Prepare(ps [][]float64, rng *rand.Rand) error {
	if len(ps) == 0 {
		return fmt.Errorf("stein: no particles")
	}
	d := len(ps[0])
	if k.kern == nil {
		if k.Blocks == nil {
			for c := range d {
				k.Blocks = append(k.Blocks, []int{c})
			}
		}
		seen := make([]bool, d)
		for _, b := range k.Blocks {
			for _, c := range b {
				if c < 0 || c >= d || seen[c] {
					return fmt.Errorf("stein: graphical kernel blocks must cover the %d coordinates once each (coordinate %d)", d, c)
				}
				seen[c] = true
			}
		}
		if i := slices.Index(seen, false); i >= 0 {
			return fmt.Errorf("stein: graphical kernel blocks leave coordinate %d out", i)
		}
		def := k.Default
		if def == nil {
			def = func() Kernel { return NewRBF() }
		}
		k.kern = make([]Kernel, len(k.Blocks))
		for i := range k.Blocks {
			if i < len(k.Kernels) && k.Kernels[i] != nil {
				k.kern[i] = k.Kernels[i]
			} else {
				k.kern[i] = def()
			}
		}
		k.sub = make([][][]float64, len(k.Blocks))
		k.dimensions = d
	}
	if d != k.dimensions {
		return fmt.Errorf("stein: graphical kernel made for %d coordinates, given %d", k.dimensions, d)
	}
	for i, b := range k.Blocks {
		s := k.sub[i]
		if len(s) != len(ps) {
			s = make([][]float64, len(ps))
			for p := range s {
				s[p] = make([]float64, len(b))
			}
			k.sub[i] = s
		}
		for p, x := range ps {
			for j, c := range b {
				s[p][j] = x[c]
			}
		}
		if err := k.kern[i].Prepare(s, rng); err != nil {
			return err
		}
	}
	return nil
}

// stationary holds once Prepare has made the blocks' kernels.
func (k *Graphical) stationary() bool {
	for _, c := range k.kern {
		if !isStationary(c) {
			return false
		}
	}
	return k.kern != nil
}

func (k *Graphical) Eval(x, y, val, grad []float64) {
	for i, b := range k.Blocks {
		n := len(b)
		k.xb, k.yb, k.vb, k.gb = resize(k.xb, n), resize(k.yb, n), resize(k.vb, n), resize(k.gb, n)
		for j, c := range b {
			k.xb[j], k.yb[j] = x[c], y[c]
		}
		k.kern[i].Eval(k.xb, k.yb, k.vb, k.gb)
		for j, c := range b {
			val[c], grad[c] = k.vb[j], k.gb[j]
		}
	}
}

// ProbabilityProduct is the probability product kernel (Jebara, Kondor
// and Howard 2004) between two particles' Normal guides,
// k(x, y) = ∫ q_x(z)^ρ q_y(z)^ρ dz with ρ = Scale (1 when zero), in
// closed form for diagonal Gaussians. A particle is the Normal guide's
// parameters: the locations, then the raw scales whose softplus are the
// standard deviations.
type ProbabilityProduct struct {
	Scale float64
}

func (k *ProbabilityProduct) Prepare(ps [][]float64, _ *rand.Rand) error {
	if len(ps) > 0 && len(ps[0])%2 != 0 {
		return fmt.Errorf("stein: the probability product kernel needs the Normal guide's locations and scales, not %d values", len(ps[0]))
	}
	return nil
}

func (k *ProbabilityProduct) Eval(x, y, val, grad []float64) {
	rho := k.Scale
	if rho == 0 {
		rho = 1
	}
	d := len(x) / 2
	logK := 0.0
	// Per coordinate, with s = σx² + σy² and δ = μx - μy:
	// log I = (1-ρ)(log σx + log σy) - ρ log 2π + ½ log 2π - ½ log ρ
	//         - ½ log s - ρδ²/(2s).
	for c := range d {
		sx, sy := softplus(x[d+c]), softplus(y[d+c])
		s := sx*sx + sy*sy
		delta := x[c] - y[c]
		logK += (1-rho)*(math.Log(sx)+math.Log(sy)) + (0.5-rho)*math.Log(2*math.Pi) - 0.5*math.Log(rho) -
			0.5*math.Log(s) - rho*delta*delta/(2*s)
		grad[c] = -rho * delta / s
		dsx := (1-rho)/sx - sx/s + rho*delta*delta*sx/(s*s)
		grad[d+c] = dsx * sigmoid(x[d+c])
	}
	v := math.Exp(logK)
	for c := range x {
		val[c] = v
		grad[c] *= v
	}
}

func softplus(x float64) float64 {
	if x > 30 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func sqDist(x, y []float64) float64 {
	s := 0.0
	for c := range x {
		d := x[c] - y[c]
		s += d * d
	}
	return s
}

// pairDistances appends dist(x_i, x_j) for every pair i < j to buf.
func pairDistances(buf []float64, ps [][]float64, dist func(x, y []float64) float64) []float64 {
	for i := range ps {
		for j := i + 1; j < len(ps); j++ {
			buf = append(buf, dist(ps[i], ps[j]))
		}
	}
	return buf
}

// median is the median of xs (0 for none), reordering xs: a selection in
// linear expected time, since the pairs number n² at n particles.
func median(xs []float64) float64 {
	n := len(xs)
	if n == 0 {
		return 0
	}
	hi := selectK(xs, n/2)
	if n%2 == 1 {
		return hi
	}
	lo := slices.Max(xs[:n/2])
	return (lo + hi) / 2
}

// selectK reorders xs so that xs[k] is its k-th smallest value, the
// smaller ones before it, and returns it (Hoare's quickselect).
func selectK(xs []float64, k int) float64 {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		p := xs[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for xs[i] < p {
				i++
			}
			for xs[j] > p {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return xs[k]
		}
	}
	return xs[k]
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
