// Package parser builds the syntax tree of a Stan program, after
// go/parser. It reads both Stan syntaxes (array[N] real x; and the older
// real x[N];), the constructs older programs use (<-, increment_log_prob,
// # comments) and the deep PPL blocks (networks, guide parameters, guide).
package parser

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/scanner"
	"github.com/gostan/gostan/stan/token"
)

// Includer returns the text of an #include'd file, named as written, and
// the name to report positions under.
type Includer func(path string) (name string, src []byte, err error)

// DirIncluder resolves #include paths against a list of directories, as
// stanc's --include-paths does.
func DirIncluder(dirs ...string) Includer {
	return func(path string) (string, []byte, error) {
		dir := ""
		for _, d := range dirs {
			name := filepath.Join(d, path)
			if src, err := os.ReadFile(name); err == nil {
				return name, src, nil
			} else if fi, serr := os.Stat(name); serr == nil && fi.IsDir() && dir == "" {
				dir = name
			}
		}
		if dir != "" {
			return "", nil, fmt.Errorf("include path %q is a directory (%s), not a file", path, dir)
		}
		return "", nil, fmt.Errorf("could not find include file %q in %s", path, strings.Join(dirs, ", "))
	}
}

// ParseFile parses one program. Its files (the main one and any it
// includes) are added to fset; errors are a scanner.ErrorList in source
// order. inc may be nil, which makes #include an error.
func ParseFile(fset *token.FileSet, filename string, src []byte, inc Includer) (*ast.Program, error) {
	p := &parser{fset: fset, inc: inc}
	p.push(filename, src)
	p.next()
	var prog *ast.Program
	if strings.HasSuffix(filename, ".stanfunctions") {
		prog = p.parseFunctionsFile()
	} else {
		prog = p.parseProgram()
	}
	return prog, p.errs.Err()
}

// ParseExpr parses a single expression (for tests and tools).
func ParseExpr(src string) (x ast.Expr, err error) {
	p := &parser{fset: token.NewFileSet()}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(syncErr); !ok {
				if _, ok := r.(bailout); !ok {
					panic(r)
				}
			}
			x, err = nil, p.errs.Err()
		}
	}()
	p.push("expr", []byte(src))
	p.next()
	x = p.parseExpr()
	if p.tok.Kind != token.EOF {
		p.errorExpected("end of expression")
	}
	return x, p.errs.Err()
}

const maxErrors = 10

// maxNesting bounds how deep statements and expressions nest, so that a
// hostile program cannot exhaust the stack of the parser or of the passes
// that recurse on its tree after it.
const maxNesting = 10000

type parser struct {
	fset     *token.FileSet
	inc      Includer
	errs     scanner.ErrorList
	scanners []*scanner.Scanner // the include stack, innermost last
	tok      scanner.Token
	ahead    []scanner.Token
	lastEnd  token.Pos // end of the previous token, where a missing ';' belongs
	// including names the files of the include stack after the main one,
	// as resolved; functionFiles the .stanfunctions files included.
	including     []string
	functionFiles map[string]bool
	stmtErrs      int // errors before the current statement began
	// more holds the declarations after the first of one statement
	// (real x, y;), for the statement list to append after it.
	more  []ast.Stmt
	depth int // statements and expressions being parsed, nested
	// arrowDepth is the depth at which <- ends a statement's expression
	// as the old assignment (parseStmtExpr); 0 when none does.
	arrowDepth int
	bailing    bool // a bailout is unwinding: guard lets it pass
	// arrayBrace tells, by position, whether a '{' that starts a
	// statement opens an array expression ({a, b} ~ normal(0, 1);)
	// rather than a block: see braceKinds.
	arrayBrace map[token.Pos]bool
}

// bailout stops parsing after too many errors.
type bailout struct{}

// enter counts one more level of nesting, and stops parsing beyond
// maxNesting; each enter is paired with a deferred leave.
func (p *parser) enter() {
	p.depth++
	if p.depth > maxNesting {
		p.errs.Add(p.fset.Position(p.tok.Pos), fmt.Sprintf("nesting too deep: more than %d levels of statements or expressions", maxNesting))
		p.bail()
	}
}

func (p *parser) leave() { p.depth-- }

// bail stops parsing. The statements being parsed do not recover the
// bailout: recovering and panicking again at each of thousands of nested
// statements takes time quadratic in their depth.
func (p *parser) bail() {
	p.bailing = true
	panic(bailout{})
}

func (p *parser) push(name string, src []byte) {
	f := p.fset.AddFile(name, src)
	p.scanners = append(p.scanners, scanner.New(f, &p.errs))
}

// scan returns the next token from the include stack, entering included
// files and returning to the including one at their end.
func (p *parser) scan() scanner.Token {
	for {
		s := p.scanners[len(p.scanners)-1]
		t := s.Next()
		switch {
		case t.Kind == token.EOF && len(p.scanners) > 1:
			p.scanners = p.scanners[:len(p.scanners)-1]
			p.including = p.including[:len(p.including)-1]
		case t.Kind == token.INCLUDE:
			p.include(t)
		default:
			return t
		}
	}
}

// include enters the file t names. A file that includes itself, directly
// or not, is an error; a file included again elsewhere is read again, as
// stanc3 reads it, except a .stanfunctions file, which Stan 2.39 includes
// once and ignores after (its functions would be defined twice, and
// function definitions do not depend on their order).
func (p *parser) include(t scanner.Token) {
	if t.Lit == "" {
		return // the scanner has reported the directive's error
	}
	if p.inc == nil {
		p.errorAt(t.Pos, fmt.Sprintf("cannot #include %q: no include paths were given", t.Lit))
		return
	}
	name, src, err := p.inc(t.Lit)
	if err != nil {
		p.errorAt(t.Pos, err.Error())
		return
	}
	if slices.Contains(p.including, name) || len(p.scanners) > 32 {
		p.errorAt(t.Pos, fmt.Sprintf("#include %q is recursive", t.Lit))
		return
	}
	if strings.HasSuffix(name, ".stanfunctions") {
		if p.functionFiles[name] {
			return
		}
		if p.functionFiles == nil {
			p.functionFiles = map[string]bool{}
		}
		p.functionFiles[name] = true
	}
	p.including = append(p.including, name)
	p.push(name, src)
}

func (p *parser) next() {
	if p.tok.Kind != token.ILLEGAL || p.tok.Pos != token.NoPos {
		p.lastEnd = p.tok.Pos + token.Pos(tokenLen(p.tok))
	}
	if len(p.ahead) > 0 {
		p.tok = p.ahead[0]
		p.ahead = p.ahead[1:]
		return
	}
	p.tok = p.scan()
}

