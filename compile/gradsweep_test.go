package compile

import (
	"fmt"
	"math"
	"strings"

	"github.com/gostan/gostan/stan/types"
)

// gradProgram writes a program whose log density is a weighted sum of the
// values of a call of sig of name with parameter arguments (walkCall), so
// that the gradient of every value is checked, each with its own weight.
// It returns "" when the call's value carries no gradient: an int, a
// tuple, nothing, or a draw.
func gradProgram(name string, sig types.Signature, form string) string {
	r := sig.Ret
	if r.Kind == types.Int || r.Kind == types.Void || r.Kind == types.Tuple || strings.HasSuffix(name, "_rng") {
		return ""
	}
	data, pars, call := walkCall(name, sig, true, form)
	if pars == "" {
		return ""
	}
	if strings.HasSuffix(name, "_jacobian") {
		// A _jacobian function belongs in transformed parameters; its
		// increment of the Jacobian is part of the density too.
		return fmt.Sprintf("data {\n%s}\nparameters {\n%s}\ntransformed parameters {\n  real s = 0;\n  {\n    int k = 0;\n%s  }\n}\nmodel {\n  target += s;\n}\n",
			data, pars, weightedSum(r, call))
	}
	if r.Kind == types.Real && r.Dims == 0 {
		// Directly, as the unnormalised densities may only be used.
		return fmt.Sprintf("data {\n%s}\nparameters {\n%s}\nmodel {\n  target += %s;\n}\n", data, pars, call)
	}
	return fmt.Sprintf("data {\n%s}\nparameters {\n%s}\nmodel {\n  real s = 0;\n  int k = 0;\n%s  target += s;\n}\n",
		data, pars, weightedSum(r, call))
}

// weightedSum writes statements adding to s the values of x, of type t,
// the k-th weighted by 1 + 0.37 k (counting with int k), the imaginary
// parts of complex values with weights of their own.
func weightedSum(t types.Type, x string) string {
	switch t.Kind {
	case types.Complex, types.ComplexVector, types.ComplexRowVector, types.ComplexMatrix:
		if t.Dims > 0 {
			// get_real and get_imag take arrays of fewer dimensions
			// than to_complex makes.
			e := fmt.Sprintf("c%d", t.Dims)
			return fmt.Sprintf("for (%s in %s) {\n%s}\n", e, x, weightedSum(types.Type{Kind: t.Kind, Dims: t.Dims - 1}, e))
		}
		re := types.Type{Kind: types.Real}
		switch t.Kind {
		case types.ComplexVector:
			re.Kind = types.Vector
		case types.ComplexRowVector:
			re.Kind = types.RowVector
		case types.ComplexMatrix:
			re.Kind = types.Matrix
		}
		return weightedSum(re, "get_real("+x+")") + weightedSum(re, "get_imag("+x+")")
	}
	depth := t.Dims
	if t.Kind != types.Real {
		depth++
	}
	var b strings.Builder
	elem := x
	for d := 1; d <= depth; d++ {
		fmt.Fprintf(&b, "for (e%d in %s) ", d, elem)
		elem = fmt.Sprintf("e%d", d)
	}
	fmt.Fprintf(&b, "{ k += 1; s += (1 + 0.37 * k) * %s; }\n", elem)
	return b.String()
}

// gradPoint is the k-th point of the sweep in m's coordinates: the smoke
// point (smokeEval), which has zeros and negative values, then points of
// distinct values in (0.3, 0.9) and in (1.2, 2.2), away from the kinks of
// the functions that have them (0, the integers, ties between
// arguments), then the last with its matrices (2×2, walkCall's) made
// symmetric positive definite, for the functions that take only those,
// then lower triangular, for those that take Cholesky factors. (At the
// symmetric point the differences in the off-diagonal elements, which
// break the symmetry, fail and are skipped: the diagonal is checked.)
func gradPoint(m *Model, k int) []float64 {
	x := gradValues(min(k, 2), m.Dim())
	if k >= 3 {
		for _, l := range m.layouts {
			if l.p.v.Type.Kind != types.Matrix {
				continue
			}
			for j := 0; j+4 <= l.n; j += 4 {
				b := x[l.off+j:]
				b[0], b[1], b[2], b[3] = 1.3+0.1*float64(j), 0.3, 0.3, 0.9+0.05*float64(j)
				if k == 4 {
					b[2] = 0
				}
			}
		}
	}
	return x
}

