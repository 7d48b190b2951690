package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"
)

// evalLine is one line of an evaluation's JSON Lines output: the result
// and its text, compacted, so a merge writes back every field it read.
type evalLine struct {
	result evalResult
	raw    []byte
}

// readEvalLines reads the JSON Lines files of `gostan eval`, in order,
// skipping blank lines. A line that does not parse, or lacks its
// posterior or method, is an error naming file:line.
func readEvalLines(paths []string) ([]evalLine, error) {
	var out []evalLine
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		line := 0
		for sc.Scan() {
			line++
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			var r evalResult
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				f.Close()
				return nil, fmt.Errorf("%s:%d: %v", path, line, err)
			}
			if r.Posterior == "" || r.Method == "" {
				f.Close()
				return nil, fmt.Errorf("%s:%d: a result needs its \"posterior\" and \"method\"", path, line)
			}
			var raw bytes.Buffer
			if err := json.Compact(&raw, sc.Bytes()); err != nil {
				f.Close()
				return nil, fmt.Errorf("%s:%d: %v", path, line, err)
			}
			out = append(out, evalLine{r, raw.Bytes()})
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line+1, err)
		}
	}
	return out, nil
}

// readEvalResults is readEvalLines' results.
func readEvalResults(paths []string) ([]evalResult, error) {
	lines, err := readEvalLines(paths)
	if err != nil {
		return nil, err
	}
	out := make([]evalResult, len(lines))
	for i, l := range lines {
		out[i] = l.result
	}
	return out, nil
}

// mergeEvalLines keeps the last line of each posterior and method (a
// shard run again replaces its first run's lines) and sorts them by
// posterior, then method.
func mergeEvalLines(lines []evalLine) (merged []evalLine, dropped int) {
	last := map[[2]string]int{}
	for i, l := range lines {
		last[[2]string{l.result.Posterior, l.result.Method}] = i
	}
	for i, l := range lines {
		if last[[2]string{l.result.Posterior, l.result.Method}] == i {
			merged = append(merged, l)
		}
	}
	sort.SliceStable(merged, func(a, b int) bool {
		ra, rb := merged[a].result, merged[b].result
		if ra.Posterior != rb.Posterior {
			return ra.Posterior < rb.Posterior
		}
		return ra.Method < rb.Method
	})
	return merged, len(lines) - len(merged)
}

func newEvalMergeCmd() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "merge SHARD.jsonl...",
		Short: "Merge the JSON Lines of eval's shards into one file",
		Long: "merge reads the JSON Lines files of `gostan eval --shard i/n` runs and writes one file with a line\n" +
			"per posterior and method (of duplicates, the last read: files in the order given, lines in\n" +
			"file order), sorted by posterior then method. A line that does not parse is refused, naming\n" +
			"file:line; nothing is written then.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			lines, err := readEvalLines(args)
			if err != nil {
				return err
			}
			merged, dropped := mergeEvalLines(lines)
			var buf bytes.Buffer
			for _, l := range merged {
				buf.Write(l.raw)
				buf.WriteByte('\n')
			}
			if output == "" {
				if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
					return err
				}
			} else if err := os.WriteFile(output, buf.Bytes(), 0o644); err != nil {
				// Every input was read first: the output may be one of them.
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "merged %d lines from %d files: %d results, %d duplicates dropped\n",
				len(lines), len(args), len(merged), dropped)
			return nil
		},
	}
	cmd.Flags().StringVar(&output, "output", "", "merged JSON Lines file (default: standard output)")
	return cmd
}
