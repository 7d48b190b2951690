package compile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/parser"
	"github.com/gostan/gostan/stan/token"
)

// TestMutatedPrograms mutates the corpus programs of the newest features
// (the embedded Laplace functions, Stan 2.40's additions, the solvers and
// integrators with tuples, guides, the double-precision generated
// quantities) and their data, and runs each mutant through parsing, type
// checking, compiling, NewModel, LogDensity, Write, Explain and a guide's
// draws: every failure must be an error value, never a panic. Mutants
// with generated quantities also run with the double-precision path off
// and must write the same values and errors. $GOSTAN_MUTATIONS sets the
// number of mutants (default 60), $GOSTAN_MUTATION_SEED the seed and
// $GOSTAN_MUTATION_BASES a regular expression of the base programs'
// names to mutate.
func TestMutatedPrograms(t *testing.T) {
	if testing.Short() {
		t.Skip("mutation run skipped in -short")
	}
	n := 60
	if s := os.Getenv("GOSTAN_MUTATIONS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	seed := uint64(1)
	if s := os.Getenv("GOSTAN_MUTATION_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	bases := mutationBases(t)
	if f := os.Getenv("GOSTAN_MUTATION_BASES"); f != "" {
		re := regexp.MustCompile(f)
		bases = slices.DeleteFunc(bases, func(b mutBase) bool { return !re.MatchString(b.name) })
		if len(bases) == 0 {
			t.Fatalf("no base program matches %q", f)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 77))
	var st mutStats
	for k := range n {
		b := bases[rng.IntN(len(bases))]
		src := b.src
		for range 1 + rng.IntN(3) {
			src = mutateSource(rng, src)
		}
		js := b.data
		if rng.IntN(3) == 0 {
			js = mutateData(rng, js)
		}
		res := runMutant(k, src, js, &st)
		if res != "" {
			t.Errorf("mutant %d of %s: %s\n--- program ---\n%s\n--- data ---\n%s", k, b.name, res, src, js)
		}
	}
	t.Logf("%d mutants: %d parsed, %d checked, %d compiled, %d built, %d log densities, %d writes, %d compared with the general path, %d slow",
		n, st.parsed, st.checked, st.compiled, st.built, st.densities, st.writes, st.compared, st.slow)
}

type mutStats struct {
	parsed, checked, compiled, built, densities, writes, compared, slow int
}

type mutBase struct {
	name string
	src  string
	data []byte
}

// mutationBases are the programs mutated: the corpus of accepted programs
// and the examples with their data, and generated quantities that the
// double-precision path compiles.
func mutationBases(t *testing.T) []mutBase {
	var files []string
	for _, g := range []string{
		filepath.Join("..", "testdata", "stan", "good", "*.stan"),
		filepath.Join("..", "examples", "guide_*.stan"),
		filepath.Join("..", "examples", "laplace_*.stan"),
	} {
		f, _ := filepath.Glob(g)
		files = append(files, f...)
	}
	var out []mutBase
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		data := []byte("{}")
		if b, err := os.ReadFile(strings.TrimSuffix(f, ".stan") + ".data.json"); err == nil {
			data = b
		}
		out = append(out, mutBase{filepath.Base(f), stripComments(string(src)), data})
	}
	var gd bytes.Buffer
	if err := gqData(8).WriteJSON(&gd); err != nil {
		t.Fatal(err)
	}
	const head = "data { int N; vector[N] x; vector[N] y; }\nparameters { real mu; real beta; real sigma; }\nmodel { y ~ normal(mu + x * beta, exp(sigma)); }\ngenerated quantities {\n"
	for _, c := range doubleCases {
		out = append(out, mutBase{"double " + c.name, head + c.gq + "\n}\n", gd.Bytes()})
	}
	out = append(out, mutBase{"self-reference", `data { int N; }
transformed data { real x = 2; { real x = x + 1; print(x); } array[N] int a = rep_array(N, N); }
parameters { real mu; }
model { real m = mu; { real m = m * 2; mu ~ normal(m, 1); } }
generated quantities { int n = a[N] %/% N; { int n = n * 2147483647; } real q = student_t_qf(mu > 0 ? 0.3 : 0.7, 3, mu, 1); }
`, []byte(`{"N": 3}`)})
	return out
}

var lineComment = regexp.MustCompile(`(?m)//.*$`)

func stripComments(s string) string { return lineComment.ReplaceAllString(s, "") }

// hostile are the values a mutation puts in place of an argument or a
// literal.
var hostile = []string{
	"0", "-1", "1", "2", "0.0", "-0.5", "3.5", "1e308", "-1e308", "1e-320", "2147483647", "-2147483648",
	"100000", "not_a_number()", "positive_infinity()", "negative_infinity()",
	"[1]'", "[1, 2]", "[[1, 2], [3, 4]]", "{1, 2}", "{1.5}", "(1, 2.5)", "(1.5, [1]')",
	"rep_vector(0, 0)", "rep_array(1, 0)", "rep_matrix(0, 0, 0)", "to_complex(1, 2)", "\"s\"",
}

var (
	intHostile  = []string{"0", "-1", "1", "2", "3", "100000", "2147483647", "(-2147483647 - 1)"}
	realHostile = []string{"0.0", "-0.5", "1e308", "-1e308", "1e-320", "-0.0", "not_a_number()", "positive_infinity()", "negative_infinity()", "3.5"}
	numLit      = regexp.MustCompile(`\b\d+(\.\d+)?(e-?\d+)?\b`)
	sizeDecl    = regexp.MustCompile(`\b(vector|row_vector|matrix|array|simplex|cov_matrix|corr_matrix|cholesky_factor_corr|cholesky_factor_cov|ordered|positive_ordered|sum_to_zero_vector|complex_vector)\[[^\]\[]*\]`)
	typeWord    = regexp.MustCompile(`\b(int|real|vector|row_vector|matrix|complex)\b`)
	ident       = regexp.MustCompile(`\b[A-Za-z_][A-Za-z0-9_]*\b`)
	blockHdr    = regexp.MustCompile(`(?m)^(functions|data|transformed data|parameters|transformed parameters|model|generated quantities|guide parameters|guide)\s*\{`)
	arithOp     = regexp.MustCompile(` (\+|-|\*|/|%/%|<|>|==) `)
)

// mutateSource applies one random mutation to src.
func mutateSource(rng *rand.Rand, src string) string {
	switch rng.IntN(12) {
	case 0, 1, 2:
		return mutateArgs(rng, src)
	case 3, 10, 11:
		// A literal becomes a hostile value of its type, keeping the
		// program well typed.
		return replaceOne(rng, src, numLit, func(m string) string {
			if strings.ContainsAny(m, ".e") {
				return realHostile[rng.IntN(len(realHostile))]
			}
			return intHostile[rng.IntN(len(intHostile))]
		})
	case 4:
		return replaceOne(rng, src, sizeDecl, func(m string) string {
			i := strings.IndexByte(m, '[')
			return m[:i] + []string{"[0]", "[-1]", "[0, 0]", "[2, 0]", "[N]", "[2147483647]", "[1, 1, 1]", "[]"}[rng.IntN(8)]
		})
	case 5:
		return replaceOne(rng, src, typeWord, func(string) string {
			return []string{"int", "real", "vector[2]", "row_vector[2]", "matrix[2, 2]", "complex", "tuple(real, int)", "array[2] real", "data real"}[rng.IntN(9)]
		})
	case 6:
		return moveStatement(rng, src)
	case 7:
		ids := ident.FindAllString(src, -1)
		return replaceOne(rng, src, ident, func(string) string { return ids[rng.IntN(len(ids))] })
	case 8:
		return replaceOne(rng, src, arithOp, func(string) string {
			return []string{" + ", " - ", " * ", " / ", " %/% ", " % ", " < ", " == ", " ^ ", " .* "}[rng.IntN(10)]
		})
	}
	// Delete a statement.
	lines := strings.Split(src, "\n")
	i := rng.IntN(len(lines))
	if strings.HasSuffix(strings.TrimSpace(lines[i]), ";") {
		lines[i] = ""
	}
	return strings.Join(lines, "\n")
}

// replaceOne replaces one random match of re in src by f of it.
func replaceOne(rng *rand.Rand, src string, re *regexp.Regexp, f func(string) string) string {
	locs := re.FindAllStringIndex(src, -1)
	if len(locs) == 0 {
		return src
	}
	l := locs[rng.IntN(len(locs))]
	return src[:l[0]] + f(src[l[0]:l[1]]) + src[l[1]:]
}

// moveStatement copies a statement into the start of another block: a
// call from every block, data-only and block rules broken.
func moveStatement(rng *rand.Rand, src string) string {
	lines := strings.Split(src, "\n")
	var stmts []string
	for _, l := range lines {
		if s := strings.TrimSpace(l); strings.HasSuffix(s, ";") && !strings.Contains(s, "{") {
			stmts = append(stmts, s)
		}
	}
	hdrs := blockHdr.FindAllStringIndex(src, -1)
	if len(stmts) == 0 || len(hdrs) == 0 {
		return src
	}
	h := hdrs[rng.IntN(len(hdrs))]
	return src[:h[1]] + "\n  " + stmts[rng.IntN(len(stmts))] + src[h[1]:]
}

// mutateArgs changes the argument list of a random parenthesis (a call,
// a tuple or a grouping): swaps, drops or duplicates an argument, puts a
// hostile value or another argument list's member in its place, or
// wraps it in a tuple.
func mutateArgs(rng *rand.Rand, src string) string {
	var opens []int
	for i := 0; i < len(src); i++ {
		if src[i] == '(' {
			opens = append(opens, i)
		}
	}
	if len(opens) == 0 {
		return src
	}
	open := opens[rng.IntN(len(opens))]
	args, seps, end := splitArgs(src, open)
	if end < 0 || len(args) == 0 {
		return src
	}
	i := rng.IntN(len(args))
	switch rng.IntN(6) {
	case 0:
		j := rng.IntN(len(args))
		args[i], args[j] = args[j], args[i]
	case 1:
		args = append(args[:i], args[i+1:]...)
		if i < len(seps) {
			seps = append(seps[:i], seps[i+1:]...)
		} else if len(seps) > 0 {
			seps = seps[:len(seps)-1]
		}
	case 2:
		args = append(args[:i+1], args[i:]...)
		seps = append(seps[:i], append([]string{", "}, seps[i:]...)...)
	case 3:
		args[i] = " " + hostile[rng.IntN(len(hostile))]
	case 4:
		args[i] = " (" + strings.TrimSpace(args[i]) + ", " + strings.TrimSpace(args[i]) + ")"
	default:
		ids := ident.FindAllString(src, -1)
		args[i] = " " + ids[rng.IntN(len(ids))]
	}
	var b strings.Builder
	b.WriteString(src[:open+1])
	for k, a := range args {
		if k > 0 {
			if k-1 < len(seps) {
				b.WriteString(seps[k-1])
			} else {
				b.WriteString(",")
			}
		}
		b.WriteString(a)
	}
	b.WriteString(src[end:])
	return b.String()
}

// splitArgs splits the list after the '(' at open at its top-level
// commas and bars, returning the arguments, the separators and the
// position of the closing ')', or -1.
func splitArgs(src string, open int) (args, seps []string, end int) {
	depth, start := 0, open+1
	for i := open + 1; i < len(src); i++ {
		switch c := src[i]; c {
		case '(', '[', '{':
			depth++
		case ']', '}':
			depth--
		case ')':
			if depth == 0 {
				if strings.TrimSpace(src[start:i]) != "" || len(args) > 0 {
					args = append(args, src[start:i])
				}
				return args, seps, i
			}
			depth--
		case ',', '|':
			if depth == 0 && !(c == '|' && (i+1 < len(src) && src[i+1] == '|' || src[i-1] == '|')) {
				args = append(args, src[start:i])
				seps = append(seps, string(c))
				start = i + 1
			}
		}
	}
	return nil, nil, -1
}

// mutateData rewrites the JSON data: numbers become hostile values,
// arrays lose or gain elements or become empty.
func mutateData(rng *rand.Rand, js []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return js
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				v[k] = walk(x)
			}
			return v
		case []any:
			switch rng.IntN(8) {
			case 0:
				return []any{}
			case 1:
				if len(v) > 0 {
					v = v[1:]
				}
			case 2:
				if len(v) > 0 {
					v = append(v, v[0])
				}
			}
			for i := range v {
				v[i] = walk(v[i])
			}
			return v
		case json.Number:
			if rng.IntN(4) == 0 {
				return rawNum([]string{"0", "-1", "NaN", "Infinity", "-Infinity", "1e308", "2147483648", "-3", "0.5", "1e-320"}[rng.IntN(10)])
			}
		}
		return v
	}
	v = walk(v)
	b, err := marshalRaw(v)
	if err != nil {
		return js
	}
	return b
}

