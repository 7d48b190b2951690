package types

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestTypeString(t *testing.T) {
	for _, c := range []struct {
		t    Type
		want string
	}{
		{RealT, "real"}, {Array(IntT, 1), "array[] int"}, {Array(VectorT, 3), "array[,,] vector"},
	} {
		if got := c.t.String(); got != c.want {
			t.Errorf("%v.String() = %q, want %q", c.t, got, c.want)
		}
	}
	if e := Array(MatrixT, 1).Elem(); e != MatrixT {
		t.Errorf("Elem of array[] matrix = %v", e)
	}
	if e := VectorT.Elem(); e != RealT {
		t.Errorf("Elem of vector = %v", e)
	}
}

func TestPromotes(t *testing.T) {
	yes := [][2]Type{{IntT, RealT}, {IntT, ComplexT}, {RealT, ComplexT}, {Array(IntT, 2), Array(RealT, 2)}, {VectorT, {Kind: ComplexVector}}}
	no := [][2]Type{{RealT, IntT}, {Array(IntT, 1), RealT}, {VectorT, RowVectorT}, {Array(RealT, 1), VectorT}, {Array(IntT, 1), Array(RealT, 2)}}
	for _, p := range yes {
		if !Promotes(p[0], p[1]) {
			t.Errorf("%v should promote to %v", p[0], p[1])
		}
	}
	for _, p := range no {
		if Promotes(p[0], p[1]) {
			t.Errorf("%v should not promote to %v", p[0], p[1])
		}
	}
}

func TestResolve(t *testing.T) {
	l := NewLibrary()
	cases := []struct {
		name string
		args []Type
		want Type
	}{
		{"exp", []Type{IntT}, RealT},
		{"exp", []Type{Array(IntT, 2)}, Array(RealT, 2)},
		{"exp", []Type{VectorT}, VectorT},
		{"abs", []Type{IntT}, IntT},
		{"add", []Type{IntT, IntT}, IntT},
		{"add", []Type{IntT, RealT}, RealT},
		{"multiply", []Type{IntT, IntT}, IntT},
		{"multiply", []Type{IntT, RealT}, RealT},
		{"multiply", []Type{MatrixT, VectorT}, VectorT},
		{"multiply", []Type{RowVectorT, VectorT}, RealT},
		{"normal_lpdf", []Type{VectorT, IntT, RealT}, RealT},
		{"normal_rng", []Type{RealT, RealT}, RealT},
		{"normal_rng", []Type{VectorT, RealT}, Array(RealT, 1)},
		{"poisson_log_rng", []Type{VectorT}, Array(IntT, 1)},
		{"bernoulli_logit_lpmf", []Type{Array(IntT, 1), VectorT}, RealT},
		{"multi_normal_lpdf", []Type{Array(VectorT, 1), VectorT, MatrixT}, RealT},
		{"rep_matrix", []Type{IntT, IntT, IntT}, MatrixT},
		{"sum", []Type{Array(IntT, 1)}, IntT},
		{"sum", []Type{VectorT}, RealT},
		{"pi", nil, RealT},
		{"size", []Type{Array(VectorT, 2)}, IntT},
		{"min", []Type{IntT, IntT}, IntT},
		{"fmin", []Type{IntT, RealT}, RealT},
		{"exp", []Type{Array(RealT, 7)}, Array(RealT, 7)},
		{"pow", []Type{Array(RealT, 8), IntT}, Array(RealT, 8)},
		{"minus", []Type{Array(IntT, 2)}, Array(IntT, 2)},
		{"head", []Type{Array(ComplexT, 1), IntT}, Array(ComplexT, 1)},
		{"get_real", []Type{Array(Type{Kind: ComplexMatrix}, 5)}, Array(MatrixT, 5)},
		{"bessel_first_kind", []Type{Array(IntT, 3), Array(MatrixT, 1)}, Array(MatrixT, 1)},
		{"to_complex", []Type{Array(VectorT, 2), RealT}, Array(Type{Kind: ComplexVector}, 2)},
	}
	for _, c := range cases {
		s, err := l.Resolve(c.name, c.args)
		if err != nil {
			t.Errorf("%s(%s): %v", c.name, typeList(c.args), err)
			continue
		}
		if s.Ret != c.want {
			t.Errorf("%s(%s) returns %v, want %v", c.name, typeList(c.args), s.Ret, c.want)
		}
	}
}

func TestResolveErrors(t *testing.T) {
	l := NewLibrary()
	if _, err := l.Resolve("nosuch", nil); err == nil || !strings.Contains(err.Error(), "undeclared identifier 'nosuch'") {
		t.Errorf("undeclared: %v", err)
	}
	// As stanc3: max and min of two scalars are of ints (fmax, fmin of
	// reals); a GLM's intercept is a real or a vector.
	for _, c := range []struct {
		name string
		args []Type
	}{
		{"min", []Type{IntT, RealT}},
		{"bernoulli_logit_glm_lpmf", []Type{Array(IntT, 1), MatrixT, Array(RealT, 1), VectorT}},
		{"head", []Type{Array(IntT, 4), IntT}},
	} {
		if _, err := l.Resolve(c.name, c.args); err == nil {
			t.Errorf("%s(%s) resolves; stanc3 has no such signature", c.name, typeList(c.args))
		}
	}
	_, err := l.Resolve("normal_lpdf", []Type{MatrixT, RealT, RealT})
	if err == nil || !strings.Contains(err.Error(), "no matching signature for 'normal_lpdf' with arguments (matrix, real, real)") {
		t.Errorf("mismatch: %v", err)
	}
	l.Add("f", Signature{Args: []Type{RealT, IntT}, Ret: RealT})
	l.Add("f", Signature{Args: []Type{IntT, RealT}, Ret: RealT})
	if _, err := l.Resolve("f", []Type{IntT, IntT}); err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("ambiguous: %v", err)
	}
	if NewLibrary().Has("f") {
		t.Error("Add changed the standard library")
	}
}

func TestLibraryNames(t *testing.T) {
	names := NewLibrary().Names()
	if !slices.IsSorted(names) {
		t.Error("Names is not sorted")
	}
	for _, want := range []string{"add", "normal_lpdf", "normal_lcdf", "normal_rng", "to_matrix"} {
		if _, ok := slices.BinarySearch(names, want); !ok {
			t.Errorf("Names lacks %s", want)
		}
	}
}

// TestStdlibShared resolves operators against the shared standard library
// from many goroutines at once, as checkers running in parallel do (run
// with -race): each gets the overload a lone call gets.
func TestStdlibShared(t *testing.T) {
	calls := []struct {
		name string
		args []Type
		want Type
	}{
		{"add", []Type{VectorT, RealT}, VectorT},
		{"%/%", []Type{IntT, IntT}, IntT},
		{".^", []Type{Array(IntT, 1), RealT}, Array(RealT, 1)},
		{`\`, []Type{MatrixT, VectorT}, VectorT},
		{"pow", []Type{ComplexT, IntT}, ComplexT},
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(calls))
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				for _, c := range calls {
					sig, err := Stdlib().Resolve(c.name, c.args)
					if err != nil || sig.Ret != c.want {
						errs <- fmt.Sprintf("%s%v = %v, %v; want %v", c.name, c.args, sig.Ret, err, c.want)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
