package compile

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/gostan/gostan/model"
)

// dataFuzzProgram declares data of every kind the JSON reader fills:
// arrays of nested tuples, complex scalars, vectors and matrices, tuples
// of constrained types and one-member tuples.
const dataFuzzProgram = `data {
  int N;
  array[N] tuple(int<lower=0>, tuple(real, vector[2])) d;
  tuple(complex, array[2] complex_vector[2]) c;
  complex_matrix[2, 2] cm;
  tuple(simplex[3], cov_matrix[2]) s;
  array[2, N] tuple(real,) one;
  array[N] tuple(array[N] int, complex_row_vector[N]) r;
}
parameters { real mu; }
model { mu ~ normal(d[1].2.1 + get_real(c.1) + s.1[1], 1); }
generated quantities { tuple(complex, real) g = (cm[1, 2], one[2, N].1); }
`

// dataFuzzNamed matches an error that names a variable of
// dataFuzzProgram, quoted, or a declaration's position.
var dataFuzzNamed = regexp.MustCompile(`"(N|d|c|cm|s|one|r)\b|data\.stan:\d+:\d+: `)

// FuzzDataDecls checks that no JSON data makes building dataFuzzProgram
// or writing its generated quantities panic, and that data it refuses
// gets an error naming the variable or its declaration.
func FuzzDataDecls(f *testing.F) {
	f.Add([]byte(`{"N": 2, "d": [{"1": 3, "2": {"1": 0.5, "2": [1, 2]}}, {"1": 0, "2": {"1": 1.5, "2": [3, 4]}}],
 "c": {"1": [1, 2], "2": [[[1, 0], [0, 1]], [[2, 2], [3, 3]]]}, "cm": [[[1, 0], [0, 1]], [[2, 2], [3, 3]]],
 "s": {"1": [0.2, 0.3, 0.5], "2": [[2, 0.5], [0.5, 1]]}, "one": [[{"1": 1}, {"1": 2}], [{"1": 3}, {"1": 4}]],
 "r": [{"1": [1, 2], "2": [[1, 2], [3, 4]]}, {"1": [3, 4], "2": [[5, 6], [7, 8]]}]}`))
	f.Add([]byte(`{"N": 0, "d": [], "c": {"1": [1, 2], "2": [[[1, 0], [0, 1]], [[2, 2], [3, 3]]]}, "cm": [[[1, 0], [0, 1]], [[2, 2], [3, 3]]],
 "s": {"1": [1, 0, 0], "2": [[1, 0], [0, 1]]}, "one": [[], []], "r": []}`))
	p, err := Source("data.stan", []byte(dataFuzzProgram))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, js []byte) {
		defer watchdog([]byte(dataFuzzProgram), js)()
		data, err := model.ReadData(bytes.NewReader(js))
		if err != nil {
			return
		}
		m, err := p.NewModel(data, 1)
		if err != nil {
			if !dataFuzzNamed.MatchString(err.Error()) {
				t.Fatalf("the error names no variable: %v", err)
			}
			return
		}
		x := make([]float64, m.Dim())
		m.LogDensity(x, make([]float64, len(x)))
		m.Write(x, nil, make([]float64, len(m.Names())))
	})
}
