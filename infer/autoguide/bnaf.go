package autoguide

import (
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// BNAFNormal is NumPyro's AutoBNAFNormal: a standard normal pushed through
// one block neural autoregressive flow (De Cao et al. 2019) with hidden
// factors [8, 8]: masked block dense layers D → 8D → 8D → D with tanh
// between them. A layer's output block i sees the input blocks j ≤ i;
// the diagonal block's weights are exp'd to stay positive, so every
// z_i is increasing in x_i and the Jacobian is triangular with a positive
// diagonal: the flow is invertible.
type BNAFNormal struct{ flow }

// bnafFactors are NumPyro's default hidden_factors.
var bnafFactors = [2]int{8, 8}

// NewBNAFNormal starts the flow around loc with slope init_scale at the
// base's origin: the hidden layers start random, then the last layer's
// scales and biases are set so that z(0) = loc and ∂z_i/∂x_i(0) =
// init_scale.
func NewBNAFNormal(loc []float64, rng *rand.Rand) *BNAFNormal {
	d := len(loc)
	widest := max(bnafFactors[0], bnafFactors[1])
	n := &bnaf{d: d, u: make([]float64, d*widest), e: make([]float64, widest)}
	in, off := 1, 0
	for k, out := range [3]int{bnafFactors[0], bnafFactors[1], 1} {
		n.layers[k] = blockLayer{d: d, in: in, out: out, off: off}
		off += n.layers[k].size()
		in = out
	}
	par := make([]float64, off)
	for k := range n.layers {
		l := &n.layers[k]
		for i := range d {
			fan := (i + 1) * l.in
			for u := range l.out {
				o := l.unit(i, u)
				if k < 2 {
					par[o+1] = 2*rng.Float64() - 1 // spreads the tanh units
				}
				for m := range fan {
					par[o+2+m] = rng.NormFloat64() / math.Sqrt(float64(fan))
				}
			}
		}
	}
	t := ad.NewTape()
	p := t.Vars(len(par))
	for i, v := range par {
		p[i] = ad.Const(v)
	}
	z, logDiag := n.layersPush(t, p, t.Vars(d))
	for i := range d {
		o := n.layers[2].unit(i, 0)
		shift := math.Log(initScale) - logDiag[i].Val
		par[o] = shift
		par[o+1] = loc[i] - math.Exp(shift)*z[i].Val
	}
	return &BNAFNormal{newFlow(n, d, par)}
}

type bnaf struct {
	d      int
	layers [3]blockLayer
	u, e   []float64 // scratch for apply
}

// blockLayer is a masked block dense layer of d blocks, in inputs and out
// outputs per block. Each output unit's parameters are a log scale, a
// bias and the raw weights of its inputs (blocks 0..i, the diagonal block
// last): weight normalisation (Salimans and Kingma 2016) as in the paper
// makes its weight vector exp(log scale)·u/|u|, u the raw weights with
// the diagonal block's exp'd.
type blockLayer struct{ d, in, out, off int }

func (l *blockLayer) size() int { return l.out * (2*l.d + l.in*l.d*(l.d+1)/2) }

// unit returns the offset of output unit u of block i.
func (l *blockLayer) unit(i, u int) int {
	return l.off + l.out*(2*i+l.in*i*(i+1)/2) + u*(2+(i+1)*l.in)
}

// apply records the layer on t. logJ holds, for each input unit of block
// i, log ∂x/∂(base coordinate i); the result holds the same for the
// outputs, with tanh applied when act is set. u and e are scratch of at
// least d·in floats.
func (l *blockLayer) apply(t *ad.Tape, p, x, logJ []ad.Var, act bool, u, e []float64) ([]ad.Var, []ad.Var) {
	y := t.Vars(l.d * l.out)
	logJy := t.Vars(l.d * l.out)
	for i := range l.d {
		n, diag := (i+1)*l.in, i*l.in
		for k := range l.out {
			o := l.unit(i, k)
			w := p[o+2 : o+2+n]
			ss, s := 0.0, 0.0
			for m, wm := range w {
				r := wm.Val
				if m >= diag {
					r = math.Exp(r)
				}
				u[m] = r
				ss += r * r
				s += r * x[m].Val
			}
			// log c = log scale - ½ log |u|².
			b := t.Begin()
			b.Add(p[o], 1)
			for m, wm := range w {
				if m >= diag {
					b.Add(wm, -u[m]*u[m]/ss)
				} else {
					b.Add(wm, -u[m]/ss)
				}
			}
			logC := b.End(p[o].Val - 0.5*math.Log(ss))
			c := math.Exp(logC.Val)
			// pre = bias + c Σ u_m x_m.
			b = t.Begin()
			b.Add(p[o+1], 1)
			b.Add(logC, c*s)
			for m, wm := range w {
				du := 1.0
				if m >= diag {
					du = u[m]
				}
				b.Add(wm, c*du*x[m].Val)
				b.Add(x[m], c*u[m])
			}
			pre := b.End(p[o+1].Val + c*s)
			// The diagonal entry's log: log Σ_m c exp(w_m) ∂x_m/∂base_i
			// over the diagonal block, by log-sum-exp.
			top := math.Inf(-1)
			for m := range l.in {
				top = math.Max(top, w[diag+m].Val+logJ[diag+m].Val)
			}
			sum := 0.0
			for m := range l.in {
				e[m] = math.Exp(w[diag+m].Val + logJ[diag+m].Val - top)
				sum += e[m]
			}
			b = t.Begin()
			b.Add(logC, 1)
			for m := range l.in {
				b.Add(w[diag+m], e[m]/sum)
				b.Add(logJ[diag+m], e[m]/sum)
			}
			lj := b.End(logC.Val + top + math.Log(sum))
			j := i*l.out + k
			if act {
				h := math.Tanh(pre.Val)
				y[j] = t.Unary(h, pre, 1-h*h)
				logJy[j] = t.Binary(lj.Val+logTanhPrime(pre.Val), lj, 1, pre, -2*h)
			} else {
				y[j], logJy[j] = pre, lj
			}
		}
	}
	return y, logJy
}

// logTanhPrime is log(1 - tanh²a) = 2(log 2 - a - log(1 + e^{-2a})),
// finite where tanh²a rounds to 1.
func logTanhPrime(a float64) float64 {
	return 2 * (math.Ln2 - a - mathx.Log1pExp(-2*a))
}

// layersPush returns z and log ∂z_i/∂x_i for each i.
func (n *bnaf) layersPush(t *ad.Tape, p, x []ad.Var) ([]ad.Var, []ad.Var) {
	logJ := t.Vars(n.d) // log ∂x_i/∂x_i = 0
	x, logJ = n.layers[0].apply(t, p, x, logJ, true, n.u, n.e)
	x, logJ = n.layers[1].apply(t, p, x, logJ, true, n.u, n.e)
	return n.layers[2].apply(t, p, x, logJ, false, n.u, n.e)
}

func (n *bnaf) push(t *ad.Tape, p, x []ad.Var) ([]ad.Var, ad.Var) {
	z, logDiag := n.layersPush(t, p, x)
	return z, t.Sum(logDiag)
}
