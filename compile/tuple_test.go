package compile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stancsv"
)

// tupleRun builds src with the JSON data and writes one draw at theta,
// returning the columns by name and what print wrote.
func tupleRun(t *testing.T, src, data string, theta []float64) (map[string]float64, string, *Model) {
	t.Helper()
	d, err := model.ReadData(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Source("tuples.stan", []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	var printed strings.Builder
	p.Print = &printed
	m, err := p.NewModel(d, 1)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(m.Names()))
	if err := m.Write(theta, rand.New(rand.NewPCG(1, 2)), out); err != nil {
		t.Fatal(err)
	}
	cols := map[string]float64{}
	for i, n := range stancsv.ColumnNames(m.Names()) {
		cols[n] = out[i]
	}
	return cols, printed.String(), m
}

func wantCols(t *testing.T, cols map[string]float64, want map[string]float64) {
	t.Helper()
	for n, w := range want {
		got, ok := cols[n]
		if !ok {
			t.Errorf("no column %s", n)
			continue
		}
		if !(math.Abs(got-w) <= 1e-9*math.Max(1, math.Abs(w))) {
			t.Errorf("%s = %v, want %v", n, got, w)
		}
	}
}

// TestTupleValues runs literals, member access, arrays of tuples,
// promotion, member assignment, unpacking, conditionals, loops and
// functions of tuples, and checks every value.
func TestTupleValues(t *testing.T) {
	src := `
functions {
  tuple(real, vector) scale(tuple(real, vector) a, real k) { return (a.1 * k, a.2 * k); }
  tuple(real, int) swap(tuple(int, real) a) { return (a.2, a.1); }
}
generated quantities {
  tuple(real, array[2] real) pr = (1, {2, 3});           // int and int[] promoted
  tuple(int, tuple(real, vector[2])) nest = (4, (5.5, [6, 7]'));
  real n21 = nest.2.1;
  real n22 = nest.2.2[2];
  array[3] tuple(int, real) arr = {(1, 1.5), (2, 2.5), (3, 3.5)};
  array[2] tuple(int, real) sl = arr[2:3];
  real s = 0;
  for (x in arr) s += x.1 * x.2;
  arr[2].1 = 20;
  arr[3] = (30, 0.25);
  tuple(real, vector[2]) sc = scale((2, [1, 2]'), 3);
  tuple(real, int) sw = swap((8, 9.5));
  real a = 1;
  real b = 2;
  (a, b) = (b, a);                                      // a swap
  int i;
  vector[2] v;
  real d;
  ((i, v[2]), d) = ((11, 12), 13);                      // v[2] and v[1] at once would write v twice
  v[1] = d;
  tuple(real, real) c = 0 ? (1, 2) : (3.5, 4);
  tuple(real, real) u = (1, 2);
  (u.2, u.1) = u;                                        // reads u before writing it
  print(nest, " ", arr);
}
`
	cols, printed, _ := tupleRun(t, src, `{}`, nil)
	wantCols(t, cols, map[string]float64{
		"pr:1": 1, "pr:2.1": 2, "pr:2.2": 3,
		"nest:1": 4, "nest:2:1": 5.5, "nest:2:2.1": 6, "nest:2:2.2": 7, "n21": 5.5, "n22": 7,
		"arr.1:1": 1, "arr.1:2": 1.5, "arr.2:1": 20, "arr.2:2": 2.5, "arr.3:1": 30, "arr.3:2": 0.25,
		"sl.1:1": 2, "sl.1:2": 2.5, "sl.2:1": 3, "sl.2:2": 3.5,
		"s":    1*1.5 + 2*2.5 + 3*3.5,
		"sc:1": 6, "sc:2.1": 3, "sc:2.2": 6, "sw:1": 9.5, "sw:2": 8,
		"a": 2, "b": 1, "i": 11, "v.1": 13, "v.2": 12,
		"c:1": 3.5, "c:2": 4, "u:1": 2, "u:2": 1,
	})
	// Stan Math's stan_print separates a tuple's members by a bare comma.
	if want := "(4,(5.5,[6,7])) [(1,1.5),(20,2.5),(30,0.25)]\n"; printed != want {
		t.Errorf("print wrote %q, want %q", printed, want)
	}
}

// TestTupleDecompositions checks the library functions that return
// tuples against the functions of each factor and the factorisations'
// identities.
func TestTupleDecompositions(t *testing.T) {
	src := `
data { matrix[3, 3] A; }
generated quantities {
  tuple(matrix[3, 3], vector[3]) es = eigendecompose_sym(A);
  real es_err = max(abs(es.1 - eigenvectors_sym(A))) + max(abs(es.2 - eigenvalues_sym(A)));
  real es_rec = max(abs(es.1 * diag_matrix(es.2) * es.1' - A));
  tuple(matrix[3, 3], matrix[3, 3]) q = qr_thin(A);
  real q_rec = max(abs(q.1 * q.2 - A));
  tuple(matrix[3, 3], matrix[3, 3]) qf = qr(A);
  real qf_rec = max(abs(qf.1 * qf.2 - A));
  tuple(matrix[3, 3], vector[3], matrix[3, 3]) usv = svd(A);
  real svd_rec = max(abs(usv.1 * diag_matrix(usv.2) * usv.3' - A));
  tuple(complex_matrix[3, 3], complex_vector[3]) eg = eigendecompose(A);
  real eg_rec = max(abs(get_real(eg.1) - get_real(eigenvectors(A)))) + max(abs(get_imag(eg.1) - get_imag(eigenvectors(A))))
    + max(abs(get_real(eg.2) - get_real(eigenvalues(A)))) + max(abs(get_imag(eg.2) - get_imag(eigenvalues(A))));
  tuple(vector[4], array[4] int, array[4] int) csr = csr_extract([[1, 0, 2], [0, 0, 3], [4, 0, 0]]);
}
`
	cols, _, _ := tupleRun(t, src, `{"A": [[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]]}`, nil)
	for _, n := range []string{"es_err", "es_rec", "q_rec", "qf_rec", "svd_rec", "eg_rec"} {
		if !(math.Abs(cols[n]) < 1e-9) {
			t.Errorf("%s = %v, want 0", n, cols[n])
		}
	}
	wantCols(t, cols, map[string]float64{
		"csr:1.1": 1, "csr:1.2": 2, "csr:1.3": 3, "csr:1.4": 4,
		"csr:2.1": 1, "csr:2.2": 3, "csr:2.3": 3, "csr:2.4": 1,
		"csr:3.1": 1, "csr:3.2": 3, "csr:3.3": 4, "csr:3.4": 5,
	})
}

// TestTupleColumns checks CmdStan's column names and order for nested
// arrays of tuples: each leaf holds a code of its own indices, so every
// column's value must match its name.
func TestTupleColumns(t *testing.T) {
	src := `
generated quantities {
  array[2, 3] tuple(array[2] tuple(real, array[2] real), matrix[2, 2]) u;
  for (i in 1:2) for (j in 1:3) {
    for (k in 1:2) {
      u[i, j].1[k].1 = 1000 * i + 100 * j + 10 * k;
      for (l in 1:2) u[i, j].1[k].2[l] = 1000 * i + 100 * j + 10 * k + l;
    }
    for (r in 1:2) for (c in 1:2) u[i, j].2[r, c] = -(1000 * i + 100 * j + 10 * r + c);
  }
}
`
	_, _, m := tupleRun(t, src, `{}`, nil)
	names := stancsv.ColumnNames(m.Names())
	// CmdStan's header for this declaration starts so (its arrays of
	// tuples first index fastest, each tuple whole, matrices column-major).
	want := []string{"u.1.1:1.1:1", "u.1.1:1.1:2.1", "u.1.1:1.1:2.2", "u.1.1:1.2:1", "u.1.1:1.2:2.1", "u.1.1:1.2:2.2",
		"u.1.1:2.1.1", "u.1.1:2.2.1", "u.1.1:2.1.2", "u.1.1:2.2.2", "u.2.1:1.1:1"}
	if len(names) != 6*(6+4) {
		t.Fatalf("%d columns, want 60", len(names))
	}
	for i, w := range want {
		if names[i] != w {
			t.Errorf("column %d is %s, want %s", i, names[i], w)
		}
	}
	if names[59] != "u.2.3:2.2.2" {
		t.Errorf("last column %s, want u.2.3:2.2.2", names[59])
	}
	out := make([]float64, len(names))
	if err := m.Write(nil, nil, out); err != nil {
		t.Fatal(err)
	}
	for k, n := range names {
		// u.i.j:1.k:1, u.i.j:1.k:2.l, u.i.j:2.r.c
		parts := strings.FieldsFunc(strings.TrimPrefix(n, "u."), func(r rune) bool { return r == '.' || r == ':' })
		d := make([]int, len(parts))
		for p, s := range parts {
			d[p], _ = strconv.Atoi(s)
		}
		var w float64
		switch {
		case d[2] == 1 && d[4] == 1:
			w = float64(1000*d[0] + 100*d[1] + 10*d[3])
		case d[2] == 1:
			w = float64(1000*d[0] + 100*d[1] + 10*d[3] + d[5])
		default:
			w = -float64(1000*d[0] + 100*d[1] + 10*d[3] + d[4])
		}
		if out[k] != w {
			t.Errorf("column %s = %v, want %v", n, out[k], w)
		}
	}
}

// TestTupleData reads tuples and arrays of tuples from Stan JSON, and
// names the variable and member of data that do not fit.
func TestTupleData(t *testing.T) {
	src := `
data {
  int N;
  tuple(int, array[N] real) d;
  array[2] tuple(real<lower=0>, tuple(int, vector[N])) e;
}
generated quantities {
  real s = d.1 + sum(d.2) + e[2].1 + e[1].2.1 + e[2].2.2[N];
}
`
	ok := `{"N": 2, "d": {"1": 3, "2": [1.5, 2.5]}, "e": [{"1": 1, "2": {"1": 2, "2": [3, 4]}}, {"1": 5, "2": {"1": 6, "2": [7, 8]}}]}`
	cols, _, _ := tupleRun(t, src, ok, nil)
	wantCols(t, cols, map[string]float64{"s": 3 + 4 + 5 + 2 + 8})
	p, err := Source("tuples.stan", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ data, want string }{
		{`{"N": 2, "e": []}`, `variable "d" not found in the data`},
		{`{"N": 2, "d": {"1": 3}, "e": []}`, `data variable "d" has no member 2`},
		{`{"N": 2, "d": 3, "e": []}`, `data variable "d" is a tuple: give it as a JSON object`},
		{`{"N": 2, "d": {"1": 3, "2": [1.5]}, "e": []}`, `data variable "d:2" has size [1], but is declared with size [2]`},
		{`{"N": 2, "d": {"1": 3.5, "2": [1, 2]}, "e": []}`, `data variable "d:1" has real values, but is declared int`},
		{`{"N": 2, "d": {"1": 3, "2": [1, 2]}, "e": [{"1": -1, "2": {"1": 2, "2": [3, 4]}}, {"1": 5, "2": {"1": 6, "2": [7, 8]}}]}`, `data variable "e:1[1]" is -1, but must be >= 0`},
		{`{"N": 2, "d": {"1": 3, "2": [1, 2]}, "e": [{"1": 1, "2": {"1": 2, "2": [3, 4]}}]}`, `data variable "e:1" has size [1], but is declared with size [2]`},
	} {
		d, err := model.ReadData(strings.NewReader(c.data))
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.NewModel(d, 1)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.data, err, c.want)
		}
	}
}