type rawNum string

func marshalRaw(v any) ([]byte, error) {
	var b bytes.Buffer
	var w func(v any) error
	w = func(v any) error {
		switch v := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			b.WriteByte('{')
			for i, k := range keys {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "%q: ", k)
				if err := w(v[k]); err != nil {
					return err
				}
			}
			b.WriteByte('}')
		case []any:
			b.WriteByte('[')
			for i, x := range v {
				if i > 0 {
					b.WriteString(", ")
				}
				if err := w(x); err != nil {
					return err
				}
			}
			b.WriteByte(']')
		case rawNum:
			b.WriteString(string(v))
		case json.Number:
			b.WriteString(string(v))
		default:
			j, err := json.Marshal(v)
			if err != nil {
				return err
			}
			b.Write(j)
		}
		return nil
	}
	err := w(v)
	return b.Bytes(), err
}

// runMutant runs one mutant, with a time limit, and returns a
// description of a panic or of a difference between the double-precision
// path and the general one, or "".
func runMutant(k int, src string, js []byte, st *mutStats) string {
	// A panic in another goroutine ends the test binary: the program
	// being run is on disk to read.
	if dir := os.Getenv("GOSTAN_MUTATION_DIR"); dir != "" {
		os.WriteFile(filepath.Join(dir, "current.stan"), []byte(src), 0o644)
		os.WriteFile(filepath.Join(dir, "current.json"), js, 0o644)
	}
	done := make(chan string, 1)
	go func() {
		stage := "parse"
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Sprintf("panic in %s: %v\n%s", stage, r, debug.Stack())
			}
		}()
		done <- runStages(k, src, js, st, &stage)
	}()
	select {
	case r := <-done:
		return r
	case <-time.After(20 * time.Second):
		st.slow++
		if dir := os.Getenv("GOSTAN_MUTATION_DIR"); dir != "" {
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("slow-%d.stan", k)), []byte(src), 0o644)
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("slow-%d.json", k)), js, 0o644)
		}
		return ""
	}
}

