package types

import (
	"sync"
	"testing"
)

func TestTupleTypes(t *testing.T) {
	ir := TupleOf(IntT, RealT)
	rr := TupleOf(RealT, RealT)
	if ir != TupleOf(IntT, RealT) || ir == rr {
		t.Errorf("tuple types compare by their members: %v, %v", ir, rr)
	}
	if got := Array(TupleOf(IntT, TupleOf(VectorT, Array(RealT, 2))), 1).String(); got != "array[] tuple(int, tuple(vector, array[,] real))" {
		t.Errorf("String = %q", got)
	}
	for _, c := range []struct {
		from, to Type
		ok       bool
	}{
		{ir, rr, true},
		{rr, ir, false},
		{ir, TupleOf(ComplexT, RealT), true},
		{TupleOf(VectorT, IntT), TupleOf(Type{Kind: ComplexVector}, RealT), true},
		{ir, TupleOf(RealT, RealT, RealT), false},
		{Array(ir, 1), Array(rr, 1), true},
		{Array(ir, 1), rr, false},
		{TupleOf(IntT, ir), TupleOf(RealT, rr), true},
		{RealT, rr, false},
	} {
		if got := Promotes(c.from, c.to); got != c.ok {
			t.Errorf("Promotes(%v, %v) = %v, want %v", c.from, c.to, got, c.ok)
		}
	}
	if got := PromotionCost(TupleOf(IntT, IntT), TupleOf(RealT, ComplexT)); got != 3 {
		t.Errorf("promotion cost %d, want 3 (int to real, then int to complex)", got)
	}
	if m := Array(ir, 2).Elem().Elem().Members(); len(m) != 2 || m[0] != IntT {
		t.Errorf("an array of tuples' element keeps the members: %v", m)
	}
}

// TestTupleInterningShared builds the same tuple types on many goroutines
// at once: the intern table is shared, and the types must agree.
func TestTupleInterningShared(t *testing.T) {
	var wg sync.WaitGroup
	got := make([]Type, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				got[i] = TupleOf(IntT, TupleOf(VectorT, RealT))
			}
		}()
	}
	wg.Wait()
	for _, g := range got[1:] {
		if g != got[0] {
			t.Fatalf("goroutines built different types: %v and %v", g, got[0])
		}
	}
}

func TestTupleResults(t *testing.T) {
	l := NewLibrary()
	for name, want := range map[string]string{
		"eigendecompose_sym": "tuple(matrix, vector)",
		"eigendecompose":     "tuple(complex_matrix, complex_vector)",
		"qr_thin":            "tuple(matrix, matrix)",
		"qr":                 "tuple(matrix, matrix)",
		"svd":                "tuple(matrix, vector, matrix)",
		"csr_extract":        "tuple(vector, array[] int, array[] int)",
	} {
		sig, err := l.Resolve(name, []Type{MatrixT})
		if err != nil || sig.Ret.String() != want {
			t.Errorf("%s(matrix) = %v, %v; want %s", name, sig.Ret, err, want)
		}
	}
}
