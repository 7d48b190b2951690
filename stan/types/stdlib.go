package types

import (
	"fmt"
	"slices"
	"strings"
)

// The standard library is written as a table, one overload pattern a
// line, so that adding a function is one line:
//
//	name [name...]: arg, arg, ... -> result
//
// Types are written in the old bracket syntax for brevity (real[,] is
// array[,] real). Capital letters are classes that expand to several
// overloads:
//
//	R   real, real[], vector or row_vector (a vectorised real argument)
//	I   int or int[] (a vectorised integer argument)
//	Vs  vector, vector[], row_vector or row_vector[] (multivariate)
//	A   real or vector (a GLM's intercept or scale)
//	T   any int, real, vector, row_vector or matrix, in up to 3 array
//	    dimensions; every T of a line is the same type
//	Z   any complex container: complex in 1 to 3 array dimensions,
//	    complex_vector, complex_row_vector or complex_matrix in up to 3;
//	    every Z of a line is the same type
//
// and the results RV (real if every class argument is a scalar, else
// real[]), IV (the same for int), T (the type of T with int made real),
// Ti (the type of T as it is) and Z (the type of Z).
const stdlibTable = `
abs: T -> Ti
fabs sqrt cbrt square exp exp2 expm1 log log2 log10 log1p log1m log1p_exp log1m_exp logit inv_logit log_inv_logit log1m_inv_logit inv inv_sqrt inv_square inv_cloglog Phi Phi_approx inv_Phi std_normal_qf std_normal_log_qf erf erfc inv_erfc lambert_w0 lambert_wm1 lgamma tgamma digamma trigamma sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh floor ceil round trunc: T -> T
step: real -> real
int_step: real -> int
if_else: int, int, int -> int
if_else: int, real, real -> real
is_inf is_nan: real -> int
inc_beta inv_inc_beta: real, real, real -> real
fma: real, real, real -> real
fma: vector, real, real -> vector
fma: vector, vector, real -> vector
fma: vector, real, vector -> vector
fma: vector, vector, vector -> vector
fma: real, vector, real -> vector
fma: real, vector, vector -> vector
fma: real, real, vector -> vector
fma: row_vector, real, real -> row_vector
fma: row_vector, row_vector, real -> row_vector
fma: row_vector, real, row_vector -> row_vector
fma: row_vector, row_vector, row_vector -> row_vector
fma: real, row_vector, real -> row_vector
fma: real, row_vector, row_vector -> row_vector
fma: real, real, row_vector -> row_vector
fma: matrix, real, real -> matrix
fma: matrix, matrix, real -> matrix
fma: matrix, real, matrix -> matrix
fma: matrix, matrix, matrix -> matrix
fma: real, matrix, real -> matrix
fma: real, matrix, matrix -> matrix
fma: real, real, matrix -> matrix
log_mix: real, real, real -> real
log_mix: real[], real[] -> real
log_mix: real[], vector -> real
log_mix: real[], row_vector -> real
log_mix: real[], vector[] -> real
log_mix: real[], row_vector[] -> real
log_mix: vector, real[] -> real
log_mix: vector, vector -> real
log_mix: vector, row_vector -> real
log_mix: vector, vector[] -> real
log_mix: vector, row_vector[] -> real
log_mix: row_vector, real[] -> real
log_mix: row_vector, vector -> real
log_mix: row_vector, row_vector -> real
log_mix: row_vector, vector[] -> real
log_mix: row_vector, row_vector[] -> real
log_sum_exp: real, real -> real
min max: int, int -> int
pi e sqrt2 log2 log10 not_a_number positive_infinity negative_infinity machine_precision: -> real
target get_lp: -> real
logical_negation: int -> int
logical_negation: real -> int
sum prod: int[] -> int
sum prod mean variance sd log_sum_exp max min: real[] -> real
sum prod mean variance sd log_sum_exp max min: vector -> real
sum prod mean variance sd log_sum_exp max min: row_vector -> real
sum prod mean variance sd log_sum_exp max min: matrix -> real
max min: int[] -> int
mean: int[] -> real
sum: complex_vector -> complex
fft inv_fft: complex_vector -> complex_vector
fft2 inv_fft2: complex_matrix -> complex_matrix
rows cols: vector -> int
rows cols: row_vector -> int
rows cols: matrix -> int
dot_product: vector, vector -> real
dot_product: row_vector, row_vector -> real
dot_product: vector, row_vector -> real
dot_product: row_vector, vector -> real
dot_product: real[], real[] -> real
dot_self norm1 norm2: vector -> real
dot_self norm1 norm2: row_vector -> real
norm1 norm2: real[] -> real
squared_distance distance: vector, vector -> real
squared_distance distance: row_vector, row_vector -> real
squared_distance distance: vector, row_vector -> real
squared_distance distance: row_vector, vector -> real
squared_distance distance: real, real -> real
columns_dot_product: vector, vector -> row_vector
columns_dot_product: row_vector, row_vector -> row_vector
columns_dot_product: matrix, matrix -> row_vector
rows_dot_product: vector, vector -> vector
rows_dot_product: row_vector, row_vector -> vector
rows_dot_product: matrix, matrix -> vector
columns_dot_self: vector -> row_vector
columns_dot_self: row_vector -> row_vector
columns_dot_self: matrix -> row_vector
rows_dot_self: vector -> vector
rows_dot_self: row_vector -> vector
rows_dot_self: matrix -> vector
cumulative_sum: int[] -> int[]
cumulative_sum: real[] -> real[]
cumulative_sum: vector -> vector
cumulative_sum: row_vector -> row_vector
rep_vector: real, int -> vector
rep_row_vector: real, int -> row_vector
rep_matrix: real, int, int -> matrix
rep_matrix: vector, int -> matrix
rep_matrix: row_vector, int -> matrix
to_vector: vector -> vector
to_vector: row_vector -> vector
to_vector: matrix -> vector
to_vector: real[] -> vector
to_vector: int[] -> vector
to_row_vector: vector -> row_vector
to_row_vector: row_vector -> row_vector
to_row_vector: matrix -> row_vector
to_row_vector: real[] -> row_vector
to_row_vector: int[] -> row_vector
to_matrix: matrix -> matrix
to_matrix: vector -> matrix
to_matrix: row_vector -> matrix
to_matrix: matrix, int, int -> matrix
to_matrix: vector, int, int -> matrix
to_matrix: row_vector, int, int -> matrix
to_matrix: matrix, int, int, int -> matrix
to_matrix: vector, int, int, int -> matrix
to_matrix: row_vector, int, int, int -> matrix
to_matrix: real[], int, int -> matrix
to_matrix: int[], int, int -> matrix
to_matrix: real[], int, int, int -> matrix
to_matrix: int[], int, int, int -> matrix
to_matrix: real[,] -> matrix
to_matrix: int[,] -> matrix
to_matrix: vector[] -> matrix
to_matrix: row_vector[] -> matrix
to_array_1d: vector -> real[]
to_array_1d: row_vector -> real[]
to_array_1d: matrix -> real[]
to_array_2d: matrix -> real[,]
to_complex: -> complex
to_complex: real -> complex
to_complex: real, real -> complex
get_real get_imag abs arg norm: complex -> real
polar: real, real -> complex
complex_schur_decompose_t complex_schur_decompose_u: matrix -> complex_matrix
complex_schur_decompose_t complex_schur_decompose_u: complex_matrix -> complex_matrix
wiener_lcdf_unnorm wiener_lccdf_unnorm: real, real, real, real, real -> real
wiener_lcdf_unnorm wiener_lccdf_unnorm: real, real, real, real, real, real -> real
wiener_lcdf_unnorm wiener_lccdf_unnorm: real, real, real, real, real, real, real, real -> real
wiener_lcdf_unnorm wiener_lccdf_unnorm: real, real, real, real, real, real, real, real, real -> real
wiener_lcdf_unnorm wiener_lccdf_unnorm: vector, vector, vector, vector, vector -> real
wiener_lcdf_unnorm wiener_lccdf_unnorm: vector, vector, vector, vector, vector, real -> real
wiener_lcdf_unnorm wiener_lccdf_unnorm: vector, vector, vector, vector, vector, vector, vector, vector -> real
wiener_lcdf_unnorm wiener_lccdf_unnorm: vector, vector, vector, vector, vector, vector, vector, vector, real -> real
proj conj: complex -> complex
conj: Z -> Z
get_real get_imag abs: Z -> Zr
rows cols: complex_vector -> int
rows cols: complex_row_vector -> int
rows cols: complex_matrix -> int
append_row: matrix, matrix -> matrix
append_row: matrix, row_vector -> matrix
append_row: row_vector, matrix -> matrix
append_row: row_vector, row_vector -> matrix
append_row: vector, vector -> vector
append_row: real, vector -> vector
append_row: vector, real -> vector
append_col: matrix, matrix -> matrix
append_col: matrix, vector -> matrix
append_col: vector, matrix -> matrix
append_col: vector, vector -> matrix
append_col: row_vector, row_vector -> row_vector
append_col: real, row_vector -> row_vector
append_col: row_vector, real -> row_vector
transpose: vector -> row_vector
transpose: row_vector -> vector
transpose: matrix -> matrix
diag_matrix: vector -> matrix
diagonal: matrix -> vector
identity_matrix: int -> matrix
add_diag: matrix, real -> matrix
add_diag: matrix, vector -> matrix
add_diag: matrix, row_vector -> matrix
diag_pre_multiply: vector, matrix -> matrix
diag_pre_multiply: row_vector, matrix -> matrix
diag_post_multiply: matrix, vector -> matrix
diag_post_multiply: matrix, row_vector -> matrix
quad_form quad_form_sym: matrix, matrix -> matrix
quad_form quad_form_sym: matrix, vector -> real
quad_form_diag: matrix, vector -> matrix
quad_form_diag: matrix, row_vector -> matrix
trace_quad_form: matrix, matrix -> real
trace_quad_form: matrix, vector -> real
trace_gen_quad_form: matrix, matrix, matrix -> real
multiply_lower_tri_self_transpose tcrossprod crossprod cholesky_decompose inverse inverse_spd matrix_exp: matrix -> matrix
log_determinant determinant trace: matrix -> real
trace_dot: matrix, matrix -> real
chol2inv symmetrize_from_lower_tri generalized_inverse svd_U svd_V qr_Q qr_R qr_thin_Q qr_thin_R: matrix -> matrix
log_determinant_spd: matrix -> real
matrix_power: matrix, int -> matrix
hypergeometric_1F0: real, real -> real
hypergeometric_2F1: real, real, real, real -> real
hypergeometric_3F2 hypergeometric_pFq: vector, vector, real -> real
hypergeometric_3F2 hypergeometric_pFq: vector, row_vector, real -> real
hypergeometric_3F2 hypergeometric_pFq: vector, real[], real -> real
hypergeometric_3F2 hypergeometric_pFq: row_vector, vector, real -> real
hypergeometric_3F2 hypergeometric_pFq: row_vector, row_vector, real -> real
hypergeometric_3F2 hypergeometric_pFq: row_vector, real[], real -> real
hypergeometric_3F2 hypergeometric_pFq: real[], vector, real -> real
hypergeometric_3F2 hypergeometric_pFq: real[], row_vector, real -> real
hypergeometric_3F2 hypergeometric_pFq: real[], real[], real -> real
csr_extract_w: matrix -> vector
csr_extract_v csr_extract_u: matrix -> int[]
csr_to_dense_matrix: int, int, vector, int[], int[] -> matrix
csr_matrix_times_vector: int, int, vector, int[], int[], vector -> vector
matrix_exp_multiply: matrix, matrix -> matrix
scale_matrix_exp_multiply: real, matrix, matrix -> matrix
quantile: real[], real -> real
quantile: vector, real -> real
quantile: row_vector, real -> real
quantile: real[], real[] -> real[]
quantile: vector, real[] -> real[]
quantile: row_vector, real[] -> real[]
eigenvalues_sym singular_values: matrix -> vector
eigenvectors_sym: matrix -> matrix
eigenvalues: matrix -> complex_vector
eigenvectors: matrix -> complex_matrix
eigenvalues eigenvalues_sym: complex_matrix -> complex_vector
eigenvectors eigenvectors_sym: complex_matrix -> complex_matrix
mdivide_left_tri_low mdivide_left_spd mdivide_left: matrix, vector -> vector
mdivide_left_tri_low mdivide_left_spd mdivide_left: matrix, matrix -> matrix
mdivide_right_tri_low mdivide_right_spd mdivide_right: row_vector, matrix -> row_vector
mdivide_right_tri_low mdivide_right_spd mdivide_right: matrix, matrix -> matrix
softmax log_softmax: vector -> vector
softmax log_softmax: row_vector -> row_vector
to_vector_array: matrix -> vector[]
to_row_vector_array: matrix -> row_vector[]
poisson_binomial_rng: vector -> int
poisson_binomial_rng: row_vector -> int
head tail: vector, int -> vector
head tail: row_vector, int -> row_vector
segment: vector, int, int -> vector
segment: row_vector, int, int -> row_vector
sub_col: matrix, int, int, int -> vector
sub_row: matrix, int, int, int -> row_vector
block: matrix, int, int, int, int -> matrix
col: matrix, int -> vector
row: matrix, int -> row_vector
sort_asc sort_desc reverse: vector -> vector
sort_asc sort_desc reverse: row_vector -> row_vector
sort_asc sort_desc reverse: real[] -> real[]
sort_asc sort_desc reverse: int[] -> int[]
sort_indices_asc sort_indices_desc: vector -> int[]
sort_indices_asc sort_indices_desc: row_vector -> int[]
sort_indices_asc sort_indices_desc: real[] -> int[]
sort_indices_asc sort_indices_desc: int[] -> int[]
rank: vector, int -> int
rank: real[], int -> int
rank: int[], int -> int
rank: row_vector, int -> int
linspaced_vector: int, real, real -> vector
linspaced_row_vector: int, real, real -> row_vector
linspaced_array: int, real, real -> real[]
linspaced_int_array: int, int, int -> int[]
one_hot_vector: int, int -> vector
one_hot_int_array: int, int -> int[]
one_hot_row_vector: int, int -> row_vector
one_hot_array: int, int -> real[]
zeros_vector ones_vector uniform_simplex: int -> vector
zeros_row_vector ones_row_vector: int -> row_vector
zeros_int_array ones_int_array: int -> int[]
zeros_array ones_array: int -> real[]
cov_exp_quad gp_exp_quad_cov: real[], real, real -> matrix
cov_exp_quad gp_exp_quad_cov: real[], real[], real, real -> matrix
cov_exp_quad gp_exp_quad_cov: vector[], real, real -> matrix
cov_exp_quad gp_exp_quad_cov: vector[], vector[], real, real -> matrix
cov_exp_quad: row_vector[], real, real -> matrix
cov_exp_quad: row_vector[], row_vector[], real, real -> matrix
gp_matern32_cov gp_matern52_cov gp_exponential_cov: real[], real, real -> matrix
gp_matern32_cov gp_matern52_cov gp_exponential_cov: real[], real[], real, real -> matrix
gp_matern32_cov gp_matern52_cov gp_exponential_cov: vector[], real, real -> matrix
gp_matern32_cov gp_matern52_cov gp_exponential_cov: vector[], vector[], real, real -> matrix
gp_exp_quad_cov gp_matern32_cov gp_matern52_cov gp_exponential_cov: vector[], real, real[] -> matrix
gp_exp_quad_cov gp_matern32_cov gp_matern52_cov gp_exponential_cov: vector[], vector[], real, real[] -> matrix
gp_periodic_cov: real[], real, real, real -> matrix
gp_periodic_cov: real[], real[], real, real, real -> matrix
gp_periodic_cov: vector[], real, real, real -> matrix
gp_periodic_cov: vector[], vector[], real, real, real -> matrix
gp_dot_prod_cov: real[], real -> matrix
gp_dot_prod_cov: real[], real[], real -> matrix
gp_dot_prod_cov: vector[], real -> matrix
gp_dot_prod_cov: vector[], vector[], real -> matrix
%/%: int, int -> int
categorical_rng: vector -> int
categorical_logit_rng: vector -> int
multinomial_rng: vector, int -> int[]
multinomial_logit_rng: vector, int -> int[]
dirichlet_multinomial_rng: vector, int -> int[]
dirichlet_rng: vector -> vector
multi_normal_rng multi_normal_cholesky_rng: vector, matrix -> vector
multi_normal_rng multi_normal_cholesky_rng: vector[], matrix -> vector[]
multi_student_t_rng multi_student_t_cholesky_rng: real, vector, matrix -> vector
multi_student_t_rng multi_student_t_cholesky_rng: real, vector[], matrix -> vector[]
multi_normal_rng multi_normal_cholesky_rng: row_vector, matrix -> vector
multi_normal_rng multi_normal_cholesky_rng: row_vector[], matrix -> vector[]
multi_student_t_rng multi_student_t_cholesky_rng: real, row_vector, matrix -> vector
multi_student_t_rng multi_student_t_cholesky_rng: real, row_vector[], matrix -> vector[]
lkj_corr_rng lkj_corr_cholesky_rng: int, real -> matrix
wishart_rng inv_wishart_rng wishart_cholesky_rng inv_wishart_cholesky_rng: real, matrix -> matrix
ordered_logistic_rng ordered_probit_rng: real, vector -> int
hypergeometric_rng: int, int, int -> int
hmm_marginal: matrix, matrix, vector -> real
hmm_hidden_state_prob: matrix, matrix, vector -> matrix
hmm_latent_rng: matrix, matrix, vector -> int[]
bernoulli_logit_glm_rng: matrix, vector, vector -> int[]
bernoulli_logit_glm_rng: row_vector, vector, vector -> int[]
`

