// Package jaxrandom draws the random numbers JAX's jax.random draws from a
// key, so that a replay of a NumPyro run sees the noise the run saw. It
// follows JAX's default threefry2x32 PRNG in its original layout (before
// the jax_threefry_partitionable flag), as NumPyro 0.7 ran it in 2021:
// a key is two uint32 words, split and random bits hash a counter array
// with Threefry-2x32 (Salmon et al. 2011, "Parallel random numbers: as
// easy as 1, 2, 3", 20 rounds), and normal draws are float32.
package jaxrandom

import (
	"math"
	"math/bits"
)

// Key is a JAX PRNG key (jax.random.PRNGKey's two uint32 words).
type Key [2]uint32

// PRNGKey is jax.random.PRNGKey(seed): the seed's high and low 32 bits.
func PRNGKey(seed uint64) Key { return Key{uint32(seed >> 32), uint32(seed)} }

// threefry hashes the counter pair (x0, x1) under k: Threefry-2x32 with
// 20 rounds, the key schedule injected every four rounds.
func threefry(k Key, x0, x1 uint32) (uint32, uint32) {
	ks := [3]uint32{k[0], k[1], k[0] ^ k[1] ^ 0x1BD11BDA}
	rot := [2][4]int{{13, 15, 26, 6}, {17, 29, 16, 24}}
	x0 += ks[0]
	x1 += ks[1]
	for i := range 5 {
		for _, r := range rot[i%2] {
			x0 += x1
			x1 = bits.RotateLeft32(x1, r) ^ x0
		}
		x0 += ks[(i+1)%3]
		x1 += ks[(i+2)%3] + uint32(i+1)
	}
	return x0, x1
}

// Bits are n random words from k (JAX's _random_bits for 32-bit words):
// the counters 0…n-1, padded with a 0 to an even count, are cut in half
// and hashed in pairs (first half, second half); the first outputs come
// first, then the second outputs.
func Bits(k Key, n int) []uint32 {
	half := (n + 1) / 2
	out := make([]uint32, 2*half)
	for i := range half {
		j := uint32(i + half)
		if i+half >= n {
			j = 0 // the padding counter
		}
		out[i], out[i+half] = threefry(k, uint32(i), j)
	}
	return out[:n]
}

// Split is jax.random.split(k, n): n new keys from 2n random words.
func (k Key) Split(n int) []Key {
	w := Bits(k, 2*n)
	keys := make([]Key, n)
	for i := range keys {
		keys[i] = Key{w[2*i], w[2*i+1]}
	}
	return keys
}

// uniform maps a random word to [lo, hi) in float32 as jax.random.uniform
// does: its top 23 bits as the mantissa of a float in [1, 2), less 1,
// scaled, shifted, and kept at lo or above.
func uniform(w uint32, lo, hi float32) float32 {
	f := math.Float32frombits(w>>9|0x3F800000) - 1
	return max(lo, float32(f*(hi-lo))+lo)
}

// Uniform fills dst with jax.random.uniform(k, (len(dst),), minval=lo,
// maxval=hi) in float32.
func Uniform(k Key, dst []float64, lo, hi float64) {
	for i, w := range Bits(k, len(dst)) {
		dst[i] = float64(uniform(w, float32(lo), float32(hi)))
	}
}

// Normal fills dst with jax.random.normal(k, (len(dst),)) in float32, as
// JAX computes it: u uniform in (nextafter(-1, 0), 1), then √2 erfinv(u).
// The inverse error function is computed in float64 and rounded, where
// XLA uses a float32 polynomial: the two can differ in the last bits.
func Normal(k Key, dst []float64) {
	lo := math.Nextafter32(-1, 0)
	sqrt2 := float32(math.Sqrt2)
	for i, w := range Bits(k, len(dst)) {
		u := uniform(w, lo, 1)
		dst[i] = float64(sqrt2 * float32(math.Erfinv(float64(u))))
	}
}
