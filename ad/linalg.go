package ad

import "gonum.org/v1/gonum/floats"

// Matrix products. A product with any variable operand records one custom
// node whose data are the IDs of the variable operands and the values of the
// other operand, which is what its adjoint needs: a data matrix times a
// parameter vector stores the matrix once and never puts its elements on the
// tape as variables.

// outputs fills dst with the values vals: new tape variables with
// consecutive IDs when isVar, else constants. It returns the first ID.
func (t *Tape) outputs(dst []Var, vals []float64, isVar bool) int32 {
	if !isVar {
		for i, v := range vals {
			dst[i] = Const(v)
		}
		return 0
	}
	first := t.n
	for i, v := range vals {
		dst[i] = t.Var(v)
	}
	return first
}

// Transpose returns mᵀ. It records nothing: it only reorders Vars.
func (t *Tape) Transpose(m Matrix) Matrix {
	r := Matrix{Rows: m.Cols, Cols: m.Rows, Data: t.vec(len(m.Data))}
	for j := 0; j < m.Cols; j++ {
		for i := 0; i < m.Rows; i++ {
			r.Data[j+i*m.Cols] = m.Data[i+j*m.Rows]
		}
	}
	return r
}

// DataMatrix is a column-major matrix of data: element (i, j), 0-based, is
// Data[i+j*Rows]. Products with it never look at Vars for its elements.
type DataMatrix struct {
	Rows, Cols int
	Data       []float64
}

// operand is one factor of a product: Vars, or data when vars is nil.
type operand struct {
	rows, cols int
	vars       []Var
	data       []float64
}

func varOperand(m Matrix) operand      { return operand{rows: m.Rows, cols: m.Cols, vars: m.Data} }
func dataOperand(m DataMatrix) operand { return operand{rows: m.Rows, cols: m.Cols, data: m.Data} }
func varColumn(x []Var) operand        { return operand{rows: len(x), cols: 1, vars: x} }

func (o operand) isVar() bool { return o.vars != nil && AnyVar(o.vars) }

// values returns o's values: its data, or dst filled from its Vars. With
// copyData, data are copied into dst too.
func (o operand) values(dst []float64, copyData bool) []float64 {
	if o.vars == nil {
		if !copyData {
			return o.data
		}
		copy(dst, o.data)
		return dst
	}
	for i, x := range o.vars {
		dst[i] = x.Val
	}
	return dst
}

const multiply = "multiply"

// MatMul returns the matrix product a b.
func (t *Tape) MatMul(a, b Matrix) (Matrix, error) {
	if err := sizeCheck(multiply, "Columns of m1", a.Cols, "Rows of m2", b.Rows); err != nil {
		return Matrix{}, err
	}
	return t.matMul(varOperand(a), varOperand(b)), nil
}

// MatVec returns the matrix-vector product a x.
func (t *Tape) MatVec(a Matrix, x []Var) ([]Var, error) {
	if err := sizeCheck(multiply, "Columns of m1", a.Cols, "Rows of m2", len(x)); err != nil {
		return nil, err
	}
	return t.matMul(varOperand(a), varColumn(x)).Data, nil
}

// DataMatMul returns the product of data a and b.
func (t *Tape) DataMatMul(a DataMatrix, b Matrix) (Matrix, error) {
	if err := sizeCheck(multiply, "Columns of m1", a.Cols, "Rows of m2", b.Rows); err != nil {
		return Matrix{}, err
	}
	return t.matMul(dataOperand(a), varOperand(b)), nil
}

// DataMatVec returns the product of data a and the vector x, as in a
// regression's X * beta.
func (t *Tape) DataMatVec(a DataMatrix, x []Var) ([]Var, error) {
	if err := sizeCheck(multiply, "Columns of m1", a.Cols, "Rows of m2", len(x)); err != nil {
		return nil, err
	}
	return t.matMul(dataOperand(a), varColumn(x)).Data, nil
}

