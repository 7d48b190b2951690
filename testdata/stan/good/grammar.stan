// Corners of stanc3's grammar (src/frontend/parser.mly and lexer.mll)
// that gostan once refused, with their values.
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
generated quantities {
  // <- inside an expression is < and - (Stan 2.33 removed the <-
  // assignment); at the start of a statement gostan keeps it.
  real xm = -2;
  int lt = xm<-1;
  int lt2 = 0;
  if (xm<-1.5) lt2 <- 2;
}
