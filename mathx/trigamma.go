package mathx

import "math"

// Trigamma returns ψ'(x), the derivative of Digamma: the recurrence
// ψ'(x) = ψ'(x+1) + 1/x² moves x above 10, where the asymptotic series
// 1/x + 1/(2x²) + Σ B_2k / x^(2k+1) converges fast (Abramowitz and Stegun
// 6.4.12); negative x uses the reflection formula 6.4.7.
func Trigamma(x float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsInf(x, -1):
		return math.NaN()
	case x <= 0 && x == math.Floor(x):
		return math.Inf(1)
	case x < 0:
		s := math.Sin(math.Pi * x)
		return math.Pi*math.Pi/(s*s) - Trigamma(1-x)
	}
	acc := 0.0
	for x < 10 {
		acc += 1 / (x * x)
		x++
	}
	z := 1 / (x * x)
	series := 1/x + z/2 + z/x*(1.0/6-z*(1.0/30-z*(1.0/42-z*(1.0/30-z*5.0/66))))
	return acc + series
}