// gradValues are the values of gradPoint's first three points.
func gradValues(k, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		f := math.Mod(0.6180339887*float64(i+1), 1)
		switch k {
		case 0:
			x[i] = 0.1 * float64(i%7-2)
		case 1:
			x[i] = 0.3 + 0.6*f
		default:
			x[i] = 1.2 + f
		}
	}
	return x
}

// The sweep's work per program, at most: gradCoords coordinates at
// gradMaxPoints points, in programs of at most gradMaxDim coordinates.
// A call's arguments may be arrays of up to eight dimensions, hundreds of
// coordinates; those of more than two run the code of their elements,
// which the smaller arrays check.
const (
	gradCoords    = 4
	gradMaxPoints = 2
	gradMaxDim    = 64
)

// fdCheck compares the gradient of p's log density, with data as smokeRun
// binds, with central finite differences at the points of gradPoint where
// the density is finite, skipping the smoke point when kinks is set (the
// function is not differentiable at 0 or at ties). It reports how many
// points it checked and the first mismatch. A mismatch at step 1e-6
// (relative) is confirmed at step 1e-4 before it is reported, and
// coordinates where the two quotients disagree with each other (a kink
// between the steps) are skipped.
func fdCheck(p *Program, kinks bool) (checked int, bug error) {
	defer func() {
		if r := recover(); r != nil {
			bug = fmt.Errorf("panics: %v", r)
		}
	}()
	data, ok := smokeData(p)
	if !ok {
		return 0, nil
	}
	m, err := p.NewModel(data, 1)
	if err != nil {
		return 0, nil
	}
	n := m.Dim()
	if n == 0 || n > gradMaxDim {
		return 0, nil
	}
	grad := make([]float64, n)
	for k := range 5 {
		if k == 0 && kinks || checked == gradMaxPoints {
			continue
		}
		x := gradPoint(m, k)
		lp, err := m.LogDensity(x, grad)
		if err != nil || math.IsInf(lp, 0) || math.IsNaN(lp) {
			continue
		}
		g := append([]float64(nil), grad...)
		checked++
		for c := range min(n, gradCoords) {
			i := c
			if n > gradCoords {
				i = c * (n - 1) / (gradCoords - 1)
			}
			scale := math.Max(1, math.Abs(x[i]))
			// A NaN or infinite gradient fails wherever the quotients are
			// finite; rounding in lp limits their accuracy.
			gs := math.Abs(g[i])
			if math.IsInf(gs, 0) || math.IsNaN(gs) {
				gs = 0
			}
			tol := func(h, fd float64) float64 {
				return 1e-5*math.Max(1, math.Max(math.Abs(fd), gs)) + 100*math.Abs(lp)*0x1p-52/h
			}
			h1 := 1e-6 * scale
			fd1, err := centralDiffStep(m, x, i, h1)
			if err != nil || math.IsNaN(fd1) || math.IsInf(fd1, 0) || math.Abs(fd1-g[i]) <= tol(h1, fd1) {
				continue
			}
			h2 := 1e-4 * scale
			fd2, err := centralDiffStep(m, x, i, h2)
			if err != nil || math.IsNaN(fd2) || math.IsInf(fd2, 0) || math.Abs(fd2-g[i]) <= tol(h2, fd2) {
				continue
			}
			if math.Abs(fd1-fd2) > 1e-3*math.Max(1, math.Abs(fd1)) {
				continue // not smooth between the steps
			}
			return checked, fmt.Errorf("at %v, d lp / d x[%d] = %v, finite differences %v (h %g), %v (h %g)", x, i, g[i], fd1, h1, fd2, h2)
		}
	}
	return checked, nil
}

// kinkAtZero lists the functions that are not differentiable at 0 or where
// arguments tie, both of which the smoke point has; the sweep checks them
// at its other points only.
var kinkAtZero = map[string]bool{
	// Ties between arguments.
	"fmin": true, "fmax": true, "fdim": true,
	// Infinite or undefined derivatives at the origin, as in Stan.
	"cbrt": true, "hypot": true, "atan2": true,
	// A zero leaves the sparse structure: the values jump.
	"csr_extract_w": true,
	// A zero makes the smoke point's 2×2 matrix triangular, where the
	// order of the eigenvalues LAPACK returns jumps.
	"eigenvalues": true, "eigenvectors": true,
}
