package laplace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/model"
)

// Model is what Sample needs of a compiled Stan program.
type Model interface {
	// LogDensityJacobian is the log density on the unconstrained scale
	// with Stan's constants dropped, the log Jacobian included when
	// jacobian is set.
	LogDensityJacobian(theta, grad []float64, jacobian bool) (float64, error)
	// Names are the output columns.
	Names() []string
	// Write maps an unconstrained point to the output columns.
	Write(theta []float64, rng *rand.Rand, out []float64) error
}

// Config holds CmdStan's laplace arguments.
type Config struct {
	Jacobian bool // include the log Jacobian (CmdStan's default: true)
	Draws    int  // draws from the approximation (CmdStan's default: 1000)
	// CalculateLP computes log_p__ at every draw (CmdStan's calculate_lp,
	// since 2.35, default true); without it log_p__ is NaN throughout and
	// the model's log density is never evaluated at the draws (CmdStan
	// Guide, "Laplace sampling", Configuration).
	CalculateLP bool
	Seed        uint64 // the draws' and the generated quantities' random numbers
}

// DefaultConfig is CmdStan's defaults.
func DefaultConfig() Config { return Config{Jacobian: true, Draws: 1000, CalculateLP: true} }

// Result is the approximation and its draws.
type Result struct {
	Mode []float64 // the mode on the unconstrained scale
	// ModeLogP and ModeGradient are the log density and its gradient at
	// the mode (unconstrained), as CmdStan's diagnostic file holds them.
	ModeLogP     float64
	ModeGradient []float64
	// Hessian is the log density's Hessian at the mode; nil when the run
	// was interrupted before it was computed.
	Hessian *mat.SymDense
	// Chol is the lower Cholesky factor L of -H: the draws are
	// mode + L⁻ᵀ z with z standard normal, so their covariance is (-H)⁻¹.
	Chol          *mat.TriDense
	Names         []string    // the model's output columns
	Draws         [][]float64 // each draw's output columns
	Unconstrained [][]float64 // each draw on the unconstrained scale
	LogP          []float64   // log_p__: the model's log density at each draw (NaN where it failed, or everywhere without Config.CalculateLP)
	LogQ          []float64   // log_q__: ½ (θ - mode)ᵀ H (θ - mode)
	// WriteErrors counts the draws whose output columns could not all be
	// computed (their columns from the failure on are NaN, as in Stan);
	// FirstWriteError is the first such error. LogPErrors and
	// FirstLogPError are the same for log_p__.
	WriteErrors, LogPErrors         int
	FirstWriteError, FirstLogPError error
	// Interrupted is set when the context was cancelled: Draws hold the
	// draws made before, none if the Hessian was not finished.
	Interrupted bool
	// Config is the run's settings.
	Config Config
}

// Set is the draws as CmdStan's laplace output holds them: log_p__,
// log_q__ and the model's columns, with the settings, and a comment when
// the run was interrupted.
func (r *Result) Set() *draws.Set {
	rows := make([][]float64, len(r.Draws))
	for k, d := range r.Draws {
		rows[k] = append([]float64{r.LogP[k], r.LogQ[k]}, d...)
	}
	jac, lp := 0, 0
	if r.Config.Jacobian {
		jac = 1
	}
	if r.Config.CalculateLP {
		lp = 1
	}
	set := &draws.Set{
		Columns: append([]string{"log_p__", "log_q__"}, r.Names...),
		Chains:  [][][]float64{rows},
		Config: []string{
			"method = laplace",
			"  laplace",
			"    mode = ",
			fmt.Sprintf("    jacobian = %d", jac),
			fmt.Sprintf("    draws = %d", r.Config.Draws),
			fmt.Sprintf("    calculate_lp = %d", lp),
		},
		Seed: r.Config.Seed,
	}
	switch {
	case r.Interrupted && r.Hessian == nil:
		set.Comments = []string{"Interrupted while computing the Hessian: no draws."}
	case r.Interrupted:
		set.Comments = []string{fmt.Sprintf("Interrupted after %d of %d draws.", len(rows), r.Config.Draws)}
	}
	return set
}

// WriteModeJSON writes the log density, its gradient and its Hessian at
// the mode as CmdStan's laplace writes them to its diagnostic_file (CmdStan
// 2.35, stan-dev/stan#3261): an object with "lp_mode", "gradient" and
// "Hessian" (by rows), in Stan JSON. The run must have computed the
// Hessian.
func (r *Result) WriteModeJSON(w io.Writer) error {
	if r.Hessian == nil {
		return errors.New("the Hessian at the mode was not computed")
	}
	d := len(r.Mode)
	h := make([]float64, 0, d*d)
	for i := range d {
		for j := range d {
			h = append(h, r.Hessian.At(i, j))
		}
	}
	return model.Data{
		"lp_mode":  {Elems: []float64{r.ModeLogP}},
		"gradient": {Dims: []int{d}, Elems: r.ModeGradient},
		"Hessian":  {Dims: []int{d, d}, Elems: h},
	}.WriteJSON(w)
}

