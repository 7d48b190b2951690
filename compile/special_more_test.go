package compile

import (
	"math"
	"strings"
	"testing"
)

// TestInverseSpecialFunctions checks the inverses and quantiles against
// the functions they invert, Go's math.Erfcinv and closed forms, and
// their gradients against finite differences.
func TestInverseSpecialFunctions(t *testing.T) {
	at := []float64{2.5, 0.7, 1.3}
	invLogit := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	checkExprs(t, "", at, []exprCase{
		// W₀(w eʷ) = w for w ≥ -1 and W₋₁(w eʷ) = w for w ≤ -1.
		{"lambert_w0(x[1] * exp(x[1])) + lambert_w0(-x[2] * exp(-x[2]))", func(v []float64) float64 { return v[0] - v[1] }},
		{"lambert_wm1(-(1 + x[3]^2) * exp(-(1 + x[3]^2)))", func(v []float64) float64 { return -(1 + v[2]*v[2]) }},
		{"lambert_w0(x[3])", nil},
		{"inv_erfc(inv_logit(x[2])) + inv_erfc(2 - inv_logit(x[3]))", func(v []float64) float64 {
			return math.Erfcinv(invLogit(v[1])) + math.Erfcinv(2-invLogit(v[2]))
		}},
		// Φ⁻¹(p) = -√2 erfc⁻¹(2p), from e^lp as well.
		{"std_normal_qf(inv_logit(x[2])) + std_normal_log_qf(log_inv_logit(-x[1]))", func(v []float64) float64 {
			return -math.Sqrt2*math.Erfcinv(2*invLogit(v[1])) - math.Sqrt2*math.Erfcinv(2*invLogit(-v[0]))
		}},
		{"log_inv_logit_diff(x[1], x[2])", func(v []float64) float64 { return math.Log(invLogit(v[0]) - invLogit(v[1])) }},
		{"ldexp(x[1], 3) + ldexp(x[2], -2)", func(v []float64) float64 { return 8*v[0] + v[1]/4 }},
		// I_x(1, b) = 1 - (1-x)^b and I_x(a, 1) = x^a.
		{"inv_inc_beta(1, x[1], inv_logit(x[2])) + inv_inc_beta(x[3], 1, inv_logit(x[2]))", func(v []float64) float64 {
			p := invLogit(v[1])
			return 1 - math.Pow(1-p, 1/v[0]) + math.Pow(p, 1/v[2])
		}},
		{"inv_inc_beta(x[1], x[3], inv_logit(x[2]))", nil},
	})
}

// TestVectorizedBinaryFunctions checks the container forms of the binary
// functions against their scalar definitions: two containers, a container
// and a scalar in either order, and int arguments.
func TestVectorizedBinaryFunctions(t *testing.T) {
	at := []float64{2.5, 0.7, 1.3}
	sum := func(v []float64, f func(i int, x float64) float64) float64 {
		s := 0.0
		for i, x := range v {
			s += f(i, x)
		}
		return s
	}
	checkExprs(t, "", at, []exprCase{
		{"sum(pow(x, 2)) + sum(pow(2, x)) + sum(pow(x, x))", func(v []float64) float64 {
			return sum(v, func(_ int, x float64) float64 { return x*x + math.Pow(2, x) + math.Pow(x, x) })
		}},
		{"sum(fmax(to_array_1d(x), 1.0)) + sum(fmin(x', x' / 2)) + sum(fdim(x, 1))", func(v []float64) float64 {
			return sum(v, func(_ int, x float64) float64 { return math.Max(x, 1) + x/2 + math.Max(x-1, 0) })
		}},
		{"sum(bessel_first_kind({0, 1, 2}, to_array_1d(x))) + sum(modified_bessel_first_kind(0, x))", func(v []float64) float64 {
			return sum(v, func(i int, x float64) float64 { return math.Jn(i, x) + besselISeries(0, x) })
		}},
		{"sum(falling_factorial(x, 2)) + sum(rising_factorial(to_array_1d(x), {1, 2, 1}))", func(v []float64) float64 {
			r := []float64{v[0], v[1] * (v[1] + 1), v[2]}
			return sum(v, func(i int, x float64) float64 { return x*(x-1) + r[i] })
		}},
		{"sum(log_inv_logit_diff(x, x - 1)) + sum(binary_log_loss({1, 0, 1}, inv_logit(to_array_1d(x))))", func(v []float64) float64 {
			il := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
			return sum(v, func(i int, x float64) float64 {
				l := -math.Log(il(x))
				if i == 1 {
					l = -math.Log(1 - il(x))
				}
				return math.Log(il(x)-il(x-1)) + l
			})
		}},
		{"sum(ldexp(to_array_1d(x), {1, 2, 3})) + sum(owens_t(x, 1))", func(v []float64) float64 {
			return sum(v, func(i int, x float64) float64 {
				p := 0.5 * math.Erfc(-x/math.Sqrt2)
				return x*math.Ldexp(1, i+1) + p*(1-p)/2
			})
		}},
		{"sum(choose({5, 6}, 2)) + sum(choose(5, {1, 2})) + sum(choose({4, 4}, {2, 4}))", func([]float64) float64 {
			return 10 + 15 + 5 + 10 + 6 + 1
		}},
		{"sum(lchoose(to_matrix(x, 1, 3), 1.5)) + sum(atan2(x, 2)) + sum(hypot({3.0, 1.0}, {4.0, 1.0}))", func(v []float64) float64 {
			lg := func(z float64) float64 { r, _ := math.Lgamma(z); return r }
			return sum(v, func(_ int, x float64) float64 {
				return lg(x+1) - lg(2.5) - lg(x-0.5) + math.Atan2(x, 2)
			}) + 5 + math.Sqrt2
		}},
	})
}

