package compile

import (
	"fmt"
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// addContainerFuncs defines the library's functions on arrays, vectors
// and matrices.
func (l *library) addContainerFuncs() {
	m := map[string]builtin{
		"sum": reduce(func(t *ad.Tape, x []ad.Var) ad.Var { return t.Sum(x) }, func(x []int) int { return sumInts(x) }),
		"prod": reduce(prodVars, func(x []int) int {
			p := 1
			for _, v := range x {
				p *= v
			}
			return p
		}),
		"mean":                              nonEmptyReduce("mean", meanVars),
		"variance":                          nonEmptyReduce("variance", varianceVars),
		"sd":                                nonEmptyReduce("sd", func(t *ad.Tape, x []ad.Var) ad.Var { return t.Sqrt(varianceVars(t, x)) }),
		"dot_self":                          realReduce(func(t *ad.Tape, x []ad.Var) ad.Var { return dot(t, x, x) }),
		"num_elements":                      sizeOf(func(v *value) int { return size(v.Dims) }),
		"size":                              sizeOf(func(v *value) int { return v.Dims[0] }),
		"rows":                              sizeOf(func(v *value) int { return v.Dims[0] }),
		"cols":                              sizeOf(func(v *value) int { return v.Dims[len(v.Dims)-1] }),
		"dot_product":                       dotProduct,
		"rep_vector":                        repVector,
		"rep_row_vector":                    repVector,
		"rep_array":                         repArray,
		"rep_matrix":                        repMatrix,
		"to_vector":                         toFlat,
		"to_row_vector":                     toFlat,
		"to_array_1d":                       toFlat,
		"to_matrix":                         toMatrix,
		"to_vector_array":                   matrixSlices(false),
		"to_row_vector_array":               matrixSlices(true),
		"append_row":                        appendRow,
		"append_col":                        appendCol,
		"cumulative_sum":                    cumulativeSum,
		"softmax":                           softmax(false),
		"log_softmax":                       softmax(true),
		"head":                              segmentOf("head"),
		"tail":                              segmentOf("tail"),
		"segment":                           segmentOf("segment"),
		"col":                               colRow(true),
		"row":                               colRow(false),
		"diag_matrix":                       diagMatrix,
		"diagonal":                          diagonal,
		"diag_pre_multiply":                 diagMultiply(true),
		"diag_post_multiply":                diagMultiply(false),
		"quad_form_diag":                    quadFormDiag,
		"multiply_lower_tri_self_transpose": lowerSelfTranspose,
		"tcrossprod":                        crossprod(false),
		"crossprod":                         crossprod(true),
		"cholesky_decompose":                choleskyDecompose,
		"columns_dot_self":                  columnsDot(true, true),
		"rows_dot_self":                     columnsDot(false, true),
		"columns_dot_product":               columnsDot(true, false),
		"rows_dot_product":                  columnsDot(false, false),
		"squared_distance":                  distanceFn(true),
		"distance":                          distanceFn(false),
		"identity_matrix":                   identityMatrix,
		"add_diag":                          addDiag,
		"reverse":                           reverse,
		"sort_asc":                          sortFn(false),
		"sort_desc":                         sortFn(true),
		"log_determinant":                   logDeterminant,
		"mdivide_left_tri_low":              mdivideLeftTriLow,
		"transpose": func(c *compiler, a []cexpr, t types.Type, p token.Position) (cexpr, error) {
			return c.transpose(a[0], t), nil
		},
	}
	m["dims"] = dimsFn
	m["sub_col"] = subMatrix("sub_col")
	m["sub_row"] = subMatrix("sub_row")
	m["block"] = subMatrix("block")
	m["eigenvalues_sym"] = eigenSym(true)
	m["eigenvectors_sym"] = eigenSym(false)
	for name, f := range m {
		l.fn(name, f)
	}
}

func sumInts(x []int) int {
	s := 0
	for _, v := range x {
		s += v
	}
	return s
}

func prodVars(t *ad.Tape, x []ad.Var) ad.Var {
	p := ad.Const(1)
	for _, v := range x {
		p = t.Mul(p, v)
	}
	return p
}

func meanVars(t *ad.Tape, x []ad.Var) ad.Var {
	return t.Div(t.Sum(x), ad.Const(float64(len(x))))
}

// varianceVars is the sample variance Σ(x - x̄)²/(n-1) as one statement.
func varianceVars(t *ad.Tape, x []ad.Var) ad.Var {
	n := float64(len(x))
	if len(x) < 2 {
		return ad.Const(0)
	}
	m := 0.0
	for _, v := range x {
		m += v.Val
	}
	m /= n
	b := t.Begin()
	s := 0.0
	for _, v := range x {
		s += (v.Val - m) * (v.Val - m)
		b.Add(v, 2*(v.Val-m)/(n-1))
	}
	return b.End(s / (n - 1))
}

func reduce(f func(*ad.Tape, []ad.Var) ad.Var, fi func([]int) int) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		g := a[0].v
		if t == types.IntT {
			return cexpr{t: t, i: func(e *env) int { return fi(g(e).I) }}, nil
		}
		g = a[0].val(true)
		return cexpr{t: t, r: func(e *env) ad.Var { return f(e.t, g(e).R) }}, nil
	}
}

