package optimize

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/floats"

	"github.com/gostan/gostan/model"
)

// Algorithm is the optimizer.
type Algorithm int

const (
	LBFGS Algorithm = iota
	BFGS
	Newton
)

func (a Algorithm) String() string {
	switch a {
	case LBFGS:
		return "lbfgs"
	case BFGS:
		return "bfgs"
	case Newton:
		return "newton"
	}
	return fmt.Sprintf("Algorithm(%d)", int(a))
}

// ParseAlgorithm reads lbfgs, bfgs or newton.
func ParseAlgorithm(s string) (Algorithm, error) {
	for _, a := range []Algorithm{LBFGS, BFGS, Newton} {
		if a.String() == s {
			return a, nil
		}
	}
	return 0, fmt.Errorf("the algorithm must be lbfgs, bfgs or newton, not %q", s)
}

// Config holds CmdStan's optimize arguments.
type Config struct {
	Algorithm   Algorithm
	Iter        int     // maximum iterations
	InitAlpha   float64 // first line search step (BFGS, L-BFGS)
	TolObj      float64 // absolute change of the log density
	TolRelObj   float64 // relative change of the log density, in units of machine epsilon
	TolGrad     float64 // gradient norm
	TolRelGrad  float64 // relative gradient magnitude, in units of machine epsilon
	TolParam    float64 // parameter change
	HistorySize int     // L-BFGS's update pairs
	// Init is the starting point on the unconstrained scale; when nil the
	// start is zero for InitRadius 0 and otherwise uniform in
	// (-InitRadius, InitRadius) in every coordinate, redrawn up to 100
	// times until the density and its gradient are finite
	// (model.InitializeDensity, shared with the other algorithms).
	Init       []float64
	InitRadius float64
	// Explain, when not nil, says why the density is not finite at a
	// point (a model.Explainer's Explain), for the messages about rejected
	// initial points; Run sets it when the model has one.
	Explain func(x []float64) error
	Seed    uint64
	// Jacobian includes the log Jacobian of the constraining transforms
	// in the density Run maximises (the mode on the unconstrained scale,
	// as a Laplace approximation wants); CmdStan's default leaves it out.
	Jacobian bool
	// SaveIterations keeps every iterate's output row, the initial point
	// first, as CmdStan's save_iterations writes them (Run's
	// Result.Iterations).
	SaveIterations bool
}

// DefaultConfig is CmdStan's defaults.
func DefaultConfig() Config {
	return Config{
		Algorithm: LBFGS, Iter: 2000, InitAlpha: 0.001,
		TolObj: 1e-12, TolRelObj: 1e4, TolGrad: 1e-8, TolRelGrad: 1e7, TolParam: 1e-8,
		HistorySize: 5, InitRadius: 2,
	}
}

// Func is a log density to maximise: its value, and its gradient in grad.
// An error marks a point outside the support.
type Func func(x, grad []float64) (float64, error)

// Code is why the optimizer stopped.
type Code int

const (
	Running     Code = 0
	ConvAbsX    Code = 10
	ConvAbsF    Code = 20
	ConvRelF    Code = 21
	ConvAbsGrad Code = 30
	ConvRelGrad Code = 31
	MaxIter     Code = 40
	LineSearch  Code = -1
)

// OK is whether the code is a normal termination.
func (c Code) OK() bool { return c >= 0 }

func (c Code) String() string {
	switch c {
	case Running:
		return "Successful step completed"
	case ConvAbsF:
		return "Convergence detected: absolute change in objective function was below tolerance"
	case ConvRelF:
		return "Convergence detected: relative change in objective function was below tolerance"
	case ConvAbsGrad:
		return "Convergence detected: gradient norm is below tolerance"
	case ConvRelGrad:
		return "Convergence detected: relative gradient magnitude is below tolerance"
	case ConvAbsX:
		return "Convergence detected: absolute parameter change was below tolerance"
	case MaxIter:
		return "Maximum number of iterations hit, may not be at an optima"
	case LineSearch:
		return "Line search failed to achieve a sufficient decrease, no more progress can be made"
	}
	return "Unknown termination code"
}

