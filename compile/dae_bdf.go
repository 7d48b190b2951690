package compile

import (
	"fmt"
	"math"
)

// A variable-order (1 to 5), variable-step BDF solver for fully implicit
// index-1 DAEs F(t, y, y') = 0 with forward sensitivities, the method of
// DASSL and IDAS (Brenan, Campbell and Petzold 1996, "Numerical Solution
// of Initial-Value Problems in Differential-Algebraic Equations", ch. 3),
// in its variable-coefficient form: at t_n, y' is the derivative of the
// polynomial through y_n and the k values before it,
//
//	y'_n = Σ_{j=0..k} c_j y_{n-j},   c_j = l_j'(t_n),
//
// l_j the Lagrange basis of the k+1 times, and y_n solves
// F(t_n, y_n, y'_n) = 0 by Newton's method. The predictor is the
// polynomial through the k+1 values before t_n, and the local error is
// estimated as |y_n - predictor|/(k+1). The sensitivities s = dy/dp solve
// the linear DAE F_y s + F_y' s' + F_p = 0 by the same formula at the
// converged y_n (the staggered direct method), so they are the exact
// derivatives of the discrete solution.

// daeSystem is what the solver needs of a DAE with np parameters.
type daeSystem interface {
	// residual sets r = F(t, y, yp).
	residual(t float64, y, yp, r []float64)
	// jacobian sets the row-major n×n ∂F/∂y and ∂F/∂y' and, when fp is
	// not nil, the n×np ∂F/∂p at (t, y, yp).
	jacobian(t float64, y, yp, jy, jyp, fp []float64)
}

// daeStepsError reports that an output time was not reached in the
// steps allowed.
type daeStepsError struct{ t float64 }

func (e *daeStepsError) Error() string {
	return fmt.Sprintf("Failed to integrate to next output time (%v) in less than max_num_steps steps", e.t)
}

// daeBDF is the solver's working memory.
type daeBDF struct {
	n, np int
	// The history, most recent last: times, states, sensitivities (n×np
	// each, column p of parameter p at p*n).
	ht     []float64
	hy, hs [][]float64
	// Scratch.
	c, y, yp, pred, r, d, jy, jyp, j, fp, rhs []float64
	piv                                       []int
}

// integrate solves from t0, where the state is y0 with derivative yp0 and
// sensitivities s0 (n×np), to each time of ts (increasing, after t0),
// leaving the state at ts[k] in ys[k*n:] and its sensitivities in
// ss[k*n*np:].
func (b *daeBDF) integrate(sys daeSystem, y0, yp0, s0 []float64, np int, t0 float64, ts []float64, rtol, atol float64, maxSteps int, ys, ss []float64) error {
	n := len(y0)
	b.n, b.np = n, np
	b.ht = append(b.ht[:0], t0)
	b.hy = append(b.hy[:0], append([]float64(nil), y0...))
	b.hs = append(b.hs[:0], append([]float64(nil), s0...))
	for _, p := range []*[]float64{&b.y, &b.yp, &b.pred, &b.r, &b.d} {
		*p = grow(*p, n)
	}
	for _, p := range []*[]float64{&b.jy, &b.jyp, &b.j} {
		*p = grow(*p, n*n)
	}
	b.fp = grow(b.fp, n*np)
	b.rhs = grow(b.rhs, n*np)
	b.piv = append(b.piv[:0], make([]int, n)...)
	weight := func(y []float64, i int) float64 { return rtol*math.Abs(y[i]) + atol }
	norm := func(v, y []float64) float64 {
		s := 0.0
		for i := range v {
			x := v[i] / weight(y, i)
			s += x * x
		}
		return math.Sqrt(s / float64(len(v)))
	}
	t := t0
	h := 1e-4 * (ts[0] - t0)
	if w := norm(yp0, y0); w > 0 {
		h = min(h, 0.5/w) // a first step that changes y by about its tolerance
	}
	k, okSteps, fails := 1, 0, 0
	steps := 0
	for out, tout := range ts {
		for t < tout {
			if steps++; steps > maxSteps {
				return &daeStepsError{tout}
			}
			hit := t+h >= tout || t+2*h > tout && t+h < tout
			if hit {
				h = tout - t
			}
			tn := t + h
			k = min(k, len(b.ht))
			b.coefficients(tn, k)
			b.predict(tn, k, yp0)
			copy(b.y, b.pred)
			if !b.newton(sys, tn, k, norm) {
				h /= 4
				k, okSteps = 1, 0
				if h < 1e-14*math.Max(1, math.Abs(t)) {
					return fmt.Errorf("the Newton iteration failed to converge at t = %v", t)
				}
				continue
			}
			for i := range b.d {
				b.d[i] = b.y[i] - b.pred[i]
			}
			err := norm(b.d, b.y) / float64(k+1)
			if len(b.ht) == 1 {
				err = norm(b.d, b.y) // the predictor used y0'
			}
			if err > 1 {
				fails++
				if fails >= 2 {
					k = 1
				}
				okSteps = 0
				h *= math.Max(0.1, 0.9*math.Pow(err, -1/float64(k+1)))
				if h < 1e-14*math.Max(1, math.Abs(t)) {
					return fmt.Errorf("the error test failed repeatedly at t = %v", t)
				}
				continue
			}
			fails = 0
			sn := b.sensitivities(sys, tn, k)
			b.push(tn, b.y, sn)
			t = tn
			okSteps++
			grow := math.Min(2, math.Max(0.2, 0.9*math.Pow(math.Max(err, 1e-10), -1/float64(k+1))))
			if okSteps > k && k < 5 && len(b.ht) > k+1 {
				k++
				okSteps = 0
			}
			if !hit {
				h *= grow
			} else {
				h = math.Max(h*grow, 1e-4*(t-t0))
			}
		}
		copy(ys[out*n:], b.hy[len(b.hy)-1])
		copy(ss[out*n*np:], b.hs[len(b.hs)-1])
	}
	return nil
}

