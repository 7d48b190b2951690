package compile

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
	"github.com/gostan/gostan/transform"
)

// The language's *_constrain, *_jacobian and *_unconstrain functions run
// the transforms of package transform that declared constraints use. A
// _jacobian call is its _constrain call that also adds the log Jacobian
// to the log density, when the Jacobian is included (env.jacobian).
//
// The unconstraining functions compute their values with transform's
// float64 inverses; where their arguments depend on parameters, their
// derivatives come from the constraining transform itself: with x = f(y,
// b), dy = J⁺ (dx - ∂f/∂b db), J = ∂f/∂y and J⁺ its pseudo-inverse (J has
// full column rank but for unit_vector, whose radius the pseudo-inverse
// leaves alone). On a constrained value that varies within its
// constraint, as a parameter-dependent simplex does, this is the
// derivative of the inverse.

// scalarTransform is a bound or affine map applied elementwise, with one
// or two bound arguments.
type scalarTransform struct {
	bounds      int
	constrain   func(t *ad.Tape, y ad.Var, b [2]ad.Var, lj *ad.Var) (ad.Var, error)
	unconstrain func(x float64, b [2]float64) (float64, error)
}

var scalarTransforms = map[string]scalarTransform{
	"lower_bound": {1,
		func(t *ad.Tape, y ad.Var, b [2]ad.Var, lj *ad.Var) (ad.Var, error) {
			return transform.Lower(t, y, b[0], lj), nil
		},
		func(x float64, b [2]float64) (float64, error) { return transform.UnconstrainLower(x, b[0]) }},
	"upper_bound": {1,
		func(t *ad.Tape, y ad.Var, b [2]ad.Var, lj *ad.Var) (ad.Var, error) {
			return transform.Upper(t, y, b[0], lj), nil
		},
		func(x float64, b [2]float64) (float64, error) { return transform.UnconstrainUpper(x, b[0]) }},
	"lower_upper_bound": {2,
		func(t *ad.Tape, y ad.Var, b [2]ad.Var, lj *ad.Var) (ad.Var, error) {
			return transform.LowerUpper(t, y, b[0], b[1], lj)
		},
		func(x float64, b [2]float64) (float64, error) { return transform.UnconstrainLowerUpper(x, b[0], b[1]) }},
	"offset_multiplier": {2,
		func(t *ad.Tape, y ad.Var, b [2]ad.Var, lj *ad.Var) (ad.Var, error) {
			return transform.OffsetMultiplier(t, y, b[0], b[1], lj)
		},
		func(x float64, b [2]float64) (float64, error) {
			return transform.UnconstrainOffsetMultiplier(x, b[0], b[1])
		}},
}

// structuredShapes gives, for each structured constraint, the constrained
// dims of a function's unconstrained argument (dims yd, int arguments k)
// and the unconstrained dims of a constrained value (dims xd), appended to
// dst.
var structuredShapes = map[string]struct {
	constrained   func(dst, yd []int, k [2]int) []int
	unconstrained func(dst []int, st *transform.Structured, xd []int) []int
}{
	"ordered":              {keepDims, sameFree},
	"positive_ordered":     {keepDims, sameFree},
	"unit_vector":          {keepDims, sameFree},
	"simplex":              {func(dst, yd []int, _ [2]int) []int { return append(dst, yd[0]+1) }, flatFree},
	"cholesky_factor_corr": {func(dst, _ []int, k [2]int) []int { return append(dst, k[0], k[0]) }, flatFree},
	"corr_matrix":          {func(dst, _ []int, k [2]int) []int { return append(dst, k[0], k[0]) }, flatFree},
	"cov_matrix":           {func(dst, _ []int, k [2]int) []int { return append(dst, k[0], k[0]) }, flatFree},
	"cholesky_factor_cov":  {func(dst, _ []int, k [2]int) []int { return append(dst, k[0], k[1]) }, flatFree},
	"sum_to_zero_vector": {func(dst, yd []int, _ [2]int) []int { return append(dst, yd[0]+1) },
		func(dst []int, _ *transform.Structured, xd []int) []int { return append(dst, max(xd[0]-1, 0)) }},
	"sum_to_zero_matrix": {func(dst, yd []int, _ [2]int) []int { return append(dst, yd[0]+1, yd[1]+1) },
		func(dst []int, _ *transform.Structured, xd []int) []int {
			return append(dst, max(xd[0]-1, 0), max(xd[1]-1, 0))
		}},
	"column_stochastic_matrix": {func(dst, yd []int, _ [2]int) []int { return append(dst, yd[0]+1, yd[1]) },
		func(dst []int, _ *transform.Structured, xd []int) []int { return append(dst, max(xd[0]-1, 0), xd[1]) }},
	"row_stochastic_matrix": {func(dst, yd []int, _ [2]int) []int { return append(dst, yd[0], yd[1]+1) },
		func(dst []int, _ *transform.Structured, xd []int) []int { return append(dst, xd[0], max(xd[1]-1, 0)) }},
}

