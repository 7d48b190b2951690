// The Reference Manual's program blocks, user-defined functions and
// declarations, one corner each, with values known from the rules:
// functions used before their definitions (mutual recursion without a
// forward declaration, Stan 2.32 on), overloads resolved by the fewest
// promotions, a while (1) loop that only a return leaves (a complete
// body), data-only arguments given loop variables, locals sized by
// arguments, T as a function's name, tuple and complex results, an _lpdf
// built on an _lupdf, an _lp function, empty declarations (;) in the data
// and parameters blocks, and a compound declaration reading its first name.
functions {
  int is_even(int n) {
    if (n == 0) {
      return 1;
    }
    return is_odd(n - 1);
  }
  int is_odd(int n) {
    if (n == 0) {
      return 0;
    }
    return is_even(n - 1);
  }
  real pick(int x) {
    return 1;
  }
  real pick(real x) {
    return 2;
  }
  real pick(complex x) {
    return 3;
  }
  int first_over(data array[] int xs, int k) {
    int i = 0;
    while (1) {
      i += 1;
      if (xs[i] > k) {
        return i;
      }
    }
  }
  real total(data int n) {
    vector[n] v = rep_vector(1.5, n);
    return sum(v);
  }
  real T(real x) {
    return 2 * x;
  }
  tuple(real, int) pair(real x) {
    return (x, 3);
  }
  complex widen(real x) {
    return x;
  }
  real half_lpdf(real y, real mu) {
    return normal_lupdf(y | mu, 1);
  }
  real shift_lp(real x) {
    target += -0.5 * square(x);
    return x + 1;
  }
}
data {
  int N;
  ;
  array[N] int<lower=0> y;
}
transformed data {
  real a = 1, b = a + 1;
  real acc = 0;
  for (i in 1:N) {
    acc += total(i);
  }
}
parameters {
  real mu;
  ;
  real<lower=0> sigma;
}
model {
  real m1 = shift_lp(mu);
  mu ~ half(0);
  sigma ~ exponential(1);
}
generated quantities {
  int even7 = is_even(7);
  real p_int = pick(1);
  real p_real = pick(1.5);
  real p_cplx = pick(to_complex(1, 1));
  int fo = first_over(y, 2);
  real tot = total(N);
  real t = T(2.5);
  int pr = pair(1.5).2;
  real wr = get_real(widen(2.5));
  real bb = b;
  real acc_gq = acc;
}
