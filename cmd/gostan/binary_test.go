package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gostan/gostan/internal/race"
)

var built struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// gostanBinary builds the gostan command once per test run and returns its
// path, for tests that must watch a real process: its exit status, its
// signals, and what a panic would print.
func gostanBinary(t testing.TB) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "gostan-bin")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "gostan")
		args := []string{"build", "-o", built.path}
		if race.Enabled {
			args = append(args, "-race")
		}
		built.out, built.err = exec.Command("go", append(args, ".")...).CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("building gostan: %v\n%s", built.err, built.out)
	}
	return built.path
}
