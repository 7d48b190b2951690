package compile

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// TestAlgebraRealSteps: the old algebra_solver's real maximum number of
// steps is truncated to an int, as C++ converts it; a NaN or a value below
// 1 is refused with the positivity message, not converted to whatever the
// platform makes of it.
func TestAlgebraRealSteps(t *testing.T) {
	src := `functions {
  vector f(vector y, vector th, array[] real xr, array[] int xi) { return y - th; }
}
data { real steps; }
transformed data { array[0] real xr; array[0] int xi; }
parameters { real mu; }
transformed parameters {
  vector[1] s = algebra_solver(f, [1]', [2.0]', xr, xi, 1e-10, 1e-6, steps);
}
model { mu ~ normal(0, 1); }
`
	prog, err := Source("steps.stan", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		steps float64
		want  string
	}{{100.7, ""}, {0.5, "max_num_steps is 0, but must be positive"}, {math.NaN(), "max_num_steps is 0, but must be positive"}, {1e300, ""}} {
		m, err := prog.NewModel(model.Data{"steps": {Elems: []float64{c.steps}}}, 1)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]float64, len(m.Names()))
		err = m.Write([]float64{0.3}, rand.New(rand.NewPCG(1, 1)), out)
		switch {
		case c.want == "" && (err != nil || out[1] != 2):
			t.Errorf("steps %v: s = %v, %v", c.steps, out[1], err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("steps %v: %v, want %q", c.steps, err, c.want)
		}
	}
}
