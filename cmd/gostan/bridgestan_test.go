package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBridgeStanRefusesBadPrograms: a program with an error is reported
// at its file:line:col and no library is written (the build itself, which
// needs a C compiler, is tested in package bridgestan).
func TestBridgeStanRefusesBadPrograms(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "bad.stan")
	if err := os.WriteFile(prog, []byte("parameters { real x; }\nmodel { x ~ normal(mu, 1); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "lib.so")
	_, _, err := run("bridgestan", prog, "-o", out)
	if err == nil || !strings.Contains(err.Error(), "bad.stan:2:") {
		t.Errorf("error %v, want one at bad.stan:2", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a library was written")
	}
}
