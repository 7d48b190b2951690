package compile

import (
	"math/rand/v2"
	"testing"
)

// TestIndexing checks single, multiple and range indexes, reading and
// assigning, against values worked out by hand.
func TestIndexing(t *testing.T) {
	m, err := build(t, "testdata/index.stan", nil)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(m.Names()))
	if err := m.Write([]float64{0}, rand.New(rand.NewPCG(1, 1)), out); err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for i, n := range m.Names() {
		got[n] = out[i]
	}
	want := map[string]float64{
		"c[1]": 4, "c[2]": 7, "r[1]": 7, "r[2]": 9,
		"s[1,1]": 2, "s[1,2]": 3, "s[2,1]": 8, "s[2,2]": 9,
		"ac[1]": 2, "ac[2]": 5, "ar[1]": 4, "ar[3]": 6,
		"avs[1]": 5, "avs[2]": 6, "avc[1]": 3, "avc[2]": 6,
		"w[2,1]": 10, "w[2,3]": 11, "w[3,1]": 12, "w[3,3]": 13, "w[2,2]": 5, "w[1,3]": 3,
		"wcol[1]": 3, "wcol[2]": 11, "wcol[3]": 13,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}