// The binary functions Stan vectorises, by the scalar types of their
// arguments. Each takes two scalars, two containers of the same shape, or
// a scalar and a container (in either order), and returns the shape of
// its container arguments; see addVectorized.
const vectorizedTable = `
pow fmin fmax fdim fmod hypot atan2 lbeta lchoose binomial_coefficient_log log_diff_exp owens_t gamma_p gamma_q multiply_log lmultiply log_falling_factorial log_rising_factorial beta log_inv_logit_diff log_modified_bessel_first_kind log_sum_exp: real, real -> real
falling_factorial rising_factorial ldexp: real, int -> real
modified_bessel_first_kind modified_bessel_second_kind bessel_first_kind bessel_second_kind binary_log_loss lmgamma: int, real -> real
choose falling_factorial rising_factorial: int, int -> int
`

// Operators are functions with these names, as in stanc3; the checker
// maps each operator to its name.
const operatorTable = `
add subtract multiply: int, int -> int
add subtract multiply divide: real, real -> real
add subtract multiply divide: complex, complex -> complex
modulus: int, int -> int
divide: int, int -> int
add subtract: vector, vector -> vector
add subtract: row_vector, row_vector -> row_vector
add subtract: matrix, matrix -> matrix
add subtract multiply divide: vector, real -> vector
add subtract multiply divide: row_vector, real -> row_vector
add subtract multiply divide: matrix, real -> matrix
add subtract multiply: real, vector -> vector
add subtract multiply: real, row_vector -> row_vector
add subtract multiply: real, matrix -> matrix
multiply: row_vector, vector -> real
multiply: vector, row_vector -> matrix
multiply: matrix, vector -> vector
multiply: row_vector, matrix -> row_vector
multiply: matrix, matrix -> matrix
divide: real, vector -> vector
divide: real, row_vector -> row_vector
divide: real, matrix -> matrix
\: matrix, vector -> vector
\: matrix, matrix -> matrix
elt_multiply elt_divide: real, real -> real
elt_multiply elt_divide: vector, vector -> vector
elt_multiply elt_divide: row_vector, row_vector -> row_vector
elt_multiply elt_divide: matrix, matrix -> matrix
elt_multiply elt_divide: int, int -> int
elt_multiply: real, vector -> vector
elt_multiply: real, row_vector -> row_vector
elt_multiply: real, matrix -> matrix
elt_multiply: vector, real -> vector
elt_multiply: row_vector, real -> row_vector
elt_multiply: matrix, real -> matrix
elt_divide: real, vector -> vector
elt_divide: real, row_vector -> row_vector
elt_divide: real, matrix -> matrix
elt_divide: vector, real -> vector
elt_divide: row_vector, real -> row_vector
elt_divide: matrix, real -> matrix
pow: int, int -> real
minus: T -> Ti
minus: complex -> complex
minus: Z -> Z
plus: complex -> complex
plus: int -> int
plus: real -> real
plus: vector -> vector
plus: row_vector -> row_vector
plus: matrix -> matrix
logical_eq logical_neq logical_lt logical_lte logical_gt logical_gte logical_and logical_or: int, int -> int
logical_and logical_or: real, real -> int
logical_eq logical_neq logical_lt logical_lte logical_gt logical_gte: real, real -> int
logical_eq logical_neq: complex, complex -> int
`

