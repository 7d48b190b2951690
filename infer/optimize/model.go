package optimize

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/model"
)

// Model is what Run needs of a compiled Stan program (compile.Model has
// it): the log density with or without the log Jacobian, and the output
// columns.
type Model interface {
	Dim() int
	// LogDensityJacobian is the log density on the unconstrained scale
	// with Stan's constants dropped, the log Jacobian included when
	// jacobian is set.
	LogDensityJacobian(theta, grad []float64, jacobian bool) (float64, error)
	Names() []string
	Write(theta []float64, rng *rand.Rand, out []float64) error
}

// Run finds a mode of m as gostan optimize does: MaximizeContext on m's
// log density (its log Jacobian included when cfg.Jacobian), then the
// model's output columns there (Names, Values), generated quantities
// drawn with cfg.Seed; with cfg.SaveIterations, the same at every iterate
// (Iterations). When ctx is cancelled the result is the best point so
// far, flagged Interrupted.
func Run(ctx context.Context, m Model, cfg Config, report func(Iteration)) (*Result, error) {
	f := func(x, g []float64) (float64, error) { return m.LogDensityJacobian(x, g, cfg.Jacobian) }
	if ex, ok := m.(model.Explainer); ok && cfg.Explain == nil {
		cfg.Explain = ex.Explain
	}
	var rows [][]float64
	if cfg.SaveIterations {
		rng, inner, n := rand.New(rand.NewPCG(cfg.Seed, 0x0972)), report, len(m.Names())
		report = func(it Iteration) {
			row := make([]float64, 1+n)
			row[0] = it.LogP
			m.Write(it.X, rng, row[1:]) // a column it cannot compute is NaN, as in the final row
			rows = append(rows, row)
			if inner != nil {
				inner(it)
			}
		}
	}
	res, err := MaximizeContext(ctx, f, m.Dim(), cfg, report)
	if err != nil {
		return nil, err
	}
	res.Iterations = rows
	res.Names = m.Names()
	res.Values = make([]float64, len(res.Names))
	res.WriteErr = m.Write(res.X, rand.New(rand.NewPCG(cfg.Seed, 0x0971)), res.Values)
	return res, nil
}

// Set is the mode as CmdStan's optimize output holds it: one row of lp__
// (the log density with Stan's constants dropped) and the model's
// columns, with the settings, and a comment when the run was interrupted.
func (r *Result) Set() *draws.Set {
	set := &draws.Set{
		Columns: append([]string{"lp__"}, r.Names...),
		Chains:  [][][]float64{{append([]float64{r.LogP}, r.Values...)}},
		Config:  r.Config.lines(),
		Seed:    r.Config.Seed,
	}
	if r.Config.SaveIterations && len(r.Iterations) > 0 {
		set.Chains[0] = r.Iterations
	}
	if r.Interrupted {
		set.Comments = []string{fmt.Sprintf("Interrupted after %d of %d iterations: the best point so far, not a converged mode.", r.Iter, r.Config.Iter)}
	}
	return set
}

// lines are CmdStan's configuration lines of the optimize method.
func (c Config) lines() []string {
	lines := []string{
		"method = optimize",
		"  optimize",
		"    algorithm = " + c.Algorithm.String(),
	}
	if c.Algorithm != Newton {
		lines = append(lines,
			"      "+c.Algorithm.String(),
			fmt.Sprintf("        init_alpha = %g", c.InitAlpha),
			fmt.Sprintf("        tol_obj = %g", c.TolObj),
			fmt.Sprintf("        tol_rel_obj = %g", c.TolRelObj),
			fmt.Sprintf("        tol_grad = %g", c.TolGrad),
			fmt.Sprintf("        tol_rel_grad = %g", c.TolRelGrad),
			fmt.Sprintf("        tol_param = %g", c.TolParam))
		if c.Algorithm == LBFGS {
			lines = append(lines, fmt.Sprintf("        history_size = %d", c.HistorySize))
		}
	}
	jac := 0
	if c.Jacobian {
		jac = 1
	}
	return append(lines,
		fmt.Sprintf("    jacobian = %d", jac),
		fmt.Sprintf("    iter = %d", c.Iter),
		"    save_iterations = "+map[bool]string{false: "0 (Default)", true: "1"}[c.SaveIterations])
}
