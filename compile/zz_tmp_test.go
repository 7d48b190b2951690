package compile

import (
	"strings"
	"testing"

	"github.com/gostan/gostan/stan/types"
)

func TestTmpNames(t *testing.T) {
	lib := types.NewLibrary()
	l := stdlib()
	for _, name := range lib.Names() {
		if _, ok := l.funcs[name]; ok {
			continue
		}
		if _, ok := l.higher[name]; ok {
			continue
		}
		if _, ok := odeDefaults[name]; ok {
			continue
		}
		if _, ok := odeVariadicDefaults[name]; ok {
			continue
		}
		if _, ok := operatorNames[name]; ok {
			continue
		}
		if isDensityName(name) {
			continue
		}
		_ = strings.Cut
		t.Log("ELSE", name)
	}
	for name := range l.funcs {
		if !lib.Has(name) {
			t.Log("NOCHECK", name)
		}
	}
	for name, d := range l.densities {
		t.Log("FAM", name, lib.Has(name+"_lpdf") || lib.Has(name+"_lpmf"), lib.Has(name+"_lcdf"), d.lcdf != nil || d.truncCDF != nil, lib.Has(name+"_rng"))
	}
}