func realReduce(f func(*ad.Tape, []ad.Var) ad.Var) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		g := a[0].val(true)
		return cexpr{t: t, r: func(e *env) ad.Var { return f(e.t, g(e).R) }}, nil
	}
}

// nonEmptyReduce is realReduce for the statistics Stan Math refuses of
// an empty container (check_nonzero_size): mean, variance and sd.
func nonEmptyReduce(name string, f func(*ad.Tape, []ad.Var) ad.Var) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		g := a[0].val(true)
		return cexpr{t: t, r: func(e *env) ad.Var {
			x := g(e).R
			if len(x) == 0 {
				fail(pos, "%s: the argument has size 0, but must have a non-zero size", name)
			}
			return f(e.t, x)
		}}, nil
	}
}

func sizeOf(f func(*value) int) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		g := a[0].v
		if g == nil {
			return cexpr{t: t, i: func(*env) int { return 1 }}, nil
		}
		return cexpr{t: t, i: func(e *env) int {
			v := g(e)
			if len(v.Dims) == 0 {
				return 1
			}
			return f(v)
		}}, nil
	}
}

func dotProduct(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	x, y := a[0].val(true), a[1].val(true)
	return cexpr{t: t, r: func(e *env) ad.Var {
		u, v := x(e), y(e)
		if len(u.R) != len(v.R) {
			fail(pos, "dot_product: size of the first vector (%d) and the second (%d) must match", len(u.R), len(v.R))
		}
		return dot(e.t, u.R, v.R)
	}}, nil
}

func repVector(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	x, n := a[0].real(), a[1].i
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [1]int
		dims[0] = n(e)
		checkSize(pos, "rep_vector", dims[0])
		buf.shape(dims[:], false)
		v := x(e)
		for i := range buf.R {
			buf.R[i] = v
		}
		return buf
	}}, nil
}

func repArray(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	x := a[0]
	ns := make([]func(*env) int, len(a)-1)
	for i := range ns {
		ns[i] = a[i+1].i
	}
	isInt := t.Kind == types.Int
	out, dimsOf := c.buf(), c.dimsState()
	return cexpr{t: t, v: func(e *env) *value {
		buf, d := out.of(e), dimsOf.of(e)
		*d = evalSizes(e, ns, *d, pos)
		dims := *d
		count := size(dims)
		switch {
		case x.i != nil:
			buf.shape(dims, true)
			v := x.i(e)
			for i := range buf.I {
				buf.I[i] = v
			}
		case x.r != nil:
			buf.shape(dims, false)
			v := x.r(e)
			for i := range buf.R {
				buf.R[i] = v
			}
		default:
			v := x.v(e)
			inner := len(v.R) + len(v.I)
			*d = append(dims, v.Dims...)
			buf.shape(*d, isInt)
			for k := range count {
				if isInt {
					copy(buf.I[k*inner:], v.I)
				} else {
					copy(buf.R[k*inner:], v.R)
				}
			}
		}
		return buf
	}}, nil
}

func repMatrix(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	out := c.buf()
	if len(a) == 3 {
		x, m, n := a[0].real(), a[1].i, a[2].i
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			var dims [2]int
			dims[0], dims[1] = m(e), n(e)
			checkSize(pos, "rep_matrix", dims[0], dims[1])
			buf.shape(dims[:], false)
			v := x(e)
			for i := range buf.R {
				buf.R[i] = v
			}
			return buf
		}}, nil
	}
	x, n := a[0].val(true), a[1].i
	isCol := a[0].t.Kind == types.Vector
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [2]int
		v, k := x(e), n(e)
		m := len(v.R)
		checkSize(pos, "rep_matrix", m, k)
		if isCol {
			dims[0], dims[1] = m, k
			buf.shape(dims[:], false)
			for j := range k {
				copy(buf.R[j*m:], v.R)
			}
		} else {
			dims[0], dims[1] = k, m
			buf.shape(dims[:], false)
			for j := range m {
				for i := range k {
					buf.R[i+j*k] = v.R[j]
				}
			}
		}
		return buf
	}}, nil
}

