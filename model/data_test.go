package model

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadData(t *testing.T) {
	d, err := ReadData(strings.NewReader(`{
		"N": 3, "y": [1.5, -2, 3e2], "k": [1, 2, 3],
		"x": [[1, 2, 3], [4, 5, 6]], "e": [], "ee": [[], []],
		"s": ["inf", "-inf", "NaN", 1], "z": 2.0
	}`))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		dims  []int
		elems []float64
		isInt bool
	}{
		{"N", nil, []float64{3}, true},
		{"y", []int{3}, []float64{1.5, -2, 300}, false},
		{"k", []int{3}, []float64{1, 2, 3}, true},
		{"x", []int{2, 3}, []float64{1, 2, 3, 4, 5, 6}, true},
		{"e", []int{0}, nil, true},
		{"ee", []int{2, 0}, nil, true},
		{"z", nil, []float64{2}, false},
	}
	for _, c := range cases {
		v := d[c.name]
		if v == nil {
			t.Fatalf("%s missing", c.name)
		}
		if !reflect.DeepEqual(v.Dims, c.dims) || !reflect.DeepEqual(v.Elems, c.elems) || v.Int != c.isInt {
			t.Errorf("%s = %+v, want dims %v elems %v int %v", c.name, *v, c.dims, c.elems, c.isInt)
		}
	}
	s := d["s"].Elems
	if !math.IsInf(s[0], 1) || !math.IsInf(s[1], -1) || !math.IsNaN(s[2]) || s[3] != 1 || d["s"].Int {
		t.Errorf("special values: %v", s)
	}
	if got := d.Names(); !reflect.DeepEqual(got, []string{"N", "e", "ee", "k", "s", "x", "y", "z"}) {
		t.Errorf("Names() = %v", got)
	}
}

func TestReadDataErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{`{"x": [[1, 2], [3]]}`, `data variable "x[2]" has 1 elements, but "x[1]" has 2`},
		{`{"x": [[1, 2], 3]}`, `data variable "x[2]": found a number where an array of 2 elements was expected`},
		{`{"x": [1, [2]]}`, `data variable "x[2]": found an array where a number was expected`},
		{`{"y": [1, "a"]}`, `data variable "y[2]": found the string "a", but expected a number`},
		{`{"y": [[1, null]]}`, `data variable "y[1,2]": found null, but expected a number`},
		{`{"y": true}`, `data variable "y": found true, but expected a number`},
		{`{"y": {"a": 1}}`, `data variable "y": found an object`},
		{`{"y": 1,}`, `1:9: invalid JSON`},
		{"{\n\"y\": 1\n\"z\": 2}", `3:1: invalid JSON`},
		{`[1, 2]`, `data must be a JSON object, found array`},
		{``, `empty data file`},
		{`null`, `data must be a JSON object, found null`},
		{`{} {}`, `unexpected content after the data object`},
	}
	for _, c := range cases {
		_, err := ReadData(strings.NewReader(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadData(%q) error = %v, want %q", c.src, err, c.want)
		}
	}
}

func TestReadDataFileZip(t *testing.T) {
	d, err := ReadDataFile(filepath.Join("..", "testdata", "posteriordb", "data", "data", "eight_schools.json.zip"))
	if err != nil {
		t.Fatal(err)
	}
	if v := d["J"]; v == nil || !v.Int || v.Elems[0] != 8 {
		t.Fatalf("J = %+v", v)
	}
	if v := d["sigma"]; v == nil || len(v.Elems) != 8 || v.Elems[0] != 15 {
		t.Fatalf("sigma = %+v", v)
	}
	if _, err := ReadDataFile(filepath.Join(t.TempDir(), "missing.json")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}

func FuzzReadData(f *testing.F) {
	for _, s := range []string{`{"N": 3, "y": [1, 2.5, "inf"]}`, `{"x": [[1, 2], [3, 4]]}`, `{"e": [[], []]}`, `[`, `{"a": [1, [2]]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		d, err := ReadData(strings.NewReader(src))
		if err != nil {
			return
		}
		for name, v := range d {
			n := 1
			for _, k := range v.Dims {
				n *= k
			}
			if n != len(v.Elems) {
				t.Fatalf("%s: dims %v but %d elements", name, v.Dims, len(v.Elems))
			}
		}
	})
}
