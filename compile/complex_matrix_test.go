package compile

import (
	"math/cmplx"
	"strconv"
	"strings"
	"testing"
)

// cmat is a complex matrix for the tests' hand computations, column-major
// as Stan stores it; a vector is a column, a row vector a row.
type cmat struct {
	r, c int
	a    []complex128
}

func (m cmat) at(i, j int) complex128 { return m.a[i+j*m.r] }

func cnew(r, c int, f func(i, j int) complex128) cmat {
	m := cmat{r, c, make([]complex128, r*c)}
	for j := range c {
		for i := range r {
			m.a[i+j*r] = f(i, j)
		}
	}
	return m
}

func cmul(x, y cmat) cmat {
	return cnew(x.r, y.c, func(i, j int) complex128 {
		var s complex128
		for k := range x.c {
			s += x.at(i, k) * y.at(k, j)
		}
		return s
	})
}

func ctr(x cmat) cmat { return cnew(x.c, x.r, func(i, j int) complex128 { return x.at(j, i) }) }

func cmap2(x, y cmat, f func(p, q complex128) complex128) cmat {
	return cnew(x.r, x.c, func(i, j int) complex128 { return f(x.at(i, j), y.at(i, j)) })
}

func cscal(z complex128) cmat { return cmat{1, 1, []complex128{z}} }

// creduce is the tests' real function of a complex result: its elements,
// column-major, weighted by position, real parts once and imaginary parts
// twice, so that a misplaced element shows.
func creduce(m cmat) float64 {
	s := 0.0
	for k, z := range m.a {
		s += float64(k+1) * (real(z) + 2*imag(z))
	}
	return s
}

