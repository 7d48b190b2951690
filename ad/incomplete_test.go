package ad_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
)

func TestIncompleteGradients(t *testing.T) {
	cases := []struct {
		name string
		f    fdcheck.Func
		at   [][]float64
	}{
		{"GammaP", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.GammaP(x[0], x[1]), nil },
			[][]float64{{3, 2}, {0.5, 0.3}, {10, 14}, {200, 190}, {3, 50}, {0.2, 4}}},
		{"GammaQ", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.GammaQ(x[0], x[1]), nil },
			[][]float64{{3, 2}, {10, 14}}},
		{"IncBeta", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.IncBeta(x[0], x[1], x[2]), nil },
			[][]float64{{2.5, 0.7, 0.3}, {2.5, 0.7, 0.9}, {0.3, 0.4, 0.5}, {300, 400, 0.45}, {1, 50, 0.01}, {4, 2, 0.6}}},
	}
	for _, c := range cases {
		for _, x0 := range c.at {
			if err := fdcheck.Check(c.f, x0, 1e-6); err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
		}
	}
}

// Partials in the shape parameters against mpmath's numerical derivatives
// at 40 digits.
func TestIncompleteShapePartials(t *testing.T) {
	gamma := []struct{ a, x, p, da float64 }{
		{3, 2, 0.3233235838169365405300025, -0.2318486720439895915234762},
		{0.5, 0.3, 0.5614219739190001364777396, -0.7705703513753519170605211},
		{3, 50, 0.9999999999999999997490696, -7.552056917446367114944544e-19},
		{10, 14, 0.8906006303572609965858431, -0.0566909977153257293247459},
		{200, 190, 0.2433474271006238042136736, -0.02235282834155004135645301},
		{2.5, 1000, 1, 0},
	}
	for _, c := range gamma {
		tp := ad.NewTape()
		a := tp.Var(c.a)
		y := tp.GammaP(a, ad.Const(c.x))
		tp.Grad(y)
		if math.Abs(y.Val-c.p) > 1e-13 {
			t.Errorf("GammaP(%v, %v) = %.17g, want %.17g", c.a, c.x, y.Val, c.p)
		}
		if g := tp.Adjoint(a); math.Abs(g-c.da) > 1e-10*math.Abs(c.da)+1e-15 {
			t.Errorf("∂GammaP(%v, %v)/∂a = %.17g, want %.17g", c.a, c.x, g, c.da)
		}
	}
	beta := []struct{ a, b, x, v, da, db float64 }{
		{2.5, 0.7, 0.3, 0.02981402484525046554112231, -0.03873934179636896798843252, 0.05881173657238452105249439},
		{2.5, 0.7, 0.9, 0.6239321729007937155245588, -0.09575057569460537918740149, 0.5890897891474880312865508},
		{1, 1000, 0.0004, 0.3297335917263845560666012, -0.474975432943458243472964, 0.0002681601989254158676755577},
		{300, 400, 0.45, 0.8738250286734267412976679, -0.008862758327931376988414378, 0.00694186673573889778099128},
		{0.3, 0.4, 0.5, 0.5784917890443377098290043, -0.8788609831049920233600796, 0.6848340361938613324428614},
	}
	for _, c := range beta {
		tp := ad.NewTape()
		a, b := tp.Var(c.a), tp.Var(c.b)
		y := tp.IncBeta(a, b, ad.Const(c.x))
		tp.Grad(y)
		if math.Abs(y.Val-c.v) > 1e-12 {
			t.Errorf("IncBeta(%v, %v, %v) = %.17g, want %.17g", c.a, c.b, c.x, y.Val, c.v)
		}
		ga, gb := tp.Adjoint(a), tp.Adjoint(b)
		if math.Abs(ga-c.da) > 1e-9*math.Abs(c.da) || math.Abs(gb-c.db) > 1e-9*math.Abs(c.db) {
			t.Errorf("IncBeta(%v, %v, %v) partials (%.17g, %.17g), want (%.17g, %.17g)", c.a, c.b, c.x, ga, gb, c.da, c.db)
		}
	}
}

func TestIncompleteConstants(t *testing.T) {
	var tp *ad.Tape
	c := ad.Const
	if !tp.GammaP(c(2), c(1)).IsConst() || !tp.GammaQ(c(2), c(1)).IsConst() || !tp.IncBeta(c(2), c(3), c(0.4)).IsConst() {
		t.Error("constant arguments gave a variable")
	}
}
