package transform

import (
	"testing"

	"github.com/gostan/gostan/ad"
)

// benchCase times constrain plus the reverse sweep on a reused tape.
func benchCase(b *testing.B, c vecCase) {
	tp := ad.NewTape()
	y0 := randomY(c.n, 1)[0]
	y := make([]ad.Var, c.n)
	var lj ad.Var // outside the loop: &lj passed to a func value escapes
	b.ReportAllocs()
	for b.Loop() {
		tp.Reset()
		for i, v := range y0 {
			y[i] = tp.Var(v)
		}
		lj = ad.Var{}
		out, err := c.con(tp, y, &lj)
		if err != nil {
			b.Fatal(err)
		}
		tp.Grad(weighted(tp, out, lj))
	}
}

func BenchmarkSimplex10(b *testing.B)           { benchCase(b, simplexCase(10)) }
func BenchmarkCholeskyFactorCorr5(b *testing.B) { benchCase(b, choleskyCorrCase(5)) }
func BenchmarkCorrMatrix5(b *testing.B)         { benchCase(b, corrMatrixCase(5)) }
func BenchmarkCovMatrix5(b *testing.B)          { benchCase(b, covMatrixCase(5)) }