func tokenLen(t scanner.Token) int {
	if t.Lit != "" {
		return len(t.Lit)
	}
	if t.Kind == token.EOF {
		return 0
	}
	return len(t.Kind.String())
}

// peek returns the token after the current one.
func (p *parser) peek() scanner.Token {
	if len(p.ahead) == 0 {
		p.ahead = append(p.ahead, p.scan())
	}
	return p.ahead[0]
}

func (p *parser) errorAt(pos token.Pos, msg string) {
	if len(p.errs) > p.stmtErrs {
		return // the statement already has an error, often this one's cause
	}
	position := p.fset.Position(pos)
	if n := len(p.errs); n > 0 && p.errs[n-1].Pos.Line == position.Line && p.errs[n-1].Pos.Filename == position.Filename {
		return // one error a line: the rest usually follow from it
	}
	p.errs.Add(position, msg)
	if len(p.errs) >= maxErrors {
		p.bail()
	}
}

func describe(t scanner.Token) string {
	switch t.Kind {
	case token.IDENT:
		return fmt.Sprintf("identifier %q", t.Lit)
	case token.INT, token.REAL, token.IMAG, token.STRING:
		return fmt.Sprintf("%s %s", t.Kind, t.Lit)
	case token.EOF:
		return "end of file"
	}
	return fmt.Sprintf("%q", t.Kind.String())
}

func (p *parser) errorExpected(what string) {
	pos := p.tok.Pos
	if what == `";"` && p.lastEnd.IsValid() {
		pos = p.lastEnd // a missing ';' belongs at the end of the line before
	}
	p.errorAt(pos, fmt.Sprintf("expected %s, found %s", what, describe(p.tok)))
}

// expect consumes a token of kind k and returns its position.
func (p *parser) expect(k token.Kind) token.Pos {
	pos := p.tok.Pos
	if p.tok.Kind != k {
		p.errorExpected(strconv.Quote(k.String()))
		panic(syncErr{})
	}
	p.next()
	return pos
}

// syncErr abandons the current statement; parseStmt recovers at the next
// ';' or '}'.
type syncErr struct{}

func (p *parser) isWord(w string) bool { return p.tok.Kind == token.IDENT && p.tok.Lit == w }

func (p *parser) expectWord(w string) token.Pos {
	pos := p.tok.Pos
	if !p.isWord(w) {
		p.errorExpected(strconv.Quote(w))
		panic(syncErr{})
	}
	p.next()
	return pos
}

func (p *parser) parseIdent() *ast.Ident {
	if p.tok.Kind != token.IDENT {
		p.errorExpected("an identifier")
		panic(syncErr{})
	}
	if token.IsReserved(p.tok.Lit) {
		p.errorAt(p.tok.Pos, fmt.Sprintf("expected an identifier, found reserved word %q", p.tok.Lit))
		panic(syncErr{})
	}
	id := &ast.Ident{NamePos: p.tok.Pos, Name: p.tok.Lit}
	p.next()
	return id
}

// ---- Program and blocks ----

func (p *parser) parseProgram() (prog *ast.Program) {
	prog = &ast.Program{}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
		}
	}()
	last := -1
	var lastKind ast.BlockKind
	for p.tok.Kind != token.EOF {
		pos := p.tok.Pos
		kind, ok := p.parseBlockName()
		if !ok {
			continue
		}
		order := kind.Order()
		if kind == ast.Networks && last <= ast.Data.Order() {
			order = last // networks may come before or after data
		}
		if prog.Block(kind) != nil {
			p.errorAt(pos, fmt.Sprintf("the %s block appears twice", kind))
		} else if order < last {
			p.errorAt(pos, fmt.Sprintf("the %s block must come before the %s block", kind, lastKind))
		}
		last, lastKind = max(last, order), kind
		b := &ast.Block{Kind: kind, KwPos: pos}
		b.Body = p.parseBlockBody(kind)
		prog.Blocks = append(prog.Blocks, b)
	}
	return prog
}

// parseFunctionsFile reads a .stanfunctions file, function definitions
// alone, as the functions block of a program with no other block: stanc3
// compiles such a file by itself (its standalone-functions mode) as well
// as including it in a functions block.
func (p *parser) parseFunctionsFile() (prog *ast.Program) {
	b := &ast.Block{Kind: ast.Functions, KwPos: p.tok.Pos, Body: &ast.BlockStmt{Lbrace: p.tok.Pos}}
	prog = &ast.Program{Blocks: []*ast.Block{b}}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
		}
	}()
	for p.tok.Kind != token.EOF {
		at := p.tok.Pos
		b.Body.List = p.appendStmt(b.Body.List, p.guard(p.parseFuncDecl))
		b.Body.Rbrace = p.tok.Pos
		if p.tok.Pos == at {
			// A '}' with no block to close, where sync stops: its error
			// is reported, and there is nothing after it to skip to.
			p.next()
		}
	}
	b.Body.Rbrace = p.tok.Pos
	return prog
}

// parseBlockName reads a block's name; on an error it skips a token.
func (p *parser) parseBlockName() (ast.BlockKind, bool) {
	w := ""
	if p.tok.Kind == token.IDENT {
		w = p.tok.Lit
	}
	two := func(second string, k ast.BlockKind) (ast.BlockKind, bool) {
		p.next()
		if !p.isWord(second) || !p.spaced() {
			p.errorBlockWord(strconv.Quote(second), second)
			p.next()
			return 0, false
		}
		p.next()
		return k, true
	}
	switch w {
	case "functions", "data", "parameters", "model", "networks":
		p.next()
		return map[string]ast.BlockKind{"functions": ast.Functions, "data": ast.Data, "parameters": ast.Parameters, "model": ast.Model, "networks": ast.Networks}[w], true
	case "transformed":
		p.next()
		switch {
		case p.isWord("data") && p.spaced():
			p.next()
			return ast.TransformedData, true
		case p.isWord("parameters") && p.spaced():
			p.next()
			return ast.TransformedParameters, true
		}
		p.errorBlockWord(`"data" or "parameters"`, "data", "parameters")
		p.next()
		return 0, false
	case "generated":
		return two("quantities", ast.GeneratedQuantities)
	case "guide":
		p.next()
		if p.isWord("parameters") {
			p.next()
			return ast.GuideParameters, true
		}
		return ast.Guide, true
	}
	p.errorAt(p.tok.Pos, fmt.Sprintf("expected a program block (functions, data, transformed data, parameters, transformed parameters, model, generated quantities), found %s", describe(p.tok)))
	// Skip to the next plausible block start.
	for p.tok.Kind != token.EOF {
		p.next()
		if p.tok.Kind == token.IDENT && blockWords[p.tok.Lit] {
			break
		}
	}
	return 0, false
}

