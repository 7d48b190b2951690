package ad_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
)

var specialCases = []scalarCase{
	{"Fmod", bin((*ad.Tape).Fmod), [][]float64{{5.3, 2}, {-7.5, 2.2}}},
	{"InvCloglog", un((*ad.Tape).InvCloglog), pts(-2, 0.4, 1.5)},
	{"InvErfc", un((*ad.Tape).InvErfc), pts(0.3, 1, 1.8)},
	{"BinaryLogLoss 1", func(t *ad.Tape, x []ad.Var) ad.Var { return t.BinaryLogLoss(1, x[0]) }, pts(0.3, 0.9)},
	{"BinaryLogLoss 0", func(t *ad.Tape, x []ad.Var) ad.Var { return t.BinaryLogLoss(0, x[0]) }, pts(0.3, 0.9)},
	{"LogInvLogitDiff", bin((*ad.Tape).LogInvLogitDiff), [][]float64{{1.2, -0.7}, {-3, -5}, {8, 7.5}}},
	{"Lmultiply", bin((*ad.Tape).Lmultiply), [][]float64{{1.2, 0.7}, {-3, 5}}},
	{"MultiplyLog", bin((*ad.Tape).MultiplyLog), [][]float64{{1.2, 0.7}}},
	{"Beta", bin((*ad.Tape).Beta), [][]float64{{2.5, 0.7}, {0.3, 4}}},
	{"Trigamma", un((*ad.Tape).Trigamma), pts(0.3, 1.7, 15, -2.3)},
	{"Lmgamma", func(t *ad.Tape, x []ad.Var) ad.Var { return t.Lmgamma(3, x[0]) }, pts(2.5, 7)},
	{"FallingFactorial", func(t *ad.Tape, x []ad.Var) ad.Var { return t.FallingFactorial(x[0], 3) }, pts(5.5, 2.2, 0, 1, 2, -1.5)},
	{"RisingFactorial", func(t *ad.Tape, x []ad.Var) ad.Var { return t.RisingFactorial(x[0], 3) }, pts(5.5, 0.2, 0, -1, -2, -3.5)},
	{"LogFallingFactorial", bin((*ad.Tape).LogFallingFactorial), [][]float64{{5.5, 2.3}}},
	{"LogRisingFactorial", bin((*ad.Tape).LogRisingFactorial), [][]float64{{5.5, 2.3}}},
	{"BesselFirstKind", func(t *ad.Tape, x []ad.Var) ad.Var { return t.BesselFirstKind(2, x[0]) }, pts(1.3, -4)},
	{"BesselSecondKind", func(t *ad.Tape, x []ad.Var) ad.Var { return t.BesselSecondKind(2, x[0]) }, pts(1.3, 4)},
	{"LambertW0", un((*ad.Tape).LambertW0), pts(-0.3, 0, 0.5, 2, 1000)},
	{"LambertWm1", un((*ad.Tape).LambertWm1), pts(-0.3, -0.1, -0.02)},
	{"StdNormalLogQf", un((*ad.Tape).StdNormalLogQf), pts(-0.1, -1, -50, -800)},
	{"StdNormalQf", un((*ad.Tape).StdNormalQf), pts(0.2, 0.7)},
	{"InvIncBeta", func(t *ad.Tape, x []ad.Var) ad.Var { return t.InvIncBeta(x[0], x[1], x[2]) }, [][]float64{{2.5, 0.7, 0.3}, {0.4, 3, 0.9}, {5, 5, 0.5}}},
	{"Ldexp", func(t *ad.Tape, x []ad.Var) ad.Var { return t.Ldexp(x[0], -3) }, pts(1.7, -0.2)},
	{"OwensT", bin((*ad.Tape).OwensT), [][]float64{{0.5, 0.3}, {1.2, 2.5}, {-0.7, -1.5}, {2, 1}, {0.3, 50}, {0, 0.7}}},
}

