package compile

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/types"
)

// Model is a compiled program bound to a data set: a model.Model. Where
// every parameter has a proper prior (CheckPriors), its generative view
// (generative.go) splits the density into a prior to draw from and a
// likelihood, as contrib/nested's Problem.
type Model struct {
	p       *Program
	e       *env
	layouts []*layout
	dim     int
	outputs []output
	names   []string
	leaves  []ad.Var
	data    model.Data
	seed    uint64
	lj      ad.Var // the log Jacobian, accumulated in LogDensityJacobian
	// keepConsts runs the model block with Stan's constants (constants.go).
	keepConsts bool
}

// output is a variable written by Write, with its flattening.
type output struct {
	get   func(*env) *value
	order []int // storage offsets in Stan's output order
	// A tuple's columns come from its leaves: column i from
	// leaves[leaf[i]] (tuple_vars.go); vals holds the leaves' values
	// while the columns are written.
	leaves []func(*env) *value
	leaf   []int
	vals   []*value
}

// NewModel reads data into the program, runs transformed data once, and
// fixes the parameters' layout.
func (p *Program) NewModel(data model.Data, seed uint64) (m *Model, err error) {
	return p.newModel(data, seed, p.Print)
}

// newModel builds a Model whose transformed data block prints to tdPrint
// (Clone's copies run it again silently: Stan prints it once).
func (p *Program) newModel(data model.Data, seed uint64, tdPrint io.Writer) (m *Model, err error) {
	e := &env{t: ad.NewTape(), globals: make([]value, p.nGlobals), rng: rand.New(rand.NewPCG(seed, 0xda7a)), print: tdPrint}
	p.newScratch(e)
	e.ints = make([]int, p.nGlobals)
	for _, k := range p.intScalars {
		e.globals[k].I = e.ints[k : k+1 : k+1]
	}
	m = &Model{p: p, e: e, data: data, seed: seed}
	defer func() {
		if err != nil {
			m = nil
		}
	}()
	defer m.recover(&err)
	// Variables the program does not declare are allowed, as in CmdStan;
	// ExtraData lists them for callers that warn.
	for _, dv := range p.data {
		if err := dv.read(e, data); err != nil {
			return nil, err
		}
	}
	if p.tdata != nil {
		if p.HasProfiles() {
			ps := newProfState(len(p.profNames), 0, e.t)
			e.prof = ps
			ps.begin(false)
			p.tdata(e)
			ps.end()
			e.prof = nil
			e.tdProf = ps.rec
		} else {
			p.tdata(e)
		}
		for _, ck := range p.tdChecks {
			if err := ck.run(e); err != nil {
				return nil, err
			}
		}
	}
	e.print = p.Print
	for _, f := range p.prepare {
		f(e)
	}
	layouts, off := layoutParams(e, p.params, 0)
	m.layouts = layouts
	m.dim = off
	m.leaves = make([]ad.Var, off)
	if err := m.prepareOutputs(); err != nil {
		return nil, err
	}
	return m, nil
}

// ExtraData lists data variables the program does not declare.
func (p *Program) ExtraData(data model.Data) []string {
	declared := map[string]bool{}
	for _, dv := range p.data {
		declared[dv.name] = true
		declared[dv.root] = true // an empty array of tuples has no leaves in the data
	}
	var extra []string
	for _, n := range data.Names() {
		if !declared[n] {
			extra = append(extra, n)
		}
	}
	return extra
}

// recover turns an evaluation failure into an error.
func (m *Model) recover(err *error) {
	if r := recover(); r != nil {
		ee, ok := r.(*evalError)
		if !ok {
			panic(r)
		}
		m.e.unwind()
		*err = ee
	}
}

func (m *Model) prepareOutputs() error {
	e := m.e
	add := func(name string, v *check.Var, dims []int) {
		ref := m.p.slots[v]
		order, names := outputColumns(name, dims, v.Type)
		m.outputs = append(m.outputs, output{get: ref.getter(), order: order})
		m.names = append(m.names, names...)
	}
	for i, l := range m.layouts {
		switch {
		case l.p.tuple != nil:
			// The tuple's columns, in CmdStan's order, go with its first
			// leaf; each leaf learns where its values are among them.
			o, names, cols := tupleOutput(l.p.tuple, e)
			leaves := m.layouts[i : i+len(o.leaves)]
			for _, lt := range leaves {
				lt.tupleCols = make([]int, size(lt.dims)*width(lt.p.v.Type))
			}
			for k, col := range cols {
				leaves[col.leaf].tupleCols[col.data] = k
			}
			m.outputs = append(m.outputs, o)
			m.names = append(m.names, names...)
		case l.p.inTuple:
			m.outputs = append(m.outputs, output{})
		default:
			add(l.p.name, l.p.v, l.dims)
		}
	}
	for _, ov := range m.p.outDims {
		if ov.tuple != nil {
			o, names, _ := tupleOutput(ov.tuple, e)
			m.outputs = append(m.outputs, o)
			m.names = append(m.names, names...)
			continue
		}
		add(ov.v.Name, ov.v, ov.dims(e, nil))
	}
	return nil
}

