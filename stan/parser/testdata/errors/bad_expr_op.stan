transformed data {
  real x = 3 + /* ERROR "expected an expression, found \"*\"" */* 4;
}
