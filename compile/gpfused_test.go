package compile

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// gpProgram is a GP regression whose model block is the fused pattern
// (body as given) or, wrapped in braces, the same statements unfused:
// the pattern is looked for in the model block's own statement list.
func gpProgram(points, cov, mu string, wrap bool) string {
	body := fmt.Sprintf(`
  matrix[N, N] K = %s;
  matrix[N, N] L = cholesky_decompose(K);
  rho ~ gamma(25, 4);
  alpha ~ normal(0, 2);
  sigma ~ normal(0, 1);
  y ~ multi_normal_cholesky(%s, L);`, cov, mu)
	if wrap {
		body = "{" + body + "\n}"
	}
	return fmt.Sprintf(`
data { int<lower=1> N; array[N] %s x; vector[N] y; vector[N] m; }
parameters { real<lower=0> rho; real<lower=0> alpha; real<lower=0> sigma; }
model {%s
}
`, points, body)
}

func gpData(t *testing.T, vectorPoints bool) model.Data {
	x := "[-2.1, -1.3, -0.4, 0.2, 0.9, 1.7, 2.5]"
	if vectorPoints {
		x = "[[-2.1, 0.3], [-1.3, 0.1], [-0.4, -0.5], [0.2, 0.8], [0.9, 0.2], [1.7, -0.3], [2.5, 0.6]]"
	}
	d, err := model.ReadData(strings.NewReader(`{"N": 7, "x": ` + x + `,
		"y": [0.3, -0.8, 1.1, 0.4, -0.2, 0.9, -1.4], "m": [0.1, 0, -0.2, 0.3, 0, 0.1, -0.1]}`))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestGPFusedAgrees compares the fused marginal likelihood with the same
// statements evaluated node by node: values, gradients and the errors of
// points where the covariance is not positive definite.
func TestGPFusedAgrees(t *testing.T) {
	cases := []struct {
		name, points, cov, mu string
	}{
		{"gp_regr", "real", "gp_exp_quad_cov(x, alpha, rho) + diag_matrix(rep_vector(sigma, N))", "rep_vector(0, N)"},
		{"diag first, mean", "real", "diag_matrix(rep_vector(sigma, N)) + cov_exp_quad(x, alpha, rho)", "m"},
		{"vector points", "vector[2]", "(gp_exp_quad_cov(x, alpha, rho) + diag_matrix(rep_vector(sigma, N)))", "m"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := gpData(t, c.points != "real")
			fused := buildSource(t, gpProgram(c.points, c.cov, c.mu, false), d)
			plain := buildSource(t, gpProgram(c.points, c.cov, c.mu, true), d)
			if fused.p.model == nil || plain.p.model == nil {
				t.Fatal("no model block")
			}
			for _, q := range [][]float64{{0.5, 0.2, -1}, {-0.3, 1.2, 0.4}, {1.4, -0.7, -3}, {0, 0, 0}} {
				gf, gp := make([]float64, 3), make([]float64, 3)
				lf, errF := fused.LogDensity(q, gf)
				lp, errP := plain.LogDensity(q, gp)
				if errF != nil || errP != nil {
					t.Fatalf("at %v: %v, %v", q, errF, errP)
				}
				if math.Abs(lf-lp) > 1e-12*math.Max(1, math.Abs(lp)) {
					t.Errorf("at %v: fused log density %v, unfused %v", q, lf, lp)
				}
				for i := range gf {
					if math.Abs(gf[i]-gp[i]) > 1e-9*math.Max(1, math.Abs(gp[i])) {
						t.Errorf("at %v: fused gradient %v, unfused %v", q, gf, gp)
						break
					}
				}
			}
		})
	}
}

