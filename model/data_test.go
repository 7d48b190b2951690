package model

import (
	"errors"
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
		{`{"y": {"a": 1}}`, `data variable "y" is a tuple, whose keys must be "1", "2", ..., found "a"`},
		{`{"y": [{"1": 1}, 2]}`, `data variable "y[2]": found a number where a tuple`},
		{`{"y": [{"1": 1, "2": 2}, {"1": 3}]}`, `data variable "y[2]" has 1 tuple member(s), but "y[1]" has 2`},
		{`{"y": [{"1": 1, "2": 2}, {"1": 3, "3": 4}]}`, `data variable "y[2]" is a tuple without the member "2"`},
		{`{"y": [{"1": 1}, {"1": 3, "2": 4}]}`, `data variable "y[2]" has 2 tuple member(s), but "y[1]" has 1`},
		{`{"y": 1,}`, `1:9: invalid JSON`},
		{"{\n\"y\": 1\n\"z\": 2}", `3:1: invalid JSON`},
		{`[1, 2]`, `data must be a JSON object, found array`},
		{``, `empty data file`},
		{`null`, `data must be a JSON object, found null`},
		{`{} {}`, `unexpected content after the data object`},
		// Truncated: the position is the end of the file.
		{`{"y": [1, 2`, `1:12: invalid JSON: the file ends before the data object does`},
		{"{\n\"y\": [1,\n", `3:1: invalid JSON: the file ends`},
		// Positions after bare non-finite words count the file's bytes.
		{`{"a": NaN, "b": -Infinity, "c": 1,}`, `1:35: invalid JSON`},
		{`{"a": NaNa}`, `1:7: invalid JSON`},
		{"\x00\x01\xff", `1:1: invalid JSON: invalid character '\x00'`},
		// R dump data is read as such; its errors say so.
		{"N <- 3\ny <- c(1, 2\n", `3:1: invalid R dump data: expected ) (in y)`},
		{"y = structure(c(1, 2), .Dim = c(3))", `1:31: invalid R dump data: .Dim [3] does not hold the 2 values (in y)`},
	}
	for _, c := range cases {
		_, err := ReadData(strings.NewReader(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadData(%q) error = %v, want %q", c.src, err, c.want)
		}
	}
}

// TestReadDataBareNonFinite: CmdStan's JSON reader takes the bare words
// NaN, Inf, Infinity, -Inf and -Infinity as numbers; inside strings they
// stay text.
func TestReadDataBareNonFinite(t *testing.T) {
	d, err := ReadData(strings.NewReader(`{"x": [NaN, Infinity, -Infinity, Inf, -Inf, 1], "NaN": -Inf,` +
		"\n" + `"s\"NaN": [2, 3], "z":Infinity}`))
	if err != nil {
		t.Fatal(err)
	}
	x := d["x"].Elems
	if !math.IsNaN(x[0]) || !math.IsInf(x[1], 1) || !math.IsInf(x[2], -1) || !math.IsInf(x[3], 1) || !math.IsInf(x[4], -1) || x[5] != 1 || d["x"].Int {
		t.Errorf("x = %v", x)
	}
	if v := d["NaN"]; v == nil || !math.IsInf(v.Elems[0], -1) {
		t.Errorf("NaN = %+v", v)
	}
	// Not a Stan name, so skipped; read at all, it shows the quoted NaN
	// inside the name was left alone.
	if v, ok := d[`s"NaN`]; ok {
		t.Errorf(`s"NaN = %+v, want it skipped`, v)
	}
	if v := d["z"]; v == nil || !math.IsInf(v.Elems[0], 1) {
		t.Errorf("z = %+v", v)
	}
}

