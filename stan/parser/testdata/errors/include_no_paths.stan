/* ERROR "cannot #include \"lib.stan\": no include paths were given" */#include "lib.stan"
model { }
