package dist

import (
	"github.com/gostan/gostan/mathx"
	"math"
	"testing"
)

// TestStudentTQfClosedForms checks the quantile against the closed forms
// of the Student-t quantile for 1, 2 and 4 degrees of freedom (Cauchy;
// Hill 1970) and a tabulated value, and its partials against central
// differences of the function itself.
func TestStudentTQfClosedForms(t *testing.T) {
	closed := map[float64]func(p float64) float64{
		1: func(p float64) float64 { return math.Tan(math.Pi * (p - 0.5)) },
		2: func(p float64) float64 { return (2*p - 1) / math.Sqrt(2*p*(1-p)) },
		4: func(p float64) float64 {
			a := 4 * p * (1 - p)
			q := math.Cos(math.Acos(math.Sqrt(a))/3) / math.Sqrt(a)
			return math.Copysign(2*math.Sqrt(q-1), p-0.5)
		},
	}
	for nu, f := range closed {
		for _, p := range []float64{1e-6, 0.01, 0.2, 0.4999, 0.5, 0.6, 0.9, 0.975, 1 - 1e-6} {
			q, _, _, _, _, err := StudentTQf(p, nu, 0.5, 2)
			if err != nil {
				t.Fatal(err)
			}
			want := 0.5 + 2*f(p)
			if math.Abs(q-want) > 1e-10*math.Max(1, math.Abs(want)) {
				t.Errorf("nu=%v p=%v: %v, want %v", nu, p, q, want)
			}
		}
	}
	// The 97.5% point of t with 10 degrees of freedom (Fisher & Yates'
	// table: 2.228; to 15 digits, 2.22813885198627).
	if q := StudentTQuantile(0.975, 10); math.Abs(q-2.22813885198627) > 1e-12 {
		t.Errorf("t_0.975,10 = %v", q)
	}
	// Large nu: the normal quantile in the limit, 1.959963984540054.
	if q := StudentTQuantile(0.975, 1e9); math.Abs(q-1.959963984540054) > 1e-7 {
		t.Errorf("t_0.975,1e9 = %v", q)
	}
	for _, c := range [][4]float64{{0.3, 3.5, 1, 2}, {0.8, 0.7, -1, 0.5}, {0.02, 12, 0, 1}, {0.999, 2.5, 3, 4}, {0.5, 5, 1, 2}} {
		q, dp, dnu, dmu, dsigma, err := StudentTQf(c[0], c[1], c[2], c[3])
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range []float64{dp, dnu, dmu, dsigma} {
			h := 1e-6 * math.Max(1, math.Abs(c[i]))
			if i == 0 {
				h = 1e-7
			}
			fd := qfCentral(c, i, h)
			if math.Abs(fd-d) > 1e-5*math.Max(1, math.Abs(fd)) {
				t.Errorf("%v: partial %d = %v, central difference %v (q=%v)", c, i, d, fd, q)
			}
		}
	}
	for _, bad := range [][4]float64{{-0.1, 3, 0, 1}, {1.1, 3, 0, 1}, {0.3, 0, 0, 1}, {0.3, 3, 0, 0}, {math.NaN(), 3, 0, 1}} {
		if _, _, _, _, _, err := StudentTQf(bad[0], bad[1], bad[2], bad[3]); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	if q, _, _, _, _, _ := StudentTQf(0, 3, 0, 1); !math.IsInf(q, -1) {
		t.Errorf("p=0: %v", q)
	}
	if q, _, _, _, _, _ := StudentTQf(1, 3, 0, 1); !math.IsInf(q, 1) {
		t.Errorf("p=1: %v", q)
	}
}

// TestStudentTQfTailsAndLargeNu checks the quantile where the inverse of
// the incomplete beta function alone went wrong: in the tails at moderate
// nu (at nu = 100 and p = 1e-10 it returned -4e5, whose CDF is 0) and at
// large nu (NaN from 1e20 on, -0.477 for the 0.3 quantile at 1e15). Up to
// 1e5 the CDF at the quantile must give p back; beyond, the quantile must
// approach the normal's as 1/nu; the partials in p and nu must agree with
// central differences on both sides of the expansion's threshold.
func TestStudentTQfTailsAndLargeNu(t *testing.T) {
	cdf := func(q, nu float64) float64 {
		f := mathx.IncBeta(nu/2, 0.5, nu/(nu+q*q)) / 2
		if q > 0 {
			return 1 - f
		}
		return f
	}
	for _, nu := range []float64{3, 10, 100, 1e3, 1e4, 1e5} {
		for _, p := range []float64{1e-300, 1e-20, 1e-10, 1e-4, 0.05, 0.95, 1 - 1e-12} {
			q := StudentTQuantile(p, nu)
			if math.IsInf(q, 0) || math.IsNaN(q) {
				t.Errorf("nu=%v p=%v: %v", nu, p, q)
				continue
			}
			if p > 0.5 {
				if got := 1 - cdf(q, nu); math.Abs(got-(1-p)) > 1e-3*(1-p) {
					t.Errorf("nu=%v p=%v: 1 - F(%v) = %v", nu, p, q, got)
				}
			} else if got := cdf(q, nu); math.Abs(got-p) > 1e-9*p {
				t.Errorf("nu=%v p=%v: F(%v) = %v", nu, p, q, got)
			}
		}
	}
	if q := StudentTQuantile(1e-10, 100); math.Abs(q+7.0833754814) > 1e-8 {
		t.Errorf("t_1e-10,100 = %v, want -7.0833754814", q)
	}
	for _, nu := range []float64{1e6, 1e9, 1e15, 1e20, 1e300} {
		for _, p := range []float64{1e-300, 1e-10, 0.3, 0.975} {
			z := mathx.InvPhi(p)
			q := StudentTQuantile(p, nu)
			if g1 := (z*z + 1) * z / 4 / nu; math.Abs(q-z-g1) > 1e-3*math.Abs(g1)+1e-15*math.Abs(z) {
				t.Errorf("nu=%v p=%v: %v, the normal quantile %v, first correction %v", nu, p, q, z, g1)
			}
		}
	}
	for _, c := range [][4]float64{{0.02, 5e5, 0, 1}, {0.02, 2e6, 1, 3}, {1e-8, 300, 0, 1}, {0.9, 1e8, -1, 2}} {
		_, dp, dnu, _, _, err := StudentTQf(c[0], c[1], c[2], c[3])
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range []float64{dp, dnu} {
			// The quantile is good to about 1e-12 below the expansion's
			// threshold: a step in nu of 1% keeps that noise out.
			h := 1e-4 * c[i]
			if i == 1 {
				h = 1e-2 * c[i]
			}
			fd := qfCentral(c, i, h)
			if math.Abs(fd-d) > 1e-3*math.Abs(fd) {
				t.Errorf("%v: partial %d = %v, central difference %v", c, i, d, fd)
			}
		}
	}
}

// qfCentral is the central difference of student_t_qf(p, nu, mu, sigma)
// = c in its i-th argument with step h.
func qfCentral(c [4]float64, i int, h float64) float64 {
	lo, hi := c, c
	lo[i] -= h
	hi[i] += h
	ql, _, _, _, _, _ := StudentTQf(lo[0], lo[1], lo[2], lo[3])
	qh, _, _, _, _, _ := StudentTQf(hi[0], hi[1], hi[2], hi[3])
	return (qh - ql) / (2 * h)
}

// BenchmarkStudentTQfTail is a lower-tail quantile, refined by Newton's
// method (studentTTail).
func BenchmarkStudentTQfTail(b *testing.B) {
	for b.Loop() {
		StudentTQf(1e-10, 100, 0.5, 2)
	}
}
