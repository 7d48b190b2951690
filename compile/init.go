package compile

import (
	"fmt"
	"math/rand/v2"

	"github.com/gostan/gostan/model"
)

// Unconstrain maps initial values on the constrained scale, as a CmdStan
// init file gives them, to an unconstrained point. Parameters the values
// leave out are drawn uniformly in (-radius, radius) on the unconstrained
// scale, as Stan does; a value outside its parameter's support is an
// error naming the parameter and the rule.
func (m *Model) Unconstrain(init model.Data, rng *rand.Rand, radius float64) (z []float64, err error) {
	defer m.recover(&err)
	z = make([]float64, m.dim)
	for _, l := range m.layouts {
		if _, ok := init[l.p.name]; !ok {
			l.each(func(i int) { z[i] = radius * (2*rng.Float64() - 1) })
		}
	}
	if err := m.unconstrainInto(m.layouts, init, z); err != nil {
		return nil, err
	}
	return z, nil
}

// unconstrainInto writes into z, at each layout's offset, the
// unconstrained values of the variables init holds, leaving the others.
func (m *Model) unconstrainInto(layouts []*layout, init model.Data, z []float64) error {
	for _, l := range layouts {
		if _, ok := init[l.p.name]; !ok {
			continue
		}
		dims := l.dims
		iv := &dataVar{what: "initial value", name: l.p.name, v: l.p.v, get: l.p.get, dims: func(*env, []int) []int { return dims }}
		if err := iv.read(m.e, init); err != nil {
			return err
		}
		if err := l.unconstrain(m.e, z); err != nil {
			return fmt.Errorf("initial value of %w", err)
		}
	}
	return nil
}
