package model

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ReadRDump reads data in R's dump format, which CmdStan reads from files
// not ending in .json (stan::io::dump_reader): a sequence of
//
//	name <- value
//
// (the name bare or quoted, = for <- and a ; after the value allowed),
// where a value is a number (Inf, Infinity, NaN, an integer with an
// optional L), a:b (the integers from a to b), c(x, ...), integer(n) or
// double(n) (n zeros; n may be left out), or structure(v, .Dim = d) with d
// a c(...) or a:b of sizes and v's values in R's column-major order. The
// values are integers unless one of them is written as a real (with a
// point or an exponent, or Inf or NaN), as in Stan's reader; NA is not a
// number. Values are stored row-major, as Value says.
func ReadRDump(r io.Reader) (Data, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	p := &rdumpParser{src: src}
	d := Data{}
	for {
		p.skipSpace()
		if p.off == len(p.src) {
			return d, nil
		}
		start := p.off
		name, err := p.name()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		switch {
		case p.accept("<-"), p.accept("="):
		default:
			return nil, p.errorf("expected <- after %s", name)
		}
		v, err := p.value()
		if err != nil {
			return nil, fmt.Errorf("%w (in %s)", err, name)
		}
		if _, dup := d[name]; dup {
			return nil, p.errorAt(start, fmt.Sprintf("variable %s is given twice", name))
		}
		if isStanName(name) {
			d[name] = v
		}
		p.skipSpace()
		p.accept(";")
	}
}

// maxRDumpRun bounds the values that a:b, integer(n) and double(n) make
// from a few bytes, so that a mistyped size is an error, not all memory.
const maxRDumpRun = 1 << 24

// rdumpParser reads src from off.
type rdumpParser struct {
	src []byte
	off int
}

func (p *rdumpParser) errorAt(off int, msg string) error {
	line := 1 + strings.Count(string(p.src[:off]), "\n")
	col := off - strings.LastIndexByte(string(p.src[:off]), '\n')
	return &SyntaxError{Line: line, Column: col, Msg: msg, Format: "R dump data"}
}

func (p *rdumpParser) errorf(format string, args ...any) error {
	return p.errorAt(p.off, fmt.Sprintf(format, args...))
}

// skipSpace passes white space and # comments.
func (p *rdumpParser) skipSpace() {
	for p.off < len(p.src) {
		switch c := p.src[p.off]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			p.off++
		case c == '#':
			for p.off < len(p.src) && p.src[p.off] != '\n' {
				p.off++
			}
		default:
			return
		}
	}
}

// accept passes s, after white space, when it comes next.
func (p *rdumpParser) accept(s string) bool {
	p.skipSpace()
	if strings.HasPrefix(string(p.src[p.off:min(len(p.src), p.off+len(s))]), s) {
		p.off += len(s)
		return true
	}
	return false
}

func (p *rdumpParser) expect(s string) error {
	if !p.accept(s) {
		return p.errorf("expected %s", s)
	}
	return nil
}

// word passes a bare R name: a letter, then letters, digits, _ and '.'.
func (p *rdumpParser) word() string {
	start := p.off
	for p.off < len(p.src) {
		c := p.src[p.off]
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (p.off == start || c != '_' && c != '.' && !('0' <= c && c <= '9')) {
			break
		}
		p.off++
	}
	return string(p.src[start:p.off])
}

// name reads a variable's name, bare or in quotes.
func (p *rdumpParser) name() (string, error) {
	if q := p.src[p.off]; q == '"' || q == '\'' || q == '`' {
		p.off++
		n := p.word()
		if n == "" || p.off == len(p.src) || p.src[p.off] != q {
			return "", p.errorf("expected a name and its closing %c", q)
		}
		p.off++
		return n, nil
	}
	if n := p.word(); n != "" {
		return n, nil
	}
	return "", p.errorf("expected a variable's name")
}

// value reads one variable's value.
func (p *rdumpParser) value() (*Value, error) {
	p.skipSpace()
	start := p.off
	switch p.word() {
	case "c":
		return p.seq()
	case "integer", "double":
		p.off = start
		return p.zeros()
	case "structure":
		return p.structure()
	}
	p.off = start
	return p.numberOrRange()
}

// seq reads c(x, ...) after the c.
func (p *rdumpParser) seq() (*Value, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	v := &Value{Int: true, Dims: []int{0}}
	if p.accept(")") {
		return v, nil
	}
	for {
		x, isInt, err := p.number()
		if err != nil {
			return nil, err
		}
		v.Elems = append(v.Elems, x)
		v.Int = v.Int && isInt
		if !p.accept(",") {
			break
		}
	}
	v.Dims[0] = len(v.Elems)
	return v, p.expect(")")
}

// zeros reads integer(n) or double(n).
func (p *rdumpParser) zeros() (*Value, error) {
	kind := p.word()
	if err := p.expect("("); err != nil {
		return nil, err
	}
	n := 0
	if !p.accept(")") {
		p.skipSpace()
		at := p.off
		x, isInt, err := p.number()
		if err != nil {
			return nil, err
		}
		if !isInt || x < 0 {
			return nil, p.errorAt(at, fmt.Sprintf("%s(n) needs a nonnegative integer n", kind))
		}
		if x > maxRDumpRun {
			return nil, p.errorAt(at, fmt.Sprintf("%s(%v) is more values than gostan reads in one run (%d)", kind, x, maxRDumpRun))
		}
		n = int(x)
		if err := p.expect(")"); err != nil {
			return nil, err
		}
	}
	return &Value{Dims: []int{n}, Elems: make([]float64, n), Int: kind == "integer"}, nil
}