// toFlat copies any container into a vector, row vector or 1-D array, in
// Stan's order: matrices column-major, arrays row-major.
func toFlat(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	isInt := t.Kind == types.Int
	if a[0].v == nil {
		if isInt {
			f := a[0].i
			out := c.buf()
			return cexpr{t: t, v: func(e *env) *value {
				buf := out.of(e)
				buf.shape([]int{1}, true)
				buf.I[0] = f(e)
				return buf
			}}, nil
		}
		f := a[0].real()
		out := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			buf.shape([]int{1}, false)
			buf.R[0] = f(e)
			return buf
		}}, nil
	}
	x := a[0].val(!isInt)
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		v := x(e)
		buf.Dims = append(buf.Dims[:0], len(v.R)+len(v.I))
		buf.R, buf.I = v.R, v.I
		return buf
	}}, nil
}

func toMatrix(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	x := a[0].val(true)
	at := a[0].t
	switch {
	case len(a) == 1 && at.Kind == types.Matrix && at.Dims == 0:
		return a[0], nil
	case len(a) == 1 && (at.Kind == types.Vector || at.Kind == types.RowVector) && at.Dims == 0:
		col := at.Kind == types.Vector
		out := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			v := x(e)
			if col {
				buf.Dims = append(buf.Dims[:0], len(v.R), 1)
			} else {
				buf.Dims = append(buf.Dims[:0], 1, len(v.R))
			}
			buf.R = v.R
			return buf
		}}, nil
	case len(a) == 1 && at.Dims == 1 && at.Kind == types.Vector:
		// An array of N vectors of size K, each a column (Stan 2.40): its
		// elements, vector after vector, are the K×N matrix column-major.
		out := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			buf, v := out.of(e), x(e)
			buf.Dims = append(buf.Dims[:0], v.Dims[1], v.Dims[0])
			buf.R, buf.I = v.R, nil
			return buf
		}}, nil
	case len(a) == 1 && at.Dims == 2 && (at.Kind == types.Real || at.Kind == types.Int),
		len(a) == 1 && at.Dims == 1 && at.Kind == types.RowVector:
		// A 2-D array, or an array of row vectors as the rows, row-major,
		// to a column-major matrix.
		return relayout(c, t, x, false), nil
	case len(a) == 3 || len(a) == 4:
		return reshapeMatrix(c, a, t, pos), nil
	}
	return cexpr{}, fmt.Errorf("to_matrix: no form takes arguments of types %v", at)
}

// matrixSlices is to_vector_array(M), M's columns, and (rows)
// to_row_vector_array(M), its rows (Stan 2.40).
func matrixSlices(rows bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		x := a[0].val(true)
		out := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			buf, v := out.of(e), x(e)
			r, cc := v.Dims[0], v.Dims[1]
			if !rows {
				// Column-major, the columns are already vector after vector.
				buf.Dims = append(buf.Dims[:0], cc, r)
				buf.R, buf.I = v.R, nil
				return buf
			}
			buf.shape([]int{r, cc}, false)
			transposeInto(buf.R, v.R, r, cc)
			return buf
		}}, nil
	}
}

// reshapeMatrix compiles to_matrix(x, m, n) and to_matrix(x, m, n,
// col_major): the elements of x, in Stan's order, fill an m×n matrix
// column by column, or row by row when col_major is 0.
func reshapeMatrix(c *compiler, a []cexpr, t types.Type, pos token.Position) cexpr {
	x, fm, fn := a[0].val(true), a[1].i, a[2].i
	colMajor := func(*env) int { return 1 }
	if len(a) == 4 {
		colMajor = a[3].i
	}
	out, rowsOut := c.buf(), c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		v := x(e)
		m, n := fm(e), fn(e)
		if m < 0 || n < 0 || m*n != len(v.R) {
			fail(pos, "to_matrix: %d elements cannot fill a %d×%d matrix", len(v.R), m, n)
		}
		buf.Dims = append(buf.Dims[:0], m, n)
		if colMajor(e) != 0 {
			buf.R, buf.I = v.R, nil
			return buf
		}
		rows := rowsOut.of(e)
		rows.shape(buf.Dims, false)
		transposeInto(rows.R, v.R, n, m) // v's elements as an n×m matrix
		buf.R, buf.I = rows.R, nil
		return buf
	}}
}

