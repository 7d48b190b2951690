package ad

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// Decompositions, solves, inverses and determinants. Each records one custom
// node (or, for LogDeterminant, one statement) when an operand is a
// variable. Matrices are column-major throughout.

// symmetryTol is Stan's absolute tolerance for check_symmetric.
const symmetryTol = 1e-8

// lowerVar reports whether some element on or below the diagonal of the
// square matrix a is a variable.
func lowerVar(a Matrix) bool {
	n := a.Rows
	for j := 0; j < n; j++ {
		if AnyVar(a.Data[j+j*n : (j+1)*n]) {
			return true
		}
	}
	return false
}

// solveHeader is the start of a solve node's ints (the triangular, LU
// and SPD solves of a matrix against a right-hand side): the order n,
// the right-hand side's other dimension k, the first output's slot, and
// whether the matrix and the right-hand side are variables. The node's
// own ints follow, from solveHeaderLen.
type solveHeader struct {
	n, k, out      int
	matVar, rhsVar bool
}

// solveHeaderLen is the ints a solveHeader takes.
const solveHeaderLen = 5

// put writes h to the start of ints.
func (h solveHeader) put(ints []int32) {
	ints[0], ints[1], ints[2], ints[3], ints[4] = int32(h.n), int32(h.k), int32(h.out), 0, 0
	if h.matVar {
		ints[3] = 1
	}
	if h.rhsVar {
		ints[4] = 1
	}
}

// readSolveHeader reads the solveHeader at the start of ints.
func readSolveHeader(ints []int32) solveHeader {
	return solveHeader{n: int(ints[0]), k: int(ints[1]), out: int(ints[2]), matVar: ints[3] != 0, rhsVar: ints[4] != 0}
}

// lowerIDs writes the tape slots of the square a's lower triangle, column
// by column, to ids and returns the rest of ids: how the nodes over a
// triangular or symmetric argument record it.
func lowerIDs(ids []int32, a Matrix) []int32 {
	n, q := a.Rows, 0
	for j := 0; j < n; j++ {
		for i := j; i < n; i++ {
			ids[q] = a.Data[i+j*n].id
			q++
		}
	}
	return ids[q:]
}

// choleskyInto checks that the square a is symmetric (to Stan's absolute
// tolerance) and writes its Cholesky factor into l (n², upper triangle
// zero). It reads only a's lower triangle beyond the symmetry check.
func choleskyInto(l []float64, a Matrix, fn, name string) error {
	n := a.Rows
	for j := 0; j < n; j++ {
		for i := j + 1; i < n; i++ {
			if lo, up := a.Data[i+j*n].Val, a.Data[j+i*n].Val; math.Abs(lo-up) > symmetryTol {
				return &MatrixError{fn, fmt.Sprintf("Matrix %s is not symmetric. %s[%d,%d] = %v, but %s[%d,%d] = %v",
					name, name, j+1, i+1, up, name, i+1, j+1, lo)}
			}
		}
	}
	clear(l)
	if n >= cholBlockedFrom {
		// dpotrf on the row-major upper triangle, which is the
		// column-major lower one: it computes Uᵀ U = a with U = Lᵀ.
		for j := 0; j < n; j++ {
			for i, x := range a.Data[j*n+j : (j+1)*n] {
				l[j*n+j+i] = x.Val
			}
		}
		if _, ok := lapack64.Potrf(blas64.Symmetric{Uplo: blas.Upper, N: n, Stride: n, Data: l}); !ok {
			return &MatrixError{fn, "Matrix " + name + " is not positive definite"}
		}
		return nil
	}
	// Left-looking column Cholesky: column j is a's column j less the
	// contributions of the finished columns, scaled by its pivot.
	for j := 0; j < n; j++ {
		col := l[j*n+j : (j+1)*n] // rows j.. of column j
		for i, x := range a.Data[j*n+j : (j+1)*n] {
			col[i] = x.Val
		}
		for k := 0; k < j; k++ {
			ck := l[k*n+j : (k+1)*n]
			ljk := ck[0]
			ck = ck[:len(col)]
			for i, v := range ck {
				col[i] -= v * ljk
			}
		}
		if !(col[0] > 0) {
			return &MatrixError{fn, "Matrix " + name + " is not positive definite"}
		}
		d := math.Sqrt(col[0])
		col[0] = d
		for i := range col[1:] {
			col[i+1] /= d
		}
	}
	return nil
}