// The complex matrix functions (Stan Functions Reference, "Complex
// matrix operations", Stan 2.30): arithmetic, transposition, products,
// reductions, broadcasting, diagonals, slicing, concatenation,
// conversions and reversal of complex vectors, row vectors and matrices;
// and the complex special functions ("Complex-valued basic functions":
// exponential, power, trigonometric and hyperbolic functions, which Stan
// does not vectorise, save pow), products and the singular value
// decomposition.
const complexMatrixTable = `
add subtract: complex_vector, complex_vector -> complex_vector
add subtract: complex_row_vector, complex_row_vector -> complex_row_vector
add subtract: complex_matrix, complex_matrix -> complex_matrix
add subtract multiply divide: complex_vector, complex -> complex_vector
add subtract multiply divide: complex_row_vector, complex -> complex_row_vector
add subtract multiply divide: complex_matrix, complex -> complex_matrix
add subtract multiply divide: complex, complex_vector -> complex_vector
add subtract multiply divide: complex, complex_row_vector -> complex_row_vector
add subtract multiply divide: complex, complex_matrix -> complex_matrix
multiply: complex_row_vector, complex_vector -> complex
multiply: complex_vector, complex_row_vector -> complex_matrix
multiply: complex_matrix, complex_vector -> complex_vector
multiply: complex_row_vector, complex_matrix -> complex_row_vector
multiply: complex_matrix, complex_matrix -> complex_matrix
elt_multiply elt_divide: complex_vector, complex_vector -> complex_vector
elt_multiply elt_divide: complex_row_vector, complex_row_vector -> complex_row_vector
elt_multiply elt_divide: complex_matrix, complex_matrix -> complex_matrix
elt_multiply elt_divide: complex, complex -> complex
elt_multiply: complex_vector, complex -> complex_vector
elt_multiply: complex_row_vector, complex -> complex_row_vector
elt_multiply: complex_matrix, complex -> complex_matrix
elt_multiply: complex, complex_vector -> complex_vector
elt_multiply: complex, complex_row_vector -> complex_row_vector
elt_multiply: complex, complex_matrix -> complex_matrix
elt_divide: complex_vector, complex -> complex_vector
elt_divide: complex_row_vector, complex -> complex_row_vector
elt_divide: complex_matrix, complex -> complex_matrix
elt_divide: complex, complex_vector -> complex_vector
elt_divide: complex, complex_row_vector -> complex_row_vector
elt_divide: complex, complex_matrix -> complex_matrix
transpose: complex_vector -> complex_row_vector
transpose: complex_row_vector -> complex_vector
transpose: complex_matrix -> complex_matrix
dot_product: complex_vector, complex_vector -> complex
dot_product: complex_vector, complex_row_vector -> complex
dot_product: complex_row_vector, complex_vector -> complex
dot_product: complex_row_vector, complex_row_vector -> complex
dot_product: complex[], complex[] -> complex
mdivide_right: complex_row_vector, complex_matrix -> complex_row_vector
mdivide_right: complex_matrix, complex_matrix -> complex_matrix
columns_dot_product: complex_vector, complex_vector -> complex_row_vector
columns_dot_product: complex_row_vector, complex_row_vector -> complex_row_vector
columns_dot_product: complex_matrix, complex_matrix -> complex_row_vector
rows_dot_product: complex_vector, complex_vector -> complex_vector
rows_dot_product: complex_row_vector, complex_row_vector -> complex_vector
rows_dot_product: complex_matrix, complex_matrix -> complex_vector
dot_self: complex_vector -> complex
dot_self: complex_row_vector -> complex
columns_dot_self: complex_vector -> complex_row_vector
columns_dot_self: complex_row_vector -> complex_row_vector
columns_dot_self: complex_matrix -> complex_row_vector
rows_dot_self: complex_vector -> complex_vector
rows_dot_self: complex_row_vector -> complex_vector
rows_dot_self: complex_matrix -> complex_vector
diag_pre_multiply: complex_vector, complex_matrix -> complex_matrix
diag_pre_multiply: complex_row_vector, complex_matrix -> complex_matrix
diag_post_multiply: complex_matrix, complex_vector -> complex_matrix
diag_post_multiply: complex_matrix, complex_row_vector -> complex_matrix
sum: complex_row_vector -> complex
sum: complex_matrix -> complex
trace: complex_matrix -> complex
rep_vector: complex, int -> complex_vector
rep_row_vector: complex, int -> complex_row_vector
rep_matrix: complex, int, int -> complex_matrix
rep_matrix: complex_vector, int -> complex_matrix
rep_matrix: complex_row_vector, int -> complex_matrix
diagonal: complex_matrix -> complex_vector
diag_matrix: complex_vector -> complex_matrix
add_diag: complex_matrix, complex -> complex_matrix
add_diag: complex_matrix, complex_vector -> complex_matrix
add_diag: complex_matrix, complex_row_vector -> complex_matrix
col: complex_matrix, int -> complex_vector
row: complex_matrix, int -> complex_row_vector
block: complex_matrix, int, int, int, int -> complex_matrix
sub_col: complex_matrix, int, int, int -> complex_vector
sub_row: complex_matrix, int, int, int -> complex_row_vector
head tail: complex_vector, int -> complex_vector
head tail: complex_row_vector, int -> complex_row_vector
segment: complex_vector, int, int -> complex_vector
segment: complex_row_vector, int, int -> complex_row_vector
append_col: complex_matrix, complex_matrix -> complex_matrix
append_col: complex_matrix, complex_vector -> complex_matrix
append_col: complex_vector, complex_matrix -> complex_matrix
append_col: complex_vector, complex_vector -> complex_matrix
append_col: complex_row_vector, complex_row_vector -> complex_row_vector
append_col: complex, complex_row_vector -> complex_row_vector
append_col: complex_row_vector, complex -> complex_row_vector
append_row: complex_matrix, complex_matrix -> complex_matrix
append_row: complex_matrix, complex_row_vector -> complex_matrix
append_row: complex_row_vector, complex_matrix -> complex_matrix
append_row: complex_row_vector, complex_row_vector -> complex_matrix
append_row: complex_vector, complex_vector -> complex_vector
append_row: complex, complex_vector -> complex_vector
append_row: complex_vector, complex -> complex_vector
to_matrix: complex_matrix -> complex_matrix
to_matrix: complex_vector -> complex_matrix
to_matrix: complex_row_vector -> complex_matrix
to_matrix: complex_matrix, int, int -> complex_matrix
to_matrix: complex_vector, int, int -> complex_matrix
to_matrix: complex_row_vector, int, int -> complex_matrix
to_matrix: complex_matrix, int, int, int -> complex_matrix
to_matrix: complex_vector, int, int, int -> complex_matrix
to_matrix: complex_row_vector, int, int, int -> complex_matrix
to_matrix: complex[], int, int -> complex_matrix
to_matrix: complex[], int, int, int -> complex_matrix
to_matrix: complex[,] -> complex_matrix
to_matrix: complex_row_vector[] -> complex_matrix
symmetrize_from_lower_tri: complex_matrix -> complex_matrix
to_vector: complex_vector -> complex_vector
to_vector: complex_row_vector -> complex_vector
to_vector: complex_matrix -> complex_vector
to_vector: complex[] -> complex_vector
to_row_vector: complex_vector -> complex_row_vector
to_row_vector: complex_row_vector -> complex_row_vector
to_row_vector: complex_matrix -> complex_row_vector
to_row_vector: complex[] -> complex_row_vector
to_array_1d: complex_vector -> complex[]
to_array_1d: complex_row_vector -> complex[]
to_array_1d: complex_matrix -> complex[]
to_array_1d: complex[,] -> complex[]
to_array_1d: complex[,,] -> complex[]
to_array_2d: complex_matrix -> complex[,]
reverse: complex_vector -> complex_vector
reverse: complex_row_vector -> complex_row_vector
cumulative_sum: complex[] -> complex[]
cumulative_sum: complex_vector -> complex_vector
cumulative_sum: complex_row_vector -> complex_row_vector
exp log log10 sqrt cos sin tan acos asin atan cosh sinh tanh acosh asinh atanh: complex -> complex
pow: complex, complex -> complex
pow: Z, Z -> Z
pow: Z, complex -> Z
pow: complex, Z -> Z
sum prod: complex[] -> complex
prod: complex_vector -> complex
prod: complex_row_vector -> complex
prod: complex_matrix -> complex
singular_values: complex_matrix -> vector
svd_U svd_V: complex_matrix -> complex_matrix
`