// coefficients sets c_j = l_j'(t_n) for the times t_n, then the k most
// recent of the history.
func (b *daeBDF) coefficients(tn float64, k int) {
	m := len(b.ht)
	x := func(j int) float64 {
		if j == 0 {
			return tn
		}
		return b.ht[m-j]
	}
	b.c = grow(b.c, k+1)
	b.c[0] = 0
	for j := 1; j <= k; j++ {
		b.c[0] += 1 / (tn - x(j))
	}
	for j := 1; j <= k; j++ {
		num, den := 1.0, 1.0
		for l := 1; l <= k; l++ {
			if l != j {
				num *= tn - x(l)
			}
		}
		for l := 0; l <= k; l++ {
			if l != j {
				den *= x(j) - x(l)
			}
		}
		b.c[j] = num / den
	}
}

// predict sets b.pred to the polynomial through the last k+1 values of
// the history (as many as there are) at tn; from the initial point alone,
// y0 + h y0'.
func (b *daeBDF) predict(tn float64, k int, yp0 []float64) {
	m := len(b.ht)
	if m == 1 {
		for i := range b.pred {
			b.pred[i] = b.hy[0][i] + (tn-b.ht[0])*yp0[i]
		}
		return
	}
	q := min(k+1, m)
	clear(b.pred)
	for j := 1; j <= q; j++ {
		l := 1.0
		for i := 1; i <= q; i++ {
			if i != j {
				l *= (tn - b.ht[m-i]) / (b.ht[m-j] - b.ht[m-i])
			}
		}
		for i, v := range b.hy[m-j] {
			b.pred[i] += l * v
		}
	}
}

// derivative sets b.yp to y'_n for the state b.y.
func (b *daeBDF) derivative(k int) {
	m := len(b.ht)
	for i := range b.yp {
		d := b.c[0] * b.y[i]
		for j := 1; j <= k; j++ {
			d += b.c[j] * b.hy[m-j][i]
		}
		b.yp[i] = d
	}
}

