// The Reference Manual's "Expressions" and "Statements" chapters, the
// corners the other corpus files leave out, each with a value known from
// the chapter's rules: && and || short-circuit and ?: evaluates one
// branch (a rejecting function on the other side is never called); an
// assignment evaluates its right side before writing, so overlapping
// slices copy ("Assign-by-value and aliasing"); a foreach loop over a
// matrix visits its elements in column-major order; \ binds tighter than
// * and .* binds like *; compound assignment to slices and multi-indexes;
// break and continue in nested loops; the promotions of a function's
// arguments and of ?: to complex.
functions {
  int boom() {
    reject("this branch must not be evaluated");
    return 1;
  }
  real pick(real x) {
    return 1;
  }
  real pick(complex z) {
    return 2;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
generated quantities {
  int sc_and = 0 && boom();         // 0, boom() not called
  int sc_or = 1 || boom();          // 1
  int tern = 1 ? 5 : boom();        // 5
  vector[3] v = [1, 2, 3]';
  v[2:3] = v[1:2];                  // [1, 1, 2]
  real alias2 = v[2];
  real alias3 = v[3];
  array[3] int a = {1, 2, 3};
  a[{3, 2}] = a[{1, 3}];            // a = {1, 3, 1}
  int alias_a2 = a[2];
  int alias_a3 = a[3];
  matrix[2, 2] m = [[1, 2], [3, 4]];
  real order = 0;
  {
    int k = 1;
    for (x in m) {                  // 1, 3, 2, 4
      order += k * x;               // 1 + 6 + 6 + 16
      k += 1;
    }
  }
  matrix[2, 2] d = [[2, 0], [0, 4]];
  vector[2] u = [2, 4]';
  real ldiv = u' * d \ u;           // u' * (d \ u) = [2, 4] . [1, 1] = 6
  row_vector[2] r = [1, 2];
  real eltmul = r .* r * u;         // (r .* r) * u = 1 * 2 + 4 * 4 = 18
  vector[3] w = [1, 2, 3]';
  w[1:2] += [10, 10]';
  w[{1, 3}] *= 2;                   // [22, 12, 6]
  real wsum = sum(w);               // 40
  int pairs = 0;
  for (i in 1:5) {
    if (i == 2) continue;
    for (j in 1:5) {
      if (j > i) break;
      pairs += 1;                   // i = 1, 3, 4, 5: 1 + 3 + 4 + 5
    }
  }
  real exact = pick(1.5);           // real: no promotion needed, 1
  real promoted = pick(1);          // int -> real (one promotion) beats int -> complex (two), 1
  real to_complex_call = pick(2i);  // 2
  complex zc = 0 ? 1 : 2.5;         // int and real branches: real 2.5, assigned to complex
  real zre = get_real(zc);
}
