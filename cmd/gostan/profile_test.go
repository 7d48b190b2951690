package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const profiledBernoulli = `
data { int N; array[N] int<lower=0, upper=1> y; }
transformed data {
  int s;
  profile("tdata") { s = sum(y); }
}
parameters { real<lower=0, upper=1> theta; }
model {
  profile("likelihood") { y ~ bernoulli(theta); }
}
generated quantities {
  array[N] int y_rep;
  profile("gq") { y_rep = bernoulli_rng(rep_vector(theta, N)); }
}
`

// profileRow is a row of a profile file.
type profileRow struct {
	total, forward, reverse                        float64
	chain, noChain, autodiffCalls, noAutodiffCalls int
}

// readProfile reads a profile file, checking CmdStan's header, into rows
// by "name/thread_id".
func readProfile(t *testing.T, path string) map[string]profileRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "name,thread_id,total_time,forward_time,reverse_time,chain_stack,no_chain_stack,autodiff_calls,no_autodiff_calls" {
		t.Fatalf("header %s", got)
	}
	rows := map[string]profileRow{}
	for _, r := range recs[1:] {
		var row profileRow
		var errs [7]error
		row.total, errs[0] = strconv.ParseFloat(r[2], 64)
		row.forward, errs[1] = strconv.ParseFloat(r[3], 64)
		row.reverse, errs[2] = strconv.ParseFloat(r[4], 64)
		row.chain, errs[3] = strconv.Atoi(r[5])
		row.noChain, errs[4] = strconv.Atoi(r[6])
		row.autodiffCalls, errs[5] = strconv.Atoi(r[7])
		row.noAutodiffCalls, errs[6] = strconv.Atoi(r[8])
		for _, err := range errs {
			if err != nil {
				t.Fatalf("row %v: %v", r, err)
			}
		}
		if row.forward <= 0 || row.reverse < 0 || row.total < row.forward*(1-1e-5) {
			t.Errorf("row %v: times", r)
		}
		rows[r[0]+"/"+r[1]] = row
	}
	return rows
}

func profiledFiles(t *testing.T) (dir, prog, data string) {
	dir = t.TempDir()
	prog, data = filepath.Join(dir, "bern.stan"), filepath.Join(dir, "bern.json")
	os.WriteFile(prog, []byte(profiledBernoulli), 0o644)
	os.WriteFile(data, []byte(`{"N": 10, "y": [0, 1, 0, 0, 0, 0, 0, 0, 0, 1]}`), 0o644)
	return dir, prog, data
}

