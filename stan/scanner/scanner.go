// Package scanner turns Stan source text into tokens, after go/scanner.
package scanner

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gostan/gostan/stan/token"
)

// Error is a diagnostic at a source position.
type Error struct {
	Pos token.Position
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is a list of diagnostics, in source order.
type ErrorList []*Error

// Add appends an error.
func (l *ErrorList) Add(pos token.Position, msg string) { *l = append(*l, &Error{pos, msg}) }

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Err returns l as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Token is one lexical token.
type Token struct {
	Kind token.Kind
	Pos  token.Pos
	Lit  string // the source text of identifiers, literals and includes
}

// Scanner reads the tokens of one file.
type Scanner struct {
	file *token.File
	src  []byte
	off  int
	errs *ErrorList
}

// New returns a scanner of f's text that reports errors to errs.
func New(f *token.File, errs *ErrorList) *Scanner {
	return &Scanner{file: f, src: f.Src(), errs: errs}
}

func (s *Scanner) errorf(off int, format string, args ...any) {
	s.errs.Add(s.file.Position(s.file.Pos(off)), fmt.Sprintf(format, args...))
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

func (s *Scanner) peek(k int) byte {
	if s.off+k < len(s.src) {
		return s.src[s.off+k]
	}
	return 0
}

// skip passes over white space and comments; a #include directive stops
// it and is returned as a token.
func (s *Scanner) skip() (Token, bool) {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		// The Reference Manual's whitespace ("Whitespace characters"):
		// space, tab, carriage return and line feed; and form feed, which
		// stanc3's lexer also skips. A vertical tab is an invalid character.
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			s.off++
		case c == '/' && s.peek(1) == '/':
			s.lineComment()
		case c == '#':
			// "#include" directly followed by a word (#includes ...) is
			// an old # comment, as stanc3 read it.
			if rest := s.src[s.off:]; strings.HasPrefix(string(rest[:min(len(rest), 8)]), "#include") &&
				(len(rest) == 8 || !isLetter(rest[8]) && !isDigit(rest[8])) {
				return s.include(), true
			}
			s.lineComment()
		case c == '/' && s.peek(1) == '*':
			start := s.off
			end := strings.Index(string(s.src[s.off+2:]), "*/")
			if end < 0 {
				s.errorf(start, "comment not terminated: missing */")
				s.off = len(s.src)
				return Token{}, false
			}
			s.off += 2 + end + 2
		default:
			return Token{}, false
		}
	}
	return Token{}, false
}

// lineComment skips to the end of the line, which a \r alone ends too.
func (s *Scanner) lineComment() {
	for s.off < len(s.src) && s.src[s.off] != '\n' && s.src[s.off] != '\r' {
		s.off++
	}
}

// include reads an #include directive as stanc3's lexer does: "#include",
// at least one space, tab, form feed or newline, then the file name, which
// is "name" or <name> (any characters but the closing one and a newline)
// or, bare, everything up to the next white space. Scanning resumes right
// after the name, so tokens may follow it on the line.
func (s *Scanner) include() Token {
	start := s.off
	s.off += len("#include")
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r' }
	if s.off < len(s.src) && !isSpace(s.src[s.off]) {
		// #include"f" or #include<f>: stanc3 needs white space first.
		s.errorf(start, "#include needs white space before the file name")
		s.lineComment()
		return Token{Kind: token.INCLUDE, Pos: s.file.Pos(start)}
	}
	for s.off < len(s.src) && isSpace(s.src[s.off]) {
		s.off++
	}
	var path string
	switch open := s.peek(0); open {
	case '"', '<':
		close := byte('"')
		if open == '<' {
			close = '>'
		}
		end := s.off + 1
		for end < len(s.src) && s.src[end] != close && s.src[end] != '\n' && s.src[end] != '\r' {
			end++
		}
		if end >= len(s.src) || s.src[end] != close {
			s.errorf(start, "#include file name not closed: missing %c", close)
			s.off = end
			return Token{Kind: token.INCLUDE, Pos: s.file.Pos(start)}
		}
		path = string(s.src[s.off+1 : end])
		s.off = end + 1
	default:
		end := s.off
		for end < len(s.src) && !isSpace(s.src[end]) {
			end++
		}
		path = string(s.src[s.off:end])
		s.off = end
	}
	if path == "" {
		s.errorf(start, "#include needs a file name")
	}
	return Token{Kind: token.INCLUDE, Pos: s.file.Pos(start), Lit: path}
}

