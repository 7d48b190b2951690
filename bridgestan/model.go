package bridgestan

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stancsv"
)

// Version is the BridgeStan C API this package implements: the bs_*
// functions of BridgeStan 2.6, whose clients check the major version.
var Version = [3]int{2, 6, 0}

// Model is a program bound to data: what a bs_model* points to. BridgeStan
// lets many threads call one model at once, so Model is shared by
// goroutines: each call takes a compile.Model from a pool of clones (made
// when every clone is busy; a clone reads the same data with the same seed,
// so transformed data agree) and gives it back, so calls on different
// threads run in parallel. The strings it returns are made once.
type Model struct {
	name, info string
	dim        int
	np, ntp    int // parameter and transformed parameter columns
	names      []string
	uncNames   []string

	// proto is cloned when the pool is empty; Clone reads only its
	// program, data and seed, which never change, so it may be cloned
	// while another call uses it.
	proto *compile.Model
	mu    sync.Mutex
	free  []*compile.Model
}

// New binds a compiled program to data: "" for none, JSON text (starting
// with '{'), or the path of a Stan JSON file (.json, or .json.zip as
// PosteriorDB ships it). seed drives the transformed data's RNG.
func New(p *compile.Program, name, data string, seed uint32) (*Model, error) {
	d := model.Data{}
	var err error
	switch t := strings.TrimSpace(data); {
	case t == "":
	case strings.HasPrefix(t, "{"):
		if d, err = model.ReadData(strings.NewReader(t)); err != nil {
			return nil, fmt.Errorf("reading the data: %w", err)
		}
	default:
		if d, err = model.ReadDataFile(data); err != nil {
			return nil, err
		}
	}
	cm, err := p.NewModel(d, uint64(seed))
	if err != nil {
		return nil, err
	}
	m := &Model{name: name, dim: cm.Dim(), proto: cm, free: []*compile.Model{cm}}
	np, ntp, _ := cm.Columns()
	m.np, m.ntp = np, ntp
	for _, n := range cm.Names() {
		m.names = append(m.names, compile.DottedName(n))
	}
	m.uncNames = cm.UnconstrainedNames()
	m.info = fmt.Sprintf("gostan %s (a Go implementation of Stan), BridgeStan C API %d.%d.%d\n"+
		"Hessians: central finite differences of the automatic-differentiation gradient\n"+
		"propto=false: the model block compiled with every normalising constant kept\n"+
		"model: %s, %d unconstrained parameters", stancsv.Version, Version[0], Version[1], Version[2], name, m.dim)
	return m, nil
}

// take lends a compile.Model to one call; give returns it.
func (m *Model) take() *compile.Model {
	m.mu.Lock()
	if n := len(m.free); n > 0 {
		cm := m.free[n-1]
		m.free = m.free[:n-1]
		m.mu.Unlock()
		return cm
	}
	m.mu.Unlock()
	return m.proto.Clone().(*compile.Model)
}

func (m *Model) give(cm *compile.Model) {
	m.mu.Lock()
	m.free = append(m.free, cm)
	m.mu.Unlock()
}

// Name is the model's name.
func (m *Model) Name() string { return m.name }

// Info describes the library: gostan's version, the API's, and how
// Hessians and propto=false are computed.
func (m *Model) Info() string { return m.info }

// ParamNum counts the constrained columns: the parameters, and the
// transformed parameters and generated quantities when asked for.
func (m *Model) ParamNum(tp, gq bool) int { return len(m.columns(tp, gq)) }

// ParamNames are those columns' names, comma-separated, in BridgeStan's
// dotted style ("Sigma.1.2").
func (m *Model) ParamNames(tp, gq bool) string { return strings.Join(m.columns(tp, gq), ",") }

func (m *Model) columns(tp, gq bool) []string {
	out := m.names[:m.np:m.np]
	if tp {
		out = append(out, m.names[m.np:m.np+m.ntp]...)
	}
	if gq {
		out = append(out, m.names[m.np+m.ntp:]...)
	}
	return out
}

// UncNum is the unconstrained dimension.
func (m *Model) UncNum() int { return m.dim }

// UncNames name the unconstrained coordinates, comma-separated.
func (m *Model) UncNames() string { return strings.Join(m.uncNames, ",") }

// Constrain maps the unconstrained point thetaUnc (UncNum values) to the
// ParamNum(tp, gq) values of theta; the generated quantities draw from
// rng, which they need.
func (m *Model) Constrain(tp, gq bool, thetaUnc, theta []float64, rng *rand.Rand) error {
	if gq && rng == nil {
		return errors.New("include_gq is true but rng is NULL (make one with bs_rng_construct)")
	}
	cm := m.take()
	defer m.give(cm)
	return cm.Constrain(thetaUnc, tp, gq, rng, theta)
}

