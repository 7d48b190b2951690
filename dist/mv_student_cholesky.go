package dist

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// MultiStudentTCholeskyLpdf is MultiStudentTLpdf with the scale matrix
// given by its Cholesky factor L (Σ = L Lᵀ). Per term, with z = L⁻¹(y-μ),
// q = |z|², w = L⁻ᵀz and s = (ν+k)/(ν+q), the partials are -s·w in y,
// s·w in μ, and s·w zᵀ - diag(1/L_ii) on L's lower triangle; in ν as for
// MultiStudentTLpdf.
func MultiStudentTCholeskyLpdf(t *ad.Tape, propto bool, y [][]ad.Var, nu ad.Var, mu [][]ad.Var, L ad.Matrix) (ad.Var, error) {
	const fn = "multi_student_t_cholesky_lpdf"
	Y, M := newVecs(argY, y), newVecs(argLocation, mu)
	if !isPositiveFinite(nu.Val) {
		return ad.Var{}, &DomainError{fn, argDOF.String(), 0, nu.Val, rulePosFinite}
	}
	if err := checkSquare(fn, argCholesky, L); err != nil {
		return ad.Var{}, err
	}
	k := L.Rows
	n, err := terms(fn, k, argCholesky, &Y, &M)
	if err != nil || n == 0 || k == 0 {
		return ad.Var{}, err
	}
	if err := checkMVNVecs(fn, &Y, &M); err != nil {
		return ad.Var{}, err
	}
	sc := getScratch()
	defer sc.release()
	l := sc.floats(k * k)
	load(L, l)
	if err := checkCholeskyFactor(fn, argCholesky, k, l); err != nil {
		return ad.Var{}, err
	}
	lVarying, nVarying := !L.IsConst(), !nu.IsConst()
	if propto && !Y.varying && !M.varying && !lVarying && !nVarying {
		return ad.Var{}, nil
	}
	v, kf, nf := nu.Val, float64(k), float64(n)
	g := newMVNGrads(sc, k, &Y, &M, lVarying)
	z, w := sc.floats(k), sc.floats(k)
	lp, dnu := 0.0, 0.0
	for i := range n {
		iy, im := Y.idx(i), M.idx(i)
		residual(z, Y.v[iy], M.v[im])
		solveL(k, l, z)
		q := 0.0
		for _, e := range z {
			q += e * e
		}
		lp -= 0.5 * (v + kf) * math.Log1p(q/v)
		if nVarying {
			dnu += -0.5*math.Log1p(q/v) + 0.5*(v+kf)*q/(v*(v+q))
		}
		if g.y == nil && g.mu == nil && g.outer == nil {
			continue
		}
		copy(w, z)
		solveLT(k, l, w)
		s := (v + kf) / (v + q)
		if g.y != nil {
			gy := g.y[iy*k : iy*k+k]
			for j, e := range w {
				gy[j] -= s * e
			}
		}
		if g.mu != nil {
			gm := g.mu[im*k : im*k+k]
			for j, e := range w {
				gm[j] += s * e
			}
		}
		if g.outer != nil {
			for a := range k {
				for c := 0; c <= a; c++ {
					g.outer[a*k+c] += s * w[a] * z[c]
				}
			}
		}
	}
	if !propto || nVarying {
		lg1, _ := math.Lgamma(0.5 * (v + kf))
		lp += nf * (lg1 - mathx.Lgamma(0.5*v) - 0.5*kf*math.Log(v))
		dnu += nf * (0.5*mathx.Digamma(0.5*(v+kf)) - 0.5*mathx.Digamma(0.5*v) - 0.5*kf/v)
	}
	if !propto {
		lp -= 0.5 * nf * kf * math.Log(math.Pi)
	}
	if !propto || lVarying {
		lp -= 0.5 * nf * logDetChol(k, l)
	}
	b := t.Begin()
	addVecs(&b, &Y, g.y, k)
	addVecs(&b, &M, g.mu, k)
	if lVarying {
		for i := range k {
			g.outer[i*k+i] -= nf / l[i*k+i]
		}
		addMat(&b, L, g.outer)
	}
	if nVarying {
		b.Add(nu, dnu)
	}
	return b.End(lp), nil
}

// MultiStudentTCholeskyRng draws from multi_student_t_cholesky(nu, mu,
// L): mu + sqrt(ν/χ²_ν)·L z with z standard normal.
func MultiStudentTCholeskyRng(r *rand.Rand, nu float64, mu []float64, L mat.Matrix) ([]float64, error) {
	const fn = "multi_student_t_cholesky_rng"
	if !isPositiveFinite(nu) {
		return nil, &DomainError{fn, argDOF.String(), 0, nu, rulePosFinite}
	}
	if err := checkRngLocation(fn, mu, L, argCholesky); err != nil {
		return nil, err
	}
	zero := make([]float64, len(mu))
	x := mvnDraw(r, zero, L)
	s := math.Sqrt(nu / distuv.ChiSquared{K: nu, Src: r}.Rand())
	for i := range x {
		x[i] = mu[i] + s*x[i]
	}
	return x, nil
}
