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

// bothModels is compileBoth's two programs' models of data.
func bothModels(t *testing.T, name string, src []byte, data model.Data) (fast, old *Model) {
	t.Helper()
	pf, po := compileBoth(t, name, src)
	fast, err := pf.NewModel(data, 1)
	if err != nil {
		t.Fatal(err)
	}
	if old, err = po.NewModel(data, 1); err != nil {
		t.Fatal(err)
	}
	return fast, old
}

// compileBoth compiles a program with double-precision generated
// quantities and with the general path only.
func compileBoth(t *testing.T, name string, src []byte) (fast, old *Program) {
	t.Helper()
	fast, err := Source(name, src)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	old, err = sourceWith(name, src, allOptimizations&^optDoubleGQ)
	if err != nil {
		t.Fatal(err)
	}
	return fast, old
}

// sameWrites runs Write on both models at points and wants the same
// outputs to the bit (NaN as NaN) and the same error, with the rngs
// seeded alike.
func sameWrites(t *testing.T, name string, fast, old *Model, points [][]float64) {
	t.Helper()
	if len(fast.Names()) != len(old.Names()) {
		t.Fatalf("%s: %d outputs, the general path %d", name, len(fast.Names()), len(old.Names()))
	}
	for k, x := range points {
		a, b := make([]float64, len(fast.Names())), make([]float64, len(old.Names()))
		ea := fast.Write(x, rand.New(rand.NewPCG(uint64(k), 7)), a)
		eb := old.Write(x, rand.New(rand.NewPCG(uint64(k), 7)), b)
		if (ea == nil) != (eb == nil) || ea != nil && ea.Error() != eb.Error() {
			t.Errorf("%s point %d: error %v, the general path's %v", name, k, ea, eb)
			continue
		}
		if k := intsAliased(fast); k >= 0 {
			t.Errorf("%s point %d: global %d, an int scalar, left env.ints", name, k, k)
		}
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
				t.Errorf("%s point %d: %s = %v, the general path's %v", name, k, fast.Names()[i], a[i], b[i])
				break
			}
		}
	}
}

// intsAliased reports the first global slot of m that is an int scalar
// whose storage is not its env.ints entry (env.ints), or -1.
func intsAliased(m *Model) int {
	e := m.e
	for k := range e.globals {
		v := &e.globals[k]
		if len(v.Dims) == 0 && len(v.I) == 1 && v.R == nil && v.T == nil && &v.I[0] != &e.ints[k] {
			return k
		}
	}
	return -1
}

// TestIntsAliased evaluates the log density, its gradient and Write of
// every PosteriorDB posterior and corpus program, and wants each int
// scalar's storage to be its env.ints entry still, which the loops,
// indices and double-precision statements read in its place.
func TestIntsAliased(t *testing.T) {
	type prog struct {
		name string
		src  []byte
		data model.Data
	}
	var progs []prog
	db, _ := anyPosteriorDB(t)
	names, err := db.Posteriors()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		p, err := db.Posterior(name)
		if err != nil || !db.HasData(p.DataName) {
			continue
		}
		src, err := os.ReadFile(db.ModelPath(p.ModelName))
		if err != nil {
			t.Fatal(err)
		}
		data, err := db.Data(p.DataName)
		if err != nil {
			t.Fatal(err)
		}
		progs = append(progs, prog{name, src, data})
	}
	for _, c := range goodCorpus(t) {
		progs = append(progs, prog{filepath.Base(c.path), c.src, c.data})
	}
	checked := 0
	for _, pr := range progs {
		p, err := Source(pr.name, pr.src)
		if err != nil {
			continue
		}
		m, err := p.NewModel(pr.data, 1)
		if err != nil {
			continue
		}
		for k, x := range randomPoints(4, 3, m.Dim(), 1) {
			m.LogDensity(x, make([]float64, len(x)))
			m.Write(x, rand.New(rand.NewPCG(uint64(k), 7)), make([]float64, len(m.Names())))
		}
		if k := intsAliased(m); k >= 0 {
			t.Errorf("%s: global %d, an int scalar, left env.ints", pr.name, k)
		}
		checked++
	}
	if checked < 5 {
		t.Errorf("%d programs checked, want at least 5", checked)
	}
	t.Logf("%d programs checked", checked)
}

