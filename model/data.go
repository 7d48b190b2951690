package model

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Value is one variable of a Stan JSON data file: a number or a
// rectangular array of numbers.
type Value struct {
	// Dims are the array sizes, outermost first; empty for a scalar.
	// A matrix is two dimensions (rows, columns), as Stan JSON nests it.
	Dims []int
	// Elems holds every element in the file's order: row-major, the last
	// index varying fastest. (Stan stores matrices column-major; the
	// compiler reorders.)
	Elems []float64
	// Int reports that every element was written as an integer literal,
	// which an int declaration requires.
	Int bool
	// firstReal is 1 + the index in Elems of the first element ReadData
	// found written as a real, for errors to name it; 0 when not known,
	// as in a Value built in Go. See FirstReal.
	firstReal int
	// TupleLevels, for a member of a tuple (x:1, or x:2:1 in a nested
	// tuple), count the leading Dims that are the array sizes of each
	// enclosing tuple, outermost first and cumulatively: x:2:1 of
	// array[3] tuple(real, array[2] tuple(real, real)) x has [1, 2].
	// ReadData and the compiler set them; WriteJSON needs them to nest
	// a member back inside CmdStan's objects. Nil for other variables.
	TupleLevels []int
}

// FirstReal returns the index in Elems of the first element written as a
// real, when ReadData read v and found one; ok is false otherwise: a
// Value built in Go with Int false says no more than that.
func (v *Value) FirstReal() (k int, ok bool) {
	return v.firstReal - 1, v.firstReal > 0
}

// Data is a Stan JSON data set by variable name.
type Data map[string]*Value

