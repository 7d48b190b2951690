package nuts

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/model"
)

// refTransition is Stan's base_nuts::transition as Stan writes it: whole
// points and momenta copied wherever a value passes, rho summed from zero,
// the leapfrog's halves and the U-turn criteria as separate passes. It
// shares the sampler's arithmetic (the weights' logSumExpShare and their
// running log sum, the energy), so that what it checks is the sampler's
// buffer handling: the swaps, the fused passes, the proposals taken
// without copies.
func (s *sampler) refTransition(cur *point) Stats {
	d := s.d
	vec := func(v []float64) []float64 { return append([]float64(nil), v...) }
	z := newPoint(d)
	copy(z.q, cur.q)
	copy(z.g, cur.g)
	z.lp = cur.lp
	s.met.sampleP(s.rng, z.p)
	pSharp := make([]float64, d)
	h0 := energy(z.lp, s.met.sharp(z.p, pSharp))
	z.h = h0
	zFwd, zBck, zSample, zPropose := newPoint(d), newPoint(d), newPoint(d), newPoint(d)
	zFwd.set(&z)
	zBck.set(&z)
	zSample.set(&z)
	pFwdFwd, pFwdBck, pBckFwd, pBckBck := vec(z.p), vec(z.p), vec(z.p), vec(z.p)
	sFwdFwd, sFwdBck, sBckFwd, sBckBck := vec(pSharp), vec(pSharp), vec(pSharp), vec(pSharp)
	rho := vec(z.p)
	logSumWeight := 0.0
	depth := 0
	s.nLeapfrog, s.sumMetroProb, s.divergent = 0, 0, false
	for depth < s.maxDepth {
		rhoFwd, rhoBck := make([]float64, d), make([]float64, d)
		var valid bool
		var logSumWeightSub float64
		if s.rng.Float64() > 0.5 {
			z.set(&zFwd)
			copy(rhoBck, rho)
			copy(pBckFwd, pFwdBck)
			copy(sBckFwd, sFwdBck)
			valid, logSumWeightSub = s.refBuildTree(depth, &z, &zPropose, sFwdBck, sFwdFwd, rhoFwd, pFwdBck, pFwdFwd, h0, 1)
			zFwd.set(&z)
		} else {
			z.set(&zBck)
			copy(rhoFwd, rho)
			copy(pFwdBck, pBckFwd)
			copy(sFwdBck, sBckFwd)
			valid, logSumWeightSub = s.refBuildTree(depth, &z, &zPropose, sBckFwd, sBckBck, rhoBck, pBckFwd, pBckBck, h0, -1)
			zBck.set(&z)
		}
		if !valid {
			break
		}
		depth++
		if logSumWeightSub > logSumWeight {
			zSample.keep(&zPropose)
			logSumWeight = logSumWeightSub + math.Log(1+math.Exp(logSumWeight-logSumWeightSub))
		} else {
			x := math.Exp(logSumWeightSub - logSumWeight)
			if s.rng.Float64() < x {
				zSample.keep(&zPropose)
			}
			logSumWeight += math.Log(1 + x)
		}
		for i := range rho {
			rho[i] = rhoBck[i] + rhoFwd[i]
		}
		ext1, ext2 := make([]float64, d), make([]float64, d)
		for i := range rho {
			ext1[i] = rhoBck[i] + pFwdBck[i]
			ext2[i] = rhoFwd[i] + pBckFwd[i]
		}
		if !refCriterion(sBckBck, sFwdFwd, rho) || !refCriterion(sBckBck, sFwdBck, ext1) || !refCriterion(sBckFwd, sFwdFwd, ext2) {
			break
		}
	}
	cur.keep(&zSample)
	accept := 0.0
	if s.nLeapfrog > 0 {
		accept = s.sumMetroProb / float64(s.nLeapfrog)
	}
	return Stats{LP: cur.lp, AcceptStat: accept, StepSize: s.eps, TreeDepth: depth, NLeapfrog: s.nLeapfrog,
		Divergent: s.divergent, Energy: cur.h}
}

// refCriterion is Stan's compute_criterion.
func refCriterion(sMinus, sPlus, rho []float64) bool {
	return dot(sPlus, rho) > 0 && dot(sMinus, rho) > 0
}

