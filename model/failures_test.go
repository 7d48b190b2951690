package model

import (
	"fmt"
	"slices"
	"testing"
)

// TestFailures checks that the first FailuresKept messages are kept, every
// failure is counted, and the report words each case.
func TestFailures(t *testing.T) {
	var f Failures
	if r := f.Report("x failed", "xs failed"); r != nil {
		t.Errorf("no failures: report %q, want none", r)
	}
	f.Add(fmt.Errorf("m1"))
	if r := f.Report("x failed", "xs failed"); !slices.Equal(r, []string{"1 x failed: m1"}) {
		t.Errorf("one failure: report %q", r)
	}
	f.Add(fmt.Errorf("m2"))
	if r := f.Report("x failed", "xs failed"); !slices.Equal(r, []string{"2 xs failed:", "  m1", "  m2"}) {
		t.Errorf("two failures: report %q", r)
	}
	for i := 3; i <= 40; i++ {
		f.Add(fmt.Errorf("m%d", i))
	}
	if f.Count != 40 || len(f.First) != FailuresKept {
		t.Fatalf("count %d, kept %d; want 40, %d", f.Count, len(f.First), FailuresKept)
	}
	want := []string{fmt.Sprintf("40 xs failed; the first %d:", FailuresKept)}
	for i := 1; i <= FailuresKept; i++ {
		want = append(want, fmt.Sprintf("  m%d", i))
	}
	if r := f.Report("x failed", "xs failed"); !slices.Equal(r, want) {
		t.Errorf("40 failures: report %q, want %q", r, want)
	}
}
