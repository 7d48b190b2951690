package compile

import (
	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/types"
)

// Loop-invariant calls: a library call in a for loop's body whose
// arguments read neither the loop variable nor anything the body assigns,
// such as an HMM's exponential_lpdf(u[t] | phi[k]) inside its j loop,
// has the same value, and the same tape variable may stand for it, on
// every iteration of one run of the loop. It is computed where the loop
// first reaches it, as it would be (so that it fails where it would), and
// reused until the loop starts again: a counter of the loop's starts
// says which run the value belongs to.

// loopFrame is a loop whose body is being compiled.
type loopFrame struct {
	// hoists is false where calls stay in place: a while or foreach
	// loop, or a loop in a function, which recursion may enter again
	// before the outer run of it is over.
	hoists   bool
	assigned map[*check.Var]bool // the loop variable and what the body writes
	v        *check.Var          // the loop variable, nil for a while loop
	starts   runSlot             // how many times the loop has started
	used     bool                // some call was hoisted
}

// assignedName is the variable that the statement n assigns, declares,
// draws (a guide's ~) or loops over, or nil.
func assignedName(n ast.Node) *ast.Ident {
	switch s := n.(type) {
	case *ast.AssignStmt:
		return ast.Root(s.LHS)
	case *ast.TildeStmt:
		return ast.Root(s.LHS)
	case *ast.VarDecl:
		return s.Name
	case *ast.ForStmt:
		return s.Var
	case *ast.ForeachStmt:
		return s.Var
	}
	return nil
}

// enterLoop pushes the frame of a loop over v (nil for a while loop)
// with the given body; leaveLoop pops it.
func (c *compiler) enterLoop(v *ast.Ident, body ast.Stmt, hoists bool) *loopFrame {
	fr := &loopFrame{hoists: hoists && c.fn == nil}
	if fr.hoists {
		fr.v = c.info.Uses[v]
		fr.assigned = map[*check.Var]bool{fr.v: true}
		ast.Inspect(body, func(n ast.Node) bool {
			if id := assignedName(n); id != nil {
				fr.assigned[c.info.Uses[id]] = true
			}
			return true
		})
		fr.starts = c.run()
	}
	c.loops = append(c.loops, fr)
	return fr
}

func (c *compiler) leaveLoop() { c.loops = c.loops[:len(c.loops)-1] }

// cached wraps the compiled library call x, f: computed once per run of
// the innermost loop when it is invariant there, else memoized
// (memo.go) when it can be.
func (c *compiler) cached(x *ast.CallExpr, name string, args []cexpr, f cexpr) cexpr {
	if len(c.loops) == 0 || f.t != types.RealT || f.r == nil {
		return c.memoized(name, args, f)
	}
	fr := c.loops[len(c.loops)-1]
	if !fr.hoists || !c.invariant(x, fr) {
		if g, ok := c.indexHoisted(x, f); ok {
			return g
		}
		return c.memoized(name, args, f)
	}
	if c.unhoisted == nil {
		c.unhoisted = map[*ast.CallExpr]func(*env) ad.Var{}
	}
	c.unhoisted[x] = f.r
	f.r = loopOnce(c, fr, f.r)
	return f
}

// loopOnce is call computed once per run of the loop fr, which marks
// fr as used.
func loopOnce[T any](c *compiler, fr *loopFrame, call func(*env) T) func(*env) T {
	fr.used = true
	type cached struct {
		start int
		v     T
	}
	memo, starts := newState(c, func() *cached { return &cached{} }), fr.starts
	return func(e *env) T {
		m, s := memo.of(e), *starts.of(e)
		if m.start != s {
			m.v, m.start = call(e), s
		}
		return m.v
	}
}

// invariant reports whether x reads nothing the loop changes and calls
// only library functions without effects.
func (c *compiler) invariant(x ast.Expr, fr *loopFrame) bool {
	ok := true
	ast.Inspect(x, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if v := c.info.Uses[n]; v != nil && fr.assigned[v] {
				ok = false
			}
		case *ast.CallExpr:
			ci := c.info.Calls[n]
			if ci == nil || ci.User != nil || ci.FuncArg != nil || ci.Dist.Form == types.Rng ||
				ci.Name == "target" || ci.Name == "get_lp" {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// startLoop counts a start of the loop whose frame is fr, when a call
// was hoisted out of it, before running f.
func startLoop(fr *loopFrame, f stmtFn) stmtFn {
	if !fr.used || f == nil {
		return f
	}
	starts := fr.starts
	return func(e *env) ctrl {
		*starts.of(e)++
		return f(e)
	}
}
