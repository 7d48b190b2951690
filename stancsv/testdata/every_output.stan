// Every kind of output variable, for the Stan CSV header: CmdStan's
// names for these columns are in every_output.columns.
parameters {
  real mu;
}
transformed parameters {
  real mu2 = 2 * mu;
}
model {
  mu ~ normal(0, 1);
}
generated quantities {
  vector[2] v = [mu, mu * 2]';
  row_vector[3] r = mu + [mu, mu * 2, mu * 3];
  matrix[2, 3] m = mu * to_matrix(linspaced_vector(6, 5, 11), 2, 3);
  array[4] matrix[2, 3] threeD;
  for (i in 1 : 4) {
    threeD[i] = i * mu * m;
  }
  real nu = mu + 1;
  complex z = nu + nu * 2.0i;
  complex_vector[2] zv = to_complex([3 * nu, 5 * nu]', [nu * 4, nu * 6]');
  complex_matrix[2, 3] zm = to_complex(m, m + 1);
  array[4] complex_matrix[2, 3] z3D;
  for (i in 1 : 4) {
    z3D[i] = to_complex(threeD[i], threeD[i] + 1);
  }
  real base = mu;
  int base_i = 3;
  tuple(real, real) pair = (base, base * 2);
  tuple(real, tuple(int, complex)) nested = (base * 3, (base_i, base * 4.0i));
  array[2] tuple(real, real) arr_pair = {pair, (base * 5, base * 6)};
  array[3] tuple(tuple(real, tuple(int, complex)), real) arr_very_nested
    = {(nested, base * 7), ((base * 8, (base_i * 2, base * 9.0i)), base * 10), (nested, base * 11)};
  array[3, 2] tuple(real, real) arr_2d_pair = {{(base * 12, base * 13), (base * 14, base * 15)},
                                               {(base * 16, base * 17), (base * 18, base * 19)},
                                               {(base * 20, base * 21), (base * 22, base * 23)}};
  array[2, 3] tuple(array[2] tuple(real, vector[2]), matrix[4, 5]) ultimate;
  for (i in 1 : 2) {
    for (j in 1 : 3) {
      ultimate[i, j] = ({(i, [j, 1]'), (2, [3, 4]')}, rep_matrix(i * 10 + j, 4, 5));
    }
  }
}