// randomPoints are n points of dimension d in (-r, r).
func randomPoints(seed uint64, n, d int, r float64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([][]float64, n)
	for k := range out {
		out[k] = make([]float64, d)
		for i := range out[k] {
			out[k][i] = (2*rng.Float64() - 1) * r
		}
	}
	return out
}

// doubleCases are generated quantities that exercise every construct the
// double-precision path compiles, and some it leaves to the general path,
// over the data of gqData(20). Each runs at points where some of them
// fail (an index out of range, a density's argument out of its support).
var doubleCases = []struct{ name, gq string }{
	{"arithmetic", `real a = mu * 2 - beta / 3 + -sigma; real b = a; int n = N %/% 3 + N % 7 - 2 * N; int m = -n;
	  b += 1; b -= x[2]; b *= 1.5; b /= sigma; n += 2; n *= 3; n -= m; real c = n; c = (c + 1) / 2;`},
	{"declared then assigned", `real q; q = mu * 2; int n; n = N + 1; real r; r += 1; real w; w = w * 2; real p; p = n; int m; m *= 2;
	  real s = 0; for (k in 1:N) { real lp; lp = s + x[k] * (k > 3 ? beta : mu); s = lp; }
	  for (k in 1:3) { int j; j = k * N; s += j; }`},
	{"conditions", `real a = 0; int n = 0;
	  if (mu > 0 && beta < 1 || sigma >= 2) a = 1; else if (!(mu == beta) || sigma <= 0.1) a = 2; else { a = 3; n = 1; }
	  if (N != 20) n = 5;
	  a += mu > beta ? mu : beta; n += N > 3 ? 1 : 2; real d = (mu > 0) + (N < 4);`},
	{"elements", `array[N] real r; vector[N] v; row_vector[3] w; matrix[3, 4] M; array[2, 3] int I; array[2] vector[3] av; array[2, 2, 2] real a3;
	  for (n in 1:N) { r[n] = x[n] * beta; v[n] = r[n] + y[n]; }
	  for (i in 1:3) { w[i] = i; for (j in 1:4) M[i, j] = i * 10 + j + mu; }
	  for (i in 1:2) for (j in 1:3) { I[i, j] = i * j; av[i, j] = M[j, i + 1] + I[i, j]; }
	  for (i in 1:2) for (j in 1:2) for (k in 1:2) a3[i, j, k] = i + 2 * j + 4 * k;
	  real s = 0; for (n in 2:(N - 1)) s += r[n - 1] * v[n + 1] - r[N - n + 1];
	  s += M[2, 3] + w[2] + av[2][3] + a3[2, 1, 2] + I[2, 3]; I[1, 2] += 4; M[1, 1] *= 2; v[N] -= s;`},
	{"indices out of range", `array[3] real r = {1.0, 2.0, 3.0}; real s = 0;
	  for (i in 1:3) s += r[i + (mu > 0.5 ? 1 : 0)];`},
	{"element store out of range", `array[3] real r; for (i in 1:(beta > 0.5 ? 4 : 3)) r[i] = i;`},
	{"two indices out of range", `matrix[3, 4] M = rep_matrix(1, 3, 4); array[3, 4] real A; array[3, 4] int I; real s = 0;
	  int a = mu > 0.5 ? 1 : 0; int b = beta > 0.5 ? 1 : 0; int c = sigma > 0.5 ? 1 : 0;
	  for (i in 1:3) for (j in 1:4) { A[i, j] = i + j; I[i, j] = i * j; }
	  for (i in 1:(3 + a)) for (j in 1:(4 - c)) { s += A[i, j + c]; s += I[i, j] * M[i, j]; }
	  for (i in 1:(3 + b)) for (j in 1:4) { M[i, j] = s; I[i, j] = j; }
	  for (i in 1:(3 + c)) for (j in 1:(3 + a)) { A[j, i] = s; s += M[j, i]; }`},
	{"int division by zero", `int n = N %/% (mu > 0.5 ? 0 : 2);`},
	// Ints are 64-bit in both paths: past 2^31 they go on, past 2^63 they
	// wrap, alike.
	{"int overflow", `int big = 2147483647; int o = big * big * N; int p = o + big * big * big; int q = (-2147483647 - 1) %/% -1;
	  int r = -7 % 3 + 7 % -3 + (-7) %/% 2; int i = 0; for (k in 1:N) i += k * big; int j = i * i; real rj = j;`},
	{"real division by zero", `real a = N / (mu > 0 ? 0 : 2); real b = 1.0 / 0; real c = 0.0 / 0; int d = 3 / 2; int m = N % (beta > 0 ? 0 : 3);`},
	{"nested and affine indices out of range", `array[N] int idx; for (n in 1:N) idx[n] = N - n + 1; real s = 0;
	  for (n in 1:N) s += x[idx[n] + (mu > 1 ? 1 : 0)];
	  s += x[idx[idx[1]] + 1 - (beta > 0 ? 2 : 0)] + x[idx[N - (sigma > 1.5 ? 0 : 1)] - 1];
	  array[2, 3] int I = {{1, 2, 3}, {3, 2, 1}}; matrix[3, 3] M = rep_matrix(1, 3, 3);
	  for (i in 1:2) for (j in 1:3) s += M[I[i, j] + (mu > 1.5 ? 1 : 0), j] + y[i * 7 + j - (beta > -1.5 ? 0 : 20)];`},
	{"NaN comparisons", `real z = mu > 0 ? not_a_number() : positive_infinity(); int c1 = z < 1; int c2 = z == z; int c3 = z != z;
	  int c4 = z >= mu; int c5 = (z > 0) || (z <= 0); int c6 = (mu > 0) && (z == positive_infinity()); int c7 = N > z;
	  real w = 0; if (z) w = 1; while (z > 0 && w < 3) w += 1; real v = z > 0 ? 1 : 2; real m = fmax(z, 1) + fmin(z, 1);`},
	{"functions", `real a = log(sigma) + exp(mu) + sqrt(sigma) + log1p(sigma) + inv_logit(beta) + lgamma(sigma + 1) + fabs(mu) + square(beta);
	  real b = fmax(mu, beta) + hypot(mu, beta) + log_diff_exp(2, sigma - 5) + lchoose(5, 2) + pow(sigma, 2) + sigma ^ 2 + pow(sigma, 0.5);
	  real c = pi() + e() + not_a_number() + negative_infinity() + machine_precision() + log(N) + exp(1);`},
	{"densities", `real a = normal_lpdf(y[1] | mu, sigma) + exponential_lpdf(sigma | 2) + student_t_lpdf(y[2] | 3, mu, sigma)
	  + gamma_lpdf(sigma | 2, 3) + cauchy_lpdf(mu | 0, 1) + normal_lpdf(0 | 0, 1) + exponential_lpdf(1 | sigma) + lognormal_lpdf(sigma | mu, 1);
	  real b = normal_lpdf(y[1] | mu, beta); real c = exponential_lpdf(mu | sigma);`},
	{"log_lik", `vector[N] log_lik; for (n in 1:N) log_lik[n] = normal_lpdf(y[n] | mu + x[n] * beta, sigma);`},
	{"rngs", `array[N] real y_rep; for (n in 1:N) y_rep[n] = normal_rng(mu + x[n] * beta, sigma);
	  real a = exponential_rng(sigma) + gamma_rng(2, sigma) + student_t_rng(3, mu, sigma) + uniform_rng(0, 1) + poisson_rng(sigma);
	  real b = normal_rng(mu, beta);`},
	{"hoisted calls", `matrix[N, 3] L; real best = negative_infinity(); int arg = 0;
	  for (n in 1:N) for (k in 1:3) { L[n, k] = 0; for (j in 1:3) {
	    real lp = L[n, k] + log(k + j + sigma) + normal_lpdf(y[n] | k * mu, sigma) + exponential_lpdf(sigma | k);
	    if (lp > best) { best = lp; arg = n * 10 + k; } L[n, k] += lp; } }`},
	{"running best", `array[N] real b; vector[N] m = rep_vector(0, N); matrix[3, 3] Q; real best = negative_infinity(); real lo = positive_infinity();
	  int at = 0; array[3] int idx = {3, 1, 2}; real z = 0; int u = sigma > 1 ? 2 : 0;
	  for (i in 1:3) for (j in 1:3) Q[i, j] = mu * i - j;
	  for (n in 1:N) {
	    z = x[n] * beta + (n == 7 && mu > 1 ? not_a_number() : 0);
	    if (z > best) { at = n; best = z; }
	    if (lo >= z) lo = z;
	    if (m[n] < z) { m[n] = z; at += 1; }
	    if (z <= b[n] || n % 3 == 0) b[n] = z;
	    if (z <= b[n]) { if (at > 3 * N) break; b[n] = z; at += 2; }
	    for (k in 1:3) if (z > Q[idx[k], k]) { Q[idx[k], k] = z; }
	    for (k in 1:3) if (z > Q[k, 1]) { Q[k, 1] = z; z -= 0.5; }
	    for (k in 1:(2 + u)) if (z > Q[k, 2]) { Q[k, 2] = z; at += k; }
	    for (k in 1:(2 + u * (n % 2))) if (Q[3, k] <= z) { at -= k; Q[3, k] = z; }
	  }`},
	{"general statements", `vector[N] r = x * beta; real s = sum(r); array[2] real t = {mu, beta};
	  while (s > 1) s /= 2; for (v in t) s += v; { real q = s; s = q * 2; } print("");`},
}

