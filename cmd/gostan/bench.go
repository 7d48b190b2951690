package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/posteriordb"
)

// goldenFile is the part of a golden Stan file the benchmark reads.
type goldenFile struct {
	Posterior string  `json:"posterior"`
	Dim       int     `json:"dim"`
	CompileS  float64 `json:"compile_s"`
	Points    []struct {
		Upars []float64 `json:"upars"`
	} `json:"points"`
	NUTS *struct {
		SPerGrad float64 `json:"s_per_grad"`
		WallS    float64 `json:"wall_s"`
	} `json:"nuts"`
}

func newBenchCmd() *cobra.Command {
	var golden, root, output string
	var minTime time.Duration
	cmd := &cobra.Command{
		Use:   "bench --golden DIR",
		Short: "Time gradient evaluations against Stan's figures",
		Long: "bench compiles the model of every golden file that has Stan's NUTS timing, times the gradient\n" +
			"of the log density at the golden points, and writes a Markdown table of gostan's and Stan's\n" +
			"seconds per gradient, their ratio and the geometric mean.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if root == "" {
				root = filepath.Join(golden, "..", "..", "posteriordb")
			}
			db, err := posteriordb.Open(root)
			if err != nil {
				return err
			}
			files, _ := filepath.Glob(filepath.Join(golden, "*.json"))
			var rows []benchRow
			for _, f := range files {
				var g goldenFile
				b, err := os.ReadFile(f)
				if err != nil {
					return err
				}
				if json.Unmarshal(b, &g) != nil || g.NUTS == nil || g.NUTS.SPerGrad == 0 {
					continue
				}
				row := benchRow{Posterior: g.Posterior, Dim: g.Dim, Stan: g.NUTS.SPerGrad}
				row.Gostan, row.Err = timeGradient(db, g, minTime)
				rows = append(rows, row)
				fmt.Fprintf(cmd.ErrOrStderr(), "%-50s %10.2f µs  (Stan %8.2f µs)\n", g.Posterior, row.Gostan*1e6, row.Stan*1e6)
			}
			w := cmd.OutOrStdout()
			if output != "" {
				f, err := os.Create(output)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			writeBench(w, rows)
			return nil
		},
	}
	cmd.Flags().StringVar(&golden, "golden", "", "folder of golden Stan files (with nuts.s_per_grad)")
	cmd.Flags().StringVar(&root, "posteriordb", "", "PosteriorDB tree (default: ../../posteriordb from the golden folder)")
	cmd.Flags().StringVar(&output, "output", "", "Markdown output (default: standard output)")
	cmd.Flags().DurationVar(&minTime, "time", 300*time.Millisecond, "minimum timing per posterior")
	cmd.MarkFlagRequired("golden")
	return cmd
}

type benchRow struct {
	Posterior    string
	Dim          int
	Gostan, Stan float64 // seconds per gradient
	Err          error
}

// timeGradient returns the mean seconds per gradient evaluation at the
// golden points, after a warm-up evaluation of each.
func timeGradient(db *posteriordb.DB, g goldenFile, minTime time.Duration) (float64, error) {
	p, err := db.Posterior(g.Posterior)
	if err != nil {
		return 0, err
	}
	m, err := loadModel(io.Discard, db.ModelPath(p.ModelName), db.DataPath(p.DataName), 1)
	if err != nil {
		return 0, err
	}
	grad := make([]float64, m.Dim())
	for _, pt := range g.Points {
		if _, err := m.LogDensity(pt.Upars, grad); err != nil {
			return 0, err
		}
	}
	n := 0
	start := time.Now()
	for time.Since(start) < minTime || n < len(g.Points) {
		for _, pt := range g.Points {
			m.LogDensity(pt.Upars, grad)
			n++
		}
	}
	return time.Since(start).Seconds() / float64(n), nil
}

func writeBench(w io.Writer, rows []benchRow) {
	sort.Slice(rows, func(i, j int) bool { return rows[i].Posterior < rows[j].Posterior })
	fmt.Fprintln(w, "| posterior | dim | gostan µs/grad | Stan µs/grad | gostan / Stan |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	logSum, n := 0.0, 0
	for _, r := range rows {
		if r.Err != nil {
			fmt.Fprintf(w, "| %s | %d | error: %s | %.2f | |\n", r.Posterior, r.Dim, strings.ReplaceAll(r.Err.Error(), "|", "/"), r.Stan*1e6)
			continue
		}
		ratio := r.Gostan / r.Stan
		logSum += math.Log(ratio)
		n++
		fmt.Fprintf(w, "| %s | %d | %.2f | %.2f | %.3f |\n", r.Posterior, r.Dim, r.Gostan*1e6, r.Stan*1e6, ratio)
	}
	if n > 0 {
		fmt.Fprintf(w, "\nGeometric mean of gostan / Stan seconds per gradient over %d posteriors: **%.3f** (below 1 is faster than Stan).\n", n, math.Exp(logSum/float64(n)))
	}
}
