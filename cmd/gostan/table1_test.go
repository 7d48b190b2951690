package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteTable1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t1.csv")
	os.WriteFile(path, []byte("posterior,DiagonalNormal,ADVI_meanfield\na,0.1,error\nb,0.5,0.2\nc,0.2,0.1\n"), 0o644)
	results := []evalResult{
		{Posterior: "a", Method: "autoguide-diagonal", MaxErr: 0.2, Passed: true, Seconds: 2, Steps: 20000},
		{Posterior: "b", Method: "autoguide-diagonal", MaxErr: 0.1, Passed: true, Seconds: 4, Steps: 20000},
		{Posterior: "c", Method: "autoguide-diagonal", MaxErr: math.Inf(1), Error: "boom"},
		{Posterior: "z", Method: "autoguide-diagonal", MaxErr: 0.1, Passed: true}, // not in Table 1
		{Posterior: "a", Method: "advi-meanfield", MaxErr: 0.5, Seconds: 1, Steps: 1000},
	}
	var b strings.Builder
	if err := writeTable1(&b, results, path); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| advi-meanfield | 1 | 0 | 0 | 0 | 1 | 1.000 |",
		"| autoguide-diagonal | 3 | 2 | 2 | 1 | 0 | 0.200 |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing row %q in\n%s", want, b.String())
		}
	}
}