// CholeskyDecompose returns the lower-triangular L with L Lᵀ = a for a
// symmetric positive-definite a. Only the lower triangle of a is read (after
// the symmetry check), so its adjoint flows to the lower triangle.
func (t *Tape) CholeskyDecompose(a Matrix) (Matrix, error) {
	const fn = "cholesky_decompose"
	if err := squareCheck(fn, "m", a); err != nil {
		return Matrix{}, err
	}
	n := a.Rows
	l := t.tmp(n * n)
	if err := choleskyInto(l, a, fn, "m"); err != nil {
		return Matrix{}, err
	}
	r := Matrix{Rows: n, Cols: n, Data: t.vec(n * n)}
	if !lowerVar(a) {
		t.outputs(r.Data, l, false)
		return r, nil
	}
	// ints: n, first output ID, then the IDs of a's lower triangle by
	// column; flts: L, then n² (and for a large n a block's) of working
	// memory for the reverse pass.
	nl := n * (n + 1) / 2
	nFlts := 2*n*n + choleskyScratch(n)
	ints, flts := t.CustomSpace(2+nl, nFlts)
	ints[0] = int32(n)
	copy(flts, l)
	lowerIDs(ints[2:], a)
	ints[1] = t.n
	for j := 0; j < n; j++ {
		for i := j; i < n; i++ {
			r.Data[i+j*n] = t.Var(l[i+j*n])
		}
	}
	t.CustomCommit(choleskyBackward, 2+nl, nFlts)
	return r, nil
}

// Sizes of the blocked Cholesky: from cholBlockedFrom rows on, the
// factorization is LAPACK's blocked dpotrf (gonum) and its adjoint Murray's
// blocked algorithm, in blocks of cholBlock columns, whose work is mostly
// matrix products.
const (
	cholBlockedFrom = 64
	cholBlock       = 32
)

// choleskyScratch is the working memory a factor of size n needs in its
// node beyond L and L̄: one block's products.
func choleskyScratch(n int) int {
	if n < cholBlockedFrom {
		return 0
	}
	return cholBlock * cholBlock
}

// choleskyBackward turns L̄ into the adjoint of a's lower triangle by the
// reverse-mode algorithms of Murray 2016, "Differentiation of the Cholesky
// decomposition": unblocked (section 3.2) for small n, blocked (section
// 3.3) for large n; about n³/3 multiply-adds either way.
func choleskyBackward(adj []float64, ints []int32, flts []float64) {
	n := int(ints[0])
	out := int(ints[1])
	ids := ints[2:]
	l, w := flts[:n*n], flts[n*n:2*n*n]
	k := out
	for j := 0; j < n; j++ {
		for i := j; i < n; i++ {
			w[i+j*n] = adj[k]
			k++
		}
	}
	if n < cholBlockedFrom {
		cholRevUnblocked(l, w, n, n)
	} else {
		cholRevBlocked(l, w, flts[2*n*n:], n, cholBlock)
	}
	k = 0
	for j := 0; j < n; j++ {
		for i := j; i < n; i++ {
			adj[ids[k]] += w[i+j*n]
			k++
		}
	}
}

// cholRevUnblocked is Murray's unblocked algorithm on the nb×nb block of
// L at l and of L̄ at w (column-major, leading dimension ld), in place on
// w's lower triangle, one column at a time from the last.
func cholRevUnblocked(l, w []float64, nb, ld int) {
	for j := nb - 1; j >= 0; j-- {
		// Partition at column j: d = L_jj, c = L[j+1:, j], r = L[j, :j],
		// B = L[j+1:, :j], and the same for the adjoints in w.
		d := l[j+j*ld]
		c := l[j+1+j*ld : nb+j*ld]
		cbar := w[j+1+j*ld : nb+j*ld]
		cbar = cbar[:len(c)]
		dbar := w[j+j*ld]
		for i, v := range c {
			dbar -= v * cbar[i] / d
		}
		dbar /= d
		for i := range cbar {
			cbar[i] /= d
		}
		for q := 0; q < j; q++ {
			rq := l[j+q*ld]
			bcol := l[j+1+q*ld : nb+q*ld]
			bbar := w[j+1+q*ld : nb+q*ld]
			bcol, bbar = bcol[:len(cbar)], bbar[:len(cbar)]
			s := dbar * rq
			for i, v := range cbar {
				s += v * bcol[i]
				bbar[i] -= v * rq
			}
			w[j+q*ld] -= s
		}
		w[j+j*ld] = dbar / 2
	}
}

