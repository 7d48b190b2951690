// Every complex operation compile supports, checked against Go's
// complex128 by TestComplexOperations.
functions {
  complex twice(complex z) {
    return 2 * z;
  }
  complex_vector scale(complex_vector v, complex s, int n) {
    complex_vector[n] out;
    for (k in 1:n) {
      out[k] = v[k] * s;
    }
    return out;
  }
  array[] complex pair(real x) {
    return {x, to_complex(0, x)};
  }
}
transformed data {
  complex td = to_complex(1.5, -2);
  array[2] complex tda = {td, 3};
}
parameters {
  real x;
}
generated quantities {
  complex a = to_complex(3, 4);
  complex b = -1.5 + 2i;
  complex c0 = to_complex();
  complex c1 = to_complex(2.5);
  complex p = 7;
  complex q = 0.25;
  complex s = a + b;
  complex d = a - b;
  complex m = a * b;
  complex v = a / b;
  complex vr = 2 / b;
  complex vs = b / 4;
  complex mr = 0.5 * a;
  complex n = -a;
  complex lit = 1.5e1i - 2i;
  real re = get_real(m);
  real im = get_imag(v);
  real ab = abs(b);
  real ar = arg(b);
  real arn = arg(-1);
  real gr = get_real(3);
  int eq = a == to_complex(3, 4);
  int ne = a != a;
  int eqr = c1 == 2.5;
  int eqi = a == 3;
  int nei = b != to_complex(-1.5, 3);
  complex cnd = x > 0 ? a : 2;
  complex cnd2 = x < 0 ? a : 2;
  complex tw = twice(b);
  complex u = td;
  complex w;
  w = a;
  w += b;
  w *= 2i;
  w -= 1;
  w /= b;
  array[3] complex zs = {a, 1, 2.5};
  zs[2] = b;
  zs[3] = zs[1] * zs[2];
  array[2] complex sl = zs[2:3];
  array[2, 2] complex zz;
  zz[1] = {a, b};
  zz[2, 1] = 1i;
  zz[2][2] = tda[1];
  complex_vector[3] cv = [1, 2, 3]';
  cv[2] = b;
  cv[3] = a * 1i;
  complex_row_vector[2] crv = [a, 2];
  complex_matrix[2, 3] cm = [[a, b, 1], [2, 3i, 4]];
  cm[1, 2] = 5;
  complex_row_vector[3] cmr = cm[2];
  complex_vector[2] cmc = cm[:, 3];
  complex cmx = cm[2][2];
  complex_matrix[2, 2] cm2 = [[1, 2], [3, 4]];
  cm2[:, 2] = cmc;
  complex sv = sum(cv);
  complex_vector[2] scaled = scale(cm[:, 1], 1i, 2);
  array[2] complex pr = pair(1.25);
  array[2] complex rep = rep_array(b, 2);
  array[2] complex_vector[3] vecs = {cv, [1, 2, 3]'};
  array[2] complex_row_vector[2] rrep = rep_array(crv, 2);
  array[2] complex zrow = zz[2];
  complex_vector[3] vecs2 = vecs[2];
  complex fe = 0;
  for (z in zs) {
    fe += z;
  }
  for (i in 1:num_elements(cv)) {
    fe += cv[i];
  }
  for (r in zz) {
    for (z in r) {
      fe += z;
    }
  }
  print("a=", a, " zs=", zs, " cv=", cv);
}
