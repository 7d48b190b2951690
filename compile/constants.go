package compile

// The log density with every normalising constant kept, and the pieces of
// a draw one at a time: what BridgeStan's C API (package bridgestan) asks
// of a model beyond model.Model.

import (
	"fmt"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/ast"
)

// fullModel compiles the model block once more with every normalising
// constant kept (~ and *_lupdf as target += *_lpdf), as Stan's
// log_prob<propto=false> evaluates it. It shares the program's slots, as
// the generative view does; functions get fresh ids past the program's and
// the view's, so their frames never mix. It returns nil when there is no
// model block or when the copy does not compile (which it should).
func (c *compiler) fullModel(prog *ast.Program) stmtFn {
	mb := prog.Block(ast.Model)
	if mb == nil {
		return nil
	}
	nFuncs := 0
	if fb := prog.Block(ast.Functions); fb != nil {
		nFuncs = len(fb.Body.List)
	}
	nErr := len(c.errs)
	savedFuncs, savedBase := c.funcs, c.funcBase
	c.funcBase += len(c.funcs) + nFuncs
	c.funcs = map[funcKey]*userFunc{}
	c.gen = &genCompile{sites: map[ast.Stmt]*priorSite{}}
	f := c.stmts(mb.Body.List)
	c.gen = nil
	c.funcs, c.funcBase = savedFuncs, savedBase
	if len(c.errs) > nErr {
		c.errs = c.errs[:nErr]
		return nil
	}
	return f
}

// modelBlock is the model block LogDensity runs: with or without Stan's
// dropped constants.
func (m *Model) modelBlock() stmtFn {
	if m.keepConsts {
		return m.p.full
	}
	return m.p.model
}

// LogDensityPropto is LogDensityJacobian with a choice of constants: propto
// drops the terms ~ and *_lupdf drop (LogDensity's value), !propto keeps
// every one, as BridgeStan's propto argument chooses. The two differ by a
// constant that depends on the data only, so their gradients agree.
func (m *Model) LogDensityPropto(theta, grad []float64, propto, jacobian bool) (float64, error) {
	if propto {
		return m.LogDensityJacobian(theta, grad, jacobian)
	}
	if m.p.model != nil && m.p.full == nil {
		return 0, fmt.Errorf("the model block with its constants kept did not compile")
	}
	m.keepConsts = true
	defer func() { m.keepConsts = false }()
	return m.LogDensityJacobian(theta, grad, jacobian)
}

// Columns counts the output columns of Names by kind: the parameters, the
// transformed parameters and the generated quantities, in that order.
func (m *Model) Columns() (params, tparams, gqs int) {
	params = len(m.ParamNames())
	gqs = len(m.GQNames())
	return params, len(m.names) - params - gqs, gqs
}

// UnconstrainedNames name the unconstrained coordinates as Stan's
// unconstrained_param_names does, in BridgeStan's dotted style: a
// parameter whose transform keeps its size has its constrained names
// ("beta.2", "Sigma.1.2"); one that drops coordinates (a simplex, a
// correlation matrix) is numbered "theta.1" ... "theta.n"; a tuple's
// values are named by element and member, as Stan names them
// ("q.2:1.3", placeTuple).
func (m *Model) UnconstrainedNames() []string {
	out := make([]string, 0, m.dim)
	k := 0
	for i, l := range m.layouts {
		cols := len(m.outputs[i].order)
		switch {
		case l.at != nil:
			out = append(out, l.tupleNames...) // the first leaf's; the others' are nil
		case cols == l.n:
			// The columns are in Stan's output order (first index
			// fastest); the unconstrained values in stored order.
			names := make([]string, cols)
			for j, off := range m.outputs[i].order {
				names[off] = DottedName(m.names[k+j])
			}
			out = append(out, names...)
		default:
			for j := range l.n {
				out = append(out, fmt.Sprintf("%s.%d", l.p.name, j+1))
			}
		}
		k += cols
	}
	return out
}

// ParamBlocks are the parameters' places in the unconstrained vector, in
// declaration order (a tuple parameter's leaves each in turn).
func (m *Model) ParamBlocks() []model.ParamBlock {
	out := make([]model.ParamBlock, len(m.layouts))
	for i, l := range m.layouts {
		b := model.ParamBlock{Name: l.p.name, Starts: make([]int, l.count), ElemSize: l.elemUnc}
		for k := range b.Starts {
			b.Starts[k] = l.start(k)
		}
		if l.st != nil {
			b.Constraint = l.st.Name
		}
		out[i] = b
	}
	return out
}

// DottedName writes an output column name in BridgeStan's style:
// "Sigma[1,2]" as "Sigma.1.2", "z[real]" as "z.real".
func DottedName(name string) string {
	b := []byte(name)
	out := b[:0]
	for _, ch := range b {
		switch ch {
		case '[', ',':
			out = append(out, '.')
		case ']':
		default:
			out = append(out, ch)
		}
	}
	return string(out)
}

// Constrain writes the output columns of theta that BridgeStan's
// param_constrain asks for: the parameters, then the transformed
// parameters when tp, then the generated quantities, drawn with rng, when
// gq. out has exactly as many values. Blocks that are not asked for do not
// run, so their failures are no failures of the call.
func (m *Model) Constrain(theta []float64, tp, gq bool, rng *rand.Rand, out []float64) (err error) {
	if len(theta) != m.dim {
		return fmt.Errorf("the point has %d values, but the model has %d unconstrained parameters", len(theta), m.dim)
	}
	np, ntp, ngq := m.Columns()
	want := np
	if tp {
		want += ntp
	}
	if gq {
		want += ngq
	}
	if len(out) != want {
		return fmt.Errorf("output has %d values, but %d are asked for", len(out), want)
	}
	if gq {
		all := out
		if !tp {
			all = make([]float64, len(m.names))
		}
		if err := m.Write(theta, rng, all); err != nil {
			return err
		}
		if !tp {
			copy(out, all[:np])
			copy(out[np:], all[np+ntp:])
		}
		return nil
	}
	defer m.recover(&err)
	e := m.e
	if e.prof != nil {
		e.prof.begin(false)
		defer e.prof.end()
	}
	e.t.Reset()
	e.target = e.target[:0]
	for i, v := range theta {
		m.leaves[i] = ad.Const(v)
	}
	for _, l := range m.layouts {
		l.constrain(e, m.leaves, nil)
	}
	n := len(m.layouts)
	if tp {
		if err := m.runTParams(); err != nil {
			return err
		}
		n += m.p.nTPOut
	}
	all := make([]float64, len(m.names))
	m.fill(all, n)
	copy(out, all)
	return nil
}

// UnconstrainValues maps values of every parameter on the constrained
// scale (as Stan JSON gives them, or ParamData makes them) to the
// unconstrained point, as BridgeStan's param_unconstrain: unlike
// Unconstrain, a parameter left out is an error, not a random start.
func (m *Model) UnconstrainValues(vals model.Data) (z []float64, err error) {
	defer m.recover(&err)
	z = make([]float64, m.dim)
	for _, l := range m.layouts {
		if _, ok := vals[l.p.name]; !ok && l.n > 0 {
			return nil, fmt.Errorf("parameter %q has no value", l.p.name)
		}
		dims := l.dims
		pv := &dataVar{what: "parameter", name: l.p.name, v: l.p.v, get: l.p.get, dims: func(*env, []int) []int { return dims }}
		if err := pv.read(m.e, vals); err != nil {
			return nil, err
		}
		if err := l.unconstrain(m.e, z); err != nil {
			return nil, err
		}
	}
	return z, nil
}
