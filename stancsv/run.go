package stancsv

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gostan/gostan/diag"
)

// SummaryRun gathers Stan CSV files of one run's chains, with the
// model's name, warmup, thinning and maximum tree depth from their
// configuration and the timings from their footers. The files must have the
// same columns.
func SummaryRun(files []*File) (diag.Run, error) {
	if len(files) == 0 {
		return diag.Run{}, fmt.Errorf("no Stan CSV files")
	}
	run := diag.Run{Columns: files[0].Columns}
	for c, f := range files {
		if !slices.Equal(f.Columns, run.Columns) {
			return diag.Run{}, fmt.Errorf("file %d: its columns differ from those of file 1", c+1)
		}
		cfg := configValues(f.Config)
		if run.Model == "" {
			run.Model = cfg["model"]
		}
		run.Chains = append(run.Chains, f.Draws)
		run.Warmup = append(run.Warmup, atoiOr(cfg["num_warmup"], 0))
		run.Thin = append(run.Thin, atoiOr(cfg["thin"], 1))
		run.MaxDepth = atoiOr(cfg["max_depth"], 0)
		// Without draws, Read cannot tell the footer from the
		// adaptation comments.
		w, s := footerTimes(append(slices.Clone(f.Adapt), f.Footer...))
		run.WarmupSeconds = append(run.WarmupSeconds, w)
		run.SampleSeconds = append(run.SampleSeconds, s)
	}
	return run, nil
}

// configValues reads the "key = value" lines of a Stan CSV configuration,
// without CmdStan's " (Default)" marks.
func configValues(lines []string) map[string]string {
	out := map[string]string{}
	for _, l := range lines {
		k, v, ok := strings.Cut(l, " = ")
		if ok {
			out[strings.TrimSpace(k)] = strings.TrimSuffix(strings.TrimSpace(v), " (Default)")
		}
	}
	return out
}

func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}

// footerTimes reads "Elapsed Time: W seconds (Warm-up)" and "S seconds
// (Sampling)" from a Stan CSV footer; NaN for what it lacks.
func footerTimes(footer []string) (warmup, sampling float64) {
	warmup, sampling = math.NaN(), math.NaN()
	for _, l := range footer {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "Elapsed Time:"))
		num, rest, ok := strings.Cut(l, " seconds ")
		if !ok {
			continue
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if err != nil {
			continue
		}
		switch strings.TrimSpace(rest) {
		case "(Warm-up)":
			warmup = x
		case "(Sampling)":
			sampling = x
		}
	}
	return warmup, sampling
}
