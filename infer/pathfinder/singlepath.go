package pathfinder

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gostan/gostan/draws"
)

// Iterate is one L-BFGS iteration of a path, kept with
// Config.SaveSinglePaths: what CmdStan's single-path JSON records of it.
type Iterate struct {
	Iter        int
	X, Grad     []float64 // the iterate and the log density's gradient there
	HistorySize int       // (s, y) pairs in the history
	Note        string    // L-BFGS's note on the iteration
	// Approx is the approximation formed at the iterate and Alpha the
	// diagonal of the initial inverse Hessian it was formed with; nil at
	// the initial point and where none was formed, Err then saying why.
	Approx *Gaussian
	Alpha  []float64
	Err    error
}

// SinglePathFiles are the files CmdStan's save_single_paths writes beside
// the output file for path (from 1) of numPaths: for output.csv,
// output_path_1.csv with the path's draws and output_path_1.json with its
// iterations; with one path the output file holds its draws (csv is then
// "") and output.json its iterations (CmdStan Guide, "Pathfinder Method
// for Approximate Bayesian Inference", Single-path Pathfinder Outputs).
// The draws' file takes output's extension, .csv when it has none.
func SinglePathFiles(output string, path, numPaths int) (csv, json string) {
	ext := filepath.Ext(output)
	base := strings.TrimSuffix(output, ext)
	if ext == "" {
		ext = ".csv"
	}
	if numPaths == 1 {
		return "", base + ".json"
	}
	return fmt.Sprintf("%s_path_%d%s", base, path, ext), fmt.Sprintf("%s_path_%d.json", base, path)
}

// PathSet is path i's own draws (from 0; Config.SaveSinglePaths) as
// CmdStan writes a single path's file: the pooled output's columns and
// settings, and the path's time, Stan's pathfinder_lbfgs_single footer.
// It is nil when the path has no draws.
func (r *Result) PathSet(i int) *draws.Set {
	p := r.Paths[i]
	if p.Draws == nil {
		return nil
	}
	set := r.set(p.Draws, p.LPApprox, p.LP)
	if r.Interrupted {
		set.Comments = []string{"Interrupted: the path stopped early; the draws come from the best approximation reached."}
		return set
	}
	set.Footer = []string{fmt.Sprintf("Elapsed Time: %f seconds (Pathfinder)", p.Seconds)}
	return set
}

// WriteIterates writes the path's iterations (Config.SaveSinglePaths) as
// CmdStan's single-path JSON: one object per iteration, keyed by its
// number, with the keys the CmdStan Guide shows ("Single-path Pathfinder
// Outputs"): iter, unconstrained_parameters and grads; from iteration 1
// on also history_size, lbfgs_success, pathfinder_success and lbfgs_note;
// where an approximation was formed x_center (its mean), logDetCholHk,
// L_approx, Qk, alpha and full (Stan's taylor_approx_t: the dense form,
// 2J ≥ n, has L_approx the upper Cholesky factor of the covariance and Qk
// empty; the low-rank form has Qk the n×k basis and L_approx the upper
// factor of I + R̄MR̄ᵀ); where none was, pathfinder_error.
//
// The Guide gives the keys by example, not a schema. Where gostan's
// records differ from Stan's: each holds the iterate at which its
// approximation was formed and the gradient of log p there (Stan's hold
// the previous iterate, and from iteration 1 on the gradient of -log p);
// Qk is gostan's orthonormal basis (Gram-Schmidt, so its columns may
// differ from Householder QR's in sign, and dependent ones are dropped);
// iterations after which L-BFGS stopped without a new iterate are not
// recorded (Stan records a last one with lbfgs_success false); numbers
// are written in the shortest form that reads back exactly, NaN and
// ±Infinity as Stan's JSON writes them.
func (p *Path) WriteIterates(w io.Writer) error {
	b := bufio.NewWriter(w)
	b.WriteString("{")
	for k, it := range p.Iterates {
		if k > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(b, "\n  \"%d\": {", it.Iter)
		rec := jsonRecord{b: b}
		rec.key("iter").WriteString(strconv.Itoa(it.Iter))
		rec.vector("unconstrained_parameters", it.X)
		rec.vector("grads", it.Grad)
		if it.Iter > 0 {
			rec.key("history_size").WriteString(strconv.Itoa(it.HistorySize))
			rec.key("lbfgs_success").WriteString("true")
			rec.key("pathfinder_success").WriteString(strconv.FormatBool(it.Approx != nil))
			if q := it.Approx; q != nil {
				upper, qk, full := q.factors()
				rec.vector("x_center", q.Mean)
				rec.key("logDetCholHk").WriteString(jsonNumber(q.LogDetCholH))
				rec.matrix("L_approx", upper)
				rec.matrix("Qk", qk)
				rec.vector("alpha", it.Alpha)
				rec.key("full").WriteString(strconv.FormatBool(full))
			}
			rec.key("lbfgs_note").WriteString(jsonString(it.Note))
			if it.Approx == nil && it.Err != nil {
				rec.key("pathfinder_error").WriteString(jsonString(it.Err.Error()))
			}
		}
		b.WriteString("\n  }")
	}
	b.WriteString("\n}\n")
	return b.Flush()
}

// jsonRecord writes one record's keys, a line each.
type jsonRecord struct {
	b    *bufio.Writer
	keys int
}

func (r *jsonRecord) key(k string) *bufio.Writer {
	if r.keys > 0 {
		r.b.WriteString(",")
	}
	r.keys++
	fmt.Fprintf(r.b, "\n    %q: ", k)
	return r.b
}

func (r *jsonRecord) vector(k string, v []float64) {
	r.key(k)
	writeVector(r.b, v)
}

func (r *jsonRecord) matrix(k string, rows [][]float64) {
	r.key(k).WriteString("[")
	for i, row := range rows {
		if i > 0 {
			r.b.WriteString(", ")
		}
		writeVector(r.b, row)
	}
	r.b.WriteString("]")
}

func writeVector(b *bufio.Writer, v []float64) {
	b.WriteString("[")
	for i, x := range v {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(jsonNumber(x))
	}
	b.WriteString("]")
}

// jsonString is s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// jsonNumber is x in the shortest form that reads back exactly; NaN and
// ±Infinity as Stan's JSON has them.
func jsonNumber(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "Infinity"
	case math.IsInf(x, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// factors are the approximation's factors as Stan's taylor_approx_t holds
// them: upper triangular L_approx, Qk (n rows; none in the dense form) and
// whether the form is dense.
func (g *Gaussian) factors() (upper, qk [][]float64, full bool) {
	l := g.l
	if l == nil {
		l = g.lt
	}
	k, _ := l.Dims()
	upper = make([][]float64, k)
	for i := range k {
		upper[i] = make([]float64, k)
		for j := i; j < k; j++ {
			upper[i][j] = l.At(j, i)
		}
	}
	if g.l != nil {
		return upper, [][]float64{}, true
	}
	qk = make([][]float64, len(g.Mean))
	for i := range qk {
		qk[i] = make([]float64, len(g.q))
		for a, col := range g.q {
			qk[i][a] = col[i]
		}
	}
	return upper, qk, false
}
