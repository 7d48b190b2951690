package check

import (
	"bufio"
	"compress/gzip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/gostan/gostan/stan/types"
)

// TestStanc3Signatures holds the library to stanc3's table of the
// standard library's functions other than distributions (stanc3's
// src/stan_math_signatures/Generate.ml, the newest version the project
// could read, from before the Stan 2.39 additions; the distributions are
// held to it elsewhere). testdata/stanc3_signatures.tsv.gz is that
// table expanded to one line per overload by a transcription of its
// rules: a function, its result and its argument types, "data " marking
// an argument stanc3 requires to be data. Every overload must be callable
// by name, resolve (in the library, or by the checker's rules for
// append_array and rep_array) with its own result, and require data
// where stanc3 does (an int always is).
//
// The lines whose result is "-" are calls stanc3 rejects: overloads of
// the table with one argument changed (another type, one array
// dimension more, all arguments one deeper, one argument fewer or
// more) that the table's promotions do not accept, a sample of 6000.
// Left out are the ones gostan accepts on purpose: the Stan 2.39/2.40
// overloads (softmax and log_softmax of row vectors and arrays,
// to_matrix of an array of vectors) and the container transforms with
// two real bounds (lower_upper_bound_constrain(v, 0, 1)), which the
// table lacks but gostan keeps as those functions' common use. Among the
// rejected calls, real operands of &&, || and ! (logical_and, logical_or,
// logical_negation) are accepted on purpose: Stan removed them in 2.33,
// gostan keeps them for old models (docs/language.md).
func TestStanc3Signatures(t *testing.T) {
	lib := types.NewLibrary()
	accepted, rejected := 0, 0
	for _, row := range readSigTable(t, "testdata/stanc3_signatures.tsv.gz") {
		name, ret, argList, args := row.fields[0], row.fields[1], row.fields[2], row.args
		sig, err := lib.Resolve(name, args)
		if ret, ok := genericCall(name, args); ok {
			sig, err = types.Signature{Args: args, Ret: ret}, nil
		}
		if ret == "-" {
			rejected++
			if err == nil && !oldLogical(name, args) {
				t.Errorf("%s(%s) resolves to %v, but stanc3 rejects it", name, argList, sig)
			}
			continue
		}
		accepted++
		switch {
		case err != nil:
			t.Errorf("%s(%s): %v", name, argList, strings.SplitN(err.Error(), "\n", 2)[0])
		case sig.Ret != parseSigType(t, ret):
			t.Errorf("%s(%s) returns %v, stanc3 %s", name, argList, sig.Ret, ret)
		case !types.Callable(name):
			t.Errorf("%s cannot be called by name, but stanc3 calls it", name)
		}
		for i, data := range row.data {
			if data && args[i].Kind != types.Int && !slices.Contains(DataArgs(name), i) {
				t.Errorf("%s(%s): argument %d need not be data, but stanc3 requires it", name, argList, i+1)
			}
		}
	}
	if accepted != 9543 || rejected != 6000 {
		t.Errorf("read %d accepted and %d rejected calls, want 9543 and 6000", accepted, rejected)
	}
}

// oldLogical reports a logical operator on a real, which gostan keeps.
func oldLogical(name string, args []types.Type) bool {
	if name != "logical_and" && name != "logical_or" && name != "logical_negation" {
		return false
	}
	for _, a := range args {
		if a.Kind == types.Real && a.Dims == 0 {
			return true
		}
	}
	return false
}

// sigRow is a line of a gzipped table of signatures (testdata/*.tsv.gz):
// its tab-separated fields (a function's name, its result, its arguments,
// and any more), with the arguments read ("; " between them, "data "
// before one stanc3 requires to be data).
type sigRow struct {
	fields []string
	args   []types.Type
	data   []bool
}

// readSigTable reads the table at path.
func readSigTable(t *testing.T, path string) []sigRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var rows []sigRow
	sc := bufio.NewScanner(z)
	for sc.Scan() {
		row := sigRow{fields: strings.Split(sc.Text(), "\t")}
		if len(row.fields) < 3 {
			t.Fatalf("%s: line %d has %d fields", path, len(rows)+1, len(row.fields))
		}
		if row.fields[2] != "" {
			for _, a := range strings.Split(row.fields[2], "; ") {
				a, data := strings.CutPrefix(a, "data ")
				row.args = append(row.args, parseSigType(t, a))
				row.data = append(row.data, data)
			}
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// parseSigType reads a type as types.Type.String writes it.
func parseSigType(t *testing.T, s string) types.Type {
	if inner, ok := strings.CutPrefix(s, "tuple("); ok {
		inner = strings.TrimSuffix(inner, ")")
		var ms []types.Type
		for _, m := range strings.Split(inner, ", ") {
			ms = append(ms, parseSigType(t, m))
		}
		return types.TupleOf(ms...)
	}
	dims := 0
	if rest, ok := strings.CutPrefix(s, "array["); ok {
		commas, base, _ := strings.Cut(rest, "] ")
		dims, s = 1+len(commas), base
	}
	for k := types.Int; k < types.Void; k++ {
		if k.String() == s {
			return types.Array(types.Type{Kind: k}, dims)
		}
	}
	t.Fatalf("unknown type %q", s)
	return types.Type{}
}
