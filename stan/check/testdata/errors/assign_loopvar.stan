model {
  for (i in 1:3) {
    /* ERROR "cannot assign to function argument or loop identifier 'i'" */i = 2;
  }
}