// cdfSet says which CDFs Stan has for a family.
type cdfSet int

const (
	noCDFs  cdfSet = iota
	allCDFs        // _cdf, _lcdf, _lccdf and the old _cdf_log, _ccdf_log
	onlyCDF        // _cdf alone (loglogistic)
	logCDFs        // all but _cdf (beta_proportion: stanc3 lists beta_proportion_cdf as missing from Stan Math)
)

// A distribution family: name, variate and parameter patterns (classes as
// in stdlibTable), whether Stan has its CDFs, and its rng's result.
type distSpec struct {
	name     string
	discrete bool
	variate  string
	params   string
	cdfs     cdfSet
	rng      string // result pattern, "" when Stan has no rng
}

var distributions = []distSpec{
	{"normal", false, "R", "R, R", allCDFs, "RV"},
	{"std_normal", false, "R", "", allCDFs, "real"},
	{"normal_id_glm", false, "vector", "matrix, A, vector, A", noCDFs, ""},
	{"normal_id_glm", false, "real", "matrix, A, vector, A", noCDFs, ""},
	// A GLM's x may be a row_vector, the one row of every instance.
	{"normal_id_glm", false, "vector", "row_vector, A, vector, A", noCDFs, ""},
	// Stan 2.40: x a row_vector for one instance, or a vector, the one
	// column of every instance.
	{"normal_id_glm", false, "real", "row_vector, A, vector, A", noCDFs, ""},
	{"normal_id_glm", false, "real", "vector, A, vector, A", noCDFs, ""},
	{"normal_id_glm", false, "vector", "vector, A, vector, A", noCDFs, ""},
	{"student_t", false, "R", "R, R, R", allCDFs, "RV"},
	{"cauchy", false, "R", "R, R", allCDFs, "RV"},
	{"double_exponential", false, "R", "R, R", allCDFs, "RV"},
	{"logistic", false, "R", "R, R", allCDFs, "RV"},
	{"loglogistic", false, "R", "R, R", onlyCDF, "RV"},
	{"gumbel", false, "R", "R, R", allCDFs, "RV"},
	{"skew_normal", false, "R", "R, R, R", allCDFs, "RV"},
	{"skew_double_exponential", false, "R", "R, R, R", allCDFs, "RV"},
	{"exp_mod_normal", false, "R", "R, R, R", allCDFs, "RV"},
	{"lognormal", false, "R", "R, R", allCDFs, "RV"},
	{"chi_square", false, "R", "R", allCDFs, "RV"},
	{"inv_chi_square", false, "R", "R", allCDFs, "RV"},
	{"scaled_inv_chi_square", false, "R", "R, R", allCDFs, "RV"},
	{"exponential", false, "R", "R", allCDFs, "RV"},
	{"gamma", false, "R", "R, R", allCDFs, "RV"},
	{"inv_gamma", false, "R", "R, R", allCDFs, "RV"},
	{"weibull", false, "R", "R, R", allCDFs, "RV"},
	{"frechet", false, "R", "R, R", allCDFs, "RV"},
	{"rayleigh", false, "R", "R", allCDFs, "RV"},
	{"pareto", false, "R", "R, R", allCDFs, "RV"},
	{"pareto_type_2", false, "R", "R, R, R", allCDFs, "RV"},
	{"beta", false, "R", "R, R", allCDFs, "RV"},
	{"beta_proportion", false, "R", "R, R", logCDFs, "RV"},
	{"von_mises", false, "R", "R, R", allCDFs, "RV"},
	{"uniform", false, "R", "R, R", allCDFs, "RV"},
	{"wiener", false, "R", "R, R, R, R", noCDFs, ""},
	// 5 parameters (s_δ), then 7 (s_δ, s_β, s_τ), each with an optional
	// precision; Stan vectorises these only as all reals or all vectors.
	{"wiener", false, "real", "real, real, real, real, real", noCDFs, ""},
	{"wiener", false, "vector", "vector, vector, vector, vector, vector", noCDFs, ""},
	{"wiener", false, "real", "real, real, real, real, real, real", noCDFs, ""},
	{"wiener", false, "vector", "vector, vector, vector, vector, vector, real", noCDFs, ""},
	{"wiener", false, "real", "real, real, real, real, real, real, real", noCDFs, ""},
	{"wiener", false, "vector", "vector, vector, vector, vector, vector, vector, vector", noCDFs, ""},
	{"wiener", false, "real", "real, real, real, real, real, real, real, real", noCDFs, ""},
	{"wiener", false, "vector", "vector, vector, vector, vector, vector, vector, vector, real", noCDFs, ""},
	{"multi_normal", false, "Vs", "Vs, matrix", noCDFs, ""},
	{"multi_normal_cholesky", false, "Vs", "Vs, matrix", noCDFs, ""},
	{"multi_normal_prec", false, "Vs", "Vs, matrix", noCDFs, ""},
	{"multi_student_t", false, "Vs", "real, Vs, matrix", noCDFs, ""},
	{"multi_student_t_cholesky", false, "Vs", "real, Vs, matrix", noCDFs, ""},
	{"multi_gp", false, "matrix", "matrix, vector", noCDFs, ""},
	{"multi_gp_cholesky", false, "matrix", "matrix, vector", noCDFs, ""},
	{"gaussian_dlm_obs", false, "matrix", "matrix, matrix, matrix, matrix, vector, matrix", noCDFs, ""},
	{"gaussian_dlm_obs", false, "matrix", "matrix, matrix, vector, matrix, vector, matrix", noCDFs, ""},
	{"dirichlet", false, "Vs", "Vs", noCDFs, ""},
	{"lkj_corr", false, "matrix", "real", noCDFs, ""},
	{"lkj_corr_cholesky", false, "matrix", "real", noCDFs, ""},
	{"lkj_cov", false, "matrix", "vector, vector, real", noCDFs, ""},
	{"wishart", false, "matrix", "real, matrix", noCDFs, ""},
	{"inv_wishart", false, "matrix", "real, matrix", noCDFs, ""},
	{"wishart_cholesky", false, "matrix", "real, matrix", noCDFs, ""},
	{"inv_wishart_cholesky", false, "matrix", "real, matrix", noCDFs, ""},
	{"bernoulli", true, "I", "R", allCDFs, "IV"},
	{"bernoulli_logit", true, "I", "R", noCDFs, "IV"},
	{"bernoulli_logit_glm", true, "I", "matrix, A, vector", noCDFs, ""},
	{"bernoulli_logit_glm", true, "int[]", "row_vector, A, vector", noCDFs, ""},
	{"binomial", true, "I", "I, R", allCDFs, "IV"},
	{"binomial_logit", true, "I", "I, R", noCDFs, ""},
	// Successes and trials may be an int and an array only with a real
	// intercept (stanc3's table; the Functions Reference lists only
	// matching forms).
	{"binomial_logit_glm", true, "I", "I, matrix, real, vector", noCDFs, ""},
	{"binomial_logit_glm", true, "int", "int, matrix, vector, vector", noCDFs, ""},
	{"binomial_logit_glm", true, "int[]", "int[], matrix, vector, vector", noCDFs, ""},
	{"binomial_logit_glm", true, "int[]", "int[], row_vector, A, vector", noCDFs, ""},
	{"beta_binomial", true, "I", "I, R, R", allCDFs, "IV"},
	{"beta_neg_binomial", true, "I", "R, R, R", allCDFs, "IV"},
	{"yule_simon", true, "I", "R", allCDFs, "IV"},
	{"hypergeometric", true, "int", "int, int, int", noCDFs, ""},
	{"categorical", true, "I", "vector", noCDFs, ""},
	{"categorical_logit", true, "I", "vector", noCDFs, ""},
	{"categorical_logit_glm", true, "I", "matrix, vector, matrix", noCDFs, ""},
	{"categorical_logit_glm", true, "I", "row_vector, vector, matrix", noCDFs, ""},
	{"multinomial", true, "int[]", "vector", noCDFs, ""},
	{"multinomial_logit", true, "int[]", "vector", noCDFs, ""},
	{"dirichlet_multinomial", true, "int[]", "vector", noCDFs, ""},
	{"poisson", true, "I", "R", allCDFs, "IV"},
	{"poisson_log", true, "I", "R", noCDFs, "IV"},
	{"poisson_log_glm", true, "I", "matrix, A, vector", noCDFs, ""},
	{"poisson_log_glm", true, "int[]", "row_vector, A, vector", noCDFs, ""},
	{"neg_binomial", true, "I", "R, R", allCDFs, "IV"},
	{"neg_binomial_2", true, "I", "R, R", allCDFs, "IV"},
	{"neg_binomial_2_log", true, "I", "R, R", noCDFs, "IV"},
	{"neg_binomial_2_log_glm", true, "I", "matrix, A, vector, real", noCDFs, ""},
	{"neg_binomial_2_log_glm", true, "int[]", "row_vector, A, vector, real", noCDFs, ""},
	// One cut point vector for all, or one per instance.
	{"ordered_logistic", true, "int", "real, vector", noCDFs, ""},
	{"ordered_logistic", true, "int[]", "vector, vector", noCDFs, ""},
	{"ordered_logistic", true, "int[]", "vector, vector[]", noCDFs, ""},
	{"ordered_logistic_glm", true, "I", "row_vector, vector, vector", noCDFs, ""},
	{"ordered_logistic_glm", true, "I", "matrix, vector, vector", noCDFs, ""},
	{"ordered_probit", true, "I", "real, vector", noCDFs, ""},
	{"ordered_probit", true, "int[]", "vector, vector", noCDFs, ""},
	{"ordered_probit", true, "int[]", "vector, vector[]", noCDFs, ""},
	{"ordered_probit", true, "int[]", "real, vector[]", noCDFs, ""},
	{"discrete_range", true, "I", "I, I", allCDFs, "IV"},
	// Stan 2.40: the success probabilities of each variate's trials as a
	// vector, one for all or one per variate (its rng is in the table).
	{"poisson_binomial", true, "I", "Vs", allCDFs, ""},
}