// MatMulData returns the product of a and data b.
func (t *Tape) MatMulData(a Matrix, b DataMatrix) (Matrix, error) {
	if err := sizeCheck(multiply, "Columns of m1", a.Cols, "Rows of m2", b.Rows); err != nil {
		return Matrix{}, err
	}
	return t.matMul(varOperand(a), dataOperand(b)), nil
}

// MatVecData returns the product of a and the data vector x.
func (t *Tape) MatVecData(a Matrix, x []float64) ([]Var, error) {
	if err := sizeCheck(multiply, "Columns of m1", a.Cols, "Rows of m2", len(x)); err != nil {
		return nil, err
	}
	return t.matMul(varOperand(a), operand{rows: len(x), cols: 1, data: x}).Data, nil
}

// Crossprod returns mᵀ m.
func (t *Tape) Crossprod(m Matrix) Matrix {
	return t.matMul(varOperand(t.Transpose(m)), varOperand(m))
}

// Tcrossprod returns m mᵀ.
func (t *Tape) Tcrossprod(m Matrix) Matrix {
	return t.matMul(varOperand(m), varOperand(t.Transpose(m)))
}

// matMul multiplies a (m x k) by b (k x n), whose sizes fit.
//
// Node layout: ints = m, k, n, first output ID, a is var, b is var, then
// the IDs of a (if var) and of b (if var); flts = the values of a (if b is
// var, for b̄ = aᵀ c̄) then of b (if a is var, for ā = c̄ bᵀ).
func (t *Tape) matMul(a, b operand) Matrix {
	m, k, n := a.rows, a.cols, b.cols
	c := Matrix{Rows: m, Cols: n, Data: t.vec(m * n)}
	av, bv := a.isVar(), b.isVar()
	nInts, nFlts := 6, 0
	if av {
		nInts += m * k
		nFlts += k * n
	}
	if bv {
		nInts += k * n
		nFlts += m * k
	}
	// Each operand's values go where the node keeps them (flts), or to
	// scratch, or are used in place when they are data the node does not
	// need; the product is then computed on contiguous floats.
	scratch := t.tmp(m*n + m*k + k*n)
	vals := scratch[:m*n]
	aDst, bDst := scratch[m*n:m*n+m*k], scratch[m*n+m*k:]
	var ints []int32
	if av || bv {
		var flts []float64
		ints, flts = t.CustomSpace(nInts, nFlts)
		if bv {
			aDst, flts = flts[:m*k], flts[m*k:]
		}
		if av {
			bDst = flts[:k*n]
		}
	}
	aVals, bVals := a.values(aDst, bv), b.values(bDst, av)
	clear(vals)
	for j := 0; j < n; j++ {
		col := vals[j*m : (j+1)*m]
		for p := 0; p < k; p++ {
			floats.AddScaled(col, bVals[p+j*k], aVals[p*m:(p+1)*m])
		}
	}
	if !av && !bv {
		t.outputs(c.Data, vals, false)
		return c
	}
	ints[0], ints[1], ints[2] = int32(m), int32(k), int32(n)
	ids := ints[6:]
	if av {
		ints[4] = 1
		for i, x := range a.vars {
			ids[i] = x.id
		}
		ids = ids[m*k:]
	}
	if bv {
		ints[5] = 1
		for i, x := range b.vars {
			ids[i] = x.id
		}
	}
	ints[3] = t.outputs(c.Data, vals, true)
	t.CustomCommit(matMulBackward, nInts, nFlts)
	return c
}

func matMulBackward(adj []float64, ints []int32, flts []float64) {
	m, k, n := int(ints[0]), int(ints[1]), int(ints[2])
	out := int(ints[3])
	av, bv := ints[4] != 0, ints[5] != 0
	cbar := adj[out : out+m*n]
	ids := ints[6:]
	var aIDs, bIDs []int32
	if av {
		aIDs, ids = ids[:m*k], ids[m*k:]
	}
	if bv {
		bIDs = ids[:k*n]
	}
	var aVals, bVals []float64
	if bv {
		aVals, flts = flts[:m*k], flts[m*k:]
	}
	if av {
		bVals = flts[:k*n]
	}
	if av { // ā_ip += Σ_j c̄_ij b_pj
		for p := 0; p < k; p++ {
			col := aIDs[p*m : (p+1)*m]
			for j := 0; j < n; j++ {
				bpj := bVals[p+j*k]
				cc := cbar[j*m : (j+1)*m]
				for i, id := range col {
					adj[id] += cc[i] * bpj
				}
			}
		}
	}
	if bv { // b̄_pj += Σ_i a_ip c̄_ij
		for j := 0; j < n; j++ {
			cc := cbar[j*m : (j+1)*m]
			for p := 0; p < k; p++ {
				adj[bIDs[p+j*k]] += floats.Dot(aVals[p*m:(p+1)*m], cc)
			}
		}
	}
}

