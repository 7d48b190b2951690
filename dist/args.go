package dist

import (
	"fmt"
	"math"

	"github.com/gostan/gostan/ad"
)

// DomainError reports an argument outside its distribution's support, in
// Stan's words: "normal_lpdf: Scale parameter[2] is -1, but must be positive".
type DomainError struct {
	Func  string  // e.g. "normal_lpdf"
	Arg   string  // e.g. "Scale parameter"
	Index int     // 1-based element of a vector argument, 0 for a scalar
	Value float64 // the offending value
	Rule  string  // e.g. "positive", "finite", "in the interval [0, 1]"
}

func (e *DomainError) Error() string {
	at := ""
	if e.Index > 0 {
		at = fmt.Sprintf("[%d]", e.Index)
	}
	return fmt.Sprintf("%s: %s%s is %v, but must be %s", e.Func, e.Arg, at, e.Value, e.Rule)
}

// SizeError reports vector arguments of different lengths.
type SizeError struct {
	Func       string
	Arg1, Arg2 string
	N1, N2     int
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("%s: size of %s (%d) and size of %s (%d) must match", e.Func, e.Arg1, e.N1, e.Arg2, e.N2)
}

// argName names an argument in error messages. It is an index into
// argNames rather than a string so that building an error copies no pointer
// out of an arg, which would make escape analysis move every argument slice
// to the heap.
type argName uint8

const (
	argY argName = iota
	argLocation
	argScale
	argShape
	argInvScale
	argDOF
	argRate
	argLogRate
	argProbability
	argLogitProb
	argTrials
	argSuccesses
	argCount
	argDraws
	argPrecision
	argInvDispersion
	argLogLocation
	argLower
	argUpper
	argSkewness
	argInvScaleExp
	argTailShape
	argPriorSuccess
	argPriorFailure
	argPriorSizes
	argCutpoints
	argLinearPredictor
	argProbabilities
	argLogProbabilities
	argOutcome
	argCovariance
	argCholesky
	argPrecisionMatrix
	argCorrelation
	argCorrCholesky
	argEta
	argScaleMatrix
	argLocationVector
	argWeights
	argIntercept
	argDesign
	argMixing
	argN
	argBigN
	argA
	argB
	argSuccessesParam
	argPriorSuccessParam
	argPriorFailureParam
)

// argNames maps each argName to Stan's wording. A file that needs more names
// declares them from its own range (see doc.go) and adds them here.
var argNames = map[argName]string{
	argY:                 "Random variable",
	argLocation:          "Location parameter",
	argScale:             "Scale parameter",
	argShape:             "Shape parameter",
	argInvScale:          "Inverse scale parameter",
	argDOF:               "Degrees of freedom parameter",
	argRate:              "Rate parameter",
	argLogRate:           "Log rate parameter",
	argProbability:       "Probability parameter",
	argLogitProb:         "Logit transformed probability parameter",
	argTrials:            "Population size parameter",
	argSuccesses:         "Successes variable",
	argCount:             "Count variable",
	argDraws:             "Draws parameter",
	argPrecision:         "Precision parameter",
	argInvDispersion:     "Inverse dispersion parameter",
	argLogLocation:       "Log location parameter",
	argLower:             "Lower bound parameter",
	argUpper:             "Upper bound parameter",
	argSkewness:          "Skewness parameter",
	argInvScaleExp:       "Inv_scale parameter",
	argTailShape:         "Tail shape parameter",
	argPriorSuccess:      "First prior sample size parameter",
	argPriorFailure:      "Second prior sample size parameter",
	argPriorSizes:        "prior sample sizes",
	argCutpoints:         "Cut-points",
	argLinearPredictor:   "Location parameter",
	argProbabilities:     "Probabilities parameter",
	argLogProbabilities:  "log-probabilities parameter",
	argOutcome:           "Categorical outcome",
	argCovariance:        "Covariance matrix",
	argCholesky:          "Cholesky factor of covariance matrix",
	argPrecisionMatrix:   "Precision matrix",
	argCorrelation:       "Correlation matrix",
	argCorrCholesky:      "Cholesky factor of correlation matrix",
	argEta:               "Shape parameter",
	argScaleMatrix:       "scale parameter",
	argLocationVector:    "Location parameter",
	argWeights:           "Weight vector",
	argIntercept:         "Intercept",
	argDesign:            "Matrix of independent variables",
	argMixing:            "Mixing proportion",
	argN:                 "Number of successes",
	argBigN:              "Number of draws",
	argA:                 "Draws parameter",
	argB:                 "Draws parameter",
	argSuccessesParam:    "Number of successes parameter",
	argPriorSuccessParam: "Prior success parameter",
	argPriorFailureParam: "Prior failure parameter",
	argSimplex:           "probabilities",
	argMVRandom:          "random variable",
}