// cholRevBlocked is Murray's blocked algorithm on the n×n column-major L
// and L̄ (in place on w's lower triangle), with blocks of nb columns and
// scratch s of nb² floats. For each diagonal block T from the last, with
// B below it, C left of it and D below C:
//
//	B̄ ← B̄ T⁻¹, T̄ ← T̄ - tril(B̄ᵀB), D̄ ← D̄ - B̄ C, C̄ ← C̄ - B̄ᵀD,
//	T̄ ← unblocked(T, T̄), C̄ ← C̄ - (T̄ + T̄ᵀ) C.
//
// gonum's BLAS is row-major, and a column-major block read row-major is
// its transpose, so each step runs on the transposes.
func cholRevBlocked(l, w, s []float64, n, nb int) {
	for j := ((n - 1) / nb) * nb; j >= 0; j -= nb {
		jb := min(nb, n-j)
		m := n - j - jb // rows below the block
		tt := blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: jb, Stride: n, Data: l[j+j*n:]}
		ct := blas64.General{Rows: j, Cols: jb, Stride: n, Data: l[j:]}
		cbt := blas64.General{Rows: j, Cols: jb, Stride: n, Data: w[j:]}
		if m > 0 {
			bbt := blas64.General{Rows: jb, Cols: m, Stride: n, Data: w[j+jb+j*n:]}
			bt := blas64.General{Rows: jb, Cols: m, Stride: n, Data: l[j+jb+j*n:]}
			blas64.Trsm(blas.Left, blas.NoTrans, 1, tt, bbt)
			p := blas64.General{Rows: jb, Cols: jb, Stride: jb, Data: s[:jb*jb]}
			blas64.Gemm(blas.NoTrans, blas.Trans, 1, bbt, bt, 0, p)
			for r := 0; r < jb; r++ {
				for q := 0; q <= r; q++ {
					w[j+r+(j+q)*n] -= s[r*jb+q]
				}
			}
			if j > 0 {
				dbt := blas64.General{Rows: j, Cols: m, Stride: n, Data: w[j+jb:]}
				dt := blas64.General{Rows: j, Cols: m, Stride: n, Data: l[j+jb:]}
				blas64.Gemm(blas.NoTrans, blas.NoTrans, -1, ct, bbt, 1, dbt)
				blas64.Gemm(blas.NoTrans, blas.Trans, -1, dt, bbt, 1, cbt)
			}
		}
		cholRevUnblocked(l[j+j*n:], w[j+j*n:], jb, n)
		if j > 0 {
			// s = T̄ + T̄ᵀ from T̄'s lower triangle.
			for r := 0; r < jb; r++ {
				for q := 0; q <= r; q++ {
					v := w[j+r+(j+q)*n]
					s[r*jb+q], s[q*jb+r] = v, v
				}
				s[r*jb+r] *= 2
			}
			sym := blas64.General{Rows: jb, Cols: jb, Stride: jb, Data: s[:jb*jb]}
			blas64.Gemm(blas.NoTrans, blas.NoTrans, -1, ct, sym, 1, cbt)
		}
	}
}

// solveLowerInPlace overwrites each column of x (n x k) with L⁻¹ x for the
// lower triangle of l (n x n).
func solveLowerInPlace(l []float64, x []float64, n, k int) {
	for c := 0; c < k; c++ {
		xc := x[c*n : (c+1)*n]
		for r := 0; r < n; r++ {
			lr := l[r*n : (r+1)*n]
			xc[r] /= lr[r]
			v := xc[r]
			for i := r + 1; i < n; i++ {
				xc[i] -= lr[i] * v
			}
		}
	}
}

// solveLowerTransInPlace overwrites each column of x with L⁻ᵀ x.
func solveLowerTransInPlace(l []float64, x []float64, n, k int) {
	for c := 0; c < k; c++ {
		xc := x[c*n : (c+1)*n]
		for i := n - 1; i >= 0; i-- {
			li := l[i*n : (i+1)*n]
			s := xc[i]
			for r := i + 1; r < n; r++ {
				s -= li[r] * xc[r]
			}
			xc[i] = s / li[i]
		}
	}
}

// MdivideLeftTriLow returns L⁻¹ b for the lower triangle of the square l.
func (t *Tape) MdivideLeftTriLow(l, b Matrix) (Matrix, error) {
	const fn = "mdivide_left_tri_low"
	if err := squareCheck(fn, "A", l); err != nil {
		return Matrix{}, err
	}
	if err := sizeCheck(fn, "Columns of A", l.Cols, "Rows of b", b.Rows); err != nil {
		return Matrix{}, err
	}
	return t.triLow(l, b), nil
}

// MdivideLeftTriLowVec returns L⁻¹ b for a vector b.
func (t *Tape) MdivideLeftTriLowVec(l Matrix, b []Var) ([]Var, error) {
	r, err := t.MdivideLeftTriLow(l, Matrix{Rows: len(b), Cols: 1, Data: b})
	return r.Data, err
}