// Next returns the next token; at the end it returns EOF forever.
func (s *Scanner) Next() Token {
	if t, ok := s.skip(); ok {
		return t
	}
	start := s.off
	pos := s.file.Pos(start)
	if s.off >= len(s.src) {
		return Token{Kind: token.EOF, Pos: pos}
	}
	c := s.src[s.off]
	switch {
	case isLetter(c):
		for s.off < len(s.src) && (isLetter(s.src[s.off]) || isDigit(s.src[s.off])) {
			s.off++
		}
		if c == '_' {
			// Stan's identifiers start with a letter (Reference Manual,
			// "Variables").
			s.errorf(start, "identifiers must start with a letter, found %s", s.src[start:s.off])
		}
		return Token{Kind: token.IDENT, Pos: pos, Lit: string(s.src[start:s.off])}
	case isDigit(c) || c == '.' && isDigit(s.peek(1)):
		return s.number(start)
	case c == '"':
		s.off++
		for s.off < len(s.src) && s.src[s.off] != '"' && s.src[s.off] != '\n' {
			// Stan's strings hold printable characters: a control
			// character would reach the terminal through print or reject.
			if b := s.src[s.off]; b < ' ' && b != '\t' || b == 0x7f {
				s.errorf(s.off, "invalid character %q in string literal", b)
			}
			s.off++
		}
		if s.off >= len(s.src) || s.src[s.off] != '"' {
			s.errorf(start, "string literal not terminated")
			return Token{Kind: token.STRING, Pos: pos, Lit: string(s.src[start:s.off]) + `"`}
		}
		s.off++
		return Token{Kind: token.STRING, Pos: pos, Lit: string(s.src[start:s.off])}
	}
	k := s.operator()
	if k == token.ILLEGAL {
		// One error for a character however many bytes encode it (é,
		// σ): Stan's identifiers and operators are ASCII.
		r, size := utf8.DecodeRune(s.src[s.off:])
		s.off += size
		switch {
		case r == utf8.RuneError && size == 1:
			s.errorf(start, "invalid byte 0x%02x (not UTF-8 text)", c)
		case r < utf8.RuneSelf:
			s.errorf(start, "invalid character %q", r)
		default:
			s.errorf(start, "invalid character %q (U+%04X)", r, r)
		}
		return Token{Kind: token.ILLEGAL, Pos: pos, Lit: string(s.src[start:s.off])}
	}
	return Token{Kind: k, Pos: pos}
}

// number scans an integer, real or imaginary literal.
func (s *Scanner) number(start int) Token {
	// A '_' may separate digits (1_000), never start or end them: 1._5
	// is 1. followed by a bad identifier, as in stanc3's lexer.
	digits := func() {
		for s.off < len(s.src) && (isDigit(s.src[s.off]) || s.src[s.off] == '_' && isDigit(s.peek(1)) && isDigit(s.src[s.off-1])) {
			s.off++
		}
	}
	kind := token.INT
	digits()
	if s.off < len(s.src) && s.src[s.off] == '.' && !(s.peek(1) == '*' || s.peek(1) == '/' || s.peek(1) == '^') {
		kind = token.REAL
		s.off++
		digits()
	}
	if c := s.peek(0); c == 'e' || c == 'E' {
		k := 1
		if c1 := s.peek(1); c1 == '+' || c1 == '-' {
			k = 2
		}
		if isDigit(s.peek(k)) {
			kind = token.REAL
			s.off += k
			digits()
		} else {
			s.off += k
			s.errorf(start, "exponent has no digits in %s", s.src[start:s.off])
		}
	}
	if s.peek(0) == 'i' && !isLetter(s.peek(1)) && !isDigit(s.peek(1)) {
		s.off++
		kind = token.IMAG
	}
	if isLetter(s.peek(0)) {
		bad := s.off
		for s.off < len(s.src) && (isLetter(s.src[s.off]) || isDigit(s.src[s.off])) {
			s.off++
		}
		s.errorf(start, "invalid character %q in number %s", s.src[bad], s.src[start:s.off])
	}
	return Token{Kind: kind, Pos: s.file.Pos(start), Lit: string(s.src[start:s.off])}
}

