package compile

import (
	"fmt"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Sparse matrices in compressed row storage, as Stan's csr_* functions
// hold them: w the nonzero values row by row, v their 1-based columns,
// u the 1-based index in w of each row's first value, with u[m+1] one past
// the last.

// addSparse defines the csr_* functions.
func (l *library) addSparse() {
	// each calls f on the nonzero entries of a matrix, row by row.
	each := func(m *value, f func(i, j int, x ad.Var)) {
		r, c := m.Dims[0], m.Dims[1]
		for i := range r {
			for j := range c {
				if x := m.R[i+j*r]; x.Val != 0 {
					f(i, j, x)
				}
			}
		}
	}
	l.fn("csr_extract_w", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fm, buf := a[0].v, c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			m, b := fm(e), buf.of(e)
			n := 0
			each(m, func(int, int, ad.Var) { n++ })
			b.shape([]int{n}, false)
			k := 0
			each(m, func(_, _ int, x ad.Var) { b.R[k] = x; k++ })
			return b
		}}, nil
	})
	l.fn("csr_extract_v", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fm, buf := a[0].v, c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			m, b := fm(e), buf.of(e)
			n := 0
			each(m, func(int, int, ad.Var) { n++ })
			b.shape([]int{n}, true)
			k := 0
			each(m, func(_, j int, _ ad.Var) { b.I[k] = j + 1; k++ })
			return b
		}}, nil
	})
	l.fn("csr_extract_u", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fm, buf := a[0].v, c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			m, b := fm(e), buf.of(e)
			rows := m.Dims[0]
			b.shape([]int{rows + 1}, true)
			clear(b.I)
			each(m, func(i, _ int, _ ad.Var) { b.I[i+1]++ })
			b.I[0] = 1
			for i := 1; i <= rows; i++ {
				b.I[i] += b.I[i-1]
			}
			return b
		}}, nil
	})
	l.fn("csr_to_dense_matrix", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fm, fn, fw, fv, fu := a[0].i, a[1].i, a[2].v, a[3].v, a[4].v
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			m, n, w, v, u := fm(e), fn(e), fw(e).R, fv(e).I, fu(e).I
			if err := csrCheck("csr_to_dense_matrix", m, n, w, v, u); err != nil {
				fail(pos, "%v", err)
			}
			b := buf.of(e)
			b.shape([]int{m, n}, false)
			clear(b.R)
			for i := range m {
				for k := u[i] - 1; k < u[i+1]-1; k++ {
					b.R[i+(v[k]-1)*m] = w[k]
				}
			}
			return b
		}}, nil
	})
	l.fn("csr_matrix_times_vector", func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		fm, fn, fw, fv, fu, fb := a[0].i, a[1].i, a[2].v, a[3].v, a[4].v, a[5].v
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			m, n, w, v, u, x := fm(e), fn(e), fw(e).R, fv(e).I, fu(e).I, fb(e).R
			if err := csrCheck("csr_matrix_times_vector", m, n, w, v, u); err != nil {
				fail(pos, "%v", err)
			}
			if len(x) != n {
				fail(pos, "csr_matrix_times_vector: b has size %d, but must have size n = %d", len(x), n)
			}
			out := buf.of(e)
			out.shape([]int{m}, false)
			for i := range m {
				bd := e.t.Begin()
				s := 0.0
				for k := u[i] - 1; k < u[i+1]-1; k++ {
					y := x[v[k]-1]
					s += w[k].Val * y.Val
					bd.Add(w[k], y.Val)
					bd.Add(y, w[k].Val)
				}
				out.R[i] = bd.End(s)
			}
			return out
		}}, nil
	})
}

// csrCheck checks a compressed row storage of an m×n matrix, as Stan
// does: positive sizes, m+1 row starts rising from 1 to len(w)+1, a
// column in [1, n] for each value.
func csrCheck(fn string, m, n int, w []ad.Var, v, u []int) error {
	switch {
	case m <= 0 || n <= 0:
		return fmt.Errorf("%s: m and n are %d and %d, but must be positive", fn, m, n)
	case len(u) != m+1:
		return fmt.Errorf("%s: u has size %d, but must have size m + 1 = %d", fn, len(u), m+1)
	case len(v) != len(w):
		return fmt.Errorf("%s: v has size %d, but must have the size of w, %d", fn, len(v), len(w))
	case u[0] != 1 || u[m] != len(w)+1:
		return fmt.Errorf("%s: u must start at 1 and end at size(w) + 1 = %d, but is %d ... %d", fn, len(w)+1, u[0], u[m])
	}
	for i := range m {
		if u[i+1] < u[i] {
			return fmt.Errorf("%s: u[%d] = %d is less than u[%d] = %d", fn, i+2, u[i+1], i+1, u[i])
		}
	}
	for k, j := range v {
		if j < 1 || j > n {
			return fmt.Errorf("%s: v[%d] is %d, but must be in the interval [1, %d]", fn, k+1, j, n)
		}
	}
	return nil
}
