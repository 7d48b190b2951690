data {
  tuple/* ERROR "a tuple type needs at least two member types, found 1" */(real) x;
}
