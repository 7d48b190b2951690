package dist_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/internal/fdcheck"
)

// split cuts the flat argument vector of a finite-difference check into the
// given lengths, one slice per distribution argument.
func split(x []ad.Var, lens ...int) [][]ad.Var {
	out := make([][]ad.Var, len(lens))
	k := 0
	for i, n := range lens {
		out[i] = x[k : k+n]
		k += n
	}
	return out
}

// consts turns float64s into constant Vars.
func consts(xs ...float64) []ad.Var {
	v := make([]ad.Var, len(xs))
	for i, x := range xs {
		v[i] = ad.Const(x)
	}
	return v
}

// gradCheck checks the gradient of f at x against finite differences.
func gradCheck(t *testing.T, name string, f fdcheck.Func, x ...float64) {
	t.Helper()
	if err := fdcheck.Check(f, x, 1e-6); err != nil {
		t.Errorf("%s: %v", name, err)
	}
}

// near fails the test when got and want differ by more than rel relative.
func near(t *testing.T, name string, got, want, rel float64) {
	t.Helper()
	if !(math.Abs(got-want) <= rel*math.Max(1, math.Abs(want))) {
		t.Errorf("%s = %.15g, want %.15g", name, got, want)
	}
}
