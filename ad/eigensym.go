package ad

import (
	"fmt"
	"math"
)

// SymEigen computes the eigenvalues and eigenvectors of a symmetric matrix
// the way Stan 2.21 did for autodiff variables: by running Eigen 3.3's
// SelfAdjointEigenSolver on them, so that the gradient is the derivative of
// the algorithm rather than the analytic derivative of the decomposition.
// The two differ where eigenvalues nearly coincide (the QR iteration stops
// once an off-diagonal entry is negligible, and the derivative of that
// entry is dropped with it).
//
// The algorithm, step by step as Eigen takes it:
//   - copy the lower triangle (the upper one is never read) and divide it by
//     its largest absolute entry;
//   - reduce it to tridiagonal form with Householder reflections
//     (Golub & Van Loan, algorithm 8.3.1), accumulating Q when eigenvectors
//     are wanted;
//   - run implicit symmetric QR steps with Wilkinson shifts (algorithm
//     8.3.2) on the trailing unreduced block, after setting to zero every
//     off-diagonal entry e_i with |e_i| < DBL_MIN or
//     (e_i/ε)² ≤ |d_i| + |d_{i+1}|, for at most 30·n steps (the older
//     Eigen 3.3 test |e_i| ≤ 2ε(|d_i| + |d_{i+1}|) gives the same
//     gradients on the golden points of kronecker_gp to 1e-10);
//   - sort the eigenvalues ascending by repeated selection of the minimum,
//     swapping eigenvector columns along;
//   - multiply the eigenvalues by the scale.
//
// Every arithmetic step is an ordinary tape operation (sums of products are
// recorded as one statement each), so a SymEigen on a nil tape or on
// constants records nothing. A SymEigen keeps its working memory between
// calls: after the first call of a given size it allocates nothing.
type SymEigen struct {
	n                  int
	a                  []Var // n×n column-major: the matrix, then Q
	diag, sub, h, work []Var
}

func (w *SymEigen) resize(n int) {
	if w.n == n && w.a != nil {
		return
	}
	w.n = n
	w.a = make([]Var, n*n)
	w.diag = make([]Var, n)
	w.sub = make([]Var, n)
	w.h = make([]Var, n)
	w.work = make([]Var, n)
}

// dblMin is C's DBL_MIN, the smallest normal double.
const dblMin = 0x1p-1022

// negligible is Eigen's deflation test for the off-diagonal entry e
// between the diagonal entries d0 and d1 (of the matrix scaled to [-1, 1]):
// |e| < DBL_MIN, or |e| ≤ ε·sqrt(|d0| + |d1|) evaluated as (e/ε)² ≤ |d0| +
// |d1| to avoid underflow.
func negligible(e, d0, d1 float64) bool {
	if math.Abs(e) < dblMin {
		return true
	}
	s := e / 0x1p-52
	return s*s <= math.Abs(d0)+math.Abs(d1)
}

// eigenMaxIterations is Eigen's m_maxIterations: the QR iteration gives up
// after this many steps per row.
const eigenMaxIterations = 30

