package compile

import (
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// TestJSONDataAgainstDeclarations reads Stan JSON against data
// declarations as CmdStan does (the CmdStan Guide's "JSON Format for
// CmdStan"; stan/io/json/json_data.hpp's validate_dims): each form
// CmdStan takes is read, and each mismatch is refused with the
// variable, the element and the rule. want is "" for data that must be
// read, else a fragment of the error.
func TestJSONDataAgainstDeclarations(t *testing.T) {
	cases := []struct{ decl, json, want string }{
		// Scalars: CmdStan's dimensions must match exactly, so a scalar
		// is not a 1-element array, nor the other way round.
		{"real a;", `{"a": 1}`, ""},
		{"real a;", `{"a": 1.5}`, ""},
		{"real a;", `{"a": [1.5]}`, `data variable "a" has size [1], but is declared with size scalar`},
		{"vector[1] a;", `{"a": 1.5}`, `data variable "a" has size scalar, but is declared with size [1]`},
		{"array[1] int a;", `{"a": 1}`, `data variable "a" has size scalar, but is declared with size [1]`},
		// Non-finite reals: CmdStan's strings and bare words, the Guide's
		// "+inf" and "-inf"; other spellings are refused.
		{"real a;", `{"a": "NaN"}`, ""},
		{"real a;", `{"a": "Inf"}`, ""},
		{"real a;", `{"a": "-Inf"}`, ""},
		{"real a;", `{"a": "Infinity"}`, ""},
		{"real a;", `{"a": "-Infinity"}`, ""},
		{"real a;", `{"a": "+inf"}`, ""},
		{"real a;", `{"a": "-inf"}`, ""},
		{"real a;", `{"a": NaN}`, ""},
		{"real a;", `{"a": Infinity}`, ""},
		{"real a;", `{"a": -Infinity}`, ""},
		{"array[3] real a;", `{"a": [1, "Inf", NaN]}`, ""},
		{"real a;", `{"a": "-infinity"}`, `data variable "a": found the string "-infinity", but expected a number`},
		{"real a;", `{"a": "nan"}`, `data variable "a": found the string "nan"`},
		{"array[2] real a;", `{"a": [1, "+Inf"]}`, `data variable "a[2]": found the string "+Inf"`},
		{"int a;", `{"a": "Inf"}`, `data variable "a" has real values, but is declared int`},
		// Integers: an int must be written without a point or an
		// exponent, and fit Stan's 32-bit int; reals may be written as
		// integers.
		{"int a;", `{"a": 3}`, ""},
		{"int a;", `{"a": -2147483648}`, ""},
		{"int a;", `{"a": 1.0}`, `data variable "a" has real values, but is declared int`},
		{"int a;", `{"a": 1e2}`, `data variable "a" has real values, but is declared int`},
		{"array[3] int a;", `{"a": [1, 2, 3.0]}`, `data variable "a" has real values ("a[3]" is written as a real, 3), but is declared`},
		{"array[2, 2] int a;", `{"a": [[1, 2], [3.5, 4]]}`, `("a[2,1]" is written as a real, 3.5)`},
		{"array[2] int a;", `{"a": [1.0, 2]}`, `("a[1]" is written as a real, 1)`},
		{"int a;", `{"a": 3000000000}`, `data variable "a" has value 3e+09, outside the range of Stan's int`},
		{"array[3] real a;", `{"a": [1, 2, 3]}`, ""},
		{"real a;", `{"a": 1e400}`, `data variable "a": 1e400 is not a number`},
		// Empty containers: JSON's [] stands for any shape with a zero
		// size, and a variable of size zero may be left out.
		{"array[0] vector[3] a;", `{"a": []}`, ""},
		{"array[0] vector[3] a;", `{}`, ""},
		{"matrix[0, 3] a;", `{"a": []}`, ""},
		{"matrix[3, 0] a;", `{"a": []}`, ""},
		{"matrix[3, 0] a;", `{"a": [[], [], []]}`, ""},
		{"array[2, 0] int a;", `{"a": []}`, ""},
		{"array[2, 0] int a;", `{"a": [[], []]}`, ""},
		{"vector[0] a;", `{"a": []}`, ""},
		{"array[0] complex_matrix[2, 2] a;", `{"a": []}`, ""},
		{"array[0] tuple(real, int) a;", `{"a": []}`, ""},
		{"tuple(array[0] real, int) a;", `{"a": {"1": [], "2": 3}}`, ""},
		{"tuple(array[0] real, int) a;", `{"a": {"2": 3}}`, ""},
		{"tuple(real, matrix[0, 2]) a;", `{"a": {"1": 1, "2": []}}`, ""},
		{"array[2] tuple(vector[0], real) a;", `{"a": [{"1": [], "2": 1}, {"1": [], "2": 2}]}`, ""},
		{"tuple(array[0] tuple(real, int), real) a;", `{"a": {"1": [], "2": 2}}`, ""},
		{"array[0] int a;", `{"a": [[]]}`, ""},
		{"array[2] vector[3] a;", `{"a": []}`, `data variable "a" has size [0], but is declared with size [2,3]`},
		{"vector[3] a;", `{}`, `variable "a" not found in the data`},
		// Complex numbers: [re, im], and containers of such pairs; a
		// complex matrix is an array of rows.
		{"complex z;", `{"z": [1, -2.3]}`, ""},
		{"complex z;", `{"z": [1, "NaN"]}`, ""},
		{"complex z;", `{"z": 1}`, `data variable "z" has size scalar, but is declared complex with size scalar: each complex value is an array [re, im] of 2 numbers`},
		{"complex z;", `{"z": [1, 2, 3]}`, `data variable "z" has size [3], but is declared complex`},
		{"array[2] complex z;", `{"z": [[1, -2.3], [4.9, 0]]}`, ""},
		{"array[2] complex z;", `{"z": [1, 2]}`, `data variable "z" has size [2], but is declared array[] complex with size [2]: each complex value is an array [re, im] of 2 numbers, so the data must have size [2,2]`},
		{"complex_vector[2] z;", `{"z": [[1, -2.3], [4.9, 0]]}`, ""},
		{"complex_row_vector[2] z;", `{"z": [[1, -2.3], [4.9, 0]]}`, ""},
		{"complex_matrix[2, 3] z;", `{"z": [[[1, 1], [2, 2], [3, 3]], [[4, 4], [5, 5], [6, 6]]]}`, ""},
		{"complex_matrix[2, 3] z;", `{"z": [[1, 2, 3], [4, 5, 6]]}`, `so the data must have size [2,3,2]`},
		{"array[2] complex_matrix[1, 2] z;", `{"z": [[[[1, 1], [2, 2]]], [[[3, 3], [4, 4]]]]}`, ""},
		// Tuples: objects with keys "1", "2", ..., nested, in arrays and
		// holding arrays.
		{"tuple(real, array[2] int) t;", `{"t": {"1": 1.4, "2": [1, 2]}}`, ""},
		{"tuple(real, array[2] int) t;", `{"t": {"2": [1, 2], "1": 1.4}}`, ""},
		{"tuple(real, tuple(int, vector[2])) t;", `{"t": {"1": 1.4, "2": {"1": 3, "2": [1, 2]}}}`, ""},
		{"array[2] tuple(real, int) t;", `{"t": [{"1": 1.4, "2": 1}, {"1": 2, "2": 3}]}`, ""},
		{"array[2, 1] tuple(real, array[2] int) t;", `{"t": [[{"1": 1, "2": [1, 2]}], [{"1": 2, "2": [3, 4]}]]}`, ""},
		{"tuple(real, complex) t;", `{"t": {"1": 1.4, "2": [1, 2]}}`, ""},
		{"tuple(array[2] complex, real) t;", `{"t": {"1": [[1, 2], [3, 4]], "2": 1}}`, ""},
		{"array[2] tuple(real, int) t;", `{"t": [{"1": 1.4, "2": 1}, {"1": 2}]}`, `data variable "t[2]" has 1 tuple member(s), but "t[1]" has 2`},
		{"array[2] tuple(real, int) t;", `{"t": [{"1": 1.4, "2": 1}, {"1": 2, "2": 3.5}]}`, `data variable "t:2" has real values ("t:2[2]" is written as a real, 3.5)`},
		{"tuple(real, int) t;", `{"t": [1.4, 1]}`, `data variable "t" is a tuple: give it as a JSON object with keys "1", "2", ...`},
		{"tuple(real, int) t;", `{"t": {"1": 1.4}}`, `data variable "t" has no member 2`},
		{"tuple(real, int) t;", `{"t": {"1": 1.4, "1": 2, "2": 1}}`, `data variable "t" has the tuple member "1" twice`},
		{"tuple(real, int) t;", `{"t": {"one": 1.4, "2": 1}}`, `data variable "t" is a tuple, whose keys must be "1", "2", ..., found "one"`},
		{"tuple(real, vector[2]) t;", `{"t": {"1": 1.4, "2": [1, 2, 3]}}`, `data variable "t:2" has size [3], but is declared with size [2]`},
		// Matrices are arrays of rows; arrays of matrices one more level.
		{"matrix[2, 3] m;", `{"m": [[1, 2, 3], [4, 5, 6]]}`, ""},
		{"matrix[2, 3] m;", `{"m": [[1, 2], [3, 4], [5, 6]]}`, `data variable "m" has size [3,2], but is declared with size [2,3]`},
		{"array[2] matrix[2, 2] m;", `{"m": [[[1, 2], [3, 4]], [[1, 2], [3, 4]]]}`, ""},
		{"matrix[2, 2] m;", `{"m": [1, 2, 3, 4]}`, `data variable "m" has size [4], but is declared with size [2,2]`},
		// Too deep, too shallow, ragged.
		{"array[2] real a;", `{"a": [[1], [2]]}`, `data variable "a" has size [2,1], but is declared with size [2]`},
		{"array[2, 2] real a;", `{"a": [1, 2, 3, 4]}`, `data variable "a" has size [4], but is declared with size [2,2]`},
		{"array[2] real a;", `{"a": [1, [2]]}`, `data variable "a[2]": found an array where a number was expected`},
		{"array[2, 2] real a;", `{"a": [[1, 2], [3]]}`, `data variable "a[2]" has 1 elements, but "a[1]" has 2: arrays must be rectangular`},
		{"array[2, 2] real a;", `{"a": [[1, 2], 3]}`, `data variable "a[2]": found a number where an array of 2 elements was expected`},
		// Names: given twice is refused (CmdStan: "Attempt to redefine
		// variable"); names that are not Stan identifiers are skipped.
		{"real a;", `{"a": 1, "a": 2}`, `data variable "a" is given twice`},
		{"real a;", `{"a": 1, "_comment": "made by hand", "#b": [true]}`, ""},
		{"real a;", `{"a": null}`, `data variable "a": found null, but expected a number`},
		{"real a;", `{"a": true}`, `data variable "a": found true, but expected a number`},
		// Bounds.
		{"real<lower=0> a;", `{"a": 0}`, ""},
		{"real<lower=0> a;", `{"a": -1}`, `data variable "a" is -1, but must be >= 0`},
		{"array[2] real<lower=0, upper=1> a;", `{"a": [0.5, 2]}`, `data variable "a[2]" is 2, but must be <= 1`},
		{"vector<upper=0>[2] a;", `{"a": [-1, "NaN"]}`, `data variable "a[2]" is NaN, but must be <= 0`},
		{"real<lower=0> a;", `{"a": "Inf"}`, ""},
		{"array[2] int<lower=1> a;", `{"a": [1, 0]}`, `data variable "a[2]" is 0, but must be >= 1`},
		{"matrix<lower=0>[2, 2] a;", `{"a": [[1, 2], [-3, 4]]}`, `data variable "a[2,1]" is -3, but must be >= 0`},
		// Structured types, with Stan's CONSTRAINT_TOLERANCE 1e-8 on sums
		// and norms; an array names the element.
		{"simplex[3] s;", `{"s": [0.2, 0.3, 0.5]}`, ""},
		{"simplex[3] s;", `{"s": [0.2, 0.3, 0.500000005]}`, ""},
		{"simplex[3] s;", `{"s": [0.2, 0.3, 0.50000002]}`, `data variable "s" is not a valid simplex: simplex_free: Simplex variable is not a valid simplex. sum(Simplex variable) = 1.00000001999`},
		{"simplex[3] s;", `{"s": [-0.2, 0.7, 0.5]}`, `Simplex variable[1] = -0.2, but should be greater than or equal to 0`},
		{"array[2] simplex[3] s;", `{"s": [[0.2, 0.3, 0.5], [0.2, 0.3, 0.6]]}`, `data variable "s[2]" is not a valid simplex`},
		{"array[2, 2] simplex[2] s;", `{"s": [[[0.5, 0.5], [0.5, 0.5]], [[0.5, 0.5], [1, 1]]]}`, `data variable "s[2,2]" is not a valid simplex`},
		{"cov_matrix[2] s;", `{"s": [[1, 0.5], [0.5, 1]]}`, ""},
		{"cov_matrix[2] s;", `{"s": [[1, 0.5], [0.500000005, 1]]}`, ""},
		{"cov_matrix[2] s;", `{"s": [[1, 0.5], [0.4, 1]]}`, `data variable "s" is not a valid cov_matrix: cov_matrix_free: x is not symmetric. x[2,1] = 0.4, but x[1,2] = 0.5`},
		{"cov_matrix[2] s;", `{"s": [[1, 2], [2, 1]]}`, `data variable "s" is not a valid cov_matrix: cov_matrix_free: x is not positive definite`},
		{"array[2] cov_matrix[2] s;", `{"s": [[[1, 0.5], [0.5, 1]], [[1, 0.5], [0.4, 1]]]}`, `data variable "s[2]" is not a valid cov_matrix`},
		{"corr_matrix[2] s;", `{"s": [[1, 0.5], [0.5, 1]]}`, ""},
		{"corr_matrix[2] s;", `{"s": [[1, 0.5], [0.5, 1.1]]}`, `data variable "s" is not a valid corr_matrix: corr_matrix_free: x is not a valid correlation matrix. x[2,2] is 1.1, but should be near 1`},
		{"corr_matrix[2] s;", `{"s": [[1, 1.5], [1.5, 1]]}`, `data variable "s" is not a valid corr_matrix`},
		{"cholesky_factor_corr[2] s;", `{"s": [[1, 0], [0.6, 0.8]]}`, ""},
		{"cholesky_factor_corr[2] s;", `{"s": [[1, 0.1], [0.6, 0.8]]}`, `data variable "s" is not a valid cholesky_factor_corr: cholesky_corr_free: x is not lower triangular; x[1,2]=0.1`},
		{"cholesky_factor_corr[2] s;", `{"s": [[1, 0], [0.6, 0.9]]}`, `data variable "s" is not a valid cholesky_factor_corr`},
		{"cholesky_factor_cov[2] s;", `{"s": [[1, 0], [0.6, 0.8]]}`, ""},
		{"cholesky_factor_cov[2] s;", `{"s": [[1, 0], [0.6, -0.8]]}`, `data variable "s" is not a valid cholesky_factor_cov: cholesky_factor_free: x[2,2] is -0.8, but must be positive`},
		{"cholesky_factor_cov[3, 2] s;", `{"s": [[1, 0], [0.6, 0.8], [1, 1]]}`, ""},
		{"cholesky_factor_cov[3, 2] s;", `{"s": [[1, 1], [0.6, 0.8], [1, 1]]}`, `data variable "s" is not a valid cholesky_factor_cov`},
		{"ordered[3] o;", `{"o": [1, 2, 3]}`, ""},
		{"ordered[3] o;", `{"o": [1, 3, 2]}`, `data variable "o" is not a valid ordered: ordered_free: Ordered variable is not a valid ordered vector. The element at 3 is 2, but should be greater than the previous element, 3`},
		{"ordered[2] o;", `{"o": [1, 1]}`, `data variable "o" is not a valid ordered`},
		{"positive_ordered[3] o;", `{"o": [0.5, 3, 4]}`, ""},
		{"positive_ordered[3] o;", `{"o": [-1, 3, 4]}`, `data variable "o" is not a valid positive_ordered: positive_ordered_free: Positive ordered variable is not a valid positive_ordered vector. The element at 1 is -1`},
		{"unit_vector[2] u;", `{"u": [0.6, 0.8]}`, ""},
		{"unit_vector[2] u;", `{"u": [0.6, 0.800000004]}`, ""},
		{"unit_vector[2] u;", `{"u": [0.6, 0.9]}`, `data variable "u" is not a valid unit_vector: unit_vector_free: Unit vector variable is not a valid unit vector. The sum of the squares of the elements should be 1, but is 1.17`},
		{"sum_to_zero_vector[3] u;", `{"u": [1, -1, 0]}`, ""},
		{"sum_to_zero_vector[3] u;", `{"u": [1, -1, 0.000000005]}`, ""},
		{"sum_to_zero_vector[3] u;", `{"u": [1, -1, 0.1]}`, `data variable "u" is not a valid sum_to_zero_vector: sum_to_zero_free: sum_to_zero variable does not sum to zero. sum(sum_to_zero variable) = 0.1`},
		{"sum_to_zero_matrix[2, 2] u;", `{"u": [[1, -1], [-1, 1]]}`, ""},
		{"sum_to_zero_matrix[2, 2] u;", `{"u": [[1, -1], [-1, 1.1]]}`, `data variable "u" is not a valid sum_to_zero_matrix: sum_to_zero_free: sum_to_zero variable does not sum to zero in column 2`},
		{"column_stochastic_matrix[2, 2] u;", `{"u": [[0.5, 0.3], [0.5, 0.7]]}`, ""},
		{"column_stochastic_matrix[2, 2] u;", `{"u": [[0.5, 0.5], [0.5, 0.4]]}`, `data variable "u" is not a valid column_stochastic_matrix: stochastic_column_free: column 2: Simplex variable is not a valid simplex. sum(Simplex variable) = 0.9`},
		{"row_stochastic_matrix[2, 2] u;", `{"u": [[0.5, 0.5], [0.3, 0.7]]}`, ""},
		{"row_stochastic_matrix[2, 2] u;", `{"u": [[0.5, 0.5], [0.5, 0.4]]}`, `data variable "u" is not a valid row_stochastic_matrix: stochastic_row_free: row 2: Simplex variable is not a valid simplex. sum(Simplex variable) = 0.9`},
		// Constraints inside tuples name the member and the element.
		{"tuple(simplex[2], real<lower=0>) t;", `{"t": {"1": [0.5, 0.6], "2": 1}}`, `data variable "t:1" is not a valid simplex`},
		{"tuple(simplex[2], real<lower=0>) t;", `{"t": {"1": [0.5, 0.5], "2": -1}}`, `data variable "t:2" is -1, but must be >= 0`},
		{"array[2] tuple(real<lower=0>, int) t;", `{"t": [{"1": 1.4, "2": 1}, {"1": -2, "2": 3}]}`, `data variable "t:1[2]" is -2, but must be >= 0`},
	}
	for _, c := range cases {
		p, err := Source("d.stan", []byte("data { "+c.decl+" }\n"))
		if err != nil {
			t.Fatalf("%s: %v", c.decl, err)
		}
		d, err := model.ReadData(strings.NewReader(c.json))
		if err == nil {
			_, err = p.NewModel(d, 1)
		}
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s with %s: %v, want it read", c.decl, c.json, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s with %s: error %v, want %q", c.decl, c.json, err, c.want)
		}
	}
}

// TestGoBuiltDataNamesNoRealElement: a Value built in Go with Int false
// does not say which element was written as a real, so the error for
// an int declaration names none (it once blamed the first), while the
// same numbers read from JSON name the element.
func TestGoBuiltDataNamesNoRealElement(t *testing.T) {
	p, err := Source("d.stan", []byte("data { array[3] int a; }\n"))
	if err != nil {
		t.Fatal(err)
	}
	built := model.Data{"a": {Dims: []int{3}, Elems: []float64{1, 2, 3}}}
	_, err = p.NewModel(built, 1)
	if want := `data variable "a" has real values, but is declared array[] int`; err == nil || err.Error() != want {
		t.Errorf("built in Go: error %v, want %q", err, want)
	}
	read, err := model.ReadData(strings.NewReader(`{"a": [1, 2.0, 3]}`))
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := read["a"].FirstReal(); !ok || k != 1 {
		t.Errorf("FirstReal of [1, 2.0, 3] = %d, %v, want 1, true", k, ok)
	}
	if _, ok := built["a"].FirstReal(); ok {
		t.Errorf("FirstReal of a Value built in Go is known")
	}
}
