package model

import (
	"bytes"
	"math"
	"slices"
	"testing"
)

// TestWriteJSONRoundTrip: what WriteJSON writes, ReadData reads back as
// the same data: sizes, integers, non-finite values, empty arrays.
func TestWriteJSONRoundTrip(t *testing.T) {
	d := Data{
		"N":     {Elems: []float64{3}, Int: true},
		"x":     {Dims: []int{2, 3}, Elems: []float64{1, 2.5, -3, math.Inf(1), math.NaN(), 1e-300}},
		"k":     {Dims: []int{2}, Elems: []float64{4, -7}, Int: true},
		"empty": {Dims: []int{2, 0}, Elems: []float64{}, Int: true}, // empty: integers vacuously
	}
	var buf bytes.Buffer
	if err := d.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := ReadData(&buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
	for name, v := range d {
		g := got[name]
		if g == nil || !slices.Equal(g.Dims, v.Dims) || g.Int != v.Int || !slices.EqualFunc(g.Elems, v.Elems, same) {
			t.Errorf("%s: read back %+v, wrote %+v", name, g, v)
		}
	}
}
