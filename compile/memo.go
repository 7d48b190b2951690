package compile

import (
	"math"
	"strings"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/types"
)

// Call memos: a scalar function of leaves (leaf.go) called again with the
// same arguments returns the Var it returned before, instead of computing
// and recording it again. In an HMM's forward pass, log(theta[j, k]) takes
// K² distinct arguments over N steps, and exponential_lpdf(u[t] | phi[k])
// the same arguments for every j. Arguments are the same when their
// values and tape slots are; a Var is reused only while the tape that
// recorded it has not been reset since. A site where at most half the
// calls hit stops looking after a few calls: a lookup on every call then
// costs about what the hits save, or more (an HMM's
// exponential_lpdf(u[t] | phi[k]) hits for every j but the first, half
// the calls when K = 2, and its direct path costs little more than a
// lookup).

// memoWays is how many argument tuples a site remembers.
const memoWays = 4

// memoGiveUp is how many calls a site's memo runs before it turns off
// for a hit rate of one half or less.
const memoGiveUp = 64

// memoKey is an argument as its value's bits (so that -0 and 0 differ)
// and its tape slot.
type memoKey struct {
	bits uint64
	id   int32
}

type memoEntry struct {
	args [4]memoKey
	out  ad.Var
}

// callMemo is one site's memo in one Model.
type callMemo struct {
	tape    *ad.Tape
	gen     uint64
	entries [memoWays]memoEntry
	n, next int // entries filled, the next to replace
	calls   int
	hits    int
}

// memoized wraps the call of a library function f whose arguments args
// are all leaves or affine ints, or returns f unchanged.
func (c *compiler) memoized(name string, args []cexpr, f cexpr) cexpr {
	if f.t != types.RealT || f.r == nil || len(args) == 0 || len(args) > 4 || strings.HasSuffix(name, "_rng") {
		return f
	}
	ls := make([]*leaf, len(args))
	as := make([]*affine, len(args))
	for i, a := range args {
		switch {
		case a.aff != nil && a.t == types.IntT:
			as[i] = a.aff
		case a.t == types.RealT && a.lf != nil:
			ls[i] = a.lf
		default:
			return f
		}
	}
	call, n := f.r, len(args)
	memo := newState(c, func() *callMemo { return &callMemo{} })
	f.r = func(e *env) ad.Var {
		m := memo.of(e)
		if m.calls >= memoGiveUp && 2*m.hits <= m.calls {
			return call(e)
		}
		m.calls++
		var key [4]memoKey
		for i := range n {
			if ls[i] != nil {
				v := ls[i].get(e)
				key[i] = memoKey{math.Float64bits(v.Val), v.ID()}
			} else {
				key[i] = memoKey{bits: uint64(as[i].eval(e))}
			}
		}
		if m.tape != e.t || m.gen != e.t.Generation() {
			m.tape, m.gen, m.n, m.next = e.t, e.t.Generation(), 0, 0
		}
	entries:
		for k := range m.n {
			ent := &m.entries[k]
			for i := range n {
				if ent.args[i] != key[i] {
					continue entries
				}
			}
			m.hits++
			return ent.out
		}
		out := call(e)
		m.entries[m.next] = memoEntry{args: key, out: out}
		m.next = (m.next + 1) % memoWays
		m.n = max(m.n, m.next)
		if m.next == 0 {
			m.n = memoWays
		}
		return out
	}
	return f
}
