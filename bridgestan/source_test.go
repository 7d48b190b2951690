package bridgestan

import (
	"context"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSourceEmbedsIncludes checks that a program's #include'd files are
// embedded: the source compiles after they are gone, and the generated
// main package holds them and is gofmt'ed Go.
func TestSourceEmbedsIncludes(t *testing.T) {
	dir := t.TempDir()
	inc := filepath.Join(dir, "prior.stanfunctions")
	if err := os.WriteFile(inc, []byte("real half(real x) { return x / 2; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	prog := filepath.Join(dir, "m.stan")
	text := "functions {\n#include prior.stanfunctions\n}\nparameters { real x; }\nmodel { x ~ normal(half(4), 1); }\n"
	if err := os.WriteFile(prog, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := ReadSource(prog)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "m" || len(s.Includes) != 1 {
		t.Fatalf("name %q, includes %v", s.Name, s.Includes)
	}
	os.Remove(inc)
	p, err := s.Compile()
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(p, s.Name, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	if lp, _ := m.LogDensity(true, true, []float64{2}, nil); lp != 0 {
		t.Errorf("lp at the mean %v, want 0", lp)
	}
	main := mainSource(s)
	formatted, err := format.Source([]byte(main))
	if err != nil || string(formatted) != main {
		t.Errorf("the generated package is not gofmt'ed Go (%v):\n%s", err, main)
	}
	if !strings.Contains(main, `"prior.stanfunctions": "real half`) {
		t.Errorf("the include is not embedded:\n%s", main)
	}
}

// TestBuildRefusesBadPrograms checks that Build reports a program's
// errors with file:line:col before it builds anything.
func TestBuildRefusesBadPrograms(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "bad.stan")
	if err := os.WriteFile(prog, []byte("parameters { real x; }\nmodel { x ~ normal(y, 1); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Build(context.Background(), BuildOptions{Stan: prog, Out: filepath.Join(dir, "lib.so")})
	if err == nil || !strings.Contains(err.Error(), "bad.stan:2:") {
		t.Errorf("error %v, want one at bad.stan:2", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "lib.so")); err == nil {
		t.Error("a library was written")
	}
	if _, err := sourceTree(dir); err == nil || !strings.Contains(err.Error(), "not a checkout") {
		t.Errorf("a directory without gostan's go.mod: %v", err)
	}
}
