package transform

import "github.com/gostan/gostan/ad"

// A column_stochastic_matrix[n, m] has simplexes for columns and a
// row_stochastic_matrix[n, m] simplexes for rows, each through Simplex:
// the unconstrained values are the (n-1)×m or n×(m-1) matrix, column-major,
// of the simplexes' coordinates, and the log Jacobian is the sum of theirs.
// The declared types use Simplex (Stan 2.21's stick-breaking); the
// language's stochastic_column_* and stochastic_row_* functions use
// SimplexILR, as Stan 2.37's do (the *ILR functions below).

// StochasticColumnSize is the unconstrained size of a
// column_stochastic_matrix[n, m].
func StochasticColumnSize(n, m int) int { return SimplexSize(n) * m }

// StochasticRowSize is the unconstrained size of a
// row_stochastic_matrix[n, m].
func StochasticRowSize(n, m int) int { return n * SimplexSize(m) }

// StochasticColumn maps y ((n-1)×m) to the column_stochastic_matrix[n, m]
// out.
func StochasticColumn(t *ad.Tape, y, out []ad.Var, n, m int, lj *ad.Var) error {
	return stochasticColumn(t, y, out, n, m, lj, simplexStrided)
}

// StochasticColumnILR is StochasticColumn with SimplexILR's columns.
func StochasticColumnILR(t *ad.Tape, y, out []ad.Var, n, m int, lj *ad.Var) error {
	return stochasticColumn(t, y, out, n, m, lj, simplexILRStrided)
}

// strided is a simplex transform of K-1 values y[0], y[ys], ... into K
// values out[0], out[xs], ...
type strided func(t *ad.Tape, y []ad.Var, ys int, out []ad.Var, xs, k int, lj *ad.Var)

func stochasticColumn(t *ad.Tape, y, out []ad.Var, n, m int, lj *ad.Var, simplex strided) error {
	if n < 1 || len(out) != n*m || len(y) != StochasticColumnSize(n, m) {
		return sizeError("stochastic_column_constrain", "unconstrained column_stochastic_matrix", len(y), StochasticColumnSize(n, m))
	}
	for j := range m {
		simplex(t, y[j*(n-1):(j+1)*(n-1)], 1, out[j*n:(j+1)*n], 1, n, lj)
	}
	return nil
}

// UnconstrainStochasticColumn writes to y ((n-1)×m) the coordinates of the
// column_stochastic_matrix x (n×m, column-major).
func UnconstrainStochasticColumn(x []float64, n, m int, y []float64) error {
	return unconstrainStochasticColumn(x, n, m, y, UnconstrainSimplex)
}

// UnconstrainStochasticColumnILR is StochasticColumnILR's inverse.
func UnconstrainStochasticColumnILR(x []float64, n, m int, y []float64) error {
	return unconstrainStochasticColumn(x, n, m, y, UnconstrainSimplexILR)
}

func unconstrainStochasticColumn(x []float64, n, m int, y []float64, free func(x, y []float64) error) error {
	if n < 1 || len(x) != n*m || len(y) != StochasticColumnSize(n, m) {
		return sizeError("stochastic_column_free", "unconstrained column_stochastic_matrix", len(y), StochasticColumnSize(n, m))
	}
	for j := range m {
		if err := free(x[j*n:(j+1)*n], y[j*(n-1):(j+1)*(n-1)]); err != nil {
			return inPart("stochastic_column_free", "column", j, err)
		}
	}
	return nil
}

// StochasticRow maps y (n×(m-1)) to the row_stochastic_matrix[n, m] out.
func StochasticRow(t *ad.Tape, y, out []ad.Var, n, m int, lj *ad.Var) error {
	return stochasticRow(t, y, out, n, m, lj, simplexStrided)
}

// StochasticRowILR is StochasticRow with SimplexILR's rows.
func StochasticRowILR(t *ad.Tape, y, out []ad.Var, n, m int, lj *ad.Var) error {
	return stochasticRow(t, y, out, n, m, lj, simplexILRStrided)
}

func stochasticRow(t *ad.Tape, y, out []ad.Var, n, m int, lj *ad.Var, simplex strided) error {
	if m < 1 || len(out) != n*m || len(y) != StochasticRowSize(n, m) {
		return sizeError("stochastic_row_constrain", "unconstrained row_stochastic_matrix", len(y), StochasticRowSize(n, m))
	}
	// Each row is strided in column-major storage.
	for i := range n {
		simplex(t, y[min(i, len(y)):], n, out[i:], n, m, lj)
	}
	return nil
}

// UnconstrainStochasticRow writes to y (n×(m-1)) the coordinates of the
// row_stochastic_matrix x (n×m, column-major).
func UnconstrainStochasticRow(x []float64, n, m int, y []float64) error {
	return unconstrainStochasticRow(x, n, m, y, UnconstrainSimplex)
}

// UnconstrainStochasticRowILR is StochasticRowILR's inverse.
func UnconstrainStochasticRowILR(x []float64, n, m int, y []float64) error {
	return unconstrainStochasticRow(x, n, m, y, UnconstrainSimplexILR)
}

func unconstrainStochasticRow(x []float64, n, m int, y []float64, free func(x, y []float64) error) error {
	if m < 1 || len(x) != n*m || len(y) != StochasticRowSize(n, m) {
		return sizeError("stochastic_row_free", "unconstrained row_stochastic_matrix", len(y), StochasticRowSize(n, m))
	}
	row := make([]float64, m)
	coords := make([]float64, m-1)
	for i := range n {
		for c := range m {
			row[c] = x[i+c*n]
		}
		if err := free(row, coords); err != nil {
			return inPart("stochastic_row_free", "row", i, err)
		}
		for c := range m - 1 {
			y[i+c*n] = coords[c]
		}
	}
	return nil
}

// inPart is the error err of column or row i (from 0) of a stochastic
// matrix, naming it.
func inPart(fn, part string, i int, err error) error {
	msg := err.Error()
	if e, ok := err.(*Error); ok {
		msg = e.Msg
	}
	return errorf(fn, "%s %d: %s", part, i+1, msg)
}
