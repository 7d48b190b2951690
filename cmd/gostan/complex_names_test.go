package main

import (
	"slices"
	"testing"
)

// TestComplexColumnNames checks that the CSV header names complex values
// as CmdStan does: the model's z[real] and zs[2,1,imag] are z.real and
// zs.2.1.imag.
func TestComplexColumnNames(t *testing.T) {
	got := stanColumnNames([]string{"z[real]", "z[imag]", "zs[2,1,imag]", "theta[1,2]", "x"})
	want := []string{"z.real", "z.imag", "zs.2.1.imag", "theta.1.2", "x"}
	if !slices.Equal(got, want) {
		t.Errorf("stanColumnNames = %v, want %v", got, want)
	}
}
