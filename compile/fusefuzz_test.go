package compile

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/parser"
	"github.com/gostan/gostan/stan/token"
)

// loopJSON is loopData as JSON, the data of the fused-path seeds.
const loopJSON = `{"K": 3, "T": 6, "Z": 0, "y": [0.3, -1.2, 0.8, 2.1, -0.4, 1.5],
 "X": [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12], [13, 14, 15], [16, 17, 18]], "ii": [3, 1, 2]}`

// fusedSeeds are model blocks over loopDecls that take the fused paths:
// an HMM's forward recursion (hmmforward.go), a log_sum_exp of a filled
// array (lsefill.go), calls hoisted by index (indexhoist.go) and affine
// loops (affine.go).
var fusedSeeds = []string{
	`vector[K] rate = exp(beta); array[K] real acc; array[T, K] real gam;
  for (k in 1:K) { gam[1, k] = normal_lpdf(y[1] | beta[k], sigma); }
  for (t in 2:T) for (k in 1:K) { for (j in 1:K) acc[j] = gam[t - 1, j] + log_inv_logit(beta[j] - alpha * k) + exponential_lpdf(fabs(y[t]) | rate[k]); gam[t, k] = log_sum_exp(acc); }
  target += log_sum_exp(gam[T]);`,
	`array[K] real acc; array[T, K] real gam;
  for (k in 1:K) gam[1, k] = normal_lpdf(y[1] | beta[k], sigma);
  for (t in 2:T) { for (k in 1:K) { for (j in 1:K) acc[j] = gam[t - 1, j] + X[t, j] * beta[k]; gam[t, k] = log_sum_exp(acc); } }
  target += log_sum_exp(gam[T]);`,
	`vector[K] acc; for (j in 1:K) acc[j] = -alpha + beta[j] * y[j] - sigma; target += log_sum_exp(acc);`,
	`real s = 0; for (t in 1:T) for (k in 1:K) for (j in 1:K) s += log1p_exp(beta[j] * k - alpha) * y[t]; target += s;`,
	`real s = 0; for (t in 1:T) for (k in 1:K) s += inv_logit(beta[k]) * y[t] - exp(sigma * k); target += s;`,
	`for (t in (K + 1):T) { real mu = alpha; for (k in 1:K) mu += beta[k] * y[t - k]; y[t] ~ normal(mu, sigma); }`,
	`for (t in 1:T) { int g = 1 + (t % 2); y[t] ~ normal(beta[g] + beta[3] * X[t, g], sigma); } target += normal_lpdf(y | alpha, sigma);`,
	`for (t in 2:T) target += normal_lpdf(y[t] | alpha + beta[1] * y[t - 1], sigma); for (t in 1:Z) y[t] ~ normal(0, 1);`,
}

// fusedProgram is the program of a fusedSeeds model block.
func fusedProgram(body string) string {
	return loopDecls + "model {\n" + body + "\n}\n"
}

// fuzzProgram parses, checks and compiles src with the fused paths opts,
// and builds it with the data js (empty data when it does not read).
func fuzzProgram(src, js []byte, opts optimizations) *Model {
	fset := token.NewFileSet()
	prog, err := parser.ParseFile(fset, "fuzz.stan", src, nil)
	if err != nil {
		return nil
	}
	info, err := check.Check(fset, prog)
	if err != nil {
		return nil
	}
	p, err := compileWith(fset, prog, info, opts)
	if err != nil {
		return nil
	}
	data, err := model.ReadData(bytes.NewReader(js))
	if err != nil {
		data = model.Data{}
	}
	m, err := p.NewModel(data, 1)
	if err != nil {
		return nil
	}
	return m
}

// fuzzPoints are points at which the differential fuzzers evaluate a
// model of dimension d: the origin, draws of widening spread and a
// point with one non-finite or huge coordinate.
func fuzzPoints(d int) [][]float64 {
	rng := rand.New(rand.NewPCG(uint64(d), 9))
	points := [][]float64{make([]float64, d)}
	for _, r := range []float64{1, 3, 30} {
		x := make([]float64, d)
		for i := range x {
			x[i] = (2*rng.Float64() - 1) * r
		}
		points = append(points, x)
	}
	if d > 0 {
		x := make([]float64, d)
		x[rng.IntN(d)] = []float64{math.NaN(), math.Inf(1), 800, -800}[rng.IntN(4)]
		points = append(points, x)
	}
	return points
}

// withoutFusion are the optimizations with the fused density paths off:
// affine loops, the forward-recursion node, fused log_sum_exp fills,
// calls hoisted by index and prepared fixed densities.
const withoutFusion = allOptimizations &^ (optAffineLoops | optFuseForward | optFuseLSE | optHoistByIndex | optPrepareFixed)

