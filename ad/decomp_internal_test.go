package ad

import "testing"

// TestSolveHeader checks that a solve node's header reads back as written,
// at the places the nodes' own ints follow, for each pair of flags.
func TestSolveHeader(t *testing.T) {
	for _, mv := range []bool{false, true} {
		for _, rv := range []bool{false, true} {
			h := solveHeader{n: 7, k: 3, out: 123456, matVar: mv, rhsVar: rv}
			ints := make([]int32, solveHeaderLen+1)
			ints[solveHeaderLen] = -9
			h.put(ints)
			if got := readSolveHeader(ints); got != h || ints[solveHeaderLen] != -9 {
				t.Errorf("header %+v read back as %+v, next int %d", h, got, ints[solveHeaderLen])
			}
		}
	}
}