// functionNames are the language's names of the transforms whose type
// names differ; sum_to_zero serves vectors and matrices.
var functionNames = map[string]string{
	"sum_to_zero_vector": "sum_to_zero", "sum_to_zero_matrix": "sum_to_zero",
	"column_stochastic_matrix": "stochastic_column", "row_stochastic_matrix": "stochastic_row",
}

func keepDims(dst, yd []int, _ [2]int) []int                       { return append(dst, yd...) }
func sameFree(dst []int, _ *transform.Structured, xd []int) []int  { return append(dst, xd...) }
func flatFree(dst []int, st *transform.Structured, xd []int) []int { return append(dst, st.Size(xd)) }

// square are the constraints of square matrices.
var square = map[string]bool{"cholesky_factor_corr": true, "corr_matrix": true, "cov_matrix": true}

// transformWork is a call site's per-model state: the log-Jacobian
// accumulator and, for the derivatives of the inverses, a scratch tape
// and buffers.
type transformWork struct {
	lj      ad.Var
	scratch *ad.Tape
	x, y    []float64
	yv, xv  []ad.Var
	dims    []int
	shape   []int // one value's dims
}

// outDims returns the dims of an array (arr) of values of dims base, in
// w's buffer.
func (w *transformWork) outDims(arr, base []int) []int {
	w.dims = append(append(w.dims[:0], arr...), base...)
	return w.dims
}

// addTransformFuncs defines the transform functions of the library.
func (l *library) addTransformFuncs() {
	for name, f := range transformFuncs() {
		l.fn(name, f)
	}
}

// transformFuncs are the transform functions by name.
func transformFuncs() map[string]builtin {
	m := map[string]builtin{}
	for name, st := range scalarTransforms {
		m[name+"_constrain"] = scalarConstrain(name+"_constrain", st, false)
		m[name+"_jacobian"] = scalarConstrain(name+"_jacobian", st, true)
		m[name+"_unconstrain"] = scalarUnconstrain(name+"_unconstrain", st)
	}
	byKind := map[string]map[types.Kind]builtin{}
	for typeName, sh := range structuredShapes {
		st := transform.LookupFunction(typeName)
		name := typeName
		if n, ok := functionNames[typeName]; ok {
			name = n
		}
		kind := types.Vector
		if st.Matrix {
			kind = types.Matrix
		}
		for suffix, b := range map[string]builtin{
			"_constrain":   structuredConstrain(name+"_constrain", st, sh.constrained, false),
			"_jacobian":    structuredConstrain(name+"_jacobian", st, sh.constrained, true),
			"_unconstrain": structuredUnconstrain(name+"_unconstrain", st, sh.unconstrained),
		} {
			if byKind[name+suffix] == nil {
				byKind[name+suffix] = map[types.Kind]builtin{}
			}
			byKind[name+suffix][kind] = b
		}
	}
	// Only sum_to_zero has two: of a vector and of a matrix, told apart by
	// the argument, as the constrained value's kind.
	for name, bs := range byKind {
		if len(bs) == 1 {
			for _, b := range bs {
				m[name] = b
			}
			continue
		}
		m[name] = func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
			b, ok := bs[a[0].t.Kind]
			if !ok {
				return cexpr{}, fmt.Errorf("%s of %v is not a transform", name, a[0].t)
			}
			return b(c, a, t, pos)
		}
	}
	return m
}

