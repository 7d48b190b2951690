package compile

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// TestGoodCorpus compiles and runs every program of the checked-in corpus
// of accepted programs (testdata/stan/good, one file per category of issue
// 14: tuples, user-defined functions, transforms, distributions, linear
// algebra), with its data where it has some: the log density and its
// gradient are finite at a starting point and agree with central
// differences, and the outputs, generated quantities included, are
// written. The rejected programs are the ERROR corpora of stan/parser and
// stan/check.
func TestGoodCorpus(t *testing.T) {
	for _, c := range goodCorpus(t) {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			p, err := File(c.path)
			if err != nil {
				t.Fatal(err)
			}
			m, err := p.NewModel(c.data, 1)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			x := make([]float64, m.Dim())
			for i := range x {
				x[i] = rng.Float64() - 0.5
			}
			g := make([]float64, len(x))
			lp, err := m.LogDensity(x, g)
			if err != nil || math.IsNaN(lp) || math.IsInf(lp, 0) {
				t.Fatalf("log density %v, %v", lp, err)
			}
			for i := range x {
				fd, _, err := centralDiff(m, x, i)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(fd-g[i]) > 1e-5*math.Max(1, math.Abs(fd)) {
					t.Errorf("d/dx[%d]: gradient %v, central difference %v", i, g[i], fd)
				}
			}
			out := make([]float64, len(m.Names()))
			if err := m.Write(x, rng, out); err != nil {
				t.Fatal(err)
			}
			seen := 0
			for i, name := range m.Names() {
				want, ok := corpusValues[filepath.Base(c.path)+" "+name]
				if !ok {
					continue
				}
				seen++
				if math.Abs(out[i]-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Errorf("%s = %v, want %v", name, out[i], want)
				}
			}
			for k := range corpusValues {
				if strings.HasPrefix(k, filepath.Base(c.path)+" ") {
					seen--
				}
			}
			if seen != 0 {
				t.Errorf("%d of the known values name no output column of %v", -seen, m.Names())
			}
		})
	}
}