func (n argName) String() string { return argNames[n] }

// arg is one real argument of a vectorised function. It hands out values by
// element, broadcasting scalars, and collects partial derivatives: per
// element for a vector, summed for a scalar so that it becomes one operand.
type arg struct {
	v       []ad.Var
	name    argName
	scalar  bool
	varying bool // some element is a tape variable
	acc     float64
}

func newArg(name argName, v []ad.Var) arg {
	return arg{v: v, name: name, scalar: len(v) == 1, varying: ad.AnyVar(v)}
}

func (a *arg) val(i int) float64 {
	if a.scalar {
		return a.v[0].Val
	}
	return a.v[i].Val
}

// d records d(result)/d(element i).
func (a *arg) d(b *ad.Builder, i int, d float64) {
	if !a.varying {
		return
	}
	if a.scalar {
		a.acc += d
		return
	}
	b.Add(a.v[i], d)
}

// flush adds a scalar argument's summed partial to the result.
func (a *arg) flush(b *ad.Builder) {
	if a.scalar && a.varying {
		b.Add(a.v[0], a.acc)
	}
}

// size returns the common length of vectorised arguments: scalars broadcast,
// any empty vector makes the result empty, and other lengths must agree.
func size(fn string, args ...*arg) (int, error) {
	n := 1
	var first *arg
	for _, a := range args {
		if a.scalar {
			continue
		}
		if len(a.v) == 0 {
			n = 0
			continue
		}
		if first == nil {
			first, n = a, len(a.v)
			continue
		}
		if len(a.v) != len(first.v) {
			return 0, &SizeError{fn, first.name.String(), a.name.String(), len(first.v), len(a.v)}
		}
	}
	for _, a := range args {
		if len(a.v) == 0 {
			return 0, nil
		}
	}
	return n, nil
}

// anyVarying reports whether some argument is a tape variable.
func anyVarying(args ...*arg) bool {
	for _, a := range args {
		if a.varying {
			return true
		}
	}
	return false
}

// check returns a DomainError for the first element of a that fails ok.
func check(fn string, a *arg, rule string, ok func(float64) bool) error {
	for i, x := range a.v {
		if !ok(x.Val) {
			idx := i + 1
			if a.scalar {
				idx = 0
			}
			return &DomainError{fn, a.name.String(), idx, x.Val, rule}
		}
	}
	return nil
}

// The common support rules, named as Stan's error messages name them.
func isFinite(x float64) bool   { return !math.IsInf(x, 0) && !math.IsNaN(x) }
func isNotNaN(x float64) bool   { return !math.IsNaN(x) }
func isPositive(x float64) bool { return x > 0 }
func isPositiveFinite(x float64) bool {
	return x > 0 && !math.IsInf(x, 1)
}
func isNonnegative(x float64) bool { return x >= 0 }
func isProbability(x float64) bool { return x >= 0 && x <= 1 }

const (
	ruleFinite      = "finite"
	ruleNotNaN      = "not nan"
	rulePositive    = "positive"
	rulePosFinite   = "positive finite"
	ruleNonnegative = "nonnegative"
	ruleProbability = "in the interval [0, 1]"
)