// accumulator returns where a call adds its log Jacobian, nil when it
// adds none.
func (w *transformWork) accumulator(e *env, jac bool) *ad.Var {
	if !jac || !e.jacobian {
		return nil
	}
	w.lj = ad.Var{}
	return &w.lj
}

// transformFail stops the evaluation with a transform's error under the
// language function's name.
func transformFail(pos token.Position, name string, err error) {
	var te *transform.Error
	if errors.As(err, &te) {
		fail(pos, "%s: %s", name, te.Msg)
	}
	fail(pos, "%s: %v", name, err)
}

// boundArg reads one bound argument: a scalar for every element, or a
// container of the first argument's shape.
type boundArg struct {
	r func(*env) ad.Var
	v func(*env) *value
}

func boundArgs(a []cexpr) (bs [2]boundArg) {
	for i, x := range a {
		if x.v == nil {
			bs[i].r = x.real()
		} else {
			bs[i].v = x.val(true)
		}
	}
	return bs
}

// boundVals evaluates the bounds; a container's elements are read per
// element by boundAt2.
func boundVals(e *env, bs [2]boundArg, n int, want int, pos token.Position, name string) (sc [2]ad.Var, vs [2]*value) {
	for i := range n {
		if bs[i].r != nil {
			sc[i] = bs[i].r(e)
			continue
		}
		vs[i] = bs[i].v(e)
		if len(vs[i].R) != want {
			fail(pos, "%s: the bound has %d elements, but the value has %d", name, len(vs[i].R), want)
		}
	}
	return sc, vs
}

func boundAt2(sc [2]ad.Var, vs [2]*value, n, k int) (b [2]ad.Var) {
	for i := range n {
		if vs[i] != nil {
			b[i] = vs[i].R[k]
		} else {
			b[i] = sc[i]
		}
	}
	return b
}

func scalarConstrain(name string, st scalarTransform, jac bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		ws := newState(c, func() *transformWork { return &transformWork{} })
		bs := boundArgs(a[1:])
		if a[0].v == nil {
			y := a[0].real()
			return cexpr{t: t, r: func(e *env) ad.Var {
				w := ws.of(e)
				b, _ := boundVals(e, bs, st.bounds, 1, pos, name)
				lj := w.accumulator(e, jac)
				x, err := st.constrain(e.t, y(e), b, lj)
				if err != nil {
					transformFail(pos, name, err)
				}
				if lj != nil {
					e.addTarget(&pos, *lj)
				}
				return x
			}}, nil
		}
		y := a[0].val(true)
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			w := ws.of(e)
			u := y(e)
			sc, vs := boundVals(e, bs, st.bounds, len(u.R), pos, name)
			out := buf.of(e)
			out.shape(u.Dims, false)
			lj := w.accumulator(e, jac)
			for k, yk := range u.R {
				x, err := st.constrain(e.t, yk, boundAt2(sc, vs, st.bounds, k), lj)
				if err != nil {
					transformFail(pos, name, err)
				}
				out.R[k] = x
			}
			if lj != nil {
				e.addTarget(&pos, *lj)
			}
			return out
		}}, nil
	}
}

