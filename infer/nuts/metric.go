package nuts

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Metric names the Euclidean metric: the inverse mass matrix is diagonal
// (Stan's diag_e, the default) or dense (dense_e).
type Metric int

const (
	Diag Metric = iota
	Dense
)

func (m Metric) String() string {
	if m == Dense {
		return "dense_e"
	}
	return "diag_e"
}

// metric holds the inverse mass matrix M⁻¹: kinetic energy
// tau(p) = ½ pᵀM⁻¹p, dtau/dp = M⁻¹p, and momenta drawn from N(0, M).
type metric struct {
	kind Metric
	d    int
	diag []float64 // M⁻¹ for Diag
	inv  []float64 // M⁻¹ for Dense, row-major d×d
	chol []float64 // its lower Cholesky factor L, row-major
}

func newMetric(kind Metric, d int) *metric {
	m := &metric{kind: kind, d: d}
	if kind == Diag || d == 0 {
		m.diag = make([]float64, d)
		for i := range m.diag {
			m.diag[i] = 1
		}
		return m
	}
	id := mat.NewSymDense(d, nil)
	for i := range d {
		id.SetSym(i, i, 1)
	}
	m.setDense(id)
	return m
}

// set installs an initial inverse metric (nil keeps the identity): d
// values for Diag, d×d row-major for Dense.
func (m *metric) set(inv []float64) error {
	if inv == nil {
		return nil
	}
	if m.kind == Diag {
		if len(inv) != m.d {
			return fmt.Errorf("the inverse metric has %d values, but the model has %d unconstrained parameters", len(inv), m.d)
		}
		for i, v := range inv {
			if !(v > 0) || math.IsInf(v, 1) {
				return fmt.Errorf("the inverse metric's element %d is %v: need positive finite values", i+1, v)
			}
		}
		m.diag = append(m.diag[:0], inv...)
		return nil
	}
	if len(inv) != m.d*m.d {
		return fmt.Errorf("the dense inverse metric has %d values, but the model has %d unconstrained parameters (need %d)", len(inv), m.d, m.d*m.d)
	}
	s := mat.NewSymDense(m.d, nil)
	for i := range m.d {
		for j := range m.d {
			if inv[i*m.d+j] != inv[j*m.d+i] {
				return fmt.Errorf("the dense inverse metric is not symmetric (elements %d,%d and %d,%d differ)", i+1, j+1, j+1, i+1)
			}
			s.SetSym(i, j, inv[i*m.d+j])
		}
	}
	if !m.setDense(s) {
		return fmt.Errorf("the dense inverse metric is not positive definite")
	}
	return nil
}

// setDense installs a dense inverse metric; it reports false, changing
// nothing, when the matrix is not positive definite.
func (m *metric) setDense(inv *mat.SymDense) bool {
	var c mat.Cholesky
	if !c.Factorize(inv) {
		return false
	}
	var l mat.TriDense
	c.LTo(&l)
	d := m.d
	m.inv = make([]float64, d*d)
	m.chol = make([]float64, d*d)
	for i := range d {
		for j := range d {
			m.inv[i*d+j] = inv.At(i, j)
			m.chol[i*d+j] = l.At(i, j)
		}
	}
	return true
}

// sampleP draws momenta p ~ N(0, M).
func (m *metric) sampleP(rng *rand.Rand, p []float64) {
	if m.kind == Diag {
		for i := range p {
			p[i] = rng.NormFloat64() / math.Sqrt(m.diag[i])
		}
		return
	}
	// With M⁻¹ = L Lᵀ, p = L⁻ᵀu has covariance (L Lᵀ)⁻¹ = M: solve
	// Lᵀp = u by back substitution.
	for i := range p {
		p[i] = rng.NormFloat64()
	}
	d := m.d
	for i := d - 1; i >= 0; i-- {
		s := p[i]
		for j := i + 1; j < d; j++ {
			s -= m.chol[j*d+i] * p[j]
		}
		p[i] = s / m.chol[i*d+i]
	}
}

// drift is the first half of a leapfrog step (Stan's expl_leapfrog):
// p += half·g, then q += eps·M⁻¹p, with half = eps/2; scratch holds M⁻¹p
// for a dense metric. For a diagonal one it is a single pass.
func (m *metric) drift(q, p, g []float64, half, eps float64, scratch []float64) {
	if m.kind == Diag {
		q, g, diag := q[:len(p)], g[:len(p)], m.diag[:len(p)]
		for i, v := range p {
			v += half * g[i]
			p[i] = v
			q[i] += eps * (diag[i] * v)
		}
		return
	}
	for i, v := range g {
		p[i] += half * v
	}
	m.dtauDp(p, scratch)
	for i, v := range scratch {
		q[i] += eps * v
	}
}

// kick is the second half of a leapfrog step, p += half·g; it leaves
// M⁻¹p in pSharp and returns pᵀM⁻¹p, twice the kinetic energy, in the
// same pass for a diagonal metric.
func (m *metric) kick(p, g []float64, half float64, pSharp []float64) float64 {
	if m.kind == Diag {
		g, pSharp, diag := g[:len(p)], pSharp[:len(p)], m.diag[:len(p)]
		var k float64
		for i, v := range p {
			v += half * g[i]
			p[i] = v
			ps := diag[i] * v
			pSharp[i] = ps
			k += v * ps
		}
		return k
	}
	for i, v := range g {
		p[i] += half * v
	}
	return m.sharp(p, pSharp)
}

// sharp writes M⁻¹p to pSharp and returns pᵀM⁻¹p.
func (m *metric) sharp(p, pSharp []float64) float64 {
	if m.kind == Diag {
		pSharp, diag := pSharp[:len(p)], m.diag[:len(p)]
		var k float64
		for i, v := range p {
			ps := diag[i] * v
			pSharp[i] = ps
			k += v * ps
		}
		return k
	}
	m.dtauDp(p, pSharp)
	return dot(p, pSharp)
}

// dtauDp writes M⁻¹p to out.
func (m *metric) dtauDp(p, out []float64) {
	if m.kind == Diag {
		for i, v := range p {
			out[i] = m.diag[i] * v
		}
		return
	}
	d := m.d
	for i := range d {
		out[i] = dot(m.inv[i*d:(i+1)*d], p)
	}
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}