// TestProfileFileSample: sample writes profile.csv into --output-dir, a
// row per profile per chain (thread_id the chain's id, from --id) and transformed
// data's row (thread 0); the generated quantities ran once per draw
// written, the likelihood's gradient at least once per leapfrog step.
func TestProfileFileSample(t *testing.T) {
	dir, prog, data := profiledFiles(t)
	out := filepath.Join(dir, "out")
	stdout, stderr, err := run("sample", prog, "--data", data, "--seed", "3", "--chains", "2", "--id", "3", "--warmup", "60", "--samples", "40",
		"--save-warmup", "--refresh", "0", "--output-dir", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	path := filepath.Join(out, "profile.csv")
	if !strings.Contains(stdout, "Wrote "+path) {
		t.Errorf("stdout does not name %s:\n%s", path, stdout)
	}
	rows := readProfile(t, path)
	if len(rows) != 5 {
		t.Errorf("rows %v, want tdata/0 and likelihood, gq for chains 3 and 4", rows)
	}
	if r := rows["tdata/0"]; r.noAutodiffCalls != 1 || r.autodiffCalls != 0 {
		t.Errorf("tdata %+v", r)
	}
	for c := 3; c <= 4; c++ {
		f := readWholeCSV(t, filepath.Join(out, "output_"+strconv.Itoa(c)+".csv"))
		leapfrogs, written := 0, len(f.Warmup)+len(f.Draws)
		for _, d := range append(f.Warmup, f.Draws...) {
			leapfrogs += int(d[4])
		}
		id := strconv.Itoa(c)
		if r := rows["gq/"+id]; r.noAutodiffCalls != written || r.autodiffCalls != 0 || r.chain != 0 {
			t.Errorf("chain %d: gq %+v, want %d no-autodiff calls (the draws written)", c, r, written)
		}
		// Beyond the leapfrog steps NUTS evaluates the gradient at the
		// initial point and in its step-size search.
		if r := rows["likelihood/"+id]; r.autodiffCalls < leapfrogs || r.autodiffCalls > leapfrogs+50 || r.chain != r.autodiffCalls || r.noAutodiffCalls != 0 {
			t.Errorf("chain %d: likelihood %+v, %d leapfrog steps", c, r, leapfrogs)
		}
	}
}

// TestProfileFileMethods: optimize's autodiff_calls are its gradient
// evaluations, log-prob's its points, generate-quantities' no-autodiff
// calls its draws; --profile-file "" and a program without profile
// statements write no file.
func TestProfileFileMethods(t *testing.T) {
	dir, prog, data := profiledFiles(t)
	pf := filepath.Join(dir, "p.csv")
	stdout, stderr, err := run("optimize", prog, "--data", data, "--seed", "1", "--output", filepath.Join(dir, "opt.csv"), "--profile-file", pf)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	m := regexp.MustCompile(`\((\d+) iterations, (\d+) gradient evaluations\)`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no evaluation count in\n%s", stdout)
	}
	evals, _ := strconv.Atoi(m[2])
	rows := readProfile(t, pf)
	if r := rows["likelihood/0"]; r.autodiffCalls != evals || r.noAutodiffCalls != 0 {
		t.Errorf("optimize: likelihood %+v, want %d gradient evaluations", r, evals)
	}
	if r := rows["gq/0"]; r.noAutodiffCalls != 1 {
		t.Errorf("optimize: gq %+v, want the one row written", r)
	}

	upars := filepath.Join(dir, "u.json")
	os.WriteFile(upars, []byte(`{"params_r": [[0.1], [-0.5], [2]]}`), 0o644)
	if _, stderr, err := run("log-prob", prog, "--data", data, "--unconstrained-params", upars, "--output", filepath.Join(dir, "lp.csv"), "--profile-file", pf); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	rows = readProfile(t, pf)
	if r := rows["likelihood/0"]; r.autodiffCalls != 3 || len(rows) != 2 {
		t.Errorf("log-prob: rows %+v, want 3 gradients", rows)
	}

	fitted := filepath.Join(dir, "fit.csv")
	if _, stderr, err := run("sample", prog, "--data", data, "--seed", "2", "--chains", "1", "--warmup", "30", "--samples", "17", "--refresh", "0",
		"--output", fitted, "--profile-file", ""); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if _, err := os.Stat("profile.csv"); err == nil {
		t.Error(`--profile-file "" wrote profile.csv`)
	}
	if _, stderr, err := run("generate-quantities", prog, "--data", data, "--fitted-params", fitted, "--output", filepath.Join(dir, "gq.csv"), "--profile-file", pf); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	rows = readProfile(t, pf)
	if r := rows["gq/0"]; r.noAutodiffCalls != 17 || r.autodiffCalls != 0 {
		t.Errorf("generate-quantities: gq %+v, want 17 draws", r)
	}

	plain := filepath.Join(dir, "plain.stan")
	os.WriteFile(plain, []byte("parameters { real mu; } model { mu ~ normal(0, 1); }\n"), 0o644)
	none := filepath.Join(dir, "none.csv")
	if _, stderr, err := run("optimize", plain, "--output", filepath.Join(dir, "o2.csv"), "--profile-file", none); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if _, err := os.Stat(none); err == nil {
		t.Error("a profile file for a program without profile statements")
	}
}

// TestProfileFileChecked: a profile file that cannot be written, or that
// names a file the run reads or writes, is refused before the run: no
// output file is made and the named file is left as it was.
func TestProfileFileChecked(t *testing.T) {
	dir, prog, data := profiledFiles(t)
	dataBefore, _ := os.ReadFile(data)
	upars := filepath.Join(dir, "u.json")
	os.WriteFile(upars, []byte(`{"params_r": [0.1]}`), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"missing directory", []string{"optimize", "--profile-file", filepath.Join(dir, "no", "p.csv")}, "there is no directory"},
		{"a directory", []string{"optimize", "--profile-file", dir}, "is a directory"},
		{"the output", []string{"variational", "--profile-file", filepath.Join(dir, "out.csv")}, "a file this run reads or writes"},
		{"the data", []string{"log-prob", "--unconstrained-params", upars, "--profile-file", data}, "a file this run reads or writes"},
		{"sample's output", []string{"sample", "--chains", "1", "--profile-file", filepath.Join(dir, "out.csv")}, "a file this run reads or writes"},
		{"a chain's output", []string{"sample", "--chains", "2", "--id", "4", "--profile-file", filepath.Join(dir, "out_5.csv")}, "a file this run reads or writes"},
		{"sample's diagnostic", []string{"sample", "--chains", "1", "--diagnostic-file", filepath.Join(dir, "d.csv"), "--profile-file", filepath.Join(dir, "d.csv")}, "a file this run reads or writes"},
	} {
		args := append([]string{tc.args[0], prog, "--data", data, "--output", filepath.Join(dir, "out.csv")}, tc.args[1:]...)
		if tc.args[0] == "sample" {
			args = append(args, "--refresh", "0", "--warmup", "20", "--samples", "10")
		}
		_, stderr, err := run(args...)
		if err == nil || !strings.Contains(err.Error()+stderr, tc.want) {
			t.Errorf("%s: error %v, stderr %q; want %q", tc.name, err, stderr, tc.want)
		}
		for _, f := range []string{"out.csv", "out_4.csv", "out_5.csv", "d.csv"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
				t.Errorf("%s: %s was written", tc.name, f)
				os.Remove(filepath.Join(dir, f))
			}
		}
	}
	if after, _ := os.ReadFile(data); !slices.Equal(after, dataBefore) {
		t.Error("the data file was overwritten")
	}
}