// corpusValues are outputs of the corpus with known values, by file and
// column: from the definitions (Stan's Functions Reference) and, for the
// special functions, independent tables.
var corpusValues = map[string]float64{
	// Stan 2.26's library (the file's comment): cos(2) to 1e-5, 4 exp(-5 /
	// 4.5) and Φ(±1) from Python's math (erfc).
	"stan226.stan ie_int":  3,
	"stan226.stan ie_real": 2.5,
	"stan226.stan osc_ok":  1,
	"stan226.stan k12":     1.3167719512316223,
	"stan226.stan solved":  4,
	"stan226.stan cdf1":    0.8413447460685429,
	"stan226.stan lcdf":    -1.8410216450092634,
	"stan226.stan ep[1]":   8,
	"stan226.stan ep[2]":   9,
	// Stan 2.39/2.40: M = [[1, 2, 3], [4, 5, 6]] by columns and rows; the
	// t quantiles of a table and of closed forms (ν = 1: μ + σ tan(π(p -
	// ½)); ν = 2: (2p - 1)/√(2p(1 - p))); the Poisson-binomial of θ = (½,
	// ¼) by hand; ∫ e^{-x²} = √π.
	"stan240.stan c2":            5,
	"stan240.stan r13":           3,
	"stan240.stan b21":           4,
	"stan240.stan t975":          2.22813885198627,
	"stan240.stan tcauchy":       3,
	"stan240.stan t2[1]":         -1.8856180831641267,
	"stan240.stan t2[2]":         0,
	"stan240.stan t2[3]":         4.302652729749462,
	"stan240.stan sm":            0.75,
	"stan240.stan pb":            0.5,
	"stan240.stan pbc":           0.875,
	"stan240.stan pbcc":          0.625,
	"stan240.stan pbr":           2,
	"stan240.stan gk":            1.7724538509055159,
	"stan240.stan glm1":          -0.9189385332046727,
	"distributions.stan lw0":     0.5671432904097838,  // Ω, W(1)
	"distributions.stan lwm1":    -2.5426413577735265, // W₋₁(-0.2)
	"distributions.stan ie":      0.4769362762044699,  // erfc⁻¹(0.5)
	"distributions.stan qf":      1.959963984540054,
	"distributions.stan lqf":     1.959963984540054,
	"distributions.stan q":       2.5, // type 7, as R's default
	"distributions.stan ld":      12,
	"distributions.stan aint[1]": 4, // abs of an int array stays int
	"distributions.stan oh[2]":   1,
	"distributions.stan oh[3]":   0,
	"distributions.stan lin[2]":  0.5,
	"distributions.stan mlog[2]": 2 * 1.0986122886681098,
	// log(inv_logit(1) - inv_logit(0.5))
	"distributions.stan lild": -2.2200908012655183,
	// The probe of the Functions Reference's probability functions:
	// Beta(1, 1) at ½; -log 2π - ½; log 2τ(1-τ) at the location; the
	// log-logistic at its scale; 2 log ¼; C(2,1)² / C(4,2); log(¼ · ½).
	"distributions2.stan bp":    -0.6931471805599453,
	"distributions2.stan nv":    -2.3378770664093453,
	"distributions2.stan sde":   -0.6931471805599453,
	"distributions2.stan llc":   0.5,
	"distributions2.stan dr":    -2.772588722239781,
	"distributions2.stan hg":    -0.40546510810816444,
	"distributions2.stan pbn":   -2.0794415416798357,
	"distributions2.stan glm0":  0,
	"distributions2.stan qf[1]": 0,
	"distributions2.stan qf[2]": 1.959963984540054,
	// The User's Guide probe: (½ + 2)·1; B(2, 3) = 1/12 by the integrator
	// and by the library's beta; 1·2 + 3·4.
	"usersguide2.stan cdf": 2.5,
	"usersguide2.stan b23": 1.0 / 12,
	"usersguide2.stan lb":  1.0 / 12,
	"usersguide2.stan tot": 14,
	// -Σ (y - 0.5)²/2 - 3 log √(2π) for y = 1, 2, 3.
	"guide.stan full":        -7.131815599614018,
	"guide.stan rs":          -7.131815599614018,
	"overloading.stan udiv":  6,  // a user int_divide, beside the operator %/%
	"overloading.stan upow":  12, // a user elt_pow, and add overloaded for arrays
	"conform.stan glm_b":     0,
	"conform.stan glm_p":     0,
	"conform.stan glm_n":     0,
	"conform.stan glm_nb":    0,
	"conform.stan glm_c":     0,
	"conform.stan sn":        -0.9189385332046727, // -log √(2π)
	"conform.stan hs":        -2,
	"conform.stan negpow":    -4,  // -(2^2): ^ binds tighter than unary minus
	"conform.stan powpow":    512, // 2^(3^2): ^ is right associative
	"conform.stan idiv":      -3,  // C++ truncates toward zero
	"conform.stan imod":      -1,
	"conform.stan tern":      1,
	"conform.stan nest":      4, // 0 ? 2 : (3 ? 4 : 5)
	"conform.stan left":      0, // 3 * (2 %/% 4): %/% binds tighter than * in stanc3
	"conform.stan modmul":    4,
	"conform.stan negexp":    0.5, // 2^(-(1^2))
	"conform.stan eltneg":    -4,
	"conform.stan chain":     1, // (3 < 2) < 1
	"conform.stan trix":      2,
	"conform.stan fe":        2.5,
	"conform.stan col2":      1,
	"conform.stan allb":      2.5, // B[] is every row
	"conform.stan one1":      4,
	"conform.stan bareidx":   0,                  // 1 + -1
	"conform.stan ard":       1.4715177646857693, // 4 exp(-(1/1 + 4/4)/2)
	"conform.stan ardx":      0.2431167344342142, // exp(-√2)
	"conform.stan m32x":      0.4833577245965077, // (1 + √3) exp(-√3)
	"conform.stan dpv":       11.25,
	"conform.stan dpx":       7,
	"conform.stan perx":      0.36787944117144233, // exp(-2 sin²(π/4))
	"conform.stan elcdf":     0,
	"conform.stan ecdf":      1,
	"conform.stan edr":       0,
	"conform.stan nrng":      0,
	"conform.stan schur_tr":  3,
	"conform.stan schur_low": 0,
	"conform.stan schur_u":   0,
	"conform.stan selfnan":   1,
	"conform.stan selfi":     math.MinInt32,
	"manual.stan a12":        7,
	"manual.stan a13":        3,
	"manual.stan a23":        -1,
	"manual.stan rev":        10,
	"manual.stan tail":       5,
	"manual.stan head2":      3,
	"manual.stan w1":         2,
	"manual.stan w3":         1,
	"manual.stan arr12":      2.5,
	"manual.stan col2":       7.5,
	"manual.stan m21":        3,
	"manual.stan mrow":       7,
	"manual.stan cond":       0.5,
	"manual.stan idiv":       3,
	"manual.stan fib10":      55,
	"manual.stan inb":        1,
	"manual.stan xy":         4.5,
	// The Reference Manual's expressions and statements (expressions2.stan).
	"expressions2.stan sc_and":          0, // && short-circuits: boom() is never called
	"expressions2.stan sc_or":           1,
	"expressions2.stan tern":            5, // ?: evaluates one branch
	"expressions2.stan alias2":          1, // v[2:3] = v[1:2] copies the right side first
	"expressions2.stan alias3":          2,
	"expressions2.stan alias_a2":        3,
	"expressions2.stan alias_a3":        1,
	"expressions2.stan order":           29, // foreach over a matrix: column-major
	"expressions2.stan ldiv":            6,  // \ binds tighter than *
	"expressions2.stan eltmul":          18, // .* binds like *, left to right
	"expressions2.stan wsum":            40,
	"expressions2.stan pairs":           13,
	"expressions2.stan exact":           1,
	"expressions2.stan promoted":        1, // int -> real beats int -> complex
	"expressions2.stan to_complex_call": 2,
	"expressions2.stan zre":             2.5,
	"signatures.stan dv":                3.5,
	"signatures.stan dm":                1,  // 3 / 3
	"signatures.stan em":                21, // 2+4+6 + 3+6
	"signatures.stan zm_re":             5,  // (1+2i)(3-i) = 5+5i
	"signatures.stan zm_im":             5,
	"signatures.stan zd_re":             0.1, // (1+2i)/(3-i) = (1+7i)/10
	"signatures.stan zd_im":             0.7,
	"signatures.stan zdv":               2, // 2i/1
	"signatures.stan na":                1,
	"signatures.stan nv":                -7,
	"signatures.stan ch":                2,
	"signatures.stan ct":                3,
	"signatures.stan cr":                3,
	"signatures.stan cs":                3,
	"signatures.stan csz":               3,
	"signatures.stan cne":               4,
	"signatures.stan cdim":              2,
	"signatures.stan cj":                2,
	"signatures.stan cjr":               3,
	"signatures.stan tcv_re":            3,
	"signatures.stan tcv_im":            1.5,
	"signatures.stan ti":                3,
	"signatures.stan ti2":               -2,
	"signatures.stan rk":                2,  // two elements below 3
	"signatures.stan ff12":              30, // 6·5
	"signatures.stan ff21":              1,
	"signatures.stan ff22":              336,                // 8·7·6
	"signatures.stan bj":                0.3528340286156376, // J_2(2): n[1, 2] = 2 with x[1, 2] = 2
	"signatures.stan sym":               -6,                 // Hermitian: the conjugate of 3 + 6i
	"signatures.stan tmc":               3,
	"signatures.stan eim":               12,
	"signatures.stan eid":               3, // integer division
	"signatures.stan d4s":               30,
	"signatures.stan d4l":               1.3862943611198906, // log 4
	"higher2.stan root":                 2,                  // the passed function's overload by promotion cost
	"higher2.stan root_c":               4,
	"higher2.stan pick":                 2,
	"higher2.stan sum_n":                6,
	"higher2.stan jobs[1]":              11.5,               // 0.5 + 1·10 + 1
	"higher2.stan jobs[2]":              42.5,               // 0.5 + 2·20 + 2
	"higher2.stan area":                 0.6321205588285577, // 1 - e⁻¹
	"higher2.stan dae_y":                0.1353352832366127, // e⁻²
	"higher2.stan adj_y":                0.1353352832366127,
	"solvers.stan rn":                   math.Sqrt2,
	"solvers.stan rp":                   3,
	"solvers.stan od":                   0.1353352832366127, // e⁻²
	"truncation.stan mless":             0,
	"truncation.stan ltwo":              -0.6931471805599453, // log ½
	"transforms.stan lb":                2.2231301601484298,  // 2 + e^-1.5
	"transforms.stan lb_back":           -1.5,
	"transforms.stan ou":                1.6,
	"transforms.stan lu":                0.197375320224904, // tanh(0.2)
	// 3/2, plus the smaller eigenvalue of [[2, 1], [1, 2]]
	"tuples.stan first": 2.5,
	"tuples.stan g:2:2": 7.5, // b + a, unpacked from (3, 4.5)
	"tuples.stan half":  1.5, // d.1 / 2 through a one-member tuple
	// Complex functions: the definitions, Euler's identity, iⁱ = e^(-π/2),
	// and C99's values on the branch cuts.
	"complex.stan ex[real]": -1,
	"complex.stan lg[imag]": math.Pi,
	"complex.stan sq[real]": 0,
	"complex.stan sq[imag]": 2,
	"complex.stan ii[real]": 0.20787957635076193,
	"complex.stan ii[imag]": 0,
	"complex.stan as[real]": math.Pi / 2,
	"complex.stan as[imag]": 1.3169578969248166, // acosh 2
	"complex.stan at[real]": 0.5493061443340549, // atanh ½
	"complex.stan at[imag]": math.Pi / 2,
	"complex.stan pr[real]": 6,
	"complex.stan pr[imag]": 0,
	"complex.stan sv[1]":    4,
	"complex.stan sv[2]":    3,
	// i [[4, 1], [2, 3]]: i times 2 and 5, by increasing modulus.
	"complex.stan ev[1,real]": 0,
	"complex.stan ev[1,imag]": 2,
	"complex.stan ev[2,real]": 0,
	"complex.stan ev[2,imag]": 5,
	"complex.stan es[1,real]": 1,
	"complex.stan es[1,imag]": 0,
	"complex.stan es[2,real]": 3,
	"complex.stan es[2,imag]": 0,
	// [2i, 4] diag(2, 2i)⁻¹, cumulative_sum({1 + i, 2}), conj(i) i + 1·2.
	"complex.stan rd[1,real]": 0,
	"complex.stan rd[1,imag]": 1,
	"complex.stan rd[2,real]": 0,
	"complex.stan rd[2,imag]": -2,
	"complex.stan cs[1,real]": 1,
	"complex.stan cs[1,imag]": 1,
	"complex.stan cs[2,real]": 3,
	"complex.stan cs[2,imag]": 1,
	"complex.stan dp[real]":   3,
	"complex.stan dp[imag]":   0,

	// blocks2.stan: is_even(7); pick's int, real and complex overloads;
	// the first of {1, 2, 5, 0} over 2 is the third; 1.5 summed over
	// sizes 4 and 1 to 4; T(2.5) = 5; b = a + 1 = 2.
	"blocks2.stan even7":  0,
	"blocks2.stan p_int":  1,
	"blocks2.stan p_real": 2,
	"blocks2.stan p_cplx": 3,
	"blocks2.stan fo":     3,
	"blocks2.stan tot":    6,
	"blocks2.stan t":      5,
	"blocks2.stan pr":     3,
	"blocks2.stan wr":     2.5,
	"blocks2.stan bb":     2,
	"blocks2.stan acc_gq": 15,
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// corpusProg is a program of the accepted corpus with its data.
type corpusProg struct {
	path string
	src  []byte
	data model.Data
}

// goodCorpus reads the accepted corpus (testdata/stan/good): each
// program and its data, its .data.json beside it, or none.
func goodCorpus(t *testing.T) []corpusProg {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "stan", "good", "*.stan"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	var progs []corpusProg
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c := corpusProg{path: f, src: src}
		if df := strings.TrimSuffix(f, ".stan") + ".data.json"; fileExists(df) {
			if c.data, err = model.ReadDataFile(df); err != nil {
				t.Fatal(err)
			}
		}
		progs = append(progs, c)
	}
	return progs
}
