package dist

import (
	"fmt"
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
)

// genericNormal is the normal density through the generic vectorised
// driver: the reference NormalLpdf's own pass must agree with.
var genericNormal = &Univariate{"normal_lpdf", []argName{argY, argLocation, argScale}, []rule{notNaN, finite, posFinite},
	func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
		var d [4]float64
		y, mu, s := x[0], x[1], x[2]
		z := (y - mu) / s
		lp := -0.5 * z * z
		if !p {
			lp -= 0.5 * log2Pi
		}
		if keep(p, v, 2) {
			lp -= math.Log(s)
		}
		d[0], d[1], d[2] = -z/s, z/s, (z*z-1)/s
		return lp, d
	}}

// testShape is how a test passes one argument: a scalar or a vector of n,
// constant, varying, or (a vector) some of each.
type testShape int

const (
	scalarConst testShape = iota
	scalarVar
	vectorConst
	vectorVar
	vectorMixed
)

func (s testShape) String() string {
	return [...]string{"scalar const", "scalar var", "vector const", "vector var", "vector mixed"}[s]
}

// shaped makes an argument of shape s from vals (the first for a scalar).
func shaped(tp *ad.Tape, s testShape, vals []float64) []ad.Var {
	switch s {
	case scalarConst:
		return []ad.Var{ad.Const(vals[0])}
	case scalarVar:
		return []ad.Var{tp.Var(vals[0])}
	}
	out := make([]ad.Var, len(vals))
	for i, v := range vals {
		out[i] = ad.Const(v)
		if s == vectorVar || (s == vectorMixed && i%2 == 1) {
			out[i] = tp.Var(v)
		}
	}
	return out
}

// valueAndGrad evaluates f on the three arguments and returns the value
// and the adjoint of every argument element.
func valueAndGrad(tp *ad.Tape, f func(*ad.Tape, bool, ...[]ad.Var) (ad.Var, error), propto bool, args [3][]ad.Var) (float64, []float64, error) {
	lp, err := f(tp, propto, args[0], args[1], args[2])
	if err != nil {
		return 0, nil, err
	}
	tp.Grad(lp)
	var g []float64
	for _, a := range args {
		for _, v := range a {
			g = append(g, tp.Adjoint(v))
		}
	}
	return lp.Val, g, nil
}

func fastNormal(t *ad.Tape, propto bool, a ...[]ad.Var) (ad.Var, error) {
	return NormalLpdf(t, propto, a[0], a[1], a[2])
}

