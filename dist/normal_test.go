package dist_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/internal/race"
)

func TestNormalLpdfValues(t *testing.T) {
	y, mu, sigma := []float64{-1.2, 0.3, 2.5}, []float64{0.1, -0.4, 1}, 1.7
	want := 0.0
	for i := range y {
		want += distuv.Normal{Mu: mu[i], Sigma: sigma}.LogProb(y[i])
	}
	got, err := dist.NormalLpdf(nil, false, consts(y...), consts(mu...), consts(sigma))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "normal_lpdf", got.Val, want, 1e-14)

	// Dropping constants keeps exactly the terms that depend on the varying sigma.
	tp := ad.NewTape()
	prop, _ := dist.NormalLpdf(tp, true, consts(y...), consts(mu...), []ad.Var{tp.Var(sigma)})
	near(t, "normal_lupdf", prop.Val, want+3*0.5*math.Log(2*math.Pi), 1e-14)
	prop, _ = dist.NormalLpdf(tp, true, consts(y...), consts(mu...), consts(sigma))
	if prop.Val != 0 {
		t.Errorf("propto with all constants = %v, want 0", prop.Val)
	}
}

func TestNormalGradients(t *testing.T) {
	gradCheck(t, "normal_lpdf vector", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a := split(x, 3, 3, 1)
		return dist.NormalLpdf(tp, false, a[0], a[1], a[2])
	}, -1.2, 0.3, 2.5, 0.1, -0.4, 1, 1.7)
	for _, f := range []struct {
		name string
		fn   func(*ad.Tape, []ad.Var, []ad.Var, []ad.Var) (ad.Var, error)
	}{{"lcdf", dist.NormalLcdf}, {"lccdf", dist.NormalLccdf}, {"cdf", dist.NormalCdf}} {
		for _, y := range []float64{-30, -2, 0.4, 3, 9} {
			gradCheck(t, "normal_"+f.name, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
				return f.fn(tp, x[0:1], x[1:2], x[2:3])
			}, y, 0.2, 1.3)
		}
	}
}

func TestNormalCdfValues(t *testing.T) {
	n := distuv.Normal{Mu: 0.5, Sigma: 2}
	for _, y := range []float64{-7, -1, 0.5, 3} {
		got, _ := dist.NormalLcdf(nil, consts(y), consts(0.5), consts(2))
		near(t, "normal_lcdf", got.Val, math.Log(n.CDF(y)), 1e-13)
		got, _ = dist.NormalLccdf(nil, consts(y), consts(0.5), consts(2))
		near(t, "normal_lccdf", got.Val, math.Log(n.Survival(y)), 1e-13)
	}
}

func TestNormalErrors(t *testing.T) {
	_, err := dist.NormalLpdf(nil, false, consts(1, 2), consts(0), consts(1, -1))
	var de *dist.DomainError
	if !errors.As(err, &de) || err.Error() != "normal_lpdf: Scale parameter[2] is -1, but must be positive finite" {
		t.Errorf("bad scale: %v", err)
	}
	_, err = dist.NormalLpdf(nil, false, consts(1, 2), consts(0, 1, 2), consts(1))
	if err == nil || err.Error() != "normal_lpdf: size of Random variable (2) and size of Location parameter (3) must match" {
		t.Errorf("size mismatch: %v", err)
	}
}

func TestNormalRng(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 20000
	s, ss := 0.0, 0.0
	for range n {
		x, err := dist.NormalRng(r, 3, 2)
		if err != nil {
			t.Fatal(err)
		}
		s += x
		ss += x * x
	}
	mean, sd := s/n, math.Sqrt(ss/n-(s/n)*(s/n))
	// 5 standard errors: fails with probability ~1e-6 if the sampler is right.
	if math.Abs(mean-3) > 5*2/math.Sqrt(n) || math.Abs(sd-2) > 5*2/math.Sqrt(2*n) {
		t.Errorf("normal_rng(3, 2): mean %v sd %v", mean, sd)
	}
}

// BenchmarkNormalLogDensity: N = 1000, vector mu and scalar sigma are tape
// variables; one gradient evaluation per iteration.
func BenchmarkNormalLogDensity(b *testing.B) {
	const n = 1000
	y := make([]ad.Var, n)
	muVal := make([]float64, n)
	for i := range y {
		y[i] = ad.Const(math.Sin(float64(i)))
		muVal[i] = math.Cos(float64(i)) / 2
	}
	tp := ad.NewTape()
	eval := func() {
		tp.Reset()
		mu := tp.Vars(n)
		for i := range mu {
			mu[i] = tp.Var(muVal[i])
		}
		sigma := tp.Var(1.3)
		lp, err := dist.NormalLpdf(tp, true, y, mu, []ad.Var{sigma})
		if err != nil {
			b.Fatal(err)
		}
		tp.Grad(lp)
	}
	eval()
	if a := testing.AllocsPerRun(10, eval); a != 0 && !race.Enabled {
		b.Fatalf("%v allocations per gradient", a)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		eval()
	}
}
