package compile

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/model"
)

// Hand-written gradients of five PosteriorDB posteriors: the floor a
// compiled model's gradient is measured against (docs/benchmarks.md). The
// regressions and arK are one fused pass over the data each, the HMM a
// forward and a backward pass; the Gaussian
// process is its covariance, a Cholesky factor and one inverse, in float64
// loops. All drop the constants Stan's ~ drops and include the Jacobians
// of the lower bounds.

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
// for t > K, a scalar loop in Stan. This floor is one O(T K) pass; the
// compiled loop is a regression on a fixed design (affine.go), O(K²)
// per gradient from its QR factorisation, and runs below it.
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

// hmmFloor is hmm_drive_0 (testdata/speed): a K-state HMM with
// exponential emissions u[t] | phi[k] and v[t] | lambda[k], transition
// rows theta[j] ~ dirichlet(alpha[j]), normal priors on the ordered
// rates, and the forward algorithm's log_sum_exp over the last step. The
// gradient is the forward pass, keeping the softmax weights of every
// step, and one backward pass over them (the forward-backward
// recursion, Rabiner 1989, in log space). K = 2 here: simplexes of two
// elements by Stan's stick-breaking, z = inv_logit(y).
type hmmFloor struct {
	u, v  []float64
	alpha [2][2]float64
	// gamma is the forward variable, w the weights of gamma[t-1, j] in
	// gamma[t, k] and beta the adjoints, N×K, N×K×K and N×K.
	gamma, w, beta []float64
}

func newHMMFloor(d model.Data) *hmmFloor {
	n := len(d["u"].Elems)
	a := d["alpha"].Elems
	return &hmmFloor{u: d["u"].Elems, v: d["v"].Elems, alpha: [2][2]float64{{a[0], a[1]}, {a[2], a[3]}},
		gamma: make([]float64, 2*n), w: make([]float64, 4*n), beta: make([]float64, 2*n)}
}

func (f *hmmFloor) grad(theta, g []float64) float64 {
	const K = 2
	n := len(f.u)
	var th, lth [K][K]float64 // theta[j, k] and its log
	lp := 0.0
	for j := range K {
		z := 1 / (1 + math.Exp(-theta[j]))
		th[j] = [K]float64{z, 1 - z}
		lp += math.Log(z) + math.Log(1-z) // the Jacobian
		for k := range K {
			lth[j][k] = math.Log(th[j][k])
			lp += (f.alpha[j][k] - 1) * lth[j][k]
		}
	}
	e1, e2 := math.Exp(theta[2]), math.Exp(theta[3])
	l1, l2 := math.Exp(theta[4]), math.Exp(theta[5])
	phi, lam := [K]float64{e1, e1 + e2}, [K]float64{l1, l1 + l2}
	lp += theta[2] + theta[3] + theta[4] + theta[5] // the Jacobians
	lp -= 0.5*phi[0]*phi[0] + 0.5*(phi[1]-3)*(phi[1]-3) + 0.5*lam[0]*lam[0] + 0.5*(lam[1]-3)*(lam[1]-3)
	lphi, llam := [K]float64{math.Log(phi[0]), math.Log(phi[1])}, [K]float64{math.Log(lam[0]), math.Log(lam[1])}
	gm, w, b := f.gamma, f.w, f.beta
	for k := range K {
		gm[k] = lphi[k] - phi[k]*f.u[0] + llam[k] - lam[k]*f.v[0]
	}
	for t := 1; t < n; t++ {
		prev, cur := gm[(t-1)*K:t*K], gm[t*K:(t+1)*K]
		for k := range K {
			em := lphi[k] - phi[k]*f.u[t] + llam[k] - lam[k]*f.v[t]
			a0, a1 := prev[0]+lth[0][k], prev[1]+lth[1][k]
			m := math.Max(a0, a1)
			x0, x1 := math.Exp(a0-m), math.Exp(a1-m)
			s := x0 + x1
			cur[k] = m + math.Log(s) + em
			w[(t*K+k)*K], w[(t*K+k)*K+1] = x0/s, x1/s
		}
	}
	last := gm[(n-1)*K:]
	m := math.Max(last[0], last[1])
	x0, x1 := math.Exp(last[0]-m), math.Exp(last[1]-m)
	lp += m + math.Log(x0+x1)
	clear(b)
	b[(n-1)*K], b[(n-1)*K+1] = x0/(x0+x1), x1/(x0+x1)
	var dlth [K][K]float64
	var dphi, dlam [K]float64
	for t := n - 1; t >= 0; t-- {
		for k := range K {
			a := b[t*K+k]
			dphi[k] += a * (1/phi[k] - f.u[t])
			dlam[k] += a * (1/lam[k] - f.v[t])
			if t == 0 {
				continue
			}
			for j := range K {
				aw := a * w[(t*K+k)*K+j]
				b[(t-1)*K+j] += aw
				dlth[j][k] += aw
			}
		}
	}
	for j := range K {
		// d/dtheta[j, k] of the forward pass and the Dirichlet, then
		// through z = inv_logit(y): theta[j] = (z, 1 - z).
		d0 := (dlth[j][0] + f.alpha[j][0] - 1) / th[j][0]
		d1 := (dlth[j][1] + f.alpha[j][1] - 1) / th[j][1]
		z := th[j][0]
		g[j] = (d0-d1)*z*(1-z) + 1 - 2*z
	}
	dphi[0] -= phi[0]
	dphi[1] -= phi[1] - 3
	dlam[0] -= lam[0]
	dlam[1] -= lam[1] - 3
	g[2] = (dphi[0]+dphi[1])*e1 + 1
	g[3] = dphi[1]*e2 + 1
	g[4] = (dlam[0]+dlam[1])*l1 + 1
	g[5] = dlam[1]*l2 + 1
	return lp
}