// Compute decomposes the symmetric matrix a, reading only its lower
// triangle once it has checked, as Stan does, that a is square, not empty
// and symmetric to 1e-8. It returns the eigenvalues in ascending order and,
// when vectors is set, the eigenvectors as the columns of an n×n
// column-major matrix (nil otherwise). Both slices belong to w and are
// valid until its next call. Should the QR iteration not converge within
// 30·n steps, the values come back unsorted and unconverged, as Eigen
// leaves them and Stan returns them.
func (w *SymEigen) Compute(t *Tape, a Matrix, vectors bool) (vals, vecs []Var, err error) {
	fn := "eigenvalues_sym"
	if vectors {
		fn = "eigenvectors_sym"
	}
	if err := squareCheck(fn, "m", a); err != nil {
		return nil, nil, err
	}
	n := a.Rows
	if n == 0 {
		return nil, nil, &MatrixError{fn, "m has size 0, but must have a non-zero size"}
	}
	for j := range n {
		for i := j + 1; i < n; i++ {
			if lo, up := a.Data[i+j*n].Val, a.Data[j+i*n].Val; !(math.Abs(lo-up) <= symmetryTol) {
				return nil, nil, &MatrixError{fn, fmt.Sprintf("m is not symmetric. m[%d,%d] = %v, but m[%d,%d] = %v",
					j+1, i+1, up, i+1, j+1, lo)}
			}
		}
	}
	w.resize(n)
	m := w.a
	if n == 1 {
		w.diag[0] = a.Data[0]
		m[0] = Const(1)
		if !vectors {
			m = nil
		}
		return w.diag[:1], m, nil
	}
	// The lower triangle, scaled to [-1, 1] by its largest absolute entry
	// (the first one in column-major order on ties).
	big := 0
	for j := range n {
		for i := range n {
			k := i + j*n
			if i < j {
				m[k] = Const(0)
				continue
			}
			m[k] = a.Data[k]
			if math.Abs(m[k].Val) > math.Abs(m[big].Val) {
				big = k
			}
		}
	}
	scale := t.Abs(m[big])
	if scale.Val == 0 {
		scale = Const(1)
	}
	for j := range n {
		for i := j; i < n; i++ {
			m[i+j*n] = t.Div(m[i+j*n], scale)
		}
	}
	w.tridiagonalize(t)
	diag, sub := w.diag[:n], w.sub[:n-1]
	for i := range n {
		diag[i] = m[i+i*n]
		if i < n-1 {
			sub[i] = m[i+1+i*n]
		}
	}
	if vectors {
		w.householderQ(t)
	}
	if w.qr(t, vectors) {
		for i := 0; i < n-1; i++ {
			k := i
			for j := i + 1; j < n; j++ {
				if diag[j].Val < diag[k].Val {
					k = j
				}
			}
			if k > i {
				diag[i], diag[k] = diag[k], diag[i]
				if vectors {
					ci, ck := m[i*n:(i+1)*n], m[k*n:(k+1)*n]
					for r := range n {
						ci[r], ck[r] = ck[r], ci[r]
					}
				}
			}
		}
	}
	for i := range diag {
		diag[i] = t.Mul(diag[i], scale)
	}
	if !vectors {
		m = nil
	}
	return diag, m, nil
}

// tridiagonalize reduces the lower triangle of w.a in place: afterwards its
// diagonal and subdiagonal are the tridiagonal matrix, column i below the
// subdiagonal holds the essential part of the i-th Householder vector, and
// w.h[i] its coefficient.
func (w *SymEigen) tridiagonalize(t *Tape) {
	n, m := w.n, w.a
	at := func(r, c int) *Var { return &m[r+c*n] }
	for i := 0; i < n-1; i++ {
		rs := n - i - 1
		v := m[i+1+i*n : n+i*n] // column i below the diagonal
		// The Householder reflection that maps v onto beta·e1.
		c0 := v[0]
		tail := Const(0)
		if rs > 1 {
			tail = t.DotSelf(v[1:])
		}
		var tau, beta Var
		if tail.Val <= dblMin {
			tau, beta = Const(0), c0
			for k := 1; k < rs; k++ {
				v[k] = Const(0)
			}
		} else {
			beta = t.Sqrt(t.Add(t.Mul(c0, c0), tail))
			if c0.Val >= 0 {
				beta = t.Neg(beta)
			}
			d := t.Sub(c0, beta)
			for k := 1; k < rs; k++ {
				v[k] = t.Div(v[k], d)
			}
			tau = t.Div(t.Sub(beta, c0), beta)
		}
		v[0] = Const(1)
		// y = A·(tau·v) on the trailing block (read symmetrically from its
		// lower triangle), then y += (-tau/2 · yᵀv)·v.
		hv := w.work[:rs]
		for k := range hv {
			hv[k] = t.Mul(tau, v[k])
		}
		y := w.h[i : n-1]
		for r := range rs {
			b := t.Begin()
			s := 0.0
			for c := range rs {
				e := at(i+1+max(r, c), i+1+min(r, c))
				s += e.Val * hv[c].Val
				b.Add(*e, hv[c].Val)
				b.Add(hv[c], e.Val)
			}
			y[r] = b.End(s)
		}
		dot, _ := t.Dot(y, v) // both of length rs
		alpha := t.Mul(t.Mul(tau, Const(-0.5)), dot)
		for k := range rs {
			y[k] = t.Add(y[k], t.Mul(alpha, v[k]))
		}
		// Rank-2 update of the trailing lower triangle: A -= v yᵀ + y vᵀ.
		for c := range rs {
			for r := c; r < rs; r++ {
				e := at(i+1+r, i+1+c)
				b := t.Begin()
				b.Add(*e, 1)
				b.Add(v[c], -y[r].Val)
				b.Add(y[r], -v[c].Val)
				b.Add(y[c], -v[r].Val)
				b.Add(v[r], -y[c].Val)
				*e = b.End(e.Val - v[c].Val*y[r].Val - y[c].Val*v[r].Val)
			}
		}
		v[0] = beta
		w.h[i] = tau
	}
}

