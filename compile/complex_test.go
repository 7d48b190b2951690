package compile

import (
	"bytes"
	"math"
	"math/cmplx"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gostan/gostan/internal/race"
	"github.com/gostan/gostan/model"
)

// complexColumns collects the expected output columns of complex values:
// put("zs", "2", z) expects zs[2,real] and zs[2,imag].
type complexColumns map[string]float64

func (w complexColumns) put(name, idx string, z complex128) {
	if idx == "" {
		w[name+"[real]"], w[name+"[imag]"] = real(z), imag(z)
		return
	}
	w[name+"["+idx+",real]"], w[name+"["+idx+",imag]"] = real(z), imag(z)
}

func closeTo(got, want float64) bool {
	return got == want || math.Abs(got-want) <= 1e-14*math.Max(1, math.Abs(want))
}

// TestComplexOperations runs testdata/complex.stan, which uses every
// complex operation compile supports in generated quantities, and checks
// each output column against Go's complex128 arithmetic, the column names
// and order against CmdStan's, and print's output against Stan's format.
func TestComplexOperations(t *testing.T) {
	p, err := File("testdata/complex.stan")
	if err != nil {
		t.Fatal(err)
	}
	var printed bytes.Buffer
	p.Print = &printed
	m, err := p.NewModel(nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(m.Names()))
	if err := m.Write([]float64{0.5}, nil, out); err != nil {
		t.Fatal(err)
	}

	a, b := complex(3, 4), complex(-1.5, 2)
	td := complex(1.5, -2)
	w := complexColumns{"x": 0.5}
	for _, c := range []struct {
		name string
		z    complex128
	}{
		{"a", a}, {"b", b}, {"c0", 0}, {"c1", 2.5}, {"p", 7}, {"q", 0.25},
		{"s", a + b}, {"d", a - b}, {"m", a * b}, {"v", a / b}, {"vr", 2 / b}, {"vs", b / 4},
		{"mr", 0.5 * a}, {"n", -a}, {"lit", 15i - 2i}, {"cnd", a}, {"cnd2", 2}, {"tw", 2 * b},
		{"u", td}, {"w", ((a+b)*2i - 1) / b}, {"cmx", 3i}, {"sv", 1 + b + a*1i},
	} {
		w.put(c.name, "", c.z)
	}
	w["re"], w["im"] = real(a*b), imag(a/b)
	w["ab"], w["ar"], w["arn"], w["gr"] = cmplx.Abs(b), cmplx.Phase(b), math.Pi, 3
	w["eq"], w["ne"], w["eqr"], w["eqi"], w["nei"] = 1, 0, 1, 0, 1
	zs := []complex128{a, b, a * b}
	cv := []complex128{1, b, a * 1i}
	cm := [2][3]complex128{{a, 5, 1}, {2, 3i, 4}}
	zz := [2][2]complex128{{a, b}, {1i, td}}
	crv := []complex128{a, 2}
	fe := complex128(0)
	for i, z := range zs {
		w.put("zs", itoa(i+1), z)
		fe += z
	}
	for i, z := range zs[1:] {
		w.put("sl", itoa(i+1), z)
	}
	for i, z := range cv {
		w.put("cv", itoa(i+1), z)
		w.put("vecs", "1,"+itoa(i+1), z)
		w.put("vecs", "2,"+itoa(i+1), complex(float64(i+1), 0))
		w.put("vecs2", itoa(i+1), complex(float64(i+1), 0))
		fe += z
	}
	for i := range 2 {
		for j := range 2 {
			w.put("zz", itoa(i+1)+","+itoa(j+1), zz[i][j])
			w.put("rrep", itoa(i+1)+","+itoa(j+1), crv[j])
			if i == 1 {
				w.put("zrow", itoa(j+1), zz[i][j])
			}
			fe += zz[i][j]
		}
		w.put("crv", itoa(i+1), crv[i])
		w.put("cmc", itoa(i+1), cm[i][2])
		w.put("scaled", itoa(i+1), cm[i][0]*1i)
		w.put("rep", itoa(i+1), b)
		for j := range 3 {
			w.put("cm", itoa(i+1)+","+itoa(j+1), cm[i][j])
		}
	}
	for j := range 3 {
		w.put("cmr", itoa(j+1), cm[1][j])
	}
	cm2 := [2][2]complex128{{1, 1}, {3, 4}}
	for i := range 2 {
		for j := range 2 {
			w.put("cm2", itoa(i+1)+","+itoa(j+1), cm2[i][j])
		}
	}
	w.put("pr", "1", 1.25)
	w.put("pr", "2", 1.25i)
	w.put("fe", "", fe)

	names := m.Names()
	got := map[string]float64{}
	for i, n := range names {
		got[n] = out[i]
	}
	if len(got) != len(names) {
		t.Errorf("duplicate column names in %v", names)
	}
	for n, v := range w {
		g, ok := got[n]
		switch {
		case !ok:
			t.Errorf("no column %s", n)
		case !closeTo(g, v):
			t.Errorf("%s = %v, want %v", n, g, v)
		}
	}
	for _, n := range names {
		if _, ok := w[n]; !ok {
			t.Errorf("column %s is not checked", n)
		}
	}

	// CmdStan's order: real then imaginary part of each element, the
	// elements column-major (the first index fastest).
	for _, c := range []struct {
		name string
		want []string
	}{
		{"a", []string{"a[real]", "a[imag]"}},
		{"zz", []string{"zz[1,1,real]", "zz[1,1,imag]", "zz[2,1,real]", "zz[2,1,imag]", "zz[1,2,real]", "zz[1,2,imag]", "zz[2,2,real]", "zz[2,2,imag]"}},
		{"cm", []string{"cm[1,1,real]", "cm[1,1,imag]", "cm[2,1,real]", "cm[2,1,imag]", "cm[1,2,real]", "cm[1,2,imag]",
			"cm[2,2,real]", "cm[2,2,imag]", "cm[1,3,real]", "cm[1,3,imag]", "cm[2,3,real]", "cm[2,3,imag]"}},
		{"vecs", []string{"vecs[1,1,real]", "vecs[1,1,imag]", "vecs[2,1,real]", "vecs[2,1,imag]", "vecs[1,2,real]", "vecs[1,2,imag]",
			"vecs[2,2,real]", "vecs[2,2,imag]", "vecs[1,3,real]", "vecs[1,3,imag]", "vecs[2,3,real]", "vecs[2,3,imag]"}},
	} {
		i := slices.Index(names, c.want[0])
		if i < 0 || i+len(c.want) > len(names) || !slices.Equal(names[i:i+len(c.want)], c.want) {
			t.Errorf("columns of %s: got %v, want %v", c.name, names[max(i, 0):min(max(i, 0)+len(c.want), len(names))], c.want)
		}
	}

	// print writes a complex as C++ streams std::complex: (re,im).
	if want := "a=(3,4) zs=[(3,4),(-1.5,2),(-12.5,0)] cv=[(1,0),(-1.5,2),(-4,3)]\n"; printed.String() != want {
		t.Errorf("print wrote %q, want %q", printed.String(), want)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

const complexGradProgram = `
parameters {
  real x;
  real<lower=0> y;
  complex z;
  array[2] complex za;
  complex_vector[2] cv;
}
transformed parameters {
  complex w = to_complex(x, y) * z / (za[1] + 2) - za[2];
}
model {
  complex u = w * cv[1] - cv[2] / (1 + 1i);
  target += get_real(w) + 0.5 * get_imag(w) - abs(w) + arg(z) + abs(to_complex(x, y) / z);
  target += get_imag(u) - 0.1 * abs(u) + arg(-u);
  target += -0.5 * (x^2 + y^2);
}
`

// complexGradDensity is complexGradProgram's log density in complex128,
// with the Jacobian of y's log transform.
func complexGradDensity(th []float64) float64 {
	x, y := th[0], math.Exp(th[1])
	z := complex(th[2], th[3])
	za1, za2 := complex(th[4], th[5]), complex(th[6], th[7])
	cv1, cv2 := complex(th[8], th[9]), complex(th[10], th[11])
	w := complex(x, y)*z/(za1+2) - za2
	u := w*cv1 - cv2/(1+1i)
	lp := real(w) + 0.5*imag(w) - cmplx.Abs(w) + cmplx.Phase(z) + cmplx.Abs(complex(x, y)/z)
	lp += imag(u) - 0.1*cmplx.Abs(u) + cmplx.Phase(-u)
	lp += -0.5 * (x*x + y*y)
	return lp + th[1]
}

// TestComplexGradient checks a density built from complex parameters and
// complex arithmetic against complex128, and its gradient against central
// finite differences; complex parameters are two unconstrained reals each,
// written as CmdStan names them.
func TestComplexGradient(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.stan")
	os.WriteFile(path, []byte(complexGradProgram), 0o644)
	m, err := build(t, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Dim() != 12 {
		t.Fatalf("Dim() = %d, want 12", m.Dim())
	}
	wantNames := []string{"x", "y", "z[real]", "z[imag]", "za[1,real]", "za[1,imag]", "za[2,real]", "za[2,imag]",
		"cv[1,real]", "cv[1,imag]", "cv[2,real]", "cv[2,imag]", "w[real]", "w[imag]"}
	if !slices.Equal(m.Names(), wantNames) {
		t.Errorf("Names() = %v, want %v", m.Names(), wantNames)
	}
	if got := m.ParamNames(); !slices.Equal(got, wantNames[:12]) {
		t.Errorf("ParamNames() = %v", got)
	}
	th := []float64{0.3, -0.2, 1.1, -0.7, 0.4, 0.9, -1.3, 0.2, 0.8, -0.6, 1.7, 0.5}
	grad := make([]float64, len(th))
	lp, err := m.LogDensity(th, grad)
	if err != nil {
		t.Fatal(err)
	}
	if want := complexGradDensity(th); !(math.Abs(lp-want) <= 1e-12*math.Max(1, math.Abs(want))) {
		t.Errorf("log density %v, want %v", lp, want)
	}
	for i := range th {
		h := 1e-6
		xp := slices.Clone(th)
		xm := slices.Clone(th)
		xp[i] += h
		xm[i] -= h
		fp, e1 := m.LogDensity(xp, nil)
		fm, e2 := m.LogDensity(xm, nil)
		if e1 != nil || e2 != nil {
			t.Fatal(e1, e2)
		}
		fd := (fp - fm) / (2 * h)
		if math.Abs(fd-grad[i]) > 1e-6*math.Max(1, math.Abs(fd)) {
			t.Errorf("d lp / d theta[%d] = %v, finite difference %v", i, grad[i], fd)
		}
	}
	if n := testing.AllocsPerRun(3, func() { m.LogDensity(th, grad) }); n != 0 && !race.Enabled {
		t.Errorf("a gradient evaluation allocates %v times", n)
	}
	out := make([]float64, len(m.Names()))
	if err := m.Write(th, nil, out); err != nil {
		t.Fatal(err)
	}
	x, y := th[0], math.Exp(th[1])
	wv := complex(x, y)*complex(th[2], th[3])/(complex(th[4], th[5])+2) - complex(th[6], th[7])
	want := append([]float64{x, y}, th[2:]...)
	want = append(want, real(wv), imag(wv))
	for i := range want {
		if !closeTo(out[i], want[i]) {
			t.Errorf("%s = %v, want %v", m.Names()[i], out[i], want[i])
		}
	}
}

// TestComplexData reads complex data from Stan JSON, where a complex is
// an array [re, im] as in CmdStan, and checks the errors of data that do
// not match.
func TestComplexData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.stan")
	os.WriteFile(path, []byte(`data {
  complex z;
  array[3] complex za;
  complex_vector[2] cv;
  complex_matrix[2, 3] cm;
  array[0] complex none;
}
generated quantities {
  complex z2 = z;
  array[3] complex za2 = za;
  complex_vector[2] cv2 = cv;
  complex_matrix[2, 3] cm2 = cm;
  complex c = cm[2, 1] + za[3];
}
`), 0o644)
	good := map[string]string{"z": "[1, -2]", "za": "[[1, 2], [3, 4], [5, 6.5]]", "cv": "[[1, 0], [0, 1]]",
		"cm": "[[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]", "none": "[]"}
	// data reads good with edit's variables replaced ("" removes one)
	// through the Stan JSON reader.
	data := func(edit map[string]string) model.Data {
		var parts []string
		for k, v := range good {
			if e, ok := edit[k]; ok {
				v = e
			}
			if v != "" {
				parts = append(parts, strconv.Quote(k)+": "+v)
			}
		}
		d, err := model.ReadData(strings.NewReader("{" + strings.Join(parts, ", ") + "}"))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	m, err := build(t, path, data(nil))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(m.Names()))
	if err := m.Write(nil, nil, out); err != nil {
		t.Fatal(err)
	}
	w := complexColumns{}
	w.put("z2", "", 1-2i)
	w.put("za2", "1", 1+2i)
	w.put("za2", "2", 3+4i)
	w.put("za2", "3", 5+6.5i)
	w.put("cv2", "1", 1)
	w.put("cv2", "2", 1i)
	for i := range 2 {
		for j := range 3 {
			k := float64(2 * (3*i + j))
			w.put("cm2", itoa(i+1)+","+itoa(j+1), complex(k+1, k+2))
		}
	}
	w.put("c", "", 7+8i+5+6.5i)
	if len(m.Names()) != len(w) {
		t.Errorf("%d columns, want %d: %v", len(m.Names()), len(w), m.Names())
	}
	for i, n := range m.Names() {
		if v, ok := w[n]; !ok || !closeTo(out[i], v) {
			t.Errorf("%s = %v, want %v", n, out[i], v)
		}
	}

	for _, c := range []struct{ name, value, want string }{
		{"z", "[1, 2, 3]", `data variable "z" has size [3], but is declared complex with size scalar: each complex value is an array [re, im] of 2 numbers, so the data must have size [2]`},
		{"z", "1", `data variable "z" has size scalar, but is declared complex`},
		{"za", "[1, 2, 3]", `data variable "za" has size [3], but is declared array[] complex with size [3]: each complex value is an array [re, im] of 2 numbers, so the data must have size [3,2]`},
		{"cm", "[[1, 2, 3], [4, 5, 6]]", `data variable "cm" has size [2,3], but is declared complex_matrix with size [2,3]`},
		{"cv", "[[1, 2, 3], [4, 5, 6]]", `data variable "cv" has size [2,3], but is declared complex_vector with size [2]`},
		{"none", "[[1, 2]]", `data variable "none" has size [1,2], but is declared array[] complex with size [0]`},
		{"z", "", `variable "z" not found in the data`},
	} {
		_, err := build(t, path, data(map[string]string{c.name: c.value}))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s = %s: error %v, want %q", c.name, c.value, err, c.want)
		}
	}
	// An empty array may be left out.
	if _, err := build(t, path, data(map[string]string{"none": ""})); err != nil {
		t.Error(err)
	}
}

// TestComplexErrors checks that what the checker accepts of complex types
// but compile cannot do is a compile error at the declaration or
// statement, never a panic.
func TestComplexErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"parameters {\n  complex<lower=0> z;\n}\n", "c.stan:2:3: complex variables cannot have bounds, offsets or multipliers: declare z as complex"},
		{"data {\n  array[2] complex_vector<offset=1>[3] z;\n}\n", "c.stan:2:3: complex variables cannot have bounds, offsets or multipliers: declare z as complex_vector"},
		{"generated quantities {\n  complex<upper=1> z = 0;\n}\n", "c.stan:2:3: complex variables cannot have bounds"},
		{"model {\n  complex_vector[2] v = [1, 2]';\n  target += v;\n}\n", "c.stan:3:13: target += needs a real, int or container of reals, found complex_vector"},
		{"parameters {\n  real x;\n}\nmodel {\n  x ~ normal(0, 1);\n}\nguide parameters {\n  complex m;\n}\nguide {\n  x ~ normal(get_real(m), 1);\n}\n",
			"c.stan:8:3: guide parameters cannot be complex"},
	} {
		path := filepath.Join(t.TempDir(), "c.stan")
		os.WriteFile(path, []byte(c.src), 0o644)
		_, err := File(path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.src, err, c.want)
		}
	}
}
