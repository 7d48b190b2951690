package compile

import (
	"fmt"
	"strings"

	"github.com/gostan/gostan/stan/types"
)

// validArg is the expression a walk program passes as argument i of a call
// of sig of name (or, for a ~ statement, of the family name) whose
// variable is v: v itself, or, for the functions whose arguments are
// constrained in ways no point of the sweep meets (simplexes, correlation
// and covariance matrices, Cholesky factors, consistent sizes, sparse
// structure), a smooth map of v onto the constraint. The gradient checked
// is then that of the composition, which finite differences in v's
// coordinates check as well.
func validArg(name string, sig types.Signature, i int, v string) string {
	t := sig.Args[i]
	base := name
	for _, s := range []string{"_lpdf", "_lupdf", "_lpmf", "_lupmf", "_log"} {
		if b, ok := strings.CutSuffix(name, s); ok {
			base = b
			break
		}
	}
	simplex := func(x string) string {
		if t.Kind == types.RowVector {
			return "softmax(" + x + "')'"
		}
		return "softmax(" + x + ")"
	}
	// A 2×2 correlation matrix, its Cholesky factor, and matrices with
	// stochastic columns or rows, from the free element x[2, 1] or from
	// x's columns and rows.
	corr := func(x string) string { return fmt.Sprintf("[[1, tanh(%[1]s[2, 1])], [tanh(%[1]s[2, 1]), 1]]", x) }
	cholCorr := func(x string) string {
		return fmt.Sprintf("[[1, 0], [tanh(%[1]s[2, 1]), sqrt(1 - square(tanh(%[1]s[2, 1])))]]", x)
	}
	cols := func(x string) string {
		return fmt.Sprintf("append_col(softmax(col(%[1]s, 1)), softmax(col(%[1]s, 2)))", x)
	}
	rows := func(x string) string {
		return fmt.Sprintf("append_row(softmax(row(%[1]s, 1)')', softmax(row(%[1]s, 2)')')", x)
	}
	ints := func(vals ...string) string {
		return strings.Join(vals, ", ")
	}
	switch {
	case base == "categorical" && i == 1, base == "dirichlet" && i == 0, base == "hmm_marginal" && i == 2,
		name == "simplex_unconstrain":
		return each(t, v, simplex)
	case base == "lkj_corr" && i == 0, name == "corr_matrix_unconstrain":
		return each(t, v, corr)
	case name == "cholesky_factor_corr_unconstrain":
		return each(t, v, cholCorr)
	case base == "hmm_marginal" && i == 1, name == "stochastic_row_unconstrain":
		return each(t, v, rows)
	case name == "stochastic_column_unconstrain":
		return each(t, v, cols)
	case name == "positive_ordered_unconstrain":
		return each(t, v, func(x string) string { return "cumulative_sum(exp(" + x + "))" })
	case name == "unit_vector_unconstrain":
		return each(t, v, func(x string) string { return x + " / norm2(" + x + ")" })
	case name == "sum_to_zero_unconstrain" && t.Kind == types.Vector:
		return each(t, v, func(x string) string { return x + " - mean(" + x + ")" })
	case name == "sum_to_zero_unconstrain":
		// Rows and columns summing to zero: x less its row and column
		// means, plus its mean.
		return each(t, v, func(x string) string {
			return fmt.Sprintf("%[1]s - rep_matrix(%[1]s * rep_vector(0.5, 2), 2) - rep_matrix(rep_row_vector(0.5, 2) * %[1]s, 2) + mean(%[1]s)", x)
		})
	// Sizes: K (K - 1) / 2 free elements for a K×K correlation matrix or
	// its factor, K (K + 1) / 2 for a covariance matrix, N (N + 1) / 2 +
	// (M - N) N for an M×N Cholesky factor of a covariance.
	case strings.HasSuffix(name, "_unconstrain"):
	case strings.HasPrefix(name, "cholesky_corr_") || strings.HasPrefix(name, "cholesky_factor_corr_") || strings.HasPrefix(name, "corr_matrix_"):
		if i == 1 {
			return "2"
		}
		return each(t, v, func(x string) string { return "head(" + x + ", 1)" })
	case strings.HasPrefix(name, "cov_matrix_"):
		if i == 1 {
			return "2"
		}
		return each(t, v, func(x string) string { return "append_row(" + x + ", 0.5)" })
	case strings.HasPrefix(name, "cholesky_factor_cov_") && i > 0:
		return []string{"", "2", "1"}[i]
	// A 2×2 sparse matrix of two nonzeros, one in each row.
	case (name == "csr_matrix_times_vector" || name == "csr_to_dense_matrix") && i <= 4:
		return []string{"2", "2", v, "{" + ints("1", "2") + "}", "{" + ints("1", "2", "3") + "}"}[i]
	// The complementary CDFs vanish at the largest outcome, which the
	// ints of the walk (1) are for one trial.
	case (strings.HasPrefix(name, "bernoulli_") || strings.HasPrefix(name, "binomial_") || strings.HasPrefix(name, "beta_binomial_")) &&
		(strings.HasSuffix(name, "_lccdf") || strings.HasSuffix(name, "_ccdf_log")) && i == 0:
		if t.Dims > 0 {
			return "{" + ints("0", "0") + "}"
		}
		return "0"
	case name == "hypergeometric_3F2" && i == 0:
		// Three upper parameters.
		switch {
		case t.Kind == types.Vector:
			return "append_row(" + v + ", 0.5)"
		case t.Kind == types.RowVector:
			return "append_col(" + v + ", 0.5)"
		}
		return "{" + v + "[1], " + v + "[2], 0.5}"
	case strings.HasPrefix(name, "wiener_l") && strings.HasSuffix(name, "_unnorm"):
		// y > τ + s_τ, β ± s_β / 2 in (0, 1).
		switch i {
		case 0:
			return "1 + " + v
		case 2, 7:
			return "0.2 * inv_logit(" + v + ")"
		case 3:
			return "inv_logit(" + v + ")"
		case 6:
			return "0.1 * inv_logit(" + v + ")"
		}
	}
	return v
}

// each applies f to every vector or matrix of x, of type t, writing an
// array as an array expression of f's values, up to five dimensions (32
// vectors: beyond, the program has more coordinates than the sweep
// checks).
func each(t types.Type, x string, f func(string) string) string {
	switch {
	case t.Dims == 0:
		return f(x)
	case t.Dims > 5:
		return x
	}
	return "{" + each(t.Elem(), x+"[1]", f) + ", " + each(t.Elem(), x+"[2]", f) + "}"
}
