package scanner

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gostan/gostan/stan/token"
)

func scanAll(src string) ([]Token, ErrorList) {
	var errs ErrorList
	s := New(token.NewFileSet().AddFile("t.stan", []byte(src)), &errs)
	var toks []Token
	for {
		t := s.Next()
		if t.Kind == token.EOF {
			return toks, errs
		}
		toks = append(toks, t)
	}
}

func TestTokens(t *testing.T) {
	src := `x1 = 3 + 4.5e-2 * .5 .* 2i; // comment
	# old comment
	/* block
	comment */ y <- a' %/% b .^ 2 ./ c \ d; z += 1e3; w .*= 2; v ./= 1.; s = "a b";
	if (a <= b && c != d || !e) ~ T[ , ] ? : | { } %`
	want := `IDENT:x1 = INT:3 + REAL:4.5e-2 * REAL:.5 .* IMAG:2i ; IDENT:y <- IDENT:a ' %/% IDENT:b .^ INT:2 ./ IDENT:c \ IDENT:d ; IDENT:z += REAL:1e3 ; IDENT:w .*= INT:2 ; IDENT:v ./= REAL:1. ; IDENT:s = STRING:"a b" ; IDENT:if ( IDENT:a <= IDENT:b && IDENT:c != IDENT:d || ! IDENT:e ) ~ IDENT:T [ , ] ? : | { } %`
	toks, errs := scanAll(src)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, tk := range toks {
		switch tk.Kind {
		case token.IDENT, token.INT, token.REAL, token.IMAG, token.STRING:
			name := map[token.Kind]string{token.IDENT: "IDENT", token.INT: "INT", token.REAL: "REAL", token.IMAG: "IMAG", token.STRING: "STRING"}[tk.Kind]
			got = append(got, name+":"+tk.Lit)
		default:
			got = append(got, tk.Kind.String())
		}
	}
	if g := strings.Join(got, " "); g != want {
		t.Errorf("got  %s\nwant %s", g, want)
	}
}

// TestLineEnds: as in stanc3's lexer a line ends at \n, at \r\n (any
// number of \r before the \n) and at a \r alone, which also ends a line
// comment.
func TestLineEnds(t *testing.T) {
	fset := token.NewFileSet()
	f := fset.AddFile("p.stan", []byte("a // x\rb\r\nc\r\r\nd\r\re # y\rf"))
	var errs ErrorList
	s := New(f, &errs)
	for _, want := range []string{"a p.stan:1:1", "b p.stan:2:1", "c p.stan:3:1", "d p.stan:4:1", "e p.stan:6:1", "f p.stan:7:1"} {
		tk := s.Next()
		if got := tk.Lit + " " + fset.Position(tk.Pos).String(); got != want {
			t.Errorf("token at %s, want %s", got, want)
		}
	}
	if l := f.Line(3); l != "c" {
		t.Errorf("line 3 is %q, want c", l)
	}
}

func TestPositions(t *testing.T) {
	fset := token.NewFileSet()
	f := fset.AddFile("p.stan", []byte("a\n  bb\n\tc"))
	var errs ErrorList
	s := New(f, &errs)
	for _, want := range []string{"p.stan:1:1", "p.stan:2:3", "p.stan:3:2", "p.stan:3:3"} {
		tk := s.Next()
		if got := fset.Position(tk.Pos).String(); got != want {
			t.Errorf("token %q at %s, want %s", tk.Lit, got, want)
		}
	}
}

func TestInclude(t *testing.T) {
	toks, errs := scanAll("#include \"lib.stan\"\n#include <b.stan> // why\nx")
	if len(errs) > 0 || len(toks) != 3 || toks[0].Kind != token.INCLUDE || toks[0].Lit != "lib.stan" || toks[1].Lit != "b.stan" {
		t.Fatalf("toks %v errs %v", toks, errs)
	}
}

