transformed data {
  real y = /* ERROR "function 'multi_normal_cdf' is not implemented for distribution 'multi_normal'" */multi_normal_cdf([1.0]' | [1.0]', [[1.0]]);
}
