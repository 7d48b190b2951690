package transform

import "github.com/gostan/gostan/ad"

// Structured is a constraint on a whole vector or matrix (simplex,
// cov_matrix, ...), as one entry of the table Lookup reads, so that a
// declared variable and the language's *_constrain, *_jacobian and
// *_unconstrain functions go through the same functions (but for the
// simplexes: LookupFunction). dims are the
// constrained value's: {K} for a vector, {rows, cols} for a matrix.
type Structured struct {
	Name   string
	Matrix bool // the constrained value is a matrix, else a vector
	// Size is the number of unconstrained values.
	Size func(dims []int) int
	// Constrain maps y (Size(dims) values) to out (the constrained value,
	// column-major), adding the log Jacobian to lj unless it is nil.
	Constrain func(t *ad.Tape, y, out []ad.Var, dims []int, lj *ad.Var) error
	// Unconstrain is Constrain's inverse; it fails on a value outside the
	// constraint.
	Unconstrain func(x []float64, dims []int, y []float64) error
}

var structured = map[string]*Structured{
	"simplex": {Name: "simplex",
		Size: func(d []int) int { return SimplexSize(d[0]) },
		Constrain: func(t *ad.Tape, y, out []ad.Var, _ []int, lj *ad.Var) error {
			return Simplex(t, y, out, lj)
		},
		Unconstrain: func(x []float64, _ []int, y []float64) error { return UnconstrainSimplex(x, y) }},
	"ordered": {Name: "ordered",
		Size: func(d []int) int { return d[0] },
		Constrain: func(t *ad.Tape, y, out []ad.Var, _ []int, lj *ad.Var) error {
			return Ordered(t, y, out, lj)
		},
		Unconstrain: func(x []float64, _ []int, y []float64) error { return UnconstrainOrdered(x, y) }},
	"positive_ordered": {Name: "positive_ordered",
		Size: func(d []int) int { return d[0] },
		Constrain: func(t *ad.Tape, y, out []ad.Var, _ []int, lj *ad.Var) error {
			return PositiveOrdered(t, y, out, lj)
		},
		Unconstrain: func(x []float64, _ []int, y []float64) error { return UnconstrainPositiveOrdered(x, y) }},
	"unit_vector": {Name: "unit_vector",
		Size: func(d []int) int { return d[0] },
		Constrain: func(t *ad.Tape, y, out []ad.Var, _ []int, lj *ad.Var) error {
			return UnitVector(t, y, out, lj)
		},
		Unconstrain: func(x []float64, _ []int, y []float64) error { return UnconstrainUnitVector(x, y) }},
	"cholesky_factor_corr": {Name: "cholesky_factor_corr", Matrix: true,
		Size: func(d []int) int { return CholeskyFactorCorrSize(d[0]) },
		Constrain: func(t *ad.Tape, y, out []ad.Var, d []int, lj *ad.Var) error {
			return CholeskyFactorCorr(t, y, out, d[0], lj)
		},
		Unconstrain: func(x []float64, d []int, y []float64) error { return UnconstrainCholeskyFactorCorr(x, d[0], y) }},
	"cholesky_factor_cov": {Name: "cholesky_factor_cov", Matrix: true,
		Size: func(d []int) int { return CholeskyFactorCovSize(d[0], d[1]) },
		Constrain: func(t *ad.Tape, y, out []ad.Var, d []int, lj *ad.Var) error {
			return CholeskyFactorCov(t, y, out, d[0], d[1], lj)
		},
		Unconstrain: func(x []float64, d []int, y []float64) error {
			return UnconstrainCholeskyFactorCov(x, d[0], d[1], y)
		}},
	"corr_matrix": {Name: "corr_matrix", Matrix: true,
		Size: func(d []int) int { return CorrMatrixSize(d[0]) },
		Constrain: func(t *ad.Tape, y, out []ad.Var, d []int, lj *ad.Var) error {
			return CorrMatrix(t, y, out, d[0], lj)
		},
		Unconstrain: func(x []float64, d []int, y []float64) error { return UnconstrainCorrMatrix(x, d[0], y) }},
	"cov_matrix": {Name: "cov_matrix", Matrix: true,
		Size: func(d []int) int { return CovMatrixSize(d[0]) },
		Constrain: func(t *ad.Tape, y, out []ad.Var, d []int, lj *ad.Var) error {
			return CovMatrix(t, y, out, d[0], lj)
		},
		Unconstrain: func(x []float64, d []int, y []float64) error { return UnconstrainCovMatrix(x, d[0], y) }},
	"sum_to_zero_vector": {Name: "sum_to_zero_vector",
		Size: func(d []int) int { return SumToZeroSize(d[0]) },
		Constrain: func(t *ad.Tape, y, out []ad.Var, _ []int, lj *ad.Var) error {
			return SumToZero(t, y, out, lj)
		},
		Unconstrain: func(x []float64, _ []int, y []float64) error { return UnconstrainSumToZero(x, y) }},
	"sum_to_zero_matrix": {Name: "sum_to_zero_matrix", Matrix: true,
		Size: func(d []int) int { return SumToZeroMatrixSize(d[0], d[1]) },
		Constrain: func(t *ad.Tape, y, out []ad.Var, d []int, lj *ad.Var) error {
			return SumToZeroMatrix(t, y, out, d[0], d[1], lj)
		},
		Unconstrain: func(x []float64, d []int, y []float64) error {
			return UnconstrainSumToZeroMatrix(x, d[0], d[1], y)
		}},
	"column_stochastic_matrix": {Name: "column_stochastic_matrix", Matrix: true,
		Size: func(d []int) int { return StochasticColumnSize(d[0], d[1]) },
		Constrain: func(t *ad.Tape, y, out []ad.Var, d []int, lj *ad.Var) error {
			return StochasticColumn(t, y, out, d[0], d[1], lj)
		},
		Unconstrain: func(x []float64, d []int, y []float64) error {
			return UnconstrainStochasticColumn(x, d[0], d[1], y)
		}},
	"row_stochastic_matrix": {Name: "row_stochastic_matrix", Matrix: true,
		Size: func(d []int) int { return StochasticRowSize(d[0], d[1]) },
		Constrain: func(t *ad.Tape, y, out []ad.Var, d []int, lj *ad.Var) error {
			return StochasticRow(t, y, out, d[0], d[1], lj)
		},
		Unconstrain: func(x []float64, d []int, y []float64) error {
			return UnconstrainStochasticRow(x, d[0], d[1], y)
		}},
}

