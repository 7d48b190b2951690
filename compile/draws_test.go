package compile

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gostan/gostan/model"
)

// TestParamDataRoundTrip writes a random point's columns, reads the
// parameter columns back through ParamData and Unconstrain, and expects
// the same unconstrained point: arrays, vectors, matrices and constrained
// types, whose column order (first index fastest) differs from the
// row-major order model.Data keeps.
func TestParamDataRoundTrip(t *testing.T) {
	m := buildSource(t, `parameters {
  real mu;
  array[2] vector<lower=0>[3] v;
  matrix[2, 3] A;
  array[2, 2] real z;
  simplex[3] w;
  cov_matrix[3] S;
  cholesky_factor_corr[3] L;
}
transformed parameters { real s = mu + sum(A); }
model { mu ~ normal(0, 1); }
generated quantities { real twice = 2 * mu; array[2] int k = {1, 2}; }
`, model.Data{})
	if got, want := m.GQNames(), []string{"twice", "k[1]", "k[2]"}; !slices.Equal(got, want) {
		t.Errorf("GQNames = %v, want %v", got, want)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	theta := make([]float64, m.Dim())
	for i := range theta {
		theta[i] = rng.Float64()*2 - 1
	}
	out := make([]float64, len(m.Names()))
	if err := m.Write(theta, rng, out); err != nil {
		t.Fatal(err)
	}
	d, err := m.ParamData(out[:len(m.ParamNames())])
	if err != nil {
		t.Fatal(err)
	}
	if a := d["A"]; !slices.Equal(a.Dims, []int{2, 3}) || a.Elems[1] != out[slices.Index(m.Names(), "A[1,2]")] {
		t.Errorf("A = %+v; want row-major [2 3]", a)
	}
	z, err := m.Unconstrain(d, rng, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range theta {
		if math.Abs(z[i]-theta[i]) > 1e-9 {
			t.Errorf("theta[%d] = %v, want %v", i, z[i], theta[i])
		}
	}
	if _, err := m.ParamData(out); err == nil {
		t.Error("ParamData took all columns, not only the parameters'")
	}
}

func TestGQNamesNone(t *testing.T) {
	m := buildSource(t, "parameters { real mu; }\ntransformed parameters { real nu = mu; }\nmodel { mu ~ normal(0, 1); }\n", model.Data{})
	if g := m.GQNames(); len(g) != 0 {
		t.Errorf("GQNames = %v, want none", g)
	}
}

// TestParamDataComplex round-trips complex parameters: each element has
// two columns, the real and then the imaginary part.
func TestParamDataComplex(t *testing.T) {
	m := buildSource(t, `parameters {
  complex z;
  real x;
  array[2] complex zs;
}
model { x ~ normal(0, 1); }
`, model.Data{})
	theta := []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}
	out := make([]float64, len(m.Names()))
	if err := m.Write(theta, nil, out); err != nil {
		t.Fatal(err)
	}
	d, err := m.ParamData(out[:len(m.ParamNames())])
	if err != nil {
		t.Fatal(err)
	}
	if x := d["x"].Elems[0]; x != out[slices.Index(m.Names(), "x")] {
		t.Errorf("x = %v, want %v (names %v)", x, out[slices.Index(m.Names(), "x")], m.Names())
	}
	z, err := m.Unconstrain(d, nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(z, theta) {
		t.Errorf("unconstrained %v, want %v", z, theta)
	}
}
