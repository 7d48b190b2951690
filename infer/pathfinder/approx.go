package pathfinder

import (
	"errors"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// maxCurvatureRatio bounds yᵀy / sᵀy for a pair to enter the history: a
// pair with a larger ratio says the curvature along s is too large for the
// inverse Hessian to be represented in floating point, as in Stan.
const maxCurvatureRatio = 1e12

// history is L-BFGS's memory as Pathfinder uses it: the last m pairs
// (s, y) that passed the curvature check, oldest first, where s is the
// step and y the change of the gradient of -log p, and the diagonal α of
// the initial inverse Hessian, updated with every accepted pair.
type history struct {
	m     int
	s, y  [][]float64
	alpha []float64
}

func newHistory(n, m int) *history {
	h := &history{m: m, alpha: make([]float64, n)}
	for i := range h.alpha {
		h.alpha[i] = 1
	}
	return h
}

// add takes the pair when sᵀy > 0 and yᵀy / sᵀy ≤ 1e12, and updates α by
// the paper's diagonal rule (Gilbert and Lemaréchal 1989): α is the
// diagonal of the BFGS update of diag(α) by the pair. It reports whether
// the pair was taken.
func (h *history) add(s, y []float64) bool {
	sy, yy := floats.Dot(s, y), floats.Dot(y, y)
	if !(sy > 0) || yy/sy > maxCurvatureRatio {
		return false
	}
	yay, sas := 0.0, 0.0
	for i, a := range h.alpha {
		yay += a * y[i] * y[i]
		sas += s[i] * s[i] / a
	}
	next := make([]float64, len(h.alpha))
	for i, a := range h.alpha {
		r := s[i] / a
		next[i] = sy / (yay/a + y[i]*y[i] - yay/sas*r*r)
		if !(next[i] > 0) || math.IsInf(next[i], 0) {
			return false
		}
	}
	h.alpha = next
	if len(h.s) == h.m {
		h.s, h.y = h.s[1:], h.y[1:]
	}
	h.s = append(h.s, append([]float64(nil), s...))
	h.y = append(h.y, append([]float64(nil), y...))
	return true
}

// Gaussian is one of Pathfinder's normal approximations N(Mean, H) on the
// unconstrained space, H the L-BFGS inverse Hessian at an iterate. It
// stores a factor A with AAᵀ = H: with J pairs in n dimensions, the
// Cholesky factor of H when 2J ≥ n, and otherwise the paper's low-rank
// form A = diag(√α)(I + Q(L̃ - I)Qᵀ), Q an n×k orthonormal basis (k ≤ 2J)
// and L̃ a k×k Cholesky factor, so that a draw costs O(nJ).
// A Gaussian is not changed after it is made.
type Gaussian struct {
	Mean []float64
	// LogDetCholH is log |det A| = ½ log det H.
	LogDetCholH float64
	l           *mat.TriDense // dense: the Cholesky factor of H
	sqrtAlpha   []float64     // low rank: √α
	q           [][]float64   // low rank: Q's columns
	lt          *mat.TriDense // low rank: L̃
}

// newGaussian forms the approximation at the iterate x with gradient g of
// log p from the history (the paper's Algorithm 4, Byrd, Nocedal and
// Schnabel's compact form of the L-BFGS inverse Hessian):
//
//	H = diag(α) - αY N - Nᵀ Yᵀα + Nᵀ (D + YᵀαY) N,  N = R⁻¹ Sᵀ,
//
// with R the upper triangle of SᵀY and D its diagonal. The mean is the
// quasi-Newton step x + H g.
func newGaussian(x, g []float64, h *history) (*Gaussian, error) {
	n, m := len(x), len(h.s)
	alpha := h.alpha
	// R[i][j] = s_i·y_j for i ≤ j.
	r := make([][]float64, m)
	for i := range m {
		r[i] = make([]float64, m)
		for j := i; j < m; j++ {
			r[i][j] = floats.Dot(h.s[i], h.y[j])
		}
	}
	// N = R⁻¹ Sᵀ by back substitution, row by row from the last.
	nm := make([][]float64, m)
	for i := m - 1; i >= 0; i-- {
		row := append([]float64(nil), h.s[i]...)
		for j := i + 1; j < m; j++ {
			floats.AddScaled(row, -r[i][j], nm[j])
		}
		for k := range row {
			row[k] /= r[i][i]
		}
		nm[i] = row
	}
	// C = D + YᵀαY.
	c := make([][]float64, m)
	for i := range m {
		c[i] = make([]float64, m)
		for j := range m {
			for k := range n {
				c[i][j] += h.y[i][k] * alpha[k] * h.y[j][k]
			}
		}
		c[i][i] += r[i][i]
	}
	// H g without forming H: αg - αY(Ng) - Nᵀ(Yᵀαg) + Nᵀ C (Ng).
	ag := make([]float64, n)
	for k := range n {
		ag[k] = alpha[k] * g[k]
	}
	ng, yag := make([]float64, m), make([]float64, m)
	for i := range m {
		ng[i] = floats.Dot(nm[i], g)
		yag[i] = floats.Dot(h.y[i], ag)
	}
	coef := make([]float64, m) // the weights of N's rows: -Yᵀαg + C Ng
	for i := range m {
		coef[i] = -yag[i]
		for j := range m {
			coef[i] += c[i][j] * ng[j]
		}
	}
	mean := make([]float64, n)
	for k := range n {
		v := ag[k]
		for i := range m {
			v += -alpha[k]*h.y[i][k]*ng[i] + nm[i][k]*coef[i]
		}
		mean[k] = x[k] + v
	}
	q := &Gaussian{Mean: mean}
	if 2*m >= n {
		hm := mat.NewSymDense(n, nil)
		for a := range n {
			for b := a; b < n; b++ {
				v := 0.0
				if a == b {
					v = alpha[a]
				}
				for i := range m {
					v -= alpha[a]*h.y[i][a]*nm[i][b] + alpha[b]*h.y[i][b]*nm[i][a]
					for j := range m {
						v += nm[i][a] * c[i][j] * nm[j][b]
					}
				}
				hm.SetSym(a, b, v)
			}
		}
		var ch mat.Cholesky
		if !ch.Factorize(hm) {
			return nil, errors.New("the inverse Hessian approximation is not positive definite")
		}
		q.l = mat.NewTriDense(n, mat.Lower, nil)
		ch.LTo(q.l)
		for i := range n {
			q.LogDetCholH += math.Log(q.l.At(i, i))
		}
		return q, nil
	}
	// Low rank: H = diag(√α)(I + W M Wᵀ)diag(√α) with W = [√α Y, -α^-½ Nᵀ]
	// and M = [[0, I], [I, C]]; W = QR̄ and I + R̄MR̄ᵀ = L̃L̃ᵀ.
	q.sqrtAlpha = make([]float64, n)
	for k, a := range alpha {
		q.sqrtAlpha[k] = math.Sqrt(a)
		q.LogDetCholH += 0.5 * math.Log(a)
	}
	w := make([][]float64, 2*m)
	for i := range m {
		w[i] = make([]float64, n)
		w[m+i] = make([]float64, n)
		for k := range n {
			w[i][k] = q.sqrtAlpha[k] * h.y[i][k]
			w[m+i][k] = -nm[i][k] / q.sqrtAlpha[k]
		}
	}
	var rbar [][]float64 // k rows of 2m
	q.q, rbar = thinQR(w)
	k := len(q.q)
	wm := make([][]float64, k) // R̄ M, k×2m
	for a := range k {
		wm[a] = make([]float64, 2*m)
		for i := range m {
			// (R̄M)[a][i] = R̄[a][m+i]; (R̄M)[a][m+i] = R̄[a][i] + Σ_j R̄[a][m+j] C[j][i].
			wm[a][i] = rbar[a][m+i]
			v := rbar[a][i]
			for j := range m {
				v += rbar[a][m+j] * c[j][i]
			}
			wm[a][m+i] = v
		}
	}
	km := mat.NewSymDense(k, nil)
	for a := range k {
		for b := a; b < k; b++ {
			v := floats.Dot(wm[a], rbar[b])
			if a == b {
				v++
			}
			km.SetSym(a, b, v)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(km) {
		return nil, errors.New("the inverse Hessian approximation is not positive definite")
	}
	q.lt = mat.NewTriDense(k, mat.Lower, nil)
	ch.LTo(q.lt)
	for i := range k {
		q.LogDetCholH += math.Log(q.lt.At(i, i))
	}
	return q, nil
}

// thinQR orthonormalises the rows of w (vectors of length n) by modified
// Gram-Schmidt, twice for accuracy, dropping a vector that is (nearly) in
// the span of those before it. It returns the basis and R̄ with
// w[j] = Σ_a R̄[a][j] q[a].
func thinQR(w [][]float64) (q, rbar [][]float64) {
	cols := make([][]float64, len(w)) // column j of R̄, as long as q was
	for j, v := range w {
		v = append([]float64(nil), v...)
		coef := make([]float64, len(q))
		for range 2 {
			for a, qa := range q {
				d := floats.Dot(qa, v)
				coef[a] += d
				floats.AddScaled(v, -d, qa)
			}
		}
		if nv := math.Sqrt(floats.Dot(v, v)); nv > 1e-10*math.Sqrt(floats.Dot(w[j], w[j])) {
			for i := range v {
				v[i] /= nv
			}
			q = append(q, v)
			coef = append(coef, nv)
		}
		cols[j] = coef
	}
	rbar = make([][]float64, len(q))
	for a := range rbar {
		rbar[a] = make([]float64, len(w))
		for j, c := range cols {
			if a < len(c) {
				rbar[a][j] = c[a]
			}
		}
	}
	return q, rbar
}

// draw sets theta to Mean + A u for a fresh standard normal u and returns
// log q(theta) = -½uᵀu - log|det A| - ½ n log 2π.
func (g *Gaussian) draw(rng *rand.Rand, u, theta []float64) float64 {
	n := len(g.Mean)
	uu := 0.0
	for i := range u {
		u[i] = rng.NormFloat64()
		uu += u[i] * u[i]
	}
	g.apply(u, theta)
	for i := range theta {
		theta[i] += g.Mean[i]
	}
	return -0.5*uu - g.LogDetCholH - 0.5*float64(n)*math.Log(2*math.Pi)
}

// apply sets out = A u.
func (g *Gaussian) apply(u, out []float64) {
	if g.l != nil {
		for i := range out {
			v := 0.0
			for j := 0; j <= i; j++ {
				v += g.l.At(i, j) * u[j]
			}
			out[i] = v
		}
		return
	}
	k := len(g.q)
	qu := make([]float64, k)
	for a := range k {
		qu[a] = floats.Dot(g.q[a], u)
	}
	copy(out, u)
	for a := range k {
		v := -qu[a]
		for b := 0; b <= a; b++ {
			v += g.lt.At(a, b) * qu[b]
		}
		floats.AddScaled(out, v, g.q[a])
	}
	for i := range out {
		out[i] *= g.sqrtAlpha[i]
	}
}

// Cov returns the covariance H = AAᵀ as a dense matrix.
func (g *Gaussian) Cov() *mat.SymDense {
	n := len(g.Mean)
	a := mat.NewDense(n, n, nil)
	e, col := make([]float64, n), make([]float64, n)
	for j := range n {
		clear(e)
		e[j] = 1
		g.apply(e, col)
		a.SetCol(j, col)
	}
	h := mat.NewSymDense(n, nil)
	h.SymOuterK(1, a)
	return h
}
