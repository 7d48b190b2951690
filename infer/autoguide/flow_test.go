package autoguide

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// flows returns the flow guides on D dimensions with random parameters:
// IAF with one transform (triangular on its own), with NumPyro's three and
// with three hidden layers; BNAF with one flow, with two (a gated
// residual between them) and with one hidden layer; and NumPyro's
// initialisations of both.
func flows(d int, seed uint64) map[string]*flow {
	rng := rand.New(rand.NewPCG(seed, 99))
	loc := make([]float64, d)
	for i := range loc {
		loc[i] = rng.NormFloat64()
	}
	iaf := func(c flowConfig) *flow {
		f, err := newIAF(loc, rng, c)
		if err != nil {
			panic(err)
		}
		return &f
	}
	bnaf := func(c flowConfig) *flow {
		f := newBNAF(loc, rng, c)
		return &f
	}
	fs := map[string]*flow{
		"iaf1":         iaf(flowConfig{flows: 1, scale: initScale}),
		"iaf":          &NewIAFNormal(loc, rng).flow,
		"iaf-deep":     iaf(flowConfig{flows: 2, hidden: []int{d + 1, d, d + 2}, scale: initScale}),
		"iaf-numpyro":  iaf(flowConfig{flows: 3, scale: initScale, numpyro: true}),
		"bnaf":         &NewBNAFNormal(loc, rng).flow,
		"bnaf2":        bnaf(flowConfig{flows: 2, scale: initScale}),
		"bnaf-shallow": bnaf(flowConfig{flows: 1, hidden: []int{3}, scale: initScale}),
		"bnaf-numpyro": bnaf(flowConfig{flows: 2, scale: initScale, numpyro: true}),
	}
	for _, name := range slices.Sorted(maps.Keys(fs)) {
		f := fs[name]
		for i := range f.par {
			f.par[i] += 0.3 * rng.NormFloat64()
		}
	}
	return fs
}

// apply returns z(x) and log|det ∂z/∂x|.
func (f *flow) apply(x []float64) ([]float64, float64) {
	xv := make([]ad.Var, len(x))
	for i, v := range x {
		xv[i] = ad.Const(v)
	}
	zv, logDet := f.transform(xv)
	z := make([]float64, len(zv))
	for i, v := range zv {
		z[i] = v.Val
	}
	return z, logDet.Val
}

// jacobian is ∂z/∂x by central differences.
func (f *flow) jacobian(x []float64) *mat.Dense {
	d := len(x)
	j := mat.NewDense(d, d, nil)
	const h = 1e-6
	for c := range d {
		old := x[c]
		x[c] = old + h
		up, _ := f.apply(x)
		x[c] = old - h
		down, _ := f.apply(x)
		x[c] = old
		for r := range d {
			j.Set(r, c, (up[r]-down[r])/(2*h))
		}
	}
	return j
}

func TestFlowLogDet(t *testing.T) {
	for _, d := range []int{3, 4} {
		for name, f := range flows(d, uint64(d)) {
			rng := rand.New(rand.NewPCG(1, uint64(d)))
			for range 3 {
				x := make([]float64, d)
				for i := range x {
					x[i] = rng.NormFloat64()
				}
				_, logDet := f.apply(x)
				var lu mat.LU
				lu.Factorize(f.jacobian(x))
				fd, sign := lu.LogDet() // sign -1 after an odd permutation between flows
				if sign == 0 || math.Abs(fd-logDet) > 1e-6*math.Max(1, math.Abs(fd)) {
					t.Errorf("%s, D=%d, x=%.3f: log|det| = %v, by finite differences %v (sign %v)", name, d, x, logDet, fd, sign)
				}
			}
		}
	}
}

// TestFlowInvertible checks that the autoregressive transforms (one IAF
// step, BNAF) are triangular with a positive diagonal, hence invertible,
// and inverts them coordinate by coordinate by bisection.
func TestFlowInvertible(t *testing.T) {
	const d = 4
	fs := flows(d, 7)
	for _, name := range []string{"iaf1", "bnaf", "bnaf-shallow"} {
		f := fs[name]
		rng := rand.New(rand.NewPCG(2, 3))
		for range 3 {
			x := make([]float64, d)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			j := f.jacobian(x)
			for r := range d {
				if j.At(r, r) <= 0 {
					t.Errorf("%s: ∂z_%d/∂x_%d = %v", name, r, r, j.At(r, r))
				}
				for c := r + 1; c < d; c++ {
					if j.At(r, c) != 0 {
						t.Errorf("%s: ∂z_%d/∂x_%d = %v, want 0", name, r, c, j.At(r, c))
					}
				}
			}
			z, _ := f.apply(x)
			inv := make([]float64, d)
			for i := range d {
				lo, hi := -50.0, 50.0
				for hi-lo > 1e-13 {
					inv[i] = 0.5 * (lo + hi)
					if zi, _ := f.apply(inv); zi[i] < z[i] {
						lo = inv[i]
					} else {
						hi = inv[i]
					}
				}
				if math.Abs(inv[i]-x[i]) > 1e-6 {
					t.Errorf("%s: inverse x_%d = %v, want %v", name, i, inv[i], x[i])
				}
			}
		}
	}
}