// triLow solves L x = b. Node layout: ints = n, k, first output ID, l is
// var, b is var, then the IDs of l's lower triangle (if var) and of b (if
// var); flts = L (upper triangle zero), X (if l is var), n*k of working
// memory.
func (t *Tape) triLow(l, b Matrix) Matrix {
	n, k := l.Rows, b.Cols
	w := t.tmp(n*n + n*k)
	lv, xv := w[:n*n], w[n*n:]
	clear(lv)
	for j := 0; j < n; j++ {
		for i := j; i < n; i++ {
			lv[i+j*n] = l.Data[i+j*n].Val
		}
	}
	for i, x := range b.Data {
		xv[i] = x.Val
	}
	solveLowerInPlace(lv, xv, n, k)
	r := Matrix{Rows: n, Cols: k, Data: t.vec(n * k)}
	isL, isB := lowerVar(l), AnyVar(b.Data)
	if !isL && !isB {
		t.outputs(r.Data, xv, false)
		return r
	}
	nl := n * (n + 1) / 2
	nInts, nFlts := solveHeaderLen, n*n+n*k
	if isL {
		nInts += nl
		nFlts += n * k
	}
	if isB {
		nInts += n * k
	}
	ints, flts := t.CustomSpace(nInts, nFlts)
	copy(flts, lv)
	ids := ints[solveHeaderLen:]
	if isL {
		copy(flts[n*n:], xv)
		ids = lowerIDs(ids, l)
	}
	if isB {
		for i, x := range b.Data {
			ids[i] = x.id
		}
	}
	solveHeader{n: n, k: k, out: int(t.outputs(r.Data, xv, true)), matVar: isL, rhsVar: isB}.put(ints)
	t.CustomCommit(triLowBackward, nInts, nFlts)
	return r
}

// triLowBackward: with x = L⁻¹ b, b̄ += L⁻ᵀ x̄ and L̄ -= (L⁻ᵀ x̄) xᵀ on the
// lower triangle.
func triLowBackward(adj []float64, ints []int32, flts []float64) {
	h := readSolveHeader(ints)
	n, k, out, isL, isB := h.n, h.k, h.out, h.matVar, h.rhsVar
	l := flts[:n*n]
	var x []float64
	if isL {
		x = flts[n*n : n*n+n*k]
	}
	y := flts[len(flts)-n*k:]
	copy(y, adj[out:out+n*k])
	solveLowerTransInPlace(l, y, n, k)
	ids := ints[solveHeaderLen:]
	if isL {
		q := 0
		for j := 0; j < n; j++ {
			for i := j; i < n; i++ {
				s := 0.0
				for c := 0; c < k; c++ {
					s += y[i+c*n] * x[j+c*n]
				}
				adj[ids[q]] -= s
				q++
			}
		}
		ids = ids[n*(n+1)/2:]
	}
	if isB {
		for i, id := range ids[:n*k] {
			adj[id] += y[i]
		}
	}
}

// MdivideRightTriLow returns b L⁻¹ for the lower triangle of the square l:
// the rows of b solved against L from the right, as (L⁻ᵀ bᵀ)ᵀ.
func (t *Tape) MdivideRightTriLow(b, l Matrix) (Matrix, error) {
	const fn = "mdivide_right_tri_low"
	if err := squareCheck(fn, "A", l); err != nil {
		return Matrix{}, err
	}
	if err := sizeCheck(fn, "Columns of b", b.Cols, "Rows of A", l.Rows); err != nil {
		return Matrix{}, err
	}
	n, m := l.Rows, b.Rows
	w := t.tmp(n*n + n*m)
	lv, xt := w[:n*n], w[n*n:] // L, and Xᵀ (n x m) solved in place from bᵀ
	clear(lv)
	for j := 0; j < n; j++ {
		for i := j; i < n; i++ {
			lv[i+j*n] = l.Data[i+j*n].Val
		}
	}
	for j := 0; j < n; j++ {
		for r := 0; r < m; r++ {
			xt[j+r*n] = b.Data[r+j*m].Val
		}
	}
	solveLowerTransInPlace(lv, xt, n, m)
	r := Matrix{Rows: m, Cols: n, Data: t.vec(m * n)}
	isL, isB := lowerVar(l), AnyVar(b.Data)
	if !isL && !isB {
		for j := 0; j < n; j++ {
			for q := 0; q < m; q++ {
				r.Data[q+j*m] = Const(xt[j+q*n])
			}
		}
		return r, nil
	}
	// ints: a solveHeader (k = m), then the IDs of l's lower triangle
	// (if var) and of b (if var); flts: L, Xᵀ (if l is
	// var), n*m of working memory. The outputs are numbered as Xᵀ.
	nl := n * (n + 1) / 2
	nInts, nFlts := solveHeaderLen, n*n+n*m
	if isL {
		nInts += nl
		nFlts += n * m
	}
	if isB {
		nInts += n * m
	}
	ints, flts := t.CustomSpace(nInts, nFlts)
	copy(flts, lv)
	ids := ints[solveHeaderLen:]
	if isL {
		copy(flts[n*n:], xt)
		ids = lowerIDs(ids, l)
	}
	if isB {
		for j := 0; j < n; j++ {
			for q := 0; q < m; q++ {
				ids[j+q*n] = b.Data[q+j*m].id
			}
		}
	}
	solveHeader{n: n, k: m, out: int(t.n), matVar: isL, rhsVar: isB}.put(ints)
	for q := 0; q < m; q++ {
		for j := 0; j < n; j++ {
			r.Data[q+j*m] = t.Var(xt[j+q*n])
		}
	}
	t.CustomCommit(triLowRightBackward, nInts, nFlts)
	return r, nil
}

