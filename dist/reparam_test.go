package dist

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/gostan/gostan/ad"
)

var reparamCases = []struct {
	family string
	u      *Univariate // for the CDF; nil for normal
	p      []float64
}{
	{"normal", nil, []float64{1, 2}},
	{"lognormal", Lognormal, []float64{0.3, 0.7}},
	{"cauchy", Cauchy, []float64{-1, 0.5}},
	{"logistic", Logistic, []float64{2, 1.5}},
	{"double_exponential", DoubleExponential, []float64{0, 2}},
	{"gumbel", Gumbel, []float64{1, 2}},
	{"uniform", Uniform, []float64{-1, 3}},
	{"exponential", Exponential, []float64{1.5}},
	{"weibull", Weibull, []float64{1.7, 2}},
	{"frechet", Frechet, []float64{3, 2}},
	{"rayleigh", Rayleigh, []float64{1.3}},
	{"pareto", Pareto, []float64{0.5, 3}},
	{"pareto_type_2", ParetoType2, []float64{0, 2, 3}},
	{"skew_normal", SkewNormal, []float64{1, 2, -3}},
	{"exp_mod_normal", ExpModNormal, []float64{0, 1, 0.7}},
	{"gamma", Gamma, []float64{0.6, 2}},
	{"inv_gamma", InvGamma, []float64{3, 2}},
	{"chi_square", ChiSquare, []float64{3}},
	{"inv_chi_square", InvChiSquare, []float64{4}},
	{"scaled_inv_chi_square", ScaledInvChiSquare, []float64{4, 1.5}},
	{"student_t", StudentT, []float64{3, 1, 2}},
	{"beta", Beta, []float64{2, 5}},
	{"beta_proportion", BetaProportion, []float64{0.3, 8}},
}

// TestReparamDistribution compares the draws with the family's CDF
// (Kolmogorov-Smirnov at the 0.1% level).
func TestReparamDistribution(t *testing.T) {
	const n = 4000
	crit := 1.95 / math.Sqrt(n)
	for _, c := range reparamCases {
		f, ok := Reparam(c.family)
		if !ok {
			t.Fatalf("%s: no sampler", c.family)
		}
		r := rand.New(rand.NewPCG(1, 2))
		tape := ad.NewTape()
		xs := make([]float64, n)
		for i := range xs {
			tape.Reset()
			x, err := f(tape, r, tape.Vars(len(c.p))[:0])
			if err == nil {
				t.Fatalf("%s: no error for missing parameters", c.family)
			}
			ps := make([]ad.Var, len(c.p))
			for k, v := range c.p {
				ps[k] = tape.Var(v)
			}
			if x, err = f(tape, r, ps); err != nil {
				t.Fatal(err)
			}
			xs[i] = x.Val
		}
		sort.Float64s(xs)
		d := 0.0
		for i, x := range xs {
			var cdf float64
			if c.u == nil {
				cdf = 0.5 * math.Erfc(-(x-c.p[0])/(c.p[1]*math.Sqrt2))
			} else {
				args := [][]ad.Var{{ad.Const(x)}}
				for _, v := range c.p {
					args = append(args, []ad.Var{ad.Const(v)})
				}
				v, err := c.u.Cdf(nil, args...)
				if err != nil {
					t.Fatalf("%s cdf: %v", c.family, err)
				}
				cdf = v.Val
			}
			d = math.Max(d, math.Max(math.Abs(cdf-float64(i)/n), math.Abs(cdf-float64(i+1)/n)))
		}
		if d > crit {
			t.Errorf("%s: Kolmogorov-Smirnov distance %.4f > %.4f", c.family, d, crit)
		}
	}
}

