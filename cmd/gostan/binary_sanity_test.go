package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBinaryRuns runs the built command as a process: a bad subcommand
// exits 1 with a message, not 2 with a stack trace.
func TestBinaryRuns(t *testing.T) {
	out, err := exec.Command(gostanBinary(t), "no-such-command").CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit %v, want status 1:\n%s", err, out)
	}
	if !strings.Contains(string(out), "unknown command") {
		t.Errorf("output lacks the reason:\n%s", out)
	}
}