// triLowRightBackward: with X L = B, B̄ += X̄ L⁻ᵀ (so B̄ᵀ = L⁻¹ X̄ᵀ) and
// L̄ -= Xᵀ B̄ on the lower triangle. Everything is held transposed.
func triLowRightBackward(adj []float64, ints []int32, flts []float64) {
	h := readSolveHeader(ints)
	n, m, out, isL, isB := h.n, h.k, h.out, h.matVar, h.rhsVar
	l := flts[:n*n]
	y := flts[len(flts)-n*m:]
	copy(y, adj[out:out+n*m])
	solveLowerInPlace(l, y, n, m)
	ids := ints[solveHeaderLen:]
	if isL {
		xt := flts[n*n : n*n+n*m]
		q := 0
		for j := 0; j < n; j++ {
			for i := j; i < n; i++ {
				s := 0.0
				for r := 0; r < m; r++ {
					s += xt[i+r*n] * y[j+r*n]
				}
				adj[ids[q]] -= s
				q++
			}
		}
		ids = ids[n*(n+1)/2:]
	}
	if isB {
		for i, id := range ids[:n*m] {
			adj[id] += y[i]
		}
	}
}

// luInPlace factors the column-major n x n matrix a as P a = L U with
// partial pivoting, storing L (unit diagonal, below) and U (on and above)
// in a and the row swapped with row p at step p in piv[p]. A zero pivot is
// left in place: solves then give Inf or NaN, as Stan's do for a singular
// matrix.
func luInPlace(a []float64, piv []int32, n int) {
	for p := 0; p < n; p++ {
		m, big := p, math.Abs(a[p+p*n])
		for i := p + 1; i < n; i++ {
			if v := math.Abs(a[i+p*n]); v > big {
				m, big = i, v
			}
		}
		piv[p] = int32(m)
		if m != p {
			for j := 0; j < n; j++ {
				a[p+j*n], a[m+j*n] = a[m+j*n], a[p+j*n]
			}
		}
		d := a[p+p*n]
		if d == 0 {
			continue
		}
		for i := p + 1; i < n; i++ {
			a[i+p*n] /= d
		}
		for j := p + 1; j < n; j++ {
			f := a[p+j*n]
			if f == 0 {
				continue
			}
			for i := p + 1; i < n; i++ {
				a[i+j*n] -= a[i+p*n] * f
			}
		}
	}
}

// luSolve overwrites each column of x (n x k) with a⁻¹ x, given luInPlace's
// factors.
func luSolve(lu []float64, piv []int32, x []float64, n, k int) {
	for c := 0; c < k; c++ {
		xc := x[c*n : (c+1)*n]
		for p := 0; p < n; p++ {
			xc[p], xc[piv[p]] = xc[piv[p]], xc[p]
		}
		for p := 0; p < n; p++ {
			v := xc[p]
			for i := p + 1; i < n; i++ {
				xc[i] -= lu[i+p*n] * v
			}
		}
		for p := n - 1; p >= 0; p-- {
			xc[p] /= lu[p+p*n]
			v := xc[p]
			for i := 0; i < p; i++ {
				xc[i] -= lu[i+p*n] * v
			}
		}
	}
}

