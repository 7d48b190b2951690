package compile

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// fastData and fastDecls are the programs of the vector fast paths'
// tests (vecaffine.go, fixedDensity, scalarCauchy): eight schools' shape
// with a matrix and a row vector beside.
var fastData = model.Data{
	"J":     {Elems: []float64{4}, Int: true},
	"k":     {Elems: []float64{3}, Int: true},
	"y":     {Dims: []int{4}, Elems: []float64{28, 8, -3, 7}},
	"yv":    {Dims: []int{4}, Elems: []float64{2.5, -1, 0.3, 4}},
	"sigma": {Dims: []int{4}, Elems: []float64{15, 10, 16, 11}},
	"d":     {Dims: []int{4}, Elems: []float64{0.5, -2, 1.5, 3}},
	"s3":    {Dims: []int{3}, Elems: []float64{1, 2, 3}},
	"s5":    {Dims: []int{5}, Elems: []float64{1, 2, 3, 4, 5}},
}

const fastDecls = "data { int J; int k; array[J] real y; vector[J] yv; array[J] real<lower=0> sigma; vector[J] d; vector[3] s3; vector[5] s5; }\n" +
	"parameters { vector[J] z; real mu; real<lower=0> tau; matrix[2, 2] A; row_vector[3] r; }\n"

// fastDim is the number of unconstrained parameters of fastDecls.
const fastDim = 4 + 1 + 1 + 4 + 3

// densityOf builds src over fastData.
func densityOf(t *testing.T, src string) *Model {
	t.Helper()
	return densityWith(t, src, allOptimizations)
}

// plainDensityOf is densityOf without fixedDensity.
func plainDensityOf(t *testing.T, src string) *Model {
	t.Helper()
	return densityWith(t, src, allOptimizations&^optPrepareFixed)
}

// densityWith builds src over fastData, compiled with the fused paths opts.
func densityWith(t *testing.T, src string, opts optimizations) *Model {
	t.Helper()
	p, err := sourceWith("m.stan", []byte(src), opts)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	m, err := p.NewModel(fastData, 1)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return m
}

// sameFastDensity checks that the model blocks fast and plain over fastDecls
// give the same log density and gradient at random points, to relative
// tolerance tol (0: to the last bit); plain is compiled without
// fixedDensity, so that its densities take dist's general drivers.
func sameFastDensity(t *testing.T, fast, plain string, tol float64) {
	t.Helper()
	mf := densityOf(t, fastDecls+"model {\n"+fast+"\n}\n")
	mp := plainDensityOf(t, fastDecls+"model {\n"+plain+"\n}\n")
	rng := rand.New(rand.NewPCG(5, 8))
	x := make([]float64, fastDim)
	gf, gp := make([]float64, fastDim), make([]float64, fastDim)
	for range 20 {
		for i := range x {
			x[i] = 4*rng.Float64() - 2
		}
		lf, err := mf.LogDensity(x, gf)
		if err != nil {
			t.Fatalf("%s: %v", fast, err)
		}
		lp, err := mp.LogDensity(x, gp)
		if err != nil {
			t.Fatalf("%s: %v", plain, err)
		}
		if math.Abs(lf-lp) > tol*math.Abs(lp) {
			t.Errorf("%s: lp %v, written out %v", fast, lf, lp)
		}
		for i := range gf {
			if math.Abs(gf[i]-gp[i]) > tol*math.Abs(gp[i]) {
				t.Errorf("%s: gradient[%d] %v, written out %v", fast, i, gf[i], gp[i])
			}
		}
	}
}

// TestVectorAffine compares s * v ± c and c ± s * v (vecaffine.go) with
// the product taken into a local first, which the fast form does not
// match: every order and sign, a matrix, a row vector, an int, data. The
// values are the operators' to the last bit; so are the gradients, except
// where s is also an element of v (its partials are summed in another
// order).
func TestVectorAffine(t *testing.T) {
	for _, c := range []struct{ fast, plain string }{
		{"vector[J] th = z * tau + mu; target += -dot_self(th - 1) + th[2] * th[3];",
			"vector[J] p = z * tau; vector[J] th = p + mu; target += -dot_self(th - 1) + th[2] * th[3];"},
		{"vector[J] th = mu + tau * z; target += -dot_self(th) + sum(th);",
			"vector[J] p = tau * z; vector[J] th = mu + p; target += -dot_self(th) + sum(th);"},
		{"vector[J] th = z * tau - mu; target += -dot_self(th) + 3 * th[1];",
			"vector[J] p = z * tau; vector[J] th = p - mu; target += -dot_self(th) + 3 * th[1];"},
		{"vector[J] th = mu - (tau * z); target += -dot_self(th) + th[4];",
			"vector[J] p = tau * z; vector[J] th = mu - p; target += -dot_self(th) + th[4];"},
		{"matrix[2, 2] B = 2 - A * mu; target += -sum(B .* B) + B[1, 2];",
			"matrix[2, 2] P = A * mu; matrix[2, 2] B = 2 - P; target += -sum(B .* B) + B[1, 2];"},
		{"row_vector[3] s = r * k + tau; target += -dot_self(s) * mu;",
			"row_vector[3] p = r * k; row_vector[3] s = p + tau; target += -dot_self(s) * mu;"},
		{"vector[J] th = d * tau + z[1]; target += -dot_self(th);",
			"vector[J] p = d * tau; vector[J] th = p + z[1]; target += -dot_self(th);"},
		{"vector[J] th = z * 2.5 + 1; target += -dot_self(th);",
			"vector[J] p = z * 2.5; vector[J] th = p + 1; target += -dot_self(th);"},
	} {
		sameFastDensity(t, c.fast, c.plain, 0)
	}
	sameFastDensity(t, "vector[J] th = z * z[2] + z[2]; target += -dot_self(th);",
		"vector[J] p = z * z[2]; vector[J] th = p + z[2]; target += -dot_self(th);", 1e-14)
}

