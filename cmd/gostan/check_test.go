package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run executes the command line and returns its output and exit error.
func run(args ...string) (stdout, stderr string, err error) {
	var out, errb bytes.Buffer
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	err = root.Execute()
	return out.String(), errb.String(), err
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.stan")
	bad := filepath.Join(dir, "bad.stan")
	os.WriteFile(good, []byte("parameters { real mu; }\nmodel { mu ~ normal(0, 1); }\n"), 0o644)
	os.WriteFile(bad, []byte("parameters { real mu; }\nmodel {\n  mu ~ normal(0, sigma);\n}\n"), 0o644)
	if _, stderr, err := run("check", good); err != nil {
		t.Fatalf("good program: %v %s", err, stderr)
	}
	_, stderr, err := run("check", good, bad)
	if err == nil {
		t.Fatal("bad program accepted")
	}
	want := bad + ":3:18: identifier 'sigma' not in scope\n    3 |   mu ~ normal(0, sigma);\n      |                  ^\n"
	if stderr != want {
		t.Errorf("diagnostic\n%s\nwant\n%s", stderr, want)
	}
	out, _, err := run("check", "--ast", good)
	if err != nil || !strings.Contains(out, "model {\n  mu ~ normal(0, 1);\n}") {
		t.Errorf("--ast printed %q (%v)", out, err)
	}
	if _, stderr, err := run("check", filepath.Join(dir, "missing.stan")); err == nil || !strings.Contains(stderr, "no such file") {
		t.Errorf("missing file: %v %q", err, stderr)
	}
}
