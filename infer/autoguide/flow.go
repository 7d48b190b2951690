package autoguide

import (
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
)

// bijection is a normalizing flow's transform of R^D: push records on t the
// image z of x and log|det ∂z/∂x| as functions of the parameter leaves p.
type bijection interface {
	push(t *ad.Tape, p, x []ad.Var) (z []ad.Var, logDet ad.Var)
}

// flow is a guide that pushes a standard normal through a bijection. The
// transform is recorded on one tape, reset every call, so the ELBO gradient
// is one reverse sweep and a steady-state step allocates little.
type flow struct {
	b       bijection
	par     []float64
	t       *ad.Tape
	leaf    []ad.Var
	x       []ad.Var
	z, g    []float64
	logNorm float64 // (D/2) log 2π
}

func newFlow(b bijection, d int, par []float64) flow {
	return flow{b: b, par: par, t: ad.NewTape(), leaf: make([]ad.Var, len(par)),
		x: make([]ad.Var, d), z: make([]float64, d), g: make([]float64, d),
		logNorm: 0.5 * float64(d) * math.Log(2*math.Pi)}
}

func (f *flow) Params() []float64 { return f.par }

// transform resets the tape and records the flow at base point x.
func (f *flow) transform(x []ad.Var) ([]ad.Var, ad.Var) {
	f.t.Reset()
	for i, p := range f.par {
		f.leaf[i] = f.t.Var(p)
	}
	return f.b.push(f.t, f.leaf, x)
}

// draw pushes a fresh base draw through the flow and returns ½|ε|².
func (f *flow) draw(rng *rand.Rand) ([]ad.Var, ad.Var, float64) {
	sq := 0.0
	for i := range f.x {
		e := rng.NormFloat64()
		f.x[i] = ad.Const(e)
		sq += e * e
	}
	z, logDet := f.transform(f.x)
	return z, logDet, 0.5 * sq
}

func (f *flow) Sample(rng *rand.Rand, z []float64) { f.SampleLogQ(rng, z) }

// SampleLogQ draws z with log q(z) = log N(ε; 0, I) - log|det ∂z/∂ε|.
func (f *flow) SampleLogQ(rng *rand.Rand, z []float64) float64 {
	zv, logDet, half := f.draw(rng)
	for i, v := range zv {
		z[i] = v.Val
	}
	return -half - f.logNorm - logDet.Val
}

// ELBOGrad uses log q(z) = log N(ε; 0, I) - log|det ∂z/∂ε|, so the draw's
// gradient is the vector-Jacobian product of the model's gradient g with z
// plus the gradient of log|det|: one reverse sweep from gᵀz + log|det|.
func (f *flow) ELBOGrad(rng *rand.Rand, lp lpFunc, grad []float64) (float64, error) {
	z, logDet, half := f.draw(rng)
	for i, v := range z {
		f.z[i] = v.Val
	}
	v, err := lp(f.z, f.g)
	if err != nil {
		return 0, err
	}
	gz, err := f.t.DotData(z, f.g)
	if err != nil {
		return 0, err
	}
	f.t.Grad(f.t.Add(gz, logDet))
	for i, l := range f.leaf {
		grad[i] += f.t.Adjoint(l)
	}
	return v + logDet.Val + half + f.logNorm, nil
}
