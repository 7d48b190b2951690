package ad

import "math"

// Vector operations on []Var. Results come from the tape's arena (or the
// heap on a nil tape), so they are valid until the next Reset.

// vec returns n zero Vars: from the arena, or the heap when t is nil (which
// only happens when every operand is constant).
func (t *Tape) vec(n int) []Var {
	if t == nil {
		return make([]Var, n)
	}
	return t.Vars(n)
}

// ElemAdd returns a + b elementwise.
func (t *Tape) ElemAdd(a, b []Var) ([]Var, error) {
	if err := sizeCheck("add", "size of a", len(a), "size of b", len(b)); err != nil {
		return nil, err
	}
	return t.addSub(a, b, 1), nil
}

// ElemSub returns a - b elementwise.
func (t *Tape) ElemSub(a, b []Var) ([]Var, error) {
	if err := sizeCheck("subtract", "size of a", len(a), "size of b", len(b)); err != nil {
		return nil, err
	}
	return t.addSub(a, b, -1), nil
}

// addSub returns a + sign b as one custom node. Adding a constant zero
// records nothing and returns the other operand itself, so that a matrix
// plus diag_matrix(v) costs a tape entry per diagonal element, not per
// element; a zero's sign is kept as IEEE addition would give it.
func (t *Tape) addSub(a, b []Var, sign float64) []Var {
	r := t.vec(len(a))
	b = b[:len(a)]
	m := 0 // results that need a tape variable
	for k, x := range a {
		y := b[k]
		switch {
		case y.id == 0 && y.Val == 0 && (x.Val != 0 || isExactly(x.Val+sign*y.Val, x.Val)):
			r[k] = x
		case x.id == 0 && y.id == 0:
			r[k] = Const(x.Val + sign*y.Val)
		case sign > 0 && x.id == 0 && x.Val == 0 && (y.Val != 0 || isExactly(x.Val+y.Val, y.Val)):
			r[k] = y
		default:
			r[k] = Var{id: -1} // pending
			m++
		}
	}
	if m == 0 {
		return r
	}
	// ints: the count, the first output ID, then the pairs of operand IDs
	// (0, the constant sink, for a constant); flts: sign.
	ints, flts := t.CustomSpace(2+2*m, 1)
	ints[0], ints[1], flts[0] = int32(m), t.n, sign
	q := 2
	for k, x := range a {
		if r[k].id == -1 {
			y := b[k]
			ints[q], ints[q+1] = x.id, y.id
			q += 2
			r[k] = t.Var(x.Val + sign*y.Val)
		}
	}
	t.CustomCommit(addSubBackward, 2+2*m, 1)
	return r
}

// isExactly reports whether v and w are the same float, zeros' signs
// included.
func isExactly(v, w float64) bool { return v == w && math.Signbit(v) == math.Signbit(w) }

func addSubBackward(adj []float64, ints []int32, flts []float64) {
	m, out, sign := int(ints[0]), int(ints[1]), flts[0]
	ids := ints[2 : 2+2*m]
	for q, a := range adj[out : out+m] {
		adj[ids[2*q]] += a
		adj[ids[2*q+1]] += sign * a
	}
}

// ElemMul returns a .* b, Stan's elt_multiply.
func (t *Tape) ElemMul(a, b []Var) ([]Var, error) {
	if err := sizeCheck("elt_multiply", "size of a", len(a), "size of b", len(b)); err != nil {
		return nil, err
	}
	r := t.vec(len(a))
	for i := range r {
		r[i] = t.Mul(a[i], b[i])
	}
	return r, nil
}

// ElemDiv returns a ./ b, Stan's elt_divide.
func (t *Tape) ElemDiv(a, b []Var) ([]Var, error) {
	if err := sizeCheck("elt_divide", "size of a", len(a), "size of b", len(b)); err != nil {
		return nil, err
	}
	r := t.vec(len(a))
	for i := range r {
		r[i] = t.Div(a[i], b[i])
	}
	return r, nil
}

// AddScalar returns a + s elementwise.
func (t *Tape) AddScalar(a []Var, s Var) []Var {
	r := t.vec(len(a))
	for i := range r {
		r[i] = t.Add(a[i], s)
	}
	return r
}

// SubScalar returns a - s elementwise.
func (t *Tape) SubScalar(a []Var, s Var) []Var {
	r := t.vec(len(a))
	for i := range r {
		r[i] = t.Sub(a[i], s)
	}
	return r
}

// MulScalar returns s * a elementwise.
func (t *Tape) MulScalar(a []Var, s Var) []Var {
	r := t.vec(len(a))
	for i := range r {
		r[i] = t.Mul(a[i], s)
	}
	return r
}

// DivScalar returns a / s elementwise.
func (t *Tape) DivScalar(a []Var, s Var) []Var {
	r := t.vec(len(a))
	for i := range r {
		r[i] = t.Div(a[i], s)
	}
	return r
}

