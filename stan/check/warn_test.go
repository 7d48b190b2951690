package check

import (
	"fmt"
	"testing"

	"github.com/gostan/gostan/stan/token"
)

// TestWarnings: the programs stanc3 accepts with a warning check without
// error and give the warning at stanc3's place, the start of the
// statement; the near misses give none.
func TestWarnings(t *testing.T) {
	const self = "warning: Assignment of variable to itself during declaration. This is almost certainly a bug."
	for _, tc := range []struct {
		src  string
		want []string // "line:col message"
	}{
		{"transformed data {\n  real x = x;\n}", []string{"2:3 " + self}},
		{"model {\n  vector[2] v = 2 * v + 1;\n}", []string{"2:3 " + self}},
		{"transformed data {\n  real y = 3, x = y ^ 2;\n}", nil},
		{"transformed data {\n  real a = 1, b = b;\n}", []string{"2:3 " + self}},
		{"transformed data {\n  real a;\n  a = 1;\n  real b = a;\n}", nil},
		// int / int rounds, with stanc3's rewriting of it as a real
		// division; none for %/% or a real operand.
		{"data { int n; }\ntransformed data {\n  real a = 1 + 3 / n;\n}", []string{"3:16 " + intDiv("3 / n", "3.0 / n")}},
		{"data { int n; }\ntransformed data {\n  int a = (n + 1) / 2;\n}", []string{"3:11 " + intDiv("(n + 1) / 2", "(n + 1) / 2.0")}},
		{"data { int n, m; }\ntransformed data {\n  int a = n / m;\n}", []string{"3:11 " + intDiv("n / m", "n * 1.0 / m")}},
		{"data { int n; }\ntransformed data {\n  int a = n %/% 2;\n  real b = n / 2.0;\n}", nil},
	} {
		fset := token.NewFileSet()
		info, err := parseCheck(fset, "w.stan", []byte(tc.src))
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		var got []string
		for _, w := range info.Warnings {
			got = append(got, fmtPos(w.Pos)+" "+w.Msg)
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q: warnings %q, want %q", tc.src, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q: warning %q, want %q", tc.src, got[i], tc.want[i])
			}
		}
	}
}

func fmtPos(p token.Position) string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

func intDiv(x, hint string) string {
	return "warning: Found int division:\n    " + x + "\nValues will be rounded towards zero. If rounding is not desired you can write the division as\n    " + hint + "\nIf rounding is intended please use the integer division operator %/%."
}