// ColumnsDotSelf returns the sum of squares of each column of m.
func (t *Tape) ColumnsDotSelf(m Matrix) []Var {
	r := t.vec(m.Cols)
	for j := range r {
		r[j] = t.DotSelf(m.Data[j*m.Rows : (j+1)*m.Rows])
	}
	return r
}

// RowsDotSelf returns the sum of squares of each row of m.
func (t *Tape) RowsDotSelf(m Matrix) []Var {
	r := t.vec(m.Rows)
	for i := range r {
		bd := t.Begin()
		s := 0.0
		for j := 0; j < m.Cols; j++ {
			x := m.Data[i+j*m.Rows]
			s += x.Val * x.Val
			bd.Add(x, 2*x.Val)
		}
		r[i] = bd.End(s)
	}
	return r
}

// Quadform returns xᵀ a x as one statement: ∂/∂a_ij = x_i x_j and
// ∂/∂x = (a + aᵀ) x.
func (t *Tape) Quadform(a Matrix, x []Var) (Var, error) {
	const fn = "quad_form"
	if err := squareCheck(fn, "A", a); err != nil {
		return Var{}, err
	}
	if err := sizeCheck(fn, "Columns of A", a.Cols, "Rows of B", len(x)); err != nil {
		return Var{}, err
	}
	n := len(x)
	w := t.tmp(2 * n) // a x, then aᵀ x
	ax, atx := w[:n], w[n:]
	clear(w)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			v := a.Data[i+j*n].Val
			ax[i] += v * x[j].Val
			atx[j] += v * x[i].Val
		}
	}
	s := 0.0
	bd := t.Begin()
	for i, xi := range x {
		s += xi.Val * ax[i]
		bd.Add(xi, ax[i]+atx[i])
	}
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			bd.Add(a.Data[i+j*n], x[i].Val*x[j].Val)
		}
	}
	return bd.End(s), nil
}

// DiagPreMultiply returns diag(v) m, one node.
func (t *Tape) DiagPreMultiply(v []Var, m Matrix) (Matrix, error) {
	if err := sizeCheck("diag_pre_multiply", "m1.size()", len(v), "m2.rows()", m.Rows); err != nil {
		return Matrix{}, err
	}
	return t.diagScale(v, m, nil), nil
}

// DiagPostMultiply returns m diag(v), one node.
func (t *Tape) DiagPostMultiply(m Matrix, v []Var) (Matrix, error) {
	if err := sizeCheck("diag_post_multiply", "m2.size()", len(v), "m1.cols()", m.Cols); err != nil {
		return Matrix{}, err
	}
	return t.diagScale(nil, m, v), nil
}

// QuadFormDiag returns diag(v) m diag(v) for a square m, one node.
func (t *Tape) QuadFormDiag(m Matrix, v []Var) (Matrix, error) {
	const fn = "quad_form_diag"
	if err := squareCheck(fn, "mat", m); err != nil {
		return Matrix{}, err
	}
	if err := sizeCheck(fn, "rows of mat", m.Rows, "size of vec", len(v)); err != nil {
		return Matrix{}, err
	}
	return t.diagScale(v, m, v), nil
}

