package dist

import (
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
			lo, hi := c, c
			lo[i] -= h
			hi[i] += h
			ql, _, _, _, _, _ := StudentTQf(lo[0], lo[1], lo[2], lo[3])
			qh, _, _, _, _, _ := StudentTQf(hi[0], hi[1], hi[2], hi[3])
			fd := (qh - ql) / (2 * h)
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
