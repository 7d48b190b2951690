package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hostileDir holds the corpus of programs, data and CSV files a user
// might hand gostan by mistake or malice.
const hostileDir = "../../testdata/hostile"

// hostileCases run gostan in hostileDir; each must fail with exit status 1
// and a message holding every string of want.
var hostileCases = []struct {
	args []string
	want []string
}{
	// Programs that do not parse or check: file:line:col and the line.
	{[]string{"check", "syntax.stan"}, []string{`syntax.stan:2:9: expected ";", found "}"`, "    2 |   real x\n"}},
	{[]string{"check", "type.stan"}, []string{"type.stan:3:3: cannot initialise k of type int with a value of type real"}},
	{[]string{"sample", "undeclared.stan"}, []string{"undeclared.stan:3:14: identifier 'mu' not in scope"}},
	{[]string{"check", "comment.stan"}, []string{"comment.stan:2:1: comment not terminated"}},
	{[]string{"check", "include.stan"}, []string{`include.stan:1:1: could not find include file "not_here.stan"`}},
	// Bytes that are not text: escaped, 20 diagnostics and a count.
	{[]string{"check", "binary.stan"}, []string{`binary.stan:1:1: invalid character '\x7f'`, "    1 | \\x7fELF\\x02", "more errors\n"}},
	{[]string{"check", "control.stan"}, []string{`control.stan:1:20: invalid character '\x1b'`, `real x\x1b[2J\a; }`}},
	{[]string{"sample", "string_control.stan"}, []string{`string_control.stan:2:11: invalid character '\x1b' in string literal`, `reject("\x1b[2J\x1b[31mgone");`}},
	{[]string{"optimize", "long_line.stan"}, []string{"long_line.stan:2:9: invalid character '@'", "@@@...\n", "and 99980 more errors\n"}},
	// Nesting that would exhaust the parser's stack.
	{[]string{"check", "deep_parens.stan"}, []string{"deep_parens.stan:2:10018: nesting too deep"}},
	{[]string{"variational", "deep_blocks.stan"}, []string{"deep_blocks.stan:3:10001: nesting too deep"}},
	// Sizes that cannot be allocated, or are negative.
	{[]string{"sample", "huge_array.stan"}, []string{"huge_array.stan:2:3: x has 1e+15 elements, more than the limit of 268435456"}},
	{[]string{"laplace", "huge_vector.stan"}, []string{"huge_vector.stan:2:3: v has 2000000000 elements"}},
	{[]string{"sample", "negative_size.stan"}, []string{"negative_size.stan:2:3: size -3 is negative"}},
	{[]string{"sample", "rep_vector.stan"}, []string{"rep_vector.stan:2:17: rep_vector's result has 2000000000 elements"}},
	// Failures while transformed data run.
	{[]string{"sample", "recursion.stan"}, []string{"recursion.stan:2:27: function 'f' recursed too deeply"}},
	{[]string{"sample", "divide.stan"}, []string{"divide.stan:3:13: integer division by zero"}},
	{[]string{"optimize", "index.stan"}, []string{"index.stan:3:13: index 7 out of range"}},
	{[]string{"sample", "reject.stan"}, []string{"reject.stan:2:3: no good: 42"}},
	// Data that are not JSON, or do not match the declarations.
	{[]string{"sample", "data.stan", "--data", "truncated.json"}, []string{"truncated.json:3:13: invalid JSON: the file ends before the data object does"}},
	{[]string{"sample", "data.stan", "--data", "binary.json"}, []string{"binary.json:1:1: invalid JSON: invalid character"}},
	{[]string{"sample", "data.stan", "--data", "deep.json"}, []string{"deep.json:1:10014: invalid JSON", "exceeded max depth"}},
	{[]string{"sample", "data.stan", "--data", "empty.json"}, []string{"empty.json: empty data file"}},
	{[]string{"sample", "data.stan", "--data", "not_object.json"}, []string{"not_object.json: data must be a JSON object, found array"}},
	{[]string{"sample", "data.stan", "--data", "rdump.data.R"}, []string{"rdump.data.R:2:11: invalid R dump data: NA is not a number Stan can read (in y)"}},
	{[]string{"optimize", "data.stan", "--data", "rdump.json"}, []string{`data variable "y" has size [2], but is declared with size [3]`}},
	{[]string{"sample", "data.stan", "--data", "wrong_size.json"}, []string{`data variable "y" has size [2], but is declared with size [3]`}},
	{[]string{"sample", "data.stan", "--data", "ragged.json"}, []string{`data variable "y[2]" has 1 elements, but "y[1]" has 2`}},
	{[]string{"sample", "data.stan", "--data", "constraint.json"}, []string{`data.stan:3:22: data variable "y[2]" is -2, but must be >= 0`}},
	{[]string{"sample", "data.stan", "--data", "missing.json"}, []string{`variable "y" not found in the data`}},
	{[]string{"sample", "data.stan", "--data", "real_int.json"}, []string{`data variable "N" has real values, but is declared int`}},
	{[]string{"sample", "data.stan", "--data", "nan_int.json"}, []string{`data variable "N" has real values, but is declared int`}},
	{[]string{"sample", "data.stan", "--data", "string.json"}, []string{`data variable "N": found the string "three", but expected a number`}},
	{[]string{"sample", "data.stan", "--data", "huge_int.json"}, []string{`data variable "N" has value 1e+23, outside the range of Stan's int (-2147483648 to 2147483647)`}},
	{[]string{"sample", "data.stan", "--data", "huge_n.json"}, []string{"data.stan:3:3: y has 2000000000 elements"}},
	{[]string{"variational", "data.stan", "--data", "missing.json"}, []string{`variable "y" not found in the data`}},
	{[]string{"sample", "gq.stan", "--init", "truncated.json"}, []string{"truncated.json:3:13: invalid JSON"}},
	{[]string{"optimize", "gq.stan", "--init", "binary.json"}, []string{"binary.json:1:1: invalid JSON"}},
	{[]string{"log-density", "gq.stan", "--points", "truncated.json"}, []string{"truncated.json:3:12: invalid JSON", "expected a JSON array of arrays of numbers"}},
	{[]string{"sample", "gq.stan", "--metric-file", "truncated.json"}, []string{"--metric-file truncated.json:3:13: invalid JSON"}},
	// CSV files that are not Stan CSV.
	{[]string{"summary", "binary.csv"}, []string{"binary.csv: line 2:"}},
	{[]string{"summary", "empty.csv"}, []string{"empty.csv: no header line of column names"}},
	{[]string{"summary", "ragged.csv"}, []string{"ragged.csv: line 3: 2 values, but the header has 8 columns"}},
	{[]string{"generate-quantities", "gq.stan", "--fitted-params", "binary.csv"}, []string{"binary.csv: not a Stan CSV file"}},
	{[]string{"generate-quantities", "gq.stan", "--fitted-params", "control.csv"}, []string{`control.csv: column x.1\x1b[2J is not a column`}},
	{[]string{"generate-quantities", "gq.stan", "--fitted-params", "ragged.csv"}, []string{"ragged.csv: not a Stan CSV file: line 3"}},
}