// luSolveTrans overwrites each column of x with a⁻ᵀ x: aᵀ = Uᵀ Lᵀ P, so
// solve with Uᵀ, then Lᵀ, then undo the swaps in reverse order.
func luSolveTrans(lu []float64, piv []int32, x []float64, n, k int) {
	for c := 0; c < k; c++ {
		xc := x[c*n : (c+1)*n]
		for p := 0; p < n; p++ {
			s := xc[p]
			for i := 0; i < p; i++ {
				s -= lu[i+p*n] * xc[i]
			}
			xc[p] = s / lu[p+p*n]
		}
		for p := n - 1; p >= 0; p-- {
			s := xc[p]
			for i := p + 1; i < n; i++ {
				s -= lu[i+p*n] * xc[i]
			}
			xc[p] = s
		}
		for p := n - 1; p >= 0; p-- {
			xc[p], xc[piv[p]] = xc[piv[p]], xc[p]
		}
	}
}

// MdivideLeft returns a⁻¹ b for a square a, by LU with partial pivoting.
func (t *Tape) MdivideLeft(a, b Matrix) (Matrix, error) {
	const fn = "mdivide_left"
	if err := squareCheck(fn, "A", a); err != nil {
		return Matrix{}, err
	}
	if err := sizeCheck(fn, "Columns of A", a.Cols, "Rows of b", b.Rows); err != nil {
		return Matrix{}, err
	}
	n, k := a.Rows, b.Cols
	w := t.tmp(n*n + n*k)
	lu, xv := w[:n*n], w[n*n:]
	for i, x := range a.Data {
		lu[i] = x.Val
	}
	for i, x := range b.Data {
		xv[i] = x.Val
	}
	piv := t.tmpInts(n)
	luInPlace(lu, piv, n)
	luSolve(lu, piv, xv, n, k)
	r := Matrix{Rows: n, Cols: k, Data: t.vec(n * k)}
	isA, isB := AnyVar(a.Data), AnyVar(b.Data)
	if !isA && !isB {
		t.outputs(r.Data, xv, false)
		return r, nil
	}
	// ints: a solveHeader, pivots, then the IDs of a (if var) and of b
	// (if var); flts: the LU factors, X (if a is
	// var), n*k of working memory.
	nInts, nFlts := solveHeaderLen+n, n*n+n*k
	if isA {
		nInts += n * n
		nFlts += n * k
	}
	if isB {
		nInts += n * k
	}
	ints, flts := t.CustomSpace(nInts, nFlts)
	copy(ints[solveHeaderLen:], piv)
	copy(flts, lu)
	ids := ints[solveHeaderLen+n:]
	if isA {
		copy(flts[n*n:], xv)
		for i, x := range a.Data {
			ids[i] = x.id
		}
		ids = ids[n*n:]
	}
	if isB {
		for i, x := range b.Data {
			ids[i] = x.id
		}
	}
	solveHeader{n: n, k: k, out: int(t.outputs(r.Data, xv, true)), matVar: isA, rhsVar: isB}.put(ints)
	t.CustomCommit(mdivideLeftBackward, nInts, nFlts)
	return r, nil
}

// MdivideLeftVec returns a⁻¹ b for a vector b.
func (t *Tape) MdivideLeftVec(a Matrix, b []Var) ([]Var, error) {
	r, err := t.MdivideLeft(a, Matrix{Rows: len(b), Cols: 1, Data: b})
	return r.Data, err
}

// mdivideLeftBackward: with x = a⁻¹ b, b̄ += a⁻ᵀ x̄ and ā -= (a⁻ᵀ x̄) xᵀ.
func mdivideLeftBackward(adj []float64, ints []int32, flts []float64) {
	h := readSolveHeader(ints)
	n, k, out, isA, isB := h.n, h.k, h.out, h.matVar, h.rhsVar
	piv := ints[solveHeaderLen : solveHeaderLen+n]
	lu := flts[:n*n]
	y := flts[len(flts)-n*k:]
	copy(y, adj[out:out+n*k])
	luSolveTrans(lu, piv, y, n, k)
	ids := ints[solveHeaderLen+n:]
	if isA {
		x := flts[n*n : n*n+n*k]
		for j := 0; j < n; j++ {
			for i := 0; i < n; i++ {
				s := 0.0
				for c := 0; c < k; c++ {
					s += y[i+c*n] * x[j+c*n]
				}
				adj[ids[i+j*n]] -= s
			}
		}
		ids = ids[n*n:]
	}
	if isB {
		for i, id := range ids[:n*k] {
			adj[id] += y[i]
		}
	}
}

// inverseInto writes a⁻¹ into inv (n²), using lu (n²) as working memory.
func (t *Tape) inverseInto(inv, lu []float64, a Matrix) {
	n := a.Rows
	for i, x := range a.Data {
		lu[i] = x.Val
	}
	piv := t.tmpInts(n)
	luInPlace(lu, piv, n)
	clear(inv)
	for i := 0; i < n; i++ {
		inv[i+i*n] = 1
	}
	luSolve(lu, piv, inv, n, n)
}