// TestDoubleMatchesGeneral compiles doubleCases with and without the
// double-precision path and wants the same outputs and errors.
func TestDoubleMatchesGeneral(t *testing.T) {
	const head = `data { int N; vector[N] x; vector[N] y; }
parameters { real mu; real beta; real sigma; }
model { y ~ normal(mu + x * beta, exp(sigma)); }
generated quantities {
`
	data := gqData(20)
	for _, tc := range doubleCases {
		t.Run(tc.name, func(t *testing.T) {
			mf, mo := bothModels(t, tc.name+".stan", []byte(head+tc.gq+"\n}\n"), data)
			sameWrites(t, tc.name, mf, mo, randomPoints(1, 40, 3, 2))
		})
	}
}

// TestDoubleFailsAsGeneral checks that the cases meant to fail do, at
// some point, so that sameWrites compared errors.
func TestDoubleFailsAsGeneral(t *testing.T) {
	const head = `data { int N; vector[N] x; vector[N] y; }
parameters { real mu; real beta; real sigma; }
generated quantities {
`
	for _, name := range []string{"indices out of range", "element store out of range", "two indices out of range", "running best", "int division by zero", "densities", "rngs",
		"real division by zero", "nested and affine indices out of range"} {
		var gq string
		for _, tc := range doubleCases {
			if tc.name == name {
				gq = tc.gq
			}
		}
		p, err := Source("fail.stan", []byte(head+gq+"\n}\n"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := p.NewModel(gqData(20), 1)
		if err != nil {
			t.Fatal(err)
		}
		failed, wrote := 0, 0
		for k, x := range randomPoints(1, 40, 3, 2) {
			out := make([]float64, len(m.Names()))
			if err := m.Write(x, rand.New(rand.NewPCG(uint64(k), 7)), out); err != nil {
				failed++
			} else {
				wrote++
			}
		}
		if failed == 0 || wrote == 0 {
			t.Errorf("%s: %d points failed, %d wrote; want some of each", name, failed, wrote)
		}
	}
}

// TestDoublePosteriorDB compares Write with and without the
// double-precision path on every PosteriorDB posterior whose program has
// generated quantities, at random points, and on the corpus of accepted
// programs.
func TestDoublePosteriorDB(t *testing.T) {
	db, _ := anyPosteriorDB(t)
	names, err := db.Posteriors()
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, name := range names {
		p, err := db.Posterior(name)
		if err != nil || !db.HasData(p.DataName) {
			continue
		}
		src, err := os.ReadFile(db.ModelPath(p.ModelName))
		if err != nil || !strings.Contains(string(src), "generated quantities") {
			continue
		}
		data, err := db.Data(p.DataName)
		if err != nil {
			t.Fatal(err)
		}
		fast, err := Source(name, src)
		if err != nil {
			continue // a program compile does not take
		}
		_, old := compileBoth(t, name, src)
		mf, err := fast.NewModel(data, 1)
		if err != nil {
			continue
		}
		mo, err := old.NewModel(data, 1)
		if err != nil {
			t.Fatal(err)
		}
		sameWrites(t, name, mf, mo, randomPoints(2, 4, mf.Dim(), 1))
		compared++
	}
	t.Logf("%d posteriors with generated quantities compared", compared)

	for _, c := range goodCorpus(t) {
		mf, mo := bothModels(t, c.path, c.src, c.data)
		sameWrites(t, filepath.Base(c.path), mf, mo, randomPoints(3, 5, mf.Dim(), 0.5))
	}
}

// TestDoubleViterbi checks hmm_drive_0's generated quantities, a Viterbi
// pass, against the same recursion written in Go from the draw's
// constrained parameters. The program writes only best_logp[1, K] in its
// first loop (best_logp[1, 1] stays NaN), which the Go pass repeats.
func TestDoubleViterbi(t *testing.T) {
	d, err := model.ReadDataFile("testdata/speed/bball_drive_event_0.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := build(t, "testdata/speed/hmm_drive_0.stan", d)
	if err != nil {
		t.Fatal(err)
	}
	N, u, v := len(d["u"].Elems), d["u"].Elems, d["v"].Elems
	expLpdf := func(y, b float64) float64 { return -b*y + math.Log(b) }
	for k, x := range randomPoints(4, 10, m.Dim(), 1.5) {
		out := make([]float64, len(m.Names()))
		if err := m.Write(x, nil, out); err != nil {
			t.Fatalf("point %d: %v", k, err)
		}
		theta := [2][2]float64{{out[0], out[1]}, {out[2], out[3]}}
		phi, lambda := out[4:6], out[6:8]
		best := make([][2]float64, N)
		back := make([][2]int, N)
		best[0] = [2]float64{math.NaN(), expLpdf(u[0], phi[1]) + expLpdf(v[0], lambda[1])}
		for s := 1; s < N; s++ {
			for k := range 2 {
				best[s][k] = math.Inf(-1)
				for j := range 2 {
					lp := best[s-1][j] + math.Log(theta[j][k]) + expLpdf(u[s], phi[k]) + expLpdf(v[s], lambda[k])
					if lp > best[s][k] {
						back[s][k], best[s][k] = j+1, lp
					}
				}
			}
		}
		logp := math.Max(best[N-1][0], best[N-1][1])
		z := make([]int, N)
		for k := range 2 {
			if best[N-1][k] == logp {
				z[N-1] = k + 1
			}
		}
		for s := 1; s < N; s++ {
			z[N-1-s] = back[N-s][z[N-s]-1]
		}
		if got := out[len(out)-1]; got != logp {
			t.Errorf("point %d: log_p_z_star = %v, the Go pass %v", k, got, logp)
		}
		for i := range N {
			if out[12+i] != float64(z[i]) {
				t.Errorf("point %d: z_star[%d] = %v, the Go pass %d", k, i+1, out[12+i], z[i])
				break
			}
		}
	}
}
