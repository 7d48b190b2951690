package compile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gostan/gostan/model"
)

// sharedProgram exercises the closures that keep buffers: user functions
// returning containers, compound assignment of a density, containers
// built and reduced, structured transformed parameters (their checks),
// and rngs.
const sharedProgram = `
functions {
  vector scaled(vector x, real s) { return x * s; }
  real pair(real a, real b) { return a * b + log1p(a * a); }
}
data { int N; vector[N] y; matrix[N, 2] X; }
transformed data { vector[N] yc = y - mean(y); }
parameters {
  real mu;
  real<lower=0> sigma;
  vector[2] beta;
  simplex[3] w;
  cholesky_factor_corr[2] L;
}
transformed parameters {
  vector[N] eta = X * beta + mu;
  simplex[3] w2 = w;
}
model {
  real acc = 0;
  vector[N] z = scaled(eta, 2.0);
  acc += normal_lpdf(y | eta, sigma);
  acc += normal_lpdf(yc | 0, 10);
  target += acc;
  target += normal_lpdf(z | 0, 10);
  for (n in 1:N) target += pair(eta[n], sigma) * 1e-3;
  mu ~ normal(0, 5);
  sigma ~ exponential(1);
  beta ~ normal(0, 2);
  w ~ dirichlet(rep_vector(2, 3));
  L ~ lkj_corr_cholesky(2);
  target += log_sum_exp(append_row(eta, to_vector(w2)));
  target += sum(cumulative_sum(eta)) * 1e-3;
  target += dot_self(softmax(head(eta, 3)));
}
generated quantities {
  vector[N] yrep;
  for (n in 1:N) yrep[n] = normal_rng(eta[n], sigma);
  matrix[2, 2] C = multiply_lower_tri_self_transpose(L);
}
`

func sharedData() model.Data {
	return model.Data{
		"N": {Int: true, Elems: []float64{5}},
		"y": {Dims: []int{5}, Elems: []float64{1.2, -0.3, 2.5, 0.7, 1.1}},
		"X": {Dims: []int{5, 2}, Elems: []float64{1, 0.5, 1, -1, 1, 2, 1, 0.1, 1, -0.7}},
	}
}

// evaluation is what one model gives at one point.
type evaluation struct {
	lp   float64
	grad []float64
	out  []float64
	err  error
}

// evaluateAll evaluates a model made from p at every point, starting at
// points[first] and wrapping around, Write seeded by the point's index.
func evaluateAll(p *Program, data model.Data, points [][]float64, first int) ([]evaluation, error) {
	m, err := p.NewModel(data, 1)
	if err != nil {
		return nil, err
	}
	res := make([]evaluation, len(points))
	for j := range points {
		i := (first + j) % len(points)
		x := points[i]
		r := &res[i]
		r.grad = make([]float64, m.Dim())
		r.out = make([]float64, len(m.Names()))
		r.lp, r.err = m.LogDensity(x, r.grad)
		if r.err == nil {
			r.err = m.Write(x, rand.New(rand.NewPCG(7, uint64(i))), r.out)
		}
	}
	return res, nil
}

func sameBits(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

// TestProgramSharedByGoroutines makes eight models from one Program on
// eight goroutines and evaluates each at the same points: every log
// density, gradient and output is bit-equal to one goroutine's alone.
// Under the race detector (CI) it also proves that the models share no
// writable state.
func TestProgramSharedByGoroutines(t *testing.T) {
	checkSharedProgram(t, sharedProgram, sharedData())
}

// checkSharedProgram compiles src once and evaluates eight models of it
// on eight goroutines, each bit-equal to one model's evaluations alone.
func checkSharedProgram(t *testing.T, src string, data model.Data) {
	t.Helper()
	p, checkErr, compileErr := compileSource(src)
	if checkErr != nil || compileErr != nil {
		t.Fatal(checkErr, compileErr)
	}
	m, err := p.NewModel(data, 1)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	points := make([][]float64, 300)
	for i := range points {
		points[i] = make([]float64, m.Dim())
		for j := range points[i] {
			points[i][j] = rng.NormFloat64()
		}
	}
	checkShared(t, 8, func(first int) ([]evaluation, error) {
		return evaluateAll(p, data, points, first*len(points)/8)
	})
}

// checkShared runs run(0) alone, then run(w) on each of workers
// goroutines at once: every evaluation must be bit-equal to the lone
// run's. Each goroutine starts elsewhere (run's argument), since models
// evaluating the same point at once would write the same values to a
// shared buffer.
func checkShared(t *testing.T, workers int, run func(first int) ([]evaluation, error)) {
	t.Helper()
	want, err := run(0)
	if err != nil {
		t.Fatal(err)
	}
	if r := want[0]; r.err != nil {
		t.Fatalf("the program fails at the first point, so it exercises little: %v", r.err)
	}
	got := make([][]evaluation, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[w], errs[w] = run(w)
		}()
	}
	wg.Wait()
	for w := range workers {
		if errs[w] != nil {
			t.Fatal(errs[w])
		}
		if d := differ(got[w], want); d != "" {
			t.Fatalf("goroutine %d, %s", w, d)
		}
	}
}

// differ describes the first difference between two runs' evaluations, or
// is "".
func differ(got, want []evaluation) string {
	for i, g := range got {
		r := want[i]
		if (g.err == nil) != (r.err == nil) || !sameBits(g.lp, r.lp) {
			return fmt.Sprintf("point %d: lp %v (%v), alone %v (%v)", i, g.lp, g.err, r.lp, r.err)
		}
		for k := range g.grad {
			if !sameBits(g.grad[k], r.grad[k]) {
				return fmt.Sprintf("point %d: grad[%d] %v, alone %v", i, k, g.grad[k], r.grad[k])
			}
		}
		for k := range g.out {
			if !sameBits(g.out[k], r.out[k]) {
				return fmt.Sprintf("point %d: output %d %v, alone %v", i, k, g.out[k], r.out[k])
			}
		}
	}
	return ""
}
