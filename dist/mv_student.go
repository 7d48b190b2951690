package dist

import (
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// MultiStudentTLpdf returns the log of the multivariate Student-t density
// of each vector y with nu degrees of freedom, location mu and scale
// matrix Sigma, summed. Per term, with r = y - mu, w = Σ⁻¹r, q = rᵀw:
//
//	lgamma((ν+k)/2) - lgamma(ν/2) - ½k log(νπ) - ½ log det Σ - ½(ν+k) log(1 + q/ν)
//
// so d/dy = -(ν+k)/(ν+q)·w, d/dΣ = ½(ν+k)/(ν+q)·w wᵀ - ½Σ⁻¹ and
// d/dν = ½ψ((ν+k)/2) - ½ψ(ν/2) - k/(2ν) - ½ log(1 + q/ν) + (ν+k)q/(2ν(ν+q)).
func MultiStudentTLpdf(t *ad.Tape, propto bool, y [][]ad.Var, nu ad.Var, mu [][]ad.Var, Sigma ad.Matrix) (ad.Var, error) {
	const fn = "multi_student_t_lpdf"
	Y, M := newVecs(argY, y), newVecs(argLocation, mu)
	if !isPositiveFinite(nu.Val) {
		return ad.Var{}, &DomainError{fn, argDOF.String(), 0, nu.Val, rulePosFinite}
	}
	k, n, err := mvTerms(fn, argScale, Sigma, &Y, &M)
	if err != nil || n == 0 {
		return ad.Var{}, err
	}
	sc := getScratch()
	defer sc.release()
	l := sc.floats(k * k)
	if err := covCholesky(fn, argScale, Sigma, l); err != nil {
		return ad.Var{}, err
	}
	return multiStudentT(t, propto, &Y, &M, n, nu, Sigma, l, sc, false)
}

// multiStudentT is both forms' density of n terms and its partials once the scale's
// Cholesky factor l (row-major) is known: scale is Σ = l lᵀ itself, or with
// chol its factor (multi_student_t_cholesky), whose partials on the lower
// triangle are s·w zᵀ - diag(1/l_ii) instead of ½s·w wᵀ - ½Σ⁻¹.
func multiStudentT(t *ad.Tape, propto bool, Y, M *vecs, n int, nu ad.Var, scale ad.Matrix, l []float64, sc *scratch, chol bool) (ad.Var, error) {
	k := scale.Rows
	sVarying, nVarying := !scale.IsConst(), !nu.IsConst()
	if propto && !Y.varying && !M.varying && !sVarying && !nVarying {
		return ad.Var{}, nil
	}
	v, kf, nf := nu.Val, float64(k), float64(n)
	g := newMVNGrads(sc, k, Y, M, sVarying)
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
		switch {
		case g.outer == nil:
		case chol:
			for a := range k {
				for c := 0; c <= a; c++ {
					g.outer[a*k+c] += s * w[a] * z[c]
				}
			}
		default:
			for a := range k {
				for c := range k {
					g.outer[a*k+c] += 0.5 * s * w[a] * w[c]
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
	if !propto || sVarying {
		lp -= 0.5 * nf * logDetChol(k, l)
	}
	b := t.Begin()
	addVecs(&b, Y, g.y, k)
	addVecs(&b, M, g.mu, k)
	if sVarying {
		if chol {
			for i := range k {
				g.outer[i*k+i] -= nf / l[i*k+i]
			}
		} else {
			inv := sc.floats(k * k)
			invFromChol(k, l, inv)
			for i := range g.outer {
				g.outer[i] -= 0.5 * nf * inv[i]
			}
		}
		addMat(&b, scale, g.outer)
	}
	if nVarying {
		b.Add(nu, dnu)
	}
	return b.End(lp), nil
}

// MultiStudentTRng draws from multi_student_t(nu, mu, Sigma):
// mu + sqrt(ν/χ²_ν)·L z with z standard normal and Σ = L Lᵀ.
func MultiStudentTRng(r *rand.Rand, nu float64, mu []float64, Sigma mat.Matrix) ([]float64, error) {
	const fn = "multi_student_t_rng"
	if !isPositiveFinite(nu) {
		return nil, &DomainError{fn, argDOF.String(), 0, nu, rulePosFinite}
	}
	if err := checkRngLocation(fn, mu, Sigma, argScale); err != nil {
		return nil, err
	}
	L, err := rngCholesky(fn, argScale, Sigma)
	if err != nil {
		return nil, err
	}
	return studentDraw(r, nu, mu, L), nil
}

// studentDraw is mu + sqrt(ν/χ²_ν)·L z with z standard normal.
func studentDraw(r *rand.Rand, nu float64, mu []float64, L mat.Matrix) []float64 {
	x := mvnDraw(r, make([]float64, len(mu)), L)
	s := math.Sqrt(nu / distuv.ChiSquared{K: nu, Src: r}.Rand())
	for i := range x {
		x[i] = mu[i] + s*x[i]
	}
	return x
}
