package compile

import (
	"strconv"
	"strings"

	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/types"
)

// Values as print, reject and fatal_error write them: Stan Math's
// stan_print, which writes a scalar as a C++ stream does by default (six
// significant digits, %g style), a complex number as (re,im), a vector,
// row vector or array as [a,b,...], a matrix row by row as
// [[a,b],[c,d]], a tuple as (a,b), nesting as the type does, with no
// spaces.

// writeComplex writes re + i im as a C++ stream writes a std::complex.
func writeComplex(b *strings.Builder, re, im float64) {
	b.WriteByte('(')
	b.WriteString(model.FormatReal(re))
	b.WriteByte(',')
	b.WriteString(model.FormatReal(im))
	b.WriteByte(')')
}

// writeValue writes v, of type t.
func writeValue(b *strings.Builder, v *value, t types.Type) {
	if t.Dims > 0 {
		n := v.Dims[0]
		var el value
		b.WriteByte('[')
		for k := range n {
			if k > 0 {
				b.WriteByte(',')
			}
			elementOf(&el, v, t, k, n)
			writeValue(b, &el, t.Elem())
		}
		b.WriteByte(']')
		return
	}
	// elem writes element k of a real or complex container's storage.
	elem := func(k int) {
		if isComplex(t.Kind) {
			writeComplex(b, v.R[2*k].Val, v.R[2*k+1].Val)
		} else {
			b.WriteString(model.FormatReal(v.R[k].Val))
		}
	}
	switch t.Kind {
	case types.Tuple:
		b.WriteByte('(')
		for j, mt := range t.Members() {
			if j > 0 {
				b.WriteByte(',')
			}
			writeValue(b, &v.T[j], mt)
		}
		b.WriteByte(')')
	case types.Int:
		if len(v.I) == 0 { // an int some function returns stored as a real
			b.WriteString(strconv.FormatFloat(v.R[0].Val, 'f', -1, 64))
			break
		}
		b.WriteString(strconv.Itoa(v.I[0]))
	case types.Real, types.Complex:
		elem(0)
	case types.Matrix, types.ComplexMatrix:
		r, c := v.Dims[0], v.Dims[1]
		b.WriteByte('[')
		for i := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('[')
			for j := range c {
				if j > 0 {
					b.WriteByte(',')
				}
				elem(i + j*r)
			}
			b.WriteByte(']')
		}
		b.WriteByte(']')
	default: // vectors and row vectors
		b.WriteByte('[')
		for k := range v.Dims[0] {
			if k > 0 {
				b.WriteByte(',')
			}
			elem(k)
		}
		b.WriteByte(']')
	}
}

// elementOf makes dst a view of element k of the n of the array v, of
// type t: an int array's ints, unless a function stored them as reals.
func elementOf(dst, v *value, t types.Type, k, n int) {
	if t.Kind == types.Tuple {
		viewInto(dst, v, 1, k, n)
		return
	}
	dst.Dims = append(dst.Dims[:0], v.Dims[1:]...)
	if t.Kind == types.Int && len(v.I) > 0 {
		blk := len(v.I) / n
		dst.I, dst.R = v.I[k*blk:(k+1)*blk], nil
		return
	}
	blk := len(v.R) / n
	dst.R, dst.I = v.R[k*blk:(k+1)*blk], nil
}