// TestTupleParameters checks a tuple parameter's constrained members:
// the log density with their Jacobians against the closed form, its
// gradient against finite differences, and the columns, initial values
// and draws read back.
func TestTupleParameters(t *testing.T) {
	src := `
data { vector[2] lb; }
parameters {
  tuple(real<lower=0>, vector<lower=0>[2]) p;
  array[2] tuple(vector<lower=lb>[2], simplex[3]) q;
}
model {
  p.1 ~ exponential(1);
  p.2 ~ exponential(2);
  for (k in 1:2) {
    q[k].1 ~ normal(0, 1);
    q[k].2 ~ dirichlet([2, 3, 4]');
  }
}
generated quantities { real total = p.1 + sum(p.2); }
`
	cols, _, m := tupleRun(t, src, `{"lb": [-1, 0.5]}`, make([]float64, 11))
	if m.Dim() != 1+2+2*(2+2) {
		t.Fatalf("dimension %d, want 11", m.Dim())
	}
	names := strings.Join(stancsv.ColumnNames(m.Names()), ",")
	if want := "p:1,p:2.1,p:2.2,q.1:1.1,q.1:1.2,q.1:2.1,q.1:2.2,q.1:2.3,q.2:1.1,q.2:1.2,q.2:2.1,q.2:2.2,q.2:2.3,total"; names != want {
		t.Errorf("columns %s, want %s", names, want)
	}
	wantCols(t, cols, map[string]float64{"q.1:1.1": -1 + 1, "q.2:1.2": 0.5 + 1, "q.1:2.1": 1.0 / 3, "total": 3})
	x := []float64{0.3, -0.2, 0.4, 0.1, -0.5, 0.2, -0.1, 0.7, 0.3, -0.4, 0.25}
	// Stan's unconstrained layout: p's members, then q element by
	// element, each element's members in turn.
	unc := strings.Join(m.UnconstrainedNames(), ",")
	if want := "p:1,p:2.1,p:2.2,q.1:1.1,q.1:1.2,q.1:2.1,q.1:2.2,q.2:1.1,q.2:1.2,q.2:2.1,q.2:2.2"; unc != want {
		t.Errorf("unconstrained names %s, want %s", unc, want)
	}
	// p: exponential densities of exp(y) with the log Jacobian y (the
	// constants dropped), and the rest checked by finite differences.
	m2 := buildSource(t, strings.Replace(src, "q[k].1 ~ normal(0, 1);\n    q[k].2 ~ dirichlet([2, 3, 4]');", "", 1), model.Data{"lb": {Dims: []int{2}, Elems: []float64{-1, 0.5}}})
	checkModelAt(t, "p only", m2, x, func(x []float64) float64 {
		return -math.Exp(x[0]) + x[0] - 2*math.Exp(x[1]) + x[1] - 2*math.Exp(x[2]) + x[2] + (x[3] + x[4] + x[7] + x[8]) +
			sbJacobian(x[5:7]) + sbJacobian(x[9:11])
	})
	checkModelAt(t, "all", m, x, nil)
	// Draws read back: the columns to data, to the unconstrained point.
	out := make([]float64, len(m.Names()))
	if err := m.Write(x, nil, out); err != nil {
		t.Fatal(err)
	}
	d, err := m.ParamData(out[:len(m.ParamNames())])
	if err != nil {
		t.Fatal(err)
	}
	z, err := m.UnconstrainValues(d)
	if err != nil {
		t.Fatal(err)
	}
	for i := range x {
		if math.Abs(z[i]-x[i]) > 1e-9 {
			t.Errorf("unconstrained %d: %v, want %v", i, z[i], x[i])
		}
	}
	// Initial values as CmdStan's JSON gives them.
	init, err := model.ReadData(strings.NewReader(`{"p": {"1": 2, "2": [0.5, 3]}}`))
	if err != nil {
		t.Fatal(err)
	}
	z, err = m.Unconstrain(init, rand.New(rand.NewPCG(3, 4)), 2)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(z[0]-math.Log(2)) > 1e-12 || math.Abs(z[1]-math.Log(0.5)) > 1e-12 || math.Abs(z[2]-math.Log(3)) > 1e-12 {
		t.Errorf("initial values unconstrained to %v", z[:3])
	}
	bad, _ := model.ReadData(strings.NewReader(`{"p": {"1": -2, "2": [0.5, 3]}}`))
	if _, err := m.Unconstrain(bad, rand.New(rand.NewPCG(3, 4)), 2); err == nil || !strings.Contains(err.Error(), `p:1`) {
		t.Errorf("an initial value out of its support: %v", err)
	}
}