// Iteration is one line of the optimizer's report; iteration 0 is the
// initial point.
type Iteration struct {
	Iter     int
	LogP     float64
	StepNorm float64 // ||dx||
	GradNorm float64
	Alpha    float64 // the accepted step length
	Alpha0   float64 // the line search's first trial
	Evals    int     // gradient evaluations so far
	Note     string
	// X is the iterate and Grad the log density's gradient there (Grad
	// nil for Newton), for methods that follow the path, as Pathfinder
	// does. They are the optimizer's buffers: valid only during the
	// report call.
	X, Grad []float64
}

// Result is the mode found.
type Result struct {
	X        []float64 // the mode on the unconstrained scale
	LogP     float64   // the log density there
	InitLogP float64   // the log density at the start
	// Messages are the initial points rejected before the start, with
	// why, as the other algorithms report them.
	Messages []string
	Iter     int
	Evals    int
	Code     Code
	// Interrupted is set when the context was cancelled: X is then the
	// best point after Iter iterations, not a mode, and Code is Running.
	Interrupted bool
	// Config is the run's settings.
	Config Config
	// Names and Values are the model's output columns at X (Run; nil
	// from Maximize); WriteErr is why some of them could not be computed
	// (those are NaN).
	Names    []string
	Values   []float64
	WriteErr error
	// Iterations are lp__ and the output columns at every iterate, the
	// initial point first (Run with Config.SaveIterations).
	Iterations [][]float64
}

// Maximize is MaximizeContext without cancellation.
func Maximize(f Func, dim int, cfg Config, report func(Iteration)) (*Result, error) {
	return MaximizeContext(context.Background(), f, dim, cfg, report)
}

// MaximizeContext finds a mode of f on R^dim. report, when not nil, sees
// every iteration. When ctx is cancelled the optimizer stops before its
// next iteration and returns the best point so far with Interrupted set,
// so that an interrupted run keeps its progress.
func MaximizeContext(ctx context.Context, f Func, dim int, cfg Config, report func(Iteration)) (*Result, error) {
	if cfg.Iter <= 0 {
		return nil, errors.New("the iteration limit must be positive")
	}
	o := &optimizer{f: f, cfg: cfg, n: dim, g: make([]float64, dim)}
	x, rejected, err := o.initialize()
	if err != nil {
		return nil, err
	}
	var res *Result
	switch cfg.Algorithm {
	case LBFGS, BFGS:
		res, err = o.quasiNewton(ctx, x, report)
	case Newton:
		res, err = o.newton(ctx, x, report)
	default:
		return nil, fmt.Errorf("unknown algorithm %v", cfg.Algorithm)
	}
	if res != nil {
		res.Config, res.Messages = cfg, rejected
	}
	return res, err
}

type optimizer struct {
	f     Func
	cfg   Config
	n     int
	g     []float64 // scratch gradient
	evals int
}

// eval returns -f and -grad (the optimizer minimises), ok false where f
// cannot be evaluated or is not finite.
func (o *optimizer) eval(x, grad []float64) (float64, bool) {
	o.evals++
	lp, err := o.f(x, grad)
	if err != nil || math.IsNaN(lp) || math.IsInf(lp, 0) {
		return math.Inf(1), false
	}
	for i, v := range grad {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return math.Inf(1), false
		}
		grad[i] = -v
	}
	return -lp, true
}

