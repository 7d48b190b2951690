package pathfinder

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Without CalculateLP the paths and their draws are those of a run that
// computes lp__ but does not resample (the same random numbers): each
// path's first NumELBODraws draws, its best approximation's ELBO draws,
// keep the model's lp__, the rest are NaN, nothing is resampled although
// PSISResample is set, and each path evaluates the model NumDraws -
// NumELBODraws fewer times.
func TestCalculateLPOff(t *testing.T) {
	g := newNormal(5, 0.8)
	cfg := DefaultConfig()
	cfg.NumPaths, cfg.NumDraws, cfg.Seed = 3, 60, 5
	ref := cfg
	ref.PSISResample = false
	want, err := Run(g, ref)
	if err != nil {
		t.Fatal(err)
	}
	cfg.CalculateLP = false
	res, err := Run(g, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Draws) != 3*60 || !math.IsNaN(res.ParetoK) {
		t.Fatalf("%d draws, Pareto k %v; want 180 unresampled draws, k NaN", len(res.Draws), res.ParetoK)
	}
	for i, z := range res.Unconstrained {
		if !slices.Equal(z, want.Unconstrained[i]) || res.LPApprox[i] != want.LPApprox[i] {
			t.Fatalf("draw %d: %v (lp_approx__ %v), with lp__ computed %v (%v)", i, z, res.LPApprox[i], want.Unconstrained[i], want.LPApprox[i])
		}
		lp, _ := g.LogDensity(z, nil)
		if i%60 < cfg.NumELBODraws {
			if res.LP[i] != lp {
				t.Errorf("draw %d, an ELBO draw: lp__ %v, model %v", i, res.LP[i], lp)
			}
		} else if !math.IsNaN(res.LP[i]) {
			t.Errorf("draw %d: lp__ %v, want NaN", i, res.LP[i])
		}
	}
	for i, p := range res.Paths {
		if d := want.Paths[i].Evals - p.Evals; d != 60-25 {
			t.Errorf("path %d: %d evaluations, %d with lp__ computed; want %d fewer", i+1, p.Evals, want.Paths[i].Evals, 60-25)
		}
	}
	set := res.Set()
	if !slices.Contains(set.Config, "    calculate_lp = 0") || !slices.Contains(set.Config, "    psis_resample = 1") {
		t.Errorf("config %q", set.Config)
	}
	if len(set.Footer) != 1 || !strings.HasSuffix(set.Footer[0], " seconds (Total)") || !strings.HasPrefix(set.Footer[0], "Elapsed Time: ") {
		t.Errorf("footer %q, want CmdStan's one total without PSIS", set.Footer)
	}
}