// outputOrder lists storage offsets in Stan's output order: every index,
// array or not, column-major (the first index fastest).
func outputOrder(dims []int, t types.Type) []int {
	n := size(dims)
	order := make([]int, 0, n)
	idx := make([]int, len(dims))
	arr := t.Dims
	block := size(dims[arr:])
	for range n {
		o := 0
		for d := range arr {
			o = o*dims[d] + idx[d]
		}
		o *= block
		if len(dims) > arr {
			o += idx[arr]
		}
		if len(dims) > arr+1 {
			o += idx[arr+1] * dims[arr]
		}
		order = append(order, o)
		for d := range dims {
			idx[d]++
			if idx[d] < dims[d] {
				break
			}
			idx[d] = 0
		}
	}
	return order
}

// Dim is the unconstrained dimension.
func (m *Model) Dim() int { return m.dim }

// Names are the output columns.
func (m *Model) Names() []string { return m.names }

// LogDensity returns the log density with the Jacobian, Stan's constants
// dropped, and fills grad when it is not nil.
func (m *Model) LogDensity(theta, grad []float64) (lp float64, err error) {
	return m.LogDensityJacobian(theta, grad, true)
}

// LogDensityJacobian is LogDensity with the log Jacobian of the
// constraining transforms added only when jacobian is true. Without it the
// density's mode on the unconstrained space is the mode of the constrained
// posterior, which is what Stan's optimizer finds by default.
func (m *Model) LogDensityJacobian(theta, grad []float64, jacobian bool) (float64, error) {
	if ps := m.e.prof; ps != nil {
		return m.profiledLogDensity(ps, theta, grad, jacobian)
	}
	return m.logDensity(theta, grad, jacobian)
}

// profiledLogDensity is LogDensityJacobian measuring the profile
// statements: the forward pass, then the reverse sweep in pieces timed
// per profiled block (profile.go). The sum of the target's terms is
// recorded again for the sweep: the same operands with partials 1, so the
// gradient is the same.
func (m *Model) profiledLogDensity(ps *profState, theta, grad []float64, jacobian bool) (lp float64, err error) {
	ps.begin(grad != nil)
	defer ps.end()
	if lp, err = m.logDensity(theta, nil, jacobian); err != nil || grad == nil {
		return lp, err
	}
	defer m.recover(&err)
	t := m.e.t
	ps.grad(t, t.Sum(m.e.target))
	for i, x := range m.leaves {
		grad[i] = t.Adjoint(x)
	}
	return lp, nil
}

// logDensity is LogDensityJacobian without measuring.
func (m *Model) logDensity(theta, grad []float64, jacobian bool) (lp float64, err error) {
	if len(theta) != m.dim {
		return 0, fmt.Errorf("the point has %d values, but the model has %d unconstrained parameters", len(theta), m.dim)
	}
	defer m.recover(&err)
	e := m.e
	t := e.t
	t.Reset()
	e.target = e.target[:0]
	e.jacobian = jacobian
	e.nonFinite = nil
	for i, v := range theta {
		m.leaves[i] = t.Var(v)
	}
	// The accumulator lives in m: the transforms are called through
	// function values, so a local's address would escape to the heap.
	m.lj = ad.Var{}
	ljp := &m.lj
	if !jacobian {
		ljp = nil
	}
	for _, l := range m.layouts {
		l.constrain(e, m.leaves, ljp)
	}
	// Stan adds the constraints' log Jacobian to the target as it reads
	// the parameters, before any statement runs: target() includes it.
	if jacobian {
		e.target = append(e.target, m.lj)
	}
	if err := m.runModel(); err != nil {
		return 0, err
	}
	total := t.Sum(e.target)
	if math.IsNaN(total.Val) {
		return 0, m.notFinite(total.Val)
	}
	if grad != nil {
		t.Grad(total)
		for i, x := range m.leaves {
			grad[i] = t.Adjoint(x)
		}
	}
	return total.Val, nil
}

// notFinite says where the last evaluation's log density, lp, stopped
// being finite: the first statement that added a non-finite term.
func (m *Model) notFinite(lp float64) error {
	err := fmt.Errorf("the log density is %v", lp)
	if at := m.e.nonFinite; at != nil {
		return &evalError{pos: *at, err: fmt.Errorf("%w: this statement adds %v", err, m.e.term)}
	}
	return err
}

// Explain says why the log density at theta is not finite (it implements
// model.Explainer): an evaluation error, the statement that first added a
// non-finite term, or the parameter whose gradient is not finite.
func (m *Model) Explain(theta []float64) error {
	grad := make([]float64, m.dim)
	lp, err := m.LogDensity(theta, grad)
	if err != nil {
		return err
	}
	if math.IsInf(lp, 0) {
		return m.notFinite(lp)
	}
	for i, g := range grad {
		if math.IsNaN(g) || math.IsInf(g, 0) {
			return fmt.Errorf("the gradient of the log density with respect to %s is %v", m.unconstrainedName(i), g)
		}
	}
	return nil
}

