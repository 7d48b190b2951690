package stein

import (
	"math"
	"math/rand/v2"
	"testing"
)

// kernelCases are the kernels and their options the tests check.
func kernelCases() map[string]func() Kernel {
	return map[string]func() Kernel{
		"rbf norm":            func() Kernel { return NewRBF() },
		"rbf vector":          func() Kernel { return &RBF{Mode: Vector} },
		"rbf matrix norm":     func() Kernel { return &RBF{Mode: Matrix} },
		"rbf matrix vector":   func() Kernel { return &RBF{Mode: Matrix, MatrixMode: VectorDiag} },
		"rbf factor":          func() Kernel { return &RBF{BandwidthFactor: func(int) float64 { return 0.3 }} },
		"linear":              func() Kernel { return &Linear{} },
		"linear vector":       func() Kernel { return &Linear{Vector: true} },
		"random":              func() Kernel { return &RandomFeature{} },
		"random subset":       func() Kernel { return &RandomFeature{Features: 7, BandwidthSubset: 3, RandomIndices: []int{0, 2, 5}} },
		"mixture":             func() Kernel { return &Mixture{Weights: []float64{0.3, 0.7}, Kernels: []Kernel{NewRBF(), &Linear{}}} },
		"graphical":           func() Kernel { return &Graphical{} },
		"graphical blocks":    func() Kernel { return &Graphical{Blocks: [][]int{{0, 3}, {1, 2}}, Kernels: []Kernel{&Linear{}}} },
		"probability product": func() Kernel { return &ProbabilityProduct{} },
		"product scale 0.5":   func() Kernel { return &ProbabilityProduct{Scale: 0.5} },
	}
}

// TestKernelGradients checks every kernel's ∂K_dd/∂x_d against central
// differences of K_dd, at random pairs of particles.
func TestKernelGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, d = 6, 4
	for name, mk := range kernelCases() {
		k := mk()
		ps := matrix(n, d)
		for _, p := range ps {
			for c := range p {
				p[c] = rng.NormFloat64()
			}
		}
		if err := k.Prepare(ps, rng); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		val, grad := make([]float64, d), make([]float64, d)
		vp, vm, scratch := make([]float64, d), make([]float64, d), make([]float64, d)
		for i := range n {
			for j := range n {
				x, y := append([]float64(nil), ps[i]...), ps[j]
				k.Eval(x, y, val, grad)
				for c := range d {
					const h = 1e-5
					x[c] += h
					k.Eval(x, y, vp, scratch)
					x[c] -= 2 * h
					k.Eval(x, y, vm, scratch)
					x[c] += h
					fd := (vp[c] - vm[c]) / (2 * h)
					if math.Abs(fd-grad[c]) > 1e-6*(1+math.Abs(fd)) {
						t.Errorf("%s: particles %d, %d, coordinate %d: gradient %v, finite difference %v", name, i, j, c, grad[c], fd)
					}
				}
			}
		}
	}
}

