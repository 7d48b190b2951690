package compile

import (
	"fmt"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// addSpecialFuncs defines the special functions of scalars whose values
// and partials the ad package has.
func (l *library) addSpecialFuncs() {
	m := map[string]builtin{}
	for name, f := range map[string]func(*ad.Tape, ad.Var, ad.Var) ad.Var{
		"gamma_p": (*ad.Tape).GammaP, "gamma_q": (*ad.Tape).GammaQ, "owens_t": (*ad.Tape).OwensT,
		"log_falling_factorial": (*ad.Tape).LogFallingFactorial,
		"log_rising_factorial":  (*ad.Tape).LogRisingFactorial,
		"log_modified_bessel_first_kind": func(t *ad.Tape, v, z ad.Var) ad.Var {
			return t.LogModifiedBesselFirstKind(v, z)
		},
	} {
		m[name] = binaryScalar(f)
	}
	// Functions of an int and a real, in either order, vectorised as
	// binaryScalar vectorises (an int reaches f as an exact real).
	intReal := func(f func(t *ad.Tape, n int, x ad.Var) ad.Var, intFirst bool) builtin {
		if intFirst {
			return binaryScalar(func(t *ad.Tape, n, x ad.Var) ad.Var { return f(t, int(n.Val), x) })
		}
		return binaryScalar(func(t *ad.Tape, x, n ad.Var) ad.Var { return f(t, int(n.Val), x) })
	}
	m["lmgamma"] = intReal((*ad.Tape).Lmgamma, true)
	m["modified_bessel_first_kind"] = intReal((*ad.Tape).ModifiedBesselFirstKind, true)
	m["modified_bessel_second_kind"] = intReal((*ad.Tape).ModifiedBesselSecondKind, true)
	m["bessel_first_kind"] = intReal((*ad.Tape).BesselFirstKind, true)
	m["bessel_second_kind"] = intReal((*ad.Tape).BesselSecondKind, true)
	m["binary_log_loss"] = intReal((*ad.Tape).BinaryLogLoss, true)
	// The factorials of an int are ints: x (x-1) ... (x-n+1) and
	// x (x+1) ... (x+n-1).
	product := func(name string, step int) func(x, n int) (int, string) {
		return func(x, n int) (int, string) {
			if n < 0 {
				return 0, fmt.Sprintf("%s: n is %d, but must be nonnegative", name, n)
			}
			p := 1
			for k := range n {
				p *= x + step*k
				if p == 0 {
					// It stays 0, which it reaches after at most 128
					// factors, half of them even, wrapping around.
					break
				}
			}
			return p, ""
		}
	}
	intOrReal := func(ints, reals builtin) builtin {
		return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
			if t.Kind == types.Int {
				return ints(c, a, t, pos)
			}
			return reals(c, a, t, pos)
		}
	}
	m["falling_factorial"] = intOrReal(intBinary(product("falling_factorial", -1)),
		intReal(func(t *ad.Tape, n int, x ad.Var) ad.Var { return t.FallingFactorial(x, n) }, false))
	m["rising_factorial"] = intOrReal(intBinary(product("rising_factorial", 1)),
		intReal(func(t *ad.Tape, n int, x ad.Var) ad.Var { return t.RisingFactorial(x, n) }, false))
	m["ldexp"] = intReal(func(t *ad.Tape, n int, x ad.Var) ad.Var { return t.Ldexp(x, n) }, false)
	m["inv_inc_beta"] = func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fa, fb, fp := a[0].real(), a[1].real(), a[2].real()
		return cexpr{t: t, r: func(e *env) ad.Var { return e.t.InvIncBeta(fa(e), fb(e), fp(e)) }}, nil
	}
	m["inc_beta"] = func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fa, fb, fx := a[0].real(), a[1].real(), a[2].real()
		return cexpr{t: t, r: func(e *env) ad.Var { return e.t.IncBeta(fa(e), fb(e), fx(e)) }}, nil
	}
	m["student_t_qf"] = studentTQf
	for name, f := range m {
		l.fn(name, f)
	}
}

