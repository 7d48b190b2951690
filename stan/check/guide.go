package check

import (
	"sort"
	"strings"

	"github.com/gostan/gostan/stan/ast"
)

// guideState follows the guide block's paths: each must draw every model
// parameter exactly once and read a parameter only after drawing it.
type guideState struct {
	c      *checker
	params map[string]bool
	drawn  map[string]bool // on the current path
	loops  int
	lhs    *ast.Ident // the variate being drawn, which is not a read
}

func newGuideState(c *checker, prog *ast.Program) *guideState {
	g := &guideState{c: c, params: map[string]bool{}, drawn: map[string]bool{}}
	if b := prog.Block(ast.Parameters); b != nil {
		for _, s := range b.Body.List {
			if d, ok := s.(*ast.VarDecl); ok {
				g.params[d.Name.Name] = true
			}
		}
	}
	return g
}

func (g *guideState) enterLoop() { g.loops++ }
func (g *guideState) leaveLoop() { g.loops-- }

func (g *guideState) save() map[string]bool {
	m := make(map[string]bool, len(g.drawn))
	for k, v := range g.drawn {
		m[k] = v
	}
	return m
}

func (g *guideState) restore(m map[string]bool) { g.drawn = m }

// join merges the paths through an if statement: both must have drawn the
// same parameters.
func (g *guideState) join(s *ast.IfStmt, afterThen map[string]bool) {
	var differ []string
	for k := range afterThen {
		if !g.drawn[k] {
			differ = append(differ, k)
		}
	}
	for k := range g.drawn {
		if !afterThen[k] {
			differ = append(differ, k)
		}
		afterThen[k] = true
	}
	if len(differ) > 0 {
		sort.Strings(differ)
		g.c.errorf(s.Pos(), "the guide must draw the same parameters on every path: '%s' is drawn on only one branch of this if", differ[0])
	}
	g.drawn = afterThen
}

// read checks a variable read in the guide.
func (g *guideState) read(id *ast.Ident, v *Var) {
	if id == g.lhs || v.Scope != Global {
		return
	}
	switch v.Block {
	case ast.Parameters:
		if !g.drawn[v.Name] {
			g.c.errorf(id.Pos(), "the guide reads parameter '%s' before drawing it", v.Name)
		}
	case ast.TransformedParameters, ast.GeneratedQuantities:
		g.c.errorf(id.Pos(), "the guide can only read data, guide parameters and the parameters it has drawn, not '%s' of the %s block", v.Name, v.Block)
	}
}

// draw records the ~ statement s as drawing its parameter.
func (g *guideState) draw(s *ast.TildeStmt) {
	root := ast.Root(s.LHS)
	if root == nil || !g.params[root.Name] {
		what := "an expression"
		if root != nil {
			what = "'" + root.Name + "'"
		}
		g.c.errorf(s.LHS.Pos(), "a guide can only draw model parameters with ~, not %s", what)
		return
	}
	indexed := root != s.LHS
	if g.drawn[root.Name] && !indexed && g.loops == 0 {
		g.c.errorf(s.LHS.Pos(), "the guide draws parameter '%s' twice", root.Name)
	}
	g.drawn[root.Name] = true
}

// finish checks that every parameter was drawn.
func (g *guideState) finish(b *ast.Block) {
	var missing []string
	for p := range g.params {
		if !g.drawn[p] {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		g.c.errorf(b.Pos(), "the guide must draw every model parameter: it does not draw %s", strings.Join(missing, ", "))
	}
}
