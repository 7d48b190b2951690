transformed data {
  // cbrt has no complex form.
  complex z;
  complex c = /* ERROR "no matching signature for 'cbrt' with arguments (complex)" */cbrt(z);
}