// spaced reports whether only spaces and tabs separate the current token
// from the one before, as between the words of a two-word block name:
// stanc3 reads "transformed data" as one token, so no line break or
// comment may come between its words.
func (p *parser) spaced() bool {
	f := p.fset.File(p.tok.Pos)
	if f == nil || f != p.fset.File(p.lastEnd) || p.lastEnd > p.tok.Pos {
		return false
	}
	gap := f.Src()[f.Offset(p.lastEnd):f.Offset(p.tok.Pos)]
	return len(gap) > 0 && strings.Trim(string(gap), " \t\f") == ""
}

// errorBlockWord reports a bad second word of a block name, one of words
// that is not on the line of the first, or another.
func (p *parser) errorBlockWord(want string, words ...string) {
	if p.tok.Kind == token.IDENT && slices.Contains(words, p.tok.Lit) {
		p.errorAt(p.tok.Pos, "the two words of a block name must be on one line with only spaces between them")
		return
	}
	p.errorExpected(want)
}

var blockWords = map[string]bool{"functions": true, "data": true, "transformed": true, "parameters": true,
	"model": true, "generated": true, "networks": true, "guide": true}

func (p *parser) parseBlockBody(kind ast.BlockKind) *ast.BlockStmt {
	b := &ast.BlockStmt{Lbrace: p.tok.Pos}
	if p.tok.Kind != token.LBRACE {
		p.errorExpected(`"{"`)
		return &ast.BlockStmt{Lbrace: p.tok.Pos, Rbrace: p.tok.Pos}
	}
	p.next()
	for p.tok.Kind != token.RBRACE && p.tok.Kind != token.EOF {
		var s ast.Stmt
		switch kind {
		case ast.Functions:
			s = p.guard(p.parseFuncDecl)
		case ast.Networks:
			s = p.guard(p.parseNetworkDecl)
		default:
			s = p.parseStmt()
			if _, ok := s.(*ast.EmptyStmt); ok && declOnly(kind) {
				s = nil // stanc3 allows a stray ';' among declarations
			}
		}
		b.List = p.appendStmt(b.List, s)
	}
	b.Rbrace = p.tok.Pos
	if p.tok.Kind != token.RBRACE {
		p.errorExpected(`"}"`)
		return b
	}
	p.next()
	return b
}

// declOnly reports a block that holds declarations only.
func declOnly(k ast.BlockKind) bool {
	return k == ast.Data || k == ast.Parameters || k == ast.GuideParameters
}

// guard runs a statement parser, recovering from a syntax error by
// skipping to the end of the statement.
func (p *parser) guard(f func() ast.Stmt) (s ast.Stmt) {
	p.stmtErrs = len(p.errs)
	defer func() {
		if p.bailing {
			return
		}
		if r := recover(); r != nil {
			if _, ok := r.(syncErr); !ok {
				panic(r)
			}
			s = nil
			p.more = nil
			p.sync()
		}
	}()
	return f()
}

// sync skips to just after the next ';' or to the next '}'.
func (p *parser) sync() {
	depth := 0
	for p.tok.Kind != token.EOF {
		switch p.tok.Kind {
		case token.SEMI:
			if depth == 0 {
				p.next()
				return
			}
		case token.LBRACE:
			depth++
		case token.RBRACE:
			if depth == 0 {
				return
			}
			depth--
			if depth == 0 {
				p.next()
				return
			}
		}
		p.next()
	}
}

// ---- Types and declarations ----

// Sizes each base type takes in a declaration: 0, 1, 2 or 12 (one or two).
var baseSizes = map[string]int{
	"int": 0, "real": 0, "complex": 0,
	"vector": 1, "row_vector": 1, "simplex": 1, "unit_vector": 1, "ordered": 1, "positive_ordered": 1,
	"complex_vector": 1, "complex_row_vector": 1,
	"matrix": 2, "complex_matrix": 2,
	"cholesky_factor_corr": 1, "corr_matrix": 1, "cov_matrix": 1, "cholesky_factor_cov": 12,
	"sum_to_zero_vector": 1, "sum_to_zero_matrix": 2, "column_stochastic_matrix": 2, "row_stochastic_matrix": 2,
}

// unsizedBases are the types a function argument or result may have.
var unsizedBases = map[string]bool{"int": true, "real": true, "complex": true, "vector": true,
	"row_vector": true, "matrix": true, "complex_vector": true, "complex_row_vector": true, "complex_matrix": true}

func (p *parser) startsDecl() bool {
	if p.tok.Kind != token.IDENT {
		return false
	}
	_, ok := baseSizes[p.tok.Lit]
	return ok || p.tok.Lit == "array" || p.tok.Lit == "tuple" && p.peek().Kind == token.LPAREN
}

// newerThanOldArrays holds the declared types Stan added with or after
// 2.33, which removed the old array syntax real x[N]: no program ever
// declared an array of them that way.
var newerThanOldArrays = map[string]bool{
	"tuple": true, "sum_to_zero_vector": true, "sum_to_zero_matrix": true,
	"column_stochastic_matrix": true, "row_stochastic_matrix": true,
}

// parseVarDecl reads a sized declaration: array[dims] base<constraints>[sizes]
// name[old dims] = init; or several names of one type, each with its
// own initial value (real x = 1, y;, Stan 2.33). It returns the first
// declaration and leaves the others in p.more.
func (p *parser) parseVarDecl() ast.Stmt {
	t := p.parseSizedType()
	d := &ast.VarDecl{Type: t, Name: p.parseIdent()}
	if p.tok.Kind == token.LBRACK { // the old syntax: real x[N];
		pos := p.tok.Pos
		p.next()
		dims := p.parseExprList(token.RBRACK)
		p.expect(token.RBRACK)
		if t.ArrayDims != nil {
			p.errorAt(pos, "array dimensions are given twice: use either array[...] or the old name[...] form")
		} else if newerThanOldArrays[t.Base] && len(dims) > 0 {
			// stanc3 parses x[...] only to point at array[...]; gostan
			// keeps it for the types older programs can hold, never for
			// those added after Stan 2.33 removed it.
			base := t.Base
			if base == "tuple" {
				base = "tuple(...)"
			}
			p.errorAt(dims[0].Pos(), fmt.Sprintf(`";" expected after the declaration: the old array syntax %s[...] cannot declare a %s, which Stan added after removing that syntax; write array[...] %s %s`, d.Name.Name, t.Base, base, d.Name.Name))
		}
		t.ArrayDims = dims
		if p.tok.Kind == token.COMMA {
			p.errorAt(p.tok.Pos, "several variables declared at once need the array[...] syntax: write array[...] before the type, not after the name")
			panic(syncErr{})
		}
	}
	if p.tok.Kind == token.ASSIGN {
		p.next()
		d.Init = p.parseExpr()
	}
	decls := []*ast.VarDecl{d}
	for p.tok.Kind == token.COMMA {
		e := &ast.VarDecl{Type: t, Comma: p.tok.Pos}
		p.next()
		e.Name = p.parseIdent()
		if p.tok.Kind == token.LBRACK {
			p.errorAt(p.tok.Pos, "several variables declared at once need the array[...] syntax: write array[...] before the type, not after the name")
			panic(syncErr{})
		}
		if p.tok.Kind == token.ASSIGN {
			p.next()
			e.Init = p.parseExpr()
		}
		decls = append(decls, e)
	}
	semi := p.expect(token.SEMI)
	for _, e := range decls {
		e.Semi = semi
	}
	for _, e := range decls[1:] {
		p.more = append(p.more, e)
	}
	return d
}