// diagScale returns the matrix of a_i m_ij b_j, a or b nil for ones, as
// one custom node. Its reverse pass: m̄_ij += ō_ij a_i b_j, ā_i +=
// Σ_j ō_ij m_ij b_j, b̄_j += Σ_i ō_ij a_i m_ij (a and b may be the same
// Vars, whose adjoints then add up).
//
// Node layout: ints = rows, cols, first output ID, flags (1: a, 2: b, 4: m
// varying), then the IDs of a, b and m (those given); flts = the values
// of a, b (those given) and m.
func (t *Tape) diagScale(a []Var, m Matrix, b []Var) Matrix {
	r, c := m.Rows, m.Cols
	out := Matrix{Rows: r, Cols: c, Data: t.vec(r * c)}
	scale := func(x []Var, k int) float64 {
		if x == nil {
			return 1
		}
		return x[k].Val
	}
	mv := AnyVar(m.Data)
	av, bv := a != nil && AnyVar(a), b != nil && AnyVar(b)
	if !mv && !av && !bv {
		for j := 0; j < c; j++ {
			for i := 0; i < r; i++ {
				out.Data[i+j*r] = Const(scale(a, i) * m.Data[i+j*r].Val * scale(b, j))
			}
		}
		return out
	}
	nInts, nFlts := 4+r*c, r*c
	if a != nil {
		nInts += r
		nFlts += r
	}
	if b != nil {
		nInts += c
		nFlts += c
	}
	ints, flts := t.CustomSpace(nInts, nFlts)
	ints[0], ints[1] = int32(r), int32(c)
	flags := int32(0)
	ids, vals := ints[4:], flts
	if a != nil {
		flags |= 1
		for i, x := range a {
			ids[i], vals[i] = x.id, x.Val
		}
		ids, vals = ids[r:], vals[r:]
	}
	if b != nil {
		flags |= 2
		for j, x := range b {
			ids[j], vals[j] = x.id, x.Val
		}
		ids, vals = ids[c:], vals[c:]
	}
	if mv {
		flags |= 4
	}
	for k, x := range m.Data {
		ids[k], vals[k] = x.id, x.Val
	}
	ints[3] = flags
	ints[2] = t.n
	for j := 0; j < c; j++ {
		for i := 0; i < r; i++ {
			out.Data[i+j*r] = t.Var(scale(a, i) * vals[i+j*r] * scale(b, j))
		}
	}
	t.CustomCommit(diagScaleBackward, nInts, nFlts)
	return out
}

func diagScaleBackward(adj []float64, ints []int32, flts []float64) {
	r, c, out, flags := int(ints[0]), int(ints[1]), int(ints[2]), ints[3]
	ids, vals := ints[4:], flts
	var aIDs, bIDs []int32
	var av, bv []float64
	if flags&1 != 0 {
		aIDs, av, ids, vals = ids[:r], vals[:r], ids[r:], vals[r:]
	}
	if flags&2 != 0 {
		bIDs, bv, ids, vals = ids[:c], vals[:c], ids[c:], vals[c:]
	}
	mIDs, mv := ids[:r*c], vals[:r*c]
	ob := adj[out : out+r*c]
	for j := 0; j < c; j++ {
		bj := 1.0
		if bv != nil {
			bj = bv[j]
		}
		sb := 0.0 // Σ_i ō_ij a_i m_ij
		for i := 0; i < r; i++ {
			k := i + j*r
			ai := 1.0
			if av != nil {
				ai = av[i]
			}
			o := ob[k]
			if flags&4 != 0 {
				adj[mIDs[k]] += o * ai * bj
			}
			if aIDs != nil {
				adj[aIDs[i]] += o * mv[k] * bj
			}
			sb += o * ai * mv[k]
		}
		if bIDs != nil {
			adj[bIDs[j]] += sb
		}
	}
}

// ColumnsDotProduct returns the dot products of the columns of a and b.
func (t *Tape) ColumnsDotProduct(a, b Matrix) ([]Var, error) {
	const fn = "columns_dot_product"
	if err := sizeCheck(fn, "rows of v1", a.Rows, "rows of v2", b.Rows); err != nil {
		return nil, err
	}
	if err := sizeCheck(fn, "columns of v1", a.Cols, "columns of v2", b.Cols); err != nil {
		return nil, err
	}
	r := t.vec(a.Cols)
	for j := range r {
		r[j], _ = t.Dot(a.Data[j*a.Rows:(j+1)*a.Rows], b.Data[j*b.Rows:(j+1)*b.Rows])
	}
	return r, nil
}