func closeRel(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

// TestNormalLpdfMatchesGeneric compares NormalLpdf's values and gradients
// with the generic driver's for every shape of every argument, with and
// without constants.
func TestNormalLpdfMatchesGeneric(t *testing.T) {
	y := []float64{-1.2, 0.3, 2.5, 0.7, -3.1, 1.4}
	mu := []float64{0.1, -0.4, 1, 0.2, -2, 0.9}
	sigma := []float64{1.7, 0.4, 2.2, 0.9, 3.5, 1.1}
	shapes := []testShape{scalarConst, scalarVar, vectorConst, vectorVar, vectorMixed}
	for _, sy := range shapes {
		for _, sm := range shapes {
			for _, ss := range shapes {
				for _, propto := range []bool{false, true} {
					name := fmt.Sprintf("y %v, mu %v, sigma %v, propto %v", sy, sm, ss, propto)
					var got, want float64
					var gg, gw []float64
					for k, f := range []func(*ad.Tape, bool, ...[]ad.Var) (ad.Var, error){fastNormal, genericNormal.Lpdf} {
						tp := ad.NewTape()
						args := [3][]ad.Var{shaped(tp, sy, y), shaped(tp, sm, mu), shaped(tp, ss, sigma)}
						v, g, err := valueAndGrad(tp, f, propto, args)
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						if k == 0 {
							got, gg = v, g
						} else {
							want, gw = v, g
						}
					}
					if !closeRel(got, want) {
						t.Errorf("%s: lp %.17g, generic %.17g", name, got, want)
					}
					for i := range gw {
						if !closeRel(gg[i], gw[i]) {
							t.Errorf("%s: gradient[%d] %.17g, generic %.17g", name, i, gg[i], gw[i])
						}
					}
				}
			}
		}
	}
}

// TestNormalLpdfFiniteDifferences checks the gradients of the scalar and
// vector sigma passes, every argument varying, against finite differences.
func TestNormalLpdfFiniteDifferences(t *testing.T) {
	x := []float64{-1.2, 0.3, 2.5, 0.1, -0.4, 1, 1.7, 0.6, 2.1}
	for _, c := range []struct {
		name       string
		ny, nm, ns int
	}{{"vector y, mu; scalar sigma", 3, 3, 1}, {"all vectors", 3, 3, 3}, {"scalar y", 1, 3, 3}, {"scalar mu, sigma", 3, 1, 1}, {"scalars", 1, 1, 1}} {
		// Finite differences compare values with the constants kept.
		n := c.ny + c.nm + c.ns
		f := func(tp *ad.Tape, v []ad.Var) (ad.Var, error) {
			return NormalLpdf(tp, false, v[:c.ny], v[c.ny:c.ny+c.nm], v[c.ny+c.nm:])
		}
		x0 := append([]float64{}, x[:c.ny]...)
		x0 = append(x0, x[3:3+c.nm]...)
		x0 = append(x0, x[6:6+c.ns]...)
		if err := fdcheck.Check(f, x0[:n], 1e-6); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if err := fdcheck.Check(func(tp *ad.Tape, v []ad.Var) (ad.Var, error) { return StdNormalLpdf(tp, false, v) }, x[:5], 1e-6); err != nil {
		t.Errorf("std_normal: %v", err)
	}
}

// TestNormalLpdfErrorsMatchGeneric checks that a bad argument is reported
// as the generic driver reports it (the first bad element of y, then of
// mu, then of sigma), and that a failed call leaves nothing on the tape.
func TestNormalLpdfErrorsMatchGeneric(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct{ y, mu, sigma []float64 }{
		{[]float64{1, nan, 2}, []float64{0, 0, inf}, []float64{1}},
		{[]float64{1, 2, 3}, []float64{0, 0, -inf}, []float64{-1}},
		{[]float64{1, 2, 3}, []float64{nan}, []float64{1, 1, 1}},
		{[]float64{1, 2, 3}, []float64{0, 1, 2}, []float64{1, 0, 1}},
		{[]float64{1, 2, 3}, []float64{0, 1, 2}, []float64{1, 2, inf}},
		{[]float64{1, 2, 3}, []float64{0}, []float64{nan}},
		{[]float64{inf}, []float64{0, 1, 2}, []float64{1, 1, 1}},
		{[]float64{nan}, []float64{0, 1, 2}, []float64{1}},
	} {
		for _, propto := range []bool{false, true} {
			tp := ad.NewTape()
			a := [3][]ad.Var{shaped(tp, vectorVar, c.y), shaped(tp, vectorVar, c.mu), shaped(tp, vectorMixed, c.sigma)}
			_, err := NormalLpdf(tp, propto, a[0], a[1], a[2])
			_, werr := genericNormal.Lpdf(tp, propto, a[0], a[1], a[2])
			if fmt.Sprint(err) != fmt.Sprint(werr) {
				t.Errorf("%v: error %v, generic %v", c, err, werr)
			}
			// The tape is as before the failed call: a density recorded
			// next has the generic driver's gradient.
			ok := [3][]ad.Var{shaped(tp, vectorVar, []float64{1, 2}), shaped(tp, scalarVar, []float64{0.5}), shaped(tp, scalarVar, []float64{1.5})}
			_, g, _ := valueAndGrad(tp, fastNormal, propto, ok)
			_, gw, _ := valueAndGrad(tp, genericNormal.Lpdf, propto, ok)
			for i := range gw {
				if !closeRel(g[i], gw[i]) {
					t.Errorf("%v: after the error, gradient[%d] %v, generic %v", c, i, g[i], gw[i])
				}
			}
		}
	}
	for _, y := range [][]float64{{1, nan, 2}, {nan}} {
		tp := ad.NewTape()
		v := shaped(tp, vectorVar, y)
		_, err := StdNormalLpdf(tp, false, v)
		_, werr := StdNormal.Lpdf(tp, false, v)
		if err == nil || err.Error() != werr.Error() {
			t.Errorf("std_normal %v: error %v, generic %v", y, err, werr)
		}
	}
}

// TestStdNormalLpdfMatchesGeneric compares StdNormalLpdf with the generic
// driver of StdNormal.
func TestStdNormalLpdfMatchesGeneric(t *testing.T) {
	y := []float64{-1.2, 0.3, 2.5, 0.7}
	for _, s := range []testShape{scalarConst, scalarVar, vectorConst, vectorVar, vectorMixed} {
		for _, propto := range []bool{false, true} {
			var res [2]float64
			var grads [2][]float64
			for k, f := range []func(*ad.Tape, bool, []ad.Var) (ad.Var, error){StdNormalLpdf,
				func(tp *ad.Tape, p bool, v []ad.Var) (ad.Var, error) { return StdNormal.Lpdf(tp, p, v) }} {
				tp := ad.NewTape()
				v := shaped(tp, s, y)
				lp, err := f(tp, propto, v)
				if err != nil {
					t.Fatal(err)
				}
				tp.Grad(lp)
				res[k] = lp.Val
				for _, x := range v {
					grads[k] = append(grads[k], tp.Adjoint(x))
				}
			}
			if !closeRel(res[0], res[1]) {
				t.Errorf("std_normal %v propto %v: %v, generic %v", s, propto, res[0], res[1])
			}
			for i := range grads[1] {
				if !closeRel(grads[0][i], grads[1][i]) {
					t.Errorf("std_normal %v propto %v: gradient[%d] %v, generic %v", s, propto, i, grads[0][i], grads[1][i])
				}
			}
		}
	}
}

// TestNormalLpdfAllocatesNothing holds the one-pass drivers to no
// allocation once the tape has grown.
func TestNormalLpdfAllocatesNothing(t *testing.T) {
	tp := ad.NewTape()
	vals := []float64{1.2, 0.3, 2.5, 0.7, 3.1, 1.4}
	run := func() {
		tp.Reset()
		y, mu := shaped(tp, vectorConst, vals), shaped(tp, vectorVar, vals)
		s, ss := shaped(tp, scalarVar, vals), shaped(tp, vectorVar, vals[:1])
		var lp [4]ad.Var
		var errs [4]error
		lp[0], errs[0] = NormalLpdf(tp, true, y, mu, s)
		lp[1], errs[1] = NormalLpdf(tp, false, mu, y, mu)
		lp[2], errs[2] = StdNormalLpdf(tp, true, mu)
		lp[3], errs[3] = NormalLpdf(tp, true, mu, y, ss)
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		tp.Grad(tp.Add(tp.Add(lp[0], lp[1]), tp.Add(lp[2], lp[3])))
	}
	run()
	// shaped allocates its slices: count them once and subtract.
	base := testing.AllocsPerRun(20, func() {
		tp.Reset()
		shaped(tp, vectorConst, vals)
		shaped(tp, vectorVar, vals)
		shaped(tp, scalarVar, vals)
		shaped(tp, vectorVar, vals[:1])
	})
	if n := testing.AllocsPerRun(20, run); n > base {
		t.Errorf("%v allocations per evaluation beyond the arguments' %v", n, base)
	}
}

// BenchmarkNormalLpdf is one vectorised normal density of 100 elements
// (data y, varying mu, a varying scalar or vector sigma) with its reverse
// sweep, through NormalLpdf and through the generic driver.
func BenchmarkNormalLpdf(b *testing.B) {
	const n = 100
	vals := make([]float64, n)
	for i := range vals {
		vals[i] = 1 + 0.01*float64(i)
	}
	y := shaped(nil, vectorConst, vals)
	for _, ns := range []int{1, n} {
		for _, d := range []struct {
			name string
			f    func(t *ad.Tape, y, mu, sigma []ad.Var) (ad.Var, error)
		}{
			{"NormalLpdf", func(t *ad.Tape, y, mu, sigma []ad.Var) (ad.Var, error) { return NormalLpdf(t, true, y, mu, sigma) }},
			{"generic", func(t *ad.Tape, y, mu, sigma []ad.Var) (ad.Var, error) {
				return genericNormal.Lpdf(t, true, y, mu, sigma)
			}},
		} {
			b.Run(fmt.Sprintf("sigma%d/%s", ns, d.name), func(b *testing.B) {
				tp := ad.NewTape()
				mu, s := make([]ad.Var, n), make([]ad.Var, ns)
				run := func() {
					tp.Reset()
					for i := range mu {
						mu[i] = tp.Var(vals[i])
					}
					for i := range s {
						s[i] = tp.Var(vals[i])
					}
					lp, _ := d.f(tp, y, mu, s)
					tp.Grad(lp)
				}
				run()
				b.ReportAllocs()
				for b.Loop() {
					run()
				}
			})
		}
	}
}