// appendStmt appends s to list, with the declarations s leaves in p.more.
func (p *parser) appendStmt(list []ast.Stmt, s ast.Stmt) []ast.Stmt {
	if s != nil {
		list = append(list, s)
	}
	list = append(list, p.more...)
	p.more = nil
	return list
}

// parseSizedType reads a declaration's type: array[dims]
// base<constraints>[sizes], or array[dims] tuple(T1, T2, ...) whose
// members are sized types themselves.
func (p *parser) parseSizedType() *ast.Type {
	p.enter()
	defer p.leave()
	t := &ast.Type{TypePos: p.tok.Pos}
	if p.isWord("array") {
		p.next()
		p.expect(token.LBRACK)
		if p.tok.Kind == token.RBRACK {
			p.errorExpected("the sizes of the array")
			panic(syncErr{})
		}
		t.ArrayDims = p.parseExprList(token.RBRACK)
		p.expect(token.RBRACK)
	}
	if p.tok.Kind != token.IDENT {
		p.errorExpected("a type")
		panic(syncErr{})
	}
	if p.isWord("tuple") {
		p.next()
		t.Base = "tuple"
		t.Members = p.parseTupleMembers(p.parseSizedType)
		t.EndPos = p.lastEnd
		return t
	}
	t.Base = p.tok.Lit
	nSizes, ok := baseSizes[t.Base]
	if !ok {
		p.errorAt(p.tok.Pos, fmt.Sprintf("expected a type, found %s", describe(p.tok)))
		panic(syncErr{})
	}
	p.next()
	if p.tok.Kind == token.LSS {
		p.parseConstraints(t)
	}
	if nSizes > 0 {
		if p.tok.Kind != token.LBRACK {
			p.errorExpected(fmt.Sprintf(`"[" and the size of the %s`, t.Base))
			panic(syncErr{})
		}
		lb := p.tok.Pos
		p.next()
		t.Sizes = p.parseExprList(token.RBRACK)
		p.expect(token.RBRACK)
		if want := nSizes; len(t.Sizes) != want && !(want == 12 && (len(t.Sizes) == 1 || len(t.Sizes) == 2)) {
			n := fmt.Sprint(want)
			if want == 12 {
				n = "1 or 2"
			}
			p.errorAt(lb, fmt.Sprintf("%s takes %s size(s), found %d", t.Base, n, len(t.Sizes)))
		}
	}
	t.EndPos = p.lastEnd
	return t
}

// parseTupleMembers reads (T1, T2, ...) after the word tuple, each
// member read by member; a tuple has at least two members.
func (p *parser) parseTupleMembers(member func() *ast.Type) []*ast.Type {
	lp := p.expect(token.LPAREN)
	var ms []*ast.Type
	one := false
	for p.tok.Kind != token.RPAREN {
		if len(ms) > 0 {
			p.expectSep(token.RPAREN)
			if one = len(ms) == 1 && p.tok.Kind == token.RPAREN; one {
				break // tuple(real,): one member (Stan 2.39)
			}
		}
		ms = append(ms, member())
	}
	p.expect(token.RPAREN)
	if len(ms) < 2 && !one {
		p.errorAt(lp, fmt.Sprintf("a tuple type needs at least two member types, or one and a comma, as in tuple(real,); found %d", len(ms)))
	}
	return ms
}

// parseConstraints reads <lower=..., upper=...> or <offset=..., multiplier=...>.
func (p *parser) parseConstraints(t *ast.Type) {
	p.expect(token.LSS)
	for {
		if p.tok.Kind != token.IDENT {
			p.errorExpected(`"lower", "upper", "offset" or "multiplier"`)
			panic(syncErr{})
		}
		key, pos := p.tok.Lit, p.tok.Pos
		p.next()
		p.expect(token.ASSIGN)
		// Bounds stop at '>' and ',', so they are parsed above the
		// comparison operators.
		x := p.parseBinary(token.ADD.Precedence())
		var slot *ast.Expr
		switch key {
		case "lower":
			slot = &t.Lower
		case "upper":
			slot = &t.Upper
		case "offset":
			slot = &t.Offset
		case "multiplier":
			slot = &t.Multiplier
		default:
			p.errorAt(pos, fmt.Sprintf(`expected "lower", "upper", "offset" or "multiplier", found %q`, key))
			panic(syncErr{})
		}
		if *slot != nil {
			p.errorAt(pos, fmt.Sprintf("%s is given twice", key))
		}
		*slot = x
		if p.tok.Kind != token.COMMA {
			break
		}
		p.next()
	}
	if (t.Lower != nil || t.Upper != nil) && (t.Offset != nil || t.Multiplier != nil) {
		p.errorAt(t.TypePos, "a type cannot have both bounds and an offset or multiplier")
	}
	p.expect(token.GTR)
}

