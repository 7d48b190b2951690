package transform

import (
	"math"

	"github.com/gostan/gostan/ad"
)

// Stan 2.37's simplex transform, the inverse isometric log-ratio (Stan
// Math's simplex_constrain; Egozcue et al. 2003): x = softmax(V y), with
// V the orthonormal Helmert basis of sum_to_zero_constrain, so that the
// coordinates of x are y = Vᵀ log x. Its log Jacobian (of the first K-1
// coordinates of x in y) is Σ_k log x_k + ½ log K. The language's
// simplex_* and stochastic_*_ functions use it, as Stan's do since they
// exist (2.37); declared simplexes keep Stan 2.21's stick-breaking
// coordinates (Simplex), whose log densities the golden files hold. Both
// give the same distribution to a simplex; only the coordinates differ.

// SimplexILR maps y (K-1 values) to the K-simplex out by Stan 2.37's
// transform, adding its log Jacobian to lj unless lj is nil.
func SimplexILR(t *ad.Tape, y, out []ad.Var, lj *ad.Var) error {
	k := len(out)
	if err := simplexSizes("simplex_constrain", len(y), k); err != nil {
		return err
	}
	simplexILRStrided(t, y, 1, out, 1, k, lj)
	return nil
}

// simplexILRStrided is SimplexILR of the K-1 values y[0], y[ys], ... into
// the K values out[0], out[xs], ..., as a matrix's row is stored.
func simplexILRStrided(t *ad.Tape, y []ad.Var, ys int, out []ad.Var, xs, k int, lj *ad.Var) {
	constant := true
	for i := range k - 1 {
		constant = constant && y[i*ys].IsConst()
	}
	// x is written to the node's floats, or for constant y to out's
	// values, which are rewritten below.
	var ints []int32
	var x []float64
	if !constant {
		ints, x = t.CustomSpace(2*k+1, k)
	}
	get := func(p int) float64 {
		if constant {
			return out[p*xs].Val
		}
		return x[p]
	}
	set := func(p int, v float64) {
		if constant {
			out[p*xs] = ad.Const(v)
		} else {
			x[p] = v
		}
	}
	helmertV(k-1, func(i int) float64 { return y[i*ys].Val }, set)
	m := math.Inf(-1)
	for p := range k {
		m = max(m, get(p))
	}
	s := 0.0
	for p := range k {
		e := math.Exp(get(p) - m)
		set(p, e)
		s += e
	}
	for p := range k {
		set(p, get(p)/s)
	}
	// log x_p = z_p - r with r = m + log s, and Σ z_p = 0.
	j := -float64(k)*(m+math.Log(s)) + 0.5*math.Log(float64(k))
	if constant {
		if lj != nil {
			*lj = t.Unary(lj.Val+j, *lj, 1)
		}
		return
	}
	// One node for the values and the Jacobian. Node data: ints = lj in,
	// lj out (0 without a Jacobian), y ids, x ids; flts = x.
	for i := range k - 1 {
		ints[2+i] = y[i*ys].ID()
	}
	for p, v := range x {
		out[p*xs] = t.Var(v)
		ints[k+1+p] = out[p*xs].ID()
	}
	ints[0], ints[1] = 0, 0
	if lj != nil {
		ints[0] = lj.ID()
		*lj = t.Var(lj.Val + j)
		ints[1] = lj.ID()
	}
	t.CustomCommit(simplexILRBackward, 2*k+1, k)
}

// simplexILRBackward: with g the adjoints of x and a that of the log
// Jacobian -K r + ½ log K, the adjoint of z is x ⊙ (g - ⟨g, x⟩) - a K x
// (softmax's Jacobian, and ∂r/∂z = x), and that of y is Vᵀ of it.
func simplexILRBackward(adj []float64, ints []int32, flts []float64) {
	k := (len(ints) - 1) / 2
	aj := 0.0
	if ints[1] != 0 {
		aj = adj[ints[1]]
		adj[ints[0]] += aj
	}
	y, xs := ints[2:k+1], ints[k+1:]
	dot := 0.0
	for p, id := range xs {
		dot += adj[id] * flts[p]
	}
	gz := func(p int) float64 { return flts[p] * (adj[xs[p]] - dot - aj*float64(k)) }
	helmertVT(k-1, gz, func(i int, v float64) { adj[y[i]] += v })
}

// UnconstrainSimplexILR writes to y (K-1 values) the coordinates Vᵀ log x
// of the simplex x (K values) under SimplexILR, Stan 2.37's simplex_free.
func UnconstrainSimplexILR(x, y []float64) error {
	const fn = "simplex_free"
	k := len(x)
	if err := simplexSizes(fn, len(y), k); err != nil {
		return err
	}
	if err := checkSimplex(fn, x); err != nil {
		return err
	}
	helmertVT(k-1, func(p int) float64 { return math.Log(x[p]) }, func(i int, v float64) { y[i] = v })
	return nil
}