// initialize finds the start as every algorithm does (Stan's
// services::util::initialize, model.InitializeDensity): the given point,
// zero for radius 0, or up to 100 draws uniform in (-InitRadius,
// InitRadius) until the density and its gradient are finite. It returns
// the rejected tries worded for a person.
func (o *optimizer) initialize() ([]float64, []string, error) {
	x := make([]float64, o.n)
	rng := rand.New(rand.NewPCG(o.cfg.Seed, 0x0971))
	f := func(x, grad []float64) (float64, error) {
		o.evals++
		return o.f(x, grad)
	}
	_, rejected, err := model.InitializeDensity(f, o.cfg.Explain, o.cfg.Init, o.cfg.InitRadius, rng, x, o.g)
	if err != nil {
		return nil, nil, err
	}
	return x, rejected.Report("initial value rejected", "initial values rejected"), nil
}

// step sets x1 = x0 + alpha p.
func step(x1, x0, p []float64, alpha float64) {
	for i := range x1 {
		x1[i] = x0[i] + alpha*p[i]
	}
}

// cubicMin minimises the cubic through (a, fa, da) and (b, fb, db), safeguarded
// to the middle 98% of the interval, bisecting where the cubic has no minimum
// (Nocedal and Wright eq. 3.59).
func cubicMin(a, fa, da, b, fb, db float64) float64 {
	d1 := da + db - 3*(fa-fb)/(a-b)
	disc := d1*d1 - da*db
	lo, hi := math.Min(a, b), math.Max(a, b)
	mid := 0.5 * (a + b)
	if disc < 0 || math.IsNaN(disc) {
		return mid
	}
	d2 := math.Sqrt(disc)
	if b < a {
		d2 = -d2
	}
	t := b - (b-a)*(db+d2-d1)/(db-da+2*d2)
	w := 0.01 * (hi - lo)
	if math.IsNaN(t) || t < lo+w || t > hi-w {
		return mid
	}
	return t
}

const (
	c1       = 1e-4
	c2       = 0.9
	minAlpha = 1e-12
	maxLSIts = 40
)

// lineSearch looks along p from x0 (value f0, gradient g0) for a step
// satisfying the strong Wolfe conditions (Nocedal and Wright Algorithm
// 3.5), writing the point into x1, f1, g1. It reports false on failure.
func (o *optimizer) lineSearch(alpha float64, x0 []float64, f0 float64, g0, p, x1, g1 []float64) (float64, float64, bool) {
	d0 := floats.Dot(g0, p)
	if !(d0 < 0) {
		return 0, 0, false
	}
	prevA, prevF, prevD := 0.0, f0, d0
	a := alpha
	for it := 0; it < maxLSIts; it++ {
		step(x1, x0, p, a)
		f, ok := o.eval(x1, g1)
		if !ok {
			// An infinitely bad point: back off towards the last good step.
			a = 0.5 * (prevA + a)
			if a-prevA < minAlpha {
				return 0, 0, false
			}
			continue
		}
		d := floats.Dot(g1, p)
		if f > f0+c1*a*d0 || (it > 0 && f >= prevF) {
			return o.zoom(x0, f0, d0, p, prevA, prevF, prevD, a, f, d, x1, g1)
		}
		if math.Abs(d) <= -c2*d0 {
			return a, f, true
		}
		if d >= 0 {
			return o.zoom(x0, f0, d0, p, a, f, d, prevA, prevF, prevD, x1, g1)
		}
		prevA, prevF, prevD = a, f, d
		a *= 10
	}
	return 0, 0, false
}

// zoom is Nocedal and Wright's Algorithm 3.6 between lo (the best point so
// far satisfying sufficient decrease) and hi.
func (o *optimizer) zoom(x0 []float64, f0, d0 float64, p []float64, lo, flo, dlo, hi, fhi, dhi float64, x1, g1 []float64) (float64, float64, bool) {
	for it := 1; it <= 100; it++ {
		if math.Abs(hi-lo) < 1e-16 {
			return 0, 0, false
		}
		var a float64
		if it%5 == 0 || math.IsInf(fhi, 1) {
			a = 0.5 * (lo + hi)
		} else {
			a = cubicMin(lo, flo, dlo, hi, fhi, dhi)
		}
		step(x1, x0, p, a)
		f, ok := o.eval(x1, g1)
		if !ok {
			hi, fhi, dhi = a, math.Inf(1), 0
			continue
		}
		d := floats.Dot(g1, p)
		if f > f0+c1*a*d0 || f >= flo {
			hi, fhi, dhi = a, f, d
			continue
		}
		if math.Abs(d) <= -c2*d0 {
			return a, f, true
		}
		if d*(hi-lo) >= 0 {
			hi, fhi, dhi = lo, flo, dlo
		}
		lo, flo, dlo = a, f, d
	}
	return 0, 0, false
}