// Dot returns the dot product of a and b as one statement.
func (t *Tape) Dot(a, b []Var) (Var, error) {
	if err := sizeCheck("dot_product", "size of v1", len(a), "size of v2", len(b)); err != nil {
		return Var{}, err
	}
	bd := t.Begin()
	s := 0.0
	for i := range a {
		s += a[i].Val * b[i].Val
		bd.Add(a[i], b[i].Val)
		bd.Add(b[i], a[i].Val)
	}
	return bd.End(s), nil
}

// DotData returns the dot product of a with data b.
func (t *Tape) DotData(a []Var, b []float64) (Var, error) {
	if err := sizeCheck("dot_product", "size of v1", len(a), "size of v2", len(b)); err != nil {
		return Var{}, err
	}
	bd := t.Begin()
	s := 0.0
	for i := range a {
		s += a[i].Val * b[i]
		bd.Add(a[i], b[i])
	}
	return bd.End(s), nil
}

// DotSelf returns the sum of squares of a.
func (t *Tape) DotSelf(a []Var) Var {
	bd := t.Begin()
	s := 0.0
	for _, x := range a {
		s += x.Val * x.Val
		bd.Add(x, 2*x.Val)
	}
	return bd.End(s)
}

// Mean returns the mean of xs; NaN when xs is empty.
func (t *Tape) Mean(xs []Var) Var {
	n := float64(len(xs))
	bd := t.Begin()
	s := 0.0
	for _, x := range xs {
		s += x.Val
		bd.Add(x, 1/n)
	}
	return bd.End(s / n)
}

// meanOf returns the mean of the values of xs.
func meanOf(xs []Var) float64 {
	s := 0.0
	for _, x := range xs {
		s += x.Val
	}
	return s / float64(len(xs))
}

// Variance returns the sample variance of xs (divisor n - 1); NaN for fewer
// than two elements. Its partials are 2(x_i - mean)/(n - 1).
func (t *Tape) Variance(xs []Var) Var {
	if len(xs) < 2 {
		return Const(math.NaN())
	}
	m := meanOf(xs)
	d := float64(len(xs) - 1)
	bd := t.Begin()
	s := 0.0
	for _, x := range xs {
		s += (x.Val - m) * (x.Val - m)
		bd.Add(x, 2*(x.Val-m)/d)
	}
	return bd.End(s / d)
}

// Sd returns the sample standard deviation of xs; NaN for fewer than two
// elements.
func (t *Tape) Sd(xs []Var) Var {
	if len(xs) < 2 {
		return Const(math.NaN())
	}
	m := meanOf(xs)
	d := float64(len(xs) - 1)
	s := 0.0
	for _, x := range xs {
		s += (x.Val - m) * (x.Val - m)
	}
	sd := math.Sqrt(s / d)
	bd := t.Begin()
	for _, x := range xs {
		bd.Add(x, (x.Val-m)/(d*sd))
	}
	return bd.End(sd)
}

// maxOf returns the largest value in xs, -Inf when empty.
func maxOf(xs []Var) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = math.Max(m, x.Val)
	}
	return m
}

// LogSumExp returns log(sum(e**xs)) as one statement whose partials are the
// softmax of xs; -Inf for an empty slice.
func (t *Tape) LogSumExp(xs []Var) Var {
	m := maxOf(xs)
	if math.IsInf(m, 0) {
		return Const(m)
	}
	// Small vectors (an HMM's forward step) keep their terms e**(x-m)
	// and take the softmax weights from them, one exp per element.
	var small [8]float64
	w := small[:0]
	if len(xs) > len(small) {
		w = t.tmp(len(xs))[:0]
	}
	s := 0.0
	for _, x := range xs {
		ex := math.Exp(x.Val - m)
		w = append(w, ex)
		s += ex
	}
	v := m + math.Log(s)
	bd := t.Begin()
	for i, x := range xs {
		bd.Add(x, w[i]/s)
	}
	return bd.End(v)
}

// softmaxInto writes the softmax of xs into s and returns log(sum(e**xs)).
func softmaxInto(s []float64, xs []Var) float64 {
	m := maxOf(xs)
	z := 0.0
	for i, x := range xs {
		s[i] = math.Exp(x.Val - m)
		z += s[i]
	}
	for i := range s {
		s[i] /= z
	}
	return m + math.Log(z)
}

// Softmax returns e**xs / sum(e**xs) as one custom node.
func (t *Tape) Softmax(xs []Var) []Var {
	return t.softmax(xs, false)
}

// LogSoftmax returns xs - log_sum_exp(xs) as one custom node.
func (t *Tape) LogSoftmax(xs []Var) []Var {
	return t.softmax(xs, true)
}

func (t *Tape) softmax(xs []Var, log bool) []Var {
	n := len(xs)
	r := t.vec(n)
	if !AnyVar(xs) {
		s := t.tmp(n)
		lse := softmaxInto(s, xs)
		for i := range r {
			r[i] = Const(s[i])
			if log {
				r[i] = Const(xs[i].Val - lse)
			}
		}
		return r
	}
	// ints: output start, then input IDs; flts: the softmax.
	ints, s := t.CustomSpace(n+1, n)
	lse := softmaxInto(s, xs)
	for i, x := range xs {
		ints[i+1] = x.id
		if log {
			r[i] = t.Var(x.Val - lse)
		} else {
			r[i] = t.Var(s[i])
		}
	}
	ints[0] = r[0].id
	if log {
		t.CustomCommit(logSoftmaxBackward, n+1, n)
	} else {
		t.CustomCommit(softmaxBackward, n+1, n)
	}
	return r
}

