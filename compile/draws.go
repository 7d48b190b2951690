package compile

import (
	"fmt"

	"github.com/gostan/gostan/model"
)

// GQNames are the output columns of the generated quantities: the last
// columns of Names. A program without generated quantities has none.
func (m *Model) GQNames() []string {
	n := 0
	for _, o := range m.outputs[:len(m.layouts)+m.p.nTPOut] {
		n += len(o.order)
	}
	return m.names[n:]
}

// ParamData turns a draw's parameter columns, in Stan's output order (the
// first index fastest) as ParamNames lists them, into the model.Data that
// Unconstrain reads (row-major, the last index fastest), so that a draw
// read back from a Stan CSV file can be mapped to the unconstrained space.
func (m *Model) ParamData(cols []float64) (model.Data, error) {
	want := len(m.ParamNames())
	if len(cols) != want {
		return nil, fmt.Errorf("%d parameter values, but the model has %d parameter columns", len(cols), want)
	}
	return layoutData(m.layouts, cols), nil
}

// layoutData turns the columns of the variables laid out by layouts, in
// Stan's column order (first index fastest), into data.
func layoutData(layouts []*layout, cols []float64) model.Data {
	d := model.Data{}
	k := 0
	start := 0 // the first column of the tuple whose leaves these are
	for i, l := range layouts {
		if l.tupleCols != nil {
			// A leaf of a tuple parameter: its values are among the
			// tuple's columns, which its first leaf's place starts.
			if l.p.tuple != nil {
				start = k
				for _, lt := range layouts[i : i+len(l.p.tuple.leaves())] {
					k += len(lt.tupleCols)
				}
			}
			dims := append([]int(nil), l.dims...)
			elems := make([]float64, len(l.tupleCols))
			for i, col := range l.tupleCols {
				elems[i] = cols[start+col]
			}
			if width(l.p.v.Type) == 2 {
				dims = append(dims, 2)
			}
			d[l.p.name] = &model.Value{Dims: dims, Elems: elems, TupleLevels: l.p.levels}
			continue
		}
		dims := append([]int(nil), l.dims...)
		n := size(dims)
		w := width(l.p.v.Type) // 2 for complex: the real, then the imaginary part
		elems := make([]float64, w*n)
		idx := make([]int, len(dims))
		for range n {
			// idx runs first index fastest; its row-major offset is where
			// the value goes.
			off := 0
			for i, x := range idx {
				off = off*dims[i] + x
			}
			copy(elems[w*off:w*off+w], cols[k:k+w])
			k += w
			for i := range idx {
				idx[i]++
				if idx[i] < dims[i] {
					break
				}
				idx[i] = 0
			}
		}
		if w == 2 {
			dims = append(dims, 2) // Stan JSON gives a complex as [re, im]
		}
		d[l.p.name] = &model.Value{Dims: dims, Elems: elems}
	}
	return d
}