// parseUnsizedType reads an unsized type: array[,] base, the old base[,],
// or a tuple of unsized types. Only a whole argument may be qualified
// `data` and only a whole result may be `void` (stanc3's grammar: its
// return_type is void or an unsized type, its arg_decl an optional data
// before one); parseFuncDecl reads those.
func (p *parser) parseUnsizedType() *ast.Type {
	t := &ast.Type{TypePos: p.tok.Pos}
	if p.isWord("array") {
		p.next()
		t.ArrayDims = p.parseCommas()
	}
	if p.isWord("tuple") && p.peek().Kind == token.LPAREN {
		p.enter()
		defer p.leave()
		p.next()
		t.Base = "tuple"
		t.Members = p.parseTupleMembers(p.parseUnsizedType)
		t.EndPos = p.lastEnd
		return t
	}
	if p.tok.Kind != token.IDENT || !unsizedBases[p.tok.Lit] {
		switch {
		case p.tok.Kind == token.IDENT && baseSizes[p.tok.Lit] > 0:
			p.errorAt(p.tok.Pos, fmt.Sprintf("function arguments and results cannot be constrained types like %s: use vector or matrix", p.tok.Lit))
		case p.isWord("data") && p.peek().Kind == token.IDENT:
			p.errorAt(p.tok.Pos, "only a whole function argument can be qualified data, as in data array[] real x")
		case p.isWord("void"):
			p.errorAt(p.tok.Pos, "void is a function's return type alone: it is not a value's type")
		default:
			p.errorExpected("a type")
		}
		panic(syncErr{})
	}
	t.Base = p.tok.Lit
	p.next()
	if p.tok.Kind == token.LBRACK {
		if k := p.peek().Kind; k != token.RBRACK && k != token.COMMA {
			p.errorAt(p.tok.Pos, fmt.Sprintf("function arguments and results have no sizes: write %s, not %s[...]", t.Base, t.Base))
			panic(syncErr{})
		}
		if t.ArrayDims != nil {
			p.errorAt(p.tok.Pos, "array dimensions are given twice")
		}
		t.ArrayDims = p.parseCommas()
	}
	t.EndPos = p.lastEnd
	return t
}

// parseCommas reads [] or [,,] and returns one nil dimension per slot.
func (p *parser) parseCommas() []ast.Expr {
	p.expect(token.LBRACK)
	dims := []ast.Expr{nil}
	for p.tok.Kind == token.COMMA {
		dims = append(dims, nil)
		p.next()
	}
	p.expect(token.RBRACK)
	return dims
}

func (p *parser) parseFuncDecl() ast.Stmt {
	var ret *ast.Type
	if p.isWord("void") {
		ret = &ast.Type{TypePos: p.tok.Pos, Base: "void"}
		p.next()
		ret.EndPos = p.lastEnd
	} else {
		ret = p.parseUnsizedType()
	}
	f := &ast.FuncDecl{Ret: ret, Name: p.parseIdent()}
	p.expect(token.LPAREN)
	for p.tok.Kind != token.RPAREN {
		if len(f.Params) > 0 {
			p.expectSep(token.RPAREN)
		}
		var t *ast.Type
		if p.isWord("data") {
			pos := p.tok.Pos
			p.next()
			t = p.parseUnsizedType()
			t.TypePos, t.DataOnly = pos, true
		} else {
			t = p.parseUnsizedType()
		}
		f.Params = append(f.Params, &ast.Param{Type: t, Name: p.parseIdent()})
	}
	f.Rparen = p.expect(token.RPAREN)
	if p.tok.Kind == token.SEMI {
		f.Semi = p.tok.Pos
		p.next()
		return f
	}
	if p.tok.Kind != token.LBRACE {
		// stanc3's grammar takes any statement but a declaration as the
		// body (real f(real x) return x;), and its semantic check then
		// refuses any but a block, at the statement (FunDeclNeedsBlock,
		// in the Stan 2.26 checker and today's alike). The statement is
		// read, as the one statement of a block, so that parsing goes on
		// after the error.
		if p.tok.Kind == token.RBRACE || p.tok.Kind == token.EOF {
			p.errorExpected(`"{", ";" or a statement as the function's body`)
			panic(syncErr{})
		}
		s := p.stmt()
		if d, ok := s.(*ast.VarDecl); ok {
			p.more = nil
			p.errorAt(d.Pos(), `expected "{", ";" or a statement as the function's body, found a declaration`)
		} else {
			p.errorAt(s.Pos(), "a function's body must be a block: enclose the statement in braces { ... }")
		}
		f.Body = &ast.BlockStmt{Lbrace: s.Pos(), List: []ast.Stmt{s}, Rbrace: s.End() - 1}
		return f
	}
	f.Body = p.parseBlockStmt()
	return f
}

// parseNetworkDecl reads a networks-block entry: a function declaration
// without a body, or `Class name;` naming an external network.
func (p *parser) parseNetworkDecl() ast.Stmt {
	if p.tok.Kind == token.IDENT && !unsizedBases[p.tok.Lit] && p.tok.Lit != "void" && p.tok.Lit != "array" && p.tok.Lit != "data" {
		t := &ast.Type{TypePos: p.tok.Pos, Base: p.tok.Lit}
		p.next()
		t.EndPos = p.lastEnd
		d := &ast.VarDecl{Type: t, Name: p.parseIdent()}
		d.Semi = p.expect(token.SEMI)
		return d
	}
	f := p.parseFuncDecl().(*ast.FuncDecl)
	if f.Body != nil {
		p.errorAt(f.Body.Lbrace, "a network is declared, not defined: end its declaration with ';'")
	}
	return f
}

// ---- Statements ----

func (p *parser) parseStmt() ast.Stmt { return p.guard(p.stmt) }

func (p *parser) parseBlockStmt() *ast.BlockStmt {
	b := &ast.BlockStmt{Lbrace: p.expect(token.LBRACE)}
	for p.tok.Kind != token.RBRACE && p.tok.Kind != token.EOF {
		b.List = p.appendStmt(b.List, p.parseStmt())
	}
	b.Rbrace = p.expect(token.RBRACE)
	return b
}

