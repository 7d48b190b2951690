transformed data {
  array[2] tuple(int, real) a;
  array[2] tuple(real, vector[2]) b;
  array[4] tuple(real, vector[2]) c = /* ERROR "no matching signature for 'append_array' with arguments (array[] tuple(int, real), array[] tuple(real, vector)): append_array takes two arrays whose elements have one type (ints promote to reals, reals to complex numbers)" */append_array(a, b);
}