// TestKernelsTwoParticles checks each kernel's value and gradient on two
// particles against figures worked by hand.
func TestKernelsTwoParticles(t *testing.T) {
	x, y := []float64{0, 0}, []float64{1, 2}
	ps := [][]float64{x, y}
	ln2 := math.Log(2)
	// Norm RBF: med² = 5, h = 5/log 2, k = exp(-5/h) = ½, ∇_x k = -2(x-y)/h k.
	// Vector RBF: h = (1, 4)/log 2, each k_d = ½, ∂_d k_d = (log 2, log 2 / 2).
	// Linear at x = (1, 2), y = (3, -1): k = 3 - 2 + 1 = 2, ∇_x k = y.
	rbfVal, rbfGrad := []float64{0.5, 0.5}, []float64{0.2 * ln2, 0.4 * ln2}
	vecVal, vecGrad := []float64{0.5, 0.5}, []float64{ln2, ln2 / 2}
	cases := []struct {
		name      string
		k         Kernel
		x, y      []float64
		val, grad []float64
	}{
		{"rbf norm", NewRBF(), x, y, rbfVal, rbfGrad},
		{"rbf matrix norm_diag", &RBF{Mode: Matrix}, x, y, rbfVal, rbfGrad},
		{"rbf vector", &RBF{Mode: Vector}, x, y, vecVal, vecGrad},
		{"rbf matrix vector_diag", &RBF{Mode: Matrix, MatrixMode: VectorDiag}, x, y, vecVal, vecGrad},
		// factor 1/2 instead of 1/log 2: h = 2.5, k = exp(-2), ∇_x k = (2, 4)/2.5 k.
		{"rbf factor ½", &RBF{BandwidthFactor: func(int) float64 { return 0.5 }}, x, y,
			[]float64{math.Exp(-2), math.Exp(-2)}, []float64{0.8 * math.Exp(-2), 1.6 * math.Exp(-2)}},
		{"linear", &Linear{}, []float64{1, 2}, []float64{3, -1}, []float64{2, 2}, []float64{3, -1}},
		{"linear vector", &Linear{Vector: true}, []float64{1, 2}, []float64{3, -1}, []float64{4, -1}, []float64{3, -1}},
		// 0.3 RBF + 0.7 linear at x = 0: the linear kernel is 1 with gradient y.
		{"mixture", &Mixture{Weights: []float64{0.3, 0.7}, Kernels: []Kernel{NewRBF(), &Linear{}}}, x, y,
			[]float64{0.15 + 0.7, 0.15 + 0.7}, []float64{0.3*0.2*ln2 + 0.7, 0.3*0.4*ln2 + 0.7*2}},
		// one RBF per coordinate: the vector RBF's figures.
		{"graphical", &Graphical{}, x, y, vecVal, vecGrad},
	}
	for _, c := range cases {
		if err := c.k.Prepare(ps, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		val, grad := make([]float64, 2), make([]float64, 2)
		c.k.Eval(c.x, c.y, val, grad)
		for d := range 2 {
			if math.Abs(val[d]-c.val[d]) > 1e-5 || math.Abs(grad[d]-c.grad[d]) > 1e-5 {
				t.Errorf("%s: value %v gradient %v, want %v and %v", c.name, val, grad, c.val, c.grad)
				break
			}
		}
	}

	// Random features with one feature w = (1, 0.5), b = 0.3, h = 5/log 2:
	// k = 2 cos(0.3) cos(0.3 + 2/h), ∇_x k = -2 sin(0.3) cos(0.3 + 2/h) w / h.
	rf := &RandomFeature{}
	if err := rf.Prepare(ps, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	rf.w, rf.b, rf.use = [][]float64{{1, 0.5}}, []float64{0.3}, []int{0}
	val, grad := make([]float64, 2), make([]float64, 2)
	rf.Eval(x, y, val, grad)
	h := 5 / ln2
	wantK := 2 * math.Cos(0.3) * math.Cos(0.3+2/h)
	g0 := -2 * math.Sin(0.3) * math.Cos(0.3+2/h) / h
	if math.Abs(val[0]-wantK) > 1e-5 || math.Abs(grad[0]-g0) > 1e-5 || math.Abs(grad[1]-0.5*g0) > 1e-5 {
		t.Errorf("random features: value %v gradient %v, want %v and (%v, %v)", val, grad, wantK, g0, 0.5*g0)
	}

	// Probability product of N(0, 1) and N(1, 2²): N(-1; 0, 5) =
	// exp(-0.1)/√(10π); ∂/∂μ = k/5; ∂/∂σ = k(-1/5 + 1/25), times the
	// softplus' at the raw scale, 1 - 1/e.
	pp := &ProbabilityProduct{}
	px := []float64{0, math.Log(math.E - 1)}
	py := []float64{1, math.Log(math.Exp(2) - 1)}
	if err := pp.Prepare([][]float64{px, py}, nil); err != nil {
		t.Fatal(err)
	}
	pp.Eval(px, py, val, grad)
	k := math.Exp(-0.1) / math.Sqrt(10*math.Pi)
	if math.Abs(val[0]-k) > 1e-9 || math.Abs(grad[0]-k/5) > 1e-9 || math.Abs(grad[1]+0.16*k*(1-1/math.E)) > 1e-9 {
		t.Errorf("probability product: value %v gradient %v, want %v, (%v, %v)", val, grad, k, k/5, -0.16*k*(1-1/math.E))
	}
}

// TestMedian checks the selection against sorted figures, with ties.
func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{{[]float64{3}, 3}, {[]float64{4, 1}, 2.5}, {[]float64{5, 1, 3}, 3}, {[]float64{2, 2, 2, 1, 9, 9}, 2}, {[]float64{7, 1, 4, 4, 0, 8, 3, 5}, 4}} {
		if got := median(append([]float64(nil), c.xs...)); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}

// TestKernelErrors: options that cannot work are errors, not panics.
func TestKernelErrors(t *testing.T) {
	ps := [][]float64{{0, 1, 2}, {1, 2, 3}}
	for name, k := range map[string]Kernel{
		"mixture weights":  &Mixture{Weights: []float64{1}, Kernels: []Kernel{NewRBF(), &Linear{}}},
		"graphical blocks": &Graphical{Blocks: [][]int{{0, 1}}},
		"graphical twice":  &Graphical{Blocks: [][]int{{0, 1}, {1, 2}}},
		"random index":     &RandomFeature{Features: 2, RandomIndices: []int{2}},
		"product odd":      &ProbabilityProduct{},
	} {
		if err := k.Prepare(ps, rand.New(rand.NewPCG(1, 1))); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
