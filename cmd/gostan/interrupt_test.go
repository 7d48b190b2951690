package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gostan/gostan/stancsv"
)

// TestSampleInterrupted sends SIGINT to `gostan sample` while it samples:
// it exits 1 saying how many draws each file holds, the files are valid
// Stan CSV of whole rows, and summary reads them.
func TestSampleInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := gostanBinary(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out.csv")
	cmd := exec.Command(bin, "sample", "../../examples/eight_schools.stan", "--data", "../../examples/eight_schools.data.json",
		"--chains", "2", "--threads", "2", "--warmup", "100", "--samples", "1000000", "--seed", "3", "--output", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until both files hold rows past the buffered header.
	first := filepath.Join(dir, "out_1.csv")
	second := filepath.Join(dir, "out_2.csv")
	deadline := time.Now().Add(2 * time.Minute)
	for !(fileSize(first) > 20000 && fileSize(second) > 20000) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no draws written:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1\n%s", err, stderr.String())
	}
	for _, path := range []string{first, second} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasSuffix(b, []byte("\n")) {
			t.Errorf("%s ends in a partial line", path)
		}
		f, err := stancsv.Read(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(f.Draws) == 0 || f.Column("theta.8") < 0 || len(f.Footer) != 0 {
			t.Fatalf("%s: %d draws, columns %v, footer %q", path, len(f.Draws), f.Columns, f.Footer)
		}
		if want := fmt.Sprintf("%s: %d draws", path, len(f.Draws)); !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	stdout, serr, err := run("summary", first, second)
	if err != nil || !strings.Contains(stdout, "theta[8]") && !strings.Contains(stdout, "theta.8") {
		t.Fatalf("summary of the partial files: %v\n%s\n%s", err, stdout, serr)
	}
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}