// stdlib is the standard library, built once from the tables.
var stdlib = buildStdlib()

func buildStdlib() *Library {
	l := &Library{funcs: map[string][]Signature{}, dists: map[string]DistFunc{}}
	for _, table := range []string{stdlibTable, operatorTable, complexMatrixTable} {
		for _, line := range strings.Split(table, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				l.addLine(line)
			}
		}
	}
	for _, line := range strings.Split(vectorizedTable, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			l.addVectorized(line)
		}
	}
	for _, d := range distributions {
		l.addDistribution(d)
	}
	// The rngs whose signatures the table states apart from their
	// family's (multivariate results) are the family's too.
	for _, d := range distributions {
		if rng := d.name + "_rng"; l.Has(rng) {
			l.dists[rng] = DistFunc{d.name, Rng}
		}
	}
	l.addTransforms()
	l.addStan240()
	l.addTupleResults()
	l.addArrayFuncs()
	// .^ is pow, as in stanc3, whose vectorised overloads pair arrays,
	// vectors and matrices elementwise and with scalars.
	l.funcs[".^"] = slices.Clone(l.funcs["pow"])
	return l
}

// bareKinds are the kinds an array's elements may have.
var bareKinds = []Kind{Int, Real, Complex, Vector, RowVector, Matrix, ComplexVector, ComplexRowVector, ComplexMatrix}

