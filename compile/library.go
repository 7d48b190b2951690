package compile

import (
	"sync"

	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/types"
)

// library is the standard library as this package implements it, by
// Stan's names: the functions, the distribution families (each with its
// density, CDFs and rng together) and the higher-order functions. It is
// built once, by newLibrary, and only read afterwards, so the goroutines
// compiling programs share it.
type library struct {
	funcs     map[string]builtin
	densities map[string]density
	higher    map[string]higherFunc
}

// higherFunc compiles a call of a higher-order function: its first
// argument names a user-defined function, whose signature the checker has
// not matched against the other arguments.
type higherFunc func(c *compiler, x *ast.CallExpr, call *check.Call, args []cexpr, t types.Type) cexpr

var (
	libOnce sync.Once
	lib     *library
)

// stdlib returns the library, built on first use. (It cannot be a package
// variable initialised by newLibrary: the functions it holds call back
// into the compiler, which reads it, and Go rejects that initialisation
// cycle.)
func stdlib() *library {
	libOnce.Do(func() { lib = newLibrary() })
	return lib
}

// newLibrary builds the whole library, in this order and nowhere else:
// the families (each holding its rng, which calls of family_rng use),
// then the functions, each name defined once.
func newLibrary() *library {
	l := &library{funcs: map[string]builtin{}, densities: map[string]density{}, higher: map[string]higherFunc{}}
	l.addUnivariateFamilies()   // dists.go
	l.addMultivariateFamilies() // mvdists.go
	l.addMoreFamilies()         // mvdists_more.go
	l.addScalarFuncs()          // funcs.go
	l.addSpecialFuncs()         // special.go
	l.addContainerFuncs()       // containers.go
	l.addLinearAlgebra()        // linalg.go
	l.addMoreLinearAlgebra()    // linalg_more.go
	l.addHMM()                  // hmm.go
	l.addSparse()               // sparse.go
	l.addFFT()                  // fft.go
	l.addGeneralEigen()         // eigen_general.go
	l.addSchur()                // schur.go
	l.addHypergeometric()       // hypergeometric.go
	l.addWiener()               // wiener.go
	l.addReshapeFuncs()         // reshape.go
	l.addTransformFuncs()       // transforms.go
	l.addHigherOrder()          // higher.go
	l.addDAE()                  // dae.go
	l.addODEAdjoint()           // ode_adjoint.go
	return l
}

// fn defines a library function; a name defined twice is a bug in
// newLibrary, which would otherwise depend on the order of its steps.
func (l *library) fn(name string, f builtin) {
	if _, dup := l.funcs[name]; dup {
		panic("compile: library function " + name + " defined twice")
	}
	l.funcs[name] = f
}

// family defines a distribution family by its name without suffix, with
// the reparameterised draw the dist package has for it.
func (l *library) family(name string, d density) {
	if _, dup := l.densities[name]; dup {
		panic("compile: distribution " + name + " defined twice")
	}
	d.reparam, _ = dist.Reparam(name)
	l.densities[name] = d
}