// SaveSinglePaths leaves the pooled draws as they are and keeps each
// path's own: the NumDraws draws the pool holds for it unresampled, with
// their lp_approx__ and lp__; and its iterations, one per L-BFGS
// iteration from the initial point, whose JSON record holds the iterate,
// the gradient of log p there, and the approximation's mean, α and
// factors, from which its covariance and log determinant rebuild (dense
// in 5-D, low rank in 15-D).
func TestSaveSinglePaths(t *testing.T) {
	for _, n := range []int{5, 15} {
		g := newNormal(n, 0.8)
		cfg := DefaultConfig()
		cfg.NumPaths, cfg.NumDraws, cfg.Seed = 2, 50, 9
		plain, err := Run(g, cfg)
		if err != nil {
			t.Fatal(err)
		}
		cfg.SaveSinglePaths = true
		res, err := Run(g, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i := range res.Draws {
			if !slices.Equal(res.Draws[i], plain.Draws[i]) || res.LP[i] != plain.LP[i] || res.LPApprox[i] != plain.LPApprox[i] {
				t.Fatalf("n=%d: pooled draw %d changed by SaveSinglePaths", n, i)
			}
		}
		pool := cfg
		pool.PSISResample = false
		all, err := Run(g, pool)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range res.Paths {
			if len(p.Draws) != 50 || len(p.LP) != 50 || len(p.LPApprox) != 50 {
				t.Fatalf("n=%d path %d: %d draws, want 50", n, i+1, len(p.Draws))
			}
			for k, d := range p.Draws {
				j := 50*i + k
				if !slices.Equal(d, all.Unconstrained[j]) || p.LP[k] != all.LP[j] || p.LPApprox[k] != all.LPApprox[j] {
					t.Fatalf("n=%d path %d draw %d: %v, the pool's %v", n, i+1, k, d, all.Unconstrained[j])
				}
			}
			if len(p.Iterates) != p.Iter+1 {
				t.Fatalf("n=%d path %d: %d iterations recorded, %d L-BFGS iterations", n, i+1, len(p.Iterates), p.Iter)
			}
			if p.Iterates[p.BestIter].Approx != p.Approx {
				t.Errorf("n=%d path %d: the best iteration's record does not hold the path's approximation", n, i+1)
			}
			checkIterates(t, g, &p)
		}
		if set := res.PathSet(0); len(set.Chains[0]) != 50 || !slices.Contains(set.Config, "    save_single_paths = 1") ||
			len(set.Footer) != 1 || !strings.HasSuffix(set.Footer[0], " seconds (Pathfinder)") {
			t.Errorf("n=%d: path set of %d rows, config %q, footer %q", n, len(set.Chains[0]), set.Config, set.Footer)
		}
	}
}

// checkIterates reads the path's JSON back and checks each record against
// the model and the approximation it describes.
func checkIterates(t *testing.T, g *normal, p *Path) {
	t.Helper()
	var buf bytes.Buffer
	if err := p.WriteIterates(&buf); err != nil {
		t.Fatal(err)
	}
	var recs map[string]struct {
		Iter              int         `json:"iter"`
		X                 []float64   `json:"unconstrained_parameters"`
		Grad              []float64   `json:"grads"`
		HistorySize       *int        `json:"history_size"`
		LBFGSSuccess      *bool       `json:"lbfgs_success"`
		PathfinderSuccess *bool       `json:"pathfinder_success"`
		Mean              []float64   `json:"x_center"`
		LogDet            float64     `json:"logDetCholHk"`
		Upper             [][]float64 `json:"L_approx"`
		Q                 [][]float64 `json:"Qk"`
		Alpha             []float64   `json:"alpha"`
		Full              bool        `json:"full"`
		Note              *string     `json:"lbfgs_note"`
	}
	if err := json.Unmarshal(buf.Bytes(), &recs); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if len(recs) != len(p.Iterates) {
		t.Fatalf("%d records, %d iterations", len(recs), len(p.Iterates))
	}
	n := len(g.mu)
	grad := make([]float64, n)
	approxes := 0
	for k, it := range p.Iterates {
		r, ok := recs[fmt.Sprint(k)]
		if !ok || r.Iter != k || !slices.Equal(r.X, it.X) {
			t.Fatalf("record %d: %+v", k, r)
		}
		g.LogDensity(r.X, grad)
		for i := range grad {
			if math.Abs(r.Grad[i]-grad[i]) > 1e-12*(1+math.Abs(grad[i])) {
				t.Fatalf("record %d: grads %v, log p's gradient %v", k, r.Grad, grad)
			}
		}
		if k == 0 {
			if r.HistorySize != nil || r.PathfinderSuccess != nil {
				t.Errorf("record 0 has more than iter, unconstrained_parameters and grads: %s", buf.String()[:200])
			}
			continue
		}
		if r.HistorySize == nil || *r.HistorySize != it.HistorySize || r.LBFGSSuccess == nil || !*r.LBFGSSuccess ||
			r.PathfinderSuccess == nil || *r.PathfinderSuccess != (it.Approx != nil) || r.Note == nil {
			t.Fatalf("record %d: %+v", k, r)
		}
		if it.Approx == nil {
			continue
		}
		approxes++
		q := it.Approx
		if !slices.Equal(r.Mean, q.Mean) || !slices.Equal(r.Alpha, it.Alpha) || r.Full != (2*it.HistorySize >= n) {
			t.Fatalf("record %d: x_center, alpha or full differ from the approximation's", k)
		}
		// A Aᵀ from the factors: A = Uᵀ (dense) or diag(√α)(I + Q(Uᵀ - I)Qᵀ).
		a := mat.NewDense(n, n, nil)
		logDet := 0.0
		for i := range r.Upper {
			logDet += math.Log(r.Upper[i][i])
		}
		if r.Full {
			for i := range n {
				for j := range n {
					a.Set(i, j, r.Upper[j][i])
				}
			}
		} else {
			kk := len(r.Upper)
			ut := mat.NewDense(kk, kk, nil)
			for i := range kk {
				for j := range kk {
					v := r.Upper[j][i]
					if i == j {
						v--
					}
					ut.Set(i, j, v)
				}
			}
			qm := mat.NewDense(n, kk, nil)
			for i := range n {
				qm.SetRow(i, r.Q[i])
			}
			var qu, quq mat.Dense
			qu.Mul(qm, ut)
			quq.Mul(&qu, qm.T())
			for i := range n {
				logDet += 0.5 * math.Log(r.Alpha[i])
				for j := range n {
					v := quq.At(i, j)
					if i == j {
						v++
					}
					a.Set(i, j, math.Sqrt(r.Alpha[i])*v)
				}
			}
		}
		var cov mat.Dense
		cov.Mul(a, a.T())
		want := q.Cov()
		for i := range n {
			for j := range n {
				if d := math.Abs(cov.At(i, j) - want.At(i, j)); d > 1e-9*(1+math.Abs(want.At(i, j))) {
					t.Fatalf("record %d: covariance from the factors [%d,%d] = %v, the approximation's %v", k, i, j, cov.At(i, j), want.At(i, j))
				}
			}
		}
		if math.Abs(logDet-r.LogDet) > 1e-9 || math.Abs(r.LogDet-q.LogDetCholH) > 0 {
			t.Fatalf("record %d: logDetCholHk %v, from the factors %v", k, r.LogDet, logDet)
		}
	}
	if approxes == 0 {
		t.Error("no record holds an approximation")
	}
}

// The file names CmdStan gives a run's single paths (CmdStan Guide,
// Single-path Pathfinder Outputs).
func TestSinglePathFiles(t *testing.T) {
	for _, c := range []struct {
		output            string
		path, paths       int
		wantCSV, wantJSON string
	}{
		{"output.csv", 1, 4, "output_path_1.csv", "output_path_1.json"},
		{"dir/run.x.csv", 3, 4, "dir/run.x_path_3.csv", "dir/run.x_path_3.json"},
		{"out", 2, 2, "out_path_2.csv", "out_path_2.json"},
		{"output.csv", 1, 1, "", "output.json"},
	} {
		csv, js := SinglePathFiles(c.output, c.path, c.paths)
		if csv != c.wantCSV || js != c.wantJSON {
			t.Errorf("%s path %d of %d: %q, %q; want %q, %q", c.output, c.path, c.paths, csv, js, c.wantCSV, c.wantJSON)
		}
	}
}
