// The complex special functions (exponential, logarithms, square root,
// power, trigonometric and hyperbolic, and their inverses), pow and .^
// on complex containers, sums and products of complex containers, the
// singular value decomposition and the eigendecomposition of a complex
// matrix, right division by one, cumulative sums and dot products of
// complex arrays, and printing complex values.
parameters {
  vector[2] x;
  complex z;
  complex_vector[2] v;
}
transformed parameters {
  complex w = to_complex(x[1], 1 + x[2]);
  complex e = exp(w) + log(z + 3) - log10(w) + sqrt(z) + pow(w, z) + z ^ 2 + pow(2.5, w);
  complex t = cos(w) + sin(z) + tan(0.5 * w) + acos(w) + asin(z) + atan(w);
  complex h = cosh(z) + sinh(w) + tanh(z) + acosh(w) + asinh(z) + atanh(w);
  complex_vector[2] pv = v .^ w + pow(v, 2) + pow(w, v);
  complex p = prod(v) + prod({z, w}) + sum({z, w});
  complex_matrix[2, 2] M = to_complex([[1 + x[1], x[2]], [0.5, 2]], [[0.3, -x[1]], [x[2], 1]]);
  vector[2] s = singular_values(M);
}
model {
  x ~ normal(0, 1);
  target += -0.5 * norm(z) - 0.5 * dot_self(get_real(v)) - 0.5 * dot_self(get_imag(v));
  target += 0.01 * (get_real(e) + get_imag(t) + get_real(h) + abs(p) + sum(get_imag(pv)) + s[1] - s[2]);
  target += 0.01 * (sum(abs(eigenvalues(M))) + sum(abs(eigendecompose(M).1)));
  target += 0.01 * (abs(sum(v' / M)) + abs(sum(cumulative_sum({z, w}))) + abs(dot_product({z, w}, {w, z})));
}
generated quantities {
  complex ex = exp(to_complex(0, pi()));          // -1
  complex lg = log(to_complex(-1, 0));            // i pi
  complex sq = sqrt(to_complex(-4, 0));           // 2i
  complex ii = to_complex(0, 1) ^ to_complex(0, 1); // e^(-pi/2)
  complex as = asin(to_complex(2, 0));            // pi/2 + i acosh(2)
  complex at = atanh(to_complex(2, 0));           // atanh(1/2) + i pi/2
  complex pr = prod([to_complex(1, 1), to_complex(1, -1), 3]'); // 6
  vector[2] sv = singular_values(to_complex([[3, 0], [0, 0]], [[0, 0], [0, 4]]));
  complex_vector[2] ev = eigenvalues(to_complex(0, [[4, 1], [2, 3]])); // 2i, 5i
  complex_vector[2] es = eigenvalues_sym(to_complex([[2, 0], [0, 2]], [[0, 0], [-1, 0]])); // [[2, i], [-i, 2]]: 1, 3
  complex_row_vector[2] rd = [to_complex(0, 2), 4] / to_complex([[2, 0], [0, 0]], [[0, 0], [0, 2]]); // [i, -2i]
  array[2] complex cs = cumulative_sum({to_complex(1, 1), 2});     // {1 + i, 3 + i}
  complex dp = dot_product({to_complex(0, 1), 1}, {to_complex(0, 1), 2}); // conj(i) i + 2 = 3
  print("complex: ", ex, " ", to_complex([1, 2]', 0.5));
}
