// Signatures stanc3 has that gostan once lacked (issue 14), with their
// values: a scalar divided by a container, .* with a scalar and of
// complex numbers, unary minus of arrays (stanc3 2.31), head, tail,
// segment, reverse, size and dims of complex arrays, conj and to_complex
// of arrays of vectors, to_int of 2-d arrays, rank of a row_vector, an
// int array paired with a matrix elementwise (the int array row-major,
// the matrix column-major), the complex symmetrize_from_lower_tri and
// to_matrix of complex row vectors, and a 4-d array vectorised.
transformed data {
  array[3] complex ca = {to_complex(1, 1), to_complex(2, 2), to_complex(3, 3)};
  array[2, 2] complex cc = {{to_complex(1, 1), to_complex(2, -2)}, {to_complex(3, 3), to_complex(4, 4)}};
  array[2] vector[2] av = {[1, 2]', [3, 4]'};
  matrix[2, 2] M = [[5, 6], [7, 8]];
  array[2, 2] int n = {{1, 2}, {0, 3}};
  array[2, 1, 1, 2] real d4;
  d4[1, 1, 1] = {1, 2};
  d4[2, 1, 1] = {3, 4};
}
parameters {
  real alpha;
  vector[3] v;
}
model {
  alpha ~ std_normal();
  v ~ std_normal();
  target += -0.1 * sum(2 / exp(v));
  target += -0.1 * sum(exp(v) .* alpha);
  target += -0.1 * sum(alpha .* v');
  target += -0.1 * sum(-{alpha, 2 * alpha});
  target += -0.01 * sum(falling_factorial(rep_matrix(exp(alpha) + 3, 2, 2), n));
}
generated quantities {
  real dv = sum(2 / [1, 2, 4]');
  real dm = (3.0 / [[1, 2], [3, 4]])[2, 1];
  real em = sum([1, 2, 3]' .* 2) + sum(3 .* [1, 2]);
  real zm_re = get_real(to_complex(1, 2) .* to_complex(3, -1));
  real zm_im = get_imag(to_complex(1, 2) .* to_complex(3, -1));
  real zd_re = get_real(to_complex(1, 2) ./ to_complex(3, -1));
  real zd_im = get_imag(to_complex(1, 2) ./ to_complex(3, -1));
  real zdv = get_imag((to_complex(0, 2) / [to_complex(1, 0), to_complex(0, 1)]')[1]);
  int na = sum(-{1, -2});
  real nv = sum((-av)[2]);
  real ch = get_real(head(ca, 2)[2]);
  real ct = get_imag(tail(ca, 1)[1]);
  real cr = get_imag(reverse(ca)[1]);
  real cs = get_real(segment(ca, 2, 2)[2]);
  int csz = size(ca);
  int cne = num_elements(cc);
  int cdim = dims(cc)[2];
  real cj = get_imag(conj(cc)[1, 2]);
  real cjr = get_real(get_real(cc)[2, 1]);
  real tcv_re = get_real(to_complex(av, 1.5)[2][1]);
  real tcv_im = get_imag(to_complex(av, 1.5)[2][1]);
  int ti = to_int({{1.7, -2.3}, {3.9, 0}})[2, 1];
  int ti2 = to_int({{1.7, -2.3}, {3.9, 0}})[1, 2];
  int rk = rank([3, 1, 2], 1);
  real ff12 = falling_factorial(M, n)[1, 2];
  real ff21 = falling_factorial(M, n)[2, 1];
  real ff22 = falling_factorial(M, n)[2, 2];
  real bj = bessel_first_kind(n, [[1, 2], [3, 4]])[1, 2];
  real sym = get_imag(symmetrize_from_lower_tri(to_complex([[1, 2], [3, 4]], [[0, 5], [6, 0]]))[1, 2]);
  real tmc = get_real(to_matrix({to_complex([1, 2], 0), to_complex([3, 4], 0)})[2, 1]);
  int eim = 3 .* 4;
  int eid = 7 ./ 2;
  real d4s = sum(to_array_1d(pow(d4, 2)));
  real d4l = log(d4)[2, 1, 1, 2];
}
