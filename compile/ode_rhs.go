package compile

import (
	"math"
	"slices"
	"strconv"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// This file evaluates an ODE system function as a straight-line program
// over float64 slots, with no tape, closures or frames: its values and, in
// forward mode, its tangents in the directions of the sensitivities, which
// are the sensitivities' right-hand sides J_y z_p + ∂f/∂p at once (the
// coupled system of Stan's coupled_ode_system). At the start of a solve
// the function's body is executed symbolically for the sizes and integer
// values of that call: integer arithmetic, control flow on integers and
// loops are carried out then, calls of user functions are inlined, every
// real operation becomes one instruction. A body outside that subset (a
// condition on a real, a recursive call, a matrix, print or reject, an
// index out of range) is left to the interpreter, which then runs it and
// reports its errors as before.

// rhsSource is a system function as the straight-line evaluation reads
// it: its declaration and the checker's information. It is shared, read
// only, by every Model of a Program, so by goroutines running Models at
// once (TestODERHSShared); each Model links its own rhsProg.
type rhsSource struct {
	info   *check.Info
	decl   *ast.FuncDecl
	params []*check.Var
}

func (c *compiler) rhsSource(f *check.Func) *rhsSource {
	if f.Decl == nil || f.Decl.Body == nil {
		return nil
	}
	src := &rhsSource{info: c.info, decl: f.Decl}
	for _, p := range f.Decl.Params {
		src.params = append(src.params, c.info.Uses[p.Name])
	}
	return src
}

// rhsArg is the value of one argument of the system function after the
// time and the state, for a solve.
type rhsArg struct {
	ints  []int
	reals []ad.Var
	vars  bool // the sensitivities include it
}

// The operations of a straight-line program.
const (
	rAdd uint8 = iota
	rSub
	rMul
	rDiv
	rNeg
	rExp
	rLog
	rSqrt
	rSquare
	rInv
	rPow
	rUnary  // a function of scalarUnary
	rBinary // a function of scalarBinary

	// Fused by fuse, with sc = ±1 and sm = ±1 as the signs say, and C
	// either c or, with rhsProdC, c*e:
	rFma    // o = sc*C + sm*(a*b)
	rFmaMul // o = (sc*C + sm*(a*b)) * d
)

// rhsInstr is one operation: slot o = op(slot a, slot b); fn indexes the
// program's functions for rUnary and rBinary; c, d and signs are the
// further operands of the fused operations.
type rhsInstr struct {
	op      uint8
	tan     uint8 // which operands carry tangents (rhsTanA, rhsTanB)
	signs   uint8 // rhsNegC, rhsNegM, rhsUnitAC, rhsProdC
	fn      int32
	a, b, o int32
	c, d, e int32
	qc      int32 // with rhsUnitAC, the directions of a's and c's tangents are fn and qc
	row     int32 // the result's index in the program's, when its tangents go there directly, else -1
}

// The signs of a fused operation, sc = -1 and sm = -1, whether its
// operands a and c are parameters with sensitivities, whose tangents are
// unit vectors, and whether its added term is the product c*e.
const (
	rhsNegC = 1 << iota
	rhsNegM
	rhsUnitAC
	rhsProdC
)

// The operands of an instruction that depend on the state or on a
// parameter with sensitivities: a constant operand's partial is not used,
// as ad does not record it (it may be NaN, as pow's in its exponent at a
// negative base).
const (
	rhsTanA = 1 << iota
	rhsTanB
)

// rhsProg is a system function linked for the sizes and integers of a
// solve, in one Model. Slot 0 is the time, slots 1..n the state, then the
// arguments' reals, constants and the instructions' results.
type rhsProg struct {
	linked bool // code holds the program of key
	ok     bool // the function is straight-line for key
	key    []int
	next   []int // the key being formed, apart from key's memory

	code   []rhsInstr // as built
	exec   []rhsInstr // as run: code fused for the current sensitivities
	unary  []func(*ad.Tape, ad.Var) ad.Var
	binary []func(*ad.Tape, ad.Var, ad.Var) ad.Var
	tape   *ad.Tape // to take the partials of rUnary and rBinary

	val     []float64 // slot values
	argBase []int32   // each argument's first slot
	out     []int32   // the result's slots
	direct  []bool    // which results' tangents the instructions write to dz themselves
	tan     []float64 // each slot's tangents in the np directions
	sink    int32     // the second operand of a unary operation, without tangents

	// Linking.
	locals  map[*check.Var]*rsym
	consts  map[uint64]int32
	calling map[*ast.FuncDecl]bool // the user functions being inlined
	budget  int
}

// rsym is a value during the symbolic execution: the integers of an int or
// int array, the slots of a real or a real array or vector.
type rsym struct {
	isInt  bool
	scalar bool
	ints   []int
	slots  []int32
	unset  bool // an int declared without a value
}

// rhsFail stops linking: the function is left to the interpreter.
type rhsFail struct{}

// link makes p the program of src for a solve of n states and args, and
// sets the arguments' values; it reports whether the straight-line
// evaluation applies. A program is kept while the sizes, the integer
// values and the parameters with sensitivities stay the same.
func (p *rhsProg) link(src *rhsSource, n, np int, args []rhsArg) bool {
	key := append(p.next[:0], n, np)
	for _, a := range args {
		v := 0
		if a.vars {
			v = 1
		}
		key = append(key, len(a.reals), v, len(a.ints))
		key = append(key, a.ints...)
	}
	p.next = key
	same := p.linked && slices.Equal(key, p.key)
	p.key = append(p.key[:0], key...)
	if !same {
		p.linked = true
		p.ok = p.build(src, n, args)
		if p.ok {
			p.activate(n, np, args)
		}
	}
	if !p.ok {
		return false
	}
	for k, a := range args {
		for j, v := range a.reals {
			p.val[int(p.argBase[k])+j] = v.Val
		}
	}
	return true
}

// activate sets the tangents of the parameters with sensitivities, unit
// vectors in their directions (after the initial state's, which come
// first), and marks the operands of each instruction that carry tangents.
// The state's tangents are set at each evaluation, the rest stay 0.
func (p *rhsProg) activate(n, np int, args []rhsArg) {
	p.tan = grow(p.tan, len(p.val)*np)
	clear(p.tan)
	act := make([]bool, len(p.val))
	unit := make([]int32, len(p.val)) // a parameter's direction, else -1
	for s := range unit {
		unit[s] = -1
	}
	for k := range n {
		act[1+k] = true
	}
	q := np
	for _, a := range args {
		if a.vars {
			q -= len(a.reals)
		}
	}
	for k, a := range args {
		if !a.vars {
			continue
		}
		for j := range a.reals {
			s := int(p.argBase[k]) + j
			p.tan[s*np+q] = 1
			act[s] = true
			unit[s] = int32(q)
			q++
		}
	}
	for i := range p.code {
		in := &p.code[i]
		in.tan = 0
		if act[in.a] {
			in.tan |= rhsTanA
		}
		if act[in.b] {
			in.tan |= rhsTanB
		}
		act[in.o] = in.tan != 0
	}
	p.fuse(np > 0)
	for i := range p.exec {
		in := &p.exec[i]
		if np == 0 || in.op != rFma && in.op != rFmaMul {
			continue
		}
		if unit[in.a] < 0 {
			// a*b as b*a, the same to the last bit, and a*b's tangent
			// y*ta + x*tb as x*tb + y*ta.
			in.a, in.b = in.b, in.a
		}
		if unit[in.a] >= 0 && unit[in.c] >= 0 && in.signs&rhsProdC == 0 {
			in.signs |= rhsUnitAC
			in.fn, in.qc = unit[in.a], unit[in.c]
		}
	}
	p.directRows(np)
}

// directRows lets each instruction whose result is one of the program's
// results, and read by no later instruction, write its tangents straight
// to the right-hand side rather than to its slot's, to be copied.
func (p *rhsProg) directRows(np int) {
	p.direct = p.direct[:0]
	for range p.out {
		p.direct = append(p.direct, false)
	}
	at := map[int32]int{} // the program's results that are slots of instructions, once
	for i, o := range p.out {
		if _, seen := at[o]; seen {
			at[o] = -1
		} else {
			at[o] = i
		}
	}
	read := map[int32]bool{}
	for k := len(p.exec) - 1; k >= 0; k-- {
		in := &p.exec[k]
		in.row = -1
		if i, ok := at[in.o]; ok && i >= 0 && !read[in.o] && np > 0 && in.tan != 0 {
			in.row = int32(i)
			p.direct[i] = true
		}
		read[in.a], read[in.b] = true, true
		if in.op == rFma || in.op == rFmaMul {
			read[in.c], read[in.d], read[in.e] = true, true, true
		}
	}
}

// fuse sets exec to code with the chains of a multiplication, an addition
// or subtraction and a multiplication, as in (a - b*c)*d, each run as one
// instruction, where the intermediate results are used once and are not
// results of the program. The added term may be a product too, as in
// a*b + c*e, and negations of the added term or of a factor fold into the
// signs. A fused operation computes its value and its tangents in the
// order the separate operations do, to the last bit; with tangents, every
// operand must carry them (a constant operand's tangent is 0, but its
// partial times 0 need not be).
func (p *rhsProg) fuse(tangents bool) {
	uses := make([]int32, len(p.val))
	def := make([]int32, len(p.val)) // the instruction defining each slot, -1
	for s := range def {
		def[s] = -1
	}
	for i, in := range p.code {
		uses[in.a]++
		uses[in.b]++
		def[in.o] = int32(i)
	}
	for _, o := range p.out {
		uses[o] += 2 // a result is kept
	}
	// single returns the instruction defining slot s when it is of a kind
	// ok and s is used once, else -1.
	single := func(s int32, ok func(uint8) bool) int32 {
		if d := def[s]; d >= 0 && uses[s] == 1 && ok(p.code[d].op) {
			return d
		}
		return -1
	}
	isMul := func(op uint8) bool { return op == rMul }
	isAddSub := func(op uint8) bool { return op == rAdd || op == rSub }
	isNeg := func(op uint8) bool { return op == rNeg }
	full := func(i int32) bool {
		in := &p.code[i]
		switch {
		case !tangents:
			return true
		case in.op == rNeg:
			return in.tan == rhsTanA
		}
		return in.tan == rhsTanA|rhsTanB
	}
	dead := make([]bool, len(p.code))
	// unneg returns the operand of s when s is a negation used once,
	// marking it dead and flipping the sign bit, else s.
	unneg := func(s int32, signs *uint8, bit uint8) int32 {
		if ng := single(s, isNeg); ng >= 0 && full(ng) {
			dead[ng] = true
			*signs ^= bit
			return p.code[ng].a
		}
		return s
	}
	// fma fuses the addition or subtraction i of a product, marking the
	// instructions it absorbs dead.
	fma := func(i int32) (rhsInstr, bool) {
		as := &p.code[i]
		var f rhsInstr
		m := single(as.b, isMul)
		if m >= 0 {
			f.c = as.a
			if as.op == rSub {
				f.signs |= rhsNegM
			}
		} else if m = single(as.a, isMul); m >= 0 {
			f.c = as.b
			if as.op == rSub {
				f.signs |= rhsNegC
			}
		}
		if m < 0 || !full(i) || !full(m) {
			return f, false
		}
		dead[m] = true
		// Negations fold into the signs: -x*y is -(x*y) to the last bit,
		// and so are its tangent's terms.
		f.a = unneg(p.code[m].a, &f.signs, rhsNegM)
		f.b = unneg(p.code[m].b, &f.signs, rhsNegM)
		f.c = unneg(f.c, &f.signs, rhsNegC)
		if pc := single(f.c, isMul); pc >= 0 && full(pc) {
			dead[pc] = true
			f.signs |= rhsProdC
			f.c = unneg(p.code[pc].a, &f.signs, rhsNegC)
			f.e = unneg(p.code[pc].b, &f.signs, rhsNegC)
		}
		f.op = rFma
		return f, true
	}
	// From the last instruction back, so that an instruction absorbed by
	// a later one is dead before its turn comes.
	p.exec = append(p.exec[:0], p.code...)
	for i := len(p.exec) - 1; i >= 0; i-- {
		in := &p.exec[i]
		switch {
		case dead[i]:
		case in.op == rMul && full(int32(i)):
			for _, pair := range [2][2]int32{{in.a, in.b}, {in.b, in.a}} {
				if as := single(pair[0], isAddSub); as >= 0 {
					if f, ok := fma(as); ok {
						dead[as] = true
						f.op, f.d, f.o, f.tan = rFmaMul, pair[1], in.o, in.tan
						*in = f
						break
					}
				}
			}
		case isAddSub(in.op):
			if f, ok := fma(int32(i)); ok {
				f.o, f.tan = in.o, in.tan
				*in = f
			}
		}
	}
	live := p.exec[:0]
	for i, in := range p.exec {
		if !dead[i] {
			live = append(live, in)
		}
	}
	p.exec = live
}

// build executes src's body symbolically, emitting the program.
func (p *rhsProg) build(src *rhsSource, n int, args []rhsArg) (ok bool) {
	if src == nil || len(src.params) != 2+len(args) {
		return false
	}
	p.code, p.unary, p.binary = p.code[:0], p.unary[:0], p.binary[:0]
	p.val = p.val[:0]
	p.argBase, p.out = p.argBase[:0], p.out[:0]
	p.locals = map[*check.Var]*rsym{}
	p.consts = map[uint64]int32{}
	p.calling = map[*ast.FuncDecl]bool{}
	p.budget = 1 << 14
	defer func() {
		if r := recover(); r != nil {
			if _, is := r.(rhsFail); !is {
				panic(r)
			}
			ok = false
		}
		p.locals, p.consts, p.calling = nil, nil, nil
	}()
	p.newSlot(0)
	ys := make([]int32, n)
	for i := range ys {
		ys[i] = p.newSlot(0)
	}
	p.locals[src.params[0]] = &rsym{scalar: true, slots: []int32{0}}
	p.locals[src.params[1]] = &rsym{slots: ys}
	for k, a := range args {
		v := src.params[2+k]
		t := v.Type
		p.argBase = append(p.argBase, int32(len(p.val)))
		switch {
		case t == types.IntT && len(a.ints) == 1:
			p.locals[v] = &rsym{isInt: true, scalar: true, ints: a.ints}
		case t == types.Array(types.IntT, 1):
			p.locals[v] = &rsym{isInt: true, ints: a.ints}
		case t == types.RealT && len(a.reals) == 1:
			p.locals[v] = &rsym{scalar: true, slots: []int32{p.newSlot(0)}}
		case isReals1(t):
			s := &rsym{slots: make([]int32, len(a.reals))}
			for j := range s.slots {
				s.slots[j] = p.newSlot(0)
			}
			p.locals[v] = s
		default:
			return false
		}
	}
	ret := p.block(src, src.decl.Body.List)
	if ret == nil || ret.isInt || ret.scalar || len(ret.slots) != n {
		return false
	}
	p.out = append(p.out, ret.slots...)
	p.sink = p.newSlot(0)
	for i, in := range p.code {
		if in.op == rNeg || in.op == rExp || in.op == rLog || in.op == rSqrt || in.op == rSquare || in.op == rInv || in.op == rUnary {
			p.code[i].b = p.sink
		}
	}
	if p.tape == nil && (len(p.unary) > 0 || len(p.binary) > 0) {
		p.tape = ad.NewTape()
	}
	return true
}

// isReals1 reports whether t is a one-dimensional container of reals.
func isReals1(t types.Type) bool {
	return t == types.Array(types.RealT, 1) || t == types.VectorT || t == types.RowVectorT
}

func rhsStop() { panic(rhsFail{}) }

func (p *rhsProg) newSlot(v float64) int32 {
	p.val = append(p.val, v)
	return int32(len(p.val) - 1)
}

func (p *rhsProg) constant(v float64) int32 {
	if s, ok := p.consts[math.Float64bits(v)]; ok {
		return s
	}
	s := p.newSlot(v)
	p.consts[math.Float64bits(v)] = s
	return s
}

func (p *rhsProg) emit(op uint8, fn int32, a, b int32) int32 {
	if p.budget--; p.budget < 0 {
		rhsStop()
	}
	o := p.newSlot(0)
	p.code = append(p.code, rhsInstr{op: op, fn: fn, a: a, b: b, o: o, row: -1})
	return o
}

// block runs statements; it returns the value returned, nil if none was.
func (p *rhsProg) block(src *rhsSource, list []ast.Stmt) *rsym {
	for _, st := range list {
		if r := p.stmt(src, st); r != nil {
			return r
		}
	}
	return nil
}

func (p *rhsProg) stmt(src *rhsSource, st ast.Stmt) *rsym {
	info := src.info
	switch s := st.(type) {
	case *ast.EmptyStmt:
	case *ast.BlockStmt:
		return p.block(src, s.List)
	case *ast.ReturnStmt:
		switch t := info.Types[s.X]; {
		case s.X == nil:
			rhsStop()
		case t == types.IntT:
			return &rsym{isInt: true, scalar: true, ints: []int{p.intOf(src, s.X)}}
		case t == types.RealT:
			return &rsym{scalar: true, slots: []int32{p.real(src, s.X)}}
		}
		return p.reals(src, s.X)
	case *ast.VarDecl:
		v := info.Uses[s.Name]
		if v == nil {
			rhsStop()
		}
		var sym *rsym
		switch t := v.Type; {
		case t == types.IntT:
			sym = &rsym{isInt: true, scalar: true, ints: []int{0}, unset: true}
			if s.Init != nil {
				sym.ints[0], sym.unset = p.intOf(src, s.Init), false
			}
		case t == types.RealT:
			sym = &rsym{scalar: true, slots: []int32{p.constant(math.NaN())}}
			if s.Init != nil {
				sym.slots[0] = p.real(src, s.Init)
			}
		case isReals1(t) || t == types.Array(types.IntT, 1):
			var size ast.Expr
			if t.Dims == 1 && len(s.Type.ArrayDims) == 1 {
				size = s.Type.ArrayDims[0]
			} else if t.Dims == 0 && len(s.Type.Sizes) == 1 {
				size = s.Type.Sizes[0]
			}
			if size == nil {
				rhsStop()
			}
			m := p.intOf(src, size)
			if m < 0 || m > 1<<12 {
				rhsStop()
			}
			if t.Kind == types.Int {
				if s.Init == nil {
					rhsStop()
				}
				sym = &rsym{isInt: true, ints: append([]int(nil), p.intsOf(src, s.Init)...)}
				if len(sym.ints) != m {
					rhsStop()
				}
				break
			}
			sym = &rsym{slots: make([]int32, m)}
			nan := p.constant(math.NaN())
			for j := range sym.slots {
				sym.slots[j] = nan
			}
			if s.Init != nil {
				init := p.reals(src, s.Init)
				if len(init.slots) != m {
					rhsStop()
				}
				copy(sym.slots, init.slots)
			}
		default:
			rhsStop()
		}
		p.locals[v] = sym
	case *ast.AssignStmt:
		p.assign(src, s)
	case *ast.IfStmt:
		if info.Types[s.Cond] != types.IntT {
			rhsStop()
		}
		if p.intOf(src, s.Cond) != 0 {
			return p.stmt(src, s.Then)
		} else if s.Else != nil {
			return p.stmt(src, s.Else)
		}
	case *ast.ForStmt:
		v := info.Uses[s.Var]
		if v == nil {
			rhsStop()
		}
		lo, hi := p.intOf(src, s.Lo), p.intOf(src, s.Hi)
		sym := &rsym{isInt: true, scalar: true, ints: []int{0}}
		p.locals[v] = sym
		for k := lo; k <= hi; k++ {
			if p.budget--; p.budget < 0 {
				rhsStop()
			}
			sym.ints[0] = k
			if r := p.stmt(src, s.Body); r != nil {
				return r
			}
		}
	default:
		rhsStop()
	}
	return nil
}

// assign runs x = e, x[i] = e and the compound assignments of reals and
// ints.
func (p *rhsProg) assign(src *rhsSource, s *ast.AssignStmt) {
	info := src.info
	var target *rsym
	at := -1
	switch l := s.LHS.(type) {
	case *ast.Ident:
		target = p.local(src, l)
	case *ast.IndexExpr:
		id, ok := l.X.(*ast.Ident)
		if !ok || len(l.Indices) != 1 || info.Types[l.Indices[0]] != types.IntT {
			rhsStop()
		}
		target = p.local(src, id)
		if target.scalar {
			rhsStop()
		}
		at = p.intOf(src, l.Indices[0]) - 1
		if at < 0 || at >= max(len(target.ints), len(target.slots)) {
			rhsStop()
		}
	default:
		rhsStop()
	}
	elem := target.scalar || at >= 0
	if at < 0 {
		at = 0
	}
	if target.isInt {
		if !elem || s.Op != token.ASSIGN && s.Op != token.ARROW {
			rhsStop()
		}
		target.ints[at], target.unset = p.intOf(src, s.RHS), false
		return
	}
	if !elem {
		if s.Op != token.ASSIGN && s.Op != token.ARROW {
			rhsStop()
		}
		r := p.reals(src, s.RHS)
		if len(r.slots) != len(target.slots) {
			rhsStop()
		}
		target.slots = append(target.slots[:0:0], r.slots...)
		return
	}
	r := p.real(src, s.RHS)
	old := target.slots[at]
	switch s.Op {
	case token.ASSIGN, token.ARROW:
		target.slots[at] = r
	case token.ADD_ASSIGN:
		target.slots[at] = p.emit(rAdd, 0, old, r)
	case token.SUB_ASSIGN:
		target.slots[at] = p.emit(rSub, 0, old, r)
	case token.MUL_ASSIGN:
		target.slots[at] = p.emit(rMul, 0, old, r)
	case token.QUO_ASSIGN:
		target.slots[at] = p.emit(rDiv, 0, old, r)
	default:
		rhsStop()
	}
}

func (p *rhsProg) local(src *rhsSource, id *ast.Ident) *rsym {
	s := p.locals[src.info.Uses[id]]
	if s == nil {
		rhsStop()
	}
	return s
}

// intOf evaluates an int expression.
func (p *rhsProg) intOf(src *rhsSource, x ast.Expr) int {
	info := src.info
	if info.Types[x] != types.IntT {
		rhsStop()
	}
	switch x := x.(type) {
	case *ast.BasicLit:
		v, err := strconv.Atoi(x.Value)
		if err != nil {
			rhsStop()
		}
		return v
	case *ast.ParenExpr:
		return p.intOf(src, x.X)
	case *ast.Ident:
		s := p.local(src, x)
		if !s.isInt || !s.scalar || s.unset {
			rhsStop()
		}
		return s.ints[0]
	case *ast.IndexExpr:
		return p.ints1(src, x)
	case *ast.UnaryExpr:
		v := p.intOf(src, x.X)
		switch x.Op {
		case token.SUB:
			return -v
		case token.ADD:
			return v
		case token.NOT:
			return b2i(v == 0)
		}
	case *ast.BinaryExpr:
		if info.Types[x.X] != types.IntT || info.Types[x.Y] != types.IntT {
			rhsStop()
		}
		a := p.intOf(src, x.X)
		if x.Op == token.LAND && a == 0 {
			return 0
		}
		if x.Op == token.LOR && a != 0 {
			return 1
		}
		b := p.intOf(src, x.Y)
		switch x.Op {
		case token.ADD:
			return a + b
		case token.SUB:
			return a - b
		case token.MUL:
			return a * b
		case token.QUO, token.IDIV:
			if b == 0 {
				rhsStop()
			}
			return a / b
		case token.REM:
			if b == 0 {
				rhsStop()
			}
			return a % b
		case token.EQL:
			return b2i(a == b)
		case token.NEQ:
			return b2i(a != b)
		case token.LSS:
			return b2i(a < b)
		case token.LEQ:
			return b2i(a <= b)
		case token.GTR:
			return b2i(a > b)
		case token.GEQ:
			return b2i(a >= b)
		case token.LAND, token.LOR:
			return b2i(b != 0)
		}
	}
	rhsStop()
	return 0
}

// ints1 evaluates x[i] of an int array.
func (p *rhsProg) ints1(src *rhsSource, x *ast.IndexExpr) int {
	arr := p.intsOf(src, x.X)
	if len(x.Indices) != 1 {
		rhsStop()
	}
	i := p.intOf(src, x.Indices[0])
	if i < 1 || i > len(arr) {
		rhsStop()
	}
	return arr[i-1]
}

// intsOf evaluates an int array: a variable or a literal.
func (p *rhsProg) intsOf(src *rhsSource, x ast.Expr) []int {
	switch x := x.(type) {
	case *ast.Ident:
		s := p.local(src, x)
		if !s.isInt || s.scalar {
			rhsStop()
		}
		return s.ints
	case *ast.ParenExpr:
		return p.intsOf(src, x.X)
	case *ast.ArrayExpr:
		out := make([]int, len(x.Elems))
		for j, el := range x.Elems {
			out[j] = p.intOf(src, el)
		}
		return out
	}
	rhsStop()
	return nil
}

// real evaluates a real (or int, promoted) scalar expression to its slot.
func (p *rhsProg) real(src *rhsSource, x ast.Expr) int32 {
	info := src.info
	t := info.Types[x]
	if t == types.IntT {
		return p.constant(float64(p.intOf(src, x)))
	}
	if t != types.RealT {
		rhsStop()
	}
	switch x := x.(type) {
	case *ast.BasicLit:
		if x.Kind != token.REAL {
			rhsStop()
		}
		v, err := strconv.ParseFloat(x.Value, 64)
		if err != nil {
			rhsStop()
		}
		return p.constant(v)
	case *ast.ParenExpr:
		return p.real(src, x.X)
	case *ast.Ident:
		s := p.local(src, x)
		if s.isInt || !s.scalar {
			rhsStop()
		}
		return s.slots[0]
	case *ast.IndexExpr:
		if len(x.Indices) != 1 || info.Types[x.Indices[0]] != types.IntT {
			rhsStop()
		}
		arr := p.reals(src, x.X)
		i := p.intOf(src, x.Indices[0])
		if i < 1 || i > len(arr.slots) {
			rhsStop()
		}
		return arr.slots[i-1]
	case *ast.UnaryExpr:
		a := p.real(src, x.X)
		switch x.Op {
		case token.SUB:
			return p.emit(rNeg, 0, a, 0)
		case token.ADD:
			return a
		}
	case *ast.BinaryExpr:
		a, b := p.real(src, x.X), p.real(src, x.Y)
		switch x.Op {
		case token.ADD:
			return p.emit(rAdd, 0, a, b)
		case token.SUB:
			return p.emit(rSub, 0, a, b)
		case token.MUL:
			return p.emit(rMul, 0, a, b)
		case token.QUO:
			return p.emit(rDiv, 0, a, b)
		case token.POW:
			return p.emit(rPow, 0, a, b)
		}
	case *ast.CondExpr:
		if p.intOf(src, x.Cond) != 0 {
			return p.real(src, x.Then)
		}
		return p.real(src, x.Else)
	case *ast.CallExpr:
		call := info.Calls[x]
		if call != nil && call.User != nil {
			r := p.inline(src, x, call)
			switch {
			case !r.scalar:
				rhsStop()
			case r.isInt: // a real function returning an int
				return p.constant(float64(r.ints[0]))
			}
			return r.slots[0]
		}
		if call == nil || call.FuncArg != nil {
			rhsStop()
		}
		for _, at := range call.Sig.Args {
			if at != types.RealT && at != types.IntT {
				rhsStop()
			}
		}
		switch len(x.Args) {
		case 1:
			a := p.real(src, x.Args[0])
			if op, ok := rhsDirect[call.Name]; ok {
				return p.emit(op, 0, a, 0)
			}
			f, ok := scalarUnary[call.Name]
			if !ok {
				break
			}
			p.unary = append(p.unary, f)
			return p.emit(rUnary, int32(len(p.unary)-1), a, 0)
		case 2:
			a, b := p.real(src, x.Args[0]), p.real(src, x.Args[1])
			if call.Name == "pow" {
				return p.emit(rPow, 0, a, b)
			}
			f, ok := scalarBinary[call.Name]
			if !ok {
				break
			}
			p.binary = append(p.binary, f)
			return p.emit(rBinary, int32(len(p.binary)-1), a, b)
		}
	}
	rhsStop()
	return 0
}

// inline runs a call of a user function, its arguments bound to its
// parameters (which Stan does not let it assign), to its return. A
// recursive call is left to the interpreter.
func (p *rhsProg) inline(src *rhsSource, x *ast.CallExpr, call *check.Call) *rsym {
	d := call.User.Decl
	if d == nil || d.Body == nil || p.calling[d] || len(d.Params) != len(x.Args) || len(call.Sig.Args) != len(x.Args) {
		rhsStop()
	}
	args := make([]*rsym, len(x.Args))
	for k, a := range x.Args {
		switch pt := call.Sig.Args[k]; {
		case pt == types.IntT:
			args[k] = &rsym{isInt: true, scalar: true, ints: []int{p.intOf(src, a)}}
		case pt == types.RealT:
			args[k] = &rsym{scalar: true, slots: []int32{p.real(src, a)}}
		case pt == types.Array(types.IntT, 1):
			args[k] = &rsym{isInt: true, ints: p.intsOf(src, a)}
		case isReals1(pt):
			args[k] = p.reals(src, a)
		default:
			rhsStop()
		}
	}
	for k, prm := range d.Params {
		v := src.info.Uses[prm.Name]
		if v == nil {
			rhsStop()
		}
		p.locals[v] = args[k]
	}
	p.calling[d] = true
	r := p.block(src, d.Body.List)
	delete(p.calling, d)
	if r == nil {
		rhsStop()
	}
	return r
}

// rhsDirect are the functions the program evaluates itself, with the
// partials ad's take.
var rhsDirect = map[string]uint8{"exp": rExp, "log": rLog, "sqrt": rSqrt, "square": rSquare, "inv": rInv}

// reals evaluates a one-dimensional container of reals: a variable, an
// array literal, a transposed row-vector literal, or an elementwise
// operation of them.
func (p *rhsProg) reals(src *rhsSource, x ast.Expr) *rsym {
	info := src.info
	t := info.Types[x]
	if t == types.Array(types.IntT, 1) {
		ints := p.intsOf(src, x)
		out := &rsym{slots: make([]int32, len(ints))}
		for j, v := range ints {
			out.slots[j] = p.constant(float64(v))
		}
		return out
	}
	if !isReals1(t) {
		rhsStop()
	}
	switch x := x.(type) {
	case *ast.Ident:
		s := p.local(src, x)
		if s.isInt || s.scalar {
			rhsStop()
		}
		return &rsym{slots: s.slots}
	case *ast.ParenExpr:
		return p.reals(src, x.X)
	case *ast.ArrayExpr:
		return p.literal(src, x.Elems)
	case *ast.PostfixExpr:
		if x.Op != token.TRANSPOSE {
			break
		}
		if rv, ok := x.X.(*ast.RowVectorExpr); ok {
			return p.literal(src, rv.Elems)
		}
		return p.reals(src, x.X)
	case *ast.RowVectorExpr:
		return p.literal(src, x.Elems)
	case *ast.UnaryExpr:
		a := p.reals(src, x.X)
		switch x.Op {
		case token.ADD:
			return a
		case token.SUB:
			out := &rsym{slots: make([]int32, len(a.slots))}
			for j, s := range a.slots {
				out.slots[j] = p.emit(rNeg, 0, s, 0)
			}
			return out
		}
	case *ast.BinaryExpr:
		return p.elementwise(src, x)
	case *ast.CallExpr:
		call := info.Calls[x]
		if call != nil && call.User != nil {
			r := p.inline(src, x, call)
			if r.isInt || r.scalar {
				rhsStop()
			}
			return r
		}
		// A function of one real, vectorised.
		if call == nil || len(x.Args) != 1 {
			break
		}
		op, direct := rhsDirect[call.Name]
		f, ok := scalarUnary[call.Name]
		if !direct && !ok {
			break
		}
		a := p.reals(src, x.Args[0])
		out := &rsym{slots: make([]int32, len(a.slots))}
		for j, s := range a.slots {
			if direct {
				out.slots[j] = p.emit(op, 0, s, 0)
				continue
			}
			p.unary = append(p.unary, f)
			out.slots[j] = p.emit(rUnary, int32(len(p.unary)-1), s, 0)
		}
		return out
	}
	rhsStop()
	return nil
}

// literal evaluates the elements of an array or vector literal.
func (p *rhsProg) literal(src *rhsSource, elems []ast.Expr) *rsym {
	out := &rsym{slots: make([]int32, len(elems))}
	for j, el := range elems {
		out.slots[j] = p.real(src, el)
	}
	return out
}

// elementwise evaluates a container op container or scalar op container
// where the operation is taken element by element (+, -, .*, ./, and *
// or / by a scalar).
func (p *rhsProg) elementwise(src *rhsSource, x *ast.BinaryExpr) *rsym {
	info := src.info
	var ops uint8
	switch x.Op {
	case token.ADD:
		ops = rAdd
	case token.SUB:
		ops = rSub
	case token.ELTMUL:
		ops = rMul
	case token.ELTDIV:
		ops = rDiv
	case token.MUL, token.QUO:
		ops = rMul
		if x.Op == token.QUO {
			ops = rDiv
		}
	default:
		rhsStop()
	}
	tx, ty := info.Types[x.X], info.Types[x.Y]
	scalar := func(t types.Type) bool { return t == types.RealT || t == types.IntT }
	if (x.Op == token.MUL || x.Op == token.QUO) && !scalar(tx) && !scalar(ty) {
		rhsStop() // a matrix product
	}
	var xs, ys []int32
	var m int
	if scalar(tx) {
		ys = p.reals(src, x.Y).slots
		m = len(ys)
		a := p.real(src, x.X)
		xs = repeatSlot(a, m)
	} else {
		xs = p.reals(src, x.X).slots
		m = len(xs)
		if scalar(ty) {
			ys = repeatSlot(p.real(src, x.Y), m)
		} else {
			ys = p.reals(src, x.Y).slots
		}
	}
	if len(ys) != m || len(xs) != m {
		rhsStop()
	}
	out := &rsym{slots: make([]int32, m)}
	for j := range out.slots {
		out.slots[j] = p.emit(ops, 0, xs[j], ys[j])
	}
	return out
}

func repeatSlot(s int32, m int) []int32 {
	out := make([]int32, m)
	for j := range out {
		out[j] = s
	}
	return out
}

// run evaluates the program at the time and state in slots 0..n and, when
// np > 0, carries the tangents of every slot in the np directions along:
// each instruction's are its partials times its operands'. The results'
// tangents go to dzs where directRows says so.
func (p *rhsProg) run(np int, dzs []float64) {
	v, tan := p.val, p.tan
	for i := range p.exec {
		in := &p.exec[i]
		x := v[in.a]
		var r, da, db float64
		switch in.op {
		case rFmaMul:
			if in.signs&rhsUnitAC == 0 || np == 0 {
				p.runFma(in, x, np, dzs)
				continue
			}
			// Parameters a and c, as in the mass-action terms of
			// Lotka–Volterra: ta and tc are 0 but at the directions fn
			// and qc, where they are 1. The tangent is the full one, y*1
			// being y and sc*1 sc, but for the sign of a 0 (x*0 and y*0
			// being ±0 at finite values).
			y, c, w := v[in.b], v[in.c], v[in.d]
			sc, sm := 1.0, 1.0
			if in.signs&rhsNegC != 0 {
				sc = -1
			}
			if in.signs&rhsNegM != 0 {
				sm = -1
			}
			s := sc*c + sm*(x*y)
			v[in.o] = s * w
			to := p.tanOut(in, np, dzs)
			tb := tan[int(in.b)*np:][:len(to)]
			td := tan[int(in.d)*np:][:len(to)]
			ws := w * sm
			for q := range to {
				to[q] = ws*(x*tb[q]) + s*td[q]
			}
			// ta and tc are 1 there and 0 elsewhere.
			if qa, qc := in.fn, in.qc; qa != qc {
				to[qa] = ws*(y+x*tb[qa]) + s*td[qa]
				to[qc] = w*(sc+sm*(x*tb[qc])) + s*td[qc]
			} else {
				to[qa] = w*(sc+sm*(y+x*tb[qa])) + s*td[qa]
			}
			continue
		case rFma:
			p.runFma(in, x, np, dzs)
			continue
		case rAdd:
			r, da, db = x+v[in.b], 1, 1
		case rSub:
			r, da, db = x-v[in.b], 1, -1
		case rMul:
			y := v[in.b]
			r, da, db = x*y, y, x
		case rDiv:
			y := v[in.b]
			r = x / y
			da, db = 1/y, -r/y
		case rNeg:
			r, da = -x, -1
		case rExp:
			r = math.Exp(x)
			da = r
		case rLog:
			r, da = math.Log(x), 1/x
		case rSqrt:
			r = math.Sqrt(x)
			da = 0.5 / r
		case rSquare:
			r, da = x*x, 2*x
		case rInv:
			r = 1 / x
			da = -r * r
		case rPow:
			// ad's Pow: at a zero exponent the base's partial is 0, at a
			// zero base the exponent's.
			y := v[in.b]
			r = math.Pow(x, y)
			if y != 0 {
				da = y * math.Pow(x, y-1)
			}
			if x != 0 {
				db = r * math.Log(x)
			}
		case rUnary:
			tp := p.tape
			tp.Reset()
			a := tp.Var(x)
			out := p.unary[in.fn](tp, a)
			tp.Grad(out)
			r, da = out.Val, tp.Adjoint(a)
		case rBinary:
			tp := p.tape
			tp.Reset()
			a, b := tp.Var(x), tp.Var(v[in.b])
			out := p.binary[in.fn](tp, a, b)
			tp.Grad(out)
			r, da, db = out.Val, tp.Adjoint(a), tp.Adjoint(b)
		}
		v[in.o] = r
		if in.tan == 0 || np == 0 {
			continue
		}
		to := p.tanOut(in, np, dzs)
		ta := tan[int(in.a)*np:]
		ta = ta[:len(to)]
		switch in.tan {
		case rhsTanA | rhsTanB:
			tb := tan[int(in.b)*np:]
			tb = tb[:len(to)]
			for q := range to {
				to[q] = da*ta[q] + db*tb[q]
			}
		case rhsTanA:
			for q := range to {
				to[q] = da * ta[q]
			}
		case rhsTanB:
			tb := tan[int(in.b)*np:]
			tb = tb[:len(to)]
			for q := range to {
				to[q] = db * tb[q]
			}
		}
	}
}

// tanOut is the row in's tangents go to: its result's, or the right-hand
// side's in dzs (the sensitivities' part of dz).
func (p *rhsProg) tanOut(in *rhsInstr, np int, dzs []float64) []float64 {
	if in.row >= 0 {
		return dzs[int(in.row)*np : int(in.row+1)*np]
	}
	o := int(in.o) * np
	return p.tan[o : o+np]
}

// runFma runs a fused instruction, a being x, but for rFmaMul of
// parameters a and c with tangents, which run writes out.
func (p *rhsProg) runFma(in *rhsInstr, x float64, np int, dzs []float64) {
	v := p.val
	y, c := v[in.b], v[in.c]
	sc, sm := 1.0, 1.0
	if in.signs&rhsNegC != 0 {
		sc = -1
	}
	if in.signs&rhsNegM != 0 {
		sm = -1
	}
	ce := 0.0
	if in.signs&rhsProdC != 0 {
		ce = v[in.e]
		c *= ce
	}
	s := sc*c + sm*(x*y)
	r, w := s, 0.0
	if in.op == rFmaMul {
		w = v[in.d]
		r = s * w
	}
	v[in.o] = r
	if in.tan == 0 || np == 0 {
		return
	}
	tan := p.tan
	to := p.tanOut(in, np, dzs)
	ta := tan[int(in.a)*np:][:len(to)]
	tb := tan[int(in.b)*np:][:len(to)]
	tc := tan[int(in.c)*np:][:len(to)]
	if in.signs&rhsProdC != 0 {
		// C's tangent as the product's: ce*tc + c*te.
		c := v[in.c]
		te := tan[int(in.e)*np:][:len(to)]
		if in.op == rFma {
			for q := range to {
				to[q] = sc*(ce*tc[q]+c*te[q]) + sm*(y*ta[q]+x*tb[q])
			}
			return
		}
		td := tan[int(in.d)*np:][:len(to)]
		for q := range to {
			to[q] = w*(sc*(ce*tc[q]+c*te[q])+sm*(y*ta[q]+x*tb[q])) + s*td[q]
		}
		return
	}
	if in.op == rFma {
		if in.signs&rhsUnitAC != 0 {
			// As run's rFmaMul of parameters a and c.
			for q := range to {
				to[q] = sm * (x * tb[q])
			}
			if qa, qc := in.fn, in.qc; qa != qc {
				to[qa] = sm * (y + x*tb[qa])
				to[qc] = sc + sm*(x*tb[qc])
			} else {
				to[qa] = sc + sm*(y+x*tb[qa])
			}
			return
		}
		for q := range to {
			to[q] = sc*tc[q] + sm*(y*ta[q]+x*tb[q])
		}
		return
	}
	td := tan[int(in.d)*np:][:len(to)]
	for q := range to {
		to[q] = w*(sc*tc[q]+sm*(y*ta[q]+x*tb[q])) + s*td[q]
	}
}

// fastRHS is the coupled system's right-hand side by the straight-line
// program; it reports false when the program does not apply to this solve.
// dz holds f, then J_y z_p + ∂f/∂p for each parameter p, state by state
// (odeCore.sens): forward mode in the np directions of the sensitivities
// at once, the state's tangents being its sensitivities, which lie in z
// as the program lays out its slots' tangents, the parameters' unit
// vectors.
func (s *odeCore) fastRHS(t float64, z, dz []float64) bool {
	p := &s.prog
	if s.interp || !p.ok || !p.linked {
		return false
	}
	n, np := s.n, s.np
	v, tan := p.val, p.tan
	v[0] = t
	copy(v[1:1+n], z[:n])
	copy(tan[np:np+n*np], z[n:])
	p.run(np, dz[n:])
	for i, o := range p.out {
		dz[i] = v[o]
		if !p.direct[i] {
			copy(dz[n+i*np:n+(i+1)*np], tan[int(o)*np:int(o+1)*np])
		}
	}
	return true
}

// fastValue sets dy to f(t, y) by the straight-line program, if it applies.
func (s *odeCore) fastValue(t float64, y, dy []float64) bool {
	p := &s.prog
	if s.interp || !p.ok || !p.linked {
		return false
	}
	v := p.val
	v[0] = t
	copy(v[1:1+len(y)], y)
	p.run(0, nil)
	for i, o := range p.out {
		dy[i] = v[o]
	}
	return true
}
