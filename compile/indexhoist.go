package compile

import (
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
)

// Calls hoisted by index: a library call inside nested for loops that
// changes only with the variables of some inner loops, such as an HMM's
// log(theta[j, k]) in its j and k loops inside the loop over t, takes the
// same arguments whenever those variables have the same values during
// one run of the outer loop. It is computed the first time a run of the
// outer loop reaches it with given values, as it would be (so that it
// fails where it would), and the Var is reused for those values until
// the outer loop starts again. The table is keyed by the inner loop
// variables' values, which is cheaper than a call memo (memo.go), whose
// key is the arguments' values and tape slots.

// indexWays is the size of an index-hoisted call's table: the entry of
// keys (a, b) is (31a + b) mod indexWays, replaced on a collision.
const indexWays = 64

// indexMemo is one site's table of values of type T in one Model; an
// entry is one cache line.
type indexMemo[T any] [indexWays]struct {
	run int // the outer loop's run the entry belongs to; 0 for none
	key [2]int
	val T
}

// indexHoisted wraps the compiled call x, f, when there is an enclosing
// for loop L such that x reads nothing L's body assigns but the variables
// of at most two for loops inside L; it returns false otherwise. L is the
// outermost such loop, for the most reuse.
func (c *compiler) indexHoisted(x *ast.CallExpr, f cexpr) (cexpr, bool) {
	if c.opts&optHoistByIndex == 0 {
		return f, false
	}
	outer, refs, nk := c.indexHoist(x)
	if outer == nil {
		return f, false
	}
	f.r = indexMemoized(c, outer, refs, nk, f.r)
	return f, true
}

// indexMemoized is call computed once per values of the nk inner loop
// variables refs during a run of the loop outer (indexHoist).
func indexMemoized[T any](c *compiler, outer *loopFrame, refs [2]varRef, nk int, call func(*env) T) func(*env) T {
	starts := outer.starts
	memo := newState(c, func() *indexMemo[T] { return &indexMemo[T]{} })
	return func(e *env) T {
		m, run := memo.of(e), *starts.of(e)
		var key [2]int
		for i := range nk {
			key[i] = e.ints[refs[i].idx] // loops hoist only outside functions
		}
		h := uint(31*key[0]+key[1]) % indexWays
		ent := &m[h]
		if ent.run == run && ent.key == key {
			return ent.val
		}
		v := call(e)
		ent.run, ent.key, ent.val = run, key, v
		return v
	}
}

// indexHoist finds the loop L that indexHoisted hoists x out of, and the
// slots of the nk inner loop variables that key its table; L is nil when
// there is none. It marks L as used.
func (c *compiler) indexHoist(x *ast.CallExpr) (outer *loopFrame, refs [2]varRef, nk int) {
	reads := map[*check.Var]bool{}
	ast.Inspect(x, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && c.info.Uses[id] != nil {
			reads[c.info.Uses[id]] = true
		}
		return true
	})
	var keys []*check.Var
	for i := len(c.loops) - 2; i >= 0 && c.loops[i].hoists && c.loops[i+1].hoists; i-- {
		fr := c.loops[i]
		// The variables of the loops inside fr that x reads.
		var ks []*check.Var
		for _, in := range c.loops[i+1:] {
			if reads[in.v] {
				ks = append(ks, in.v)
			}
		}
		if len(ks) <= 2 && c.invariant(x, &loopFrame{assigned: without(fr.assigned, c.loops[i+1:])}) {
			outer, keys = fr, ks
		}
	}
	if outer == nil {
		return nil, refs, 0
	}
	for i, k := range keys {
		refs[i] = c.slots[k]
	}
	outer.used = true
	return outer, refs, len(keys)
}

// without is the set a less the variables of the loops frs.
func without(a map[*check.Var]bool, frs []*loopFrame) map[*check.Var]bool {
	b := make(map[*check.Var]bool, len(a))
	for v := range a {
		b[v] = true
	}
	for _, fr := range frs {
		delete(b, fr.v)
	}
	return b
}
