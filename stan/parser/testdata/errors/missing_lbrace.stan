data /* ERROR "expected \"{\", found identifier \"int\"" */int N; }
