package compile

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/model"
)

// Hand-written gradients of three PosteriorDB posteriors, one fused pass
// over the data each: the floor a compiled model's gradient is measured
// against (docs/benchmarks.md). Both drop the constants Stan's ~ drops
// and include the Jacobian of sigma's lower bound.

// momhsFloor is kidscore_momhs: sigma ~ cauchy(0, 2.5);
// kid_score ~ normal(beta[1] + beta[2] * mom_hs, sigma).
type momhsFloor struct{ y, x []float64 }

func (f *momhsFloor) grad(theta, g []float64) float64 {
	b1, b2, u := theta[0], theta[1], theta[2]
	s := math.Exp(u)
	inv := 1 / s
	var sr, srx, sr2 float64 // Σ r, Σ r x, Σ r² with r = (y - mu) / sigma
	for i, y := range f.y {
		r := (y - b1 - b2*f.x[i]) * inv
		sr += r
		srx += r * f.x[i]
		sr2 += r * r
	}
	n := float64(len(f.y))
	c := s / 2.5
	lp := -math.Log1p(c*c) - n*u - 0.5*sr2 + u
	g[0] = sr * inv
	g[1] = srx * inv
	// d/du: cauchy -2c²/(1+c²), normal -n + Σ r², Jacobian 1.
	g[2] = -2*c*c/(1+c*c) - n + sr2 + 1
	return lp
}

// nesFloor is nes: partyid7 ~ normal(X beta, sigma) with nine
// coefficients (an intercept and eight predictors) and flat priors.
type nesFloor struct {
	y []float64
	x [][8]float64
}

func (f *nesFloor) grad(theta, g []float64) float64 {
	u := theta[9]
	s := math.Exp(u)
	inv := 1 / s
	var sr, sr2 float64
	var srx [8]float64
	for i, y := range f.y {
		mu := theta[0]
		for k, xk := range f.x[i] {
			mu += theta[k+1] * xk
		}
		r := (y - mu) * inv
		sr += r
		sr2 += r * r
		for k, xk := range f.x[i] {
			srx[k] += r * xk
		}
	}
	n := float64(len(f.y))
	g[0] = sr * inv
	for k := range srx {
		g[k+1] = srx[k] * inv
	}
	g[9] = -n + sr2 + 1
	return -n*u - 0.5*sr2 + u
}

// arKFloor is arK: alpha ~ normal(0, 10); beta ~ normal(0, 10);
// sigma ~ cauchy(0, 2.5); y[t] ~ normal(alpha + Σ_k beta[k] y[t-k], sigma)
// for t > K, a scalar loop in Stan.
type arKFloor struct {
	k int
	y []float64
}

func (f *arKFloor) grad(theta, g []float64) float64 {
	K := f.k
	alpha, beta, u := theta[0], theta[1:1+K], theta[1+K]
	s := math.Exp(u)
	inv := 1 / s
	clear(g)
	gb := g[1 : 1+K]
	var sr, sr2 float64
	for t := K; t < len(f.y); t++ {
		mu := alpha
		for k, b := range beta {
			mu += b * f.y[t-k-1]
		}
		r := (f.y[t] - mu) * inv
		sr += r
		sr2 += r * r
		for k := range gb {
			gb[k] += r * f.y[t-k-1]
		}
	}
	n := float64(len(f.y) - K)
	c := s / 2.5
	lp := -alpha*alpha/200 - math.Log1p(c*c) - n*u - 0.5*sr2 + u
	g[0] = sr*inv - alpha/100
	for k, b := range beta {
		lp -= b * b / 200
		gb[k] = gb[k]*inv - b/100
	}
	g[1+K] = -2*c*c/(1+c*c) - n + sr2 + 1
	return lp
}