// relayout compiles the copy of an r×c container (its first two
// dimensions) from column-major order to row-major (toRowMajor:
// to_array_2d of a matrix) or back (to_matrix of a 2-D array or of an
// array of row vectors). Either is a transpose of the elements: r×c
// column-major is c×r row-major.
func relayout(c *compiler, t types.Type, f func(*env) *value, toRowMajor bool) cexpr {
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [2]int
		v := f(e)
		r, cc := v.Dims[0], v.Dims[1]
		dims[0], dims[1] = r, cc
		buf.shape(dims[:], false)
		if toRowMajor {
			transposeInto(buf.R, v.R, r, cc)
		} else {
			transposeInto(buf.R, v.R, cc, r)
		}
		return buf
	}}
}

// transposeInto writes the transpose of the column-major r×c src into
// dst, column-major c×r.
func transposeInto(dst, src []ad.Var, r, c int) {
	for j := range c {
		for i := range r {
			dst[j+i*c] = src[i+j*r]
		}
	}
}

func appendRow(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	x, y := a[0], a[1]
	if t.Kind == types.Vector {
		return concat(c, x, y, t), nil
	}
	out := c.buf()
	fx, fy := x.val(true), y.val(true)
	shape := func(k types.Kind, v *value) (int, int) {
		if k == types.RowVector {
			return 1, v.Dims[0]
		}
		return v.Dims[0], v.Dims[1]
	}
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [2]int
		u, w := fx(e), fy(e)
		r1, c1 := shape(x.t.Kind, u)
		r2, c2 := shape(y.t.Kind, w)
		if c1 != c2 {
			fail(pos, "append_row: the columns (%d and %d) must match", c1, c2)
		}
		r := r1 + r2
		dims[0], dims[1] = r, c1
		buf.shape(dims[:], false)
		for j := range c1 {
			for i := range r1 {
				buf.R[i+j*r] = u.R[i+j*r1]
			}
			for i := range r2 {
				buf.R[r1+i+j*r] = w.R[i+j*r2]
			}
		}
		return buf
	}}, nil
}

// concat joins scalars and vectors (or row vectors) end to end.
func concat(c *compiler, x, y cexpr, t types.Type) cexpr {
	fx, fy := asVector(c, x), asVector(c, y)
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [1]int
		u := fx(e)
		n := len(u)
		w := fy(e)
		dims[0] = n + len(w)
		buf.shape(dims[:], false)
		copy(buf.R, u)
		copy(buf.R[n:], w)
		return buf
	}}
}

// asVector returns a scalar as a one-element slice, a container as its
// elements.
func asVector(c *compiler, x cexpr) func(*env) []ad.Var {
	if x.v == nil {
		f := x.real()
		one := newState(c, func() *[1]ad.Var { return new([1]ad.Var) })
		return func(e *env) []ad.Var {
			buf := one.of(e)
			buf[0] = f(e)
			return buf[:]
		}
	}
	f := x.val(true)
	return func(e *env) []ad.Var { return f(e).R }
}

func appendCol(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	x, y := a[0], a[1]
	if t.Kind == types.RowVector {
		return concat(c, x, y, t), nil
	}
	out := c.buf()
	fx, fy := x.val(true), y.val(true)
	shape := func(k types.Kind, v *value) (int, int) {
		if k == types.Vector {
			return v.Dims[0], 1
		}
		return v.Dims[0], v.Dims[1]
	}
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [2]int
		u, w := fx(e), fy(e)
		r1, c1 := shape(x.t.Kind, u)
		r2, c2 := shape(y.t.Kind, w)
		if r1 != r2 {
			fail(pos, "append_col: the rows (%d and %d) must match", r1, r2)
		}
		dims[0], dims[1] = r1, c1+c2
		buf.shape(dims[:], false)
		copy(buf.R, u.R)
		copy(buf.R[r1*c1:], w.R)
		return buf
	}}, nil
}