// TestFlowDensity checks log q(z) = log N(ε) - log|det| at the draws
// against the sampling distribution: for a density r inside q's support,
// E_q[r(z)/q(z)] = 1. r is the normal with the draws' mean and
// correlation and 0.4 times their standard deviations, inside BNAF's
// bounded image.
func TestFlowDensity(t *testing.T) {
	const n = 100000
	for name, f := range flows(2, 11) {
		if name == "iaf-deep" || name == "bnaf2" {
			continue // perturbed into shapes whose weights r/q are too heavy-tailed; TestFlowLogDet checks their log q
		}
		rng := rand.New(rand.NewPCG(4, 5))
		draw := func() (z []float64, logQ float64) {
			x := []float64{rng.NormFloat64(), rng.NormFloat64()}
			z, logDet := f.apply(x)
			return z, -math.Log(2*math.Pi) - 0.5*(x[0]*x[0]+x[1]*x[1]) - logDet
		}
		var m [2]float64
		var c [3]float64 // second moments: 00, 11, 01
		for range 4000 {
			z, _ := draw()
			m[0] += z[0] / 4000
			m[1] += z[1] / 4000
			c[0] += z[0] * z[0] / 4000
			c[1] += z[1] * z[1] / 4000
			c[2] += z[0] * z[1] / 4000
		}
		s0 := 0.4 * math.Sqrt(c[0]-m[0]*m[0])
		s1 := 0.4 * math.Sqrt(c[1]-m[1]*m[1])
		rho := 0.16 * (c[2] - m[0]*m[1]) / (s0 * s1)
		sum, sq := 0.0, 0.0
		for range n {
			z, logQ := draw()
			u, v := (z[0]-m[0])/s0, (z[1]-m[1])/s1
			logR := -(u*u-2*rho*u*v+v*v)/(2*(1-rho*rho)) - math.Log(2*math.Pi*s0*s1*math.Sqrt(1-rho*rho))
			w := math.Exp(logR - logQ)
			sum += w
			sq += w * w
		}
		est := sum / n
		se := math.Sqrt((sq/n - est*est) / n)
		if se > 0.015 || math.Abs(est-1) > 4*se {
			t.Errorf("%s: E_q[r/q] = %.4f ± %.4f, want 1", name, est, se)
		}
	}
}

// TestFlowELBOGradient checks ELBOGrad against finite differences of the
// mean ELBO of a fixed set of draws (common random numbers).
func TestFlowELBOGradient(t *testing.T) {
	const n = 20
	for name, f := range flows(2, 13) {
		grad := make([]float64, len(f.par))
		mean := func(grad []float64) float64 {
			rng := rand.New(rand.NewPCG(6, 7))
			s := 0.0
			for range n {
				e, err := f.ELBOGrad(rng, gauss{}.LogDensity, grad)
				if err != nil {
					t.Fatal(err)
				}
				s += e / n
			}
			return s
		}
		mean(grad)
		scratch := make([]float64, len(f.par))
		bad := 0
		for i := range f.par {
			const h = 1e-6
			old := f.par[i]
			f.par[i] = old + h
			up := mean(scratch)
			f.par[i] = old - h
			down := mean(scratch)
			f.par[i] = old
			fd := (up - down) / (2 * h)
			if got := grad[i] / n; math.Abs(got-fd) > 1e-5*math.Max(1, math.Abs(fd)) && bad < 5 {
				bad++
				t.Errorf("%s: d ELBO / d param[%d] = %v, finite differences %v", name, i, got, fd)
			}
		}
	}
}

