package compile

import (
	"testing"

	"github.com/gostan/gostan/model"
)

// containersProgram calls the library's container, reshaping and complex
// functions (containers.go, reshape.go, complex.go) on parameters, each
// result reaching the target, so that a buffer shared between two models
// changes some log density, gradient or output.
const containersProgram = `
data { int N; array[N] real xs; }
parameters { vector[4] th; real<lower=0> s; }
transformed parameters {
  matrix[2, 2] M = to_matrix(th, 2, 2);
  matrix[2, 2] S = tcrossprod(M);
  array[2, 2] real A2 = to_array_2d(M);
  matrix[2, 2] P = add_diag(S, s);
  matrix[2, 2] L = cholesky_decompose(P);
}
model {
  target += sum(rep_vector(s, 3)) + sum(to_array_1d(rep_array(s, 2, 2))) + sum(rep_matrix(th, 2));
  target += sum(to_vector(M)) + sum(to_matrix(A2)) + sum(to_matrix(th, 2, 2, 0));
  target += sum(append_row(th, s)) + sum(append_col(M, M)) + sum(append_row(M, M));
  target += sum(cumulative_sum(th)) + sum(softmax(th)) + sum(log_softmax(th));
  target += sum(head(th, 2)) + sum(tail(th, 3)) + sum(segment(th, 2, 2));
  target += sum(col(M, 2)) + sum(row(M, 1)) + sum(diag_matrix(th)) + sum(diagonal(P));
  target += sum(diag_pre_multiply(head(th, 2), M)) + sum(diag_post_multiply(M, tail(th, 2)));
  target += sum(quad_form_diag(P, head(th, 2))) + sum(multiply_lower_tri_self_transpose(L));
  target += sum(crossprod(M)) + sum(columns_dot_self(M)) + sum(rows_dot_product(M, S));
  target += squared_distance(th, reverse(th)) + distance(s, th[1]) + log_determinant(P);
  target += sum(mdivide_left_tri_low(L, head(th, 2))) + sum(sort_asc(th)) + sum(sort_desc(th));
  target += sum(identity_matrix(2)) + sum(dims(M)) + sum(sub_col(M, 1, 2, 2)) + sum(block(P, 1, 1, 2, 2));
  target += sum(eigenvalues_sym(P)) + sum(eigenvectors_sym(P)) + sum(to_matrix(to_row_vector(th)));
  target += sum(linspaced_vector(3, 0, 2)) + sum(one_hot_vector(3, 2)) + sum(ones_vector(2)) + sum(uniform_simplex(2));
  target += sum(sort_indices_asc(th)) + rank(th, 2) + sum(to_int(xs)) + sum(append_array(xs, xs));
  target += log_mix(softmax(head(th, 3)), xs) + log_mix(0.3, th[1], th[2]);
  target += sum(gp_exp_quad_cov(xs, s, 1.5)) + sum(gp_dot_prod_cov(xs, s));
  target += -0.5 * dot_self(th) - s;
}
generated quantities {
  complex z = to_complex(th[1], th[2]);
  complex_row_vector[2] zv = [z, to_complex(s, 1)];
  array[2] complex za = {z, to_complex(th[3], s)};
  array[2, 2] complex zr = rep_array(z, 2, 2);
  complex_row_vector[2] zrow = [z, z];
  complex_matrix[2, 2] zm = [zrow, [to_complex(s), z]];
  array[2] complex_row_vector[2] zz = {zv, zv};
  complex_row_vector[2] zcopy = zz[2];
  zv[{1, 2}] = zv[{2, 1}];
  complex_vector[2] cv;
  cv[1] = z;
  cv[2] = to_complex(s, th[4]);
  complex zs = sum(cv);
  real re = get_real(zs) + get_real(zv[1]) + get_imag(za[2]) + get_real(zm[2, 1]) + get_imag(zr[1, 2]);
}
`

// TestContainersSharedByGoroutines proves that the closures of the
// container, reshaping and complex functions keep their buffers per model:
// eight models of one Program on eight goroutines agree bit for bit with
// one model alone.
func TestContainersSharedByGoroutines(t *testing.T) {
	checkSharedProgram(t, containersProgram, model.Data{
		"N":  {Int: true, Elems: []float64{3}},
		"xs": {Dims: []int{3}, Elems: []float64{0.2, 1.7, 2.5}},
	})
}