func scalarUnconstrain(name string, st scalarTransform) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		ws := newState(c, func() *transformWork { return &transformWork{} })
		bs := boundArgs(a[1:])
		if a[0].v == nil {
			x := a[0].real()
			return cexpr{t: t, r: func(e *env) ad.Var {
				b, _ := boundVals(e, bs, st.bounds, 1, pos, name)
				return ws.of(e).scalarInverse(e, st, x(e), b, pos, name)
			}}, nil
		}
		x := a[0].val(true)
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			w := ws.of(e)
			u := x(e)
			sc, vs := boundVals(e, bs, st.bounds, len(u.R), pos, name)
			out := buf.of(e)
			out.shape(u.Dims, false)
			for k, xk := range u.R {
				out.R[k] = w.scalarInverse(e, st, xk, boundAt2(sc, vs, st.bounds, k), pos, name)
			}
			return out
		}}, nil
	}
}

// scalarInverse returns y with f(y, b) = x, and its partials in x and b
// from those of f.
func (w *transformWork) scalarInverse(e *env, st scalarTransform, x ad.Var, b [2]ad.Var, pos token.Position, name string) ad.Var {
	var bf [2]float64
	isConst := x.IsConst()
	for i := range st.bounds {
		bf[i] = b[i].Val
		isConst = isConst && b[i].IsConst()
	}
	y, err := st.unconstrain(x.Val, bf)
	if err != nil {
		transformFail(pos, name, err)
	}
	if isConst {
		return ad.Const(y)
	}
	s := w.tape()
	yv := s.Var(y)
	var bv [2]ad.Var
	for i := range st.bounds {
		bv[i] = s.Var(bf[i])
	}
	fx, err := st.constrain(s, yv, bv, nil)
	if err != nil {
		transformFail(pos, name, err)
	}
	s.Grad(fx)
	fy := s.Adjoint(yv)
	bld := e.t.Begin()
	bld.Add(x, 1/fy)
	for i := range st.bounds {
		bld.Add(b[i], -s.Adjoint(bv[i])/fy)
	}
	return bld.End(y)
}

// tape returns the call site's scratch tape, reset.
func (w *transformWork) tape() *ad.Tape {
	if w.scratch == nil {
		w.scratch = ad.NewTape()
	}
	w.scratch.Reset()
	return w.scratch
}

// baseDims is the number of trailing dims of one vector or matrix.
func baseDims(k types.Kind) int {
	if k == types.Matrix {
		return 2
	}
	return 1
}

func structuredConstrain(name string, st *transform.Structured, shape func(dst, yd []int, k [2]int) []int, jac bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		ws := newState(c, func() *transformWork { return &transformWork{} })
		y := a[0].val(true)
		nb := baseDims(a[0].t.Kind)
		var ints [2]func(*env) int
		for i, x := range a[1:] {
			ints[i] = x.i
		}
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			w := ws.of(e)
			u := y(e)
			arr, yd := u.Dims[:len(u.Dims)-nb], u.Dims[len(u.Dims)-nb:]
			var k [2]int
			for i, f := range ints {
				if f != nil {
					if k[i] = f(e); k[i] < 0 {
						fail(pos, "%s: size %d is negative", name, k[i])
					}
				}
			}
			w.shape = shape(w.shape[:0], yd, k)
			xd := w.shape
			if n := st.Size(xd); n != size(yd) {
				fail(pos, "%s: the unconstrained value has %d elements, but a %s of dimensions %v needs %d", name, size(yd), st.Name, xd, n)
			}
			out := buf.of(e)
			out.shape(w.outDims(arr, xd), false)
			ny, nx := size(yd), size(xd)
			lj := w.accumulator(e, jac)
			for b := range size(arr) {
				if err := st.Constrain(e.t, u.R[b*ny:(b+1)*ny], out.R[b*nx:(b+1)*nx], xd, lj); err != nil {
					transformFail(pos, name, err)
				}
			}
			if lj != nil {
				e.addTarget(&pos, *lj)
			}
			return out
		}}, nil
	}
}