// complexToReal maps a complex type to the real type of its parts.
func complexToReal(t Type) Type {
	switch t.Kind {
	case Complex:
		t.Kind = Real
	case ComplexVector:
		t.Kind = Vector
	case ComplexRowVector:
		t.Kind = RowVector
	case ComplexMatrix:
		t.Kind = Matrix
	}
	return t
}

// realToComplex maps a real type to the complex type of its shape.
func realToComplex(t Type) Type {
	switch t.Kind {
	case Real:
		t.Kind = Complex
	case Vector:
		t.Kind = ComplexVector
	case RowVector:
		t.Kind = ComplexRowVector
	case Matrix:
		t.Kind = ComplexMatrix
	}
	return t
}

// addArrayFuncs declares the functions of arrays of any element type
// and the conversions vectorised over arrays, as stanc3's signatures
// have them (Functions Reference, "Array operations", "Complex-valued
// basic functions", "Type conversion"): head, tail and segment of arrays
// of up to 3 dimensions; reverse and size of arrays of up to 7, dims of
// up to 8, num_elements of up to 9; to_complex of two reals, real
// containers or a mix with a real; to_int of real or int arrays;
// to_array_1d of arrays of up to 9.
func (l *Library) addArrayFuncs() {
	ints := Array(IntT, 1)
	add := func(name string, ret Type, args ...Type) {
		l.funcs[name] = append(l.funcs[name], Signature{Args: args, Ret: ret})
	}
	for _, k := range bareKinds {
		t := Type{Kind: k}
		add("size", IntT, t)
		if k < ComplexVector {
			add("dims", ints, t) // not of a complex vector or matrix outside an array
		}
		if k != Int && k != Real && k != Complex {
			add("num_elements", IntT, t)
		}
		for d := 1; d < arrayDims; d++ {
			a := Array(t, d)
			if d <= 3 {
				add("head", a, a, IntT)
				add("tail", a, a, IntT)
				add("segment", a, a, IntT, IntT)
			}
			add("reverse", a, a)
			add("size", IntT, a)
		}
		// dims goes one array dimension deeper, num_elements two.
		for d := 1; d <= arrayDims+1; d++ {
			if d <= arrayDims {
				add("dims", ints, Array(t, d))
			}
			add("num_elements", IntT, Array(t, d))
		}
	}
	// pow pairs complex arrays elementwise one dimension deeper than Z.
	c8 := Type{Kind: Complex, Dims: arrayDims}
	add("pow", c8, c8, c8)
	add("pow", c8, c8, ComplexT)
	add("pow", c8, ComplexT, c8)
	for d := range arrayDims + 1 {
		for _, k := range []Kind{Real, Vector, RowVector, Matrix} {
			s := Type{Kind: k, Dims: d}
			if k == Real && d == 0 || k != Real && d == arrayDims {
				continue
			}
			c := realToComplex(s)
			add("to_complex", c, s, s)
			add("to_complex", c, s, RealT)
			add("to_complex", c, RealT, s)
		}
		if d == arrayDims {
			continue
		}
		add("to_int", Type{Kind: Int, Dims: d}, Type{Kind: Real, Dims: d})
		add("to_int", Type{Kind: Int, Dims: d}, Type{Kind: Int, Dims: d})
	}
	for d := 1; d <= arrayDims+1; d++ {
		add("to_array_1d", Array(RealT, 1), Type{Kind: Real, Dims: d})
		add("to_array_1d", ints, Type{Kind: Int, Dims: d})
	}
}