// TestGPFusedFallsBack: where the fused form does not apply (a covariance
// that is not positive definite, sizes that do not match) the statements
// run as written, with their errors.
func TestGPFusedFallsBack(t *testing.T) {
	d := gpData(t, false)
	cov := "gp_exp_quad_cov(x, alpha, rho) + diag_matrix(rep_vector(sigma, N))"
	// sigma - 3 on the diagonal makes the covariance indefinite for small sigma.
	shifted := "gp_exp_quad_cov(x, alpha, rho) + diag_matrix(rep_vector(sigma - 3, N))"
	for _, c := range []struct {
		name, cov string
		q         []float64
		fails     bool
	}{
		{"not positive definite", shifted, []float64{0, 0, 0}, true},
		{"positive definite", shifted, []float64{0, -1, 2}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			fused := buildSource(t, gpProgram("real", c.cov, "m", false), d)
			plain := buildSource(t, gpProgram("real", c.cov, "m", true), d)
			gf, gp := make([]float64, 3), make([]float64, 3)
			lf, errF := fused.LogDensity(c.q, gf)
			lp, errP := plain.LogDensity(c.q, gp)
			if (errF != nil) != c.fails || fmt.Sprint(errF) != fmt.Sprint(errP) {
				t.Fatalf("errors differ: fused %v, unfused %v", errF, errP)
			}
			if math.Abs(lf-lp) > 1e-12*math.Max(1, math.Abs(lp)) {
				t.Errorf("fused %v, unfused %v", lf, lp)
			}
		})
	}
	// A declared size that does not match the covariance: the
	// declaration's own error.
	src := strings.Replace(gpProgram("real", cov, "m", false), "matrix[N, N] K", "matrix[N + 1, N] K", 1)
	m := buildSource(t, src, d)
	_, err := m.LogDensity([]float64{0, 0, 0}, make([]float64, 3))
	if err == nil || !strings.Contains(err.Error(), "size mismatch in assignment") {
		t.Fatalf("got %v, want the declaration's size error", err)
	}
}

// TestGPFusedOnlyWhereUnread: the pattern fuses (a handful of tape
// slots instead of the n × n matrices), except where K or L is read
// elsewhere, which keeps the statements as written.
func TestGPFusedOnlyWhereUnread(t *testing.T) {
	d := gpData(t, false)
	src := gpProgram("real", "gp_exp_quad_cov(x, alpha, rho) + diag_matrix(rep_vector(sigma, N))", "m", false)
	read := strings.Replace(src, "sigma ~ normal(0, 1);", "sigma ~ normal(0, 1);\n  target += -0.01 * L[2, 1];", 1)
	q, g := []float64{0.1, 0.2, 0.3}, make([]float64, 3)
	slots := func(src string) int {
		m := buildSource(t, src, d)
		if _, err := m.LogDensity(q, g); err != nil {
			t.Fatal(err)
		}
		return m.e.t.Len()
	}
	const n = 7
	if got := slots(src); got >= n*n/2 {
		t.Errorf("fused: %d tape slots, want fewer than %d", got, n*n/2)
	}
	if got := slots(read); got < n*n {
		t.Errorf("L read elsewhere: %d tape slots, want the unfused matrices' (at least %d)", got, n*n)
	}
}

// BenchmarkGPFused times one gradient of a GP regression with n points,
// fused and node by node (the same statements in a block).
func BenchmarkGPFused(b *testing.B) {
	for _, n := range []int{11, 40, 100} {
		x, y := make([]string, n), make([]string, n)
		for i := range n {
			x[i] = fmt.Sprint(-3 + 6*float64(i)/float64(n-1))
			y[i] = fmt.Sprint(math.Sin(float64(i)))
		}
		d, err := model.ReadData(strings.NewReader(fmt.Sprintf(`{"N": %d, "x": [%s], "y": [%s], "m": [%s]}`,
			n, strings.Join(x, ","), strings.Join(y, ","), strings.Join(y, ","))))
		if err != nil {
			b.Fatal(err)
		}
		for _, wrap := range []bool{false, true} {
			name := fmt.Sprintf("n=%d/fused", n)
			if wrap {
				name = fmt.Sprintf("n=%d/nodes", n)
			}
			b.Run(name, func(b *testing.B) {
				p, err := Source("gp.stan", []byte(gpProgram("real", "gp_exp_quad_cov(x, alpha, rho) + diag_matrix(rep_vector(sigma, N))", "rep_vector(0, N)", wrap)))
				if err != nil {
					b.Fatal(err)
				}
				m, err := p.NewModel(d, 1)
				if err != nil {
					b.Fatal(err)
				}
				q, g := []float64{0.2, 0.1, -1}, make([]float64, 3)
				if _, err := m.LogDensity(q, g); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				loopCPU(b, func() { m.LogDensity(q, g) })
			})
		}
	}
}
