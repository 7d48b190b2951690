package compile

import (
	"fmt"
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// The generalized hypergeometric functions: 1F0, 2F1, 3F2 and pFq.

// addHypergeometric defines them.
func (l *library) addHypergeometric() {
	l.fn("hypergeometric_1F0", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fa, fz := a[0].real(), a[1].real()
		return cexpr{t: t, r: func(e *env) ad.Var {
			av, z := fa(e), fz(e)
			if !(z.Val < 1) {
				fail(pos, "hypergeometric_1F0: z is %v, but must be less than 1", z.Val)
			}
			// 1F0(a; ; z) = (1-z)^-a.
			v := math.Pow(1-z.Val, -av.Val)
			return e.t.Binary(v, av, -math.Log1p(-z.Val)*v, z, av.Val*v/(1-z.Val))
		}}, nil
	})
	l.fn("hypergeometric_2F1", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fa, fb, fc, fz := a[0].real(), a[1].real(), a[2].real(), a[3].real()
		return cexpr{t: t, r: func(e *env) ad.Var {
			r, err := hypergeometricPFQ(e.t, []ad.Var{fa(e), fb(e)}, []ad.Var{fc(e)}, fz(e))
			if err != nil {
				fail(pos, "hypergeometric_2F1: %v", err)
			}
			return r
		}}, nil
	})
	pfq := func(name string) builtin {
		return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
			fa, fb, fz := a[0].val(true), a[1].val(true), a[2].real()
			return cexpr{t: t, r: func(e *env) ad.Var {
				av, bv := fa(e).R, fb(e).R
				if name == "hypergeometric_3F2" && (len(av) != 3 || len(bv) != 2) {
					fail(pos, "%s: a has size %d and b %d, but they must have sizes 3 and 2", name, len(av), len(bv))
				}
				r, err := hypergeometricPFQ(e.t, av, bv, fz(e))
				if err != nil {
					fail(pos, "%s: %v", name, err)
				}
				return r
			}}, nil
		}
	}
	l.fn("hypergeometric_3F2", pfq("hypergeometric_3F2"))
	l.fn("hypergeometric_pFq", pfq("hypergeometric_pFq"))
}

// hypergeometricPFQ sums pFq(a; b; z) = Σ_k Π(a_i)_k / Π(b_j)_k z^k / k!
// until the terms stop mattering. With t_k the terms, the partials are
// Σ_k t_k Σ_{m<k} 1/(a_i+m) in a_i, the same negated in b_j, and
// Σ_k k t_k / z in z.
func hypergeometricPFQ(t *ad.Tape, a, b []ad.Var, z ad.Var) (ad.Var, error) {
	p, q := len(a), len(b)
	if p > q+1 && z.Val != 0 {
		return ad.Var{}, fmt.Errorf("the series diverges with %d numerator and %d denominator parameters", p, q)
	}
	if p == q+1 && !(math.Abs(z.Val) < 1) {
		return ad.Var{}, fmt.Errorf("z is %v, but the series converges only for |z| < 1", z.Val)
	}
	for j, v := range b {
		if v.Val <= 0 && v.Val == math.Floor(v.Val) {
			return ad.Var{}, fmt.Errorf("b[%d] is %v, but must not be a nonpositive integer", j+1, v.Val)
		}
	}
	da, db := make([]float64, p), make([]float64, q)
	ha, hb := make([]float64, p), make([]float64, q)
	term, sum, dz := 1.0, 1.0, 0.0
	const maxTerms = 1000000
	for k := 0; k < maxTerms; k++ {
		// term is t_k; step to t_{k+1}.
		next := term * z.Val / float64(k+1)
		for i, v := range a {
			ha[i] += 1 / (v.Val + float64(k))
			next *= v.Val + float64(k)
		}
		for j, v := range b {
			hb[j] += 1 / (v.Val + float64(k))
			next /= v.Val + float64(k)
		}
		if next == 0 {
			break
		}
		term = next
		sum += term
		for i := range a {
			da[i] += term * ha[i]
		}
		for j := range b {
			db[j] -= term * hb[j]
		}
		dz += float64(k+1) * term
		if math.Abs(term) <= 1e-16*math.Abs(sum) && k > 2 {
			break
		}
		if k == maxTerms-1 {
			return ad.Var{}, fmt.Errorf("the series did not converge in %d terms", maxTerms)
		}
	}
	if z.Val != 0 {
		dz /= z.Val
	} else {
		// The k = 1 coefficient, Π a / Π b.
		dz = 1
		for _, v := range a {
			dz *= v.Val
		}
		for _, v := range b {
			dz /= v.Val
		}
	}
	bd := t.Begin()
	for i, v := range a {
		bd.Add(v, da[i])
	}
	for j, v := range b {
		bd.Add(v, db[j])
	}
	bd.Add(z, dz)
	return bd.End(sum), nil
}