func loadARK(t testing.TB) (*Model, *arKFloor) {
	d, err := model.ReadDataFile("testdata/speed/arK.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := build(t, "testdata/speed/arK.stan", d)
	if err != nil {
		t.Fatal(err)
	}
	return m, &arKFloor{k: int(d["K"].Elems[0]), y: d["y"].Elems}
}

func loadFloors(t testing.TB) (momhs *Model, mf *momhsFloor, nes *Model, nf *nesFloor) {
	kid, err := model.ReadDataFile("../testdata/posteriordb/data/data/kidiq.json.zip")
	if err != nil {
		t.Fatal(err)
	}
	if momhs, err = build(t, "../testdata/posteriordb/models/stan/kidscore_momhs.stan", kid); err != nil {
		t.Fatal(err)
	}
	mf = &momhsFloor{y: kid["kid_score"].Elems, x: kid["mom_hs"].Elems}
	d, err := model.ReadDataFile("../testdata/posteriordb/data/data/nes1972.json.zip")
	if err != nil {
		t.Fatal(err)
	}
	if nes, err = build(t, "../testdata/posteriordb/models/stan/nes.stan", d); err != nil {
		t.Fatal(err)
	}
	nf = &nesFloor{y: d["partyid7"].Elems}
	for i := range nf.y {
		age := d["age_discrete"].Elems[i]
		nf.x = append(nf.x, [8]float64{d["real_ideo"].Elems[i], d["race_adj"].Elems[i], b2f(age == 2), b2f(age == 3), b2f(age == 4),
			d["educ1"].Elems[i], d["gender"].Elems[i], d["income"].Elems[i]})
	}
	return momhs, mf, nes, nf
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// TestFloorsAgree checks the hand-written gradients against the compiled
// models, so that the benchmark compares equal work: lp differences
// between points and gradients agree to rounding.
func TestFloorsAgree(t *testing.T) {
	momhs, mf, nes, nf := loadFloors(t)
	ark, af := loadARK(t)
	rng := rand.New(rand.NewPCG(5, 5))
	for _, c := range []struct {
		name string
		m    *Model
		f    func(theta, g []float64) float64
	}{{"kidscore_momhs", momhs, mf.grad}, {"nes", nes, nf.grad}, {"arK", ark, af.grad}} {
		d := c.m.Dim()
		var base, baseF float64
		for k := range 3 {
			theta := make([]float64, d)
			for i := range theta {
				theta[i] = rng.Float64()*2 - 1
			}
			g, gf := make([]float64, d), make([]float64, d)
			lp, err := c.m.LogDensity(theta, g)
			if err != nil {
				t.Fatal(err)
			}
			lpf := c.f(theta, gf)
			if k == 0 {
				base, baseF = lp, lpf
			} else if diff, want := lp-base, lpf-baseF; math.Abs(diff-want) > 1e-9*(1+math.Abs(want)) {
				t.Errorf("%s: lp difference %v, hand-written %v", c.name, diff, want)
			}
			for i := range g {
				if math.Abs(g[i]-gf[i]) > 1e-9*(1+math.Abs(gf[i])) {
					t.Errorf("%s: gradient[%d] = %v, hand-written %v", c.name, i, g[i], gf[i])
				}
			}
		}
	}
}

// BenchmarkFloors compares one gradient of the compiled models with the
// hand-written fused passes.
func BenchmarkFloors(b *testing.B) {
	momhs, mf, nes, nf := loadFloors(b)
	ark, af := loadARK(b)
	for _, c := range []struct {
		name string
		f    func(theta, g []float64) float64
		d    int
	}{
		{"kidscore_momhs/compiled", func(th, g []float64) float64 { v, _ := momhs.LogDensity(th, g); return v }, 3},
		{"kidscore_momhs/hand-written", mf.grad, 3},
		{"nes/compiled", func(th, g []float64) float64 { v, _ := nes.LogDensity(th, g); return v }, 10},
		{"nes/hand-written", nf.grad, 10},
		{"arK/compiled", func(th, g []float64) float64 { v, _ := ark.LogDensity(th, g); return v }, 7},
		{"arK/hand-written", af.grad, 7},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			theta, g := make([]float64, c.d), make([]float64, c.d)
			for i := range theta {
				theta[i] = 0.1 * float64(i+1)
			}
			loopCPU(b, func() { c.f(theta, g) })
		})
	}
}
