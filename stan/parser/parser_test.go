package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/internal/asttest"
	"github.com/gostan/gostan/stan/token"
)

func TestSyntaxErrors(t *testing.T) {
	n := asttest.ErrorCorpus(t, filepath.Join("testdata", "errors"), func(fset *token.FileSet, name string, src []byte) error {
		_, err := ParseFile(fset, name, src, nil)
		return err
	})
	t.Logf("%d invalid programs", n)
}

func TestInclude(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lib.stan"), []byte("real twice(real x) { return 2 * x; }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.stan"), []byte("real f( { }\n"), 0o644)
	src := []byte("functions {\n#include \"lib.stan\"\n}\nmodel { }\n")
	fset := token.NewFileSet()
	prog, err := ParseFile(fset, "main.stan", src, DirIncluder(dir))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(prog.Block(0).Body.List); n != 1 {
		t.Fatalf("functions block has %d entries", n)
	}
	// An error inside an included file is reported in that file.
	_, err = ParseFile(token.NewFileSet(), "main.stan", []byte("functions {\n#include bad.stan\n}\n"), DirIncluder(dir))
	if err == nil || !strings.Contains(err.Error(), "bad.stan:1:9") {
		t.Errorf("error in include: %v", err)
	}
	_, err = ParseFile(token.NewFileSet(), "main.stan", []byte("#include missing.stan\n"), DirIncluder(dir))
	if err == nil || !strings.Contains(err.Error(), `could not find include file "missing.stan"`) {
		t.Errorf("missing include: %v", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err = ParseFile(token.NewFileSet(), "main.stan", []byte("#include lib\n"), DirIncluder(dir))
	if err == nil || !strings.Contains(err.Error(), `include path "lib" is a directory`) {
		t.Errorf("a directory included: %v", err)
	}
}

// TestIncludeOnce: Stan 2.39 includes a .stanfunctions file once, however
// often it is included (directly or through other files); another file is
// read each time it is included, and a file including itself is an error.
func TestIncludeOnce(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("base.stanfunctions", "real base(real x) { return x; }\n")
	write("a.stanfunctions", "#include base.stanfunctions\nreal a(real x) { return base(x); }\n")
	write("b.stanfunctions", "#include base.stanfunctions\nreal b(real x) { return base(x); }\n")
	write("decl.stan", "real z;\n")
	write("self.stan", "#include self.stan\n")
	src := "functions {\n#include a.stanfunctions\n#include b.stanfunctions\n#include base.stanfunctions\n}\n" +
		"transformed data {\n#include decl.stan\n}\nmodel {\n#include decl.stan\n}\n"
	prog, err := ParseFile(token.NewFileSet(), "main.stan", []byte(src), DirIncluder(dir))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(prog.Block(ast.Functions).Body.List); n != 3 {
		t.Errorf("functions block has %d definitions, want 3 (base once, a, b)", n)
	}
	for _, b := range []ast.BlockKind{ast.TransformedData, ast.Model} {
		if n := len(prog.Block(b).Body.List); n != 1 {
			t.Errorf("block %v has %d statements, want decl.stan's 1", b, n)
		}
	}
	_, err = ParseFile(token.NewFileSet(), "main.stan", []byte("#include self.stan\n"), DirIncluder(dir))
	if err == nil || !strings.Contains(err.Error(), "recursive") {
		t.Errorf("recursive include: %v", err)
	}
}

// TestFunctionsFile: a .stanfunctions file, read by itself, is function
// definitions alone (stanc3's standalone functions), parsed as a program
// with only a functions block; its includes are read as in a program, and
// a block keyword in it is an error at its position.
func TestFunctionsFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "base.stanfunctions"), []byte("real base(real x) { return x; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "#include base.stanfunctions\nreal sq(real x) { return x^2; }\nvector twice(vector v);\nvector twice(vector v) { return 2 * v; }\n"
	prog, err := ParseFile(token.NewFileSet(), "lib.stanfunctions", []byte(src), DirIncluder(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(prog.Blocks) != 1 || prog.Block(ast.Functions) == nil {
		t.Fatalf("blocks %v, want the functions block alone", prog.Blocks)
	}
	if n := len(prog.Block(ast.Functions).Body.List); n != 4 {
		t.Errorf("%d function declarations, want 4", n)
	}
	_, err = ParseFile(token.NewFileSet(), "lib.stanfunctions", []byte("real f(real x) { return x; }\nmodel { }\n"), nil)
	if err == nil || !strings.Contains(err.Error(), "lib.stanfunctions:2:1: expected a type") {
		t.Errorf("a block in a functions file: %v", err)
	}
	// A '}' closing nothing, as in a whole program saved as a functions
	// file, is an error at its position (it made the parser loop).
	for _, src := range []string{"real f(real x) { return x; }\n}\nreal g(real x) { return x; }\n", "functions { real f(); }\nmodel { }\n", "}"} {
		_, err = ParseFile(token.NewFileSet(), "lib.stanfunctions", []byte(src), nil)
		if err == nil || !strings.Contains(err.Error(), "lib.stanfunctions:") {
			t.Errorf("%q: %v", src, err)
		}
	}
	// The same text as a program is an error: a program is made of blocks.
	if _, err := ParseFile(token.NewFileSet(), "lib.stan", []byte("real sq(real x) { return x^2; }\n"), nil); err == nil {
		t.Error("function definitions outside a functions block parsed as a .stan program")
	}
}

func TestPrecedence(t *testing.T) {
	for src, want := range map[string]string{
		"-a^b":              "(-(a^b))",
		"a^-b":              "(a^(-b))",
		"a^b^c":             "(a^(b^c))",
		"a + b * c":         "(a+(b*c))",
		"a * b .* c":        "((a*b).*c)",
		"a .* b * c":        "((a.*b)*c)",
		"a * b %/% c":       "(a*(b%/%c))",
		"a %/% b * c":       "((a%/%b)*c)",
		"a .* b \\ c":       "(a.*(b\\c))",
		"a %/% b \\ c":      "((a%/%b)\\c)",
		"a \\ b * c":        "((a\\b)*c)",
		"a - b - c":         "((a-b)-c)",
		"a < b == c":        "((a<b)==c)",
		"a || b && c":       "(a||(b&&c))",
		"a ? b : c ? d : e": "(a?b:(c?d:e))",
		"!a + b":            "((!a)+b)",
		"a' * b":            "((a')*b)",
		"x[1, 2:3, :]'":     "(x[1,(2:3),(:)]')",
		"x[1,]":             "x[1,(:)]",
		"x[,]":              "x[(:),(:)]",
		"x[]":               "x[(:)]",
	} {
		x, err := ParseExpr(src)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if got := tree(x); got != want {
			t.Errorf("%s parsed as %s, want %s", src, got, want)
		}
	}
}

// TestNestingTooDeep: statements or expressions nested beyond maxNesting
// stop the parse with one error at the token that goes too deep; just
// below the limit they parse.
func TestNestingTooDeep(t *testing.T) {
	wrap := func(open, inner, close string, n int) string {
		return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
	}
	expr := func(n int) string { return "model {\n  target += " + wrap("(", "1", ")", n) + ";\n}\n" }
	for _, c := range []struct {
		name, src string
		col       int // of the error, 0: none
	}{
		// The statement and its expression are two levels, each '(' one.
		{"parens", expr(maxNesting - 2), 0},
		{"parens too deep", expr(maxNesting - 1), 13 + maxNesting - 1},
		// The block's own braces are no statement.
		{"blocks", "model\n" + wrap("{", "", "}", maxNesting+1), 0},
		{"blocks too deep", "model\n" + wrap("{", "", "}", maxNesting+2), maxNesting + 2},
		{"minus", "model {\n  target += " + strings.Repeat("-", 3*maxNesting) + "1;\n}\n", 13 + maxNesting - 2},
		{"powers", "model {\n  target += " + strings.Repeat("2^", 3*maxNesting) + "1;\n}\n", 12 + 2*(maxNesting-1)},
		// The 10000th if is fine, its condition one level too deep.
		{"if", "model {\n" + strings.Repeat("if (1) ", 3*maxNesting) + ";\n}\n", 7*(maxNesting-1) + 5},
	} {
		_, err := ParseFile(token.NewFileSet(), "d.stan", []byte(c.src), nil)
		if c.col == 0 {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		want := fmt.Sprintf("d.stan:2:%d: nesting too deep", c.col)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %s", c.name, err, want)
		}
	}
	if _, err := ParseExpr(strings.Repeat("(", 2*maxNesting)); err == nil || !strings.Contains(err.Error(), "nesting too deep") {
		t.Errorf("ParseExpr: %v", err)
	}
}

// TestMultipleDeclarations: one statement declaring several variables
// parses to one VarDecl a name, sharing the type, each with its own
// initial value.
func TestMultipleDeclarations(t *testing.T) {
	src := "transformed data {\n  array[2] real<lower=0> x = {1, 2}, y, z = {3, 4};\n  int n;\n}\n"
	prog, err := ParseFile(token.NewFileSet(), "m.stan", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	list := prog.Blocks[0].Body.List
	if len(list) != 4 {
		t.Fatalf("%d statements, want 4", len(list))
	}
	var ds []*ast.VarDecl
	for _, s := range list {
		ds = append(ds, s.(*ast.VarDecl))
	}
	for i, want := range []struct {
		name  string
		init  bool
		comma bool
	}{{"x", true, false}, {"y", false, true}, {"z", true, true}, {"n", false, false}} {
		d := ds[i]
		if d.Name.Name != want.name || (d.Init != nil) != want.init || d.Comma.IsValid() != want.comma {
			t.Errorf("declaration %d: %s, init %v, comma %v; want %+v", i, d.Name.Name, d.Init != nil, d.Comma.IsValid(), want)
		}
	}
	if ds[1].Type != ds[0].Type || ds[2].Type != ds[0].Type || ds[3].Type == ds[0].Type {
		t.Error("the names of one statement should share its type, and only they")
	}
	if ds[0].Semi != ds[2].Semi || ds[1].Pos() != ds[1].Name.Pos() || ds[0].Pos() != ds[0].Type.Pos() {
		t.Error("positions of the declarations")
	}
}

// TestStanc3Forms: forms stanc3's grammar accepts that gostan once
// refused, each with the tree it must give.
func TestStanc3Forms(t *testing.T) {
	parse := func(src string) *ast.Program {
		t.Helper()
		prog, err := ParseFile(token.NewFileSet(), "f.stan", []byte(src), nil)
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		return prog
	}
	// A stray ';' among declarations is nothing.
	if list := parse("data { int n; ; }\nparameters { ; real x; }\n").Blocks; len(list[0].Body.List) != 1 || len(list[1].Body.List) != 1 {
		t.Error("';' in data or parameters should leave one declaration each")
	}
	// A declaration as the body of a branch or loop is scoped to it, as if
	// braced.
	for _, src := range []string{"model { if (1) real x = 1; }", "model { for (i in 1:2) int j = i, k; }", "model { while (0) vector[2] v; }"} {
		var body ast.Stmt
		switch s := parse(src).Blocks[0].Body.List[0].(type) {
		case *ast.IfStmt:
			body = s.Then
		case *ast.ForStmt:
			body = s.Body
		case *ast.WhileStmt:
			body = s.Body
		}
		b, ok := body.(*ast.BlockStmt)
		if !ok || len(b.List) == 0 {
			t.Errorf("%s: body %T, want a block of the declarations", src, body)
			continue
		}
		for _, s := range b.List {
			if _, ok := s.(*ast.VarDecl); !ok {
				t.Errorf("%s: %T in the body, want declarations", src, s)
			}
		}
	}
	// Bounds in either order.
	d := parse("parameters { real<upper=1, lower=0> x; }").Blocks[0].Body.List[0].(*ast.VarDecl)
	if tree(d.Type.Lower) != "0" || tree(d.Type.Upper) != "1" {
		t.Errorf("<upper=1, lower=0>: lower %s, upper %s", tree(d.Type.Lower), tree(d.Type.Upper))
	}
	// A '{' starting a statement opens an array expression, the left side
	// of ~, where the tokens to its '}' form an expression list, and a
	// block otherwise (the User's Guide writes { alpha, beta } ~ normal(0, 5);).
	var kinds func(list []ast.Stmt) string
	kinds = func(list []ast.Stmt) string {
		var k []string
		for _, s := range list {
			switch s := s.(type) {
			case *ast.TildeStmt:
				if _, ok := s.LHS.(*ast.ArrayExpr); !ok {
					k = append(k, "~?")
					continue
				}
				k = append(k, "~")
			case *ast.BlockStmt:
				k = append(k, "{"+kinds(s.List)+"}")
			case *ast.ForStmt:
				k = append(k, "for"+kinds([]ast.Stmt{s.Body}))
			case *ast.VarDecl:
				k = append(k, "decl")
			default:
				k = append(k, fmt.Sprintf("%T", s))
			}
		}
		return strings.Join(k, " ")
	}
	src := `model {
  { alpha, beta } ~ normal(0, 5);
  { { v[1] } ~ normal(1, 2); { {v[2], 0}[1] } ~ normal(0, 1); }
  { }
  { { } { real x = 1; } }
  for (i in 1:2) { {alpha + f({1, 2}), beta} ~ normal(0, 1); }
}`
	if got, want := kinds(parse(src).Blocks[0].Body.List), "~ {~ ~} {} {{} {decl}} for{~}"; got != want {
		t.Errorf("braces starting statements: %s, want %s", got, want)
	}
	// Two-word block names with spaces or tabs between their words.
	if k := parse("transformed \t data { }\ngenerated  quantities { }").Blocks; k[0].Kind != ast.TransformedData || k[1].Kind != ast.GeneratedQuantities {
		t.Error("block names with spaces")
	}
}