// TestVectorizedFmaAndIntVectors checks fma of containers and scalars,
// and the binary functions of an int array and a vector.
func TestVectorizedFmaAndIntVectors(t *testing.T) {
	at := []float64{2.5, 0.7, 1.3}
	checkExprs(t, "", at, []exprCase{
		{"sum(fma(x, x, 1)) + sum(fma(2, x', x')) + sum(fma(to_matrix(x, 3, 1), 3, to_matrix(x, 3, 1)))", func(v []float64) float64 {
			s := 0.0
			for _, x := range v {
				s += x*x + 1 + 2*x + x + 3*x + x
			}
			return s
		}},
		{"sum(bessel_first_kind({0, 1, 2}, x)) + sum(falling_factorial(x', {1, 2, 1}))", func(v []float64) float64 {
			return math.Jn(0, v[0]) + math.Jn(1, v[1]) + math.Jn(2, v[2]) + v[0] + v[1]*(v[1]-1) + v[2]
		}},
	})
}

// TestMoreVectorizedForms checks the int factorials, lmgamma and
// log_sum_exp of containers, and log_mix of row vectors.
func TestMoreVectorizedForms(t *testing.T) {
	at := []float64{2.5, 0.7, 1.3}
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	checkExprs(t, "", at, []exprCase{
		{"falling_factorial(5, 2) + 10 * rising_factorial(3, 3) + sum(falling_factorial({5, 6}, 2))", func([]float64) float64 {
			return 20 + 10*60 + 20 + 30
		}},
		// A zero factor, or 200!'s 197 factors of 2 wrapping around, ends
		// the product: n = 2³¹ - 1 took two billion multiplications.
		{"falling_factorial(3, 2147483647) + rising_factorial(-4, 2147483647) + rising_factorial(1, 200) + rising_factorial(1, 2147483647)", func([]float64) float64 {
			return 0
		}},
		{"sum(lmgamma({1, 2}, x[1:2])) + sum(log_sum_exp(x, x'')) + sum(log_sum_exp(x, 1))", func(v []float64) float64 {
			s := lg(v[0]) + math.Log(math.Pi)/2 + lg(v[1]) + lg(v[1]-0.5)
			for _, x := range v {
				s += x + math.Ln2 + math.Log(math.Exp(x)+math.E)
			}
			return s
		}},
		{"log_mix([0.3, 0.7], {x[1:2]', x[2:3]'})", func(v []float64) float64 {
			m := func(a, b float64) float64 { return math.Log(0.3*math.Exp(a) + 0.7*math.Exp(b)) }
			return m(v[0], v[1]) + m(v[1], v[2])
		}},
	})
}

// TestArraySlices checks head, tail, segment and reverse of arrays of
// vectors, matrices and 2-d arrays.
func TestArraySlices(t *testing.T) {
	at := []float64{2.5, 0.7, 1.3, -0.4}
	checkExprs(t, "", at, []exprCase{
		{"sum(head({x[1:2], x[3:4]}, 1)[1]) + 10 * sum(tail({to_matrix(x, 2, 2), to_matrix(x, 2, 2)'}, 1)[1][1]) + 100 * segment({{1, 2}, {3, 4}, {5, 6}}, 2, 2)[2, 1] + 1000 * reverse({x[1:2]', x[3:4]'})[1][2]", func(v []float64) float64 {
			// The transpose's first row is (x1, x2).
			return v[0] + v[1] + 10*(v[0]+v[1]) + 100*5 + 1000*v[3]
		}},
	})
}

// TestIntFunctionDomains checks choose's zero for k > n and the errors,
// at the call's position, of choose and the int factorials outside their
// domains.
func TestIntFunctionDomains(t *testing.T) {
	checkExprs(t, "", []float64{0.5}, []exprCase{
		{"choose(3, 5) + sum(choose({2, 6}, {3, 2})) + x[1]", func(v []float64) float64 { return 15 + v[0] }},
	})
	for _, c := range []struct{ expr, want string }{
		{"choose(-1, 2)", "gaps.stan:2:19: choose: n (-1) and k (2) must be nonnegative"},
		{"falling_factorial(4, -1)", "gaps.stan:2:19: falling_factorial: n is -1, but must be nonnegative"},
		{"sum(rising_factorial({4, 2}, -1))", "gaps.stan:2:23: rising_factorial: n is -1, but must be nonnegative"},
	} {
		m := buildSource(t, "parameters { real x; }\nmodel { target += "+c.expr+"; }\n", nil)
		_, err := m.LogDensity([]float64{0.5}, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.expr, err, c.want)
		}
	}
}