// operator scans the longest operator at the current offset.
func (s *Scanner) operator() token.Kind {
	ops := [...]struct {
		text string
		kind token.Kind
	}{
		{"%/%", token.IDIV}, {".*=", token.ELTMUL_ASSIGN}, {"./=", token.ELTDIV_ASSIGN},
		{".*", token.ELTMUL}, {"./", token.ELTDIV}, {".^", token.ELTPOW},
		{"&&", token.LAND}, {"||", token.LOR}, {"==", token.EQL}, {"!=", token.NEQ},
		{"<=", token.LEQ}, {">=", token.GEQ}, {"<-", token.ARROW},
		{"+=", token.ADD_ASSIGN}, {"-=", token.SUB_ASSIGN}, {"*=", token.MUL_ASSIGN}, {"/=", token.QUO_ASSIGN},
		{"+", token.ADD}, {"-", token.SUB}, {"*", token.MUL}, {"/", token.QUO}, {"%", token.REM},
		{"\\", token.LDIV}, {"^", token.POW}, {"'", token.TRANSPOSE}, {"!", token.NOT},
		{"<", token.LSS}, {">", token.GTR}, {"=", token.ASSIGN}, {"~", token.TILDE},
		{"?", token.QUESTION}, {":", token.COLON}, {",", token.COMMA}, {";", token.SEMI}, {"|", token.BAR},
		{"(", token.LPAREN}, {")", token.RPAREN}, {"[", token.LBRACK}, {"]", token.RBRACK},
		{"{", token.LBRACE}, {"}", token.RBRACE},
	}
	rest := s.src[s.off:]
	for _, op := range ops {
		if len(rest) >= len(op.text) && string(rest[:len(op.text)]) == op.text {
			s.off += len(op.text)
			return op.kind
		}
	}
	return token.ILLEGAL
}

// MaxRendered is how many diagnostics ErrorList.Render prints: a file
// that is not a Stan program (a binary, say) gives thousands, and the
// first ones say enough.
const MaxRendered = 20

// Render writes each error as a Stan user sees it: the position and
// message, then the source line with a caret under the column; after
// MaxRendered errors, how many more there are.
func (l ErrorList) Render(fset *token.FileSet) string {
	var b strings.Builder
	for i, e := range l {
		if i == MaxRendered {
			if more := len(l) - i; more == 1 {
				b.WriteString("and 1 more error\n")
			} else {
				fmt.Fprintf(&b, "and %d more errors\n", more)
			}
			break
		}
		b.WriteString(Render(fset, e))
	}
	return b.String()
}

// shownWidth is the most characters of a source line Render shows: a
// minified or binary file can have a single line of megabytes.
const shownWidth = 120

// Render writes one error with its source line and a caret. Bytes that
// are not printable are escaped as Go's %q escapes them, so a binary file
// cannot write control characters to the terminal.
func Render(fset *token.FileSet, e *Error) string {
	var b strings.Builder
	// A message may span lines (a list of signatures): each is made
	// printable on its own.
	for _, l := range strings.Split(e.Error(), "\n") {
		b.WriteString(Printable(l))
		b.WriteByte('\n')
	}
	line := fset.SourceLine(e.Pos.Filename, e.Pos.Line)
	if e.Pos.Line > 0 {
		col := min(max(e.Pos.Column-1, 0), len(line))
		shown := []rune(Printable(strings.ReplaceAll(line, "\t", " ")))
		caret := len([]rune(Printable(strings.ReplaceAll(line[:col], "\t", " "))))
		head, tail := "", ""
		if len(shown) > shownWidth {
			start := min(max(caret-shownWidth/2, 0), len(shown)-shownWidth)
			if start > 0 {
				head = "..."
			}
			if start+shownWidth < len(shown) {
				tail = "..."
			}
			shown = shown[start : start+shownWidth]
			caret += len(head) - start
		}
		prefix := fmt.Sprintf("%5d | ", e.Pos.Line)
		b.WriteString(prefix + head + string(shown) + tail + "\n")
		b.WriteString(strings.Repeat(" ", len(prefix)-2) + "| " + strings.Repeat(" ", caret) + "^\n")
	}
	return b.String()
}

// Printable escapes what in s is not printable (control characters,
// invalid UTF-8) as %q would, leaving the rest, spaces included, as is.
func Printable(s string) string {
	var b strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case r == ' ' || unicode.IsPrint(r):
			b.WriteRune(r)
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
	}
	return b.String()
}
