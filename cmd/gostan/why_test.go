package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSampleSaysWhy checks that sample tells why: the reasons a failed
// initialisation rejected its first values, with file:line, and per chain
// the count and first messages of proposals rejected while sampling.
func TestSampleSaysWhy(t *testing.T) {
	dir := t.TempDir()
	never := filepath.Join(dir, "never.stan")
	os.WriteFile(never, []byte("parameters { real mu; }\nmodel {\n  reject(\"mu = \", mu);\n}\n"), 0o644)
	_, _, err := run("sample", "--chains", "1", "--seed", "1", "--output", filepath.Join(dir, "never.csv"), never)
	if err == nil || !strings.Contains(err.Error(), "failed after 100 attempts") ||
		!strings.Contains(err.Error(), "\n  "+never+":3:3: mu = ") {
		t.Errorf("error %v, want the reject message at %s:3:3", err, never)
	}
	half := filepath.Join(dir, "half.stan")
	os.WriteFile(half, []byte("parameters { real mu; }\nmodel {\n  if (mu > 1) reject(\"mu = \", mu);\n  mu ~ normal(0, 1);\n}\n"), 0o644)
	_, stderr, err := run("sample", "--chains", "2", "--seed", "1", "--warmup", "100", "--samples", "100", "--output", filepath.Join(dir, "half.csv"), half)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"1", "2"} {
		re := regexp.MustCompile(`(?m)^chain ` + c + `: \d+ proposals rejected; the first 5:\nchain ` + c + `:   ` + regexp.QuoteMeta(half) + `:3:15: mu = `)
		if !re.MatchString(stderr) {
			t.Errorf("chain %s: no rejection report in\n%s", c, stderr)
		}
	}
}
