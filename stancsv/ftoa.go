package stancsv

import (
	"math"
	"strconv"
)

// appendG appends v as strconv.AppendFloat(b, v, 'g', prec, 64) does,
// byte for byte, faster for the values a draw holds. A chain of a small
// model spends a tenth of its time formatting its draws.
//
// For 1 ≤ prec ≤ maxFastPrec and 10^-22 ≤ |v|·10^(prec-1-e) ≤ 10^22 (e the
// decimal exponent of v), x = |v|·10^k with k = prec-1-e is one
// multiplication or division by an exactly representable power of ten,
// so x carries one rounding, at most half an ulp (2^-24 for x < 10^9). Rounding x to an integer then gives the correctly rounded
// prec-digit significand unless x's fraction is within that error of
// one half; those values, and zeros, subnormals and the extremes, take
// strconv's path.
func appendG(b []byte, v float64, prec int) []byte {
	a := math.Abs(v)
	if prec < 1 || prec > maxFastPrec || !(a <= math.MaxFloat64) {
		return strconv.AppendFloat(b, v, 'g', prec, 64)
	}
	// An integer of at most prec digits (a draw's counts, indices and
	// flags, the sampler's tree depth and steps) is its digits, with no
	// point or exponent; -0 is not one.
	if a < pow10[prec] {
		if n := int64(v); float64(n) == v && (n != 0 || !math.Signbit(v)) {
			return strconv.AppendInt(b, n, 10)
		}
	}
	if a == 0 {
		return strconv.AppendFloat(b, v, 'g', prec, 64)
	}
	// a is in [2^b2, 2^(b2+1)) (subnormals: far outside scaled's range),
	// so floor(log10 a) is e or e+1.
	b2 := int(math.Float64bits(a)>>52) - 1023
	e := (b2 * 78913) >> 18 // floor(b2·log10(2)) for every exponent (TestLog10Pow2)
	x, ok := scaled(a, prec-1-e)
	if !ok {
		return strconv.AppendFloat(b, v, 'g', prec, 64)
	}
	if x >= pow10[prec] {
		e++
		if x, ok = scaled(a, prec-1-e); !ok {
			return strconv.AppendFloat(b, v, 'g', prec, 64)
		}
	}
	m := uint64(x) // x > 0: the floor
	frac := x - float64(m)
	if math.Abs(frac-0.5) < 1e-6 {
		return strconv.AppendFloat(b, v, 'g', prec, 64)
	}
	if frac > 0.5 {
		m++
	}
	if float64(m) >= pow10[prec] { // 99...9.5 and above round to 10^prec
		m /= 10
		e++
	}
	// The digits, trailing zeros dropped.
	var buf [maxFastPrec]byte
	nd := prec
	for i := prec - 1; i >= 0; i-- {
		buf[i] = byte('0' + m%10)
		m /= 10
	}
	for nd > 1 && buf[nd-1] == '0' {
		nd--
	}
	digits := buf[:nd]
	if v < 0 {
		b = append(b, '-')
	}
	// %g: exponent form when e < -4 or e >= prec, as strconv decides.
	if e < -4 || e >= prec {
		b = append(b, digits[0])
		if nd > 1 {
			b = append(b, '.')
			b = append(b, digits[1:]...)
		}
		b = append(b, 'e')
		if e < 0 {
			b = append(b, '-')
			e = -e
		} else {
			b = append(b, '+')
		}
		if e < 10 {
			b = append(b, '0')
		}
		return strconv.AppendInt(b, int64(e), 10)
	}
	dp := e + 1 // digits before the point
	if dp <= 0 {
		b = append(b, '0', '.')
		for range -dp {
			b = append(b, '0')
		}
		return append(b, digits...)
	}
	if nd <= dp {
		b = append(b, digits...)
		for range dp - nd {
			b = append(b, '0')
		}
		return b
	}
	b = append(b, digits[:dp]...)
	b = append(b, '.')
	return append(b, digits[dp:]...)
}

// maxFastPrec is the most significant digits appendG formats itself: x
// stays below 10^9, where half an ulp is at most 2^-24.
const maxFastPrec = 9

// pow10 are the powers of ten that float64 holds exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// scaled is a·10^k with one rounding, or false when 10^|k| is not exact.
func scaled(a float64, k int) (float64, bool) {
	switch {
	case k >= 0 && k < len(pow10):
		return a * pow10[k], true
	case k < 0 && -k < len(pow10):
		return a / pow10[-k], true
	}
	return 0, false
}
