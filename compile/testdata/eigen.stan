transformed data { matrix[3,3] D = [[0, -1, -4], [-1, 0, -2.25], [-4, -2.25, 0]]; }
parameters { real a; real b; real c; }
model {
  matrix[3,3] S = exp(a) * exp(D * exp(b));
  vector[3] v = eigenvalues_sym(S);
  matrix[3,3] Q = eigenvectors_sym(S);
  matrix[2,2] T = [[1, c], [c, 2]];
  target += v[1] * 3 + v[2] - v[3];
  target += Q[1,1]^2 + Q[2,1]*Q[1,1] + Q[3,2] * Q[1,2] + eigenvectors_sym(T)[1,2]^2;
}