// TestComplexMatrixFunctions checks the complex matrix functions and
// operators on complex values made of the parameters: each result's
// value against the same computation on Go's complex128, and the
// gradient of a real function of it against finite differences.
func TestComplexMatrixFunctions(t *testing.T) {
	at := []float64{0.7, -1.2, 0.4, 1.5, -0.3, 0.9, 2.1, -0.8}
	parts := func(x []float64) (u, v, M, N cmat, z complex128) {
		u = cnew(2, 1, func(i, _ int) complex128 { return complex(x[i], x[2+i]) })
		v = cnew(2, 1, func(i, _ int) complex128 { return complex(x[4+i], x[6+i]) })
		M = cnew(2, 2, func(i, j int) complex128 { return complex(x[i+2*j], x[4+i+2*j]) })
		N = cnew(2, 2, func(i, j int) complex128 { return complex(x[4+i+2*j], x[i+2*j]) })
		return u, v, M, N, complex(x[0], x[7])
	}
	decls := `
  complex_vector[2] u = to_complex(x[1:2], x[3:4]);
  complex_vector[2] v = to_complex(x[5:6], x[7:8]);
  complex_matrix[2, 2] M = to_complex(to_matrix(x[1:4], 2, 2), to_matrix(x[5:8], 2, 2));
  complex_matrix[2, 2] N = to_complex(to_matrix(x[5:8], 2, 2), to_matrix(x[1:4], 2, 2));
  complex z = to_complex(x[1], x[8]);
`
	type fn func(u, v, M, N cmat, z complex128, x []float64) cmat
	col := func(m cmat, j int) cmat { return cnew(m.r, 1, func(i, _ int) complex128 { return m.at(i, j) }) }
	cases := []struct {
		expr  string // a complex container (container) or scalar (scalar) expression
		want  fn
		shape string // "cv", "crv", "cm", "c", "arr" (complex[]), "arr2" (complex[,])
	}{
		{"u + v", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cmap2(u, v, func(p, q complex128) complex128 { return p + q })
		}, "cv"},
		{"u - z * v", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cmap2(u, v, func(p, q complex128) complex128 { return p - z*q })
		}, "cv"},
		{"M * u", func(u, v, M, N cmat, z complex128, x []float64) cmat { return cmul(M, u) }, "cv"},
		{"M * N", func(u, v, M, N cmat, z complex128, x []float64) cmat { return cmul(M, N) }, "cm"},
		{"u' * M", func(u, v, M, N cmat, z complex128, x []float64) cmat { return cmul(ctr(u), M) }, "crv"},
		{"u * v'", func(u, v, M, N cmat, z complex128, x []float64) cmat { return cmul(u, ctr(v)) }, "cm"},
		{"u' * v", func(u, v, M, N cmat, z complex128, x []float64) cmat { return cmul(ctr(u), v) }, "c"},
		{"M .* N - M ./ N", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cmap2(M, N, func(p, q complex128) complex128 { return p*q - p/q })
		}, "cm"},
		{"M / z + rep_matrix(u' ./ z, 2)", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cnew(2, 2, func(i, j int) complex128 { return M.at(i, j)/z + u.at(j, 0)/z })
		}, "cm"},
		{"z ./ v", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cnew(2, 1, func(i, _ int) complex128 { return z / v.at(i, 0) })
		}, "cv"},
		{"-M'", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cnew(2, 2, func(i, j int) complex128 { return -M.at(j, i) })
		}, "cm"},
		{"dot_product(u, v) + dot_product(u', v) + dot_product(u, v')", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			var s complex128
			for i := range 2 {
				s += cmplx.Conj(u.at(i, 0)) * v.at(i, 0)
			}
			return cscal(3 * s)
		}, "c"},
		{"columns_dot_product(M, N)", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cnew(1, 2, func(_, j int) complex128 { return M.at(0, j)*N.at(0, j) + M.at(1, j)*N.at(1, j) })
		}, "crv"},
		{"rows_dot_product(M, N)", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cnew(2, 1, func(i, _ int) complex128 { return M.at(i, 0)*N.at(i, 0) + M.at(i, 1)*N.at(i, 1) })
		}, "cv"},
		{"dot_self(u) + dot_self(v')", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			s := 0.0
			for _, w := range append(append([]complex128(nil), u.a...), v.a...) {
				s += real(w)*real(w) + imag(w)*imag(w)
			}
			return cscal(complex(s, 0))
		}, "c"},
		{"columns_dot_self(M)", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cnew(1, 2, func(_, j int) complex128 {
				a, b := M.at(0, j), M.at(1, j)
				return complex(real(a)*real(a)+imag(a)*imag(a)+real(b)*real(b)+imag(b)*imag(b), 0)
			})
		}, "crv"},
		{"rows_dot_self(M)", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cnew(2, 1, func(i, _ int) complex128 {
				a, b := M.at(i, 0), M.at(i, 1)
				return complex(real(a)*real(a)+imag(a)*imag(a)+real(b)*real(b)+imag(b)*imag(b), 0)
			})
		}, "cv"},
		{"sum(M) + 2 * trace(N) + sum(u')", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			var s complex128
			for _, w := range M.a {
				s += w
			}
			return cscal(s + 2*(N.at(0, 0)+N.at(1, 1)) + u.a[0] + u.a[1])
		}, "c"},
		{"diag_matrix(diagonal(M)) + add_diag(N, z) + add_diag(M, v)", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cnew(2, 2, func(i, j int) complex128 {
				s := N.at(i, j) + M.at(i, j)
				if i == j {
					s += M.at(i, i) + z + v.at(i, 0)
				}
				return s
			})
		}, "cm"},
		{"rep_matrix(z, 2, 3) + rep_matrix(u, 3) + rep_matrix(append_col(v', z), 2)", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cnew(2, 3, func(i, j int) complex128 {
				w := z
				if j < 2 {
					w = v.at(j, 0)
				}
				return z + u.at(i, 0) + w
			})
		}, "cm"},
		{"append_row(rep_vector(z, 2), rep_row_vector(z, 2)')", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cnew(4, 1, func(i, _ int) complex128 { return z })
		}, "cv"},
		{"append_row(to_vector(block(M, 1, 2, 2, 1)), col(N, 1)) + append_row(sub_col(M, 1, 1, 2), row(N, 2)')", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			a := append(col(M, 1).a, col(N, 0).a...)
			b := []complex128{M.at(0, 0), M.at(1, 0), N.at(1, 0), N.at(1, 1)}
			return cnew(4, 1, func(i, _ int) complex128 { return a[i] + b[i] })
		}, "cv"},
		{"append_col(sub_row(M, 2, 1, 2), append_col(head(u', 1), append_col(tail(v', 1), segment(u', 2, 1))))", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			a := []complex128{M.at(1, 0), M.at(1, 1), u.at(0, 0), v.at(1, 0), u.at(1, 0)}
			return cnew(1, 5, func(_, j int) complex128 { return a[j] })
		}, "crv"},
		{"append_col(M, u) + append_row(N, v')'", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cnew(2, 3, func(i, j int) complex128 {
				a, b := u.at(i, 0), v.at(j%2, 0)
				if j < 2 {
					a = M.at(i, j)
				}
				if j < 2 {
					b = N.at(j, i)
				} else {
					b = v.at(i, 0)
				}
				return a + b
			})
		}, "cm"},
		{"append_col(z, u') + append_col(v', z)", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			a := []complex128{z, u.at(0, 0), u.at(1, 0)}
			b := []complex128{v.at(0, 0), v.at(1, 0), z}
			return cnew(1, 3, func(_, j int) complex128 { return a[j] + b[j] })
		}, "crv"},
		{"to_row_vector(to_matrix(to_vector(M'), 1, 4)) + to_row_vector(N)", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			mt := ctr(M)
			return cnew(1, 4, func(_, j int) complex128 { return mt.a[j] + N.a[j] })
		}, "crv"},
		{"to_matrix(to_array_2d(M)) + to_matrix(to_array_1d(N), 2, 2)", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cmap2(M, N, func(p, q complex128) complex128 { return p + q })
		}, "cm"},
		{"reverse(cumulative_sum(u)) + to_vector(reverse(v'))", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			c := []complex128{u.a[0], u.a[0] + u.a[1]}
			return cnew(2, 1, func(i, _ int) complex128 { return c[1-i] + v.a[1-i] })
		}, "cv"},
		{"to_vector(cumulative_sum(to_array_1d(u)))", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cnew(2, 1, func(i, _ int) complex128 { return u.a[0] + complex(float64(i), 0)*u.a[1] })
		}, "cv"},
		{"dot_product(to_array_1d(u), to_array_1d(v))", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cscal(cmplx.Conj(u.a[0])*v.a[0] + cmplx.Conj(u.a[1])*v.a[1])
		}, "c"},
		// Right division, B A⁻¹: the operator and the function, complex
		// and promoted real operands.
		{"M / N + mdivide_right(N, M)", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cmap2(cmul(M, cinv2(N)), cmul(N, cinv2(M)), func(p, q complex128) complex128 { return p + q })
		}, "cm"},
		{"u' / M + mdivide_right(v', N) + x[1:2]' / M", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			r := cnew(1, 2, func(_, j int) complex128 { return complex(x[j], 0) })
			a, b, c := cmul(ctr(u), cinv2(M)), cmul(ctr(v), cinv2(N)), cmul(r, cinv2(M))
			return cnew(1, 2, func(_, j int) complex128 { return a.a[j] + b.a[j] + c.a[j] })
		}, "crv"},
		{"M / to_matrix(x[5:8], 2, 2)", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cmul(M, cinv2(cnew(2, 2, func(i, j int) complex128 { return complex(x[4+i+2*j], 0) })))
		}, "cm"},
		{"diag_pre_multiply(u, M) + diag_post_multiply(N, v')", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cnew(2, 2, func(i, j int) complex128 { return u.at(i, 0)*M.at(i, j) + N.at(i, j)*v.at(j, 0) })
		}, "cm"},
		{"M * x[1:2] + x[3:4] - u + 2 * v - v * 3.5", func(u, v, M, N cmat, z complex128, x []float64) cmat {
			return cnew(2, 1, func(i, _ int) complex128 {
				return M.at(i, 0)*complex(x[0], 0) + M.at(i, 1)*complex(x[1], 0) + complex(x[2+i], 0) - u.at(i, 0) - 1.5*v.at(i, 0)
			})
		}, "cv"},
	}
	for _, c := range cases {
		var red string
		switch c.shape {
		case "c":
			red = "get_real(r) + 2 * get_imag(r)"
		default:
			red = "dot_product(get_real(to_vector(r)) + 2 * get_imag(to_vector(r)), linspaced_vector(num_elements(r), 1, num_elements(r)))"
		}
		typ := map[string]string{"c": "complex", "cv": "complex_vector", "crv": "complex_row_vector", "cm": "complex_matrix"}[c.shape]
		src := "parameters { vector[8] x; }\nmodel {" + decls + "  " + typ + " r = " + c.expr + ";\n  target += " + red + ";\n}\n"
		if typ != "complex" {
			src = strings.Replace(src, typ+" r", typ+"["+dimsOf(c.want, parts, at, c.shape)+"] r", 1)
		}
		m := buildSource(t, src, nil)
		checkModelAt(t, c.expr, m, at, func(x []float64) float64 {
			u, v, M, N, z := parts(x)
			return creduce(c.want(u, v, M, N, z, x))
		})
	}
}