// RowsDotProduct returns the dot products of the rows of a and b.
func (t *Tape) RowsDotProduct(a, b Matrix) ([]Var, error) {
	const fn = "rows_dot_product"
	if err := sizeCheck(fn, "rows of v1", a.Rows, "rows of v2", b.Rows); err != nil {
		return nil, err
	}
	if err := sizeCheck(fn, "columns of v1", a.Cols, "columns of v2", b.Cols); err != nil {
		return nil, err
	}
	r := t.vec(a.Rows)
	for i := range r {
		bd := t.Begin()
		s := 0.0
		for j := 0; j < a.Cols; j++ {
			x, y := a.Data[i+j*a.Rows], b.Data[i+j*b.Rows]
			s += x.Val * y.Val
			bd.Add(x, y.Val)
			bd.Add(y, x.Val)
		}
		r[i] = bd.End(s)
	}
	return r, nil
}

// Trace returns the sum of the diagonal of m.
func (t *Tape) Trace(m Matrix) Var {
	bd := t.Begin()
	s := 0.0
	for i := 0; i < min(m.Rows, m.Cols); i++ {
		x := m.Data[i+i*m.Rows]
		s += x.Val
		bd.Add(x, 1)
	}
	return bd.End(s)
}

// VecMat returns the product of the row vector x and a.
func (t *Tape) VecMat(x []Var, a Matrix) ([]Var, error) {
	if err := sizeCheck(multiply, "Columns of m1", len(x), "Rows of m2", a.Rows); err != nil {
		return nil, err
	}
	return t.matMul(operand{rows: 1, cols: len(x), vars: x}, varOperand(a)).Data, nil
}

// sameShape returns Stan's error for matrices of different shapes.
func sameShape(fn string, a, b Matrix) error {
	if err := sizeCheck(fn, "Rows of m1", a.Rows, "rows of m2", b.Rows); err != nil {
		return err
	}
	return sizeCheck(fn, "Columns of m1", a.Cols, "columns of m2", b.Cols)
}

// AddMatrix returns a + b.
func (t *Tape) AddMatrix(a, b Matrix) (Matrix, error) {
	if err := sameShape("add", a, b); err != nil {
		return Matrix{}, err
	}
	r := t.Matrix(a.Rows, a.Cols)
	for i := range r.Data {
		r.Data[i] = t.Add(a.Data[i], b.Data[i])
	}
	return r, nil
}

// SubMatrix returns a - b.
func (t *Tape) SubMatrix(a, b Matrix) (Matrix, error) {
	if err := sameShape("subtract", a, b); err != nil {
		return Matrix{}, err
	}
	r := t.Matrix(a.Rows, a.Cols)
	for i := range r.Data {
		r.Data[i] = t.Sub(a.Data[i], b.Data[i])
	}
	return r, nil
}

// ElemMulMatrix returns a .* b.
func (t *Tape) ElemMulMatrix(a, b Matrix) (Matrix, error) {
	if err := sameShape("elt_multiply", a, b); err != nil {
		return Matrix{}, err
	}
	r := t.Matrix(a.Rows, a.Cols)
	for i := range r.Data {
		r.Data[i] = t.Mul(a.Data[i], b.Data[i])
	}
	return r, nil
}

// ElemDivMatrix returns a ./ b.
func (t *Tape) ElemDivMatrix(a, b Matrix) (Matrix, error) {
	if err := sameShape("elt_divide", a, b); err != nil {
		return Matrix{}, err
	}
	r := t.Matrix(a.Rows, a.Cols)
	for i := range r.Data {
		r.Data[i] = t.Div(a.Data[i], b.Data[i])
	}
	return r, nil
}

// ScaleMatrix returns s m.
func (t *Tape) ScaleMatrix(m Matrix, s Var) Matrix {
	return Matrix{Rows: m.Rows, Cols: m.Cols, Data: t.MulScalar(m.Data, s)}
}
