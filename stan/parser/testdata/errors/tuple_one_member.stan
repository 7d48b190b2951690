data {
  tuple/* ERROR "a tuple type needs at least two member types, or one and a comma, as in tuple(real,); found 1" */(real) x;
}
