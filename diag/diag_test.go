package diag

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/gostan/gostan/posteriordb"
)

// TestAgainstPosteriorPackage compares with the diagnostics that the
// posterior R package computed on PosteriorDB's reference draws (stored
// in the reference's info file).
func TestAgainstPosteriorPackage(t *testing.T) {
	root := filepath.Join("..", "testdata", "posteriordb")
	db, err := posteriordb.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"eight_schools-eight_schools_noncentered", "kidiq-kidscore_momhs"} {
		p, err := db.Posterior(name)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := db.Reference(p)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(root, "reference_posteriors", "draws", "info", name+".info.json"))
		if err != nil {
			t.Fatal(err)
		}
		var info struct {
			Diagnostics struct {
				Info struct {
					Names []string `json:"names"`
				} `json:"diagnostic_information"`
				Bulk []float64 `json:"effective_sample_size_bulk"`
				Tail []float64 `json:"effective_sample_size_tail"`
				Rhat []float64 `json:"r_hat"`
			} `json:"diagnostics"`
		}
		if err := json.Unmarshal(b, &info); err != nil {
			t.Fatal(err)
		}
		d := info.Diagnostics
		for i, col := range d.Info.Names {
			chains := ref.Split(col)
			check := func(what string, got, want, tol float64) {
				if math.Abs(got-want) > tol*math.Abs(want) {
					t.Errorf("%s %s: %s = %.10g, posterior package %.10g", name, col, what, got, want)
				}
			}
			check("ESS bulk", ESSBulk(chains), d.Bulk[i], 1e-6)
			check("ESS tail", ESSTail(chains), d.Tail[i], 1e-6)
			// The reference's R-hats come from an early posterior
			// release (0.0.1) and differ from the current definition in
			// the seventh digit.
			check("R-hat", Rhat(chains), d.Rhat[i], 5e-6)
		}
	}
}

// ar1 returns m chains of an AR(1) process x_t = phi x_{t-1} + e_t,
// started at stationarity, whose integrated autocorrelation time is
// (1+phi)/(1-phi).
func ar1(rng *rand.Rand, m, n int, phi float64) [][]float64 {
	out := make([][]float64, m)
	for c := range out {
		x := rng.NormFloat64() / math.Sqrt(1-phi*phi)
		out[c] = make([]float64, n)
		for i := range out[c] {
			x = phi*x + rng.NormFloat64()
			out[c][i] = x
		}
	}
	return out
}

func TestESSOfAR1(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, phi := range []float64{0, 0.5, 0.9, -0.3} {
		chains := ar1(rng, 4, 20000, phi)
		want := 80000 * (1 - phi) / (1 + phi)
		for what, got := range map[string]float64{"bulk": ESSBulk(chains), "mean": ESSMean(chains)} {
			if math.Abs(got-want) > 0.1*want {
				t.Errorf("phi %v: ESS %s = %.0f, want about %.0f", phi, what, got, want)
			}
		}
		if r := Rhat(chains); r > 1.01 {
			t.Errorf("phi %v: R-hat of stationary chains = %v", phi, r)
		}
	}
}

func TestRhatDetectsDisagreement(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	chains := ar1(rng, 4, 1000, 0.5)
	for i := range chains[0] {
		chains[0][i] += 1 // one chain elsewhere
	}
	if r := Rhat(chains); r < 1.05 {
		t.Errorf("R-hat with a shifted chain = %v", r)
	}
	// Same centre, one chain four times wider: only the folded R-hat sees it.
	chains = ar1(rng, 4, 1000, 0)
	for i := range chains[0] {
		chains[0][i] *= 4
	}
	if r := Rhat(chains); r < 1.05 {
		t.Errorf("R-hat with a wider chain = %v", r)
	}
	if r := Rhat([][]float64{{1, 1, 1, 1}, {1, 1, 1, 1}}); !math.IsNaN(r) {
		t.Errorf("R-hat of constant chains = %v, want NaN", r)
	}
}

func TestSummaryOfNormal(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	chains := ar1(rng, 4, 5000, 0)
	s := Summarize("x", chains, DefaultProbs)
	// 20000 iid standard normals: the estimates are within a few standard
	// errors of the truth.
	if math.Abs(s.Mean) > 4*s.MCSE || math.Abs(s.MCSE-1/math.Sqrt(20000)) > 0.1/math.Sqrt(20000) {
		t.Errorf("mean %v, MCSE %v", s.Mean, s.MCSE)
	}
	if math.Abs(s.SD-1) > 0.02 || math.Abs(s.MAD-1) > 0.03 ||
		math.Abs(s.Quantiles[1]) > 0.03 || math.Abs(s.Quantiles[0]+1.6449) > 0.05 || math.Abs(s.Quantiles[2]-1.6449) > 0.05 {
		t.Errorf("summary %+v", s)
	}
	if s.ESSTail < 15000 || s.ESSBulk < 18000 {
		t.Errorf("ESS bulk %v tail %v for iid draws", s.ESSBulk, s.ESSTail)
	}
}

func TestQuantileType7(t *testing.T) {
	x := []float64{3, 1, 4, 1, 5}
	// R: quantile(c(3,1,4,1,5), c(0, .1, .5, .95, 1)) = 1, 1, 3, 4.8, 5
	for _, c := range []struct{ p, want float64 }{{0, 1}, {0.1, 1}, {0.5, 3}, {0.95, 4.8}, {1, 5}} {
		if got := Quantile(x, c.p); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Quantile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
}
