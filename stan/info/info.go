// Package info describes a checked Stan program as stanc3's --info does:
// its data, parameters, transformed parameters and generated quantities
// (each variable's base type, dimensions and constraint), the standard
// library functions and distributions it calls, and the files it
// includes. CmdStanPy and CmdStanR read this JSON to learn a model's
// variables.
package info

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/printer"
	"github.com/gostan/gostan/stan/token"
)

// JSON returns prog's description, in stanc3's keys and order (stanc3's
// Info module): "inputs", "parameters", "transformed parameters",
// "generated quantities", "functions", "distributions", "included_files".
func JSON(fset *token.FileSet, prog *ast.Program, chk *check.Info) ([]byte, error) {
	var o object
	for _, b := range []struct {
		key  string
		kind ast.BlockKind
	}{{"inputs", ast.Data}, {"parameters", ast.Parameters}, {"transformed parameters", ast.TransformedParameters}, {"generated quantities", ast.GeneratedQuantities}} {
		var vars object
		if blk := prog.Block(b.kind); blk != nil {
			for _, s := range blk.Body.List {
				if d, ok := s.(*ast.VarDecl); ok {
					vars = append(vars, member{d.Name.Name, variable(d.Type)})
				}
			}
		}
		o = append(o, member{b.key, vars})
	}
	funcs, dists := calls(prog, chk)
	o = append(o, member{"functions", funcs}, member{"distributions", dists})
	included := []string{}
	for i, f := range fset.Files() {
		if i > 0 {
			included = append(included, f.Name())
		}
	}
	o = append(o, member{"included_files", included})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(o); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// object is a JSON object whose members keep their order.
type object []member

type member struct {
	key   string
	value any
}

func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// variable is a declared variable's type, dimensions and constraint.
func variable(t *ast.Type) object {
	return append(baseType(t), member{"constraint", constraint(t)})
}

// baseType is t's element type ("int", "real", "complex", or a tuple's
// members) and its dimensions: the array's, plus one for a vector, two
// for a matrix.
func baseType(t *ast.Type) object {
	dims := len(t.ArrayDims)
	if t.IsTuple() {
		members := make([]object, len(t.Members))
		for i, m := range t.Members {
			members[i] = baseType(m)
		}
		return object{{"type", members}, {"dimensions", dims}}
	}
	base := "real"
	switch t.Base {
	case "int", "complex":
		base = t.Base
	case "vector", "row_vector", "simplex", "unit_vector", "ordered", "positive_ordered", "sum_to_zero_vector":
		dims++
	case "complex_vector", "complex_row_vector":
		base, dims = "complex", dims+1
	case "complex_matrix":
		base, dims = "complex", dims+2
	case "matrix", "cov_matrix", "corr_matrix", "cholesky_factor_cov", "cholesky_factor_corr",
		"row_stochastic_matrix", "column_stochastic_matrix", "sum_to_zero_matrix":
		dims += 2
	}
	return object{{"type", base}, {"dimensions", dims}}
}

// constraintNames are stanc3's names of the constrained types' transforms.
var constraintNames = map[string]string{
	"simplex": "simplex", "unit_vector": "unit_vector", "ordered": "ordered", "positive_ordered": "positive_ordered",
	"sum_to_zero_vector": "sum_to_zero", "sum_to_zero_matrix": "sum_to_zero",
	"cholesky_factor_corr": "cholesky_corr", "cholesky_factor_cov": "cholesky_cov",
	"corr_matrix": "correlation", "cov_matrix": "covariance",
	"row_stochastic_matrix": "stochastic_row", "column_stochastic_matrix": "stochastic_column",
}

// constraint is t's transform: a name, the bounds or offset and
// multiplier as Stan expressions, "none", or a tuple's members' own.
func constraint(t *ast.Type) any {
	if t.IsTuple() {
		members := make([]object, len(t.Members))
		for i, m := range t.Members {
			members[i] = object{{"constraint", constraint(m)}}
		}
		return members
	}
	if name, ok := constraintNames[t.Base]; ok {
		return name
	}
	var o object
	for _, c := range []struct {
		key string
		x   ast.Expr
	}{{"lower", t.Lower}, {"upper", t.Upper}, {"offset", t.Offset}, {"multiplier", t.Multiplier}} {
		if c.x != nil {
			o = append(o, member{c.key, printer.ExprString(c.x)})
		}
	}
	if o == nil {
		return "none"
	}
	return o
}

// conditioning are the suffixes of the functions stanc3's grammar reads
// as a conditional distribution even when they have one argument and no
// bar.
var conditioning = []string{"_lpdf", "_lupdf", "_lpmf", "_lupmf", "_cdf", "_lcdf", "_lccdf"}

// calls are the standard library functions and distributions prog calls,
// each sorted: a call with a bar, or with one argument and a
// distribution's suffix, is a distribution's, as is a ~ statement's
// density (as _lupdf or _lupmf); print, reject and fatal_error count as
// functions.
func calls(prog *ast.Program, chk *check.Info) (funcs, dists []string) {
	fs, ds := map[string]bool{}, map[string]bool{}
	for _, b := range prog.Blocks {
		ast.Inspect(b.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if c := chk.Calls[n]; c == nil || c.User != nil {
					return true
				}
				name := n.Fun.Name
				if n.Bar || len(n.Args) == 1 && slices.ContainsFunc(conditioning, func(s string) bool { return strings.HasSuffix(name, s) }) {
					ds[name] = true
				} else {
					fs[name] = true
				}
			case *ast.PrintStmt:
				fs[n.Kind] = true
			case *ast.TildeStmt:
				if c := chk.Dists[n]; c != nil && c.User == nil {
					name := strings.Replace(strings.Replace(c.Name, "_lpdf", "_lupdf", 1), "_lpmf", "_lupmf", 1)
					ds[name] = true
				}
			}
			return true
		})
	}
	return sortedKeys(fs), sortedKeys(ds)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
