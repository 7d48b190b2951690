package ppl

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/model"
)

// constrained has a site of each support, a bound that depends on another
// site, and a plate; stanConstrained is the same model in Stan, every
// density with its constants, so the two log densities must be equal.
func constrained(ctx *Ctx) {
	sigma := ctx.Sample("sigma", Exponential(Scalar(1)))
	ctx.Sample("w", Dirichlet(Consts(1, 2, 3)))
	u := ctx.Sample("u", Uniform(ad.Const(0), sigma[0]))
	ctx.Plate("b", 3, func() {
		ctx.Sample("b", Beta(Scalar(2), Scalar(3)))
	})
	ctx.Sample("h", HalfNormal(Scalar(1.5)))
	ctx.Sample("y", Normal(u, sigma), Obs(Consts(0.3, 0.8, 0.1, 1.2)))
}

const stanConstrained = `
data { vector[4] y; }
parameters {
  real<lower=0> sigma;
  simplex[3] w;
  real<lower=0, upper=sigma> u;
  vector<lower=0, upper=1>[3] b;
  real<lower=0> h;
}
model {
  target += exponential_lpdf(sigma | 1);
  target += dirichlet_lpdf(w | [1, 2, 3]');
  target += uniform_lpdf(u | 0, sigma);
  target += beta_lpdf(b | 2, 3);
  target += normal_lpdf(h | 0, 1.5) + log(2);
  target += normal_lpdf(y | u, sigma);
}
`

func compileStan(t *testing.T, src string, data model.Data) model.Model {
	t.Helper()
	p, err := compile.Source("test.stan", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.NewModel(data, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSameAsStan: the Go model's layout, transforms and log density
// (Jacobians included) equal the compiled Stan program's at random points.
func TestSameAsStan(t *testing.T) {
	p, err := NewPosterior(constrained, 1)
	if err != nil {
		t.Fatal(err)
	}
	s := compileStan(t, stanConstrained, model.Data{"y": {Dims: []int{4}, Elems: []float64{0.3, 0.8, 0.1, 1.2}}})
	if p.Dim() != s.Dim() {
		t.Fatalf("dim %d, Stan's %d", p.Dim(), s.Dim())
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		x := make([]float64, p.Dim())
		for i := range x {
			x[i] = r.NormFloat64()
		}
		g, gs := make([]float64, len(x)), make([]float64, len(x))
		lp, err := p.LogDensity(x, g)
		if err != nil {
			t.Fatal(err)
		}
		ls, err := s.LogDensity(x, gs)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(lp-ls) > 1e-9*max(1, math.Abs(ls)) {
			t.Errorf("at %v: log density %v, Stan's %v", x, lp, ls)
		}
		for i := range g {
			if math.Abs(g[i]-gs[i]) > 1e-8*max(1, math.Abs(gs[i])) {
				t.Errorf("at %v: grad[%d] %v, Stan's %v", x, i, g[i], gs[i])
			}
		}
		out, outs := make([]float64, len(p.Names())), make([]float64, len(s.Names()))
		p.Write(x, nil, out)
		s.Write(x, rand.New(rand.NewPCG(1, 1)), outs)
		for i := range out {
			if math.Abs(out[i]-outs[i]) > 1e-12 {
				t.Errorf("column %s: %v, Stan's %s %v", p.Names()[i], out[i], s.Names()[i], outs[i])
			}
		}
	}
	// Unconstrain inverts Write.
	out := make([]float64, len(p.Names()))
	x := []float64{0.2, -0.3, 0.4, 0.5, 1, -1, 0.1, 0.7}
	p.Write(x, nil, out)
	z, err := p.Unconstrain(map[string][]float64{"sigma": out[0:1], "w": out[1:4], "u": out[4:5], "b": out[5:8], "h": out[8:9]}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range x {
		if math.Abs(z[i]-x[i]) > 1e-9 {
			t.Errorf("Unconstrain(Write(x))[%d] = %v, want %v", i, z[i], x[i])
		}
	}
}