// structure reads structure(values, .Dim = sizes) after the word.
func (p *rdumpParser) structure() (*Value, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	if err := p.expect(","); err != nil {
		return nil, err
	}
	if err := p.expect(".Dim"); err != nil {
		return nil, err
	}
	if err := p.expect("="); err != nil {
		return nil, err
	}
	p.skipSpace()
	at := p.off
	dims, err := p.value()
	if err != nil {
		return nil, err
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	n := 1 // the sizes' product, held at len(v.Elems)+1 once above it
	v.Dims = make([]int, len(dims.Elems))
	for i, x := range dims.Elems {
		if !dims.Int || x < 0 {
			return nil, p.errorAt(at, ".Dim must be nonnegative integers")
		}
		v.Dims[i] = int(x)
		n = min(n*int(x), len(v.Elems)+1)
	}
	if len(v.Dims) == 0 || n != len(v.Elems) {
		return nil, p.errorAt(at, fmt.Sprintf(".Dim %v does not hold the %d values", dims.Elems, len(v.Elems)))
	}
	v.Elems = rowMajor(v.Elems, v.Dims)
	return v, nil
}

// rowMajor reorders values given first index fastest (R's order) to last
// index fastest.
func rowMajor(colMajor []float64, dims []int) []float64 {
	out := make([]float64, len(colMajor))
	idx := make([]int, len(dims))
	for _, x := range colMajor {
		off := 0
		for k, i := range idx {
			off = off*dims[k] + i
		}
		out[off] = x
		for k := range idx {
			if idx[k]++; idx[k] < dims[k] {
				break
			}
			idx[k] = 0
		}
	}
	return out
}

// numberOrRange reads a number or a:b.
func (p *rdumpParser) numberOrRange() (*Value, error) {
	at := p.off
	x, isInt, err := p.number()
	if err != nil {
		return nil, err
	}
	if !p.accept(":") {
		return &Value{Elems: []float64{x}, Int: isInt}, nil
	}
	y, yInt, err := p.number()
	if err != nil {
		return nil, err
	}
	if !isInt || !yInt {
		return nil, p.errorAt(at, "a:b needs integers a and b")
	}
	if math.Abs(y-x) >= maxRDumpRun {
		return nil, p.errorAt(at, fmt.Sprintf("%v:%v is more values than gostan reads in one run (%d)", x, y, maxRDumpRun))
	}
	step := 1.0
	if y < x {
		step = -1
	}
	v := &Value{Int: true}
	for i := x; ; i += step {
		v.Elems = append(v.Elems, i)
		if i == y {
			break
		}
	}
	v.Dims = []int{len(v.Elems)}
	return v, nil
}

// number reads a signed number: digits with an optional L (an integer),
// a real with a point or an exponent, Inf, Infinity or NaN.
func (p *rdumpParser) number() (float64, bool, error) {
	p.skipSpace()
	start := p.off
	neg := p.accept("-")
	if !neg {
		p.accept("+")
	}
	sign := 1.0
	if neg {
		sign = -1
	}
	p.skipSpace()
	at := p.off
	switch w := p.word(); {
	case w == "Inf" || w == "Infinity":
		return sign * math.Inf(1), false, nil
	case strings.EqualFold(w, "NaN"):
		return math.NaN(), false, nil
	case w == "NA":
		return 0, false, p.errorAt(at, "NA is not a number Stan can read")
	case w != "":
		return 0, false, p.errorAt(at, fmt.Sprintf("expected a number, found %s", w))
	}
	isInt := true
	for p.off < len(p.src) {
		c := p.src[p.off]
		switch {
		case '0' <= c && c <= '9':
		case c == '.' || c == 'e' || c == 'E':
			isInt = false
		case (c == '-' || c == '+') && p.off > at && (p.src[p.off-1] == 'e' || p.src[p.off-1] == 'E'):
		default:
			goto done
		}
		p.off++
	}
done:
	text := string(p.src[at:p.off])
	if text == "" {
		return 0, false, p.errorAt(start, "expected a number")
	}
	if isInt {
		n, err := strconv.ParseInt(text, 10, 32)
		if err != nil {
			return 0, false, p.errorAt(at, fmt.Sprintf("integer %s is beyond int range", text))
		}
		if p.off < len(p.src) && (p.src[p.off] == 'L' || p.src[p.off] == 'l') {
			p.off++
		}
		return sign * float64(n), true, nil
	}
	x, err := strconv.ParseFloat(text, 64)
	switch {
	case math.IsInf(x, 0):
		return 0, false, p.errorAt(at, fmt.Sprintf("%s is beyond numeric range", text))
	case err != nil:
		return 0, false, p.errorAt(at, fmt.Sprintf("%s is not a number", text))
	}
	return sign * x, false, nil
}