// gpFloor is gp_regr: K = alpha² exp(-d²/(2 rho²)) + sigma I over the
// points x, L = cholesky(K), y ~ multi_normal_cholesky(0, L), with
// rho ~ gamma(25, 4), alpha ~ normal(0, 2), sigma ~ normal(0, 1).
//
// With w = K⁻¹ y, the log density's derivative with respect to K is
// G = ½ (w wᵀ - K⁻¹), and each parameter's is Σ G ∘ ∂K/∂parameter.
type gpFloor struct {
	x, y []float64
	// d2 is the matrix of squared distances; e, l and li are working
	// memory for exp(-d²/(2 rho²)), L and L⁻¹ (column-major, lower).
	d2, e, l, li, w []float64
}

func newGPFloor(x, y []float64) *gpFloor {
	n := len(x)
	f := &gpFloor{x: x, y: y, d2: make([]float64, n*n), e: make([]float64, n*n),
		l: make([]float64, n*n), li: make([]float64, n*n), w: make([]float64, n)}
	for j := range n {
		for i := range n {
			d := x[i] - x[j]
			f.d2[i+j*n] = d * d
		}
	}
	return f
}

func (f *gpFloor) grad(theta, g []float64) float64 {
	n := len(f.y)
	rho, alpha, sigma := math.Exp(theta[0]), math.Exp(theta[1]), math.Exp(theta[2])
	a2, c := alpha*alpha, -1/(2*rho*rho)
	l, e, li, w := f.l, f.e, f.li, f.w
	for j := range n {
		for i := j; i < n; i++ {
			e[i+j*n] = math.Exp(f.d2[i+j*n] * c)
			l[i+j*n] = a2 * e[i+j*n]
		}
		l[j+j*n] += sigma
	}
	// Cholesky, left-looking by columns, in place on the lower triangle.
	logDet := 0.0
	for j := range n {
		for k := range j {
			ljk := l[j+k*n]
			for i := j; i < n; i++ {
				l[i+j*n] -= l[i+k*n] * ljk
			}
		}
		d := math.Sqrt(l[j+j*n])
		logDet += math.Log(d)
		l[j+j*n] = d
		for i := j + 1; i < n; i++ {
			l[i+j*n] /= d
		}
	}
	// z = L⁻¹ y (in w), then w = L⁻ᵀ z = K⁻¹ y.
	copy(w, f.y)
	zz := 0.0
	for j := range n {
		w[j] /= l[j+j*n]
		zz += w[j] * w[j]
		for i := j + 1; i < n; i++ {
			w[i] -= l[i+j*n] * w[j]
		}
	}
	for i := n - 1; i >= 0; i-- {
		s := w[i]
		for k := i + 1; k < n; k++ {
			s -= l[k+i*n] * w[k]
		}
		w[i] = s / l[i+i*n]
	}
	// L⁻¹ column by column; then (K⁻¹)_ij = Σ_k (L⁻¹)_ki (L⁻¹)_kj.
	clear(li)
	for j := range n {
		col := li[j*n : (j+1)*n]
		col[j] = 1
		for p := j; p < n; p++ {
			col[p] /= l[p+p*n]
			for i := p + 1; i < n; i++ {
				col[i] -= l[i+p*n] * col[p]
			}
		}
	}
	var dA, dR, dS float64 // Σ G ∘ E, Σ G ∘ E ∘ d², trace G
	for j := range n {
		for i := j; i < n; i++ {
			kinv := 0.0
			for k := i; k < n; k++ {
				kinv += li[k+i*n] * li[k+j*n]
			}
			gij := 0.5 * (w[i]*w[j] - kinv)
			if i != j {
				gij *= 2 // the upper triangle's twin
			} else {
				dS += gij
			}
			dA += gij * e[i+j*n]
			dR += gij * e[i+j*n] * f.d2[i+j*n]
		}
	}
	lp := 24*theta[0] - 4*rho - alpha*alpha/8 - sigma*sigma/2 - 0.5*zz - logDet + theta[0] + theta[1] + theta[2]
	// ∂K/∂alpha = 2 alpha E, ∂K/∂rho = alpha² E ∘ d² / rho³, ∂K/∂sigma = I,
	// and d/dθ = rho d/drho + 1 for θ = log rho, and so on.
	g[0] = 24 - 4*rho + dR*a2/(rho*rho) + 1
	g[1] = -alpha*alpha/4 + 2*a2*dA + 1
	g[2] = -sigma*sigma + sigma*dS + 1
	return lp
}

