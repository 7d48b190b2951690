package compile

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// TestUnconstrain maps constrained initial values to the unconstrained
// point and back through Write, draws the parameters the values leave
// out, and reports values outside their support.
func TestUnconstrain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "init.stan")
	os.WriteFile(path, []byte(`parameters {
  real mu;
  real<lower=0> tau;
  simplex[3] w;
  vector[2] theta;
}
model { mu ~ normal(0, 1); tau ~ exponential(1); theta ~ normal(0, 1); }
`), 0o644)
	m, err := build(t, path, model.Data{})
	if err != nil {
		t.Fatal(err)
	}
	init := model.Data{
		"mu":  {Elems: []float64{1.5}},
		"tau": {Elems: []float64{2}},
		"w":   {Dims: []int{3}, Elems: []float64{0.2, 0.3, 0.5}},
	}
	z, err := m.Unconstrain(init, rand.New(rand.NewPCG(1, 1)), 2)
	if err != nil {
		t.Fatal(err)
	}
	if z[0] != 1.5 || math.Abs(z[1]-math.Log(2)) > 1e-15 || len(z) != 6 {
		t.Errorf("unconstrained point %v", z)
	}
	for _, x := range z[4:] {
		if math.Abs(x) >= 2 {
			t.Errorf("theta drawn at %v, outside (-2, 2)", x)
		}
	}
	out := make([]float64, len(m.Names()))
	if err := m.Write(z, nil, out); err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{1.5, 2, 0.2, 0.3, 0.5} {
		if math.Abs(out[i]-want) > 1e-12 {
			t.Errorf("%s = %v after the round trip, want %v", m.Names()[i], out[i], want)
		}
	}
	for name, c := range map[string]struct {
		v    model.Value
		want string
	}{
		"tau": {model.Value{Elems: []float64{-1}}, `tau`},
		"w":   {model.Value{Dims: []int{3}, Elems: []float64{0.2, 0.3, 0.6}}, `w`},
		"mu":  {model.Value{Dims: []int{2}, Elems: []float64{1, 2}}, `initial value "mu" has size [2]`},
	} {
		_, err := m.Unconstrain(model.Data{name: &c.v}, rand.New(rand.NewPCG(1, 1)), 2)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %q", name, err, c.want)
		}
	}
}
