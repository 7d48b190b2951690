package dist_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
)

var nan, inf = math.NaN(), math.Inf(1)

// TestPrepared compares prepared densities with the general drivers,
// values, partials and errors to the last bit: normal's standard and
// fixed-scale forms and its general case, and the generic driver with
// fixed arguments in and out of their supports.
func TestPrepared(t *testing.T) {
	normal := func(f []bool, a [][]ad.Var) dist.Prepared { return dist.NormalPrepare(f, a[0], a[1], a[2]) }
	general := func(tp *ad.Tape, propto bool, a [][]ad.Var) (ad.Var, error) {
		return dist.NormalLpdf(tp, propto, a[0], a[1], a[2])
	}
	gamma := func(tp *ad.Tape, propto bool, a [][]ad.Var) (ad.Var, error) { return dist.Gamma.Lpdf(tp, propto, a...) }
	for _, c := range []struct {
		name    string
		prepare func([]bool, [][]ad.Var) dist.Prepared
		lpdf    func(*ad.Tape, bool, [][]ad.Var) (ad.Var, error)
		fixed   []bool
		args    [][]float64 // the arguments, the varying ones first in order
	}{
		{"std", normal, general, []bool{false, true, true}, [][]float64{{0.3, -1.2, 2}, {0}, {1}}},
		{"std nan", normal, general, []bool{false, true, true}, [][]float64{{0.3, nan, 2}, {0}, {1}}},
		{"fixed scale", normal, general, []bool{true, false, true}, [][]float64{{1, 2, 3}, {0.5, -1, 4}, {2, 0.5, 3}}},
		{"fixed scale, mu infinite", normal, general, []bool{true, false, true}, [][]float64{{1, 2, 3}, {0.5, inf, 4}, {2, 0.5, 3}}},
		{"fixed scale out of support", normal, general, []bool{true, false, true}, [][]float64{{1, 2, 3}, {0.5, -1, 4}, {2, -0.5, 3}}},
		{"fixed scale, sizes differ", normal, general, []bool{true, false, true}, [][]float64{{1, 2, 3}, {0.5, -1}, {2, 0.5, 3}}},
		{"normal's general case", normal, general, []bool{false, true, false}, [][]float64{{1, 2, 3}, {0.5}, {2, 0.5, 3}}},
		{"gamma", dist.Gamma.Prepare, gamma, []bool{true, true, false}, [][]float64{{1, 2, 3}, {2.5}, {0.7}}},
		{"gamma out of support", dist.Gamma.Prepare, gamma, []bool{true, true, false}, [][]float64{{1, -2, 3}, {2.5}, {0.7}}},
		{"gamma, varying out of support first", dist.Gamma.Prepare, gamma, []bool{true, false, true}, [][]float64{{1, 2, 3}, {-2.5}, {-0.7}}},
	} {
		for _, propto := range []bool{true, false} {
			var lp [2]float64
			var errs [2]string
			var grads [2][]float64
			for k := range 2 {
				tp := ad.NewTape()
				var vars []ad.Var
				build := func() [][]ad.Var {
					args := make([][]ad.Var, len(c.args))
					vars = vars[:0]
					for i, a := range c.args {
						if c.fixed[i] {
							args[i] = consts(a...)
							continue
						}
						for _, v := range a {
							args[i] = append(args[i], tp.Var(v))
						}
						vars = append(vars, args[i]...)
					}
					return args
				}
				var v ad.Var
				var err error
				if k == 0 {
					p := c.prepare(c.fixed, build())
					for range 2 { // prepared once, called twice
						tp.Reset()
						v, err = p(tp, propto, build())
					}
				} else {
					v, err = c.lpdf(tp, propto, build())
				}
				if err != nil {
					errs[k] = err.Error()
					continue
				}
				lp[k] = v.Val
				if !v.IsConst() {
					tp.Grad(v)
					for _, x := range vars {
						grads[k] = append(grads[k], tp.Adjoint(x))
					}
				}
			}
			if lp[0] != lp[1] || errs[0] != errs[1] || len(grads[0]) != len(grads[1]) {
				t.Errorf("%s, propto %v: lp %v, error %q, %d partials; the general driver's %v, %q, %d", c.name, propto, lp[0], errs[0], len(grads[0]), lp[1], errs[1], len(grads[1]))
				continue
			}
			for i := range grads[0] {
				if grads[0][i] != grads[1][i] {
					t.Errorf("%s, propto %v: partial %d %v, the general driver's %v", c.name, propto, i, grads[0][i], grads[1][i])
				}
			}
		}
	}
}