func structuredUnconstrain(name string, st *transform.Structured, free func([]int, *transform.Structured, []int) []int) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		ws := newState(c, func() *transformWork { return &transformWork{} })
		x := a[0].val(true)
		nb := baseDims(a[0].t.Kind)
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			w := ws.of(e)
			u := x(e)
			arr, xd := u.Dims[:len(u.Dims)-nb], u.Dims[len(u.Dims)-nb:]
			if square[st.Name] && xd[0] != xd[1] {
				fail(pos, "%s: a %s must be square, but is %d×%d", name, st.Name, xd[0], xd[1])
			}
			if st.Name == "cholesky_factor_cov" && xd[0] < xd[1] {
				fail(pos, "%s: a cholesky_factor_cov must have at least as many rows as columns, but is %d×%d", name, xd[0], xd[1])
			}
			w.shape = free(w.shape[:0], st, xd)
			yd := w.shape
			out := buf.of(e)
			out.shape(w.outDims(arr, yd), false)
			ny, nx := size(yd), size(xd)
			for b := range size(arr) {
				if err := w.structuredInverse(e, st, u.R[b*nx:(b+1)*nx], xd, out.R[b*ny:(b+1)*ny]); err != nil {
					transformFail(pos, name, err)
				}
			}
			return out
		}}, nil
	}
}

// structuredInverse writes to y the unconstrained values of the
// constrained value x (dims xd), with the derivatives of the inverse where
// x holds tape variables.
func (w *transformWork) structuredInverse(e *env, st *transform.Structured, x []ad.Var, xd []int, y []ad.Var) error {
	nx, ny := len(x), len(y)
	w.x = grow(w.x, nx)
	w.y = grow(w.y, ny)
	isConst := true
	for i, v := range x {
		w.x[i] = v.Val
		isConst = isConst && v.IsConst()
	}
	if err := st.Unconstrain(w.x, xd, w.y); err != nil {
		return err
	}
	if isConst || ny == 0 {
		for j := range y {
			y[j] = ad.Const(w.y[j])
		}
		return nil
	}
	// J = ∂f/∂y, row by row on the scratch tape.
	s := w.tape()
	if cap(w.yv) < ny {
		w.yv = make([]ad.Var, ny)
	}
	if cap(w.xv) < nx {
		w.xv = make([]ad.Var, nx)
	}
	yv, xv := w.yv[:ny], w.xv[:nx]
	for j := range yv {
		yv[j] = s.Var(w.y[j])
	}
	if err := st.Constrain(s, yv, xv, xd, nil); err != nil {
		return err
	}
	jm := mat.NewDense(nx, ny, nil)
	for i, xi := range xv {
		s.Grad(xi)
		for j := range yv {
			jm.Set(i, j, s.Adjoint(yv[j]))
		}
	}
	pinv, err := pseudoInverse(jm)
	if err != nil {
		return fmt.Errorf("the derivative of the inverse transform: %v", err)
	}
	for j := range y {
		b := e.t.Begin()
		for i, xi := range x {
			if d := pinv.At(j, i); d != 0 {
				b.Add(xi, d)
			}
		}
		y[j] = b.End(w.y[j])
	}
	return nil
}

// pseudoInverse returns the Moore-Penrose inverse of a, dropping singular
// values below a relative 1e-10.
func pseudoInverse(a *mat.Dense) (*mat.Dense, error) {
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDThin) {
		return nil, errors.New("singular value decomposition failed")
	}
	s := svd.Values(nil)
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	r, c := a.Dims()
	p := mat.NewDense(c, r, nil)
	tol := 0.0
	if len(s) > 0 {
		tol = 1e-10 * s[0]
	}
	for k, sk := range s {
		if !(sk > tol) || math.IsInf(sk, 0) {
			continue
		}
		for i := range c {
			for j := range r {
				p.Set(i, j, p.At(i, j)+v.At(i, k)*u.At(j, k)/sk)
			}
		}
	}
	return p, nil
}
