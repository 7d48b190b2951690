package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gostan/gostan/stancsv"
)

// TestSampleInterrupted sends SIGINT to `gostan sample` while it samples:
// it exits 130 saying how many draws each file holds, the files are valid
// Stan CSV of whole rows, and summary reads them.
func TestSampleInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out.csv")
	// Wait until both files hold rows past the buffered header.
	first := filepath.Join(dir, "out_1.csv")
	second := filepath.Join(dir, "out_2.csv")
	status, _, stderr := interruptWhen(t, syscall.SIGINT, func(string, string) bool {
		return fileSize(first) > 20000 && fileSize(second) > 20000
	}, "sample", "../../examples/eight_schools.stan", "--data", "../../examples/eight_schools.data.json",
		"--chains", "2", "--threads", "2", "--warmup", "100", "--samples", "1000000", "--seed", "3", "--output", out)
	if status != 130 {
		t.Fatalf("exit status %d, want 130\n%s", status, stderr)
	}
	for _, path := range []string{first, second} {
		f := readWholeCSV(t, path)
		if len(f.Draws) == 0 || f.Column("theta.8") < 0 || len(f.Footer) != 0 {
			t.Fatalf("%s: %d draws, columns %v, footer %q", path, len(f.Draws), f.Columns, f.Footer)
		}
		if want := fmt.Sprintf("%s: %d draws", path, len(f.Draws)); !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
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

// syncBuffer is a buffer a process's output is copied into while the test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// interruptWhen starts the gostan binary with args, sends it sig once ready
// holds (polled on what gostan has printed so far), and returns its exit
// status and output. gostan ending before it is ready fails the test.
func interruptWhen(t *testing.T, sig syscall.Signal, ready func(stdout, stderr string) bool, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(gostanBinary(t), args...)
	var out, errb syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	for !ready(out.String(), errb.String()) {
		select {
		case err := <-waited:
			t.Fatalf("gostan ended (%v) before the test could interrupt it:\n%s\n%s", err, out.String(), errb.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-waited
			t.Fatalf("gostan not ready to interrupt after 2 minutes:\n%s\n%s", out.String(), errb.String())
		}
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	<-waited
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

// readWholeCSV reads a Stan CSV file an interrupted run wrote: it must end
// with a whole line and parse, header included.
func readWholeCSV(t *testing.T, path string) *stancsv.File {
	t.Helper()
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
	return f
}

// slowStan's log density -exp(-x) grows towards 0 as x grows, by ln 2
// each L-BFGS iteration: with the tolerances off the optimizer steps on
// until exp(-x)/N underflows, hundreds of iterations, each slowed down by
// a sum of N terms.
const slowStan = `data { int N; }
parameters { real x; }
model {
  for (n in 1:N) target += -exp(-x) / N;
}
`

// TestOptimizeInterrupted sends SIGTERM to `gostan optimize` after its
// fifth iteration: it exits 143, and the file holds the point of the last
// iteration it printed, with a comment saying it is no mode.
func TestOptimizeInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	dir := t.TempDir()
	prog, data, out := filepath.Join(dir, "slow.stan"), filepath.Join(dir, "slow.json"), filepath.Join(dir, "out.csv")
	os.WriteFile(prog, []byte(slowStan), 0o644)
	os.WriteFile(data, []byte(`{"N": 100000}`), 0o644)
	fifth := regexp.MustCompile(`(?m)^ +5 `)
	status, stdout, stderr := interruptWhen(t, syscall.SIGTERM, func(stdout, _ string) bool { return fifth.MatchString(stdout) },
		"optimize", prog, "--data", data, "--init", "0", "--iter", "100000000", "--refresh", "1", "--output", out,
		"--tol-obj", "0", "--tol-rel-obj", "0", "--tol-grad", "0", "--tol-rel-grad", "0", "--tol-param", "0")
	if status != 143 {
		t.Fatalf("exit status %d, want 143\n%s", status, stderr)
	}
	f := readWholeCSV(t, out)
	if len(f.Draws) != 1 || strings.Join(f.Columns, ",") != "lp__,x" {
		t.Fatalf("%d rows of columns %v, want one of lp__,x", len(f.Draws), f.Columns)
	}
	// The last iteration printed: its number and log density.
	lines := regexp.MustCompile(`(?m)^ +(\d+) +(\S+) `).FindAllStringSubmatch(stdout, -1)
	last := lines[len(lines)-1]
	lp, _ := strconv.ParseFloat(last[2], 64)
	if want := "Interrupted after " + last[1] + " of 100000000 iterations: the best point so far, not a converged mode."; len(f.Adapt) != 1 || f.Adapt[0] != want {
		t.Errorf("comments after the header %q, want %q", f.Adapt, want)
	}
	// x = -log(-lp__), both to 6 significant digits.
	if row := f.Draws[0]; row[0] != lp || math.Abs(row[1]+math.Log(-row[0])) > 1e-5*(1+math.Abs(row[1])) {
		t.Errorf("row %v: lp__ is not iteration %s's %g, or not -exp(-x)", row, last[1], lp)
	}
	if want := fmt.Sprintf("gostan: interrupted; the file holds the best point so far:\n  %s: lp__ = %s after %s iterations\n", out, last[2], last[1]); !strings.HasSuffix(stderr, want) {
		t.Errorf("stderr ends\n%s\nwant\n%s", stderr, want)
	}
}

// TestVariationalInterrupted sends SIGINT to `gostan variational` during
// ADVI's ascent and during an autoguide's SVI: each exits 130, and the
// file holds the mean row and every draw of the approximation reached, with
// a comment naming the iteration or step that stderr names too.
func TestVariationalInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	iter300 := regexp.MustCompile(`(?m)^iteration +300 `)
	step1000 := regexp.MustCompile(`step +1000 / 100000000`)
	for _, c := range []struct {
		name, unit string
		ready      func(stdout, stderr string) bool
		args       []string
	}{
		{"meanfield", "iterations", func(stdout, _ string) bool { return iter300.MatchString(stdout) },
			[]string{"--iter", "100000000", "--tol-rel-obj", "1e-300"}},
		{"autoguide", "steps", func(_, stderr string) bool { return step1000.MatchString(stderr) },
			[]string{"--algorithm", "autoguide", "--guide", "diagonal", "--steps", "100000000"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.csv")
			status, _, stderr := interruptWhen(t, syscall.SIGINT, c.ready, append([]string{"variational", "../../examples/eight_schools.stan",
				"--data", "../../examples/eight_schools.data.json", "--draws", "100", "--seed", "2", "--output", out}, c.args...)...)
			if status != 130 {
				t.Fatalf("exit status %d, want 130\n%s", status, stderr)
			}
			f := readWholeCSV(t, out)
			if len(f.Draws) != 101 || f.Column("theta.8") < 0 {
				t.Fatalf("%d rows, columns %v; want the mean and 100 draws of eight_schools", len(f.Draws), f.Columns)
			}
			m := regexp.MustCompile(`^Interrupted after (\d+) of 100000000 ` + c.unit + `: the draws are the approximation's at that point, not a converged fit\.$`).FindStringSubmatch(f.Adapt[len(f.Adapt)-1])
			if m == nil {
				t.Fatalf("comments after the header %q lack the interruption's", f.Adapt)
			}
			if k, _ := strconv.Atoi(m[1]); k < 300 || k >= 100000000 {
				t.Errorf("interrupted after %d %s, want at least those the test waited for and fewer than all", k, c.unit)
			}
			if want := fmt.Sprintf("gostan: interrupted; the file holds the approximation so far:\n  %s: its mean and 100 draws, after %s %s\n", out, m[1], c.unit); !strings.HasSuffix(stderr, want) {
				t.Errorf("stderr ends\n%s\nwant\n%s", stderr, want)
			}
			logP := f.Column("log_p__")
			for k, row := range f.Draws[1:] {
				if math.IsInf(row[logP], 0) || math.IsNaN(row[logP]) || row[logP] == 0 {
					t.Fatalf("draw %d: log_p__ %v", k+1, row[logP])
				}
			}
		})
	}
}

// illStan is a Gaussian whose scales span four orders of magnitude: its
// log density is 0 at the mode x = 1, L-BFGS takes its 2000 iterations
// to get there, and each evaluation is slowed down by a sum of N zeros.
const illStan = `data { int D; int N; }
transformed data {
  vector[D] s;
  for (d in 1:D) s[d] = 10^(4.0 * (d - 1) / (D - 1));
}
parameters { vector[D] x; }
model {
  target += -0.5 * dot_self(s .* (x - 1));
  for (n in 1:N) target += 0 * x[1];
}
`

// TestLaplaceInterrupted sends SIGINT to `gostan laplace` while it draws,
// and while it searches the mode: it exits 130 and the file holds the
// draws made (log_p__ = log_q__, since the density is Gaussian and 0 at
// the mode), or one row at the search's best point, with a comment saying
// so that stderr says too.
func TestLaplaceInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	dir := t.TempDir()
	prog, data, mode := filepath.Join(dir, "ill.stan"), filepath.Join(dir, "ill.json"), filepath.Join(dir, "mode.csv")
	os.WriteFile(prog, []byte(illStan), 0o644)
	os.WriteFile(data, []byte(`{"D": 5, "N": 100000}`), 0o644)
	os.WriteFile(mode, []byte("# method = optimize\nlp__,x.1,x.2,x.3,x.4,x.5\n0,1,1,1,1,1\n"), 0o644)
	t.Run("draws", func(t *testing.T) {
		out := filepath.Join(dir, "draws.csv")
		hundred := regexp.MustCompile(`(?m)^Draw +100 / 1000000 `)
		status, _, stderr := interruptWhen(t, syscall.SIGINT, func(_, stderr string) bool { return hundred.MatchString(stderr) },
			"laplace", prog, "--data", data, "--mode", mode, "--draws", "1000000", "--seed", "4", "--output", out)
		if status != 130 {
			t.Fatalf("exit status %d, want 130\n%s", status, stderr)
		}
		f := readWholeCSV(t, out)
		n := len(f.Draws)
		if n < 100 || n >= 1000000 || strings.Join(f.Columns, ",") != "log_p__,log_q__,x.1,x.2,x.3,x.4,x.5" {
			t.Fatalf("%d draws of %v, want at least the 100 the test waited for and fewer than all", n, f.Columns)
		}
		if want := fmt.Sprintf("Interrupted after %d of 1000000 draws.", n); len(f.Adapt) != 1 || f.Adapt[0] != want {
			t.Errorf("comments after the header %q, want %q", f.Adapt, want)
		}
		if want := fmt.Sprintf("gostan: interrupted; the file holds the draws made:\n  %s: %d draws\n", out, n); !strings.HasSuffix(stderr, want) {
			t.Errorf("stderr ends\n%s\nwant\n%s", stderr, want)
		}
		for k, row := range f.Draws {
			if row[0] >= 0 || math.Abs(row[0]-row[1]) > 1e-4*math.Abs(row[0]) {
				t.Fatalf("draw %d: log_p__ %v, log_q__ %v, want equal and negative", k+1, row[0], row[1])
			}
		}
		if stdout, serr, err := run("summary", out); err != nil || !strings.Contains(stdout, "x[5]") {
			t.Errorf("summary of the partial file: %v\n%s\n%s", err, stdout, serr)
		}
	})
	t.Run("mode search", func(t *testing.T) {
		out := filepath.Join(dir, "search.csv")
		status, _, stderr := interruptWhen(t, syscall.SIGINT, func(stdout, _ string) bool { return strings.Contains(stdout, "Finding the mode with L-BFGS\n") },
			"laplace", prog, "--data", data, "--seed", "4", "--sig-figs", "15", "--output", out)
		if status != 130 {
			t.Fatalf("exit status %d, want 130\n%s", status, stderr)
		}
		f := readWholeCSV(t, out)
		if len(f.Draws) != 1 || len(f.Adapt) != 1 {
			t.Fatalf("%d rows, comments %q; want one row and a comment", len(f.Draws), f.Adapt)
		}
		m := regexp.MustCompile(`^Interrupted after (\d+) iterations of the mode search: the one row is the best point so far, neither a mode nor a draw\.$`).FindStringSubmatch(f.Adapt[0])
		if m == nil {
			t.Fatalf("comment %q", f.Adapt[0])
		}
		if want := fmt.Sprintf("gostan: interrupted; the file holds the best point of the mode search:\n  %s: one row after %s iterations of L-BFGS, not a mode; no draws\n", out, m[1]); !strings.HasSuffix(stderr, want) {
			t.Errorf("stderr ends\n%s\nwant\n%s", stderr, want)
		}
		// log_p__ is the density at the row's x, log_q__ 0 at the centre.
		row, lp := f.Draws[0], 0.0
		for d, x := range row[2:] {
			v := math.Pow(10, float64(d)) * (x - 1)
			lp -= 0.5 * v * v
		}
		if row[1] != 0 || !(row[0] < 0) || math.Abs(row[0]-lp) > 1e-6*math.Abs(lp) {
			t.Errorf("row %v: log_p__ is not the density %v at x, or log_q__ not 0", row, lp)
		}
	})
}
