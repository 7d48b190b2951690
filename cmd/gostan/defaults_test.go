package main

import (
	"strings"
	"testing"

	"github.com/gostan/gostan/infer/advi"
	"github.com/gostan/gostan/infer/laplace"
	"github.com/gostan/gostan/infer/optimize"
	"github.com/gostan/gostan/infer/pathfinder"
)

// TestCmdStanDefaults holds the flags of the commands that are CmdStan
// methods to the defaults of the CmdStan Guide (chapters "MCMC Sampling",
// "Optimization", "Laplace sampling", "Variational inference using ADVI",
// "Pathfinder" and "stansummary"), and the libraries' DefaultConfig to
// the same values, since the flags take theirs from them. ADVI's
// grad_samples and tol_rel_obj are gostan's own (advi.DefaultConfig says
// why); advi.StanConfig has CmdStan's. --chains is 4, as CmdStanPy and
// CmdStanR run (CmdStan's num_chains is 1).
func TestCmdStanDefaults(t *testing.T) {
	want := map[string]map[string]string{
		"sample": {
			"warmup": "1000", "samples": "1000", "thin": "1", "save-warmup": "false", "adapt-engaged": "true",
			"adapt-gamma": "0.05", "adapt-delta": "0.8", "adapt-kappa": "0.75", "adapt-t0": "10",
			"adapt-init-buffer": "75", "adapt-term-buffer": "50", "adapt-window": "25", "algorithm": "hmc",
			"max-depth": "10", "metric": "diag", "stepsize": "1", "init": "2", "seed": "0", "refresh": "100",
			"sig-figs": "6", "output": "output.csv", "chains": "4",
		},
		"optimize": {
			"algorithm": "lbfgs", "jacobian": "false", "iter": "2000", "init-alpha": "0.001", "tol-obj": "1e-12",
			"tol-rel-obj": "10000", "tol-grad": "1e-08", "tol-rel-grad": "1e+07", "tol-param": "1e-08",
			"history-size": "5", "init": "2", "refresh": "100",
		},
		"laplace": {"jacobian": "true", "draws": "1000", "calculate-lp": "true", "refresh": "100"},
		"pathfinder": {
			"init-alpha": "0.001", "tol-obj": "1e-12", "tol-rel-obj": "10000", "tol-grad": "1e-08",
			"tol-rel-grad": "1e+07", "tol-param": "1e-08", "history-size": "5", "num-psis-draws": "1000",
			"num-paths": "4", "psis-resample": "true", "calculate-lp": "true", "save-single-paths": "false", "max-lbfgs-iters": "1000", "num-draws": "1000",
			"num-elbo-draws": "25", "init": "2", "refresh": "100",
		},
		"variational": {
			"algorithm": "meanfield", "iter": "10000", "elbo-samples": "100", "eta": "1", "adapt-engaged": "true",
			"adapt-iter": "50", "eval-elbo": "100", "draws": "1000", "init": "2",
			// gostan's own defaults (CmdStan: 1 and 0.01).
			"grad-samples": "10", "tol-rel-obj": "0.0001",
		},
		"summary": {"percentiles": "5,50,95", "sig-figs": "2"},
	}
	root := newRoot()
	for name, flags := range want {
		cmd, _, err := root.Find([]string{name})
		if err != nil || cmd.Name() != name {
			t.Fatalf("no command %s: %v", name, err)
		}
		for flag, def := range flags {
			f := cmd.Flags().Lookup(flag)
			switch {
			case f == nil:
				t.Errorf("%s has no --%s", name, flag)
			case f.DefValue != def:
				t.Errorf("%s --%s defaults to %s, want %s", name, flag, f.DefValue, def)
			}
		}
	}

	o := optimize.DefaultConfig()
	if o.Algorithm != optimize.LBFGS || o.Jacobian || o.Iter != 2000 || o.InitAlpha != 0.001 || o.TolObj != 1e-12 ||
		o.TolRelObj != 1e4 || o.TolGrad != 1e-8 || o.TolRelGrad != 1e7 || o.TolParam != 1e-8 || o.HistorySize != 5 || o.InitRadius != 2 {
		t.Errorf("optimize.DefaultConfig %+v", o)
	}
	if l := laplace.DefaultConfig(); !l.Jacobian || l.Draws != 1000 || !l.CalculateLP {
		t.Errorf("laplace.DefaultConfig %+v", l)
	}
	p := pathfinder.DefaultConfig()
	if p.NumPaths != 4 || p.NumDraws != 1000 || p.NumPSISDraws != 1000 || p.NumELBODraws != 25 || !p.PSISResample || !p.CalculateLP || p.SaveSinglePaths ||
		p.HistorySize != 5 || p.MaxLBFGSIter != 1000 || p.InitAlpha != 0.001 || p.TolObj != 1e-12 || p.TolRelObj != 1e4 ||
		p.TolGrad != 1e-8 || p.TolRelGrad != 1e7 || p.TolParam != 1e-8 || p.InitRadius != 2 {
		t.Errorf("pathfinder.DefaultConfig %+v", p)
	}
	a := advi.StanConfig()
	if a.Algorithm != advi.Meanfield || a.Iter != 10000 || a.GradSamples != 1 || a.ELBOSamples != 100 || a.Eta != 1 ||
		!a.Adapt || a.AdaptIter != 50 || a.TolRelObj != 0.01 || a.EvalELBO != 100 || a.OutputSamples != 1000 || a.InitRadius != 2 {
		t.Errorf("advi.StanConfig %+v", a)
	}
	if v, _, _ := root.Find([]string{"variational"}); !strings.Contains(v.Long, "where CmdStan takes\n1 and 0.01") {
		t.Error("variational --help does not say its ADVI defaults differ from CmdStan's")
	}
}

// TestSampleWarmupZero: as in CmdStan, no warmup with adaptation engaged
// is refused; --adapt-engaged=false samples with --stepsize as given.
func TestSampleWarmupZero(t *testing.T) {
	out := t.TempDir() + "/w0.csv"
	_, _, err := run("sample", eightSchools, "--data", eightSchoolsData, "--chains", "1", "--warmup", "0",
		"--samples", "5", "--seed", "1", "--output", out)
	if err == nil || !strings.Contains(err.Error(), "--warmup") || !strings.Contains(err.Error(), "--adapt-engaged") {
		t.Fatalf("--warmup 0: %v, want an error naming --warmup and --adapt-engaged", err)
	}
	_, stderr, err := run("sample", eightSchools, "--data", eightSchoolsData, "--chains", "1", "--warmup", "0",
		"--adapt-engaged=false", "--stepsize", "0.3", "--samples", "5", "--seed", "1", "--refresh", "0", "--output", out)
	if err != nil {
		t.Fatalf("--adapt-engaged=false: %v\n%s", err, stderr)
	}
	f := readCSV(t, out)
	if len(f.Draws) != 5 || !strings.Contains(strings.Join(f.Config, "\n"), "      engaged = 0") {
		t.Fatalf("%d draws, config %q", len(f.Draws), f.Config)
	}
	col := -1
	for i, c := range f.Columns {
		if c == "stepsize__" {
			col = i
		}
	}
	for _, d := range f.Draws {
		if d[col] != 0.3 {
			t.Fatalf("stepsize__ %v, want 0.3 as given", d[col])
		}
	}
}