// softmaxBackward: with y = softmax(x), x̄_j += y_j (ȳ_j - Σ_i ȳ_i y_i).
func softmaxBackward(adj []float64, ints []int32, s []float64) {
	out := adj[ints[0] : int(ints[0])+len(s)]
	dot := 0.0
	for i, a := range out {
		dot += a * s[i]
	}
	for j, id := range ints[1:] {
		adj[id] += s[j] * (out[j] - dot)
	}
}

// logSoftmaxBackward: with y = log_softmax(x), x̄_j += ȳ_j - softmax_j Σ_i ȳ_i.
func logSoftmaxBackward(adj []float64, ints []int32, s []float64) {
	out := adj[ints[0] : int(ints[0])+len(s)]
	sum := 0.0
	for _, a := range out {
		sum += a
	}
	for j, id := range ints[1:] {
		adj[id] += out[j] - s[j]*sum
	}
}

// Norm1 returns Σ|x_i|; the partial at 0 is taken as 0.
func (t *Tape) Norm1(xs []Var) Var {
	bd := t.Begin()
	s := 0.0
	for _, x := range xs {
		s += math.Abs(x.Val)
		switch {
		case x.Val > 0:
			bd.Add(x, 1)
		case x.Val < 0:
			bd.Add(x, -1)
		}
	}
	return bd.End(s)
}

// Norm2 returns the Euclidean norm √(Σ x_i²).
func (t *Tape) Norm2(xs []Var) Var {
	s := 0.0
	for _, x := range xs {
		s += x.Val * x.Val
	}
	r := math.Sqrt(s)
	bd := t.Begin()
	if r > 0 {
		for _, x := range xs {
			bd.Add(x, x.Val/r)
		}
	}
	return bd.End(r)
}

// SquaredDistance returns Σ (a_i - b_i)².
func (t *Tape) SquaredDistance(a, b []Var) (Var, error) {
	if err := sizeCheck("squared_distance", "size of x1", len(a), "size of x2", len(b)); err != nil {
		return Var{}, err
	}
	bd := t.Begin()
	s := 0.0
	for i := range a {
		d := a[i].Val - b[i].Val
		s += d * d
		bd.Add(a[i], 2*d)
		bd.Add(b[i], -2*d)
	}
	return bd.End(s), nil
}

// Distance returns the Euclidean distance between a and b.
func (t *Tape) Distance(a, b []Var) (Var, error) {
	if err := sizeCheck("distance", "size of x1", len(a), "size of x2", len(b)); err != nil {
		return Var{}, err
	}
	s := 0.0
	for i := range a {
		d := a[i].Val - b[i].Val
		s += d * d
	}
	r := math.Sqrt(s)
	bd := t.Begin()
	if r > 0 {
		for i := range a {
			d := (a[i].Val - b[i].Val) / r
			bd.Add(a[i], d)
			bd.Add(b[i], -d)
		}
	}
	return bd.End(r), nil
}

// CumulativeSum returns the running sums of xs, one statement per element.
func (t *Tape) CumulativeSum(xs []Var) []Var {
	r := t.vec(len(xs))
	if len(xs) == 0 {
		return r
	}
	r[0] = xs[0]
	for i := 1; i < len(xs); i++ {
		r[i] = t.Add(r[i-1], xs[i])
	}
	return r
}

// Prod returns the product of xs. Its partials, the products of all other
// elements, come from prefix and suffix products, so zeros are exact.
func (t *Tape) Prod(xs []Var) Var {
	n := len(xs)
	suffix := t.tmp(n + 1) // suffix[i] = Π_{j>=i} x_j
	suffix[n] = 1
	for i := n - 1; i >= 0; i-- {
		suffix[i] = suffix[i+1] * xs[i].Val
	}
	bd := t.Begin()
	prefix := 1.0
	for i, x := range xs {
		bd.Add(x, prefix*suffix[i+1])
		prefix *= x.Val
	}
	return bd.End(suffix[0])
}

// Max returns the largest element of xs (the first of ties), -Inf when xs
// is empty. Its derivative flows to that element alone.
func (t *Tape) Max(xs []Var) Var {
	if len(xs) == 0 {
		return Const(math.Inf(-1))
	}
	m := xs[0]
	for _, x := range xs[1:] {
		if x.Val > m.Val || math.IsNaN(x.Val) && !math.IsNaN(m.Val) {
			m = x
		}
	}
	return m
}

// Min returns the smallest element of xs (the first of ties), +Inf when xs
// is empty.
func (t *Tape) Min(xs []Var) Var {
	if len(xs) == 0 {
		return Const(math.Inf(1))
	}
	m := xs[0]
	for _, x := range xs[1:] {
		if x.Val < m.Val || math.IsNaN(x.Val) && !math.IsNaN(m.Val) {
			m = x
		}
	}
	return m
}
