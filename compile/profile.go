package compile

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/ast"
)

// Profile statements, profile("name") { ... }, measure the statements in
// their block, as Stan's do (Stan Math's profiling.hpp; CmdStan writes the
// measurements to its profile_file). Measuring is off until
// Model.StartProfiling: a Model that does not profile runs a profile
// statement as its block plus one nil check, and a program without profile
// statements is compiled exactly as before.
//
// What is measured, per profile name and per evaluator (a Model and each
// of its clones, one per chain), the columns of CmdStan's profile.csv:
//
//   - forward_time: the wall time spent running the block, summed over
//     every entry (a profile in a loop is entered once per iteration).
//   - reverse_time: the wall time of the block's part of the reverse sweep
//     (0 for a block in a function that a solver runs on a scratch tape
//     of its own, see profState.tape: the solver sweeps that tape itself).
//     The tape (package ad) is one array of statements swept backwards, and
//     the statements a block recorded are a contiguous range of it; a
//     gradient evaluation that entered a profile sweeps the tape in pieces
//     cut at the blocks' ends and times each block's range (its nested
//     profiles' ranges included, as in Stan). A sampling statement that the
//     compiler defers to the end of its loop (deferred.go) is flushed when
//     a measured block around it ends, so that its tape statement is the
//     block's.
//   - total_time: forward_time + reverse_time, as CmdStan writes it.
//   - chain_stack: tape statements (one step of the reverse sweep each:
//     an operation or a custom node, gostan's counterpart of Stan's vari on
//     the chain stack) recorded inside the block, summed over gradient
//     evaluations.
//   - no_chain_stack: tape variables created inside the block without a
//     statement of their own (independent leaves and the outputs of custom
//     nodes, the counterpart of Stan's varis on the no-chain stack), summed
//     over gradient evaluations.
//   - autodiff_calls: the reverse sweeps that went through the block (Stan
//     counts reverse passes), one per entry.
//   - no_autodiff_calls: entries in evaluations without a gradient: the
//     generated quantities and the transformed parameters Write computes,
//     transformed data, and a log density evaluated without its gradient
//     (Stan evaluates those in double precision).
//
// A profile entered while it is already running (a profile in a recursive
// function) is measured at its outermost entry only; Stan stops with an
// error there ("Profile ... already started").
//
// Goroutine safety: each Model writes only its own accumulators (the
// Profiler holds one set per Model, registered under a lock when the Model
// is made), so chains running in parallel share nothing while they run.
// Profiler.Stats reads them all and must be called when no evaluation of
// the Model or its clones is in progress (after the run's goroutines are
// joined).

// profileID returns the number of the profile named name, numbering names
// in the order the compiler first meets them.
func (c *compiler) profileID(name string) int {
	if i := slices.Index(c.profNames, name); i >= 0 {
		return i
	}
	c.profNames = append(c.profNames, name)
	return len(c.profNames) - 1
}

// profileStmt compiles profile("name") { ... }.
//
// Sampling statements in the block that defer to the end of an enclosing
// loop (deferred.go) are flushed when the block ends, if it is measured:
// their tape statement is then recorded, and swept, inside the block, as
// Stan's would be. Unmeasured, they defer as without the profile.
func (c *compiler) profileStmt(s *ast.ProfileStmt) stmtFn {
	id := c.profileID(s.Name)
	before := 0
	if c.loop != nil {
		before = len(*c.loop)
	}
	body := c.stmts(s.Body.List)
	var deferred []*deferStmt
	if c.loop != nil {
		deferred = slices.Clone((*c.loop)[before:])
	}
	return func(e *env) ctrl {
		if ps := e.prof; ps != nil && ps.on && !ps.running[id] {
			return ps.run(e, id, body, deferred)
		}
		return body(e)
	}
}

// profAcc is one profile's accumulators in one evaluator.
type profAcc struct {
	entries         int // every entry measured
	forward         time.Duration
	reverse         time.Duration
	chainStack      int
	noChainStack    int
	autodiffCalls   int
	noAutodiffCalls int
}

// add adds b's measurements to a's.
func (a *profAcc) add(b profAcc) {
	a.entries += b.entries
	a.forward += b.forward
	a.reverse += b.reverse
	a.chainStack += b.chainStack
	a.noChainStack += b.noChainStack
	a.autodiffCalls += b.autodiffCalls
	a.noAutodiffCalls += b.noAutodiffCalls
}