func cumulativeSum(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	out := c.buf()
	if t.Kind == types.Int {
		f := a[0].v
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			v := f(e)
			buf.shape(v.Dims, true)
			s := 0
			for i, x := range v.I {
				s += x
				buf.I[i] = s
			}
			return buf
		}}, nil
	}
	f := a[0].val(true)
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		v := f(e)
		buf.shape(v.Dims, false)
		s := ad.Const(0)
		for i, x := range v.R {
			if i == 0 {
				s = x
			} else {
				s = e.t.Add(s, x)
			}
			buf.R[i] = s
		}
		return buf
	}}, nil
}

// softmax computes softmax(x) or log_softmax(x) of a vector or row
// vector, or of each of an array's (Stan 2.39), each output one statement
// with a partial for every input of its vector.
func softmax(logOut bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		f := a[0].val(true)
		out := c.buf()
		work := newState(c, func() *[]float64 { return new([]float64) })
		return cexpr{t: t, v: func(e *env) *value {
			buf, w := out.of(e), work.of(e)
			v := f(e)
			buf.shape(v.Dims, false)
			n := 0
			if len(v.Dims) > 0 {
				n = v.Dims[len(v.Dims)-1]
			}
			if cap(*w) < n {
				*w = make([]float64, n)
			}
			s := (*w)[:n]
			for at := 0; at < len(v.R); at += n {
				softmaxInto(e.t, buf.R[at:at+n], v.R[at:at+n], s, logOut)
			}
			return buf
		}}, nil
	}
}

// softmaxInto writes softmax(x), or its log, to dst, using s (len(x)) as
// working memory.
func softmaxInto(tp *ad.Tape, dst, x []ad.Var, s []float64, logOut bool) {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, v.Val)
	}
	tot := 0.0
	for i, v := range x {
		s[i] = math.Exp(v.Val - m)
		tot += s[i]
	}
	lse := m + math.Log(tot)
	for i := range s {
		s[i] /= tot
	}
	for i, v := range x {
		b := tp.Begin()
		for j, y := range x {
			d := -s[j]
			if logOut {
				if i == j {
					d += 1
				}
			} else {
				d *= s[i]
				if i == j {
					d += s[i]
				}
			}
			b.Add(y, d)
		}
		if logOut {
			dst[i] = b.End(v.Val - lse)
		} else {
			dst[i] = b.End(s[i])
		}
	}
}

// segmentOf is head(x, n), tail(x, n) and segment(x, i, n) on vectors and
// arrays (whole elements for arrays of containers).
func segmentOf(kind string) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		f := a[0].v
		if a[0].t.Kind != types.Int {
			f = a[0].val(true)
		}
		var start func(*env) int
		n := a[1].i
		if kind == "segment" {
			start, n = a[1].i, a[2].i
		}
		isInt := t.Kind == types.Int
		out := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			v := f(e)
			total := v.Dims[0]
			k := n(e)
			from := 0
			switch kind {
			case "tail":
				from = total - k
			case "segment":
				from = start(e) - 1
			}
			if k < 0 || from < 0 || from+k > total {
				fail(pos, "%s: elements %d to %d are out of range 1 to %d", kind, from+1, from+k, total)
			}
			block := size(v.Dims[1:])
			buf.Dims = append(append(buf.Dims[:0], k), v.Dims[1:]...)
			if isInt {
				buf.I, buf.R = v.I[from*block:(from+k)*block], nil
			} else {
				buf.R, buf.I = v.R[from*block:(from+k)*block], nil
			}
			return buf
		}}, nil
	}
}

func colRow(col bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		f, k := a[0].v, a[1].i
		out := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			v := f(e)
			r, cc := v.Dims[0], v.Dims[1]
			i := k(e)
			if col {
				if i < 1 || i > cc {
					fail(pos, "col: index %d out of range 1 to %d", i, cc)
				}
				buf.Dims, buf.R = append(buf.Dims[:0], r), v.R[(i-1)*r:i*r]
				return buf
			}
			if i < 1 || i > r {
				fail(pos, "row: index %d out of range 1 to %d", i, r)
			}
			buf.shape([]int{cc}, false)
			for j := range cc {
				buf.R[j] = v.R[i-1+j*r]
			}
			return buf
		}}, nil
	}
}

func diagMatrix(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	f := a[0].v
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [2]int
		v := f(e)
		n := len(v.R)
		dims[0], dims[1] = n, n
		buf.shape(dims[:], false)
		clear(buf.R)
		for i, x := range v.R {
			buf.R[i+i*n] = x
		}
		return buf
	}}, nil
}