// writesOutput are the commands with --output, given one in a temporary
// folder in case a case gets that far.
var writesOutput = map[string]bool{"sample": true, "optimize": true, "laplace": true, "variational": true, "generate-quantities": true}

// TestHostileCorpus runs gostan on every case of the corpus: exit status
// 1, the message, no panic or goroutine trace, no control character of
// the input echoed, and a bounded output.
func TestHostileCorpus(t *testing.T) {
	bin := gostanBinary(t)
	used := map[string]bool{}
	for _, c := range hostileCases {
		for _, a := range c.args {
			used[a] = true
		}
		var out bytes.Buffer
		args := c.args
		if writesOutput[args[0]] {
			args = append(args[:len(args):len(args)], "--output", filepath.Join(t.TempDir(), "out.csv"))
		}
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Stdout, cmd.Stderr = hostileDir, &out, &out
		err := cmd.Run()
		msg := out.String()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("%q: %v, want exit status 1\n%.2000s", c.args, err, msg)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%q: no %q in\n%.2000s", c.args, w, msg)
			}
		}
		if strings.Contains(msg, "panic:") || strings.Contains(msg, "goroutine ") || len(msg) > 64<<10 {
			t.Errorf("%q: %d bytes\n%.2000s", c.args, len(msg), msg)
		}
		for _, r := range msg {
			if r < ' ' && r != '\n' || r == 0x7f {
				t.Errorf("%q: the output holds %q", c.args, r)
				break
			}
		}
	}
	files, err := os.ReadDir(hostileDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !used[f.Name()] {
			t.Errorf("%s is in the corpus but no case uses it", f.Name())
		}
	}
}