// FuzzFusedPaths checks that a program compiled with the fused paths
// has the log density, gradient and error of the same program compiled
// without them (to rounding: the fused paths sum in another order), at
// points of every spread.
func FuzzFusedPaths(f *testing.F) {
	for _, s := range fusedSeeds {
		f.Add([]byte(fusedProgram(s)), []byte(loopJSON))
	}
	f.Fuzz(func(t *testing.T, src, js []byte) {
		defer watchdog(src, js)()
		if bytes.Contains(src, []byte("while")) {
			return // a mutant loop without end
		}
		fused := fuzzProgram(src, js, allOptimizations)
		if fused == nil {
			return
		}
		plain := fuzzProgram(src, js, withoutFusion)
		if plain == nil {
			t.Fatalf("compiles with the fused paths only")
		}
		for _, x := range fuzzPoints(fused.Dim()) {
			var lp [2]float64
			var g [2][]float64
			var errs [2]error
			g[0] = make([]float64, len(x))
			lp[0], errs[0] = fused.LogDensity(x, g[0])
			g[1] = make([]float64, len(x))
			lp[1], errs[1] = plain.LogDensity(x, g[1])
			if (errs[0] == nil) != (errs[1] == nil) || errs[0] != nil && errs[0].Error() != errs[1].Error() {
				t.Fatalf("at %v: error %v, without fusion %v", x, errs[0], errs[1])
			}
			if errs[0] != nil {
				continue
			}
			if !agreesTo(lp[0], lp[1], 1e-9) {
				t.Fatalf("at %v: lp %v, without fusion %v", x, lp[0], lp[1])
			}
			for i := range g[0] {
				if !agreesTo(g[0][i], g[1][i], 1e-7) {
					t.Fatalf("at %v: gradient[%d] %v, without fusion %v", x, i, g[0][i], g[1][i])
				}
			}
		}
	})
}

// agreesTo reports whether a and b agree to tol relative to their size
// (NaN with NaN, infinities of one sign).
func agreesTo(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= tol*(1+math.Max(math.Abs(a), math.Abs(b)))
}

// FuzzDoubleGQ checks that generated quantities written by the
// double-precision path (double.go) are those of the general path to the
// bit, with the same errors, the rngs seeded alike.
func FuzzDoubleGQ(f *testing.F) {
	var gd bytes.Buffer
	if err := gqData(8).WriteJSON(&gd); err != nil {
		f.Fatal(err)
	}
	const head = "data { int N; vector[N] x; vector[N] y; }\nparameters { real mu; real beta; real sigma; }\nmodel { y ~ normal(mu + x * beta, exp(sigma)); }\ngenerated quantities {\n"
	for _, c := range doubleCases {
		f.Add([]byte(head+c.gq+"\n}\n"), gd.Bytes())
	}
	f.Fuzz(func(t *testing.T, src, js []byte) {
		defer watchdog(src, js)()
		if !bytes.Contains(src, []byte("generated")) || bytes.Contains(src, []byte("while")) {
			return
		}
		fast := fuzzProgram(src, js, allOptimizations)
		if fast == nil {
			return
		}
		old := fuzzProgram(src, js, allOptimizations&^optDoubleGQ)
		if old == nil {
			t.Fatalf("compiles with the double-precision path only")
		}
		if len(fast.Names()) != len(old.Names()) {
			t.Fatalf("%d outputs, the general path %d", len(fast.Names()), len(old.Names()))
		}
		for k, x := range fuzzPoints(fast.Dim()) {
			a, b := make([]float64, len(fast.Names())), make([]float64, len(old.Names()))
			ea := fast.Write(x, rand.New(rand.NewPCG(uint64(k), 7)), a)
			eb := old.Write(x, rand.New(rand.NewPCG(uint64(k), 7)), b)
			if (ea == nil) != (eb == nil) || ea != nil && ea.Error() != eb.Error() {
				t.Fatalf("at %v: error %v, the general path's %v", x, ea, eb)
			}
			for i := range a {
				if math.Float64bits(a[i]) != math.Float64bits(b[i]) && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
					t.Fatalf("at %v: %s = %v, the general path's %v", x, fast.Names()[i], a[i], b[i])
				}
			}
		}
	})
}

// fuzzDeadline is how long one fuzz input may run: the watchdog ends the
// fuzzing worker past it, so that the fuzzer records the input as a
// failure instead of stalling on it.
const fuzzDeadline = 20 * time.Second

// watchdog panics, in its own goroutine, fuzzDeadline after it is called
// unless the function it returns is called first.
func watchdog(src, js []byte) (stop func()) {
	tm := time.AfterFunc(fuzzDeadline, func() {
		panic(fmt.Sprintf("input runs over %v\n--- program ---\n%s\n--- data ---\n%s", fuzzDeadline, src, js))
	})
	return func() { tm.Stop() }
}
