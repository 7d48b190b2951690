package compile

import (
	"testing"

	"github.com/gostan/gostan/model"
)

// TestExplain checks that a non-finite log density is explained by the
// statement that made it so, and a non-finite gradient by its parameter.
func TestExplain(t *testing.T) {
	src := `data { int k; }
parameters { vector[2] z; }
model {
  z ~ normal(0, 1);
  if (k == 1) target += log(z[1] > 5);
  if (k == 2) target += -1e308 * 10;
  if (k == 3) target += sqrt(square(z[2]));
}
`
	var _ model.Explainer = (*Model)(nil)
	for k, want := range map[int]string{
		0: "",
		1: "gaps.stan:5:15: the log density is -Inf: this statement adds -Inf",
		2: "gaps.stan:6:15: the log density is -Inf: this statement adds -Inf",
		3: "the gradient of the log density with respect to z (unconstrained value 2 of 2) is NaN",
	} {
		m := buildSource(t, src, model.Data{"k": {Elems: []float64{float64(k)}, Int: true}})
		err := m.Explain([]float64{1, 0})
		if want == "" {
			if err != nil {
				t.Errorf("k = %d: finite density explained as %v", k, err)
			}
			continue
		}
		if err == nil || err.Error() != want {
			t.Errorf("k = %d: Explain = %v, want %q", k, err, want)
		}
	}
}

// TestNaNDensityLocated checks that a NaN log density is an error naming
// the statement that added the NaN.
func TestNaNDensityLocated(t *testing.T) {
	m := buildSource(t, "parameters { real x; }\nmodel {\n  x ~ normal(0, 1);\n  target += log(-1 - x^2);\n}\n", nil)
	_, err := m.LogDensity([]float64{0.5}, nil)
	if want := "gaps.stan:4:3: the log density is NaN: this statement adds NaN"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestConstraintErrorLocated checks that a transformed parameter outside
// its bounds is reported at its declaration.
func TestConstraintErrorLocated(t *testing.T) {
	m := buildSource(t, "parameters { real x; }\ntransformed parameters {\n  real<lower=0> w = x;\n}\nmodel { x ~ normal(0, 1); }\n", nil)
	_, err := m.LogDensity([]float64{-1}, nil)
	if want := `gaps.stan:3:17: transformed parameter "w" is -1, but must be >= 0`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}