// addTupleResults declares the decompositions that return their factors
// together as a tuple (Stan 2.33's Functions Reference: "Linear algebra
// functions", "Sparse matrix operations").
func (l *Library) addTupleResults() {
	ints := Array(IntT, 1)
	cm, cv := Type{Kind: ComplexMatrix}, Type{Kind: ComplexVector}
	for name, ret := range map[string]Type{
		"eigendecompose_sym": TupleOf(MatrixT, VectorT),          // eigenvectors, eigenvalues
		"eigendecompose":     TupleOf(cm, cv),                    // eigenvectors, eigenvalues
		"qr_thin":            TupleOf(MatrixT, MatrixT),          // Q, R
		"qr":                 TupleOf(MatrixT, MatrixT),          // Q, R
		"svd":                TupleOf(MatrixT, VectorT, MatrixT), // U, singular values, V
		"csr_extract":        TupleOf(VectorT, ints, ints),       // w, v, u
	} {
		l.funcs[name] = append(l.funcs[name], Signature{Args: []Type{MatrixT}, Ret: ret})
	}
	// The complex singular value decomposition: U, the (real) singular
	// values, V.
	l.funcs["svd"] = append(l.funcs["svd"], Signature{Args: []Type{cm}, Ret: TupleOf(cm, VectorT, cm)})
	// The eigendecompositions of a complex matrix: eigenvectors, eigenvalues.
	l.funcs["eigendecompose"] = append(l.funcs["eigendecompose"], Signature{Args: []Type{cm}, Ret: TupleOf(cm, cv)})
	l.funcs["eigendecompose_sym"] = append(l.funcs["eigendecompose_sym"], Signature{Args: []Type{cm}, Ret: TupleOf(cm, cv)})
	// The complex Schur decomposition A = U T U*: U, T.
	for _, a := range []Type{MatrixT, cm} {
		l.funcs["complex_schur_decompose"] = append(l.funcs["complex_schur_decompose"], Signature{Args: []Type{a}, Ret: TupleOf(cm, cm)})
	}
}

// addDistribution declares a family's density (with its suffixes, old and
// new), CDFs and rng.
func (l *Library) addDistribution(d distSpec) {
	args := d.variate
	if d.params != "" {
		args += ", " + d.params
	}
	forms := []struct {
		suffix string
		form   DistForm
	}{{"_lpdf", Density}, {"_lupdf", DensityPropto}, {"_log", Density}}
	if d.discrete {
		forms[0].suffix, forms[1].suffix = "_lpmf", "_lupmf"
	}
	switch d.cdfs {
	case onlyCDF:
		forms = append(forms, struct {
			suffix string
			form   DistForm
		}{"_cdf", CDF})
	case allCDFs:
		forms = append(forms, []struct {
			suffix string
			form   DistForm
		}{{"_cdf", CDF}, {"_lcdf", LCDF}, {"_lccdf", LCCDF}, {"_cdf_log", LCDF}, {"_ccdf_log", LCCDF}}...)
	case logCDFs:
		forms = append(forms, []struct {
			suffix string
			form   DistForm
		}{{"_lcdf", LCDF}, {"_lccdf", LCCDF}, {"_cdf_log", LCDF}, {"_ccdf_log", LCCDF}}...)
	}
	for _, f := range forms {
		l.addLine(d.name + f.suffix + ": " + args + " -> real")
		l.dists[d.name+f.suffix] = DistFunc{d.name, f.form}
	}
	if d.rng != "" {
		l.addLine(d.name + "_rng: " + d.params + " -> " + d.rng)
		l.dists[d.name+"_rng"] = DistFunc{d.name, Rng}
	}
}

