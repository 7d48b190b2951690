package compile

import (
	"strings"
	"testing"
)

// TestPrintFormat checks print's output against Stan's (Stan Math's
// stan_print and C++ stream defaults): matrices row by row, nested arrays,
// arrays of vectors and matrices, tuples and complex values without
// spaces, reals to six significant digits, and reject's message in the
// same format.
func TestPrintFormat(t *testing.T) {
	src := `transformed data {
  matrix[2, 2] m = [[1, 2], [3, 4]];
  array[2] vector[2] av = {[1, 2]', [3, 4]'};
  array[2] row_vector[3] ar = {[1, 2, 3], [4, 5, 6]};
  array[2, 2] int ai = {{1, 2}, {3, 4}};
  array[2] matrix[2, 3] am = {[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]};
  complex_matrix[2, 2] cm = to_complex(m, -m);
  array[2] complex_vector[2] acv = {to_complex([1, 2]', 0), to_complex([0, 0]', [3, 4]')};
  tuple(int, array[2] vector[2], tuple(complex, matrix[1, 2])) tp = (7, av, (to_complex(1, -1), [[0.5, 0.25]]));
  array[2] tuple(real, array[2] int) at = {(1.5, {1, 2}), (2.5, {3, 4})};
  print(m, " ", av, " ", ar, " ", ai, " ", am);
  print(cm, " ", acv);
  print(tp, " ", at);
  print(1.0 / 3, " ", 1e-7, " ", 123456789.0, " ", 2.5, " ", -0.0, " ", 1e300 * 1e300, " ", -1e300 * 1e300, " ", 1, " ", 100000.0, " ", 1000000.0);
}
parameters { real y; }
model { y ~ normal(0, 1); }
`
	p, err := Source("print.stan", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var printed strings.Builder
	p.Print = &printed
	if _, err := p.NewModel(nil, 1); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"[[1,2],[3,4]] [[1,2],[3,4]] [[1,2,3],[4,5,6]] [[1,2],[3,4]] [[[1,2,3],[4,5,6]],[[7,8,9],[10,11,12]]]",
		"[[(1,-1),(2,-2)],[(3,-3),(4,-4)]] [[(1,0),(2,0)],[(0,3),(0,4)]]",
		"(7,[[1,2],[3,4]],((1,-1),[[0.5,0.25]])) [(1.5,[1,2]),(2.5,[3,4])]",
		"0.333333 1e-07 1.23457e+08 2.5 -0 inf -inf 1 100000 1e+06",
	}, "\n") + "\n"
	if got := printed.String(); got != want {
		t.Errorf("print wrote\n%s\nwant\n%s", got, want)
	}

	// reject writes its message the same way.
	p, err = Source("reject.stan", []byte(`transformed data { reject("m = ", [[1, 2], [3, 4]], ", t = ", (1, {2.5, 1.0 / 3})); }
parameters { real y; }
model { y ~ normal(0, 1); }
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.NewModel(nil, 1)
	if want := "m = [[1,2],[3,4]], t = (1,[2.5,0.333333])"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("reject: error %v, want %q", err, want)
	}
}