// quasi is the quasi-Newton approximation of the inverse Hessian.
type quasi interface {
	reset()
	// update takes the step s and the gradient change y.
	update(s, y []float64)
	// direction sets p = -H g.
	direction(p, g []float64)
}

// lbfgs keeps the last m pairs (Nocedal and Wright Algorithm 7.4).
type lbfgs struct {
	m     int
	s, y  [][]float64
	rho   []float64
	alpha []float64
}

func (q *lbfgs) reset() { q.s, q.y, q.rho = q.s[:0], q.y[:0], q.rho[:0] }

func (q *lbfgs) update(s, y []float64) {
	sy := floats.Dot(s, y)
	if !(sy > 0) {
		return
	}
	if len(q.s) == q.m {
		q.s, q.y, q.rho = q.s[1:], q.y[1:], q.rho[1:]
	}
	q.s = append(q.s, slices.Clone(s))
	q.y = append(q.y, slices.Clone(y))
	q.rho = append(q.rho, 1/sy)
}

func (q *lbfgs) direction(p, g []float64) {
	for i := range p {
		p[i] = -g[i]
	}
	k := len(q.s)
	if k == 0 {
		return
	}
	if cap(q.alpha) < k {
		q.alpha = make([]float64, k)
	}
	al := q.alpha[:k]
	for i := k - 1; i >= 0; i-- {
		al[i] = q.rho[i] * floats.Dot(q.s[i], p)
		floats.AddScaled(p, -al[i], q.y[i])
	}
	gamma := floats.Dot(q.s[k-1], q.y[k-1]) / floats.Dot(q.y[k-1], q.y[k-1])
	for i := range p {
		p[i] *= gamma
	}
	for i := range k {
		b := q.rho[i] * floats.Dot(q.y[i], p)
		floats.AddScaled(p, al[i]-b, q.s[i])
	}
}

// bfgs keeps the dense inverse Hessian (Nocedal and Wright eq. 6.17).
type bfgs struct {
	n     int
	h     []float64 // n×n, row-major; nil after a reset
	hy, t []float64
}

func (q *bfgs) reset() { q.h = nil }

func (q *bfgs) update(s, y []float64) {
	n := q.n
	sy := floats.Dot(s, y)
	if !(sy > 0) {
		return
	}
	if q.h == nil {
		// Scale the identity by sᵀy / yᵀy (eq. 6.20).
		q.h = make([]float64, n*n)
		q.hy, q.t = make([]float64, n), make([]float64, n)
		gamma := sy / floats.Dot(y, y)
		for i := range n {
			q.h[i*n+i] = gamma
		}
	}
	rho := 1 / sy
	// H' = H - rho (Hy sᵀ + s yᵀH) + (rho² yᵀHy + rho) s sᵀ
	for i := range n {
		q.hy[i] = floats.Dot(q.h[i*n:(i+1)*n], y)
	}
	yhy := floats.Dot(y, q.hy)
	c := rho*rho*yhy + rho
	for i := range n {
		row := q.h[i*n : (i+1)*n]
		for j := range n {
			row[j] += -rho*(q.hy[i]*s[j]+s[i]*q.hy[j]) + c*s[i]*s[j]
		}
	}
}

func (q *bfgs) direction(p, g []float64) {
	if q.h == nil {
		for i := range p {
			p[i] = -g[i]
		}
		return
	}
	n := q.n
	for i := range n {
		p[i] = -floats.Dot(q.h[i*n:(i+1)*n], g)
	}
}

