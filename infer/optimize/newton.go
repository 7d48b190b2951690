package optimize

import (
	"context"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// newton is Newton's method with the Hessian from central differences of
// the gradient, its eigenvalues reflected to be positive (the optimizer
// minimises -lp) so that every step ascends, and the step halved until the
// density does not fall. It stops when an iteration gains no more than
// 1e-8 or at the iteration limit.
func (o *optimizer) newton(ctx context.Context, x []float64, report func(Iteration)) (*Result, error) {
	n := o.n
	g := make([]float64, n)
	f, _ := o.eval(x, g)
	res := &Result{InitLogP: -f}
	if report != nil {
		report(Iteration{LogP: -f, GradNorm: math.Sqrt(floats.Dot(g, g)), Evals: o.evals, X: x})
	}
	hess := mat.NewSymDense(n, nil)
	gp, gm := make([]float64, n), make([]float64, n)
	xt := make([]float64, n)
	p := make([]float64, n)
	x1, g1 := make([]float64, n), make([]float64, n)
	var eig mat.EigenSym
	var vecs mat.Dense
	for it := 1; ; it++ {
		if ctx.Err() != nil {
			res.X, res.LogP, res.Iter, res.Evals, res.Interrupted = x, -f, it-1, o.evals, true
			return res, nil
		}
		// The Hessian of -lp, column by column.
		ok := true
		for j := 0; j < n && ok; j++ {
			h := 1e-5 * math.Max(1, math.Abs(x[j]))
			copy(xt, x)
			xt[j] = x[j] + h
			_, ok1 := o.eval(xt, gp)
			xt[j] = x[j] - h
			_, ok2 := o.eval(xt, gm)
			ok = ok1 && ok2
			for i := 0; i <= j; i++ {
				// Symmetrise: average the two differences that estimate H_ij.
				v := (gp[i] - gm[i]) / (2 * h)
				if i == j {
					hess.SetSym(i, j, v)
				} else {
					hess.SetSym(i, j, 0.5*(hess.At(i, j)+v))
				}
			}
			for i := j + 1; i < n; i++ {
				hess.SetSym(i, j, (gp[i]-gm[i])/(2*h))
			}
		}
		if !ok || !eig.Factorize(hess, true) {
			// Fall back to steepest ascent.
			for i := range p {
				p[i] = -g[i]
			}
		} else {
			vals := eig.Values(nil)
			eig.VectorsTo(&vecs)
			big := 0.0
			for _, v := range vals {
				big = math.Max(big, math.Abs(v))
			}
			floor := math.Max(1e-10*big, 1e-300)
			for i := range p {
				p[i] = 0
			}
			for k, v := range vals {
				lam := math.Max(math.Abs(v), floor)
				c := 0.0
				for i := range n {
					c += vecs.At(i, k) * g[i]
				}
				c /= lam
				for i := range n {
					p[i] -= c * vecs.At(i, k)
				}
			}
		}
		alpha := 1.0
		f1 := math.Inf(1)
		for alpha > 1e-10 {
			step(x1, x, p, alpha)
			var good bool
			f1, good = o.eval(x1, g1)
			if good && f1 <= f {
				break
			}
			f1 = math.Inf(1)
			alpha *= 0.5
		}
		fPrev := f
		sn := 0.0
		if !math.IsInf(f1, 1) {
			for i := range x {
				d := x1[i] - x[i]
				sn += d * d
			}
			sn = math.Sqrt(sn)
			x, x1 = x1, x
			g, g1 = g1, g
			f = f1
		}
		if report != nil {
			report(Iteration{Iter: it, LogP: -f, StepNorm: sn, GradNorm: math.Sqrt(floats.Dot(g, g)), Alpha: alpha, Alpha0: 1, Evals: o.evals, X: x})
		}
		code := Running
		switch {
		case fPrev-f <= 1e-8:
			code = ConvAbsF
		case it >= o.cfg.Iter:
			code = MaxIter
		}
		if code != Running {
			res.X, res.LogP, res.Iter, res.Evals, res.Code = x, -f, it, o.evals, code
			return res, nil
		}
	}
}