// Inverse returns a⁻¹ for a square a.
func (t *Tape) Inverse(a Matrix) (Matrix, error) {
	if err := squareCheck("inverse", "m", a); err != nil {
		return Matrix{}, err
	}
	n := a.Rows
	w := t.tmp(2 * n * n)
	inv, lu := w[:n*n], w[n*n:]
	t.inverseInto(inv, lu, a)
	r := Matrix{Rows: n, Cols: n, Data: t.vec(n * n)}
	if !AnyVar(a.Data) {
		t.outputs(r.Data, inv, false)
		return r, nil
	}
	// ints: n, first output ID, IDs of a; flts: a⁻¹, n² of working memory.
	ints, flts := t.CustomSpace(2+n*n, 2*n*n)
	ints[0] = int32(n)
	for i, x := range a.Data {
		ints[2+i] = x.id
	}
	copy(flts, inv)
	ints[1] = t.outputs(r.Data, inv, true)
	t.CustomCommit(inverseBackward, 2+n*n, 2*n*n)
	return r, nil
}

// inverseBackward: with y = a⁻¹, ā -= yᵀ ȳ yᵀ.
func inverseBackward(adj []float64, ints []int32, flts []float64) {
	n, out := int(ints[0]), int(ints[1])
	ids := ints[2:]
	y, w := flts[:n*n], flts[n*n:2*n*n]
	ybar := adj[out : out+n*n]
	// w = ȳ yᵀ, column j = Σ_r ȳ[:, r] y_jr.
	clear(w)
	for j := 0; j < n; j++ {
		wc := w[j*n : (j+1)*n]
		for r := 0; r < n; r++ {
			f := y[j+r*n]
			yc := ybar[r*n : (r+1)*n]
			for i := range wc {
				wc[i] += yc[i] * f
			}
		}
	}
	// ā_ij -= Σ_r y_ri w_rj.
	for j := 0; j < n; j++ {
		wc := w[j*n : (j+1)*n]
		for i := 0; i < n; i++ {
			yc := y[i*n : (i+1)*n]
			s := 0.0
			for r, v := range yc {
				s += v * wc[r]
			}
			adj[ids[i+j*n]] -= s
		}
	}
}

// LogDeterminant returns log|det a| for a square a, as one statement whose
// partials are a⁻ᵀ.
func (t *Tape) LogDeterminant(a Matrix) (Var, error) {
	if err := squareCheck("log_determinant", "m", a); err != nil {
		return Var{}, err
	}
	n := a.Rows
	w := t.tmp(2 * n * n)
	inv, lu := w[:n*n], w[n*n:]
	if !AnyVar(a.Data) {
		for i, x := range a.Data {
			lu[i] = x.Val
		}
		luInPlace(lu, t.tmpInts(n), n)
		return Const(logAbsDiag(lu, n)), nil
	}
	t.inverseInto(inv, lu, a)
	bd := t.Begin()
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			bd.Add(a.Data[i+j*n], inv[j+i*n])
		}
	}
	return bd.End(logAbsDiag(lu, n)), nil
}

// logAbsDiag returns Σ log|u_pp| over the diagonal of an LU factorization.
func logAbsDiag(lu []float64, n int) float64 {
	s := 0.0
	for p := 0; p < n; p++ {
		s += math.Log(math.Abs(lu[p+p*n]))
	}
	return s
}

// MdivideLeftSpd returns a⁻¹ b for a symmetric positive-definite a, through
// its Cholesky factor. Like CholeskyDecompose it reads a's lower triangle.
func (t *Tape) MdivideLeftSpd(a, b Matrix) (Matrix, error) {
	const fn = "mdivide_left_spd"
	if err := squareCheck(fn, "A", a); err != nil {
		return Matrix{}, err
	}
	if err := sizeCheck(fn, "Columns of A", a.Cols, "Rows of b", b.Rows); err != nil {
		return Matrix{}, err
	}
	n, k := a.Rows, b.Cols
	w := t.tmp(n*n + n*k)
	l, xv := w[:n*n], w[n*n:]
	if err := choleskyInto(l, a, fn, "A"); err != nil {
		return Matrix{}, err
	}
	for i, x := range b.Data {
		xv[i] = x.Val
	}
	solveLowerInPlace(l, xv, n, k)
	solveLowerTransInPlace(l, xv, n, k)
	r := Matrix{Rows: n, Cols: k, Data: t.vec(n * k)}
	isA, isB := lowerVar(a), AnyVar(b.Data)
	if !isA && !isB {
		t.outputs(r.Data, xv, false)
		return r, nil
	}
	// ints: a solveHeader, then the IDs of a's lower triangle (if var)
	// and of b (if var); flts: L, X (if a is var),
	// n*k of working memory.
	nl := n * (n + 1) / 2
	nInts, nFlts := solveHeaderLen, n*n+n*k
	if isA {
		nInts += nl
		nFlts += n * k
	}
	if isB {
		nInts += n * k
	}
	ints, flts := t.CustomSpace(nInts, nFlts)
	copy(flts, l)
	ids := ints[solveHeaderLen:]
	if isA {
		copy(flts[n*n:], xv)
		ids = lowerIDs(ids, a)
	}
	if isB {
		for i, x := range b.Data {
			ids[i] = x.id
		}
	}
	solveHeader{n: n, k: k, out: int(t.outputs(r.Data, xv, true)), matVar: isA, rhsVar: isB}.put(ints)
	t.CustomCommit(mdivideLeftSpdBackward, nInts, nFlts)
	return r, nil
}

