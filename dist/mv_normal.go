package dist

import (
	"fmt"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// MultiNormalCholeskyLpdf returns the log of the multivariate normal density
// of each vector y with location mu and covariance L Lᵀ, summed over the
// arrays (a single vector broadcasts). L is lower triangular with a positive
// diagonal.
//
// With z = L⁻¹(y - mu) and w = L⁻ᵀz: d/dy = -w, d/dmu = w and
// d/dL = Σ w zᵀ - n·diag(1/L_ii) on the lower triangle.
func MultiNormalCholeskyLpdf(t *ad.Tape, propto bool, y, mu [][]ad.Var, L ad.Matrix) (ad.Var, error) {
	const fn = "multi_normal_cholesky_lpdf"
	Y, M := newVecs(argY, y), newVecs(argLocation, mu)
	k, n, err := mvTerms(fn, argCholesky, L, &Y, &M)
	if err != nil || n == 0 {
		return ad.Var{}, err
	}
	sc := getScratch()
	defer sc.release()
	l := sc.floats(k * k)
	load(L, l)
	if err := checkCholeskyFactor(fn, argCholesky, k, l); err != nil {
		return ad.Var{}, err
	}
	lVarying := !L.IsConst()
	if propto && !Y.varying && !M.varying && !lVarying {
		return ad.Var{}, nil
	}
	g := newMVNGrads(sc, k, &Y, &M, lVarying)
	lp := mvnQuad(sc, k, n, &Y, &M, l, g, true)
	if !propto || lVarying {
		lp -= 0.5 * float64(n) * logDetChol(k, l)
	}
	if !propto {
		lp -= 0.5 * float64(n*k) * logTwoPi
	}
	b := t.Begin()
	addVecs(&b, &Y, g.y, k)
	addVecs(&b, &M, g.mu, k)
	if lVarying {
		for i := range k {
			g.outer[i*k+i] -= float64(n) / l[i*k+i]
		}
		addLower(&b, L, g.outer)
	}
	return b.End(lp), nil
}

// MultiNormalLpdf returns the log of the multivariate normal density of
// each vector y with location mu and covariance Sigma, summed.
//
// With w = Σ⁻¹(y - mu): d/dy = -w, d/dmu = w and
// d/dΣ = ½ Σ w wᵀ - ½ n Σ⁻¹ (symmetric, one partial per entry).
func MultiNormalLpdf(t *ad.Tape, propto bool, y, mu [][]ad.Var, Sigma ad.Matrix) (ad.Var, error) {
	const fn = "multi_normal_lpdf"
	Y, M := newVecs(argY, y), newVecs(argLocation, mu)
	k, n, err := mvTerms(fn, argCovariance, Sigma, &Y, &M)
	if err != nil || n == 0 {
		return ad.Var{}, err
	}
	sc := getScratch()
	defer sc.release()
	l := sc.floats(k * k)
	if err := covCholesky(fn, argCovariance, Sigma, l); err != nil {
		return ad.Var{}, err
	}
	sVarying := !Sigma.IsConst()
	if propto && !Y.varying && !M.varying && !sVarying {
		return ad.Var{}, nil
	}
	g := newMVNGrads(sc, k, &Y, &M, sVarying)
	lp := mvnQuad(sc, k, n, &Y, &M, l, g, false)
	if !propto || sVarying {
		lp -= 0.5 * float64(n) * logDetChol(k, l)
	}
	if !propto {
		lp -= 0.5 * float64(n*k) * logTwoPi
	}
	b := t.Begin()
	addVecs(&b, &Y, g.y, k)
	addVecs(&b, &M, g.mu, k)
	if sVarying {
		inv := sc.floats(k * k)
		invFromChol(k, l, inv)
		for i := range g.outer {
			g.outer[i] = 0.5 * (g.outer[i] - float64(n)*inv[i])
		}
		addMat(&b, Sigma, g.outer)
	}
	return b.End(lp), nil
}

// covCholesky checks that the square matrix S is symmetric and positive
// definite and writes its Cholesky factor into l (row-major).
func covCholesky(fn string, name argName, S ad.Matrix, l []float64) error {
	k := S.Rows
	load(S, l)
	if err := checkSymmetric(fn, name, k, l); err != nil {
		return err
	}
	if !cholesky(k, l) {
		return notPosDef(fn, name)
	}
	return nil
}

// mvTerms checks a multivariate density's vectors against its k×k matrix
// S (the argument name): S square, the vectors' sizes, then their values.
// n is the number of terms, 0 when there is nothing to add.
func mvTerms(fn string, name argName, S ad.Matrix, y, mu *vecs) (k, n int, err error) {
	if err := checkSquare(fn, name, S); err != nil {
		return 0, 0, err
	}
	k = S.Rows
	n, err = terms(fn, k, name, y, mu)
	if err != nil || n == 0 || k == 0 {
		return k, 0, err
	}
	return k, n, checkMVNVecs(fn, y, mu)
}

func checkMVNVecs(fn string, y, mu *vecs) error {
	if err := checkVecs(fn, y, ruleNotNaN, isNotNaN); err != nil {
		return err
	}
	return checkVecs(fn, mu, ruleFinite, isFinite)
}

// mvnGrads holds the partials accumulated over the terms of a
// multivariate normal density: nil where an argument is constant.
type mvnGrads struct {
	y, mu, outer []float64
}

func newMVNGrads(sc *scratch, k int, y, mu *vecs, matVarying bool) mvnGrads {
	var g mvnGrads
	if y.varying {
		g.y = sc.floats(len(y.v) * k)
	}
	if mu.varying {
		g.mu = sc.floats(len(mu.v) * k)
	}
	if matVarying {
		g.outer = sc.floats(k * k)
	}
	return g
}

// mvnQuad returns -½ Σ rᵀ(L Lᵀ)⁻¹r over the n terms, r = y - mu, and
// accumulates w = L⁻ᵀL⁻¹r into the partials: -w for y, w for mu, and into
// outer Σ w zᵀ (lower triangle) if chol, else Σ w wᵀ, z = L⁻¹r. The
// residuals are the rows of one k×n matrix, one row per component, so
// that the solves and the outer product are single blocked BLAS calls; for
// one observed vector (a GP's), plain loops, since BLAS's set-up costs more
// than the work (1.9 -> 1.1 µs for k = 11).
func mvnQuad(sc *scratch, k, n int, Y, M *vecs, l []float64, g mvnGrads, chol bool) float64 {
	zd := sc.floats(k * n)
	for i := range n {
		y, mu := Y.v[Y.idx(i)], M.v[M.idx(i)]
		for j := range k {
			zd[j*n+i] = y[j].Val - mu[j].Val
		}
	}
	small := n == 1
	Z := blas64.General{Rows: k, Cols: n, Stride: n, Data: zd}
	if small {
		solveRowsL(k, n, l, zd)
	} else {
		blas64.Trsm(blas.Left, blas.NoTrans, 1, lower(k, l), Z)
	}
	q := 0.0
	for _, v := range zd {
		q += v * v
	}
	if g.y == nil && g.mu == nil && g.outer == nil {
		return -0.5 * q
	}
	wd := sc.floats(k * n)
	copy(wd, zd)
	W := blas64.General{Rows: k, Cols: n, Stride: n, Data: wd}
	if small {
		solveRowsLT(k, n, l, wd)
	} else {
		blas64.Trsm(blas.Left, blas.Trans, 1, lower(k, l), W)
	}
	for i := range n {
		if g.y != nil {
			gy := g.y[Y.idx(i)*k:]
			for j := range k {
				gy[j] -= wd[j*n+i]
			}
		}
		if g.mu != nil {
			gm := g.mu[M.idx(i)*k:]
			for j := range k {
				gm[j] += wd[j*n+i]
			}
		}
	}
	if g.outer == nil {
		return -0.5 * q
	}
	other := wd
	if chol {
		other = zd
	}
	if small {
		// The lower triangle of Σ w zᵀ (or w wᵀ, mirrored).
		for a := range k {
			wa := wd[a*n : (a+1)*n]
			for b := 0; b <= a; b++ {
				ob := other[b*n : (b+1)*n]
				s := 0.0
				for i, v := range wa {
					s += v * ob[i]
				}
				g.outer[a*k+b] = s
				if !chol {
					g.outer[b*k+a] = s
				}
			}
		}
		return -0.5 * q
	}
	O := blas64.General{Rows: k, Cols: k, Stride: k, Data: g.outer}
	blas64.Gemm(blas.NoTrans, blas.Trans, 1, W, blas64.General{Rows: k, Cols: n, Stride: n, Data: other}, 0, O)
	if chol {
		for a := range k {
			clear(g.outer[a*k+a+1 : a*k+k])
		}
	}
	return -0.5 * q
}

// solveRowsL overwrites the row-major k×n x with L⁻¹x, row by row.
func solveRowsL(k, n int, l, x []float64) {
	for j := range k {
		xj := x[j*n : (j+1)*n]
		for p, c := range l[j*k : j*k+j] {
			if c != 0 {
				for i, v := range x[p*n : (p+1)*n] {
					xj[i] -= c * v
				}
			}
		}
		d := l[j*k+j]
		for i := range xj {
			xj[i] /= d
		}
	}
}

// solveRowsLT overwrites the row-major k×n x with L⁻ᵀx: each finished
// row j is taken out of the rows above it.
func solveRowsLT(k, n int, l, x []float64) {
	for j := k - 1; j >= 0; j-- {
		xj := x[j*n : (j+1)*n]
		d := l[j*k+j]
		for i := range xj {
			xj[i] /= d
		}
		for p, c := range l[j*k : j*k+j] {
			if c != 0 {
				xp := x[p*n : (p+1)*n]
				for i, v := range xj {
					xp[i] -= c * v
				}
			}
		}
	}
}

// MultiNormalCholeskyRng draws from multi_normal_cholesky(mu, L): mu + L z
// with z standard normal.
func MultiNormalCholeskyRng(r *rand.Rand, mu []float64, L mat.Matrix) ([]float64, error) {
	const fn = "multi_normal_cholesky_rng"
	if err := checkRngLocation(fn, mu, L, argCholesky); err != nil {
		return nil, err
	}
	return mvnDraw(r, mu, L), nil
}

// MultiNormalRng draws from multi_normal(mu, Sigma).
func MultiNormalRng(r *rand.Rand, mu []float64, Sigma mat.Matrix) ([]float64, error) {
	const fn = "multi_normal_rng"
	if err := checkRngLocation(fn, mu, Sigma, argCovariance); err != nil {
		return nil, err
	}
	L, err := rngCholesky(fn, argCovariance, Sigma)
	if err != nil {
		return nil, err
	}
	return mvnDraw(r, mu, L), nil
}

func checkRngLocation(fn string, mu []float64, S mat.Matrix, name argName) error {
	rows, cols := S.Dims()
	if rows != cols {
		n := name.String()
		return &MatrixError{fn, fmt.Sprintf("Expecting a square matrix; rows of %s (%d) and columns of %s (%d) must match in size", n, rows, n, cols)}
	}
	if len(mu) != rows {
		return &SizeError{fn, argLocation.String(), name.String(), len(mu), rows}
	}
	for i, m := range mu {
		if !isFinite(m) {
			return &DomainError{fn, argLocation.String(), i + 1, m, ruleFinite}
		}
	}
	return nil
}

// rngCholesky checks S for a rng and returns its lower Cholesky factor.
func rngCholesky(fn string, name argName, S mat.Matrix) (*mat.TriDense, error) {
	k, _ := S.Dims()
	if k == 0 {
		return &mat.TriDense{}, nil
	}
	a := make([]float64, k*k)
	for i := range k {
		for j := range k {
			a[i*k+j] = S.At(i, j)
		}
	}
	if err := checkSymmetric(fn, name, k, a); err != nil {
		return nil, err
	}
	var c mat.Cholesky
	if !c.Factorize(mat.NewSymDense(k, a)) {
		return nil, notPosDef(fn, name)
	}
	var L mat.TriDense
	c.LTo(&L)
	return &L, nil
}

// mvnDraw returns mu + L z for a standard normal z.
func mvnDraw(r *rand.Rand, mu []float64, L mat.Matrix) []float64 {
	k := len(mu)
	z := make([]float64, k)
	for i := range z {
		z[i] = r.NormFloat64()
	}
	out := make([]float64, k)
	for i := range k {
		s := mu[i]
		for j := 0; j <= i; j++ {
			s += L.At(i, j) * z[j]
		}
		out[i] = s
	}
	return out
}
