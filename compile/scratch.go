package compile

// Scratch space that closures write during an evaluation belongs to the
// Model, not to the closure: a compiled Program is shared by every Model
// made from it, on any goroutine, so a closure may capture only what it
// never writes. The compiler hands out slots instead, numbered at compile
// time, and each Model's env holds their storage (as go/types hands out
// object ids and a checker run owns the maps).

// bufSlot is a container buffer in env.bufs.
type bufSlot int

// buf hands out a container buffer slot.
func (c *compiler) buf() bufSlot {
	c.nBufs++
	return bufSlot(c.nBufs - 1)
}

// of is the slot's buffer in e.
func (b bufSlot) of(e *env) *value { return &e.bufs[b] }

// runSlot is a loop's count of its starts in env.runs (hoist.go), an
// int read on every use of a value hoisted out of the loop, so it has
// typed storage rather than a state slot.
type runSlot int

// run hands out a loop's start counter.
func (c *compiler) run() runSlot {
	c.nRuns++
	return runSlot(c.nRuns - 1)
}

// of is the counter in e.
func (r runSlot) of(e *env) *int { return &e.runs[r] }

// stateSlot is any other per-model state of a closure in env.state: a
// solver's tape and work arrays, argument buffers, a warm start.
type stateSlot[T any] int

// newState hands out a state slot whose value each Model makes with mk
// when it is created.
func newState[T any](c *compiler, mk func() *T) stateSlot[T] {
	c.makers = append(c.makers, func() any { return mk() })
	return stateSlot[T](len(c.makers) - 1)
}

// of is the slot's state in e.
func (s stateSlot[T]) of(e *env) *T { return e.state[s].(*T) }

// newScratch makes a Model's storage for every slot the compiler handed out.
func (p *Program) newScratch(e *env) {
	e.bufs = make([]value, p.nBufs)
	e.runs = make([]int, p.nRuns)
	e.state = make([]any, len(p.makers))
	for i, mk := range p.makers {
		e.state[i] = mk()
	}
}

// whenBuilt arranges for f, work that needs the model's data but no
// parameters (a factorisation), to run once per Model: when the Model is
// built, for the program's own model block, or else (the generative view
// and the block with Stan's constants, compiled again from the same
// statements) at the first evaluation that calls the returned function,
// so that a view never evaluated costs nothing. It returns nil in the
// first case.
func (c *compiler) whenBuilt(f func(*env)) func(*env) {
	if c.gen == nil {
		c.prepare = append(c.prepare, f)
		return nil
	}
	done := zeroState[bool](c)
	return func(e *env) {
		if d := done.of(e); !*d {
			*d = true
			f(e)
		}
	}
}
