package stancsv

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"
)

// sameAsStrconv fails when appendG(v, prec) differs from strconv's %g.
func sameAsStrconv(t *testing.T, v float64, prec int) {
	t.Helper()
	want := strconv.AppendFloat(nil, v, 'g', prec, 64)
	if got := appendG(nil, v, prec); string(got) != string(want) {
		t.Fatalf("appendG(%v (%#x), %d) = %q, strconv %q", v, math.Float64bits(v), prec, got, want)
	}
}

// TestAppendGEdges checks values at every branch and rounding boundary:
// zeros, subnormals, the extremes, the switch to exponent form (1e-5,
// 1e-4, 10^prec), halves and values an ulp either side of them.
func TestAppendGEdges(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1),
		5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, math.MaxFloat64, math.SmallestNonzeroFloat64,
		1, -1, 0.1, 0.5, 1.5, 2.5, 9.5, 10, 100, 1e5, 1e6, 1e21, 1e22, 1e23, 1e-5, 1e-4, 1e-3, 1e-17, 1e-22, 1e-23,
		9.999995, 9.9999949999, 99999.95, 999999.5, 999999.4999, 9999995, 0.000099999995, 0.00099999995,
		123456.5, 1234565, 12345.65, 0.1234565, 1.0000005, 3.14159265358979, -2.718281828459045,
		2.0000005, 0.30000000000000004, 1e15 + 0.5, 4503599627370497, 1 << 53, 1<<53 + 2, 6.02214076e23, 1.602176634e-19}
	for p := range 12 {
		for _, v := range vals {
			for _, w := range []float64{v, -v, math.Nextafter(v, math.Inf(1)), math.Nextafter(v, math.Inf(-1))} {
				sameAsStrconv(t, w, p)
			}
		}
	}
	// Every power of ten and the halves between p-digit values there.
	for e := -30; e <= 30; e++ {
		for p := 1; p <= 10; p++ {
			base := math.Pow(10, float64(e))
			for _, v := range []float64{base, base * (1 - 0.5*math.Pow(10, float64(-p))), base * (1 + 0.5*math.Pow(10, float64(1-p)))} {
				for _, w := range []float64{v, math.Nextafter(v, 0), math.Nextafter(v, math.Inf(1))} {
					sameAsStrconv(t, w, p)
					sameAsStrconv(t, -w, p)
				}
			}
		}
	}
}

// TestAppendGRandom compares random floats of every magnitude, random
// bit patterns and random short decimals (whose halves are exact ties or
// near ones) with strconv.
func TestAppendGRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 300000 {
		p := 1 + r.IntN(10)
		sameAsStrconv(t, math.Float64frombits(r.Uint64()), p)
		sameAsStrconv(t, (r.Float64()-0.5)*math.Pow(10, float64(r.IntN(60)-30)), p)
		// A decimal with p+1 digits whose last is 5: a tie at p digits
		// when it is exact in binary, a near tie when not.
		d := float64(r.IntN(int(9*math.Pow(10, float64(p))))+int(math.Pow(10, float64(p))))*10 + 5
		sameAsStrconv(t, d*math.Pow(10, float64(r.IntN(40)-30)), p)
		sameAsStrconv(t, d/math.Pow(10, float64(r.IntN(20))), p)
		// Integers of every length up to 10 digits, the fast path's.
		n := float64(r.IntN(int(math.Pow(10, float64(r.IntN(11))))))
		sameAsStrconv(t, n, p)
		sameAsStrconv(t, -n, p)
	}
}

// BenchmarkAppendValue formats draws' values at CmdStan's 6 digits.
func BenchmarkAppendValue(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	vals := make([]float64, 1024)
	for i := range vals {
		vals[i] = r.NormFloat64() * math.Pow(10, float64(r.IntN(6)-2))
	}
	ints := make([]float64, 1024) // tree depths, step counts, indices
	for i := range ints {
		ints[i] = float64(r.IntN(1024))
	}
	buf := make([]byte, 0, 64)
	b.Run("appendG", func(b *testing.B) {
		i := 0
		for b.Loop() {
			buf = appendG(buf[:0], vals[i&1023], 6)
			i++
		}
	})
	b.Run("appendG-ints", func(b *testing.B) {
		i := 0
		for b.Loop() {
			buf = appendG(buf[:0], ints[i&1023], 6)
			i++
		}
	})
	b.Run("strconv", func(b *testing.B) {
		i := 0
		for b.Loop() {
			buf = strconv.AppendFloat(buf[:0], vals[i&1023], 'g', 6, 64)
			i++
		}
	})
}

// TestLog10Pow2 checks appendG's integer floor(b·log10 2) at every binary
// exponent of a float64, against log10 2 to 200 bits.
func TestLog10Pow2(t *testing.T) {
	// log10(2) = ln 2 / ln 10; 0.30102999566398119521373889472449302676818988146211 to 50 digits.
	l, _, err := big.ParseFloat("0.30102999566398119521373889472449302676818988146211", 10, 200, big.ToNearestEven)
	if err != nil {
		t.Fatal(err)
	}
	for b := -1100; b <= 1100; b++ {
		p := new(big.Float).SetPrec(200).Mul(l, big.NewFloat(float64(b)))
		f, _ := p.Int(nil) // truncates toward zero
		want := f.Int64()
		if p.Sign() < 0 && new(big.Float).SetInt(f).Cmp(p) != 0 {
			want--
		}
		if got := (b * 78913) >> 18; int64(got) != want {
			t.Fatalf("b = %d: %d, want %d", b, got, want)
		}
	}
}
