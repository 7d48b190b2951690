package compile

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// TestEvaluationErrors checks that run-time failures are errors naming the
// file, line and column, never panics.
func TestEvaluationErrors(t *testing.T) {
	for k, want := range map[int]string{
		1: "testdata/errors.stan:9:26: index 4 out of range; expecting index to be between 1 and 3",
		2: "testdata/errors.stan:10:15: bad x: 0.5",
		3: "testdata/errors.stan:11:17: normal_lpdf: Scale parameter is -1, but must be positive finite",
	} {
		data := model.Data{"k": {Elems: []float64{float64(k)}, Int: true}}
		m, err := build(t, "testdata/errors.stan", data)
		if err != nil {
			t.Fatal(err)
		}
		_, err = m.LogDensity([]float64{0.5}, make([]float64, 1))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("k = %d: error %v, want %q", k, err, want)
		}
	}
}

// TestDataErrors checks that data not matching their declarations are
// reported with the variable, the index and the rule.
func TestDataErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.stan")
	os.WriteFile(path, []byte("data { int N; array[N] real<lower=0> s; matrix[2, 2] m; }\nparameters { real x; }\nmodel { x ~ normal(0, 1); }\n"), 0o644)
	good := func() model.Data {
		return model.Data{
			"N": {Elems: []float64{3}, Int: true},
			"s": {Dims: []int{3}, Elems: []float64{1, 2, 3}},
			"m": {Dims: []int{2, 2}, Elems: []float64{1, 2, 3, 4}},
		}
	}
	if _, err := build(t, path, good()); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		edit func(model.Data)
		want string
	}{
		{func(d model.Data) { d["s"].Elems[2] = -1 }, `data variable "s[3]" is -1, but must be >= 0`},
		{func(d model.Data) { delete(d, "m") }, `variable "m" not found in the data`},
		{func(d model.Data) { d["s"] = &model.Value{Dims: []int{2}, Elems: []float64{1, 2}} }, `data variable "s" has size [2], but is declared with size [3]`},
		{func(d model.Data) { d["N"] = &model.Value{Elems: []float64{3.5}} }, `data variable "N" has real values, but is declared int`},
	}
	for _, c := range cases {
		d := good()
		c.edit(d)
		_, err := build(t, path, d)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}

// TestErrorsInsideFunctions checks that an error raised inside a user
// function does not leave the call in progress: after more failures than
// the recursion limit, the model still evaluates.
func TestErrorsInsideFunctions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.stan")
	os.WriteFile(path, []byte(`functions {
  real f(real x) {
    if (x < 0) reject("negative x: ", x);
    return x;
  }
}
parameters { real x; }
model { target += -square(f(x)); }
`), 0o644)
	m, err := build(t, path, model.Data{})
	if err != nil {
		t.Fatal(err)
	}
	g := make([]float64, 1)
	for range 10001 {
		if _, err := m.LogDensity([]float64{-1}, g); err == nil || !strings.Contains(err.Error(), "negative x") {
			t.Fatalf("error %v, want the rejection", err)
		}
	}
	if lp, err := m.LogDensity([]float64{0.5}, g); err != nil || lp != -0.25 {
		t.Fatalf("lp %v, error %v after many failures", lp, err)
	}
}

// TestWriteFailurePadsNaN checks that a draw whose generated quantities
// fail keeps its parameters and transformed parameters and has NaN for
// the generated quantities, as Stan writes it.
func TestWriteFailurePadsNaN(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gq.stan")
	os.WriteFile(path, []byte("parameters { real x; }\ntransformed parameters { real y = 2 * x; }\nmodel { x ~ normal(0, 1); }\n"+
		"generated quantities { real z = x; if (x > 1) reject(\"big\"); }\n"), 0o644)
	m, err := build(t, path, model.Data{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, 3)
	if err := m.Write([]float64{0.5}, nil, out); err != nil || out[0] != 0.5 || out[1] != 1 || out[2] != 0.5 {
		t.Fatalf("Write(0.5) = %v, %v", out, err)
	}
	err = m.Write([]float64{2}, nil, out)
	if err == nil || !strings.Contains(err.Error(), "gq.stan:4:") {
		t.Errorf("Write(2): error %v, want the reject's position", err)
	}
	if out[0] != 2 || out[1] != 4 || !math.IsNaN(out[2]) {
		t.Errorf("Write(2) wrote %v, want [2 4 NaN]", out)
	}
}