// TestIncludeForms: the name of an #include is read as stanc3's lexer reads
// it: after white space that may span lines, quoted or in <> up to the
// closing character (tokens may follow on the line), or bare up to the next
// white space.
func TestIncludeForms(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string // the include's name, then the literals of the tokens after it
	}{
		{"#include \"a b.stan\" real", []string{"a b.stan", "real"}},
		{"#include <c.stan>x", []string{"c.stan", "x"}},
		{"#include\n\t d.stan e", []string{"d.stan", "e"}},
		{"#include f.stan; g", []string{"f.stan;", "g"}},
		{"#include h.stan // note\ni", []string{"h.stan", "i"}},
		{"#includes the intercept\n#include_x\n#include j.stan", []string{"j.stan"}},
	} {
		toks, errs := scanAll(c.src)
		var got []string
		for _, tk := range toks {
			got = append(got, tk.Lit)
		}
		if len(errs) > 0 || toks[0].Kind != token.INCLUDE || !slices.Equal(got, c.want) {
			t.Errorf("%q: tokens %q errors %v, want %q", c.src, got, errs, c.want)
		}
	}
	for _, c := range []struct{ src, want string }{
		{`#include"a.stan"`, "t.stan:1:1: #include needs white space before the file name"},
		{"#include \"a.stan\nb", "t.stan:1:1: #include file name not closed: missing \""},
		{"#include   \n", "t.stan:1:1: #include needs a file name"},
	} {
		_, errs := scanAll(c.src)
		if len(errs) != 1 || errs[0].Error() != c.want {
			t.Errorf("%q: errors %v, want %s", c.src, errs, c.want)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"x = 1 @ 2;", `t.stan:1:7: invalid character '@'`},
		{"real σ;", `t.stan:1:6: invalid character 'σ' (U+03C3)`},
		{"x\xff", `t.stan:1:2: invalid byte 0xff (not UTF-8 text)`},
		{"/* never closed", `t.stan:1:1: comment not terminated: missing */`},
		{`print("abc`, `t.stan:1:7: string literal not terminated`},
		{"x = 1e+;", `t.stan:1:5: exponent has no digits in 1e+`},
		{"x = 12abc;", `t.stan:1:5: invalid character 'a' in number 12abc`},
		{"print(\"a\x1b[2J\");", `t.stan:1:9: invalid character '\x1b' in string literal`},
	} {
		_, errs := scanAll(c.src)
		if len(errs) != 1 || errs[0].Error() != c.want {
			t.Errorf("%q: errors %v, want %s", c.src, errs, c.want)
		}
	}
}

func TestRender(t *testing.T) {
	fset := token.NewFileSet()
	f := fset.AddFile("r.stan", []byte("model {\n  y ~ normal(0, 1) @\n}"))
	var errs ErrorList
	s := New(f, &errs)
	for s.Next().Kind != token.EOF {
	}
	got := errs.Render(fset)
	want := "r.stan:2:20: invalid character '@'\n    2 |   y ~ normal(0, 1) @\n      |                    ^\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestRenderBinary: a binary file's diagnostics stop after MaxRendered
// with a count of the rest, escape what is not printable as %q does, and
// show a window of a long line with the caret under the byte at fault.
func TestRenderBinary(t *testing.T) {
	src := []byte("\x7fELF\x02\x01\x01")
	src = append(src, strings.Repeat("\x00", 300)...)
	src = append(src, "\xff@\x1b[31m"...)
	fset := token.NewFileSet()
	var errs ErrorList
	s := New(fset.AddFile("b.stan", src), &errs)
	for s.Next().Kind != token.EOF {
	}
	if len(errs) < MaxRendered+100 {
		t.Fatalf("only %d errors", len(errs))
	}
	got := errs.Render(fset)
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if want := fmt.Sprintf("and %d more errors", len(errs)-MaxRendered); lines[len(lines)-1] != want || len(lines) != 3*MaxRendered+1 {
		t.Errorf("%d lines ending %q, want %d ending %q", len(lines), lines[len(lines)-1], 3*MaxRendered+1, want)
	}
	for _, c := range got {
		if c != '\n' && (c < ' ' || c == 0x7f || c == utf8.RuneError) {
			t.Fatalf("rendered %q", c)
		}
	}
	// The 20th error is at the 16th NUL byte (column 23): its line shows
	// "\x00" for each byte, the caret under the escape of that byte.
	if lines[57] != "b.stan:1:23: invalid character '\\x00'" {
		t.Errorf("20th error %q", lines[57])
	}
	line, caret := lines[58], lines[59]
	at := strings.Index(caret, "^")
	if !strings.HasPrefix(line, "    1 | ...") || !strings.HasSuffix(line, "...") || len(line) != len("    1 | ")+3+shownWidth+3 ||
		line[at:at+4] != `\x00` || line[at-4:at] != `\x00` {
		t.Errorf("window\n%s\n%s", line, caret)
	}
	// The escape sequence and the invalid byte at the end of the line.
	last := Render(fset, errs[len(errs)-1])
	if !strings.Contains(last, `\xff@\x1b[31m`) {
		t.Errorf("last error:\n%s", last)
	}
	one := ErrorList(errs[:MaxRendered+1]).Render(fset)
	if !strings.HasSuffix(one, "\nand 1 more error\n") {
		t.Errorf("one more: %q", one[len(one)-40:])
	}
}

func FuzzScanner(f *testing.F) {
	for _, s := range []string{"real x = 1.5e-3;", "/* a */ // b\n# c", `print("x")`, "a .*= b %/% c'", "#include x.stan\n", "3.i 1e 2..3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var errs ErrorList
		file := token.NewFileSet().AddFile("f", []byte(src))
		s := New(file, &errs)
		last := token.Pos(-1)
		for range len(src) + 2 {
			tk := s.Next()
			if tk.Pos < last {
				t.Fatalf("positions went backwards: %d after %d", tk.Pos, last)
			}
			last = tk.Pos
			if tk.Kind == token.EOF {
				return
			}
			_ = fmt.Sprint(file.Position(tk.Pos))
		}
		t.Fatal("the scanner did not reach EOF")
	})
}