// TestReadDataCmdStanForms: the spellings of the non-finite reals
// CmdStan's reader takes (stan/io/json/json_data_handler.hpp: "Inf",
// "Infinity", "-Inf", "-Infinity", "NaN") and the Guide's "+inf" and
// "-inf" are read; others are refused naming the variable. Members
// whose names are not Stan identifiers (lp__ and x__ among them: Stan
// keeps names ending in __) are skipped, as CmdStan skips them, and a
// name given twice is refused, as CmdStan's "Attempt to redefine
// variable".
func TestReadDataCmdStanForms(t *testing.T) {
	for s, want := range map[string]float64{
		`"Inf"`: math.Inf(1), `"Infinity"`: math.Inf(1), `"+inf"`: math.Inf(1), `"inf"`: math.Inf(1),
		`"-Inf"`: math.Inf(-1), `"-Infinity"`: math.Inf(-1), `"-inf"`: math.Inf(-1),
		`Infinity`: math.Inf(1), `-Infinity`: math.Inf(-1), `Inf`: math.Inf(1), `-Inf`: math.Inf(-1),
	} {
		d, err := ReadData(strings.NewReader(`{"a": ` + s + `}`))
		if err != nil || d["a"].Elems[0] != want || d["a"].Int {
			t.Errorf("%s: %v, %+v", s, err, d["a"])
		}
	}
	for _, s := range []string{`"NaN"`, `NaN`} {
		d, err := ReadData(strings.NewReader(`{"a": [1, ` + s + `]}`))
		if err != nil || !math.IsNaN(d["a"].Elems[1]) || d["a"].Int {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{`"nan"`, `"-infinity"`, `"infinity"`, `"+Inf"`, `"INF"`, `""`} {
		_, err := ReadData(strings.NewReader(`{"a": [1, ` + s + `]}`))
		if err == nil || !strings.Contains(err.Error(), `data variable "a[2]": found the string `+s) {
			t.Errorf("%s: %v", s, err)
		}
	}
	d, err := ReadData(strings.NewReader(`{"_note": "made by hand", "#x": [true], "2y": null, "lp__": [1, "x"], "x__": {"1": 2}, "a_1": 2, "t": {"2": 3}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Names(); !reflect.DeepEqual(got, []string{"a_1", "t:2"}) {
		t.Errorf("names %v, want [a_1 t:2] (a tuple's member left out is missing data)", got)
	}
	for src, want := range map[string]string{
		`{"a": 1, "b": 2, "a": 3}`:                                `data variable "a" is given twice`,
		`{"t": {"1": 1, "1": 2}}`:                                 `data variable "t" has the tuple member "1" twice`,
		`{"t": [{"1": 1, "2": {"1": 2, "1": 3}}]}`:                `data variable "t[1]:2" has the tuple member "1" twice`,
		`{"t": [[{"1": 1}], [{"1": 1}, {"1": 2, "1": 3}]]}`:       `data variable "t[2,2]" has the tuple member "1" twice`,
		`{"t": [{"1": 1, "2": [{"1": 2}, {"1": 2, "1": 3}]}]}`:    `data variable "t[1]:2[2]" has the tuple member "1" twice`,
		`{"a": "{", "t": [{"1": 1, "2": "{"}, {"2": 1, "2": 2}]}`: `data variable "t[2]" has the tuple member "2" twice`,
		`{"t": {"1": 1, "0": 2}}`:                                 `data variable "t" is a tuple, whose keys must be "1", "2", ..., found "0"`,
		`{"t": {"1": 1, "01": 2}}`:                                `found "01"`,
		`{"t": [{"1": 1, "2": 2}, {"1": 3, "2": 4, "3": 5}]}`:     `data variable "t[2]" has 3 tuple member(s), but "t[1]" has 2`,
		`{"a": [1, {"1": 2}]}`:                                    `data variable "a[2]": found an object (a tuple), but expected a number`,
		`{"a": 1} 2`:                                              `unexpected content after the data object`,
		`{"a": 1}}`:                                               `unexpected content after the data object`,
		`{"a": 1}]`:                                               `unexpected content after the data object`,
	} {
		if _, err := ReadData(strings.NewReader(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", src, err, want)
		}
	}
}

// TestReadDataFileErrors: a syntax error names file:line:col, in a .R
// file as R dump data.
func TestReadDataFileErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n  \"y\": [1, 2,]\n}\n"), 0o644)
	if _, err := ReadDataFile(bad); err == nil || !strings.HasPrefix(err.Error(), bad+":2:14: invalid JSON") {
		t.Errorf("bad JSON: %v", err)
	}
	r := filepath.Join(dir, "x.data.R")
	os.WriteFile(r, []byte("N <- 3\ny <- c(1, NA)\n"), 0o644)
	if _, err := ReadDataFile(r); err == nil || err.Error() != r+":2:11: invalid R dump data: NA is not a number Stan can read (in y)" {
		t.Errorf("R dump: %v", err)
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
	for _, s := range []string{`{"N": 3, "y": [1, 2.5, "inf"]}`, `{"x": [[1, 2], [3, 4]]}`, `{"e": [[], []]}`, `[`, `{"a": [1, [2]]}`,
		`{"a": [NaN, -Infinity], "b": Inf}`, `{"a": "NaN\\"", "b": -Inf,`, "x <- c(1, 2)",
		`{"t": {"1": 3, "2": [1.5, 2]}, "u": [{"1": 1, "2": {"1": [2], "2": 3}}, {"1": 4, "2": {"1": [5], "2": 6}}]}`,
		`{"z": [1, -2.5], "zv": [[1, 2], [3, 4]], "zm": [[[1, 0], [0, 1]], [[2, 2], ["inf", "NaN"]]]}`,
		`{"a": [[{"1": 1}, {"1": 2}], [{"1": 3}, {"1": 4}]], "c": {"1": [1, 2], "2": [[[1, 0], [0, 1]], [[2, 2], [3, 3]]]}, "e": [], "o": {}}`,
		`{"r": [{"1": [1, 2], "2": [[1, 2], [3, 4]]}, {"1": [], "2": [[5, 6]]}], "n": {"1": {"1": {"1": -0}}}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		d, err := ReadData(strings.NewReader(src))
		checkRead(t, src, d, err)
	})
}

// checkRead holds a reader of src to its contract: a syntax error points
// inside src, and every value has as many elements as its sizes make.
func checkRead(t *testing.T, src string, d Data, err error) {
	t.Helper()
	var se *SyntaxError
	if errors.As(err, &se) && (se.Line < 1 || se.Line > strings.Count(src, "\n")+1 || se.Column < 1 || se.Column > len(src)+1) {
		t.Fatalf("%v: outside the %d bytes", err, len(src))
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
}