func diagonal(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	f := a[0].v
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [1]int
		v := f(e)
		r, cc := v.Dims[0], v.Dims[1]
		dims[0] = min(r, cc)
		buf.shape(dims[:], false)
		for i := range dims[0] {
			buf.R[i] = v.R[i+i*r]
		}
		return buf
	}}, nil
}

// diagMultiply is diag_pre_multiply(v, m) or diag_post_multiply(m, v),
// one tape node.
func diagMultiply(pre bool) builtin {
	f := func(tp *ad.Tape, v, m ad.Matrix) (ad.Matrix, error) { return tp.DiagPreMultiply(v.Data, m) }
	if !pre {
		f = func(tp *ad.Tape, m, v ad.Matrix) (ad.Matrix, error) { return tp.DiagPostMultiply(m, v.Data) }
	}
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		return c.solveOp(a[0], a[1], t, pos, f), nil
	}
}

// quadFormDiag is diag(v) m diag(v), one tape node.
func quadFormDiag(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	return c.solveOp(a[0], a[1], t, pos, func(tp *ad.Tape, m, v ad.Matrix) (ad.Matrix, error) {
		return tp.QuadFormDiag(m, v.Data)
	}), nil
}

// lowerSelfTranspose is L Lᵀ using only the lower triangle of L.
func lowerSelfTranspose(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	f := a[0].v
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [2]int
		l := f(e)
		r, cc := l.Dims[0], l.Dims[1]
		dims[0], dims[1] = r, r
		buf.shape(dims[:], false)
		for i := range r {
			for j := 0; j <= i; j++ {
				b := e.t.Begin()
				s := 0.0
				for k := 0; k <= min(j, cc-1); k++ {
					x, y := l.R[i+k*r], l.R[j+k*r]
					s += x.Val * y.Val
					b.Add(x, y.Val)
					b.Add(y, x.Val)
				}
				v := b.End(s)
				buf.R[i+j*r], buf.R[j+i*r] = v, v
			}
		}
		return buf
	}}, nil
}

func crossprod(transFirst bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		f := a[0].v
		out := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			var dims [2]int
			m := f(e)
			r, cc := m.Dims[0], m.Dims[1]
			n, inner := r, cc // tcrossprod: M Mᵀ is r×r over cc
			if transFirst {
				n, inner = cc, r
			}
			at := func(i, k int) ad.Var {
				if transFirst {
					return m.R[k+i*r] // column i of M
				}
				return m.R[i+k*r] // row i of M
			}
			dims[0], dims[1] = n, n
			buf.shape(dims[:], false)
			for i := range n {
				for j := 0; j <= i; j++ {
					b := e.t.Begin()
					s := 0.0
					for k := range inner {
						x, y := at(i, k), at(j, k)
						s += x.Val * y.Val
						b.Add(x, y.Val)
						b.Add(y, x.Val)
					}
					v := b.End(s)
					buf.R[i+j*n], buf.R[j+i*n] = v, v
				}
			}
			return buf
		}}, nil
	}
}

// choleskyDecompose factors a symmetric positive definite matrix with tape
// arithmetic (Cholesky–Banachiewicz), so its gradient follows.
// choleskyDecompose is one tape node: ad's factorization, whose adjoint is
// Murray's reverse-mode algorithm.
func choleskyDecompose(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	f := a[0].v
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		l, err := e.t.CholeskyDecompose(f(e).matrix())
		if err != nil {
			fail(pos, "%v", err)
		}
		return setResult(out.of(e), t, l)
	}}, nil
}

func columnsDot(byCol, self bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fx := a[0].val(true)
		fy := fx
		if !self {
			fy = a[1].val(true)
		}
		kx := a[0].t.Kind
		out := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			var dims [1]int
			x, y := fx(e), fy(e)
			r, cc := 1, len(x.R)
			switch {
			case kx == types.Matrix:
				r, cc = x.Dims[0], x.Dims[1]
			case kx == types.Vector:
				r, cc = len(x.R), 1
			}
			if len(y.R) != len(x.R) {
				fail(pos, "size mismatch")
			}
			n, inner := r, cc
			if byCol {
				n, inner = cc, r
			}
			dims[0] = n
			buf.shape(dims[:], false)
			for i := range n {
				b := e.t.Begin()
				s := 0.0
				for k := range inner {
					o := i + k*r
					if byCol {
						o = k + i*r
					}
					p, q := x.R[o], y.R[o]
					s += p.Val * q.Val
					b.Add(p, q.Val)
					b.Add(q, p.Val)
				}
				buf.R[i] = b.End(s)
			}
			return buf
		}}, nil
	}
}