// Names returns the variable names in sorted order.
func (d Data) Names() []string {
	names := make([]string, 0, len(d))
	for n := range d {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ReadDataFile reads a data file: R dump data (ReadRDump) from a path
// ending in .R or .r, otherwise Stan JSON (ReadData); a path ending in
// .zip is read as a zip archive holding one JSON file, as PosteriorDB
// ships its data. A syntax error names path:line:col.
func ReadDataFile(path string) (Data, error) {
	if strings.HasSuffix(path, ".zip") {
		zr, err := zip.OpenReader(path)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		for _, f := range zr.File {
			if !strings.HasSuffix(f.Name, ".json") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return nil, fmt.Errorf("%s: %v", path, err)
			}
			defer rc.Close()
			d, err := ReadData(rc)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", path, err)
			}
			return d, nil
		}
		return nil, fmt.Errorf("%s: no .json file in the archive", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	read := ReadData
	if strings.HasSuffix(path, ".R") || strings.HasSuffix(path, ".r") {
		read = ReadRDump
	}
	d, err := read(f)
	var se *SyntaxError
	switch {
	case errors.As(err, &se):
		return nil, fmt.Errorf("%s:%w", path, err)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// SyntaxError is a data file that cannot be read, with the line and
// column (from 1, in bytes) where reading stopped.
type SyntaxError struct {
	Line, Column int
	Msg          string
	Format       string // what the file was read as: "" for JSON, or "R dump data"
}

func (e *SyntaxError) Error() string {
	format := e.Format
	if format == "" {
		format = "JSON"
	}
	return fmt.Sprintf("%d:%d: invalid %s: %s", e.Line, e.Column, format, e.Msg)
}

// ReadData reads a Stan JSON data set: an object whose members are numbers
// or nested arrays of numbers. As CmdStan's reader does, it takes the
// strings "Inf", "Infinity", "-Inf", "-Infinity" and "NaN", and the same
// bare words, for those reals; it also takes "+inf" and "-inf", which
// the CmdStan Guide's JSON table shows, and "inf", which gostan once
// wrote. A member whose name is not a Stan identifier is skipped, as
// CmdStan skips it; a name given twice, at the top or inside a tuple,
// is an error, as CmdStan's "Attempt to redefine variable" is. Text that
// is not JSON but starts as R dump data does (name <- value) is read by
// ReadRDump.
func ReadData(r io.Reader) (Data, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	quoted, inserted := quoteBareNonFinite(src)
	dec := json.NewDecoder(bytes.NewReader(quoted))
	dec.UseNumber()
	var top map[string]any
	if err := dec.Decode(&top); err != nil {
		if looksLikeRDump(src) {
			return ReadRDump(bytes.NewReader(src))
		}
		return nil, dataSyntaxError(src, inserted, err)
	}
	if top == nil {
		return nil, fmt.Errorf("data must be a JSON object, found null")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected content after the data object")
	}
	if err := duplicateKey(quoted); err != nil {
		return nil, err
	}
	d := make(Data, len(top))
	for name, raw := range top {
		if !isStanName(name) {
			continue
		}
		if err := d.add(name, raw, nil); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// isStanName reports whether name can be a Stan variable: a letter, then
// letters, digits and underscores, not ending in "__", which Stan keeps
// for its own variables (lp__; stan/check refuses such a declaration).
// CmdStan's reader skips other members.
func isStanName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || c != '_' && !('0' <= c && c <= '9')) {
			return false
		}
	}
	return name != "" && !strings.HasSuffix(name, "__")
}

// duplicateKey finds a name given twice in one object of src, which
// encoding/json would read as the last: the data object's variables or
// a tuple's members. src holds one JSON object, already decoded.
func duplicateKey(src []byte) error {
	return uniqueKeys(json.NewDecoder(bytes.NewReader(src)), true, "", nil)
}

// uniqueKeys reads the next value of dec, refusing an object in it that
// gives a key twice. data reports that the value is the data object;
// otherwise it is in a variable, and name and idx name it as elemName
// does.
func uniqueKeys(dec *json.Decoder, data bool, name string, idx []int) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := uniqueKeys(dec, false, name, append(idx, i)); err != nil {
				return err
			}
		}
	case json.Delim('{'):
		seen := map[string]bool{}
		var raw json.RawMessage
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			key := tok.(string)
			switch {
			case seen[key] && data:
				return fmt.Errorf("data variable %q is given twice (CmdStan: attempt to redefine variable)", key)
			case seen[key]:
				return fmt.Errorf("data variable %q has the tuple member %q twice", elemName(name, idx), key)
			}
			seen[key] = true
			member := key
			if !data {
				member = elemName(name, idx) + ":" + key
			}
			// Only a value with an object in it (a tuple) has keys to
			// check; arrays of numbers, the bulk of a file, are not read
			// token by token.
			if err := dec.Decode(&raw); err != nil {
				return err
			}
			if bytes.IndexByte(raw, '{') < 0 {
				continue
			}
			if err := uniqueKeys(json.NewDecoder(bytes.NewReader(raw)), false, member, nil); err != nil {
				return err
			}
		}
	default:
		return nil
	}
	_, err = dec.Token() // the closing ] or }
	return err
}

// add reads the variable name. A tuple, a JSON object with keys "1",
// "2", ... (CmdStan's format), or an array of them, is read as its
// members: x:1, x:2, ..., an array of tuples as the arrays of each
// member (x:1 holds member 1 of every element), nested tuples as x:2:1.
// These are the names gostan gives a tuple's members in data, in
// initial values and in output columns.
//
// levels are the array depths of the tuples name is a member of (see
// Value.TupleLevels).
func (d Data) add(name string, raw any, levels []int) error {
	first, depth := raw, 0
	for {
		a, ok := first.([]any)
		if !ok || len(a) == 0 {
			break
		}
		first = a[0]
		depth++
	}
	obj, ok := first.(map[string]any)
	if !ok {
		v := &Value{Int: true}
		if err := v.shape(name, raw); err != nil {
			return err
		}
		if err := v.fill(name, raw, nil); err != nil {
			return err
		}
		v.TupleLevels = levels
		d[name] = v
		return nil
	}
	// A member the file leaves out is missing data, which the compiler
	// accepts for a member of size zero, as CmdStan does.
	last := 0
	for k := range obj {
		i, err := strconv.Atoi(k)
		if err != nil || i < 1 || strconv.Itoa(i) != k {
			return fmt.Errorf("data variable %q is a tuple, whose keys must be \"1\", \"2\", ..., found %q", name, k)
		}
		last = max(last, i)
	}
	for i := 1; i <= last; i++ {
		key := strconv.Itoa(i)
		if _, ok := obj[key]; !ok {
			continue
		}
		m, err := member(name, raw, key, len(obj), nil)
		if err != nil {
			return err
		}
		if err := d.add(name+":"+key, m, append(levels[:len(levels):len(levels)], depth)); err != nil {
			return err
		}
	}
	return nil
}