func (o *optimizer) quasiNewton(ctx context.Context, x []float64, report func(Iteration)) (*Result, error) {
	n := o.n
	var qn quasi
	if o.cfg.Algorithm == LBFGS {
		m := o.cfg.HistorySize
		if m < 1 {
			return nil, errors.New("the history size must be positive")
		}
		qn = &lbfgs{m: m}
	} else {
		qn = &bfgs{n: n}
	}
	g := make([]float64, n)
	f, _ := o.eval(x, g)
	res := &Result{InitLogP: -f}
	ascent := make([]float64, n) // the log density's gradient, for report
	negate := func(g []float64) []float64 {
		for i, v := range g {
			ascent[i] = -v
		}
		return ascent
	}
	if report != nil {
		report(Iteration{LogP: -f, GradNorm: math.Sqrt(floats.Dot(g, g)), Evals: o.evals, X: x, Grad: negate(g)})
	}
	x1, g1 := make([]float64, n), make([]float64, n)
	p := make([]float64, n)
	s, y := make([]float64, n), make([]float64, n)
	for i := range p {
		p[i] = -g[i]
	}
	var fPrev, dPrev float64 // the last step's f and the new direction's slope
	fresh := true            // the approximation was just reset
	for it := 1; ; it++ {
		if ctx.Err() != nil {
			res.X, res.LogP, res.Iter, res.Evals, res.Interrupted = x, -f, it-1, o.evals, true
			return res, nil
		}
		note := ""
		var alpha0, alpha, f1 float64
		for {
			if !fresh {
				// Nocedal and Wright eq. 3.60, capped at the full step.
				alpha0 = math.Min(1, 1.01*2*(f-fPrev)/dPrev)
				if !(alpha0 > 0) {
					alpha0 = 1
				}
			} else {
				alpha0 = o.cfg.InitAlpha
			}
			var ok bool
			alpha, f1, ok = o.lineSearch(alpha0, x, f, g, p, x1, g1)
			if ok {
				break
			}
			if fresh {
				res.X, res.LogP, res.Iter, res.Evals, res.Code = x, -f, it, o.evals, LineSearch
				return res, nil
			}
			// Start again from steepest descent.
			qn.reset()
			for i := range p {
				p[i] = -g[i]
			}
			fresh = true
			note = "LS failed, Hessian reset"
		}
		for i := range s {
			s[i] = x1[i] - x[i]
			y[i] = g1[i] - g[i]
		}
		fPrev = f
		x, x1 = x1, x
		g, g1 = g1, g
		f = f1
		qn.update(s, y)
		qn.direction(p, g)
		dPrev = floats.Dot(g, p)
		fresh = false
		gn, sn := math.Sqrt(floats.Dot(g, g)), math.Sqrt(floats.Dot(s, s))
		if report != nil {
			report(Iteration{Iter: it, LogP: -f, StepNorm: sn, GradNorm: gn, Alpha: alpha, Alpha0: alpha0, Evals: o.evals, Note: note, X: x, Grad: negate(g)})
		}
		eps := 0x1p-52
		code := Running
		switch {
		case math.Abs(fPrev-f) < o.cfg.TolObj:
			code = ConvAbsF
		case gn < o.cfg.TolGrad:
			code = ConvAbsGrad
		case sn < o.cfg.TolParam:
			code = ConvAbsX
		case it >= o.cfg.Iter:
			code = MaxIter
		case math.Abs(fPrev-f)/math.Max(math.Abs(fPrev), math.Max(math.Abs(f), 1)) < o.cfg.TolRelObj*eps:
			code = ConvRelF
		case -dPrev/math.Max(math.Abs(f), 1) < o.cfg.TolRelGrad*eps:
			code = ConvRelGrad
		}
		if code != Running {
			res.X, res.LogP, res.Iter, res.Evals, res.Code = x, -f, it, o.evals, code
			return res, nil
		}
	}
}