// profRecord is one evaluator's measurements, by profile id.
type profRecord struct {
	thread int
	acc    []profAcc
}

// profMark is where a profiled block starts or ends on the tape: a
// statement number of ad.Tape.Size.
type profMark struct {
	stmt  int
	id    int
	start bool
}

// profState is a Model's profiling state, in its env.
type profState struct {
	rec *profRecord
	// on is set while an evaluation that measures runs (LogDensity,
	// Write, transformed data); other uses of the environment (the
	// generative view, the guide) do not measure.
	on bool
	// ad is set while the evaluation records a gradient.
	ad bool
	// tape is the model's own tape, the one the reverse sweep of grad
	// runs on. A solver (ODE, algebraic, integrate_1d, DAE, Laplace) runs
	// its user function on a scratch tape of its own (ode_core.go's
	// nested), whose statement numbers are not the model tape's.
	tape    *ad.Tape
	running []bool
	marks   []profMark
	revFrom []time.Time // when the reverse sweep reached each block's end
}

func newProfState(n, thread int, tape *ad.Tape) *profState {
	return &profState{rec: &profRecord{thread: thread, acc: make([]profAcc, n)}, tape: tape,
		running: make([]bool, n), revFrom: make([]time.Time, n)}
}

// begin starts an evaluation that measures, with a gradient or not.
func (ps *profState) begin(grad bool) {
	ps.on, ps.ad = true, grad
	ps.marks = ps.marks[:0]
	clear(ps.running)
}

// end ends it.
func (ps *profState) end() {
	ps.on = false
	clear(ps.running)
}

// run runs a profiled block, flushing the deferred statements in it, and
// measures it.
func (ps *profState) run(e *env, id int, body stmtFn, deferred []*deferStmt) ctrl {
	a := &ps.rec.acc[id]
	ps.running[id] = true
	// A block on a solver's scratch tape is not marked: its statement
	// numbers would cut the model tape's sweep in the wrong places. Its
	// tape sizes count, and it counts as an autodiff call, but its part
	// of the solver's own sweeps is not timed.
	tape := e.t
	marked := ps.ad && tape == ps.tape
	var s0 ad.Size
	if ps.ad {
		s0 = tape.Size()
	}
	if marked {
		ps.marks = append(ps.marks, profMark{stmt: s0.Stmts, id: id, start: true})
	}
	t0 := time.Now()
	r := body(e)
	for _, d := range deferred {
		d.flush(e)
	}
	a.forward += time.Since(t0)
	a.entries++
	if ps.ad {
		s1 := tape.Size()
		if s1.Stmts >= s0.Stmts {
			a.chainStack += s1.Stmts - s0.Stmts
			a.noChainStack += (s1.Slots - s0.Slots) - ((s1.Stmts - s1.Custom) - (s0.Stmts - s0.Custom))
		}
		if marked {
			ps.marks = append(ps.marks, profMark{stmt: s1.Stmts, id: id})
		} else {
			a.autodiffCalls++
		}
	} else {
		a.noAutodiffCalls++
	}
	ps.running[id] = false
	return r
}

// grad is t.Grad(y) swept in pieces cut at the profiled blocks' marks,
// timing each block's range.
func (ps *profState) grad(t *ad.Tape, y ad.Var) {
	if !t.GradBegin(y) {
		return
	}
	hi := t.Size().Stmts
	for i := len(ps.marks) - 1; i >= 0; i-- {
		mk := ps.marks[i]
		t.Sweep(hi, mk.stmt)
		hi = mk.stmt
		now := time.Now()
		if !mk.start {
			ps.revFrom[mk.id] = now
			continue
		}
		a := &ps.rec.acc[mk.id]
		a.reverse += now.Sub(ps.revFrom[mk.id])
		a.autodiffCalls++
	}
	t.Sweep(hi, 0)
}

// ProfileStats are one profile's measurements in one thread: the row of
// CmdStan's profile.csv (see the package's profile.go for what gostan
// measures in each column).
type ProfileStats struct {
	Name string
	// Thread identifies the evaluator: 0 is the Model StartProfiling was
	// called on (transformed data run there), its clones are numbered from
	// 1 in the order they were made unless SetProfileThread renumbers them
	// (cmd/gostan numbers a sampler's chains by their ids).
	Thread          int
	Forward         time.Duration
	Reverse         time.Duration
	ChainStack      int
	NoChainStack    int
	AutodiffCalls   int
	NoAutodiffCalls int
}