func distanceFn(squared bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fx, fy := asVector(c, a[0]), asVector(c, a[1])
		return cexpr{t: t, r: func(e *env) ad.Var {
			x, y := fx(e), fy(e)
			if len(x) != len(y) {
				fail(pos, "size mismatch")
			}
			b := e.t.Begin()
			s := 0.0
			for i := range x {
				d := x[i].Val - y[i].Val
				s += d * d
				b.Add(x[i], 2*d)
				b.Add(y[i], -2*d)
			}
			v := b.End(s)
			if squared {
				return v
			}
			return e.t.Sqrt(v)
		}}, nil
	}
}

func identityMatrix(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	f := a[0].i
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [2]int
		n := f(e)
		dims[0], dims[1] = n, n
		checkSize(pos, "identity_matrix", n, n)
		buf.shape(dims[:], false)
		clear(buf.R)
		for i := range n {
			buf.R[i+i*n] = ad.Const(1)
		}
		return buf
	}}, nil
}

func addDiag(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	fm := a[0].v
	fd := asVector(c, a[1])
	scalar := a[1].v == nil
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		m := fm(e)
		d := fd(e)
		n := m.Dims[0]
		buf.copyFrom(m)
		for i := range min(n, m.Dims[1]) {
			v := d[0]
			if !scalar {
				v = d[i]
			}
			buf.R[i+i*n] = e.t.Add(buf.R[i+i*n], v)
		}
		return buf
	}}, nil
}

func reverse(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	f := a[0].v
	isInt := t.Kind == types.Int
	out := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		v := f(e)
		n := v.Dims[0]
		block := size(v.Dims[1:])
		buf.shape(v.Dims, isInt)
		for k := range n {
			src, dst := k*block, (n-1-k)*block
			if isInt {
				copy(buf.I[dst:dst+block], v.I[src:src+block])
			} else {
				copy(buf.R[dst:dst+block], v.R[src:src+block])
			}
		}
		return buf
	}}, nil
}

func sortFn(desc bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		f := a[0].v
		isInt := t.Kind == types.Int
		out := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			v := f(e)
			buf.copyFrom(v)
			if isInt {
				idx := sortIndex(len(v.I), func(i, j int) bool {
					if desc {
						return v.I[i] > v.I[j]
					}
					return v.I[i] < v.I[j]
				})
				for k, i := range idx {
					buf.I[k] = v.I[i]
				}
				return buf
			}
			idx := sortIndex(len(v.R), func(i, j int) bool {
				if desc {
					return v.R[i].Val > v.R[j].Val
				}
				return v.R[i].Val < v.R[j].Val
			})
			for k, i := range idx {
				buf.R[k] = v.R[i]
			}
			return buf
		}}, nil
	}
}

// logDeterminant is log|det M| through a tape LU decomposition with
// partial pivoting.
func logDeterminant(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	f := a[0].v
	work := newState(c, func() *[]ad.Var { return new([]ad.Var) })
	return cexpr{t: t, r: func(e *env) ad.Var {
		m := f(e)
		n := m.Dims[0]
		tp := e.t
		ws := work.of(e)
		if cap(*ws) < n*n {
			*ws = make([]ad.Var, n*n)
		}
		w := (*ws)[:n*n] // row-major working copy
		for i := range n {
			for j := range n {
				w[i*n+j] = m.R[i+j*n]
			}
		}
		ld := ad.Const(0)
		for k := range n {
			p := k
			for i := k + 1; i < n; i++ {
				if math.Abs(w[i*n+k].Val) > math.Abs(w[p*n+k].Val) {
					p = i
				}
			}
			if p != k {
				for j := range n {
					w[k*n+j], w[p*n+j] = w[p*n+j], w[k*n+j]
				}
			}
			piv := w[k*n+k]
			if piv.Val == 0 {
				return ad.Const(math.Inf(-1))
			}
			ld = tp.Add(ld, tp.Log(tp.Abs(piv)))
			for i := k + 1; i < n; i++ {
				fct := tp.Div(w[i*n+k], piv)
				for j := k + 1; j < n; j++ {
					w[i*n+j] = tp.Sub(w[i*n+j], tp.Mul(fct, w[k*n+j]))
				}
			}
		}
		return ld
	}}, nil
}