// Values against mpmath (30 digits).
func TestSpecialValues(t *testing.T) {
	var tp *ad.Tape
	c := ad.Const
	cases := []struct {
		name      string
		got, want float64
	}{
		{"Fmod", tp.Fmod(c(-7.5), c(2)).Val, -1.5},
		{"InvCloglog", tp.InvCloglog(c(0.4)).Val, 0.775038206450081521368457616528},
		{"InvErfc", tp.InvErfc(c(0.3)).Val, 0.732869077959216852218817461058},
		{"BinaryLogLoss 1", tp.BinaryLogLoss(1, c(0.3)).Val, 1.20397280432593599262274621776},
		{"BinaryLogLoss 0", tp.BinaryLogLoss(0, c(0.3)).Val, 0.356674943938732378912638711241},
		{"LogInvLogitDiff", tp.LogInvLogitDiff(c(1.2), c(-0.7)).Val, -0.828480067662383402376553293002},
		{"Lmultiply(0, 0)", tp.Lmultiply(c(0), c(0)).Val, 0},
		{"Beta", tp.Beta(c(2.5), c(0.7)).Val, 0.711873743278601935345110074387},
		{"Trigamma", tp.Trigamma(c(1.7)).Val, 0.79323283016399840877462920119},
		{"Lmgamma", tp.Lmgamma(3, c(2.5)).Val, 1.88099546161177419850211725093},
		{"FallingFactorial", tp.FallingFactorial(c(5.5), 3).Val, 86.625},
		{"RisingFactorial", tp.RisingFactorial(c(5.5), 3).Val, 268.125},
		{"LogFallingFactorial", tp.LogFallingFactorial(c(5.5), c(2.3)).Val, 3.61400642289655171950074372913},
		{"LogRisingFactorial", tp.LogRisingFactorial(c(5.5), c(2.3)).Val, 4.16690575593080878534912380043},
		{"BesselFirstKind", tp.BesselFirstKind(2, c(1.3)).Val, 0.183026698768737631601854558648},
		{"BesselSecondKind", tp.BesselSecondKind(2, c(1.3)).Val, -1.13041186482830251685963290282},
		{"LambertW0(0.5)", tp.LambertW0(c(0.5)).Val, 0.35173371124919582602490930093},
		{"LambertW0(-0.3)", tp.LambertW0(c(-0.3)).Val, -0.489402227180214969036231251996},
		{"LambertW0(1000)", tp.LambertW0(c(1000)).Val, 5.2496028524015962271260563197},
		{"LambertW0(-0.367)", tp.LambertW0(c(-0.367)).Val, -0.93239918474792848371646619088},
		{"LambertW0(1e-10)", tp.LambertW0(c(1e-10)).Val, 9.99999999900000000014999999997e-11},
		{"LambertWm1(-0.3)", tp.LambertWm1(c(-0.3)).Val, -1.78133702342162761197417028151},
		{"LambertWm1(-0.367)", tp.LambertWm1(c(-0.367)).Val, -1.07079188676805187407925872521},
		{"LambertWm1(-1e-5)", tp.LambertWm1(c(-1e-5)).Val, -14.1636008158101830091095563036},
		{"LambertWm1(-0.1)", tp.LambertWm1(c(-0.1)).Val, -3.57715206395729721840939196351},
		{"OwensT(0.5, 0.3)", tp.OwensT(c(0.5), c(0.3)).Val, 0.04078670734425010602539997},
		{"OwensT(1.2, 2.5)", tp.OwensT(c(1.2), c(2.5)).Val, 0.0575087565291884482457994},
		{"OwensT(-0.7, -1.5)", tp.OwensT(c(-0.7), c(-1.5)).Val, -0.1086632639359163230013},
		{"OwensT(2, 1)", tp.OwensT(c(2), c(1)).Val, 0.01111628172225982147533684},
		{"OwensT(0.3, 50)", tp.OwensT(c(0.3), c(50)).Val, 0.1910442889055236834638632},
		{"OwensT(0, 0.7)", tp.OwensT(c(0), c(0.7)).Val, 0.0972000561071073899978959},
		{"OwensT(0, Inf)", tp.OwensT(c(0), c(math.Inf(1))).Val, 0.25},
		{"LambertW0(-1/e)", tp.LambertW0(c(-1 / math.E)).Val, -1},
	}
	for _, k := range cases {
		// The digamma-based values inherit mathx.Digamma's ~1e-11.
		if !(math.Abs(k.got-k.want) <= 1e-12*math.Max(1, math.Abs(k.want))) {
			t.Errorf("%s = %.17g, want %.17g", k.name, k.got, k.want)
		}
	}
	// Far in the tail only relative accuracy means anything. References are
	// mpmath quadratures split into panels (one panel misses the peak at 0).
	for _, k := range []struct{ h, a, want float64 }{
		{5, 0.8, 0.0000001433202882783596378630735967676968113905},
		{10, 3, 3.809926512080263032986672e-24},
		{30, 0.5, 2.453356963574183283833299080548912132462e-198},
	} {
		if got := tp.OwensT(c(k.h), c(k.a)).Val; math.Abs(got-k.want) > 1e-13*k.want {
			t.Errorf("OwensT(%v, %v) = %.17g, want %.17g", k.h, k.a, got, k.want)
		}
	}
	// std_normal_log_qf and its derivative against mpmath's root of
	// log Φ(x) = lp, across every branch.
	for _, k := range []struct{ lp, x, d float64 }{
		{-1e-10, 6.361340902411734823186289, 1535723698.117827967197978},
		{-0.1, 1.309617799458493161733212, 5.346744780773685838351871},
		{-0.6931, 0.00005913345778423514644381436, 1.25337327296462643806436},
		{-1, -0.3374749637642024552758014, 0.9761716948251948874853766},
		{-50, -9.674825283612356508750419, 0.1022904122224062225106834},
		{-800, -39.88469483825667756838141, 0.02505654278919255733739871},
		{-10000, -141.3798398731271637027933, 0.007072790427792576244968559},
	} {
		tq := ad.NewTape()
		lp := tq.Var(k.lp)
		y := tq.StdNormalLogQf(lp)
		tq.Grad(y)
		// The value near lp = log 0.5 is small, so its error is absolute.
		if math.Abs(y.Val-k.x) > 1e-13*math.Max(1, math.Abs(k.x)) || math.Abs(tq.Adjoint(lp)-k.d) > 1e-12*k.d {
			t.Errorf("std_normal_log_qf(%v) = %.17g, derivative %.17g; want %.17g, %.17g", k.lp, y.Val, tq.Adjoint(lp), k.x, k.d)
		}
	}
	if v := tp.LambertWm1(c(0.1)).Val; !math.IsNaN(v) {
		t.Errorf("LambertWm1(0.1) = %v, want NaN", v)
	}
}

// Trigamma's derivative is a private tetragamma; mpmath's psi(2, x) checks
// it on both sides of the recurrence cut-off and in the reflection branch.
func TestTrigammaDerivative(t *testing.T) {
	want := map[float64]float64{
		0.3:  -75.272536588726038917300307321,
		1.7:  -0.604089084103459027705226606632,
		12.5: -0.00693243658578824079089730568916,
		-2.3: 68.7137925292703020016521145328,
		45:   -0.000504923009964598416837406187139,
	}
	for x, w := range want {
		tp := ad.NewTape()
		v := tp.Var(x)
		tp.Grad(tp.Trigamma(v))
		if g := tp.Adjoint(v); math.Abs(g-w) > 1e-12*math.Abs(w) {
			t.Errorf("tetragamma(%v) = %.17g, want %.17g", x, g, w)
		}
	}
}
