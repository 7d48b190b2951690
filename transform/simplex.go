package transform

import (
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// constraintTolerance is Stan's CONSTRAINT_TOLERANCE for checks of sums,
// norms and unit diagonals.
const constraintTolerance = 1e-8

// SimplexSize returns the unconstrained length of a simplex[k]: k-1.
func SimplexSize(k int) int { return max(k-1, 0) }

// simplexSizes checks that n unconstrained values make a simplex of k
// elements, as both simplex transforms and their inverses (fn) need.
func simplexSizes(fn string, n, k int) error {
	if k == 0 {
		return errorf(fn, "a simplex needs at least one element")
	}
	if n != k-1 {
		return sizeError(fn, "unconstrained simplex", n, SimplexSize(k))
	}
	return nil
}

// Simplex maps y (length K-1) to the K-simplex out by Stan 2.21's
// stick-breaking transform: z_k = inv_logit(y_k - log(K-k)) (1-based k) takes
// the fraction z_k of the remaining stick, so that y = 0 gives the uniform
// simplex. It adds log|J| = sum_k log z_k + (K-k) log(1 - z_k) to lj (Stan
// adds log z_k + log(1 - z_k) + log of the remaining stick, the same sum).
func Simplex(t *ad.Tape, y, out []ad.Var, lj *ad.Var) error {
	k := len(out)
	if err := simplexSizes("simplex_constrain", len(y), k); err != nil {
		return err
	}
	simplexStrided(t, y, 1, out, 1, k, lj)
	return nil
}

// simplexStrided is Simplex of the K-1 values y[0], y[ys], ... into the K
// values out[0], out[xs], ..., as a matrix's row is stored.
func simplexStrided(t *ad.Tape, y []ad.Var, ys int, out []ad.Var, xs, k int, lj *ad.Var) {
	constant := true
	for i := range k - 1 {
		constant = constant && y[i*ys].IsConst()
	}
	if constant {
		s, j := 1.0, 0.0
		for i := range k - 1 {
			m := float64(k - 1 - i)
			z, lz, l1z := logistic(y[i*ys].Val - math.Log(m))
			out[i*xs] = ad.Const(s * z)
			s -= out[i*xs].Val
			j += lz + m*l1z
		}
		out[(k-1)*xs] = ad.Const(s)
		if lj != nil {
			*lj = t.Unary(lj.Val+j, *lj, 1)
		}
		return
	}
	// One node for the values and the Jacobian. Node data: ints = lj in,
	// lj out (0 without a Jacobian), y ids, x ids; flts = z, remaining
	// stick s.
	ints, flts := t.CustomSpace(2*k+1, 2*k-2)
	z, sk := flts[:k-1], flts[k-1:]
	s, j := 1.0, 0.0
	for i := range k - 1 {
		yi := y[i*ys]
		m := float64(k - 1 - i)
		var lz, l1z float64
		z[i], lz, l1z = logistic(yi.Val - math.Log(m))
		j += lz + m*l1z
		sk[i] = s
		x := t.Var(s * z[i])
		out[i*xs] = x
		s -= x.Val
		ints[2+i] = yi.ID()
		ints[k+1+i] = x.ID()
	}
	last := t.Var(s)
	out[(k-1)*xs] = last
	ints[2*k] = last.ID()
	ints[0], ints[1] = 0, 0
	if lj != nil {
		ints[0] = lj.ID()
		*lj = t.Var(lj.Val + j)
		ints[1] = lj.ID()
	}
	t.CustomCommit(simplexBackward, 2*k+1, 2*k-2)
}

// logistic returns inv_logit(a) and the logs of it and of its complement,
// with one exp and one log1p.
func logistic(a float64) (z, logz, log1mz float64) {
	if a >= 0 {
		e := math.Exp(-a)
		l := math.Log1p(e)
		return 1 / (1 + e), -l, -a - l
	}
	e := math.Exp(a)
	l := math.Log1p(e)
	return e / (1 + e), a - l, -l
}

// simplexBackward runs the stick-breaking recursion x_k = s_k z_k,
// s_{k+1} = s_k (1 - z_k) in reverse, and adds the Jacobian's partials
// d/dy_k [log z_k + m_k log(1 - z_k)] = 1 - z_k - m_k z_k.
func simplexBackward(adj []float64, ints []int32, flts []float64) {
	k := (len(ints) - 1) / 2
	z, sk := flts[:k-1], flts[k-1:]
	aj := 0.0
	if ints[1] != 0 {
		aj = adj[ints[1]]
		adj[ints[0]] += aj
	}
	y, x := ints[2:k+1], ints[k+1:]
	as := adj[x[k-1]]
	for i := k - 2; i >= 0; i-- {
		ax := adj[x[i]]
		m := float64(k - 1 - i)
		adj[y[i]] += (ax-as)*sk[i]*z[i]*(1-z[i]) + aj*(1-z[i]-m*z[i])
		as = ax*z[i] + as*(1-z[i])
	}
}

// UnconstrainSimplex writes to y (length K-1) the unconstrained
// coordinates of the simplex x (length K), Stan's simplex_free.
func UnconstrainSimplex(x, y []float64) error {
	const fn = "simplex_free"
	k := len(x)
	if err := simplexSizes(fn, len(y), k); err != nil {
		return err
	}
	if err := checkSimplex(fn, x); err != nil {
		return err
	}
	s := x[k-1]
	for i := k - 2; i >= 0; i-- {
		s += x[i]
		y[i] = mathx.Logit(x[i]/s) + math.Log(float64(k-1-i))
	}
	return nil
}

func checkSimplex(fn string, x []float64) error {
	sum := 0.0
	for _, v := range x {
		sum += v
	}
	if !(math.Abs(1-sum) <= constraintTolerance) {
		return errorf(fn, "Simplex variable is not a valid simplex. sum(Simplex variable) = %v, but should be 1", sum)
	}
	for i, v := range x {
		if !(v >= 0) {
			return errorf(fn, "Simplex variable is not a valid simplex. Simplex variable[%d] = %v, but should be greater than or equal to 0", i+1, v)
		}
	}
	return nil
}