// mdivideLeftTriLow solves L x = b by forward substitution.
// mdivideLeftTriLow is L⁻¹ b for a vector or matrix b, one tape node.
func mdivideLeftTriLow(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	return c.solveOp(a[0], a[1], t, pos, func(tp *ad.Tape, l, b ad.Matrix) (ad.Matrix, error) {
		return tp.MdivideLeftTriLow(l, b)
	}), nil
}

func dimsFn(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
	out := c.buf()
	if a[0].v == nil {
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			buf.shape([]int{0}, true)
			return buf
		}}, nil
	}
	f := a[0].v
	return cexpr{t: t, v: func(e *env) *value {
		buf := out.of(e)
		var dims [1]int
		v := f(e)
		dims[0] = len(v.Dims)
		buf.shape(dims[:], true)
		copy(buf.I, v.Dims)
		return buf
	}}, nil
}

// subMatrix is sub_col(m, i, j, n), sub_row(m, i, j, n) and
// block(m, i, j, nr, nc).
func subMatrix(kind string) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fm := a[0].v
		is := make([]func(*env) int, len(a)-1)
		for k := range is {
			is[k] = a[k+1].i
		}
		out := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			buf := out.of(e)
			var dims [2]int
			m := fm(e)
			r, cc := m.Dims[0], m.Dims[1]
			i, j := is[0](e), is[1](e)
			nr, nc := 1, 1
			switch kind {
			case "sub_col":
				nr = is[2](e)
			case "sub_row":
				nc = is[2](e)
			default:
				nr, nc = is[2](e), is[3](e)
			}
			if i < 1 || j < 1 || nr < 0 || nc < 0 || i+nr-1 > r || j+nc-1 > cc {
				fail(pos, "%s: rows %d to %d and columns %d to %d are out of range for a %d×%d matrix", kind, i, i+nr-1, j, j+nc-1, r, cc)
			}
			switch kind {
			case "sub_col":
				dims[0] = nr
				buf.shape(dims[:1], false)
			case "sub_row":
				dims[0] = nc
				buf.shape(dims[:1], false)
			default:
				dims[0], dims[1] = nr, nc
				buf.shape(dims[:], false)
			}
			for q := range nc {
				for p := range nr {
					buf.R[p+q*nr] = m.R[(i-1+p)+(j-1+q)*r]
				}
			}
			return buf
		}}, nil
	}
}

// eigenSym returns the eigenvalues (ascending) or the eigenvectors of a
// symmetric matrix, reading its lower triangle as Stan does, by
// ad.SymEigen: Eigen's algorithm run on the tape, so that the gradient is
// Stan 2.21's (the derivative of the algorithm, which departs from the
// analytic derivative where eigenvalues nearly coincide).
func eigenSym(values bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		f := a[0].v
		out := c.buf()
		solver := newState(c, func() *ad.SymEigen { return &ad.SymEigen{} })
		return cexpr{t: t, v: func(e *env) *value {
			buf, se := out.of(e), solver.of(e)
			var dims [2]int
			m := f(e)
			n := m.Dims[0]
			vals, vecs, err := se.Compute(e.t, ad.Matrix{Rows: n, Cols: m.Dims[1], Data: m.R}, !values)
			if err != nil {
				fail(pos, "%v", err)
			}
			if values {
				dims[0] = n
				buf.shape(dims[:1], false)
				copy(buf.R, vals)
			} else {
				dims[0], dims[1] = n, n
				buf.shape(dims[:], false)
				copy(buf.R, vecs)
			}
			return buf
		}}, nil
	}
}

func (v *value) isConst() bool {
	for _, x := range v.R {
		if !x.IsConst() {
			return false
		}
	}
	return true
}

// dimsState hands out a per-model dims slice for a closure whose result's
// rank is known only at run time.
func (c *compiler) dimsState() stateSlot[[]int] {
	return newState(c, func() *[]int { return new([]int) })
}

// evalSizes evaluates the sizes ns into dims, rejecting negative ones.
func evalSizes(e *env, ns []func(*env) int, dims []int, pos token.Position) []int {
	dims = dims[:0]
	for _, n := range ns {
		k := n(e)
		if k < 0 {
			fail(pos, "size %d is negative", k)
		}
		dims = append(dims, k)
	}
	if err := checkElements("the result", dims); err != nil {
		panic(&evalError{pos: pos, err: err})
	}
	return dims
}
