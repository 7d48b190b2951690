package compile

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/infer/optimize"
	"github.com/gostan/gostan/internal/race"
	"github.com/gostan/gostan/model"
)

// mode maximises the model's log density with or without the Jacobian and
// returns the mode's output columns.
func mode(t *testing.T, m *Model, jacobian bool, cfg optimize.Config) []float64 {
	t.Helper()
	out, _ := modeResult(t, m, jacobian, cfg)
	return out
}

func modeResult(t *testing.T, m *Model, jacobian bool, cfg optimize.Config) ([]float64, *optimize.Result) {
	t.Helper()
	f := func(x, g []float64) (float64, error) { return m.LogDensityJacobian(x, g, jacobian) }
	res, err := optimize.Maximize(f, m.Dim(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Code.OK() {
		t.Fatalf("optimizer: %v", res.Code)
	}
	out := make([]float64, len(m.Names()))
	if err := m.Write(res.X, nil, out); err != nil {
		t.Fatal(err)
	}
	return out, res
}

// TestLogDensityJacobian checks that the two densities differ by the log
// Jacobian: for sigma = exp(u), log|dsigma/du| = u.
func TestLogDensityJacobian(t *testing.T) {
	m := buildSource(t, "parameters { real<lower=0> sigma; } model { sigma ~ lognormal(0, 1); }", model.Data{})
	for _, u := range []float64{-1.5, 0, 0.7} {
		g1, g0 := make([]float64, 1), make([]float64, 1)
		lp1, err := m.LogDensityJacobian([]float64{u}, g1, true)
		if err != nil {
			t.Fatal(err)
		}
		lp0, err := m.LogDensityJacobian([]float64{u}, g0, false)
		if err != nil {
			t.Fatal(err)
		}
		x := []float64{u}
		if n := testing.AllocsPerRun(10, func() { m.LogDensityJacobian(x, g0, false) }); n != 0 && !race.Enabled {
			t.Errorf("LogDensityJacobian allocates %v times per call", n)
		}
		lp, _ := m.LogDensity([]float64{u}, nil)
		if lp != lp1 || math.Abs(lp1-lp0-u) > 1e-12 || math.Abs(g1[0]-g0[0]-1) > 1e-12 {
			t.Errorf("u=%g: lp %g, with %g, without %g; grad with %g, without %g", u, lp, lp1, lp0, g1[0], g0[0])
		}
	}
}

// TestOptimizeJacobian: the mode of lognormal(0, 1) is exp(-1) on the
// constrained scale (jacobian false), and sigma = exp(0) = 1 at the mode on
// the unconstrained scale (jacobian true).
func TestOptimizeJacobian(t *testing.T) {
	m := buildSource(t, "parameters { real<lower=0> sigma; } model { sigma ~ lognormal(0, 1); }", model.Data{})
	for _, alg := range []optimize.Algorithm{optimize.LBFGS, optimize.BFGS, optimize.Newton} {
		for _, c := range []struct {
			jacobian bool
			want     float64
		}{{false, math.Exp(-1)}, {true, 1}} {
			cfg := optimize.DefaultConfig()
			cfg.Algorithm = alg
			cfg.Seed = 7
			got := mode(t, m, c.jacobian, cfg)[0]
			if math.Abs(got-c.want) > 1e-6 {
				t.Errorf("%v jacobian %v: sigma = %.9g, want %.9g", alg, c.jacobian, got, c.want)
			}
		}
	}
}

// TestOptimizeKidscore: with flat priors on beta the mode's beta, without
// the Jacobian, is the least-squares fit whatever sigma is.
func TestOptimizeKidscore(t *testing.T) {
	kid, err := model.ReadDataFile("../testdata/posteriordb/data/data/kidiq.json.zip")
	if err != nil {
		t.Fatal(err)
	}
	m, err := build(t, "../testdata/posteriordb/models/stan/kidscore_momhs.stan", kid)
	if err != nil {
		t.Fatal(err)
	}
	y, hs := kid["kid_score"].Elems, kid["mom_hs"].Elems
	n := len(y)
	x := mat.NewDense(n, 2, nil)
	for i := range n {
		x.Set(i, 0, 1)
		x.Set(i, 1, hs[i])
	}
	var beta mat.VecDense
	if err := beta.SolveVec(x, mat.NewVecDense(n, append([]float64(nil), y...))); err != nil {
		t.Fatal(err)
	}
	// Stan's default relative gradient test stops where gᵀHg < 1e7 ε
	// max(|lp|, 1), about 4e-6 here, which leaves beta about 1e-3 from the
	// least-squares fit; with that test off (tolerance 0) the relative
	// change of lp stops the run within 1e-4.
	for _, alg := range []optimize.Algorithm{optimize.LBFGS, optimize.BFGS, optimize.Newton} {
		for _, tight := range []bool{false, true} {
			cfg := optimize.DefaultConfig()
			cfg.Algorithm = alg
			cfg.Seed = 3
			tol := 1e-2
			if tight {
				cfg.TolRelGrad = 0
				tol = 1e-4
			}
			got, res := modeResult(t, m, false, cfg)
			t.Logf("%v tight %v: beta = %.8g, %.8g (least squares %.8g, %.8g), sigma = %.6g; %d iterations, %v", alg, tight, got[0], got[1], beta.AtVec(0), beta.AtVec(1), got[2], res.Iter, res.Code)
			for k := range 2 {
				if math.Abs(got[k]-beta.AtVec(k)) > tol {
					t.Errorf("%v tight %v: beta[%d] = %.8g, least squares %.8g", alg, tight, k+1, got[k], beta.AtVec(k))
				}
			}
		}
	}
}
