package svi

import (
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/model"
)

// Meaner is a guide whose mean on the unconstrained scale has a closed
// form: the Gaussians' location, a point mass's point.
type Meaner interface {
	Mean() []float64
}

// LogQSampler is a guide that draws z with its log density log q(z) on the
// unconstrained scale.
type LogQSampler interface {
	SampleLogQ(rng *rand.Rand, z []float64) float64
}

// MeanDraws is how many draws estimate the mean of a guide that is not a
// Meaner (the normalizing flows, a program's guide block).
const MeanDraws = 1000

// Mean returns the fitted guide's mean on the unconstrained scale: the
// Meaner's, or else the average of MeanDraws draws from rng.
func (s *SVI) Mean(rng *rand.Rand) []float64 {
	if m, ok := s.Guide.(Meaner); ok {
		return append([]float64(nil), m.Mean()...)
	}
	d := s.Model.Dim()
	mean := make([]float64, d)
	z := make([]float64, d)
	for range MeanDraws {
		s.Guide.Sample(rng, z)
		for i, v := range z {
			mean[i] += v / MeanDraws
		}
	}
	return mean
}

// Sample writes the fitted guide's mean (Mean) and n draws through the
// model's Write, so that transformed parameters and generated quantities
// come out with the parameters, with each draw's log p and log q. A draw
// whose outputs fail keeps them NaN, as NUTS does, and its error goes to
// Messages.
func (s *SVI) Sample(rng *rand.Rand, n int) *Result {
	names := s.Model.Names()
	res := &Result{Names: names, Mean: make([]float64, len(names)), Interrupted: s.Interrupted}
	var failed model.Failures
	write := func(z, row []float64) {
		if err := s.Model.Write(z, rng, row); err != nil {
			failed.Add(err)
		}
	}
	write(s.Mean(rng), res.Mean)
	z := make([]float64, s.Model.Dim())
	for range n {
		logQ := s.sampleLogQ(rng, z)
		row := make([]float64, len(names))
		write(z, row)
		res.Draws = append(res.Draws, row)
		res.LogP = append(res.LogP, LogP(s.Model.LogDensity, z))
		res.LogG = append(res.LogG, logQ)
	}
	s.Messages = append(s.Messages, failed.OutputsReport()...)
	res.Messages = s.Messages
	return res
}

// LogP is the log density lp gives at z, -Inf where it fails (a point
// outside the support or a reject(), which Stan treats as density 0).
func LogP(lp func(z, grad []float64) (float64, error), z []float64) float64 {
	v, err := lp(z, nil)
	if err != nil {
		return math.Inf(-1)
	}
	return v
}

// sampleLogQ draws z with log q(z). A guide that is not a LogQSampler
// (a program's guide block) gives log q through ELBOGrad, whose value is
// log p - log q at its draw: Sample, replaying the same random numbers,
// gives that draw, at which log p is evaluated again. A draw ELBOGrad
// rejects is drawn again, as Sample would; after MaxRetries+1 failures z
// is Sample's and log q NaN.
func (s *SVI) sampleLogQ(rng *rand.Rand, z []float64) float64 {
	if g, ok := s.Guide.(LogQSampler); ok {
		return g.SampleLogQ(rng, z)
	}
	grad := make([]float64, len(s.Guide.Params()))
	for range s.MaxRetries + 1 {
		src := rand.NewPCG(rng.Uint64(), rng.Uint64())
		start := *src
		r := rand.New(src)
		obj, err := s.Guide.ELBOGrad(r, s.Model.LogDensity, grad)
		if err != nil {
			continue
		}
		*src = start
		s.Guide.Sample(r, z)
		return LogP(s.Model.LogDensity, z) - obj
	}
	s.Guide.Sample(rng, z)
	return math.NaN()
}