// Unconstrain maps constrained parameter values, in ParamNames(false,
// false)'s order, to the unconstrained point.
func (m *Model) Unconstrain(theta, thetaUnc []float64) error {
	cm := m.take()
	defer m.give(cm)
	d, err := cm.ParamData(theta)
	if err != nil {
		return err
	}
	return m.unconstrain(cm, d, thetaUnc)
}

// UnconstrainJSON maps constrained parameter values given as Stan JSON
// to the unconstrained point; every parameter must be given.
func (m *Model) UnconstrainJSON(json string, thetaUnc []float64) error {
	d, err := model.ReadData(strings.NewReader(json))
	if err != nil {
		return fmt.Errorf("reading the parameters' JSON: %w", err)
	}
	cm := m.take()
	defer m.give(cm)
	return m.unconstrain(cm, d, thetaUnc)
}

func (m *Model) unconstrain(cm *compile.Model, d model.Data, thetaUnc []float64) error {
	z, err := cm.UnconstrainValues(d)
	if err != nil {
		return err
	}
	copy(thetaUnc, z)
	return nil
}

// LogDensity is the log density at thetaUnc, Stan's constants dropped when
// propto, the Jacobian added when jacobian; grad, when not nil, receives
// its gradient.
func (m *Model) LogDensity(propto, jacobian bool, thetaUnc, grad []float64) (float64, error) {
	cm := m.take()
	defer m.give(cm)
	return cm.LogDensityPropto(thetaUnc, grad, propto, jacobian)
}

// Hessian is LogDensity with the Hessian, row-major (symmetric, so also
// column-major) in hess (UncNum² values): central differences of the
// automatic-differentiation gradient, symmetrized, with steps
// ε^(1/3)·max(1, |θ_j|) (errors near 1e-10·|H| for smooth densities).
func (m *Model) Hessian(propto, jacobian bool, thetaUnc, grad, hess []float64) (float64, error) {
	cm := m.take()
	defer m.give(cm)
	d := m.dim
	lp, err := cm.LogDensityPropto(thetaUnc, grad, propto, jacobian)
	if err != nil {
		return 0, err
	}
	x := append([]float64(nil), thetaUnc...)
	gp, gm := make([]float64, d), make([]float64, d)
	for j := range d {
		h := fdStep(x[j], 1)
		x[j] = thetaUnc[j] + h
		if _, err := cm.LogDensityPropto(x, gp, propto, jacobian); err != nil {
			return 0, fmt.Errorf("the gradient at a finite-difference step: %w", err)
		}
		x[j] = thetaUnc[j] - h
		if _, err := cm.LogDensityPropto(x, gm, propto, jacobian); err != nil {
			return 0, fmt.Errorf("the gradient at a finite-difference step: %w", err)
		}
		x[j] = thetaUnc[j]
		for i := range d {
			hess[i*d+j] = (gp[i] - gm[i]) / (2 * h)
		}
	}
	for i := range d {
		for j := i + 1; j < d; j++ {
			v := 0.5 * (hess[i*d+j] + hess[j*d+i])
			hess[i*d+j], hess[j*d+i] = v, v
		}
	}
	return lp, nil
}

// HessianVectorProduct is LogDensity with the product of the Hessian and
// v in hvp: a central difference of the gradient along v.
func (m *Model) HessianVectorProduct(propto, jacobian bool, thetaUnc, v, hvp []float64) (float64, error) {
	cm := m.take()
	defer m.give(cm)
	lp, err := cm.LogDensityPropto(thetaUnc, nil, propto, jacobian)
	if err != nil {
		return 0, err
	}
	norm, scale := 0.0, 1.0
	for i, vi := range v {
		norm = math.Hypot(norm, vi)
		scale = math.Max(scale, math.Abs(thetaUnc[i]))
	}
	if norm == 0 {
		clear(hvp)
		return lp, nil
	}
	h := fdStep(scale, norm)
	x := make([]float64, m.dim)
	gp, gm := make([]float64, m.dim), make([]float64, m.dim)
	for _, s := range []struct {
		sign float64
		g    []float64
	}{{1, gp}, {-1, gm}} {
		for i := range x {
			x[i] = thetaUnc[i] + s.sign*h*v[i]
		}
		if _, err := cm.LogDensityPropto(x, s.g, propto, jacobian); err != nil {
			return 0, fmt.Errorf("the gradient at a finite-difference step: %w", err)
		}
	}
	for i := range hvp {
		hvp[i] = (gp[i] - gm[i]) / (2 * h)
	}
	return lp, nil
}

// fdStep is a central difference's step along a direction of length norm
// from a coordinate of size x: ε^(1/3) balances truncation (h²) against
// rounding (ε/h).
func fdStep(x, norm float64) float64 {
	return math.Cbrt(0x1p-52) * math.Max(1, math.Abs(x)) / norm
}

// NewRNG is the generator bs_rng_construct makes: PCG seeded by seed. One
// generator serves one thread at a time, as BridgeStan's.
func NewRNG(seed uint32) *rand.Rand { return rand.New(rand.NewPCG(uint64(seed), 0xb51d6e)) }
