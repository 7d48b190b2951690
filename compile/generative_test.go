package compile

import (
	"math"
	"testing"

	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/parser"
	"github.com/gostan/gostan/stan/token"
)

// genProgram compiles src as the file gen.stan.
func genProgram(t *testing.T, src string) *Program {
	t.Helper()
	fset := token.NewFileSet()
	prog, err := parser.ParseFile(fset, "gen.stan", []byte(src), nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	info, err := check.Check(fset, prog)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	p, err := Compile(fset, prog, info)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return p
}

func genModel(t *testing.T, src string, data model.Data) *Model {
	t.Helper()
	m, err := genProgram(t, src).NewModel(data, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func vec(x ...float64) *model.Value { return &model.Value{Dims: []int{len(x)}, Elems: x} }
func intv(n int) *model.Value       { return &model.Value{Int: true, Elems: []float64{float64(n)}} }

func normLpdf(x, mu, s float64) float64 {
	z := (x - mu) / s
	return -0.5*z*z - math.Log(s) - 0.5*math.Log(2*math.Pi)
}

// TestPriorLikelihoodByHand: a normal mean with a half-normal scale; the
// scale's prior is normalised by its mass 1/2, which the likelihood gets.
func TestPriorLikelihoodByHand(t *testing.T) {
	const src = `
data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model {
  y ~ normal(mu, sigma);
  mu ~ normal(1, 2);
  sigma ~ normal(0, 1);
}
`
	y := []float64{0.4, -1.2, 2.2}
	m := genModel(t, src, model.Data{"N": intv(3), "y": vec(y...)})
	if err := m.CheckPriors(); err != nil {
		t.Fatal(err)
	}
	for _, z := range [][]float64{{0.3, -0.2}, {-1.5, 0.7}, {2, -2}} {
		mu, sigma := z[0], math.Exp(z[1])
		wantPrior := normLpdf(mu, 1, 2) + normLpdf(sigma, 0, 1) + math.Log(2) + z[1]
		wantLik := -math.Log(2)
		for _, v := range y {
			wantLik += normLpdf(v, mu, sigma)
		}
		lp, ll, err := m.PriorLikelihood(z)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(lp-wantPrior) > 1e-12 || math.Abs(ll-wantLik) > 1e-12 {
			t.Errorf("z=%v: prior %v, likelihood %v; want %v, %v", z, lp, ll, wantPrior, wantLik)
		}
	}
}
