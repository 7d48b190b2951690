package model

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
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

// TestWriteJSONTuples: tuples, arrays of tuples and nested ones are
// written back as CmdStan's objects with keys "1", "2", ..., the same
// JSON that was read.
func TestWriteJSONTuples(t *testing.T) {
	src := `{
  "a": {"1": 1, "2": [2.5, 3]},
  "b": [{"1": [1, 2], "2": {"1": 0.5, "2": [[1, 2], [3, 4]]}}, {"1": [3, 4], "2": {"1": 1.5, "2": [[5, 6], [7, 8]]}}],
  "c": [[{"1": 1, "2": [{"1": 2, "2": 3}, {"1": 4, "2": 5}]}], [{"1": 6, "2": [{"1": 7, "2": 8}, {"1": 9, "2": 10}]}]],
  "d": [[1, 2], [3, 4]],
  "e": {"1": [{"1": 1, "2": 2}, {"1": 3, "2": 4}], "2": "Inf"}
}`
	d, err := ReadData(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if l := d["c:2:1"].TupleLevels; !slices.Equal(l, []int{2, 3}) {
		t.Errorf("c:2:1 levels %v, want [2 3]", l)
	}
	var buf bytes.Buffer
	if err := d.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var want, got any
	if err := json.Unmarshal([]byte(src), &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("wrote\n%s\nwant the JSON read:\n%s", buf.String(), src)
	}
}
