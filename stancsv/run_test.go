package stancsv

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gostan/gostan/diag"
)

const csvText = `# stan_version_major = 2
# model = eight
# method = sample (Default)
#   sample
#     num_samples = 4
#     num_warmup = 150
#     thin = 1 (Default)
#       hmc
#           nuts
#             max_depth = 7
lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,mu,theta.1
# Adaptation terminated
-1,0.9,0.5,2,3,0,1.5,0.1,0.2
-2,0.8,0.5,7,3,1,2.5,0.3,0.1
-1.5,0.7,0.5,2,3,0,2,0.2,0.4
-1.2,0.95,0.5,2,3,0,1.7,0.25,0.3
`

const csvFooter = `#
#  Elapsed Time: 0.125 seconds (Warm-up)
#                0.25 seconds (Sampling)
#                0.375 seconds (Total)
#
`

func readCSV(t *testing.T, text string) *File {
	t.Helper()
	f, err := Read(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSummaryRun(t *testing.T) {
	run, err := SummaryRun([]*File{readCSV(t, csvText+csvFooter), readCSV(t, csvText)})
	if err != nil {
		t.Fatal(err)
	}
	if run.Model != "eight" || !slices.Equal(run.Warmup, []int{150, 150}) || !slices.Equal(run.Thin, []int{1, 1}) || run.MaxDepth != 7 ||
		run.WarmupSeconds[0] != 0.125 || run.SampleSeconds[0] != 0.25 || !math.IsNaN(run.WarmupSeconds[1]) || !math.IsNaN(run.SampleSeconds[1]) ||
		len(run.Chains) != 2 || len(run.Chains[1]) != 4 {
		t.Errorf("run %+v", run)
	}
	rep := diag.NewReport(run, nil, 0)
	// One divergence and one saturated tree depth (7, from the files).
	if len(rep.Warnings) < 2 || !strings.Contains(rep.Warnings[0], "divergence") || !strings.Contains(rep.Warnings[1], "limit of 7") {
		t.Errorf("warnings %q", rep.Warnings)
	}
	other := strings.Replace(csvText, ",mu,", ",nu,", 1)
	if _, err := SummaryRun([]*File{readCSV(t, csvText), readCSV(t, other)}); err == nil {
		t.Error("no error for files with different columns")
	}
}

// TestReportNoDraws: warmup-only files (num_samples = 0) give a table of
// NaNs with a note, as text and as CSV.
func TestReportNoDraws(t *testing.T) {
	head := csvText[:strings.Index(csvText, "-1,0.9")]
	run, err := SummaryRun([]*File{readCSV(t, head+csvFooter), readCSV(t, head)})
	if err != nil {
		t.Fatal(err)
	}
	if run.WarmupSeconds[0] != 0.125 || !math.IsNaN(run.WarmupSeconds[1]) {
		t.Errorf("warmup times %v", run.WarmupSeconds)
	}
	rep := diag.NewReport(run, nil, 0)
	var text, csvOut strings.Builder
	if err := rep.WriteText(&text, 2); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteCSV(&csvOut, 2); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "No draws to summarise") || !strings.Contains(strings.Join(strings.Fields(text.String()), " "), "theta[1] nan nan nan nan nan nan nan nan nan nan") {
		t.Errorf("report of no draws:\n%s", text.String())
	}
	if len(rep.Warnings) != 0 {
		t.Errorf("warnings for no draws: %q", rep.Warnings)
	}
}