func (p *parser) stmt() ast.Stmt {
	p.enter()
	defer p.leave()
	if p.startsDecl() {
		return p.parseVarDecl()
	}
	pos := p.tok.Pos
	switch p.tok.Kind {
	case token.LBRACE:
		if !p.startsArray() {
			return p.parseBlockStmt()
		}
	case token.SEMI:
		p.next()
		return &ast.EmptyStmt{Semi: pos}
	case token.IDENT:
		switch p.tok.Lit {
		case "for":
			return p.parseFor()
		case "while":
			p.next()
			p.expect(token.LPAREN)
			cond := p.parseExpr()
			p.expect(token.RPAREN)
			return &ast.WhileStmt{While: pos, Cond: cond, Body: p.parseBody()}
		case "if":
			p.next()
			p.expect(token.LPAREN)
			s := &ast.IfStmt{If: pos, Cond: p.parseExpr()}
			p.expect(token.RPAREN)
			s.Then = p.parseBody()
			if p.isWord("else") {
				p.next()
				s.Else = p.parseBody()
			}
			return s
		case "break", "continue":
			w := p.tok.Lit
			p.next()
			return &ast.BranchStmt{TokPos: pos, Tok: w, Semi: p.expect(token.SEMI)}
		case "return":
			p.next()
			s := &ast.ReturnStmt{Return: pos}
			if p.tok.Kind != token.SEMI {
				s.X = p.parseExpr()
			}
			s.Semi = p.expect(token.SEMI)
			return s
		case "print", "reject", "fatal_error":
			w := p.tok.Lit
			p.next()
			p.expect(token.LPAREN)
			if p.tok.Kind == token.RPAREN {
				p.errorExpected("an expression or a string") // stanc3 takes no empty list
				panic(syncErr{})
			}
			s := &ast.PrintStmt{Kw: pos, Kind: w, Args: p.parseExprList(token.RPAREN)}
			p.expect(token.RPAREN)
			s.Semi = p.expect(token.SEMI)
			return s
		case "profile":
			p.next()
			p.expect(token.LPAREN)
			name := p.tok.Lit
			if p.tok.Kind != token.STRING {
				p.errorExpected("a string naming the profile")
				panic(syncErr{})
			}
			p.next()
			p.expect(token.RPAREN)
			return &ast.ProfileStmt{Profile: pos, Name: strings.Trim(name, `"`), Body: p.parseBlockStmt()}
		case "target":
			if p.peek().Kind == token.ADD_ASSIGN {
				p.next()
				p.next()
				s := &ast.TargetStmt{Target: pos, X: p.parseExpr()}
				s.Semi = p.expect(token.SEMI)
				return s
			}
		case "jacobian":
			if p.peek().Kind == token.ADD_ASSIGN {
				p.next()
				s := &ast.JacobianStmt{Jacobian: pos, OpPos: p.tok.Pos}
				p.next()
				s.X = p.parseExpr()
				s.Semi = p.expect(token.SEMI)
				return s
			}
		case "increment_log_prob":
			if p.peek().Kind == token.LPAREN {
				p.next()
				p.next()
				s := &ast.TargetStmt{Target: pos, X: p.parseExpr(), Old: true}
				p.expect(token.RPAREN)
				s.Semi = p.expect(token.SEMI)
				return s
			}
		case "else":
			p.errorAt(pos, `"else" without a matching "if"`)
			panic(syncErr{})
		}
	}
	x := p.parseStmtExpr()
	if id, ok := x.(*ast.Ident); ok && p.tok.Kind == token.IDENT {
		p.errorAt(id.Pos(), fmt.Sprintf("%q is not a type: declarations start with int, real, vector, ..., or array", id.Name))
		panic(syncErr{})
	}
	switch k := p.tok.Kind; k {
	case token.TILDE:
		return p.parseTilde(x)
	case token.ASSIGN, token.ADD_ASSIGN, token.SUB_ASSIGN, token.MUL_ASSIGN, token.QUO_ASSIGN,
		token.ELTMUL_ASSIGN, token.ELTDIV_ASSIGN, token.ARROW:
		if tx, ok := x.(*ast.TupleExpr); ok && k == token.ASSIGN {
			if !isUnpacking(tx) {
				p.errorAt(x.Pos(), "the left side of an unpacking assignment must list variables, possibly indexed, or such lists in parentheses")
				panic(syncErr{})
			}
		} else if !isLValue(x) {
			p.errorAt(x.Pos(), "the left side of an assignment must be a variable, possibly indexed")
			panic(syncErr{})
		}
		opPos := p.tok.Pos
		p.next()
		s := &ast.AssignStmt{LHS: x, OpPos: opPos, Op: k, RHS: p.parseExpr()}
		s.Semi = p.expect(token.SEMI)
		return s
	case token.SEMI:
		if call, ok := x.(*ast.CallExpr); ok {
			s := &ast.ExprStmt{Call: call, Semi: p.tok.Pos}
			p.next()
			return s
		}
		p.errorAt(x.Pos(), "an expression is not a statement: assign it, or use it in target += or ~")
		panic(syncErr{})
	}
	p.errorExpected(`"=", "~", "+=" or ";"`)
	panic(syncErr{})
}

// tokAt returns the token k places after the current one (0: the
// current one), reading ahead as far as needed.
func (p *parser) tokAt(k int) scanner.Token {
	if k == 0 {
		return p.tok
	}
	for len(p.ahead) < k {
		p.ahead = append(p.ahead, p.scan())
	}
	return p.ahead[k-1]
}

// stmtWords are the words that appear in statements but never in
// expressions: a brace holding one of them is a block.
var stmtWords = map[string]bool{"for": true, "while": true, "if": true, "else": true, "break": true,
	"continue": true, "return": true, "print": true, "reject": true, "fatal_error": true,
	"profile": true, "increment_log_prob": true, "array": true}

// startsArray reports whether the '{' starting the statement opens an
// array expression, the left side of a ~ statement, rather than a block.
// stanc3's LR grammar takes either, whichever the tokens up to the
// matching '}' fit: an expression list holds no statement tokens (';',
// '~', assignments, statement words, types) and is not empty, and a
// block holding only blocks is no expression.
func (p *parser) startsArray() bool {
	if a, ok := p.arrayBrace[p.tok.Pos]; ok {
		return a
	}
	if p.arrayBrace == nil {
		p.arrayBrace = map[token.Pos]bool{}
	}
	p.braceKinds()
	return p.arrayBrace[p.tok.Pos]
}

// braceKinds reads ahead from the current '{' to its matching '}' and
// records in arrayBrace the kind of it and of every brace nested in it
// directly (not in parentheses or brackets: those are no statements). It
// keeps a stack, not recursion: the nesting is not yet bounded here.
func (p *parser) braceKinds() {
	type frame struct {
		pos          token.Pos
		groups, toks int  // nested braces, and other tokens, at the top level
		stmt, comma  bool // a statement token or a comma at the top level
		inner        bool // the kind of the last nested brace
	}
	stack := []frame{{pos: p.tok.Pos}}
	nest := 0 // open parentheses and brackets (and braces inside them) in the top frame
	for k := 1; len(stack) > 0; k++ {
		t := p.tokAt(k)
		f := &stack[len(stack)-1]
		switch {
		case t.Kind == token.EOF:
			return // unclosed: blocks, as recorded by default
		case nest > 0:
			switch t.Kind {
			case token.LPAREN, token.LBRACK, token.LBRACE:
				nest++
			case token.RPAREN, token.RBRACK, token.RBRACE:
				nest--
			}
		case t.Kind == token.LBRACE:
			stack = append(stack, frame{pos: t.Pos})
		case t.Kind == token.RBRACE:
			var array bool
			switch {
			case f.stmt || f.groups+f.toks == 0:
			case f.comma || f.toks > 0:
				array = true
			case f.groups == 1:
				array = f.inner
			}
			p.arrayBrace[f.pos] = array
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				up := &stack[len(stack)-1]
				up.groups++
				up.inner = array
			}
		default:
			f.toks++
			switch t.Kind {
			case token.LPAREN, token.LBRACK:
				nest++
			case token.COMMA:
				f.comma = true
			case token.SEMI, token.TILDE, token.ASSIGN, token.ADD_ASSIGN, token.SUB_ASSIGN, token.MUL_ASSIGN,
				token.QUO_ASSIGN, token.ELTMUL_ASSIGN, token.ELTDIV_ASSIGN, token.ARROW:
				f.stmt = true
			case token.IDENT:
				_, typ := baseSizes[t.Lit]
				f.stmt = f.stmt || typ || stmtWords[t.Lit]
			}
		}
	}
}