// newton solves F(t_n, y, y'(y)) = 0 for b.y from the predictor, with
// the iteration matrix ∂F/∂y + c_0 ∂F/∂y' of the start.
func (b *daeBDF) newton(sys daeSystem, tn float64, k int, norm func(v, y []float64) float64) bool {
	n := b.n
	b.derivative(k)
	sys.jacobian(tn, b.y, b.yp, b.jy, b.jyp, nil)
	for i := range b.j {
		b.j[i] = b.jy[i] + b.c[0]*b.jyp[i]
	}
	if !luFactor(b.j, b.piv, n) {
		return false
	}
	prev := math.Inf(1)
	for it := 0; it < 8; it++ {
		sys.residual(tn, b.y, b.yp, b.r)
		for i, v := range b.r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
			b.d[i] = -v
		}
		luSolve(b.j, b.piv, n, b.d)
		for i := range b.y {
			b.y[i] += b.d[i]
		}
		b.derivative(k)
		dn := norm(b.d, b.y)
		if dn < 1e-4 {
			return true
		}
		if it > 1 && dn > 0.9*prev {
			return false // diverging or too slow
		}
		prev = dn
	}
	return false
}

// sensitivities solves (F_y + c_0 F_y') s_n = -F_p - F_y' Σ_{j≥1} c_j s_{n-j}
// at the converged state and returns s_n.
func (b *daeBDF) sensitivities(sys daeSystem, tn float64, k int) []float64 {
	n, np := b.n, b.np
	sn := make([]float64, n*np)
	if np == 0 {
		return sn
	}
	sys.jacobian(tn, b.y, b.yp, b.jy, b.jyp, b.fp)
	for i := range b.j {
		b.j[i] = b.jy[i] + b.c[0]*b.jyp[i]
	}
	if !luFactor(b.j, b.piv, n) {
		for i := range sn {
			sn[i] = math.NaN()
		}
		return sn
	}
	m := len(b.ht)
	col := b.rhs[:n]
	hist := b.d // Σ c_j s_{n-j}, column p
	for p := range np {
		for i := range n {
			v := 0.0
			for j := 1; j <= k; j++ {
				v += b.c[j] * b.hs[m-j][p*n+i]
			}
			hist[i] = v
		}
		for i := range n {
			v := -b.fp[i*np+p]
			for l := range n {
				v -= b.jyp[i*n+l] * hist[l]
			}
			col[i] = v
		}
		luSolve(b.j, b.piv, n, col)
		copy(sn[p*n:], col)
	}
	return sn
}

// push adds an accepted step to the history, keeping the 6 a step of
// order 5 and its predictor need.
func (b *daeBDF) push(t float64, y, s []float64) {
	b.ht = append(b.ht, t)
	b.hy = append(b.hy, append([]float64(nil), y...))
	b.hs = append(b.hs, s)
	if len(b.ht) > 7 {
		b.ht = append(b.ht[:0], b.ht[1:]...)
		b.hy = append(b.hy[:0], b.hy[1:]...)
		b.hs = append(b.hs[:0], b.hs[1:]...)
	}
}

// luFactor factors the row-major n×n a in place with partial pivoting;
// false if it is singular.
func luFactor(a []float64, piv []int, n int) bool {
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r*n+c]) > math.Abs(a[p*n+c]) {
				p = r
			}
		}
		piv[c] = p
		if a[p*n+c] == 0 || math.IsNaN(a[p*n+c]) {
			return false
		}
		if p != c {
			for j := range n {
				a[c*n+j], a[p*n+j] = a[p*n+j], a[c*n+j]
			}
		}
		for r := c + 1; r < n; r++ {
			f := a[r*n+c] / a[c*n+c]
			a[r*n+c] = f
			for j := c + 1; j < n; j++ {
				a[r*n+j] -= f * a[c*n+j]
			}
		}
	}
	return true
}

// luSolve solves a x = b in place of b with luFactor's factors.
func luSolve(a []float64, piv []int, n int, b []float64) {
	for c := range n {
		b[c], b[piv[c]] = b[piv[c]], b[c]
	}
	for r := range n {
		for j := range r {
			b[r] -= a[r*n+j] * b[j]
		}
	}
	for r := n - 1; r >= 0; r-- {
		for j := r + 1; j < n; j++ {
			b[r] -= a[r*n+j] * b[j]
		}
		b[r] /= a[r*n+r]
	}
}
