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

// TestHugeSizes: a variable of more than MaxElements elements, in any
// block, fails with its name, its sizes and the declaration's position
// instead of a makeslice panic or running out of memory.
func TestHugeSizes(t *testing.T) {
	n := model.Data{"N": {Elems: []float64{2e9}, Int: true}}
	const modelBlock = "parameters { real x; }\nmodel { x ~ normal(0, 1); }\n"
	for _, c := range []struct {
		src  string
		data model.Data
		want string
	}{
		{"parameters {\n  array[100000,100000,100000] real x;\n}\n", nil,
			"h.stan:2:3: x has 1e+15 elements, more than the limit of 268435456 (sizes [100000, 100000, 100000])"},
		{"data { int N; }\nparameters { vector[N] v; }\n", n, "h.stan:2:14: v has 2000000000 elements"},
		{"data { int N; vector[N] y; }\n", n, "h.stan:1:15: y has 2000000000 elements"},
		// Just over the limit: 2^28 + 2^14 elements.
		{"transformed data { matrix[16385, 16384] m; }\n" + modelBlock, nil, "h.stan:1:20: m has 268451840 elements"},
		// The product overflows int64.
		{"parameters { real y; }\nmodel { y ~ normal(0, 1); }\ngenerated quantities { array[2000000000,2000000000,2000000000] real z; }\n", nil,
			"h.stan:3:24: z has 8e+27 elements"},
		{"parameters { cov_matrix[20000] S; }\n", nil, "h.stan:1:14: S has 400000000 elements"},
		// Functions whose arguments are sizes.
		{"transformed data { vector[3] v = rep_vector(0, 2000000000); }\n" + modelBlock, nil,
			"h.stan:1:34: rep_vector's result has 2000000000 elements"},
		{"transformed data { matrix[2, 2] m = rep_matrix(0, -1, 2); }\n" + modelBlock, nil,
			"h.stan:1:37: rep_matrix: size is -1, but must be nonnegative"},
		{"transformed data { matrix[3, 3] m = identity_matrix(100000); }\n" + modelBlock, nil,
			"h.stan:1:37: identity_matrix's result has 10000000000 elements"},
		{"transformed data { array[2, 2, 2] real a = rep_array(0.0, 100000, 100000, 100000); }\n" + modelBlock, nil,
			"h.stan:1:44: the result has 1e+15 elements"},
	} {
		_, err := build(t, writeTemp(t, c.src), c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.src, err, c.want)
		}
	}
	// Any other value that would be too large fails, without a position.
	func() {
		defer func() {
			ee, ok := recover().(*evalError)
			if want := "a value has 268451840 elements, more than the limit of 268435456 (sizes [16385, 16384])"; !ok || ee.Error() != want {
				t.Errorf("shape: %v, want %q", ee, want)
			}
		}()
		new(value).shape([]int{16385, 16384}, false)
	}()
	// A local variable fails when the model block runs.
	m, err := build(t, writeTemp(t, "parameters { real x; }\nmodel { vector[2000000000] v; x ~ normal(0, 1); }\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.LogDensity([]float64{0}, make([]float64, 1)); err == nil || !strings.Contains(err.Error(), ":2:9: v has 2000000000 elements") {
		t.Errorf("local: %v", err)
	}
}

func writeTemp(t *testing.T, src string) string {
	path := filepath.Join(t.TempDir(), "h.stan")
	os.WriteFile(path, []byte(src), 0o644)
	return path
}

// TestEmptyStatistics checks that mean, variance and sd of an empty
// container are errors, as Stan Math's check_nonzero_size makes them,
// and that variance and sd of one element are 0.
func TestEmptyStatistics(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.stan")
	os.WriteFile(path, []byte(`data { int N; }
parameters { real x; }
model {
  vector[N] v = rep_vector(x, N);
  target += -0.5 * x^2;
  target += FN(v);
}
`), 0o644)
	for _, fn := range []string{"mean", "variance", "sd"} {
		src, _ := os.ReadFile(path)
		p := filepath.Join(t.TempDir(), fn+".stan")
		os.WriteFile(p, []byte(strings.ReplaceAll(string(src), "FN", fn)), 0o644)
		m, err := build(t, p, model.Data{"N": {Elems: []float64{0}, Int: true}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = m.LogDensity([]float64{0.5}, make([]float64, 1))
		want := fn + ": the argument has size 0, but must have a non-zero size"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s of an empty vector: error %v, want %q", fn, err, want)
		}
		m, err = build(t, p, model.Data{"N": {Elems: []float64{1}, Int: true}})
		if err != nil {
			t.Fatal(err)
		}
		lp, err := m.LogDensity([]float64{0.5}, make([]float64, 1))
		wantLP := -0.125
		if fn == "mean" {
			wantLP += 0.5
		}
		if err != nil || math.Abs(lp-wantLP) > 1e-12 {
			t.Errorf("%s of one element: log density %v, %v, want %v", fn, lp, err, wantLP)
		}
	}
}

// TestUnaddableTarget: stanc3 accepts complex values and tuples in
// target += and jacobian +=, but Stan's C++ cannot add them to the log
// density; compiling refuses them at the value.
func TestUnaddableTarget(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"model { target += to_complex(y, 1); }", "t.stan:2:19: target += needs a real, int or container of reals, found complex"},
		{"model { complex_vector[2] z = [1, 2i]'; target += z; }", "t.stan:2:51: target += needs a real, int or container of reals, found complex_vector"},
		{"model { target += (1.0, y); }", "t.stan:2:19: target += needs a real, int or container of reals, found tuple(real, real)"},
		{"transformed parameters { jacobian += to_complex(y, 1); }", "t.stan:2:38: jacobian += needs a real, int or container of reals, found complex"},
	} {
		_, err := Source("t.stan", []byte("parameters { real y; }\n"+tc.body+"\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.body, err, tc.want)
		}
	}
}

// TestStudentTQfSizes: student_t_qf's containers must be of one size; the
// error names the two that differ.
func TestStudentTQfSizes(t *testing.T) {
	src := "parameters { real y; }\nmodel { target += sum(student_t_qf([0.2, 0.5, 0.9]', 3, 0, [1, 2]')); }\n"
	m := buildSource(t, src, nil)
	_, err := m.LogDensity([]float64{0.1}, make([]float64, 1))
	want := "student_t_qf: p has size 3, but sigma has size 2; the containers must be of one size"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}