// MdivideLeftSpdVec returns a⁻¹ b for a vector b.
func (t *Tape) MdivideLeftSpdVec(a Matrix, b []Var) ([]Var, error) {
	r, err := t.MdivideLeftSpd(a, Matrix{Rows: len(b), Cols: 1, Data: b})
	return r.Data, err
}

// mdivideLeftSpdBackward: with x = a⁻¹ b and y = a⁻¹ x̄, b̄ += y and the
// full ā would be -y xᵀ; a's lower triangle stands for both triangles, so
// ā_ij -= (y xᵀ)_ij + (y xᵀ)_ji below the diagonal.
func mdivideLeftSpdBackward(adj []float64, ints []int32, flts []float64) {
	h := readSolveHeader(ints)
	n, k, out, isA, isB := h.n, h.k, h.out, h.matVar, h.rhsVar
	l := flts[:n*n]
	y := flts[len(flts)-n*k:]
	copy(y, adj[out:out+n*k])
	solveLowerInPlace(l, y, n, k)
	solveLowerTransInPlace(l, y, n, k)
	ids := ints[solveHeaderLen:]
	if isA {
		x := flts[n*n : n*n+n*k]
		q := 0
		for j := 0; j < n; j++ {
			for i := j; i < n; i++ {
				s := 0.0
				for c := 0; c < k; c++ {
					s += y[i+c*n] * x[j+c*n]
					if i != j {
						s += y[j+c*n] * x[i+c*n]
					}
				}
				adj[ids[q]] -= s
				q++
			}
		}
		ids = ids[n*(n+1)/2:]
	}
	if isB {
		for i, id := range ids[:n*k] {
			adj[id] += y[i]
		}
	}
}

// LogDeterminantSpd returns log det a for a symmetric positive-definite a,
// 2 Σ log L_ii, as one statement. Its partials are a⁻¹ on a's lower
// triangle, doubled below the diagonal since each entry there stands for
// both triangles.
func (t *Tape) LogDeterminantSpd(a Matrix) (Var, error) {
	const fn = "log_determinant_spd"
	if err := squareCheck(fn, "m", a); err != nil {
		return Var{}, err
	}
	n := a.Rows
	w := t.tmp(2 * n * n)
	l, inv := w[:n*n], w[n*n:]
	if err := choleskyInto(l, a, fn, "m"); err != nil {
		return Var{}, err
	}
	v := 0.0
	for i := 0; i < n; i++ {
		v += 2 * math.Log(l[i+i*n])
	}
	if !lowerVar(a) {
		return Const(v), nil
	}
	clear(inv)
	for i := 0; i < n; i++ {
		inv[i+i*n] = 1
	}
	solveLowerInPlace(l, inv, n, n)
	solveLowerTransInPlace(l, inv, n, n)
	bd := t.Begin()
	for j := 0; j < n; j++ {
		bd.Add(a.Data[j+j*n], inv[j+j*n])
		for i := j + 1; i < n; i++ {
			bd.Add(a.Data[i+j*n], 2*inv[i+j*n])
		}
	}
	return bd.End(v), nil
}

// MdivideRight returns b a⁻¹ for a square a, as (a⁻ᵀ bᵀ)ᵀ.
func (t *Tape) MdivideRight(b, a Matrix) (Matrix, error) {
	const fn = "mdivide_right"
	if err := squareCheck(fn, "A", a); err != nil {
		return Matrix{}, err
	}
	if err := sizeCheck(fn, "Columns of b", b.Cols, "Rows of A", a.Rows); err != nil {
		return Matrix{}, err
	}
	x, err := t.MdivideLeft(t.Transpose(a), t.Transpose(b))
	if err != nil {
		return Matrix{}, err
	}
	return t.Transpose(x), nil
}
