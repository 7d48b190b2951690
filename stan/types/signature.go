package types

import (
	"fmt"
	"slices"
	"strings"
)

// Signature is one overload of a function.
type Signature struct {
	Args []Type
	Ret  Type
}

func (s Signature) String() string {
	args := make([]string, len(s.Args))
	for i, a := range s.Args {
		args[i] = a.String()
	}
	return "(" + strings.Join(args, ", ") + ") => " + s.Ret.String()
}

// Library holds the signatures of the functions a program can call, by
// name: the standard library (Stdlib) plus user-defined functions. Its
// reading methods (Resolve, Has, Signatures, Names, Dist) may run on many
// goroutines at once, as they do on Stdlib's; Add may not run beside
// them.
type Library struct {
	funcs map[string][]Signature
	// dists are the standard library's functions of distribution
	// families, shared by every copy: it is only read after buildStdlib.
	dists map[string]DistFunc
}

// DistForm says which function of a distribution family a library
// function is.
type DistForm int

const (
	NoDist        DistForm = iota // not a function of a distribution
	Density                       // family_lpdf, _lpmf and the old _log
	DensityPropto                 // family_lupdf, _lupmf: constants may be dropped
	CDF                           // family_cdf
	LCDF                          // family_lcdf and the old _cdf_log
	LCCDF                         // family_lccdf and the old _ccdf_log
	Rng                           // family_rng
)

// DistFunc is a standard library function of a distribution family: its
// family's name without suffix and which of its functions it is.
type DistFunc struct {
	Family string
	Form   DistForm
}

// Dist returns the family and form of a standard library function of a
// distribution; ok is false for other functions.
func (l *Library) Dist(name string) (f DistFunc, ok bool) {
	f, ok = l.dists[name]
	return f, ok
}

// Stdlib is the standard library alone, shared by every checker and
// goroutine: it must not be added to. Operators resolve against it, since
// user functions do not overload them (in stanc3 an operator is typed by
// the Stan library's table only).
func Stdlib() *Library { return stdlib }

// NewLibrary returns a library holding a copy of the standard library.
func NewLibrary() *Library {
	l := &Library{funcs: make(map[string][]Signature, len(stdlib.funcs)), dists: stdlib.dists}
	for k, v := range stdlib.funcs {
		l.funcs[k] = v
	}
	return l
}

// Add declares another overload of name.
func (l *Library) Add(name string, s Signature) {
	l.funcs[name] = append(l.funcs[name][:len(l.funcs[name]):len(l.funcs[name])], s)
}

// operatorOnly are the operators stanc3 has no function for (it types %/%
// by a rule of its own, \ as mdivide_left and .^ as pow): the library
// keeps them under their symbols, which no call can name, so that a user
// function may be called int_divide, left_divide or elt_pow.
var operatorOnly = map[string]bool{"%/%": true, "\\": true, ".^": true}

// Callable reports whether a program may call the library function name
// by its name, as stanc3's table lets it (add(a, b) as well as a + b).
func Callable(name string) bool { return !operatorOnly[name] }

// Has reports whether any function is called name.
func (l *Library) Has(name string) bool { return len(l.funcs[name]) > 0 }

// Names lists the names of every function of the library, sorted:
// operators under their stanc3 names (add, pow, ...) or, for those
// stanc3 has no function for, their symbols (%/%, \, .^), and each
// distribution's densities, CDFs and rng.
func (l *Library) Names() []string {
	names := make([]string, 0, len(l.funcs))
	for n, sigs := range l.funcs {
		if len(sigs) > 0 {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// Signatures returns name's overloads.
func (l *Library) Signatures(name string) []Signature { return l.funcs[name] }

// Resolve picks the overload of name that accepts args with the fewest
// promotions, as Stan does. It returns an error in Stan's words when no
// overload or more than one equally good one matches.
func (l *Library) Resolve(name string, args []Type) (Signature, error) {
	sigs := l.funcs[name]
	if len(sigs) == 0 {
		return Signature{}, fmt.Errorf("a returning function was expected but an undeclared identifier '%s' was supplied", name)
	}
	best, bestCost, ties := -1, 0, 0
	for i, s := range sigs {
		if len(s.Args) != len(args) {
			continue
		}
		cost, ok := 0, true
		for j, a := range args {
			if !Promotes(a, s.Args[j]) {
				ok = false
				break
			}
			cost += PromotionCost(a, s.Args[j])
		}
		if !ok {
			continue
		}
		switch {
		case best < 0 || cost < bestCost:
			best, bestCost, ties = i, cost, 0
		case cost == bestCost && !slices.Equal(sigs[best].Args, s.Args):
			ties++
		}
	}
	if best < 0 {
		return Signature{}, &NoMatchError{Name: name, Args: args, Sigs: sigs}
	}
	if ties > 0 {
		return Signature{}, fmt.Errorf("ambiguous call to '%s' with arguments (%s)", name, typeList(args))
	}
	return sigs[best], nil
}

// NoMatchError reports a call whose arguments fit no overload.
type NoMatchError struct {
	Name string
	Args []Type
	Sigs []Signature
}

func (e *NoMatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "no matching signature for '%s' with arguments (%s). Available signatures:", e.Name, typeList(e.Args))
	const show = 8
	for i, s := range e.Sigs {
		if i == show {
			fmt.Fprintf(&b, "\n  (%d more)", len(e.Sigs)-show)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(s.String())
	}
	return b.String()
}

func typeList(ts []Type) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.String()
	}
	return strings.Join(s, ", ")
}