// TestVectorAffineFiniteDifferences checks the fast form's gradient
// against central differences.
func TestVectorAffineFiniteDifferences(t *testing.T) {
	m := densityOf(t, fastDecls+"model { vector[J] th = mu - z * tau; row_vector[3] s = 1.5 + tau * r; target += -0.5 * dot_self(th - yv) - dot_self(s) + sum(th .* d); }\n")
	rng := rand.New(rand.NewPCG(2, 9))
	x, g, gh := make([]float64, fastDim), make([]float64, fastDim), make([]float64, fastDim)
	for range 5 {
		for i := range x {
			x[i] = 2*rng.Float64() - 1
		}
		if _, err := m.LogDensity(x, g); err != nil {
			t.Fatal(err)
		}
		for i := range x {
			const h = 1e-6
			xi := x[i]
			x[i] = xi + h
			up, _ := m.LogDensity(x, gh)
			x[i] = xi - h
			dn, _ := m.LogDensity(x, gh)
			x[i] = xi
			if fd := (up - dn) / (2 * h); math.Abs(fd-g[i]) > 1e-6*(1+math.Abs(fd)) {
				t.Errorf("gradient[%d] %v, finite differences %v", i, g[i], fd)
			}
		}
	}
}

// TestVectorNormalFast compares the vector normals of dist.NormalPrepare
// and the scalar Cauchy with the same densities called as functions,
// which take dist's general path.
func TestVectorNormalFast(t *testing.T) {
	for _, c := range []struct{ fast, plain string }{
		{"z ~ normal(0, 1);", "target += normal_lupdf(z | 0, 1);"},
		{"z ~ normal(0.0, 1.0); r ~ normal(0, 1);", "target += normal_lupdf(z | 0.0, 1.0); target += normal_lupdf(r | 0, 1);"},
		{"y ~ normal(z * tau + mu, sigma);", "target += normal_lupdf(y | z * tau + mu, sigma);"},
		{"yv ~ normal(z, sigma);", "target += normal_lupdf(yv | z, sigma);"},
		{"y ~ normal(d, sigma); z ~ normal(0, 1);", "target += normal_lupdf(y | d, sigma); target += normal_lupdf(z | 0, 1);"},
		{"tau ~ cauchy(0, 5); mu ~ cauchy(z[1], tau);", "target += cauchy_lupdf(tau | 0, 5); target += cauchy_lupdf(mu | z[1], tau);"},
	} {
		sameFastDensity(t, c.fast, c.plain, 0)
	}
}

// TestVectorNormalErrors checks that the fast forms report what the
// general path reports: a NaN variate, an infinite location, a scale
// that is not positive, sizes that differ.
func TestVectorNormalErrors(t *testing.T) {
	x := make([]float64, fastDim)
	for _, c := range []struct{ stmt, want string }{
		{"vector[J] w = z; w[2] = not_a_number(); w ~ normal(0, 1);", "normal_lpdf"},
		{"vector[J] m = z; m[3] = positive_infinity(); y ~ normal(m, sigma);", "normal_lpdf"},
		{"y ~ normal(z, d);", "normal_lpdf"},
		{"y ~ normal(z[1:3], sigma);", ""},
		{"y ~ normal(z, s3);", ""},
		{"y ~ normal(z, s5);", ""},
		{"real w = not_a_number(); w ~ cauchy(0, 1);", "cauchy_lpdf"},
		{"mu ~ cauchy(0, -1);", "cauchy_lpdf"},
	} {
		m := densityOf(t, fastDecls+"model {\n"+c.stmt+"\n}\n")
		_, err := m.LogDensity(x, make([]float64, fastDim))
		if err == nil {
			t.Errorf("%s: no error", c.stmt)
			continue
		}
		// The same statement written as a function call gives the same words.
		plain := strings.Replace(c.stmt, " ~ normal(", "__N(", 1)
		plain = strings.Replace(plain, " ~ cauchy(", "__C(", 1)
		if i := strings.Index(plain, "__"); i >= 0 {
			j := strings.LastIndex(plain[:i], " ")
			lhs := plain[j+1 : i]
			fn := map[byte]string{'N': "normal_lupdf", 'C': "cauchy_lupdf"}[plain[i+2]]
			args := strings.TrimSuffix(plain[i+4:], ");")
			plain = plain[:j+1] + "target += " + fn + "(" + lhs + " | " + args + ");"
		}
		mp := plainDensityOf(t, fastDecls+"model {\n"+plain+"\n}\n")
		_, perr := mp.LogDensity(x, make([]float64, fastDim))
		if perr == nil || !strings.Contains(err.Error(), c.want) || errText(err) != errText(perr) {
			t.Errorf("%s: error %v; the general path's %v", c.stmt, err, perr)
		}
	}
}

// errText is an error's words without its position (the two statements
// start at different columns).
func errText(err error) string {
	s := err.Error()
	if strings.HasPrefix(s, "m.stan:") {
		if i := strings.Index(s, ": "); i >= 0 {
			return s[i+2:]
		}
	}
	return s
}