// addLine adds the overloads of one table line.
func (l *Library) addLine(line string) {
	names, rest, ok := strings.Cut(line, ":")
	argSpec, ret, ok2 := strings.Cut(rest, "->")
	if !ok || !ok2 {
		panic("types: bad table line: " + line)
	}
	var pats []string
	if s := strings.TrimSpace(argSpec); s != "" {
		depth, start := 0, 0
		for i, c := range s + "," {
			switch {
			case c == '[':
				depth++
			case c == ']':
				depth--
			case c == ',' && depth == 0:
				pats = append(pats, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	sigs := expand(pats, strings.TrimSpace(ret))
	for _, n := range strings.Fields(names) {
		l.funcs[n] = append(l.funcs[n], sigs...)
	}
}

// addVectorized adds the overloads of a line of vectorizedTable.
func (l *Library) addVectorized(line string) {
	names, rest, _ := strings.Cut(line, ":")
	argSpec, ret, _ := strings.Cut(rest, "->")
	a, b, _ := strings.Cut(argSpec, ",")
	k1, k2, kr := parseType(strings.TrimSpace(a)).Kind, parseType(strings.TrimSpace(b)).Kind, parseType(strings.TrimSpace(ret)).Kind
	sigs := []Signature{{Args: []Type{{Kind: k1}, {Kind: k2}}, Ret: Type{Kind: kr}}}
	// shaped returns the container of kind k's shape s (k's arrays of
	// s's dimensions; a real kind takes vector and matrix shapes too)
	// and whether there is one.
	shaped := func(k Kind, s Type) (Type, bool) {
		if s.Kind == Real || s.Kind == Int {
			return Type{Kind: k, Dims: s.Dims}, true
		}
		return s, k == Real
	}
	// Arrays of reals go one dimension deeper than the other shapes.
	for _, s := range append(genericTypes(), Array(RealT, arrayDims)) {
		if s.IsScalar() || s.Kind == Int {
			continue
		}
		t1, ok1 := shaped(k1, s)
		t2, ok2 := shaped(k2, s)
		r, _ := shaped(kr, s)
		// At the deepest level an int array only pairs with a real array
		// of its shape: stanc3 has no int array that deep beside a scalar,
		// nor any beside another int array.
		deep := s.Dims == arrayDims
		if deep && k1 == Int && k2 == Int {
			continue
		}
		if ok1 && !(deep && k1 == Int) {
			sigs = append(sigs, Signature{Args: []Type{t1, {Kind: k2}}, Ret: r})
		}
		if ok2 && !(deep && k2 == Int) {
			sigs = append(sigs, Signature{Args: []Type{{Kind: k1}, t2}, Ret: r})
		}
		if ok1 && ok2 {
			sigs = append(sigs, Signature{Args: []Type{t1, t2}, Ret: r})
		}
		// An int array pairs elementwise with (arrays of) vectors, row
		// vectors and matrices of its size too: one array dimension per
		// vector dimension.
		if (s.Kind == Vector || s.Kind == RowVector || s.Kind == Matrix) && (k1 == Int) != (k2 == Int) {
			ints := Type{Kind: Int, Dims: s.Dims + 1}
			if s.Kind == Matrix {
				ints.Dims++
			}
			if k1 == Int {
				sigs = append(sigs, Signature{Args: []Type{ints, s}, Ret: s})
			} else {
				sigs = append(sigs, Signature{Args: []Type{s, ints}, Ret: s})
			}
		}
	}
	for _, n := range strings.Fields(names) {
		l.funcs[n] = append(l.funcs[n], sigs...)
	}
}

// classes lists what each class pattern expands to.
var classes = map[string][]Type{
	"R":  {RealT, Array(RealT, 1), VectorT, RowVectorT},
	"I":  {IntT, Array(IntT, 1)},
	"Vs": {VectorT, Array(VectorT, 1), RowVectorT, Array(RowVectorT, 1)},
	"A":  {RealT, VectorT}, // a GLM's intercept or scale: one, or one per instance
	"T":  genericTypes(),
	"Z":  complexContainerTypes(),
}

// boundClasses are the classes that stand for one type throughout a line.
var boundClasses = map[string]bool{"T": true, "Z": true}

// arrayDims bounds the array dimensions of the vectorised signatures:
// stanc3 declares them for up to 7 (8 for arrays of reals paired
// elementwise).
const arrayDims = 8

func complexContainerTypes() []Type {
	var ts []Type
	for dims := range arrayDims {
		for _, k := range []Kind{Complex, ComplexVector, ComplexRowVector, ComplexMatrix} {
			if k != Complex || dims > 0 {
				ts = append(ts, Type{Kind: k, Dims: dims})
			}
		}
	}
	return ts
}

func genericTypes() []Type {
	var ts []Type
	for dims := range arrayDims {
		for _, k := range []Kind{Int, Real, Vector, RowVector, Matrix} {
			ts = append(ts, Type{Kind: k, Dims: dims})
		}
	}
	return ts
}

// expand returns every overload of an argument pattern list.
func expand(pats []string, ret string) []Signature {
	var out []Signature
	args := make([]Type, len(pats))
	bound := map[string]Type{}
	var rec func(i int)
	rec = func(i int) {
		if i == len(pats) {
			out = append(out, Signature{Args: append([]Type(nil), args...), Ret: result(ret, pats, args, bound)})
			return
		}
		if t, ok := bound[pats[i]]; ok {
			args[i] = t
			rec(i + 1)
			return
		}
		if alts, ok := classes[pats[i]]; ok {
			for _, t := range alts {
				args[i] = t
				if boundClasses[pats[i]] {
					bound[pats[i]] = t
				}
				rec(i + 1)
				delete(bound, pats[i])
			}
			return
		}
		args[i] = parseType(pats[i])
		rec(i + 1)
	}
	rec(0)
	return out
}

func result(ret string, pats []string, args []Type, bound map[string]Type) Type {
	t := bound["T"]
	switch ret {
	case "Z":
		return bound["Z"]
	case "Zr":
		return complexToReal(bound["Z"])
	case "T":
		if t.Kind == Int {
			t.Kind = Real
		}
		return t
	case "Ti":
		return t
	case "RV", "IV":
		k := Real
		if ret == "IV" {
			k = Int
		}
		for i, p := range pats {
			if _, ok := classes[p]; ok && !args[i].IsScalar() {
				return Array(Type{Kind: k}, 1)
			}
		}
		return Type{Kind: k}
	}
	return parseType(ret)
}

// parseType reads a table type: a kind name with optional [,,] suffix.
func parseType(s string) Type {
	base, dims, _ := strings.Cut(s, "[")
	var t Type
	for k, n := range kindNames {
		if n == base {
			t.Kind = Kind(k)
		}
	}
	if t.Kind == Invalid {
		panic(fmt.Sprintf("types: unknown type %q in the library table", s))
	}
	if dims != "" {
		t.Dims = 1 + strings.Count(dims, ",")
	}
	return t
}