// Total is Forward + Reverse, CmdStan's total_time.
func (s ProfileStats) Total() time.Duration { return s.Forward + s.Reverse }

// Profiler collects the measurements of a Model and its clones. It is
// shared by the goroutines that run them; see profile.go for its rules.
type Profiler struct {
	names []string
	mu    sync.Mutex
	recs  []*profRecord
	next  int
}

// HasProfiles reports whether the program has profile statements.
func (p *Program) HasProfiles() bool { return len(p.profNames) > 0 }

// StartProfiling makes m, and every clone made from it afterwards, measure
// its profile statements, and returns the Profiler that collects them; nil
// when the program has no profile statements. m's transformed data,
// measured when m was made, are included (once: clones run transformed
// data again but do not count it). Calling it again returns the same
// Profiler.
func (m *Model) StartProfiling() *Profiler {
	if !m.p.HasProfiles() {
		return nil
	}
	if m.e.profiler != nil {
		return m.e.profiler
	}
	pr := &Profiler{names: m.p.profNames, next: 1}
	if m.e.tdProf != nil {
		pr.recs = append(pr.recs, m.e.tdProf)
		m.e.tdProf = nil
	}
	m.attach(pr, 0)
	return pr
}

// attach makes m measure into pr under the thread number thread.
func (m *Model) attach(pr *Profiler, thread int) {
	ps := newProfState(len(m.p.profNames), thread, m.e.t)
	pr.mu.Lock()
	pr.recs = append(pr.recs, ps.rec)
	pr.mu.Unlock()
	m.e.profiler = pr
	m.e.prof = ps
}

// SetProfileThread numbers the rows of m's measurements: thread is
// ProfileStats.Thread. It must be called before m evaluates anything
// (cmd/gostan calls it on each chain's clone, with the chain's id).
func (m *Model) SetProfileThread(thread int) {
	if m.e.prof != nil {
		m.e.prof.rec.thread = thread
	}
}

// nextThread is the number of the next clone.
func (pr *Profiler) nextThread() int {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	n := pr.next
	pr.next++
	return n
}

// Stats returns a row per profile per thread that entered it, ordered by
// thread and then by the profiles' order in the program. Records of the
// same thread number are added up. It must not run while an evaluation
// does.
func (pr *Profiler) Stats() []ProfileStats {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	type key struct{ thread, id int }
	sum := map[key]*profAcc{}
	for _, r := range pr.recs {
		for id, a := range r.acc {
			if a.entries == 0 {
				continue
			}
			k := key{r.thread, id}
			s := sum[k]
			if s == nil {
				s = &profAcc{}
				sum[k] = s
			}
			s.add(a)
		}
	}
	keys := make([]key, 0, len(sum))
	for k := range sum {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.thread != b.thread {
			return a.thread - b.thread
		}
		return a.id - b.id
	})
	out := make([]ProfileStats, len(keys))
	for i, k := range keys {
		s := sum[k]
		out[i] = ProfileStats{Name: pr.names[k.id], Thread: k.thread, Forward: s.forward, Reverse: s.reverse,
			ChainStack: s.chainStack, NoChainStack: s.noChainStack,
			AutodiffCalls: s.autodiffCalls, NoAutodiffCalls: s.noAutodiffCalls}
	}
	return out
}

// ProfileHeader is the header of CmdStan's profile_file.
var ProfileHeader = []string{"name", "thread_id", "total_time", "forward_time", "reverse_time",
	"chain_stack", "no_chain_stack", "autodiff_calls", "no_autodiff_calls"}

// WriteProfileCSV writes rows as CmdStan writes its profile_file: the
// header, then one line per row, times in seconds in C++'s default
// number format (model.FormatReal).
func WriteProfileCSV(w io.Writer, rows []ProfileStats) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ProfileHeader); err != nil {
		return err
	}
	secs := func(d time.Duration) string { return model.FormatReal(d.Seconds()) }
	for _, r := range rows {
		rec := []string{r.Name, strconv.Itoa(r.Thread), secs(r.Total()), secs(r.Forward), secs(r.Reverse),
			strconv.Itoa(r.ChainStack), strconv.Itoa(r.NoChainStack),
			strconv.Itoa(r.AutodiffCalls), strconv.Itoa(r.NoAutodiffCalls)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