// sbJacobian is the log Jacobian of Stan's stick-breaking simplex
// transform of y (Stan Reference Manual, "Unit simplex").
func sbJacobian(y []float64) float64 {
	k := len(y) + 1
	rest, lj := 1.0, 0.0
	for i, yi := range y {
		z := 1 / (1 + math.Exp(-(yi - math.Log(float64(k-i-1)))))
		lj += math.Log(z) + math.Log1p(-z) + math.Log(rest)
		rest *= 1 - z
	}
	return lj
}

// TestTupleNUTS samples a tiny model whose parameters are a tuple: the
// posterior means must be the exponential's and the normal's.
func TestTupleNUTS(t *testing.T) {
	src := `
parameters { tuple(real<lower=0>, vector[2]) p; }
model { p.1 ~ exponential(2); p.2 ~ normal([1, -1]', 0.5); }
generated quantities { tuple(real, real) s = (p.1, sum(p.2)); }
`
	m := buildSource(t, src, nil)
	cfg := nuts.DefaultConfig()
	cfg.Seed = 7
	ch, err := nuts.Sample(m, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	names := stancsv.ColumnNames(m.Names())
	mean := map[string]float64{}
	for _, d := range ch.Draws {
		for i, n := range names {
			mean[n] += d[i] / float64(len(ch.Draws))
		}
	}
	// Exponential(2) has mean 1/2 and sd 1/2; 1000 draws of ESS a few
	// hundred give a Monte Carlo error near 0.03.
	for n, w := range map[string]float64{"p:1": 0.5, "p:2.1": 1, "p:2.2": -1, "s:1": 0.5, "s:2": 0} {
		if math.Abs(mean[n]-w) > 0.12 {
			t.Errorf("posterior mean of %s = %v, want %v", n, mean[n], w)
		}
	}
}

// TestTupleSizeMismatch: assigning a tuple of other sizes fails at run
// time, naming the sizes.
func TestTupleSizeMismatch(t *testing.T) {
	p, err := Source("tuples.stan", []byte(`generated quantities { tuple(real, vector[2]) t = (1, [1, 2, 3]'); }`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.NewModel(nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	err = m.Write(nil, nil, make([]float64, 3))
	if err == nil || !strings.Contains(err.Error(), "size mismatch in assignment: the variable has size [2], the value [3]") {
		t.Errorf("error %v", err)
	}
}

// TestTupleUnconstrainedLayout: nested tuples and arrays of tuples are
// laid out as stanc3 reads them, element by element and member by
// member, and named as its unconstrained_param_names names them; each
// unconstrained value lands in the output column of the same name.
func TestTupleUnconstrainedLayout(t *testing.T) {
	src := `
parameters {
  array[2] tuple(real, array[2] tuple(real, vector[2])) a;
  array[2, 2] tuple(real, complex) b;
  tuple(matrix[2, 2], real<lower=0>) c;
}
model { }
`
	m := buildSource(t, src, nil)
	names := m.UnconstrainedNames()
	want := []string{
		"a.1:1", "a.1:2.1:1", "a.1:2.1:2.1", "a.1:2.1:2.2", "a.1:2.2:1", "a.1:2.2:2.1", "a.1:2.2:2.2",
		"a.2:1", "a.2:2.1:1", "a.2:2.1:2.1", "a.2:2.1:2.2", "a.2:2.2:1", "a.2:2.2:2.1", "a.2:2.2:2.2",
		"b.1.1:1", "b.1.1:2.real", "b.1.1:2.imag", "b.1.2:1", "b.1.2:2.real", "b.1.2:2.imag",
		"b.2.1:1", "b.2.1:2.real", "b.2.1:2.imag", "b.2.2:1", "b.2.2:2.real", "b.2.2:2.imag",
		"c:1.1.1", "c:1.2.1", "c:1.1.2", "c:1.2.2", "c:2",
	}
	if strings.Join(names, ",") != strings.Join(want, ",") || m.Dim() != len(want) {
		t.Fatalf("unconstrained names (%d)\n%s\nwant\n%s", m.Dim(), strings.Join(names, ","), strings.Join(want, ","))
	}
	theta := make([]float64, m.Dim())
	for i := range theta {
		theta[i] = float64(i+1) / 8
	}
	out := make([]float64, len(m.Names()))
	if err := m.Write(theta, nil, out); err != nil {
		t.Fatal(err)
	}
	cols := map[string]float64{}
	for i, n := range stancsv.ColumnNames(m.Names()) {
		cols[n] = out[i]
	}
	for i, n := range names {
		w := theta[i]
		if n == "c:2" {
			w = math.Exp(w)
		}
		if got, ok := cols[n]; !ok || got != w {
			t.Errorf("column %s = %v (present %v), want %v", n, got, ok, w)
		}
	}
	// And back: the columns unconstrain to the same point.
	d, err := m.ParamData(out[:len(m.ParamNames())])
	if err != nil {
		t.Fatal(err)
	}
	// Through CmdStan's JSON: an array of tuples is an array of objects.
	var buf bytes.Buffer
	if err := d.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var js map[string]any
	if err := json.Unmarshal(buf.Bytes(), &js); err != nil {
		t.Fatal(err)
	}
	a, _ := js["a"].([]any)
	if len(a) != 2 {
		t.Fatalf("a written as %v", js["a"])
	}
	a2, _ := a[1].(map[string]any)["2"].([]any)
	if len(a2) != 2 || fmt.Sprint(a2[0].(map[string]any)["2"]) != fmt.Sprint([]any{theta[9], theta[10]}) {
		t.Errorf("a[2].2 written as %v", a[1])
	}
	if b, _ := js["b"].([]any); len(b) != 2 || len(b[0].([]any)) != 2 {
		t.Errorf("b written as %v", js["b"])
	}
	back, err := model.ReadData(&buf)
	if err != nil {
		t.Fatal(err)
	}
	z, err := m.UnconstrainValues(back)
	if err != nil {
		t.Fatal(err)
	}
	for i := range z {
		if math.Abs(z[i]-theta[i]) > 1e-12 {
			t.Errorf("%s unconstrained to %v, want %v", names[i], z[i], theta[i])
		}
	}
}

// TestTupleArrayFunctions: rep_array, append_array, size and dims of
// arrays of tuples, and assignments to several elements at once, with
// values by hand and the gradient of a density through them by finite
// differences.
func TestTupleArrayFunctions(t *testing.T) {
	src := `
parameters { real x; vector[2] v; }
transformed parameters {
  array[3] tuple(real, vector[2]) a = rep_array((x, v), 3);
  array[4] tuple(real, vector[2]) b = append_array(a[2:3], {(2 * x, v * 3), (1.5, [1, 2]')});
  a[2:3] = {(x * x, v + 1), (-x, 2 * v)};
  a[{3, 1}] = a[1:2];
}
model {
  array[2, 2] tuple(int, real) r2 = rep_array((4, x), 2, 2);
  array[2, 2] tuple(int, real) r3 = r2;
  r3[1, :] = {(5, 2.5), (6, 3.5)};
  for (k in 1:3) target += -0.5 * square(a[k].1) - 0.25 * dot_self(a[k].2);
  for (k in 1:4) target += -0.125 * b[k].1 * sum(b[k].2);
  target += r2[2, 1].2 * size(b) + r3[1, 2].2 + sum(dims(r3));
}
generated quantities {
  array[2, 2] tuple(int, real) r2 = rep_array((4, x), 2, 2);
  array[2, 2] tuple(int, real) r3 = r2;
  r3[1, :] = {(5, 2.5), (6, 3.5)};
  int n = size(a);
  array[2] int d = dims(r2);
}
`
	m := buildSource(t, src, nil)
	x := []float64{0.7, -0.3, 1.2}
	want := func(p []float64) float64 {
		x, v1, v2 := p[0], p[1], p[2]
		type el struct{ s, a, b float64 }
		// a after its assignments: a = [(x,v)]*3; a[2:3] = (x², v+1), (-x, 2v);
		// a[{3,1}] = a[1:2] gives a[3] = (x, v), a[1] = (x², v+1).
		a := []el{{x * x, v1 + 1, v2 + 1}, {x * x, v1 + 1, v2 + 1}, {x, v1, v2}}
		b := []el{{x, v1, v2}, {x, v1, v2}, {2 * x, 3 * v1, 3 * v2}, {1.5, 1, 2}}
		lp := 0.0
		for _, e := range a {
			lp += -0.5*e.s*e.s - 0.25*(e.a*e.a+e.b*e.b)
		}
		for _, e := range b {
			lp += -0.125 * e.s * (e.a + e.b)
		}
		return lp + x*4 + 3.5 + 4
	}
	checkModelAt(t, "tuple array functions", m, x, want)
	out := make([]float64, len(m.Names()))
	if err := m.Write(x, nil, out); err != nil {
		t.Fatal(err)
	}
	cols := map[string]float64{}
	for i, n := range stancsv.ColumnNames(m.Names()) {
		cols[n] = out[i]
	}
	wantCols(t, cols, map[string]float64{"n": 3, "d.1": 2, "d.2": 2, "a.3:1": 0.7, "a.1:2.2": 2.2, "b.3:2.1": -0.9,
		"r2.2.2:1": 4, "r3.1.1:1": 5, "r3.1.2:2": 3.5, "r3.2.1:2": 0.7})
}

// TestTupleArrayErrors: the run-time size checks of the array functions
// and assignments of tuples.
func TestTupleArrayErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`generated quantities { array[2] tuple(int, vector[2]) a = rep_array((1, [1, 2]'), 2);
		  array[1] tuple(int, vector[3]) b = {(1, [1, 2, 3]')}; array[3] tuple(int, vector[2]) c = append_array(a, b); }`,
			"append_array: the elements of the first array (size [2]) and of the second (size [3]) must have the same sizes"},
		{`generated quantities { array[3] tuple(int, real) a = rep_array((1, 2.5), 3); a[1:2] = rep_array((2, 1.5), 3); }`,
			"size mismatch in assignment: the indexed variable has size [2], the value [3]"},
		{`generated quantities { array[2] tuple(int, vector[2]) a = rep_array((1, [1, 2]'), 2); a[1:2] = rep_array((2, [1, 2, 3]'), 2); }`,
			"size mismatch in assignment: the variable has size [2], the value [3]"},
	} {
		p, err := Source("tuples.stan", []byte(c.src))
		if err != nil {
			t.Fatalf("%v\n%s", err, c.src)
		}
		m, err := p.NewModel(nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		err = m.Write(nil, nil, make([]float64, len(m.Names())))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}
