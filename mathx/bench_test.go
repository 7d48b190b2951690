package mathx

import (
	"testing"

	"gonum.org/v1/gonum/mathext"
)

var benchSink float64

func BenchmarkIncBeta(b *testing.B) {
	for _, c := range [][3]float64{{2.5, 4, 0.3}, {50, 60, 0.45}, {2e4, 3e4, 0.4}} {
		b.Run("mathx", func(b *testing.B) {
			for range b.N {
				benchSink = IncBeta(c[0], c[1], c[2])
			}
		})
		b.Run("gonum", func(b *testing.B) {
			for range b.N {
				benchSink = mathext.RegIncBeta(c[0], c[1], c[2])
			}
		})
	}
}

func BenchmarkIncBetaDerivs(b *testing.B) {
	for _, c := range [][3]float64{{2.5, 4, 0.3}, {50, 60, 0.45}, {2e4, 3e4, 0.4}} {
		b.Run("", func(b *testing.B) {
			for range b.N {
				benchSink, _ = IncBetaDerivs(c[0], c[1], c[2])
			}
		})
	}
}

func BenchmarkGammaPDerivA(b *testing.B) {
	for _, c := range [][2]float64{{2.5, 1}, {2.5, 6}, {1000, 1010}} {
		b.Run("", func(b *testing.B) {
			for range b.N {
				benchSink = GammaPDerivA(c[0], c[1])
			}
		})
	}
}

func BenchmarkOwensT(b *testing.B) {
	for range b.N {
		benchSink = OwensT(1.3, 0.7)
	}
}
