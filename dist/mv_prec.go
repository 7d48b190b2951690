package dist

import "github.com/gostan/gostan/ad"

// MultiNormalPrecLpdf returns the log of the multivariate normal density of
// each vector y with location mu and precision matrix Omega, summed:
// -½ k log 2π + ½ log det Ω - ½ rᵀΩr per term, r = y - mu, so that
// d/dy = -Ωr, d/dmu = Ωr and d/dΩ = ½ n Ω⁻¹ - ½ Σ r rᵀ (one partial per
// entry).
func MultiNormalPrecLpdf(t *ad.Tape, propto bool, y, mu [][]ad.Var, Omega ad.Matrix) (ad.Var, error) {
	const fn = "multi_normal_prec_lpdf"
	Y, M := newVecs(argY, y), newVecs(argLocation, mu)
	k, n, err := mvTerms(fn, argPrecisionMatrix, Omega, &Y, &M)
	if err != nil || n == 0 {
		return ad.Var{}, err
	}
	sc := getScratch()
	defer sc.release()
	l := sc.floats(k * k)
	if err := covCholesky(fn, argPrecisionMatrix, Omega, l); err != nil {
		return ad.Var{}, err
	}
	oVarying := !Omega.IsConst()
	if propto && !Y.varying && !M.varying && !oVarying {
		return ad.Var{}, nil
	}
	om := sc.floats(k * k)
	load(Omega, om)
	g := newMVNGrads(sc, k, &Y, &M, oVarying)
	r, w := sc.floats(k), sc.floats(k)
	q := 0.0
	for i := range n {
		iy, im := Y.idx(i), M.idx(i)
		residual(r, Y.v[iy], M.v[im])
		for a := range k {
			s := 0.0
			for c, rc := range r {
				s += om[a*k+c] * rc
			}
			w[a] = s
			q += r[a] * s
		}
		if g.y != nil {
			gy := g.y[iy*k : iy*k+k]
			for j, v := range w {
				gy[j] -= v
			}
		}
		if g.mu != nil {
			gm := g.mu[im*k : im*k+k]
			for j, v := range w {
				gm[j] += v
			}
		}
		if g.outer != nil {
			for a := range k {
				for c := range k {
					g.outer[a*k+c] += r[a] * r[c]
				}
			}
		}
	}
	lp := -0.5 * q
	if !propto || oVarying {
		lp += 0.5 * float64(n) * logDetChol(k, l)
	}
	if !propto {
		lp -= 0.5 * float64(n*k) * logTwoPi
	}
	b := t.Begin()
	addVecs(&b, &Y, g.y, k)
	addVecs(&b, &M, g.mu, k)
	if oVarying {
		inv := sc.floats(k * k)
		invFromChol(k, l, inv)
		for i := range g.outer {
			g.outer[i] = 0.5 * (float64(n)*inv[i] - g.outer[i])
		}
		addMat(&b, Omega, g.outer)
	}
	return b.End(lp), nil
}