func isLValue(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.Ident:
		return true
	case *ast.IndexExpr:
		return isLValue(x.X)
	case *ast.TupleIndexExpr:
		return isLValue(x.X)
	}
	return false
}

// isUnpacking reports whether a tuple expression may be the left side of
// an unpacking assignment: lvalues, or such tuples, nested.
func isUnpacking(x *ast.TupleExpr) bool {
	for _, e := range x.Elems {
		if t, ok := e.(*ast.TupleExpr); ok {
			if !isUnpacking(t) {
				return false
			}
		} else if !isLValue(e) {
			return false
		}
	}
	return true
}

// parseBody reads the body of a loop or branch: one statement.
func (p *parser) parseBody() ast.Stmt {
	if p.startsDecl() {
		// stanc3 (since 2.30) takes a declaration as the body; its scope is
		// the body, as if it were in braces, which the tree gives it.
		d := p.parseVarDecl()
		return &ast.BlockStmt{Lbrace: d.Pos(), List: p.appendStmt(nil, d), Rbrace: d.(*ast.VarDecl).Semi}
	}
	return p.stmt()
}

func (p *parser) parseFor() ast.Stmt {
	pos := p.tok.Pos
	p.next()
	p.expect(token.LPAREN)
	v := p.parseIdent()
	p.expectWord("in")
	x := p.parseExpr()
	if p.tok.Kind == token.COLON {
		p.next()
		hi := p.parseExpr()
		p.expect(token.RPAREN)
		return &ast.ForStmt{For: pos, Var: v, Lo: x, Hi: hi, Body: p.parseBody()}
	}
	p.expect(token.RPAREN)
	return &ast.ForeachStmt{For: pos, Var: v, X: x, Body: p.parseBody()}
}

func (p *parser) parseTilde(lhs ast.Expr) ast.Stmt {
	s := &ast.TildeStmt{LHS: lhs, Tilde: p.tok.Pos}
	p.next()
	if p.tok.Kind != token.IDENT {
		p.errorExpected("a distribution name")
		panic(syncErr{})
	}
	s.Dist = &ast.Ident{NamePos: p.tok.Pos, Name: p.tok.Lit}
	p.next()
	p.expect(token.LPAREN)
	s.Args = p.parseExprList(token.RPAREN)
	s.Rparen = p.expect(token.RPAREN)
	if p.isWord("T") && p.peek().Kind == token.LBRACK {
		p.next()
		p.next()
		s.Truncated = true
		if p.tok.Kind != token.COMMA {
			s.TruncLo = p.parseExpr()
		}
		p.expect(token.COMMA)
		if p.tok.Kind != token.RBRACK {
			s.TruncHi = p.parseExpr()
		}
		p.expect(token.RBRACK)
	}
	s.Semi = p.expect(token.SEMI)
	return s
}

// ---- Expressions ----

// parseExprList reads comma-separated expressions up to (not including)
// the closing token.
func (p *parser) parseExprList(close token.Kind) []ast.Expr {
	var list []ast.Expr
	for p.tok.Kind != close {
		if len(list) > 0 {
			p.expectSep(close)
		}
		list = append(list, p.parseExpr())
	}
	return list
}

// expectSep consumes the ',' between list elements; anything but ',' or
// the closing token is an error naming both.
func (p *parser) expectSep(close token.Kind) {
	if p.tok.Kind != token.COMMA {
		p.errorExpected(fmt.Sprintf("%q or %q", ",", close.String()))
		panic(syncErr{})
	}
	p.next()
}

func (p *parser) parseExpr() ast.Expr {
	p.enter()
	defer p.leave()
	cond := p.parseBinary(1)
	if p.tok.Kind != token.QUESTION {
		return cond
	}
	p.next()
	then := p.parseExpr()
	p.expect(token.COLON)
	return &ast.CondExpr{Cond: cond, Then: then, Else: p.parseExpr()}
}

// parseStmtExpr reads the expression a statement starts with, after which
// <- is the old assignment (x <- 1;). Elsewhere <- is < and -, as in Stan
// since 2.33, which removed that assignment: if (x<-1) compares x with -1.
func (p *parser) parseStmtExpr() ast.Expr {
	saved := p.arrowDepth
	p.arrowDepth = p.depth + 1 // the depth parseExpr reads its operators at
	defer func() { p.arrowDepth = saved }()
	return p.parseExpr()
}

// parseBinary reads binary operators of precedence at least prec1, all
// left-associative.
func (p *parser) parseBinary(prec1 int) ast.Expr {
	x := p.parseUnary()
	for {
		op := p.tok.Kind
		if op == token.ARROW {
			if p.depth == p.arrowDepth {
				return x // the statement's assignment
			}
			// Split <- into < and a prefix -.
			p.ahead = append([]scanner.Token{{Kind: token.SUB, Pos: p.tok.Pos + 1}}, p.ahead...)
			p.tok.Kind, op = token.LSS, token.LSS
		}
		prec := op.Precedence()
		if prec == 0 || prec < prec1 {
			return x
		}
		pos := p.tok.Pos
		p.next()
		x = &ast.BinaryExpr{X: x, OpPos: pos, Op: op, Y: p.parseBinary(prec + 1)}
	}
}

func (p *parser) parseUnary() ast.Expr {
	switch p.tok.Kind {
	case token.SUB, token.NOT, token.ADD:
		p.enter()
		defer p.leave()
		op, pos := p.tok.Kind, p.tok.Pos
		p.next()
		return &ast.UnaryExpr{OpPos: pos, Op: op, X: p.parseUnary()}
	}
	return p.parsePower()
}

// parsePower reads x ^ y and x .^ y, right-associative and binding
// tighter than prefix minus: -a^b is -(a^b), a^-b is a^(-b).
func (p *parser) parsePower() ast.Expr {
	x := p.parsePostfix()
	if k := p.tok.Kind; k == token.POW || k == token.ELTPOW {
		p.enter()
		defer p.leave()
		pos := p.tok.Pos
		p.next()
		return &ast.BinaryExpr{X: x, OpPos: pos, Op: k, Y: p.parseUnary()}
	}
	return x
}