// cinv2 is the inverse of a 2×2 complex matrix.
func cinv2(m cmat) cmat {
	d := m.at(0, 0)*m.at(1, 1) - m.at(0, 1)*m.at(1, 0)
	return cmat{2, 2, []complex128{m.at(1, 1) / d, -m.at(1, 0) / d, -m.at(0, 1) / d, m.at(0, 0) / d}}
}

// dimsOf writes the declared sizes of a case's result.
func dimsOf(want func(u, v, M, N cmat, z complex128, x []float64) cmat, parts func([]float64) (cmat, cmat, cmat, cmat, complex128), at []float64, shape string) string {
	u, v, M, N, z := parts(at)
	r := want(u, v, M, N, z, at)
	switch shape {
	case "cv":
		return strconv.Itoa(r.r)
	case "crv":
		return strconv.Itoa(r.c)
	}
	return strconv.Itoa(r.r) + ", " + strconv.Itoa(r.c)
}

// TestComplexDivideErrors checks Stan's errors for right division by a
// complex matrix of the wrong size, at the operator (column 95) or call.
func TestComplexDivideErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"complex_matrix[2, 3] B; complex_matrix[2, 2] A; complex_matrix[2, 2] X = B / A;", "t.stan:1:95: mdivide_right: Columns of b (3) and Rows of A (2) must match in size"},
		{"complex_row_vector[2] b; complex_matrix[2, 3] A; complex_row_vector[2] x = mdivide_right(b, A);", "mdivide_right: Expecting a square matrix; rows of A (2) and columns of A (3) must match in size"},
	} {
		p, err := Source("t.stan", []byte("transformed data { "+c.src+" }\nparameters { real y; }\nmodel { y ~ normal(0, 1); }\n"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.NewModel(nil, 1)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.src, err, c.want)
		}
	}
}
