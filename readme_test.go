package gostan_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeProgram runs the Go program of the README's "From Go" section
// as it is written: it must compile and print the summary of eight schools.
func TestReadmeProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## From Go\n")
	m := regexp.MustCompile("(?s)```go\n(.*?)```").FindStringSubmatch(section)
	if !ok || m == nil {
		t.Fatal("no Go program in the README's From Go section")
	}
	if n := strings.Count(bodyOf(m[1], "func main() {"), "\n"); n > 10 {
		t.Errorf("main has %d lines, not ten", n)
	}
	// The program's directory must lie inside the module to import it.
	dir, err := os.MkdirTemp(".", ".readme-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(m[1]), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "run", "./"+filepath.Base(dir)).CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	for _, want := range []string{"lp__", "theta[8]", "tau", "R_hat"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("no %q in the output:\n%s", want, out)
		}
	}
}

// bodyOf is the body of the function that starts with header in src.
func bodyOf(src, header string) string {
	_, rest, _ := strings.Cut(src, header)
	body, _, _ := strings.Cut(rest, "\n}\n")
	return body
}
