package transform

import "github.com/gostan/gostan/ad"

// A column_stochastic_matrix[n, m] has simplexes for columns and a
// row_stochastic_matrix[n, m] simplexes for rows, each through Simplex:
// the unconstrained values are the (n-1)×m or n×(m-1) matrix, column-major,
// of the simplexes' coordinates, and the log Jacobian is the sum of theirs.
// (Stan 2.37's simplexes, and so its stochastic matrices, use another
// transform than Simplex, Stan 2.21's: the constrained values are alike,
// the unconstrained coordinates not.)

// StochasticColumnSize is the unconstrained size of a
// column_stochastic_matrix[n, m].
func StochasticColumnSize(n, m int) int { return SimplexSize(n) * m }

// StochasticRowSize is the unconstrained size of a
// row_stochastic_matrix[n, m].
func StochasticRowSize(n, m int) int { return n * SimplexSize(m) }

// StochasticColumn maps y ((n-1)×m) to the column_stochastic_matrix[n, m]
// out.
func StochasticColumn(t *ad.Tape, y, out []ad.Var, n, m int, lj *ad.Var) error {
	if n < 1 || len(out) != n*m || len(y) != StochasticColumnSize(n, m) {
		return sizeError("stochastic_column_constrain", "unconstrained column_stochastic_matrix", len(y), StochasticColumnSize(n, m))
	}
	for j := range m {
		if err := Simplex(t, y[j*(n-1):(j+1)*(n-1)], out[j*n:(j+1)*n], lj); err != nil {
			return err
		}
	}
	return nil
}

// UnconstrainStochasticColumn writes to y ((n-1)×m) the coordinates of the
// column_stochastic_matrix x (n×m, column-major).
func UnconstrainStochasticColumn(x []float64, n, m int, y []float64) error {
	if n < 1 || len(x) != n*m || len(y) != StochasticColumnSize(n, m) {
		return sizeError("stochastic_column_free", "unconstrained column_stochastic_matrix", len(y), StochasticColumnSize(n, m))
	}
	for j := range m {
		if err := UnconstrainSimplex(x[j*n:(j+1)*n], y[j*(n-1):(j+1)*(n-1)]); err != nil {
			return err
		}
	}
	return nil
}

// StochasticRow maps y (n×(m-1)) to the row_stochastic_matrix[n, m] out.
func StochasticRow(t *ad.Tape, y, out []ad.Var, n, m int, lj *ad.Var) error {
	if m < 1 || len(out) != n*m || len(y) != StochasticRowSize(n, m) {
		return sizeError("stochastic_row_constrain", "unconstrained row_stochastic_matrix", len(y), StochasticRowSize(n, m))
	}
	// Each row is strided in column-major storage.
	for i := range n {
		simplexStrided(t, y[min(i, len(y)):], n, out[i:], n, m, lj)
	}
	return nil
}

// UnconstrainStochasticRow writes to y (n×(m-1)) the coordinates of the
// row_stochastic_matrix x (n×m, column-major).
func UnconstrainStochasticRow(x []float64, n, m int, y []float64) error {
	if m < 1 || len(x) != n*m || len(y) != StochasticRowSize(n, m) {
		return sizeError("stochastic_row_free", "unconstrained row_stochastic_matrix", len(y), StochasticRowSize(n, m))
	}
	row := make([]float64, m)
	free := make([]float64, m-1)
	for i := range n {
		for c := range m {
			row[c] = x[i+c*n]
		}
		if err := UnconstrainSimplex(row, free); err != nil {
			return err
		}
		for c := range m - 1 {
			y[i+c*n] = free[c]
		}
	}
	return nil
}