// ErrNotNegativeDefinite is wrapped by Sample's error when the Hessian at
// the mode has a nonnegative eigenvalue, so the point is no strict maximum.
var ErrNotNegativeDefinite = errors.New("the Hessian at the mode is not negative definite")

// SampleContext draws cfg.Draws points from the Laplace approximation of m
// at the unconstrained mode; progress, when not nil, is told the number of
// draws made after each. When ctx is cancelled it stops before the next
// draw (or the Hessian's next column) and returns what it has, flagged
// Interrupted.
func SampleContext(ctx context.Context, m Model, mode []float64, cfg Config, progress func(draws int)) (*Result, error) {
	if cfg.Draws <= 0 {
		return nil, fmt.Errorf("the number of draws must be positive, not %d", cfg.Draws)
	}
	f := func(x, g []float64) (float64, error) { return m.LogDensityJacobian(x, g, cfg.Jacobian) }
	d := len(mode)
	for i, v := range mode {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("the mode's unconstrained coordinate %d is %v", i+1, v)
		}
	}
	res := &Result{Mode: append([]float64(nil), mode...), Names: m.Names(), Config: cfg, ModeGradient: make([]float64, d)}
	var err error
	if res.ModeLogP, err = f(mode, res.ModeGradient); err != nil {
		return nil, fmt.Errorf("the log density at the mode: %w", err)
	}
	h, err := hessian(ctx, f, mode)
	if err != nil {
		return nil, err
	}
	if h == nil {
		res.Interrupted = true
		return res, nil
	}
	chol, err := NegCholesky(h)
	if err != nil {
		return nil, err
	}
	res.Hessian, res.Chol = h, chol
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x1a91ace))
	z := make([]float64, d)
	for k := range cfg.Draws {
		if ctx.Err() != nil {
			res.Interrupted = true
			break
		}
		for i := range z {
			z[i] = rng.NormFloat64()
		}
		theta := Draw(chol, mode, z)
		out := make([]float64, len(res.Names))
		if err := m.Write(theta, rng, out); err != nil {
			res.WriteErrors++
			if res.FirstWriteError == nil {
				res.FirstWriteError = err
			}
		}
		lp := math.NaN()
		if cfg.CalculateLP {
			var err error
			if lp, err = f(theta, nil); err != nil {
				lp = math.NaN()
				res.LogPErrors++
				if res.FirstLogPError == nil {
					res.FirstLogPError = err
				}
			}
		}
		res.Unconstrained = append(res.Unconstrained, theta)
		res.Draws = append(res.Draws, out)
		res.LogP = append(res.LogP, lp)
		res.LogQ = append(res.LogQ, LogQ(h, mode, theta))
		if progress != nil {
			progress(k + 1)
		}
	}
	return res, nil
}

// NegCholesky returns the lower Cholesky factor of -h, or an error
// wrapping ErrNotNegativeDefinite that names h's largest eigenvalue.
func NegCholesky(h *mat.SymDense) (*mat.TriDense, error) {
	d := h.SymmetricDim()
	neg := mat.NewSymDense(d, nil)
	neg.ScaleSym(-1, h)
	var c mat.Cholesky
	if !c.Factorize(neg) {
		var es mat.EigenSym
		if es.Factorize(h, false) {
			vals := es.Values(nil)
			return nil, fmt.Errorf("%w: its largest eigenvalue is %.6g (the point is not a strict maximum; was the mode found with the same --jacobian?)", ErrNotNegativeDefinite, vals[len(vals)-1])
		}
		return nil, ErrNotNegativeDefinite
	}
	l := mat.NewTriDense(d, mat.Lower, nil)
	c.LTo(l)
	return l, nil
}

// Draw returns mode + L⁻ᵀ z, a draw from N(mode, (L Lᵀ)⁻¹) when z is
// standard normal.
func Draw(l *mat.TriDense, mode, z []float64) []float64 {
	d := len(mode)
	// Solve Lᵀ v = z by back substitution.
	v := make([]float64, d)
	for i := d - 1; i >= 0; i-- {
		s := z[i]
		for k := i + 1; k < d; k++ {
			s -= l.At(k, i) * v[k]
		}
		v[i] = s / l.At(i, i)
	}
	for i := range v {
		v[i] += mode[i]
	}
	return v
}

// LogQ is the unnormalized log density of N(mode, (-h)⁻¹) at theta,
// ½ (θ - mode)ᵀ h (θ - mode), as CmdStan writes log_q__.
func LogQ(h *mat.SymDense, mode, theta []float64) float64 {
	d := len(mode)
	s := 0.0
	for i := range d {
		di := theta[i] - mode[i]
		for j := range d {
			s += di * h.At(i, j) * (theta[j] - mode[j])
		}
	}
	return 0.5 * s
}