func (p *parser) parsePostfix() ast.Expr {
	x := p.parsePrimary()
	for {
		if _, ok := x.(*ast.PostfixExpr); ok && (p.tok.Kind == token.LBRACK || p.tok.Kind == token.REAL && strings.HasPrefix(p.tok.Lit, ".")) {
			// Stan indexes variables, calls, literals and parenthesized
			// expressions, not a transpose: x'[1] is a syntax error.
			p.errorAt(p.tok.Pos, "a transposed expression cannot be indexed: put it in parentheses, as in (x')[i]")
			panic(syncErr{})
		}
		switch p.tok.Kind {
		case token.LBRACK:
			ix := &ast.IndexExpr{X: x, Lbrack: p.tok.Pos}
			p.next()
			if p.tok.Kind == token.RBRACK {
				// x[] is one index, every element, as x[:] is.
				ix.Indices = append(ix.Indices, p.parseIndex())
			}
			for p.tok.Kind != token.RBRACK {
				if len(ix.Indices) > 0 {
					p.expectSep(token.RBRACK)
				}
				// parseIndex reads an empty index before ',' or ']':
				// x[1,] has two indexes, as x[1, :].
				ix.Indices = append(ix.Indices, p.parseIndex())
				if p.tok.Kind == token.COMMA && p.peek().Kind == token.RBRACK {
					p.next()
					ix.Indices = append(ix.Indices, p.parseIndex())
				}
			}
			ix.Rbrack = p.expect(token.RBRACK)
			x = ix
		case token.TRANSPOSE:
			x = &ast.PostfixExpr{X: x, OpPos: p.tok.Pos, Op: token.TRANSPOSE}
			p.next()
		case token.REAL:
			// x.1: the scanner reads ".1" as a real literal, which cannot
			// follow an expression, so here it indexes a tuple.
			digits, ok := strings.CutPrefix(p.tok.Lit, ".")
			n, err := strconv.Atoi(digits)
			if ok && digits != "" && strings.Trim(digits, "0123456789") == "" && errors.Is(err, strconv.ErrRange) {
				// stanc3 reads the digits as a tuple index and fails
				// to convert them, at the indexed expression.
				p.errorAt(x.Pos(), fmt.Sprintf("tuple index .%s is too large", digits))
				panic(syncErr{})
			}
			if !ok || err != nil || strings.ContainsAny(digits, "+-_") {
				return x
			}
			x = &ast.TupleIndexExpr{X: x, Dot: p.tok.Pos, Index: n, Lit: digits}
			p.next()
		default:
			return x
		}
	}
}

// parseIndex reads one index: an expression, lo:hi, lo:, :hi or :.
func (p *parser) parseIndex() ast.Expr {
	var lo ast.Expr
	if p.tok.Kind != token.COLON {
		if p.tok.Kind == token.COMMA || p.tok.Kind == token.RBRACK {
			// An empty index, as in the old x[ , 1], means every element.
			return &ast.SliceExpr{Colon: p.tok.Pos}
		}
		lo = p.parseExpr()
		if p.tok.Kind != token.COLON {
			return lo
		}
	}
	s := &ast.SliceExpr{Lo: lo, Colon: p.tok.Pos}
	p.next()
	if p.tok.Kind != token.COMMA && p.tok.Kind != token.RBRACK {
		s.Hi = p.parseExpr()
	}
	return s
}

func (p *parser) parsePrimary() ast.Expr {
	t := p.tok
	switch t.Kind {
	case token.IDENT:
		if token.IsReserved(t.Lit) && t.Lit != "target" {
			p.errorAt(t.Pos, fmt.Sprintf("expected an expression, found reserved word %q", t.Lit))
			panic(syncErr{})
		}
		p.next()
		id := &ast.Ident{NamePos: t.Pos, Name: t.Lit}
		if p.tok.Kind != token.LPAREN {
			if t.Lit == "target" {
				p.errorAt(t.Pos, `"target" can only be used as "target += ..." or "target()"`)
				panic(syncErr{})
			}
			return id
		}
		call := &ast.CallExpr{Fun: id, Lparen: p.tok.Pos}
		p.next()
		for p.tok.Kind != token.RPAREN {
			if len(call.Args) > 0 {
				if len(call.Args) == 1 && p.tok.Kind == token.BAR && !call.Bar {
					// The list after | may be empty: std_normal_lupdf(z |).
					call.Bar = true
					p.next()
					if p.tok.Kind != token.RPAREN {
						call.Args = append(call.Args, p.parseExpr())
					}
					continue
				}
				p.expectSep(token.RPAREN)
			}
			call.Args = append(call.Args, p.parseExpr())
		}
		call.Rparen = p.expect(token.RPAREN)
		return call
	case token.INT, token.REAL, token.IMAG, token.STRING:
		p.next()
		return &ast.BasicLit{ValuePos: t.Pos, Kind: t.Kind, Value: t.Lit}
	case token.LPAREN:
		p.next()
		if p.tok.Kind == token.RPAREN {
			p.errorAt(t.Pos, "a tuple expression needs at least two elements, found none")
			panic(syncErr{})
		}
		x := p.parseExpr()
		if p.tok.Kind == token.COMMA {
			tx := &ast.TupleExpr{Lparen: t.Pos, Elems: []ast.Expr{x}}
			for p.tok.Kind == token.COMMA {
				p.next()
				if len(tx.Elems) == 1 && p.tok.Kind == token.RPAREN {
					break // (x,): a tuple of one (Stan 2.39)
				}
				tx.Elems = append(tx.Elems, p.parseExpr())
			}
			tx.Rparen = p.expect(token.RPAREN)
			return tx
		}
		return &ast.ParenExpr{Lparen: t.Pos, X: x, Rparen: p.expect(token.RPAREN)}
	case token.LBRACE:
		p.next()
		elems := p.parseExprList(token.RBRACE)
		if len(elems) == 0 {
			p.errorAt(t.Pos, "an array expression needs at least one element")
		}
		return &ast.ArrayExpr{Lbrace: t.Pos, Elems: elems, Rbrace: p.expect(token.RBRACE)}
	case token.LBRACK:
		p.next()
		elems := p.parseExprList(token.RBRACK)
		return &ast.RowVectorExpr{Lbrack: t.Pos, Elems: elems, Rbrack: p.expect(token.RBRACK)}
	}
	p.errorExpected("an expression")
	panic(syncErr{})
}