// member takes member key out of every tuple of raw, an array of tuples
// (nested) or a tuple, each of which must have n members; idx is raw's
// index within the variable name.
func member(name string, raw any, key string, n int, idx []int) (any, error) {
	switch x := raw.(type) {
	case []any:
		out := make([]any, len(x))
		for i, el := range x {
			m, err := member(name, el, key, n, append(idx, i))
			if err != nil {
				return nil, err
			}
			out[i] = m
		}
		return out, nil
	case map[string]any:
		m, ok := x[key]
		if !ok {
			return nil, fmt.Errorf("data variable %q is a tuple without the member %q", elemName(name, idx), key)
		}
		if len(x) != n {
			return nil, fmt.Errorf("data variable %q has %d tuple member(s), but %q has %d: the tuples of an array must have the same members",
				elemName(name, idx), len(x), elemName(name, make([]int, len(idx))), n)
		}
		return m, nil
	}
	return nil, fmt.Errorf("data variable %q: found a number where a tuple (an object with keys \"1\", \"2\", ...) was expected", elemName(name, idx))
}

// LocateJSONError gives an error of encoding/json decoding src the line
// and column where it stopped, as the data reader's errors have: for the
// other JSON files a user hands over (points, metrics).
func LocateJSONError(src []byte, err error) error {
	return dataSyntaxError(src, nil, err)
}

// dataSyntaxError adds a line and column of src to a JSON syntax error
// in the text decoded, which has two quotes more at each of the offsets
// inserted (in src).
func dataSyntaxError(src []byte, inserted []int, err error) error {
	var off int64 = -1
	msg := ""
	switch e := err.(type) {
	case *json.SyntaxError:
		// The decoder's offset is just past the offending byte.
		off, msg = e.Offset-1, e.Error()
	case *json.UnmarshalTypeError:
		if e.Value == "array" || e.Value == "string" || e.Value == "number" || e.Value == "bool" {
			return fmt.Errorf("data must be a JSON object, found %s", e.Value)
		}
		off, msg = e.Offset-1, e.Error()
	}
	switch {
	case err == io.EOF:
		return fmt.Errorf("empty data file: expected a JSON object")
	case err == io.ErrUnexpectedEOF:
		off, msg = int64(len(src)), "the file ends before the data object does (truncated?)"
	case off < 0:
		return fmt.Errorf("invalid JSON: %v", err)
	default:
		shift := int64(0)
		for _, at := range inserted {
			if int64(at)+shift+2 > off {
				break
			}
			shift += 2
		}
		off -= shift
	}
	off = min(max(off, 0), int64(len(src)))
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(src[:off], '\n')
	return &SyntaxError{Line: line, Column: col, Msg: msg}
}

// quoteBareNonFinite quotes the bare words NaN, Inf, Infinity, -Inf and
// -Infinity outside strings, which CmdStan's JSON reader takes as numbers
// and encoding/json refuses; number reads the quoted forms. It returns
// the offsets in src where a word was quoted.
func quoteBareNonFinite(src []byte) ([]byte, []int) {
	var out []byte
	var inserted []int
	last := 0
	inString := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		if c == '"' {
			inString = true
			continue
		}
		if c != 'N' && c != 'I' && c != '-' || i > 0 && isWordByte(src[i-1]) {
			continue
		}
		for _, w := range [...]string{"NaN", "Infinity", "Inf", "-Infinity", "-Inf"} {
			end := i + len(w)
			if bytes.HasPrefix(src[i:], []byte(w)) && (end == len(src) || !isWordByte(src[end])) {
				out = append(append(append(append(out, src[last:i]...), '"'), w...), '"')
				inserted = append(inserted, i)
				last = end
				i = end - 1
				break
			}
		}
	}
	if inserted == nil {
		return src, nil
	}
	return append(out, src[last:]...), inserted
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// looksLikeRDump reports whether src starts as R's dump format does: a
// name, perhaps quoted, then "<-" or "=".
func looksLikeRDump(src []byte) bool {
	s := strings.TrimLeft(string(src[:min(len(src), 200)]), " \t\r\n")
	if s != "" && (s[0] == '"' || s[0] == '`' || s[0] == '\'') {
		end := strings.IndexByte(s[1:], s[0])
		if end < 0 {
			return false
		}
		s = s[end+2:]
	} else {
		n := 0
		for n < len(s) && isWordByte(s[n]) {
			n++
		}
		if n == 0 {
			return false
		}
		s = s[n:]
	}
	s = strings.TrimLeft(s, " \t")
	return strings.HasPrefix(s, "<-") || strings.HasPrefix(s, "=")
}