func runStages(k int, src string, js []byte, st *mutStats, stage *string) string {
	fset := token.NewFileSet()
	prog, err := parser.ParseFile(fset, "mutant.stan", []byte(src), nil)
	if err != nil {
		return ""
	}
	st.parsed++
	*stage = "check"
	info, err := check.Check(fset, prog)
	if err != nil {
		return ""
	}
	st.checked++
	*stage = "compile"
	p, err := Compile(fset, prog, info)
	if err != nil {
		return ""
	}
	st.compiled++
	if strings.Contains(src, "while") {
		// A loop the mutation made endless would run on past the time
		// limit in a goroutine no one can stop.
		return ""
	}
	data, err := model.ReadData(bytes.NewReader(js))
	if err != nil {
		data = model.Data{}
	}
	*stage = "NewModel"
	m, err := p.NewModel(data, 1)
	if err != nil {
		return ""
	}
	st.built++
	rng := rand.New(rand.NewPCG(uint64(k), 3))
	points := [][]float64{make([]float64, m.Dim())}
	for _, r := range []float64{1, 3, 30} {
		x := make([]float64, m.Dim())
		for i := range x {
			x[i] = (2*rng.Float64() - 1) * r
		}
		points = append(points, x)
	}
	if m.Dim() > 0 {
		x := make([]float64, m.Dim())
		x[rng.IntN(len(x))] = []float64{math.NaN(), math.Inf(1), 800, -800}[rng.IntN(4)]
		points = append(points, x)
	}
	for _, x := range points {
		*stage = "LogDensity"
		m.LogDensity(x, make([]float64, len(x)))
		m.LogDensity(x, nil)
		st.densities++
		*stage = "Explain"
		m.Explain(x)
		*stage = "Write"
		m.Write(x, rand.New(rand.NewPCG(2, 5)), make([]float64, len(m.Names())))
		st.writes++
	}
	if p.HasGuide() {
		*stage = "NewGuide"
		g, err := m.NewGuide(rand.New(rand.NewPCG(3, 4)))
		if err == nil {
			*stage = "ELBOGrad"
			g.ELBOGrad(rand.New(rand.NewPCG(3, 5)), nil, make([]float64, len(g.Params())))
			*stage = "guide Sample"
			g.Sample(rand.New(rand.NewPCG(3, 6)), make([]float64, m.Dim()))
		}
	}
	if !strings.Contains(src, "generated quantities") {
		return ""
	}
	*stage = "compile without the double path"
	p2, err := sourceWith("mutant.stan", []byte(src), allOptimizations&^optDoubleGQ)
	if err != nil {
		return "the general path does not compile: " + err.Error()
	}
	*stage = "NewModel without the double path"
	m2, err := p2.NewModel(data, 1)
	if err != nil {
		return "the general path's NewModel fails: " + err.Error()
	}
	st.compared++
	*stage = "compare"
	for i, x := range points {
		a, b := make([]float64, len(m.Names())), make([]float64, len(m2.Names()))
		ea := m.Write(x, rand.New(rand.NewPCG(uint64(i), 7)), a)
		eb := m2.Write(x, rand.New(rand.NewPCG(uint64(i), 7)), b)
		if (ea == nil) != (eb == nil) || ea != nil && ea.Error() != eb.Error() {
			return fmt.Sprintf("point %d: error %v, the general path's %v", i, ea, eb)
		}
		for j := range a {
			if math.Float64bits(a[j]) != math.Float64bits(b[j]) && !(math.IsNaN(a[j]) && math.IsNaN(b[j])) {
				return fmt.Sprintf("point %d: %s = %v, the general path's %v", i, m.Names()[j], a[j], b[j])
			}
		}
	}
	return ""
}