// TestIAFStartsAtLoc checks the IAF's start, N(loc, init_scale² I), through
// the ELBO's value: its mean over draws matches the closed form.
func TestIAFStartsAtLoc(t *testing.T) {
	loc := []float64{0.3, -0.2}
	q := NewIAFNormal(loc, rand.New(rand.NewPCG(1, 1)))
	rng := rand.New(rand.NewPCG(2, 2))
	grad := make([]float64, len(q.Params()))
	const n = 20000
	got := 0.0
	for range n {
		e, err := q.ELBOGrad(rng, gauss{}.LogDensity, grad)
		if err != nil {
			t.Fatal(err)
		}
		got += e / n
	}
	want := 1 + math.Log(2*math.Pi) + 2*math.Log(initScale)
	for i := range 2 {
		for j := range 2 {
			c := 0.0
			if i == j {
				c = initScale * initScale
			}
			want -= 0.5 * prec[i][j] * (c + (loc[i]-gm[i])*(loc[j]-gm[j]))
		}
	}
	if math.Abs(got-want) > 0.02 {
		t.Errorf("mean ELBO at the start = %v, want %v", got, want)
	}
}

func TestFlowsRecoverAGaussian(t *testing.T) {
	want := [2][2]float64{{1, 1.2}, {1.2, 4}}
	for name, q := range map[string]svi.Guide{
		"iaf":  NewIAFNormal([]float64{0, 0}, rand.New(rand.NewPCG(9, 10))),
		"bnaf": NewBNAFNormal([]float64{0, 0}, rand.New(rand.NewPCG(9, 10))),
	} {
		// fit's step size 0.01 leaves the flows' last iterate jittering
		// by about 15% in the covariance: a smaller step, more draws.
		s := &svi.SVI{Model: gauss{}, Guide: q, Opt: svi.NewAdam(0.003), Particles: 16}
		if err := s.Run(rand.New(rand.NewPCG(1, 2)), 8000, nil); err != nil {
			t.Fatal(err)
		}
		mean, cov := moments(q)
		for i := range 2 {
			if math.Abs(mean[i]-gm[i]) > 0.15 {
				t.Errorf("%s mean[%d] = %v, want %v", name, i, mean[i], gm[i])
			}
			for j := range 2 {
				if math.Abs(cov[i][j]-want[i][j]) > 0.2*math.Sqrt(want[i][i]*want[j][j]) {
					t.Errorf("%s cov[%d][%d] = %v, want %v", name, i, j, cov[i][j], want[i][j])
				}
			}
		}
	}
}

// mixture is the density 0.5 N(0, 1) + 0.5 N(20, 1).
type mixture struct{}

func (mixture) Dim() int { return 1 }
func (mixture) LogDensity(x, g []float64) (float64, error) {
	a, b := -0.5*x[0]*x[0], -0.5*(x[0]-20)*(x[0]-20)
	lp := math.Max(a, b) + math.Log(0.5*math.Exp(a-math.Max(a, b))+0.5*math.Exp(b-math.Max(a, b)))
	if g != nil {
		wa := 0.5 * math.Exp(a-lp)
		g[0] = -wa*x[0] - (1-wa)*(x[0]-20)
	}
	return lp - 0.5*math.Log(2*math.Pi), nil
}
func (mixture) Names() []string                                      { return []string{"x"} }
func (mixture) Write(x []float64, _ *rand.Rand, out []float64) error { copy(out, x); return nil }
func (m mixture) Clone() model.Model                                 { return m }

// TestBNAFBimodal checks that BNAF can put half its mass on each of two
// modes 20 apart. SVI minimises KL(q‖p), which is mode-seeking: from the
// guide's default start (spread init_scale around any loc, the midpoint
// 10 included) the draws sit in one mode's basin and the flow collapses
// onto that mode at every step size tried (0.001 to 0.01). Started wide
// enough to see both modes, it splits its mass.
func TestBNAFBimodal(t *testing.T) {
	loc := []float64{10}
	q := NewBNAFNormal(loc, rand.New(rand.NewPCG(1, 10)))
	// Widen the start 100 times about loc: the last layer's scale grows,
	// its bias keeps z(0) = loc.
	l := &q.b.(*bnaf).flows[0].layers[2]
	o := l.unit(0, 0)
	q.par[o] += math.Log(100)
	q.par[o+1] = loc[0] + 100*(q.par[o+1]-loc[0])
	s := &svi.SVI{Model: mixture{}, Guide: q, Opt: svi.NewAdam(0.002), Particles: 16}
	if err := s.Run(rand.New(rand.NewPCG(1, 2)), 4000, nil); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	z := []float64{0}
	const n = 20000
	high, mid := 0, 0
	for range n {
		q.Sample(rng, z)
		if z[0] > 10 {
			high++
		}
		if z[0] > 5 && z[0] < 15 {
			mid++
		}
	}
	if f := float64(high) / n; math.Abs(f-0.5) > 0.1 || mid > n/100 {
		t.Errorf("BNAF puts %.3f of its draws above 10 (want 0.5 ± 0.1) and %.3f between the modes", f, float64(mid)/n)
	}
}
