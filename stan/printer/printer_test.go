package printer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gostan/gostan/stan/internal/asttest"
	"github.com/gostan/gostan/stan/parser"
	"github.com/gostan/gostan/stan/token"
)

// roundTrip parses src, prints it, parses the print and compares.
func roundTrip(t *testing.T, name string, src []byte) {
	t.Helper()
	a, err := parser.ParseFile(token.NewFileSet(), name, src, nil)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	out := String(a)
	b, err := parser.ParseFile(token.NewFileSet(), name+" (printed)", []byte(out), nil)
	if err != nil {
		t.Errorf("%s: printed program does not parse: %v\n%s", name, err, out)
		return
	}
	if again := String(b); again != out {
		t.Errorf("%s: printing is not stable:\n%s\nthen\n%s", name, out, again)
	}
	if !asttest.Equal(a, b) {
		t.Errorf("%s: the printed program parses to a different tree:\n%s", name, out)
	}
}

func TestRoundTripSamples(t *testing.T) {
	for name, src := range map[string]string{
		"legacy": `
data { int<lower=0> N; real y[N]; vector<lower=0>[N] s[2]; matrix[N, 2] X; }
parameters { real mu; real<lower=0> tau; cholesky_factor_cov[4, 3] L; }
model {
  real acc;
  acc <- 0;
  for (n in 1:N) acc <- acc + y[n] ^ -2;
  increment_log_prob(-0.5 * acc);
  y ~ normal(mu, tau) T[0, ];
  mu ~ normal(0, 10) T[, 5];
  tau ~ cauchy(0, 5);
}`,
		"modern": `
functions {
  real f(data array[,] real x, vector v);
  real f(data array[,] real x, vector v) { return x[1, 1] + v[1]; }
  void g_lp(real x) { target += x; }
  real h_lpdf(real y, real mu) { return normal_lpdf(y | mu, 1); }
}
data { array[3] int<lower=0, upper=10> n; }
transformed data { array[2, 3] real z = {{1, 2, 3}, {4, 5, 6.5e-3}}; row_vector[2] r = [1, 2]; matrix[2, 2] m = [[1, 2], [3, 4]]; }
parameters { vector<offset=1, multiplier=2>[3] b; simplex[3] s; sum_to_zero_vector[3] z0; sum_to_zero_matrix[2, 3] z1; column_stochastic_matrix[3, 2] cs; row_stochastic_matrix[2, 3] rs; }
transformed parameters { real t = b[1] > 0 ? b[1] : -b[1]; jacobian += log(t); }
model {
  b[2:3] ~ std_normal();
  target += h_lpdf(t | 0) + f(z, b) + b' * b + -b[1]^2 + (b[2] + 1)^2;
  while (0) { break; }
  for (x in n) { if (x == 1) continue; else if (x > 2) print("x ", x); else reject("bad ", x); }
  profile("p") { target += sum(b[:]) + sum(m[1, :]) + sum(m[:, 1]) + m[1:, 2] * 2; }
}
guide parameters { real m_b; real<lower=0> s_b; }
guide { b ~ normal(m_b, s_b); }
generated quantities { int k = n[1] %/% 2; real w = 3.5i == 0 ? 1 : 0; }
`,
		"tuples": `
functions {
  tuple(real, array[] int) f(data tuple(real, tuple(int, vector)) x) { return (x.1, {x.2.1}); }
}
data { int N; array[N] tuple(int<lower=0>, tuple(real, vector[N])) d; }
parameters { tuple(real<lower=0>, array[2] simplex[N]) p; }
model {
  real a;
  int b;
  (a, b) = (p.1, d[1].1);
  ((a, b), a) = ((1.5, 2), d[1].2.1);
  p.1 ~ exponential(1);
}
generated quantities { tuple(matrix[N, N], vector[N]) e = eigendecompose_sym(diag_matrix(d[1].2.2)); }
`,
		"multiple declarations": `
data { int N, K; array[N] vector<lower=0>[K] y, z; }
transformed data { real a = 1, b, c = a + 1; }
parameters { real<lower=0> s, t; tuple(real, int) u; }
model { vector[N] m = rep_vector(0, N), n; n = m; s ~ exponential(1); }
`,
	} {
		roundTrip(t, name, []byte(src))
	}
}

// TestMultipleDeclarationsPrinted: a statement declaring several
// variables prints as one statement.
func TestMultipleDeclarationsPrinted(t *testing.T) {
	src := "parameters { real<lower=0> s, t; }\nmodel { real a = 1, b; int c; real d; }\n"
	prog, err := parser.ParseFile(token.NewFileSet(), "m.stan", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "parameters {\n  real<lower=0> s, t;\n}\n\nmodel {\n  real a = 1, b;\n  int c;\n  real d;\n}\n"
	if got := String(prog); got != want {
		t.Errorf("printed\n%s\nwant\n%s", got, want)
	}
}

// TestRoundTripPosteriorDB round-trips every model of the PosteriorDB tree
// named by $GOSTAN_POSTERIORDB, in both syntaxes, or the fixtures without it.
func TestRoundTripPosteriorDB(t *testing.T) {
	root := os.Getenv("GOSTAN_POSTERIORDB")
	dirs := []string{filepath.Join("..", "..", "testdata", "posteriordb", "models", "stan")}
	if root != "" {
		dirs = []string{filepath.Join(root, "models", "stan"), filepath.Join(root, "models", "stan_legacy")}
	} else {
		t.Log("GOSTAN_POSTERIORDB is not set: round-tripping only the fixtures in testdata")
	}
	n := 0
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.stan"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no models in %s", dir)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, f, src)
			n++
		}
	}
	t.Logf("%d models round-tripped", n)
}

// TestRoundTripGoodCorpus round-trips the compiler's corpus of valid
// programs, which holds the newer syntax: f(y |), x[], m[, 1], tuples.
func TestRoundTripGoodCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "stan", "good", "*.stan"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, f, src)
	}
}
