package draws

import (
	"math"
	"slices"
	"sync"
	"testing"
)

// twoChains is a set of two chains of three draws of lp__, mu and
// theta[1], theta[2].
func twoChains() *Set {
	return &Set{
		Columns: []string{"lp__", "mu", "theta[1]", "theta[2]"},
		Chains: [][][]float64{
			{{-1, 0.5, 1, 2}, {-2, 0.25, 3, 4}, {-3, 0.125, 5, 6}},
			{{-4, 1, 7, 8}, {-5, 2, 9, 10}, {-6, 4, 11, 12}},
		},
	}
}

// TestDraws: a column comes back chain by chain, an unknown one as nil.
func TestDraws(t *testing.T) {
	s := twoChains()
	mu := s.Draws("mu")
	if len(mu) != 2 || !slices.Equal(mu[0], []float64{0.5, 0.25, 0.125}) || !slices.Equal(mu[1], []float64{1, 2, 4}) {
		t.Errorf("mu: %v", mu)
	}
	if lp := s.Draws("lp__"); lp[1][2] != -6 {
		t.Errorf("lp__: %v", lp)
	}
	if s.Draws("theta") != nil || s.Draws("sigma") != nil || s.Index("theta[2]") != 3 || s.Len() != 6 {
		t.Errorf("theta or sigma has draws, or theta[2] is not column 3, or %d draws", s.Len())
	}
}

// TestVariable: a vector's columns in order and each draw's values, the
// chains one after another; a prefix of another variable's name
// (theta of thetas) is not that variable.
func TestVariable(t *testing.T) {
	s := twoChains()
	s.Columns = append(s.Columns, "thetas")
	for _, ch := range s.Chains {
		for i := range ch {
			ch[i] = append(ch[i], 99)
		}
	}
	cols, rows := s.Variable("theta")
	if !slices.Equal(cols, []string{"theta[1]", "theta[2]"}) || len(rows) != 6 || !slices.Equal(rows[4], []float64{9, 10}) {
		t.Errorf("theta: %v, %v", cols, rows)
	}
	cols, rows = s.Variable("mu")
	if !slices.Equal(cols, []string{"mu"}) || rows[5][0] != 4 {
		t.Errorf("mu: %v, %v", cols, rows)
	}
	if cols, rows = s.Variable("sigma"); cols != nil || rows != nil {
		t.Errorf("sigma: %v, %v", cols, rows)
	}
}

// TestSummary: the report splits the method's columns from the model's,
// and its mean and sd are those of the pooled draws.
func TestSummary(t *testing.T) {
	rep := twoChains().Summary()
	if len(rep.Sampler) != 1 || rep.Sampler[0].Name != "lp__" || len(rep.Params) != 3 || rep.Params[2].Name != "theta[2]" {
		t.Fatalf("sampler %v, params %v", rep.Sampler, rep.Params)
	}
	mu := rep.Params[0]
	// mean of 0.5, 0.25, 0.125, 1, 2, 4 and its sample sd
	mean := 7.875 / 6
	ss := 0.0
	for _, x := range []float64{0.5, 0.25, 0.125, 1, 2, 4} {
		ss += (x - mean) * (x - mean)
	}
	if math.Abs(mu.Mean-mean) > 1e-15 || math.Abs(mu.SD-math.Sqrt(ss/5)) > 1e-15 {
		t.Errorf("mu: mean %v, sd %v", mu.Mean, mu.SD)
	}
}

// TestVariational: CmdStan's layout, the mean first with its method
// columns 0, each draw with its densities.
func TestVariational(t *testing.T) {
	s := Variational([]string{"a", "b"}, []float64{1, 2}, [][]float64{{3, 4}, {5, 6}}, []float64{-1, -2}, []float64{-3, -4})
	if !slices.Equal(s.Columns, []string{"lp__", "log_p__", "log_g__", "a", "b"}) || !slices.Equal(s.Mean, []float64{0, 0, 0, 1, 2}) {
		t.Fatalf("columns %v, mean %v", s.Columns, s.Mean)
	}
	if !slices.Equal(s.Chains[0][1], []float64{0, -2, -4, 5, 6}) || s.Len() != 2 {
		t.Errorf("rows %v", s.Chains)
	}
}

// TestShared: goroutines read one set together (go test -race).
func TestShared(t *testing.T) {
	s := twoChains()
	want := s.Summary().Params[1].Mean
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if s.Draws("theta[1]")[1][0] != 7 || s.Summary().Params[1].Mean != want {
				t.Error("a goroutine read the set differently")
			}
			s.Variable("theta")
		})
	}
	wg.Wait()
}
