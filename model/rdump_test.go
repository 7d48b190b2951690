package model

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReadRDump reads every form of Stan's dump reader; structure's
// values, in R's column-major order, come out row-major.
func TestReadRDump(t *testing.T) {
	src := `N <- 3L
"y" <- c(1.5, -2, 3e2)
'k' <- c(4, -5, +6)
seq <- 2:-1
e = integer(0);   e2 <- double()  # a comment
z <- double(2)
m <- structure(c(1, 2, 3, 4, 5, 6), .Dim = c(2, 3))
a <- structure(1:24, .Dim = c(2L, 3L, 4L))
empty <- structure(integer(0), .Dim = c(2, 0))
inf <- c(Inf, -Infinity, NaN, 1)
x.y <- 1
x__ <- 2
`
	d, err := ReadRDump(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, dims []int, isInt bool, elems ...float64) {
		t.Helper()
		v := d[name]
		if v == nil || !slices.Equal(v.Dims, dims) || v.Int != isInt || len(v.Elems) != len(elems) {
			t.Fatalf("%s = %+v, want dims %v int %v %v", name, v, dims, isInt, elems)
		}
		for i, x := range elems {
			if !(v.Elems[i] == x || math.IsNaN(x) && math.IsNaN(v.Elems[i])) {
				t.Fatalf("%s = %v, want %v", name, v.Elems, elems)
			}
		}
	}
	check("N", nil, true, 3)
	check("y", []int{3}, false, 1.5, -2, 300)
	check("k", []int{3}, true, 4, -5, 6)
	check("seq", []int{4}, true, 2, 1, 0, -1)
	check("e", []int{0}, true)
	check("e2", []int{0}, false)
	check("z", []int{2}, false, 0, 0)
	// m[i,j] = 1 + (i-1) + 2(j-1): rows (1 3 5), (2 4 6).
	check("m", []int{2, 3}, true, 1, 3, 5, 2, 4, 6)
	check("empty", []int{2, 0}, true)
	check("inf", []int{4}, false, math.Inf(1), math.Inf(-1), math.NaN(), 1)
	a := d["a"]
	for i := range 2 {
		for j := range 3 {
			for k := range 4 {
				// R: a[i,j,k] = 1 + i + 2j + 6k (0-based).
				if got, want := a.Elems[(i*3+j)*4+k], float64(1+i+2*j+6*k); got != want {
					t.Fatalf("a[%d,%d,%d] = %v, want %v", i+1, j+1, k+1, got, want)
				}
			}
		}
	}
	if _, ok := d["x.y"]; ok {
		t.Error("x.y, not a Stan name, was kept")
	}
	if _, ok := d["x__"]; ok {
		t.Error("x__ was kept")
	}
	// The same data through ReadData (which sees R dump) and a .R file.
	again, err := ReadData(strings.NewReader(src))
	if err != nil || len(again) != len(d) {
		t.Fatalf("ReadData: %d variables, %v", len(again), err)
	}
	path := filepath.Join(t.TempDir(), "d.data.R")
	os.WriteFile(path, []byte(src), 0o644)
	if f, err := ReadDataFile(path); err != nil || f["m"].Elems[1] != 3 {
		t.Fatalf("ReadDataFile: %v", err)
	}
}

func TestReadRDumpErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"y <- c(1, NA)", "1:11: invalid R dump data: NA is not a number Stan can read (in y)"},
		{"y 3", "1:3: invalid R dump data: expected <- after y"},
		{"<- 3", "1:1: invalid R dump data: expected a variable's name"},
		{"y <- c(1, 2", "1:12: invalid R dump data: expected ) (in y)"},
		{"y <- 1.5:3", "1:6: invalid R dump data: a:b needs integers a and b (in y)"},
		{"y <- 99999999999", "1:6: invalid R dump data: integer 99999999999 is beyond int range (in y)"},
		{"y <- structure(c(1, 2), .Dim = c(1.5))", "1:32: invalid R dump data: .Dim must be nonnegative integers (in y)"},
		{"y <- integer(-1)", "1:14: invalid R dump data: integer(n) needs a nonnegative integer n (in y)"},
		{"y <- 1\ny <- 2", "2:1: invalid R dump data: variable y is given twice"},
		{"y <- foo", "1:6: invalid R dump data: expected a number, found foo (in y)"},
		{"'y <- 1", "1:3: invalid R dump data: expected a name and its closing '"},
		{"y <- 1e999", "1:6: invalid R dump data: 1e999 is beyond numeric range (in y)"},
		{"y <- 1.5.2", "1:6: invalid R dump data: 1.5.2 is not a number (in y)"},
		{"y <- 1 x", "1:9: invalid R dump data: expected <- after x"},
	} {
		if _, err := ReadRDump(strings.NewReader(c.src)); err == nil || err.Error() != c.want {
			t.Errorf("%q: %v, want %q", c.src, err, c.want)
		}
	}
}

func FuzzReadRDump(f *testing.F) {
	for _, s := range []string{"N <- 3\ny <- c(1, 2.5)\n", "m <- structure(c(1,2,3,4), .Dim = c(2,2))", "s <- 1:5; e <- integer(0)",
		"'q' = c(Inf, -Infinity, NaN)", "a <- structure(1:8, .Dim = c(2L, 2L, 2L))", "x <- structure(double(0), .Dim = c(0, 3))"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		d, err := ReadRDump(strings.NewReader(src))
		checkRead(t, src, d, err)
	})
}