// refBuildTree is Stan's base_nuts::build_tree with copies, moving z; rho
// is added to.
func (s *sampler) refBuildTree(depth int, z, zPropose *point, sBeg, sEnd, rho, pBeg, pEnd []float64, h0, sign float64) (bool, float64) {
	d := s.d
	if depth == 0 {
		eps := sign * s.eps
		half := 0.5 * eps
		for i := range z.p {
			z.p[i] += half * z.g[i]
		}
		v := make([]float64, d)
		s.met.dtauDp(z.p, v)
		for i := range z.q {
			z.q[i] += eps * v[i]
		}
		s.nGrad++
		lp, err := s.m.LogDensity(z.q, z.g)
		h := math.Inf(1)
		if err == nil && !math.IsNaN(lp) && !math.IsInf(lp, 0) {
			for i := range z.p {
				z.p[i] += half * z.g[i]
			}
			s.met.dtauDp(z.p, sBeg)
			h = energy(lp, dot(z.p, sBeg))
		} else {
			lp = math.Inf(-1)
		}
		z.lp, z.h = lp, h
		s.nLeapfrog++
		if h-h0 > maxDeltaH {
			s.divergent = true
		}
		if h0-h > 0 {
			s.sumMetroProb++
		} else {
			s.sumMetroProb += math.Exp(h0 - h)
		}
		zPropose.keep(z)
		for i := range rho {
			rho[i] += z.p[i]
		}
		copy(sEnd, sBeg)
		copy(pBeg, z.p)
		copy(pEnd, z.p)
		return !s.divergent, h0 - h
	}
	sInitEnd, pInitEnd, rhoInit := make([]float64, d), make([]float64, d), make([]float64, d)
	valid, logSumWeightInit := s.refBuildTree(depth-1, z, zPropose, sBeg, sInitEnd, rhoInit, pBeg, pInitEnd, h0, sign)
	if !valid {
		return false, 0
	}
	zFinal := newPoint(d)
	sFinalBeg, pFinalBeg, rhoFinal := make([]float64, d), make([]float64, d), make([]float64, d)
	valid, logSumWeightFinal := s.refBuildTree(depth-1, z, &zFinal, sFinalBeg, sEnd, rhoFinal, pFinalBeg, pEnd, h0, sign)
	if !valid {
		return false, 0
	}
	logSumWeightSub, share := logSumExpShare(logSumWeightInit, logSumWeightFinal)
	if s.rng.Float64() < share {
		zPropose.keep(&zFinal)
	}
	sub := make([]float64, d)
	for i := range sub {
		sub[i] = rhoInit[i] + rhoFinal[i]
	}
	for i := range rho {
		rho[i] += sub[i]
	}
	ext1, ext2 := make([]float64, d), make([]float64, d)
	for i := range sub {
		ext1[i] = rhoInit[i] + pFinalBeg[i]
		ext2[i] = rhoFinal[i] + pInitEnd[i]
	}
	persist := refCriterion(sBeg, sEnd, sub) && refCriterion(sBeg, sFinalBeg, ext1) && refCriterion(sInitEnd, sEnd, ext2)
	return persist, logSumWeightSub
}

// TestTransitionIsStans runs the sampler's transition and refTransition
// side by side from the same point with the same random stream, on the
// PosteriorDB models of BenchmarkNUTSOverhead and on Go targets with
// both metrics, at step sizes that make shallow, deep and divergent
// trees (and trees cut at a maximum depth of 3), and wants every draw,
// gradient and statistic equal to the bit.
func TestTransitionIsStans(t *testing.T) {
	cov := [][]float64{{1, 0.5, 0}, {0.5, 2, 0.3}, {0, 0.3, 1}}
	type target struct {
		name     string
		m        model.Model
		kind     Metric
		maxDepth int
	}
	targets := []target{
		{"gaussian diag", newGaussian(cov), Diag, 10},
		{"gaussian dense", newGaussian(cov), Dense, 10},
		{"funnel diag", funnel{d: 10}, Diag, 10},
		{"funnel diag, max depth 3", funnel{d: 10}, Diag, 3},
	}
	load := func(root, name, data string) {
		p, err := compile.File(filepath.Join(root, "models", "stan", name+".stan"))
		if err != nil {
			t.Fatal(err)
		}
		dd, err := model.ReadDataFile(filepath.Join(root, "data", "data", data+".json.zip"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := p.NewModel(dd, 1)
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, target{name, m, Diag, 10})
	}
	fixtures := filepath.Join("..", "..", "testdata", "posteriordb")
	load(fixtures, "eight_schools_noncentered", "eight_schools")
	load(fixtures, "kidscore_momhs", "kidiq")
	load(fixtures, "gp_regr", "gp_pois_regr")
	if root := os.Getenv("GOSTAN_POSTERIORDB"); root != "" {
		load(root, "arK", "arK")
		load(root, "hmm_drive_0", "bball_drive_event_0")
	} else {
		t.Log("GOSTAN_POSTERIORDB not set: arK and hmm_drive_0 skipped")
	}
	for _, c := range targets {
		d := c.m.Dim()
		// A short adapted chain gives the step size and metric.
		cfg := DefaultConfig()
		cfg.Warmup, cfg.Samples, cfg.Seed, cfg.Metric = 150, 1, 5, c.kind
		ch, err := Sample(c.m.Clone(), cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		newSampler := func() (*sampler, point) {
			s := &sampler{m: c.m.Clone(), d: d, met: newMetric(c.kind, d), maxDepth: c.maxDepth,
				rng: rand.New(rand.NewPCG(7, 8)), z: newPoint(d), scratch: make([]float64, d)}
			if err := s.met.set(ch.InvMetric); err != nil {
				t.Fatal(err)
			}
			s.initLevels()
			cur := newPoint(d)
			if _, err := s.initialize(&cur, cfg); err != nil {
				t.Fatal(err)
			}
			return s, cur
		}
		s, cur := newSampler()
		r, rcur := newSampler()
		tr := newTransition(d, s.maxDepth)
		var depths, divergent, cut int
		for i := range 240 {
			eps := ch.StepSize * []float64{1, 0.1, 6}[i/80]
			s.eps, r.eps = eps, eps
			got, want := s.transition(&cur, tr), r.refTransition(&rcur)
			if got != want || cur.lp != rcur.lp || cur.h != rcur.h || !sameBits(cur.q, rcur.q) || !sameBits(cur.g, rcur.g) {
				t.Fatalf("%s, transition %d (step %v): got %+v at %v, Stan's %+v at %v", c.name, i, eps, got, cur.q, want, rcur.q)
			}
			depths += got.TreeDepth
			if got.TreeDepth == c.maxDepth {
				cut++
			}
			if got.Divergent {
				divergent++
			}
		}
		if s.nGrad != r.nGrad || depths < 240 {
			t.Errorf("%s: %d and %d gradients, trees of depth %d in all", c.name, s.nGrad, r.nGrad, depths)
		}
		if c.maxDepth < 10 && cut == 0 {
			t.Errorf("%s: no tree reached the maximum depth", c.name)
		}
		t.Logf("%s: depth %d, %d divergent, %d at the maximum depth, in 240 transitions", c.name, depths, divergent, cut)
	}
}

func sameBits(a, b []float64) bool {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}