// unconstrainedName names the i-th unconstrained value by its parameter.
func (m *Model) unconstrainedName(i int) string {
	for _, l := range m.layouts {
		if l.at != nil {
			if l.tupleNames != nil && i >= l.off && i < l.off+len(l.tupleNames) {
				return l.tupleNames[i-l.off]
			}
			continue
		}
		if i >= l.off && i < l.off+l.n {
			if l.n == 1 {
				return l.p.name
			}
			return fmt.Sprintf("%s (unconstrained value %d of %d)", l.p.name, i-l.off+1, l.n)
		}
	}
	return fmt.Sprintf("unconstrained value %d", i+1)
}

// runModel runs the transformed parameters, their checks and the model
// block on the parameters in their slots, adding to the target.
func (m *Model) runModel() error {
	if err := m.runTParams(); err != nil {
		return err
	}
	if f := m.modelBlock(); f != nil {
		f(m.e)
	}
	return nil
}

// runTParams runs the transformed parameters block and their checks.
func (m *Model) runTParams() error {
	if m.p.tparams != nil {
		m.p.tparams(m.e)
		for _, ck := range m.p.tpChecks {
			if err := ck.run(m.e); err != nil {
				return err
			}
		}
	}
	return nil
}

// Write maps theta to the output columns: the constrained parameters, the
// transformed parameters and the generated quantities.
func (m *Model) Write(theta []float64, rng *rand.Rand, out []float64) (err error) {
	if len(out) != len(m.names) {
		return fmt.Errorf("output has %d columns, but the model writes %d", len(out), len(m.names))
	}
	// On failure the outputs computed so far are written and the rest are
	// NaN, as Stan pads a draw whose generated quantities fail.
	valid := 0
	defer func() {
		if err != nil {
			m.fill(out, valid)
		}
	}()
	defer m.recover(&err)
	e := m.e
	if e.prof != nil {
		e.prof.begin(false)
		defer e.prof.end()
	}
	e.t.Reset()
	e.target = e.target[:0]
	e.jacobian = false
	saved := e.rng
	if rng != nil {
		e.rng = rng
	}
	defer func() { e.rng = saved }()
	for i, v := range theta {
		m.leaves[i] = ad.Const(v)
	}
	for _, l := range m.layouts {
		l.constrain(e, m.leaves, nil)
	}
	valid = len(m.layouts)
	if err := m.runTParams(); err != nil {
		return err
	}
	valid += m.p.nTPOut
	if m.p.gq != nil {
		m.p.gq(e)
		for _, ck := range m.p.gqChecks {
			if err := ck.run(e); err != nil {
				return err
			}
		}
	}
	m.fill(out, len(m.outputs))
	return nil
}

// fill writes the first n outputs from their slots and NaN after them.
func (m *Model) fill(out []float64, n int) {
	k := 0
	for _, o := range m.outputs[:n] {
		if len(o.order) == 0 {
			continue // a tuple parameter's leaf after its first, or an empty variable
		}
		if o.leaves != nil {
			for j, get := range o.leaves {
				o.vals[j] = get(m.e)
			}
			for i, off := range o.order {
				v := o.vals[o.leaf[i]]
				if v.I != nil {
					out[k] = float64(v.I[off])
				} else {
					out[k] = v.R[off].Val
				}
				k++
			}
			continue
		}
		v := o.get(m.e)
		for _, off := range o.order {
			if v.I != nil {
				out[k] = float64(v.I[off])
			} else {
				out[k] = v.R[off].Val
			}
			k++
		}
	}
	for ; k < len(out); k++ {
		out[k] = math.NaN()
	}
}

// Clone returns an independent evaluator of the same posterior: a fresh
// environment for the same program, bound to the same data with the same
// seed, so transformed data come out the same.
func (m *Model) Clone() model.Model {
	c, err := m.p.newModel(m.data, m.seed, io.Discard)
	if err != nil {
		panic("compile: data that were read once failed to be read again: " + err.Error())
	}
	c.e.tdProf = nil // transformed data count once, in m
	if pr := m.e.profiler; pr != nil {
		c.attach(pr, pr.nextThread())
	}
	return c
}

// ParamNames are the output columns of the parameters only.
func (m *Model) ParamNames() []string {
	n := 0
	for _, l := range m.layouts {
		n += size(l.dims) * width(l.p.v.Type)
	}
	return m.names[:n]
}

// describe is used in error messages about the model.
func (m *Model) String() string {
	return fmt.Sprintf("model with %d unconstrained parameters and columns %s", m.dim, strings.Join(m.names, ","))
}

var _ model.Model = (*Model)(nil)
