package nested

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
)

// Result is a finished run: the evidence and the weighted points.
type Result struct {
	// LogZ is the log evidence and LogZErr its standard error.
	LogZ, LogZErr float64
	// H is the information: the KL divergence from prior to posterior, in
	// nats.
	H float64
	// Names are the model's output columns; Draws[i] are the columns of
	// point i (Write), Points[i] its unconstrained coordinates.
	Names  []string
	Draws  [][]float64
	Points [][]float64
	// LogL is each point's log likelihood, LogX the log prior volume it
	// encloses, LogWeights its normalised log posterior weight.
	LogL, LogX, LogWeights []float64
	// ESS is Kish's effective sample size of the weights.
	ESS float64
	// LivePoints, Iterations and LikelihoodEvals describe the run.
	LivePoints, Iterations, LikelihoodEvals int
	// Interrupted says the run was cancelled before its termination test.
	Interrupted bool
	// Config is the run's settings, defaults filled in.
	Config Config
	// Messages are draws whose outputs failed.
	Messages []string
}

// jitters is how many simulated shrinkage sequences estimate LogZErr.
const jitters = 200

// result adds the live points to the dead, weights every point and
// estimates the evidence's error.
func (s *run) result(p Problem, interrupted bool) (*Result, error) {
	slices.SortFunc(s.live, func(a, b point) int { return cmpFloat(a.logL, b.logL) })
	// The last live points die one by one, the live set shrinking.
	pts := append([]dead(nil), s.dead...)
	for j, q := range s.live {
		pts = append(pts, dead{q, len(s.live) - j})
	}
	logL := make([]float64, len(pts))
	nLive := make([]int, len(pts))
	for i, q := range pts {
		logL[i], nLive[i] = q.logL, q.nLive
	}
	logX, logW, logZ := weigh(logL, nLive, nil)
	r := &Result{LogZ: logZ, LogL: logL, LogX: logX, LivePoints: s.cfg.LivePoints,
		Iterations: s.iter, LikelihoodEvals: s.evals, Interrupted: interrupted, Names: p.Names(), Config: s.cfg}
	// The error: the spread of log Z over shrinkages t ~ Beta(n, 1).
	rng := s.rng(1 << 63)
	zs := make([]float64, jitters)
	for k := range zs {
		_, _, zs[k] = weigh(logL, nLive, rng)
	}
	r.LogZErr = stddev(zs)
	sum2 := 0.0
	r.LogWeights = make([]float64, len(pts))
	for i, lw := range logW {
		r.LogWeights[i] = lw - logZ
		w := math.Exp(r.LogWeights[i])
		if w > 0 {
			r.H += w * (logL[i] - logZ)
		}
		sum2 += w * w
	}
	r.ESS = 1 / sum2
	var failures int
	for _, q := range pts {
		r.Points = append(r.Points, q.z)
		row := make([]float64, len(r.Names))
		if err := p.Write(q.z, rng, row); err != nil {
			if failures++; failures <= 5 {
				r.Messages = append(r.Messages, fmt.Sprintf("a point's outputs failed: %v", err))
			}
		}
		r.Draws = append(r.Draws, row)
	}
	if failures > 5 {
		r.Messages = append(r.Messages, fmt.Sprintf("%d more points' outputs failed", failures-5))
	}
	return r, nil
}

// weigh gives each point its log prior volume and log weight L·ΔX and
// the log evidence. With rng nil the volumes shrink by their expectation
// exp(-1/n) per point, else by draws t ~ Beta(n, 1) (t = U^(1/n)).
func weigh(logL []float64, nLive []int, rng *rand.Rand) (logX, logW []float64, logZ float64) {
	logX = make([]float64, len(logL))
	logW = make([]float64, len(logL))
	logZ = math.Inf(-1)
	prev := 0.0
	for i, l := range logL {
		shrink := -1 / float64(nLive[i])
		if rng != nil {
			shrink = math.Log(rng.Float64()) / float64(nLive[i])
		}
		logX[i] = prev + shrink
		logW[i] = l + prev + math.Log(-math.Expm1(shrink))
		logZ = logAdd(logZ, logW[i])
		prev = logX[i]
	}
	return logX, logW, logZ
}

func stddev(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m += x / float64(len(xs))
	}
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return math.Sqrt(v / float64(len(xs)-1))
}

// Samples draws n equally weighted points by systematic resampling of the
// weights, seeded by seed; each row holds the output columns.
func (r *Result) Samples(seed uint64, n int) [][]float64 {
	idx := r.resample(seed, n)
	out := make([][]float64, len(idx))
	for k, i := range idx {
		out[k] = r.Draws[i]
	}
	return out
}

// resample picks n points' indices by systematic resampling, in random
// order.
func (r *Result) resample(seed uint64, n int) []int {
	rng := rand.New(rand.NewPCG(seed, 0x5a3))
	out := make([]int, 0, n)
	u := rng.Float64()
	cum := 0.0
	i := 0
	for k := range n {
		target := (float64(k) + u) / float64(n)
		for i < len(r.LogWeights)-1 && cum+math.Exp(r.LogWeights[i]) < target {
			cum += math.Exp(r.LogWeights[i])
			i++
		}
		out = append(out, i)
	}
	rng.Shuffle(len(out), func(a, b int) { out[a], out[b] = out[b], out[a] })
	return out
}

// WeightedSamples are every point's output columns and normalised log
// weights.
func (r *Result) WeightedSamples() (draws [][]float64, logWeights []float64) {
	return r.Draws, r.LogWeights
}

// PrintSummary writes the weighted posterior's mean, standard deviation
// and 5%, 50%, 95% quantiles per column, then the evidence.
func (r *Result) PrintSummary(w io.Writer) {
	width := 8
	for _, n := range r.Names {
		width = max(width, len(n))
	}
	fmt.Fprintf(w, "%-*s %10s %10s %10s %10s %10s\n", width, "", "mean", "sd", "5%", "50%", "95%")
	idx := make([]int, len(r.Draws))
	for j, name := range r.Names {
		mean, sq := 0.0, 0.0
		for i, d := range r.Draws {
			wt := math.Exp(r.LogWeights[i])
			mean += wt * d[j]
			sq += wt * d[j] * d[j]
		}
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return cmpFloat(r.Draws[a][j], r.Draws[b][j]) })
		q := func(p float64) float64 {
			cum := 0.0
			for _, i := range idx {
				if cum += math.Exp(r.LogWeights[i]); cum >= p {
					return r.Draws[i][j]
				}
			}
			return r.Draws[idx[len(idx)-1]][j]
		}
		fmt.Fprintf(w, "%-*s %10.4g %10.4g %10.4g %10.4g %10.4g\n", width, name, mean, math.Sqrt(max(0, sq-mean*mean)), q(0.05), q(0.5), q(0.95))
	}
	fmt.Fprintf(w, "\nlog Z = %.4f ± %.4f\n", r.LogZ, r.LogZErr)
	fmt.Fprintf(w, "information H = %.3f nats, effective sample size %.0f, %d live points, %d likelihood evaluations\n",
		r.H, r.ESS, r.LivePoints, r.LikelihoodEvals)
	if r.Interrupted {
		fmt.Fprintln(w, "the run was interrupted before its termination test: log Z counts the live points as they were")
	}
}
