// Category counts with a Dirichlet prior and a Dirichlet guide. The
// posterior, dirichlet(alpha + y), is in the guide's family, so SVI should
// find it; the guide's draws are gamma draws normalised to a simplex,
// differentiated implicitly in their shapes.
data {
  int<lower=1> K;
  array[K] int<lower=0> y;
  vector<lower=0>[K] alpha;
}
parameters {
  simplex[K] theta;
}
model {
  theta ~ dirichlet(alpha);
  y ~ multinomial(theta);
}
guide parameters {
  vector<lower=0>[K] alpha_q;
}
guide {
  theta ~ dirichlet(alpha_q);
}