// studentTQfArgs are student_t_qf's arguments' names, for messages.
var studentTQfArgs = [4]string{"p", "nu", "mu", "sigma"}

// studentTQf is student_t_qf(p, nu, mu, sigma) (Stan 2.40), each argument
// a real or a container of reals, elementwise over the containers (all of
// one size) with the scalars broadcast; dist.StudentTQf has the partials.
func studentTQf(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	var get [4]func(*env) []ad.Var
	for k := range a {
		if a[k].v == nil {
			f, slot := a[k].real(), zeroState[[1]ad.Var](c)
			get[k] = func(e *env) []ad.Var { b := slot.of(e); b[0] = f(e); return b[:] }
		} else {
			f := a[k].val(true)
			get[k] = func(e *env) []ad.Var { return f(e).R }
		}
	}
	at := func(e *env, x [4][]ad.Var, i int) ad.Var {
		var v [4]ad.Var
		for k := range x {
			v[k] = x[k][0]
			if len(x[k]) > 1 || a[k].v != nil {
				v[k] = x[k][i]
			}
		}
		q, dp, dnu, dmu, dsigma, err := dist.StudentTQf(v[0].Val, v[1].Val, v[2].Val, v[3].Val)
		if err != nil {
			panic(&evalError{pos: pos, err: err})
		}
		b := e.t.Begin()
		b.Add(v[0], dp)
		b.Add(v[1], dnu)
		b.Add(v[2], dmu)
		b.Add(v[3], dsigma)
		return b.End(q)
	}
	if t == types.RealT {
		return cexpr{t: t, r: func(e *env) ad.Var {
			var x [4][]ad.Var
			for k := range x {
				x[k] = get[k](e)
			}
			return at(e, x, 0)
		}}, nil
	}
	buf := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		var x [4][]ad.Var
		n, first := -1, 0
		for k := range x {
			x[k] = get[k](e)
			if a[k].v == nil {
				continue
			}
			if n < 0 {
				n, first = len(x[k]), k
			} else if len(x[k]) != n {
				fail(pos, "student_t_qf: %s has size %d, but %s has size %d; the containers must be of one size", studentTQfArgs[first], n, studentTQfArgs[k], len(x[k]))
			}
		}
		out := buf.of(e)
		out.shape([]int{n}, false)
		for i := range n {
			out.R[i] = at(e, x, i)
		}
		return out
	}}, nil
}

// operatorNames are the operators under their function names, which a
// program may also call as functions: add(a, b) is a + b.
var operatorNames = map[string]token.Kind{
	"add": token.ADD, "subtract": token.SUB, "multiply": token.MUL, "divide": token.QUO,
	"modulus": token.REM, "elt_multiply": token.ELTMUL, "elt_divide": token.ELTDIV,
	"logical_eq": token.EQL, "logical_neq": token.NEQ, "logical_lt": token.LSS, "logical_lte": token.LEQ,
	"logical_gt": token.GTR, "logical_gte": token.GEQ, "logical_and": token.LAND, "logical_or": token.LOR,
	"minus": token.SUB, "plus": token.ADD, "logical_negation": token.NOT,
}

// operatorCall compiles a call of an operator by its name as the operator
// applied to the call's arguments.
func (c *compiler) operatorCall(x *ast.CallExpr, t types.Type) (cexpr, bool) {
	op, ok := operatorNames[x.Fun.Name]
	if !ok {
		return cexpr{}, false
	}
	switch len(x.Args) {
	case 1:
		u := &ast.UnaryExpr{OpPos: x.Pos(), Op: op, X: x.Args[0]}
		c.info.Types[u] = t
		return c.unary(u, t), true
	case 2:
		b := &ast.BinaryExpr{X: x.Args[0], OpPos: x.Pos(), Op: op, Y: x.Args[1]}
		c.info.Types[b] = t
		return c.binary(b, t), true
	}
	return cexpr{}, false
}