// shape sets v.Dims from the first element at every depth.
func (v *Value) shape(name string, raw any) error {
	for {
		a, ok := raw.([]any)
		if !ok {
			return nil
		}
		v.Dims = append(v.Dims, len(a))
		if len(a) == 0 {
			return nil
		}
		raw = a[0]
	}
}

// fill appends the elements of raw to v.Elems, checking that raw is
// rectangular with v.Dims; idx is the index of raw within the variable.
func (v *Value) fill(name string, raw any, idx []int) error {
	depth := len(idx)
	if depth < len(v.Dims) {
		a, ok := raw.([]any)
		if !ok {
			return fmt.Errorf("data variable %q: found a number where an array of %d elements was expected", elemName(name, idx), v.Dims[depth])
		}
		if len(a) != v.Dims[depth] {
			first := make([]int, depth)
			return fmt.Errorf("data variable %q has %d elements, but %q has %d: arrays must be rectangular",
				elemName(name, idx), len(a), elemName(name, first), v.Dims[depth])
		}
		for i, e := range a {
			if err := v.fill(name, e, append(idx, i)); err != nil {
				return err
			}
		}
		return nil
	}
	x, isInt, err := number(raw)
	if err != nil {
		return fmt.Errorf("data variable %q: %v", elemName(name, idx), err)
	}
	if v.Int && !isInt {
		v.Int, v.firstReal = false, len(v.Elems)+1
	}
	v.Elems = append(v.Elems, x)
	return nil
}

// number converts one JSON element to a float, reporting whether it was
// written as an integer.
func number(raw any) (float64, bool, error) {
	switch x := raw.(type) {
	case json.Number:
		s := string(x)
		isInt := !strings.ContainsAny(s, ".eE")
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, false, fmt.Errorf("%s is not a number", s)
		}
		return f, isInt, nil
	case string:
		switch x {
		case "Inf", "Infinity", "+inf", "inf":
			return math.Inf(1), false, nil
		case "-Inf", "-Infinity", "-inf":
			return math.Inf(-1), false, nil
		case "NaN":
			return math.NaN(), false, nil
		}
		return 0, false, fmt.Errorf("found the string %q, but expected a number (or \"Inf\", \"Infinity\", \"-Inf\", \"-Infinity\", \"NaN\")", x)
	case []any:
		return 0, false, fmt.Errorf("found an array where a number was expected: arrays must be rectangular")
	case nil:
		return 0, false, fmt.Errorf("found null, but expected a number")
	case bool:
		return 0, false, fmt.Errorf("found %v, but expected a number", x)
	case map[string]any:
		return 0, false, fmt.Errorf("found an object (a tuple), but expected a number")
	default:
		return 0, false, fmt.Errorf("found %v, but expected a number", x)
	}
}

// elemName writes a 1-based element name: "y", "y[3]", "x[2,1]".
func elemName(name string, idx []int) string {
	if len(idx) == 0 {
		return name
	}
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('[')
	for i, k := range idx {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(k + 1))
	}
	b.WriteByte(']')
	return b.String()
}