// householderQ overwrites w.a with Q = H_0 H_1 ... H_{n-2}, applying the
// reflections from the last to the first to the identity in place.
func (w *SymEigen) householderQ(t *Tape) {
	n, m := w.n, w.a
	for j := range n {
		m[j+j*n] = Const(1)
		for i := range j {
			m[i+j*n] = Const(0)
		}
	}
	tmp := w.work
	for k := n - 2; k >= 0; k-- {
		cs := n - k - 1 // the trailing cs×cs block, rows and columns k+1..
		off := k + 1
		ess := m[k+2+k*n : n+k*n]
		tau := w.h[k]
		blk := func(r, c int) *Var { return &m[off+r+(off+c)*n] }
		if cs == 1 {
			f := t.Sub(Const(1), tau)
			*blk(0, 0) = t.Mul(*blk(0, 0), f)
		} else if tau.Val != 0 {
			for c := range cs {
				b := t.Begin()
				top := blk(0, c)
				s := top.Val
				b.Add(*top, 1)
				for r, e := range ess {
					x := blk(r+1, c)
					s += e.Val * x.Val
					b.Add(e, x.Val)
					b.Add(*x, e.Val)
				}
				tmp[c] = b.End(s)
			}
			for c := range cs {
				top := blk(0, c)
				b := t.Begin()
				b.Add(*top, 1)
				b.Add(tau, -tmp[c].Val)
				b.Add(tmp[c], -tau.Val)
				*top = b.End(top.Val - tau.Val*tmp[c].Val)
				for r, e := range ess {
					x := blk(r+1, c)
					b := t.Begin()
					b.Add(*x, 1)
					b.Add(tau, -e.Val*tmp[c].Val)
					b.Add(e, -tau.Val*tmp[c].Val)
					b.Add(tmp[c], -tau.Val*e.Val)
					*x = b.End(x.Val - tau.Val*e.Val*tmp[c].Val)
				}
			}
		}
		for r := k + 1; r < n; r++ {
			m[r+k*n] = Const(0)
		}
	}
}

// qr runs the implicit symmetric QR iteration on w.diag and w.sub,
// rotating the columns of w.a along when vectors is set. It reports whether
// it converged within eigenMaxIterations·n steps.
func (w *SymEigen) qr(t *Tape, vectors bool) bool {
	n := w.n
	diag, sub := w.diag, w.sub
	end, start, iter := n-1, 0, 0
	for end > 0 {
		for i := start; i < end; i++ {
			if negligible(sub[i].Val, diag[i].Val, diag[i+1].Val) {
				sub[i] = Const(0)
			}
		}
		for end > 0 && sub[end-1].Val == 0 {
			end--
		}
		if end <= 0 {
			break
		}
		iter++
		if iter > eigenMaxIterations*n {
			return false
		}
		start = end - 1
		for start > 0 && sub[start-1].Val != 0 {
			start--
		}
		w.qrStep(t, start, end, vectors)
	}
	return true
}