// TestReparamGradient checks the pathwise derivative against central
// differences with the same random numbers, for the families that
// transform a fixed number of standard draws.
func TestReparamGradient(t *testing.T) {
	implicit := map[string]bool{"gamma": true, "inv_gamma": true, "chi_square": true, "inv_chi_square": true,
		"scaled_inv_chi_square": true, "student_t": true, "beta": true, "beta_proportion": true}
	for _, c := range reparamCases {
		if implicit[c.family] {
			continue
		}
		f, _ := Reparam(c.family)
		for seed := range uint64(5) {
			tape := ad.NewTape()
			ps := make([]ad.Var, len(c.p))
			for k, v := range c.p {
				ps[k] = tape.Var(v)
			}
			x, err := f(tape, rand.New(rand.NewPCG(seed, 9)), ps)
			if err != nil {
				t.Fatal(err)
			}
			tape.Grad(x)
			for k := range c.p {
				at := func(h float64) float64 {
					q := make([]ad.Var, len(c.p))
					for j, v := range c.p {
						q[j] = ad.Const(v)
					}
					q[k] = ad.Const(c.p[k] + h)
					y, err := f(nil, rand.New(rand.NewPCG(seed, 9)), q)
					if err != nil {
						t.Fatal(err)
					}
					return y.Val
				}
				const h = 1e-6
				fd := (at(h) - at(-h)) / (2 * h)
				if got := tape.Adjoint(ps[k]); math.Abs(got-fd) > 1e-5*(1+math.Abs(fd)) {
					t.Errorf("%s seed %d: dx/dp[%d] = %v, finite differences %v", c.family, seed, k, got, fd)
				}
			}
		}
	}
}

// TestReparamImplicitGradient checks the implicit gamma derivative in
// expectation: E[dz/dα] = dE[z]/dα and E[d z²/dα] = dE[z²]/dα for
// Gamma(α, β), and dE[x]/da for beta(a, b).
func TestReparamImplicitGradient(t *testing.T) {
	const n = 40000
	gamma, _ := Reparam("gamma")
	beta, _ := Reparam("beta")
	r := rand.New(rand.NewPCG(5, 6))
	tape := ad.NewTape()
	for _, a := range []float64{0.4, 1, 2.5, 9} {
		const b = 2.0
		var d1, d2 []float64
		for range n {
			tape.Reset()
			alpha := tape.Var(a)
			z, err := gamma(tape, r, []ad.Var{alpha, ad.Const(b)})
			if err != nil {
				t.Fatal(err)
			}
			tape.Grad(z)
			dz := tape.Adjoint(alpha)
			d1 = append(d1, dz)
			d2 = append(d2, 2*z.Val*dz)
		}
		// E[z] = α/β, E[z²] = α(α+1)/β².
		checkMean(t, "gamma dE[z]/dα", d1, 1/b)
		checkMean(t, "gamma dE[z²]/dα", d2, (2*a+1)/(b*b))
	}
	for _, ab := range [][2]float64{{0.7, 1.5}, {3, 2}} {
		var d []float64
		for range n {
			tape.Reset()
			a := tape.Var(ab[0])
			x, err := beta(tape, r, []ad.Var{a, ad.Const(ab[1])})
			if err != nil {
				t.Fatal(err)
			}
			tape.Grad(x)
			d = append(d, tape.Adjoint(a))
		}
		s := ab[0] + ab[1]
		checkMean(t, "beta dE[x]/da", d, ab[1]/(s*s))
	}
}

// checkMean asserts that xs average to want within four standard errors.
func checkMean(t *testing.T, name string, xs []float64, want float64) {
	t.Helper()
	m, v := 0.0, 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	se := math.Sqrt(v / float64(len(xs)) / float64(len(xs)))
	if math.Abs(m-want) > 4*se+1e-9 {
		t.Errorf("%s: mean %v ± %v, want %v", name, m, se, want)
	}
}

func TestReparamDomainError(t *testing.T) {
	f, _ := Reparam("gamma")
	if _, err := f(nil, rand.New(rand.NewPCG(1, 1)), []ad.Var{ad.Const(-1), ad.Const(1)}); err == nil {
		t.Error("gamma with shape -1 drew a value")
	}
	f, _ = Reparam("normal")
	if _, err := f(nil, rand.New(rand.NewPCG(1, 1)), []ad.Var{ad.Const(0), ad.Const(0)}); err == nil {
		t.Error("normal with scale 0 drew a value")
	}
}