// WriteJSON writes d as Stan JSON, the variables in name order, each
// nested by its sizes; integers are written as integers and the
// non-finite values as strings CmdStan's reader takes ("Inf", "-Inf",
// "NaN"; it refuses "inf").
// The members of a tuple (x:1, x:2:1) are written as CmdStan writes the
// tuple: an object with keys "1", "2", ..., an array of tuples as an
// array of such objects.
func (d Data) WriteJSON(w io.Writer) error {
	b := []byte("{")
	done := map[string]bool{}
	first := true
	for _, name := range d.Names() {
		root, _, isMember := strings.Cut(name, ":")
		if done[root] {
			continue
		}
		done[root] = true
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, "\n  "...)
		b = strconv.AppendQuote(b, root)
		b = append(b, ": "...)
		if !isMember {
			v := d[name]
			elems := v.Elems
			b = appendNested(b, v.Dims, &elems, v.Int)
			continue
		}
		b = d.tupleNode(root, 0).appendJSON(b, nil)
	}
	b = append(b, "\n}\n"...)
	_, err := w.Write(b)
	return err
}

// jsonTuple is a tuple being written: its members in order, each a
// tuple or a leaf value.
type jsonTuple struct {
	depth   int // nesting of this tuple within the variable, 0 for the variable
	members []*jsonTuple
	leaf    *Value
}

// tupleNode gathers the members of the tuple name, at depth nesting.
func (d Data) tupleNode(name string, depth int) *jsonTuple {
	n := &jsonTuple{depth: depth}
	for i := 1; ; i++ {
		m := name + ":" + strconv.Itoa(i)
		if v, ok := d[m]; ok {
			n.members = append(n.members, &jsonTuple{leaf: v})
			continue
		}
		if !d.hasPrefix(m + ":") {
			return n
		}
		n.members = append(n.members, d.tupleNode(m, depth+1))
	}
}

func (d Data) hasPrefix(p string) bool {
	for name := range d {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// anyLeaf is a leaf below n, whose sizes start with n's array sizes.
func (n *jsonTuple) anyLeaf() *Value {
	for _, m := range n.members {
		if m.leaf != nil {
			return m.leaf
		}
		if l := m.anyLeaf(); l != nil {
			return l
		}
	}
	return nil
}

// appendJSON writes the tuple n, or the array of tuples, whose enclosing
// tuples' elements idx (row-major over their array sizes) select.
func (n *jsonTuple) appendJSON(b []byte, idx []int) []byte {
	l := n.anyLeaf()
	if l == nil {
		return append(b, "{}"...)
	}
	end := len(idx)
	if n.depth < len(l.TupleLevels) {
		end = l.TupleLevels[n.depth]
	}
	return n.appendArray(b, idx, l.Dims[len(idx):end])
}

// appendArray writes the elements of n's own array sizes dims below idx.
func (n *jsonTuple) appendArray(b []byte, idx []int, dims []int) []byte {
	if len(dims) > 0 {
		b = append(b, '[')
		for i := range dims[0] {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = n.appendArray(b, append(idx[:len(idx):len(idx)], i), dims[1:])
		}
		return append(b, ']')
	}
	b = append(b, '{')
	for j, m := range n.members {
		if j > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendQuote(b, strconv.Itoa(j+1))
		b = append(b, ": "...)
		if m.leaf == nil {
			b = m.appendJSON(b, idx)
			continue
		}
		// The leaf's values for this element: its sizes after idx.
		v := m.leaf
		off := 0
		for k, i := range idx {
			off = off*v.Dims[k] + i
		}
		rest := v.Dims[len(idx):]
		block := 1
		for _, r := range rest {
			block *= r
		}
		elems := v.Elems[off*block : (off+1)*block]
		b = appendNested(b, rest, &elems, v.Int)
	}
	return append(b, '}')
}

// appendNested appends the values of an array of sizes dims, taking them
// from the front of elems.
func appendNested(b []byte, dims []int, elems *[]float64, isInt bool) []byte {
	if len(dims) == 0 {
		x := (*elems)[0]
		*elems = (*elems)[1:]
		switch {
		case math.IsNaN(x):
			return append(b, `"NaN"`...)
		case math.IsInf(x, 1):
			return append(b, `"Inf"`...)
		case math.IsInf(x, -1):
			return append(b, `"-Inf"`...)
		case isInt:
			return strconv.AppendInt(b, int64(x), 10)
		}
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	}
	b = append(b, '[')
	for i := range dims[0] {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendNested(b, dims[1:], elems, isInt)
	}
	return append(b, ']')
}
