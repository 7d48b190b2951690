package info_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/info"
	"github.com/gostan/gostan/stan/parser"
	"github.com/gostan/gostan/stan/token"
)

const program = `
functions {
  #include lib.stanfunctions
  real my_lpdf(real y, real mu) { return normal_lpdf(y | mu, 1); }
}
data {
  int<lower=0> N;
  array[N] int<lower=0, upper=1> y;
  matrix[N, 2] X;
  real x[3];
  tuple(real, array[2] int) t;
}
parameters {
  real<offset=1, multiplier=2 * N> alpha;
  simplex[3] theta;
  array[2] cholesky_factor_corr[2] L;
  tuple(real<lower=0>, vector[2]) tp;
}
transformed parameters { complex_vector[2] z = to_complex([1, 2]', [3, 4]'); }
model {
  y ~ bernoulli_logit(alpha + X[:, 1]);
  alpha ~ my(twice(0));
  target += std_normal_lpdf(alpha);
  target += normal_lcdf(alpha | 0, 1);
  theta ~ dirichlet(rep_vector(1, 3));
  print(alpha);
}
generated quantities { real r = normal_rng(0, 1); }
`

// TestJSON: stanc3's --info of a program with every kind of declaration:
// the blocks' variables in order with base type, dimensions (arrays plus
// one for a vector, two for a matrix) and constraint, tuples member by
// member; the library calls sorted, a bar or a one-argument density
// making a distribution, a ~ statement's density as _lupdf/_lupmf, user
// functions left out; the included file.
func TestJSON(t *testing.T) {
	fset := token.NewFileSet()
	lib := func(string) (string, []byte, error) {
		return "lib.stanfunctions", []byte("real twice(real x) { return 2 * x; }\n"), nil
	}
	prog, err := parser.ParseFile(fset, "m.stan", []byte(program), lib)
	if err != nil {
		t.Fatal(err)
	}
	chk, err := check.Check(fset, prog)
	if err != nil {
		t.Fatal(err)
	}
	got, err := info.JSON(fset, prog, chk)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
"inputs": {
  "N": {"type": "int", "dimensions": 0, "constraint": {"lower": "0"}},
  "y": {"type": "int", "dimensions": 1, "constraint": {"lower": "0", "upper": "1"}},
  "X": {"type": "real", "dimensions": 2, "constraint": "none"},
  "x": {"type": "real", "dimensions": 1, "constraint": "none"},
  "t": {"type": [{"type": "real", "dimensions": 0}, {"type": "int", "dimensions": 1}], "dimensions": 0,
        "constraint": [{"constraint": "none"}, {"constraint": "none"}]}},
"parameters": {
  "alpha": {"type": "real", "dimensions": 0, "constraint": {"offset": "1", "multiplier": "2 * N"}},
  "theta": {"type": "real", "dimensions": 1, "constraint": "simplex"},
  "L": {"type": "real", "dimensions": 3, "constraint": "cholesky_corr"},
  "tp": {"type": [{"type": "real", "dimensions": 0}, {"type": "real", "dimensions": 1}], "dimensions": 0,
         "constraint": [{"constraint": {"lower": "0"}}, {"constraint": "none"}]}},
"transformed parameters": {"z": {"type": "complex", "dimensions": 1, "constraint": "none"}},
"generated quantities": {"r": {"type": "real", "dimensions": 0, "constraint": "none"}},
"functions": ["normal_rng", "print", "rep_vector", "to_complex"],
"distributions": ["bernoulli_logit_lupmf", "dirichlet_lupdf", "normal_lcdf", "normal_lpdf", "std_normal_lpdf"],
"included_files": ["lib.stanfunctions"]
}`
	var g, w bytes.Buffer
	if err := json.Compact(&g, got); err != nil {
		t.Fatal(err)
	}
	if err := json.Compact(&w, []byte(want)); err != nil {
		t.Fatal(err)
	}
	if g.String() != w.String() {
		t.Errorf("got\n%s\nwant\n%s", g.String(), w.String())
	}
}