// Lookup returns the structured constraint a type is named after, or nil
// for any other name.
func Lookup(name string) *Structured { return structured[name] }

// functionTransforms are the constraints the language's *_constrain,
// *_jacobian and *_unconstrain functions apply where they differ from the
// declared types': simplexes by SimplexILR, as Stan's functions (2.37)
// build them.
var functionTransforms = map[string]*Structured{
	"simplex": {Name: "simplex",
		Size: func(d []int) int { return SimplexSize(d[0]) },
		Constrain: func(t *ad.Tape, y, out []ad.Var, _ []int, lj *ad.Var) error {
			return SimplexILR(t, y, out, lj)
		},
		Unconstrain: func(x []float64, _ []int, y []float64) error { return UnconstrainSimplexILR(x, y) }},
	"column_stochastic_matrix": {Name: "column_stochastic_matrix", Matrix: true,
		Size: func(d []int) int { return StochasticColumnSize(d[0], d[1]) },
		Constrain: func(t *ad.Tape, y, out []ad.Var, d []int, lj *ad.Var) error {
			return StochasticColumnILR(t, y, out, d[0], d[1], lj)
		},
		Unconstrain: func(x []float64, d []int, y []float64) error {
			return UnconstrainStochasticColumnILR(x, d[0], d[1], y)
		}},
	"row_stochastic_matrix": {Name: "row_stochastic_matrix", Matrix: true,
		Size: func(d []int) int { return StochasticRowSize(d[0], d[1]) },
		Constrain: func(t *ad.Tape, y, out []ad.Var, d []int, lj *ad.Var) error {
			return StochasticRowILR(t, y, out, d[0], d[1], lj)
		},
		Unconstrain: func(x []float64, d []int, y []float64) error {
			return UnconstrainStochasticRowILR(x, d[0], d[1], y)
		}},
}

// LookupFunction returns the structured constraint the language's
// transform functions of a type apply, or nil for a name no type has.
func LookupFunction(name string) *Structured {
	if st, ok := functionTransforms[name]; ok {
		return st
	}
	return structured[name]
}
