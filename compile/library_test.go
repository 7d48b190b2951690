package compile

import (
	goast "go/ast"
	goparser "go/parser"
	gotoken "go/token"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/stan/types"
)

// TestNoInitFunctions checks that compile and dist have no init
// functions: the library is built in one place, in an order written out
// in newLibrary, not in the order Go runs the init functions of files.
func TestNoInitFunctions(t *testing.T) {
	for _, dir := range []string{".", "../dist"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		fset := gotoken.NewFileSet()
		for _, path := range files {
			f, err := goparser.ParseFile(fset, path, nil, goparser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range f.Decls {
				if fd, ok := d.(*goast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "init" {
					t.Errorf("%s: func init", fset.Position(fd.Pos()))
				}
			}
		}
	}
}

// complexOnly are the functions of the checker that complexCall compiles
// and the library does not hold.
var complexOnly = map[string]bool{"to_complex": true, "get_real": true, "get_imag": true, "arg": true,
	"polar": true, "norm": true, "proj": true, "conj": true}

// notDeclared are the library's functions that the checker does not
// declare: it types them itself (their result type is their argument's).
var notDeclared = map[string]bool{"rep_array": true, "append_array": true}

// rngNotDeclared are the families whose rng the checker does not declare:
// binomial_logit's comes with the dist package's family, like every
// discrete family's.
var rngNotDeclared = map[string]bool{"binomial_logit": true}

// TestLibraryMatchesChecker checks the library against the checker's
// signature table name by name, both ways: every name the checker accepts
// has an implementation (the library walk test then compiles each
// signature), and every entry of the library is a name the checker
// accepts, with a family's CDFs and rng where the checker declares them.
func TestLibraryMatchesChecker(t *testing.T) {
	sigs := types.NewLibrary()
	l := stdlib()
	hasCDF := func(d density) bool {
		return d.lcdf != nil || d.truncCDF != nil || d.intCDF != nil || d.disc != nil && d.disc.HasCDF()
	}
	for _, name := range sigs.Names() {
		if df, ok := sigs.Dist(name); ok {
			d, known := l.densities[df.Family]
			switch {
			case !known:
				t.Errorf("the checker accepts %s, whose family %s the library does not hold", name, df.Family)
			case df.Form == types.Rng && d.rng == nil:
				t.Errorf("the checker accepts %s, whose family holds no rng", name)
			case (df.Form == types.CDF || df.Form == types.LCDF || df.Form == types.LCCDF) && !hasCDF(d):
				t.Errorf("the checker accepts %s, whose family holds no CDFs", name)
			case df.Form == types.Density || df.Form == types.DensityPropto:
				if d.fn == nil && d.build == nil {
					t.Errorf("the checker accepts %s, whose family holds no density", name)
				}
			}
			continue
		}
		if _, ok := l.funcs[name]; ok {
			continue
		}
		if _, ok := l.higher[name]; ok {
			continue
		}
		_, ode := odeDefaults[name]
		_, odeV := odeVariadicDefaults[name]
		_, op := operatorNames[name]
		_, tuple := tupleResults[name]
		if ode || odeV || op || tuple || complexOnly[name] || !types.Callable(name) {
			continue
		}
		t.Errorf("the checker accepts %s, which the library does not hold", name)
	}
	for name := range l.funcs {
		if !sigs.Has(name) && !notDeclared[name] {
			t.Errorf("the library holds %s, which the checker does not declare", name)
		}
	}
	// The checker types the higher-order functions itself, by its table
	// higherOrder, read here from its source.
	checked := checkerHigherOrder(t)
	compiled := map[string]bool{}
	for name := range l.higher {
		compiled[name] = true
	}
	for name := range odeDefaults {
		compiled[name] = true
	}
	for name := range odeVariadicDefaults {
		compiled[name] = true
	}
	for name := range compiled {
		if !checked[name] {
			t.Errorf("the library holds the higher-order %s, which the checker does not accept", name)
		}
	}
	for name := range checked {
		if !compiled[name] {
			t.Errorf("the checker accepts the higher-order %s, which the library does not hold", name)
		}
	}
	for name, d := range l.densities {
		if !sigs.Has(name+"_lpdf") && !sigs.Has(name+"_lpmf") {
			t.Errorf("the library holds the family %s, whose density the checker does not declare", name)
		}
		// (Stan has some families' _cdf alone, loglogistic's, and some
		// families' all but _cdf, beta_proportion's.)
		if declared := sigs.Has(name+"_cdf") || sigs.Has(name+"_lcdf"); hasCDF(d) != declared {
			t.Errorf("%s: the library has CDFs %v, the checker declares them %v", name, hasCDF(d), declared)
		}
		if d.rng != nil && !sigs.Has(name+"_rng") && !rngNotDeclared[name] {
			t.Errorf("the family %s holds an rng, which the checker does not declare", name)
		}
	}
	for _, name := range dist.ReparamFamilies() {
		if l.densities[name].reparam == nil {
			t.Errorf("dist has a reparameterised draw of %s, which the library's family does not hold", name)
		}
	}
}

// TestLibrarySharedByGoroutines compiles programs that use the library
// on several goroutines at once: they share the one library, built once.
func TestLibrarySharedByGoroutines(t *testing.T) {
	src := []byte(`parameters { real y; }
model { y ~ student_t(3, 0, 1); target += normal_lcdf(y | 0, 1) + log_sum_exp(y, 1); }
generated quantities { real z = gamma_rng(2, 1); }
`)
	var wg sync.WaitGroup
	libs := make([]*library, 4)
	errs := make([]error, 4)
	for i := range libs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			libs[i] = stdlib()
			_, errs[i] = Source("shared.stan", src)
		}()
	}
	wg.Wait()
	for i := range libs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if libs[i] != libs[0] {
			t.Fatalf("goroutine %d got another library", i)
		}
	}
}

// checkerHigherOrder returns the keys of the checker's table higherOrder.
func checkerHigherOrder(t *testing.T) map[string]bool {
	fset := gotoken.NewFileSet()
	f, err := goparser.ParseFile(fset, "../stan/check/expr.go", nil, goparser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	goast.Inspect(f, func(n goast.Node) bool {
		vs, ok := n.(*goast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "higherOrder" || len(vs.Values) != 1 {
			return true
		}
		for _, e := range vs.Values[0].(*goast.CompositeLit).Elts {
			key, err := strconv.Unquote(e.(*goast.KeyValueExpr).Key.(*goast.BasicLit).Value)
			if err != nil {
				t.Fatal(err)
			}
			names[key] = true
		}
		return false
	})
	if len(names) == 0 {
		t.Fatal("no table higherOrder in the checker's expr.go")
	}
	return names
}
