package ad_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
)

func TestBesselGradients(t *testing.T) {
	cases := []struct {
		name string
		f    fdcheck.Func
		at   [][]float64
	}{
		{"ModifiedBesselFirstKind 0", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.ModifiedBesselFirstKind(0, x[0]), nil },
			[][]float64{{1.5}, {-0.4}, {12}}},
		{"ModifiedBesselFirstKind 3", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.ModifiedBesselFirstKind(3, x[0]), nil },
			[][]float64{{2.2}, {-2.2}}},
		{"ModifiedBesselSecondKind 1", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) { return tp.ModifiedBesselSecondKind(1, x[0]), nil },
			[][]float64{{0.3}, {2.2}, {20}}},
		{"LogModifiedBesselFirstKind", func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return tp.LogModifiedBesselFirstKind(x[0], x[1]), nil
		}, [][]float64{{0.5, 1.5}, {2.3, 0.3}, {7.5, 100}, {150.2, 3}}},
	}
	for _, c := range cases {
		for _, x0 := range c.at {
			if err := fdcheck.Check(c.f, x0, 1e-6); err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
		}
	}
}

// Values and derivatives against mpmath (30 digits).
func TestBesselValues(t *testing.T) {
	near := func(got, want, rel float64) bool { return math.Abs(got-want) <= rel*math.Abs(want) }
	for _, c := range []struct {
		v          int
		z, val, dz float64
	}{
		{0, 1.5, 1.646723189772890844876306, 0.9816664285779075856520109},
		{1, 0.3, 0.151693840003592774589087, 0.5169807460062877220928138},
		{3, -2.2, -0.2976277095324037149892511, 0.483200850035503736704635},
		{2, 30, 730436828561.3803564177702, 719836250368.1983090664434},
		{5, 0.01, 2.604177517380487642426198e-14, 1.302090928836883191138999e-11},
		{-2, 1.5, 0.3378346183356807306736249, 0.5312202707969999447538444},
	} {
		tp := ad.NewTape()
		z := tp.Var(c.z)
		y := tp.ModifiedBesselFirstKind(c.v, z)
		tp.Grad(y)
		if !near(y.Val, c.val, 1e-13) || !near(tp.Adjoint(z), c.dz, 1e-13) {
			t.Errorf("I_%d(%v) = %.17g, derivative %.17g; want %.17g, %.17g", c.v, c.z, y.Val, tp.Adjoint(z), c.val, c.dz)
		}
	}
	// At large z the series is summed relative to a term whose logarithm is
	// in the thousands, which costs about z·ε of relative accuracy.
	tp := ad.NewTape()
	z := tp.Var(700)
	y := tp.ModifiedBesselFirstKind(0, z)
	tp.Grad(y)
	if !near(y.Val, 1.529593347671873736316207e+302, 1e-11) || !near(tp.Adjoint(z), 1.528500390233900688145043e+302, 1e-11) {
		t.Errorf("I_0(700) = %.17g, derivative %.17g", y.Val, tp.Adjoint(z))
	}
	for _, c := range []struct {
		v          int
		z, val, dz float64
	}{
		{0, 1.5, 0.213805562647525736721621, -0.2773878004568438160853597},
		{1, 0.3, 3.055992033457325107182311, -11.55910017206871481149566},
		{3, 2.2, 0.448545928065945306109326, -0.7990105531425154955876108},
		{2, 30, 2.276992963255826332824699e-14, -2.319531532775271180388684e-14},
		{5, 0.01, 3839976000099.999183657147, -1919992800009999.801858312},
		{0, 700, 4.669776431685376880985628e-306, -4.673110796707966109075718e-306},
		{20, 0.5, 6.665549874417155635172291e+28, -2.667096835586084829764511e+30},
		{-2, 1.5, 0.5836559632566508248354339, -1.055595751465711582532605},
	} {
		tp := ad.NewTape()
		z := tp.Var(c.z)
		y := tp.ModifiedBesselSecondKind(c.v, z)
		tp.Grad(y)
		if !near(y.Val, c.val, 1e-13) || !near(tp.Adjoint(z), c.dz, 1e-13) {
			t.Errorf("K_%d(%v) = %.17g, derivative %.17g; want %.17g, %.17g", c.v, c.z, y.Val, tp.Adjoint(z), c.val, c.dz)
		}
	}
	for _, c := range []struct{ v, z, val, dz, dv float64 }{
		{0.5, 1.5, 0.32725973179854348069194, 0.7714580596491785706106655, -0.534222136475153059684804},
		{2.3, 0.3, -5.343661757597061419404942, 7.712049323232701218410137, -2.934004068764101654265393},
		{0, 0.01, 0.00002499984375173608977268414, 0.004999937501041648867409578, -4.721126701255885451008877},
		{7.5, 100, 96.49719662504498018405308, 0.9978243579860084310594933, -0.07530683488849373214826118},
		{0, 1e4, 9994.475903781432301004509, 0.9999499987498749804646865, 0},
		{150.2, 3, -545.107292202373637306193, 50.07658633181184949905874, -4.609926236796245914262086},
	} {
		tp := ad.NewTape()
		v, z := tp.Var(c.v), tp.Var(c.z)
		y := tp.LogModifiedBesselFirstKind(v, z)
		tp.Grad(y)
		gv, gz := tp.Adjoint(v), tp.Adjoint(z)
		// ∂/∂v goes through mathx.Digamma, good to about 1e-11.
		if !near(y.Val, c.val, 1e-13) || !near(gz, c.dz, 1e-12) || math.Abs(gv-c.dv) > 1e-10*math.Abs(c.dv)+1e-14 {
			t.Errorf("log I_%v(%v) = %.17g, partials (%.17g, %.17g); want %.17g, (%.17g, %.17g)", c.v, c.z, y.Val, gv, gz, c.val, c.dv, c.dz)
		}
	}
}

func TestBesselConstants(t *testing.T) {
	var tp *ad.Tape
	c := ad.Const
	ys := []ad.Var{tp.ModifiedBesselFirstKind(2, c(1.5)), tp.ModifiedBesselFirstKind(1, c(0)),
		tp.ModifiedBesselSecondKind(2, c(1.5)), tp.LogModifiedBesselFirstKind(c(0.5), c(2)),
		tp.LogModifiedBesselFirstKind(c(0), c(0))}
	if ad.AnyVar(ys) {
		t.Error("constant arguments gave a variable")
	}
	if v := tp.LogModifiedBesselFirstKind(c(0), c(0)).Val; v != 0 {
		t.Errorf("log I_0(0) = %v, want 0", v)
	}
	if v := tp.ModifiedBesselFirstKind(1, c(0)).Val; v != 0 {
		t.Errorf("I_1(0) = %v, want 0", v)
	}
}
