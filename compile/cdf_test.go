package compile

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestCDFCalls checks _cdf, _lcdf and _lccdf calls, continuous and
// discrete, against closed forms.
func TestCDFCalls(t *testing.T) {
	m, err := build(t, "testdata/cdfs.stan", nil)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(m.Names()))
	if err := m.Write([]float64{0}, rand.New(rand.NewPCG(1, 1)), out); err != nil {
		t.Fatal(err)
	}
	phi1 := 0.5 * math.Erfc(-1/math.Sqrt2)
	pois := math.Exp(-1.5) * (1 + 1.5 + 1.125)
	want := []float64{1, phi1, phi1, pois, 1 - pois, 1 - math.Exp(-1.5)*(1+1.5), distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 4}.CDF(0.5)}
	for i, w := range want[1:] {
		if math.Abs(out[i+1]-w) > 1e-9 {
			t.Errorf("%s = %.10g, want %.10g", m.Names()[i+1], out[i+1], w)
		}
	}
}
