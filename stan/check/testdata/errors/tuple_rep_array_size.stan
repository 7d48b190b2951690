transformed data {
  array[2] tuple(int, real) a = /* ERROR "no matching signature for 'rep_array' with arguments (tuple(int, real), real): rep_array takes a value of any type and one to three int sizes" */rep_array((1, 2.5), 2.0);
}
