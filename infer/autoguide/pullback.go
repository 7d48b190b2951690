package autoguide

// latentMap is a smooth invertible map z = f(u) of unconstrained vectors
// through which a guide fitted on u is a guide on z: the preconditioning
// map (affine) and NumPyro's latent vector (numpyroLatent).
type latentMap interface {
	// forward writes z = f(u).
	forward(u, z []float64)
	// addLogJacobian returns v plus log |det dz/du| at u, its terms
	// added to v one by one: the order of the additions is part of the
	// seed replay's figures.
	addLogJacobian(v float64, u []float64) float64
	// pullGradient writes to gu the gradient in u of h(f(u)), given gz,
	// the gradient of h at z = f(u), which it may overwrite; when
	// jacobian, that of log |det dz/du| is added.
	pullGradient(u, gz, gu []float64, jacobian bool)
}

// pulledBack is a log density on z seen on u through a latentMap: lp at
// z = f(u), plus log |det dz/du| when jacobian (a density of u), with the
// gradient pulled back. Its scratch buffers z and gz are reused on every
// call, so it and the function on returns serve one goroutine at a time.
type pulledBack struct {
	f        latentMap
	jacobian bool
	lp       lpFunc
	self     lpFunc // logDensity, bound once
	z, gz    []float64
}

// pullBack returns the pull-back through f of densities on z of
// dimension d; on gives it the density.
func pullBack(f latentMap, d int, jacobian bool) *pulledBack {
	p := &pulledBack{f: f, jacobian: jacobian, z: make([]float64, d), gz: make([]float64, d)}
	p.self = p.logDensity
	return p
}

// on sets the density on z to lp, which must fill g when g is not nil
// (model.Model's LogDensity does), and returns the density on u: the same
// function on every call, so that a guide can pull back the density SVI
// hands each step without allocating.
func (p *pulledBack) on(lp lpFunc) lpFunc {
	p.lp = lp
	return p.self
}

func (p *pulledBack) logDensity(u, gu []float64) (float64, error) {
	p.f.forward(u, p.z)
	gz := p.gz
	if gu == nil {
		gz = nil
	}
	v, err := p.lp(p.z, gz)
	if err != nil {
		return v, err
	}
	if gu != nil {
		p.f.pullGradient(u, gz, gu, p.jacobian)
	}
	if p.jacobian {
		v = p.f.addLogJacobian(v, u)
	}
	return v, nil
}