// qrStep is one implicit QR step with Wilkinson shift on the block
// start..end of the tridiagonal matrix.
func (w *SymEigen) qrStep(t *Tape, start, end int, vectors bool) {
	n := w.n
	diag, sub, q := w.diag, w.sub, w.a
	td := t.Mul(t.Sub(diag[end-1], diag[end]), Const(0.5))
	e := sub[end-1]
	mu := diag[end]
	if td.Val == 0 {
		mu = t.Sub(mu, t.Abs(e))
	} else {
		h := t.Hypot(td, e)
		if td.Val < 0 {
			h = t.Neg(h)
		}
		mu = t.Sub(mu, t.Div(t.Mul(e, e), t.Add(td, h)))
	}
	x := t.Sub(diag[start], mu)
	z := sub[start]
	for k := start; k < end; k++ {
		c, s := givens(t, x, z)
		// T = Gᵀ T G on rows and columns k, k+1.
		sdk := t.Add(t.Mul(s, diag[k]), t.Mul(c, sub[k]))
		dkp1 := t.Add(t.Mul(s, sub[k]), t.Mul(c, diag[k+1]))
		dk := t.Sub(
			t.Mul(c, t.Sub(t.Mul(c, diag[k]), t.Mul(s, sub[k]))),
			t.Mul(s, t.Sub(t.Mul(c, sub[k]), t.Mul(s, diag[k+1]))))
		diag[k] = dk
		diag[k+1] = t.Add(t.Mul(s, sdk), t.Mul(c, dkp1))
		sub[k] = t.Sub(t.Mul(c, sdk), t.Mul(s, dkp1))
		if k > start {
			sub[k-1] = t.Sub(t.Mul(c, sub[k-1]), t.Mul(s, z))
		}
		x = sub[k]
		if k < end-1 {
			z = t.Neg(t.Mul(s, sub[k+1]))
			sub[k+1] = t.Mul(c, sub[k+1])
		}
		// Q = Q G on columns k, k+1.
		if vectors && !(c.Val == 1 && s.Val == 0) {
			qk, qk1 := q[k*n:(k+1)*n], q[(k+1)*n:(k+2)*n]
			for r := range n {
				a, b := qk[r], qk1[r]
				bd := t.Begin()
				bd.Add(c, a.Val)
				bd.Add(a, c.Val)
				bd.Add(s, -b.Val)
				bd.Add(b, -s.Val)
				qk[r] = bd.End(c.Val*a.Val - s.Val*b.Val)
				bd = t.Begin()
				bd.Add(s, a.Val)
				bd.Add(a, s.Val)
				bd.Add(c, b.Val)
				bd.Add(b, c.Val)
				qk1[r] = bd.End(s.Val*a.Val + c.Val*b.Val)
			}
		}
	}
}

// givens returns the Givens rotation (c, s) that Eigen's
// JacobiRotation::makeGivens makes for real (p, q): [c -s; s c]ᵀ (p, q) =
// (r, 0), with c > 0 when |p| > |q| and p > 0.
func givens(t *Tape, p, q Var) (c, s Var) {
	switch {
	case q.Val == 0:
		c = Const(1)
		if p.Val < 0 {
			c = Const(-1)
		}
		return c, Const(0)
	case p.Val == 0:
		s = Const(-1)
		if q.Val < 0 {
			s = Const(1)
		}
		return Const(0), s
	case math.Abs(p.Val) > math.Abs(q.Val):
		r := t.Div(q, p)
		u := t.Sqrt(t.Add(Const(1), t.Mul(r, r)))
		if p.Val < 0 {
			u = t.Neg(u)
		}
		c = t.Div(Const(1), u)
		return c, t.Neg(t.Mul(r, c))
	default:
		r := t.Div(p, q)
		u := t.Sqrt(t.Add(Const(1), t.Mul(r, r)))
		if q.Val < 0 {
			u = t.Neg(u)
		}
		s = t.Neg(t.Div(Const(1), u))
		return t.Neg(t.Mul(r, s)), s
	}
}
