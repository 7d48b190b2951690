package jaxrandom

import (
	"math"
	"testing"
)

// TestThreefryKnownAnswers checks the hash against Random123's known
// answers for Threefry-2x32-20 (its kat_vectors, which JAX's own tests use).
func TestThreefryKnownAnswers(t *testing.T) {
	for _, c := range []struct{ key, ctr, want [2]uint32 }{
		{[2]uint32{0, 0}, [2]uint32{0, 0}, [2]uint32{0x6b200159, 0x99ba4efe}},
		{[2]uint32{0xffffffff, 0xffffffff}, [2]uint32{0xffffffff, 0xffffffff}, [2]uint32{0x1cb996fc, 0xbb002be7}},
		{[2]uint32{0x13198a2e, 0x03707344}, [2]uint32{0x243f6a88, 0x85a308d3}, [2]uint32{0xc4923a9c, 0x483df7a0}},
	} {
		y0, y1 := threefry(Key(c.key), c.ctr[0], c.ctr[1])
		if y0 != c.want[0] || y1 != c.want[1] {
			t.Errorf("threefry(%#x, %#x) = %#x %#x, want %#x", c.key, c.ctr, y0, y1, c.want)
		}
	}
}

// TestAsJAX checks keys, bits and normal draws against what JAX prints
// for PRNGKey(0) (its documentation's examples and other ports' tests).
func TestAsJAX(t *testing.T) {
	k := PRNGKey(0)
	if got := k.Split(2); got[0] != (Key{4146024105, 967050713}) || got[1] != (Key{2718843009, 1272950319}) {
		t.Errorf("split(PRNGKey(0)) = %v", got)
	}
	want3 := []Key{{2467461003, 428148500}, {3186719485, 3840466878}, {2562233961, 1946702221}}
	for i, got := range k.Split(3) {
		if got != want3[i] {
			t.Errorf("split(PRNGKey(0), 3)[%d] = %v, want %v", i, got, want3[i])
		}
	}
	// An odd count pads its second half with the counter 0.
	if got := Bits(k, 3); got[0] != 4146024105 || got[1] != 1351547692 || got[2] != 2718843009 {
		t.Errorf("bits(PRNGKey(0), 3) = %v", got)
	}
	if got := Bits(PRNGKey(1), 1); got[0] != 507451445 {
		t.Errorf("bits(PRNGKey(1), 1) = %v", got)
	}
	u := make([]float64, 1)
	if Uniform(k, u, 0, 1); math.Abs(u[0]-0.41845703) > 1e-8 {
		t.Errorf("uniform(PRNGKey(0)) = %.8g, want 0.41845703", u[0])
	}
	for _, c := range []struct {
		key  Key
		want []float64
	}{
		{k, []float64{1.8160863, -0.75488514, 0.33988908, -0.53483534}},
		{Key{2718843009, 1272950319}, []float64{-1.2515389}},
	} {
		// JAX's float32 erfinv polynomial is good to a few ulps (older
		// versions' draws differ from newer ones' in the last digits).
		got := make([]float64, len(c.want))
		Normal(c.key, got)
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-6*math.Abs(c.want[i]) {
				t.Errorf("normal(%v)[%d] = %.8g, want %.8g", c.key, i, got[i], c.want[i])
			}
		}
	}
}
