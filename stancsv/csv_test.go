package stancsv

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	var sb strings.Builder
	w := NewWriter(&sb, 6)
	w.Comment("model = m", "method = sample (Default)")
	w.Columns([]string{"lp__", "theta", "y[1]"})
	w.Comment("Adaptation terminated", "Step size = 0.89")
	rows := [][]float64{{-7.25, 0.123456789, 3}, {-6, math.Inf(1), math.NaN()}}
	for _, r := range rows {
		if err := w.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Row([]float64{1}); err == nil {
		t.Fatal("short row accepted")
	}
	w.Comment("", " Elapsed Time: 0.1 seconds (Warm-up)")
	w.Flush()
	want := "# model = m\n# method = sample (Default)\nlp__,theta,y[1]\n# Adaptation terminated\n# Step size = 0.89\n-7.25,0.123457,3\n-6,inf,nan\n#\n#  Elapsed Time: 0.1 seconds (Warm-up)\n"
	if sb.String() != want {
		t.Fatalf("wrote\n%s\nwant\n%s", sb.String(), want)
	}
	f, err := Read(strings.NewReader(sb.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Config) != 2 || len(f.Adapt) != 2 || len(f.Footer) != 2 || f.Column("theta") != 1 || f.Column("x") != -1 {
		t.Fatalf("read %+v", f)
	}
	if f.Draws[0][1] != 0.123457 || !math.IsInf(f.Draws[1][1], 1) || !math.IsNaN(f.Draws[1][2]) {
		t.Fatalf("draws %v", f.Draws)
	}
}

func TestReadErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"# only comments\n", "no header line"},
		{"a,b\n1,2\n3\n", "line 3: 1 values, but the header has 2 columns"},
		{"a,b\n1,x\n", `line 2, column "b": "x" is not a number`},
	} {
		_, err := Read(strings.NewReader(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Read(%q) = %v, want %q", c.src, err, c.want)
		}
	}
}

// TestColumnNames checks that the CSV header names values as CmdStan
// does: the model's theta[1,2], z[real] and zs[2,1,imag] are theta.1.2,
// z.real and zs.2.1.imag.
func TestColumnNames(t *testing.T) {
	got := ColumnNames([]string{"z[real]", "z[imag]", "zs[2,1,imag]", "theta[1,2]", "x"})
	want := []string{"z.real", "z.imag", "zs.2.1.imag", "theta.1.2", "x"}
	if !slices.Equal(got, want) {
		t.Errorf("ColumnNames = %v, want %v", got, want)
	}
}