// floorCase is a compiled model and its hand-written gradient.
type floorCase struct {
	name string
	m    *Model
	f    func(theta, g []float64) float64
}

func loadFloors(t testing.TB) []floorCase {
	data := func(name string) model.Data {
		d, err := model.ReadDataFile("../testdata/posteriordb/data/data/" + name + ".json.zip")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	compiled := func(name string, d model.Data) *Model {
		m, err := build(t, "../testdata/posteriordb/models/stan/"+name+".stan", d)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	kid := data("kidiq")
	mf := &momhsFloor{y: kid["kid_score"].Elems, x: kid["mom_hs"].Elems}
	d := data("nes1972")
	nf := &nesFloor{y: d["partyid7"].Elems}
	for i := range nf.y {
		age := d["age_discrete"].Elems[i]
		nf.x = append(nf.x, [8]float64{d["real_ideo"].Elems[i], d["race_adj"].Elems[i], b2f(age == 2), b2f(age == 3), b2f(age == 4),
			d["educ1"].Elems[i], d["gender"].Elems[i], d["income"].Elems[i]})
	}
	gp := data("gp_pois_regr")
	gf := newGPFloor(gp["x"].Elems, gp["y"].Elems)
	ark, af := loadARK(t)
	hd, err := model.ReadDataFile("testdata/speed/bball_drive_event_0.json")
	if err != nil {
		t.Fatal(err)
	}
	hmm, err := build(t, "testdata/speed/hmm_drive_0.stan", hd)
	if err != nil {
		t.Fatal(err)
	}
	return []floorCase{
		{"kidscore_momhs", compiled("kidscore_momhs", kid), mf.grad},
		{"nes", compiled("nes", d), nf.grad},
		{"gp_regr", compiled("gp_regr", gp), gf.grad},
		{"arK", ark, af.grad},
		{"hmm_drive_0", hmm, newHMMFloor(hd).grad},
	}
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
	rng := rand.New(rand.NewPCG(5, 5))
	for _, c := range loadFloors(t) {
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
// hand-written ones.
func BenchmarkFloors(b *testing.B) {
	for _, c := range loadFloors(b) {
		compiled := func(th, g []float64) float64 { v, _ := c.m.LogDensity(th, g); return v }
		for _, v := range []struct {
			kind string
			f    func(theta, g []float64) float64
		}{{"compiled", compiled}, {"hand-written", c.f}} {
			b.Run(c.name+"/"+v.kind, func(b *testing.B) {
				d := c.m.Dim()
				theta, g := make([]float64, d), make([]float64, d)
				for i := range theta {
					theta[i] = 0.1 * float64(i+1)
				}
				v.f(theta, g) // warm: the first evaluation sizes the tape
				b.ReportAllocs()
				loopCPU(b, func() { v.f(theta, g) })
			})
		}
	}
}
