package autoguide

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// BNAFNormal is NumPyro's AutoBNAFNormal: a standard normal pushed through
// num_flows (1) block neural autoregressive flows (De Cao et al. 2019)
// with hidden factors [8, 8] by default: masked block dense layers D → 8D
// → 8D → D with tanh between them. A layer's output block i sees the input
// blocks j ≤ i; the diagonal block's weights are exp'd to stay positive,
// so every z_i is increasing in x_i and the Jacobian is triangular with a
// positive diagonal: the flow is invertible. With more than one flow the
// coordinates are reversed between them, and each but the last is mixed
// with its input by a learnt gate, σ(a)·f(x) + (1 - σ(a))·x (NumPyro's
// gated residual).
type BNAFNormal struct{ flow }

// bnafFactors are NumPyro's default hidden_factors.
var bnafFactors = []int{8, 8}

// NewBNAFNormal starts the flow around loc with slope init_scale at the
// base's origin: the hidden layers start random, then the last layer's
// scales and biases are set so that z(0) = loc and ∂z_i/∂x_i(0) =
// init_scale.
func NewBNAFNormal(loc []float64, rng *rand.Rand) *BNAFNormal {
	return &BNAFNormal{newBNAF(loc, rng, flowConfig{flows: 1, scale: initScale})}
}

// newBNAF builds c.flows flows. gostan's start (c.numpyro unset) draws the
// hidden layers at random and sets the last flow's last layer so that the
// base's origin goes to loc with slope c.scale in that flow; NumPyro's
// draws every layer as its BlockMaskedDense does and ignores loc.
func newBNAF(loc []float64, rng *rand.Rand, c flowConfig) flow {
	d := len(loc)
	factors := c.hidden
	if factors == nil {
		factors = bnafFactors
	}
	widest := slices.Max(factors)
	n := &bnaf{d: d, u: make([]float64, d*widest), e: make([]float64, widest)}
	off := 0
	for f := range c.flows {
		var fl bnafFlow
		in := 1
		for _, out := range append(slices.Clone(factors), 1) {
			fl.layers = append(fl.layers, blockLayer{d: d, in: in, out: out, off: off})
			off += fl.layers[len(fl.layers)-1].size()
			in = out
		}
		fl.gate = -1
		if f < c.flows-1 {
			fl.gate = off
			off++
		}
		n.flows = append(n.flows, fl)
	}
	par := make([]float64, off)
	for _, fl := range n.flows {
		for k := range fl.layers {
			l := &fl.layers[k]
			hidden := k < len(fl.layers)-1
			for i := range d {
				fan := (i + 1) * l.in
				for u := range l.out {
					o := l.unit(i, u)
					if c.numpyro {
						// NumPyro's BlockMaskedDense: glorot_uniform weights
						// per column block, log scales log U(0, 1), biases
						// uniform in ±1/√(out dim).
						lim := math.Sqrt(6 / float64(fan+l.out))
						par[o] = math.Log(rng.Float64())
						par[o+1] = (rng.Float64() - 0.5) * 2 / math.Sqrt(float64(d*l.out))
						for m := range fan {
							par[o+2+m] = lim * (2*rng.Float64() - 1)
						}
						continue
					}
					if hidden {
						par[o+1] = 2*rng.Float64() - 1 // spreads the tanh units
					}
					for m := range fan {
						par[o+2+m] = rng.NormFloat64() / math.Sqrt(float64(fan))
					}
				}
			}
		}
		if fl.gate >= 0 && c.numpyro {
			par[fl.gate] = rng.NormFloat64() // NumPyro's gate_init normal(1)
		}
	}
	if !c.numpyro {
		n.center(par, loc, c.scale)
	}
	return newFlow(n, d, par)
}

// center sets the last flow's last layer so that the base's origin goes
// to loc with ∂z_i/∂x_i = scale in that flow, at the point the flows
// before it send the origin to.
func (n *bnaf) center(par, loc []float64, scale float64) {
	t := ad.NewTape()
	p := t.Vars(len(par))
	for i, v := range par {
		p[i] = ad.Const(v)
	}
	x := t.Vars(n.d)
	last := len(n.flows) - 1
	for f := range last {
		x, _ = n.flowPush(t, p, x, f)
	}
	if last > 0 {
		x = reversed(t, x)
	}
	fl := n.flows[last]
	z, logDiag := n.layersPush(t, p, x, fl)
	top := fl.layers[len(fl.layers)-1]
	for i := range n.d {
		o := top.unit(i, 0)
		shift := math.Log(scale) - logDiag[i].Val
		par[o] = shift
		par[o+1] = loc[i] - math.Exp(shift)*z[i].Val
	}
}

type bnaf struct {
	d     int
	flows []bnafFlow
	u, e  []float64 // scratch for apply
}

// bnafFlow is one flow's layers and the offset of its gate's logit (-1
// for the last flow, which has none).
type bnafFlow struct {
	layers []blockLayer
	gate   int
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

// layersPush returns fl's z and log ∂z_i/∂x_i for each i.
func (n *bnaf) layersPush(t *ad.Tape, p, x []ad.Var, fl bnafFlow) ([]ad.Var, []ad.Var) {
	logJ := t.Vars(n.d) // log ∂x_i/∂x_i = 0
	last := len(fl.layers) - 1
	for k := range fl.layers {
		x, logJ = fl.layers[k].apply(t, p, x, logJ, k < last, n.u, n.e)
	}
	return x, logJ
}

// flowPush applies flow f, with its gated residual, and returns its
// output and log-diagonal: log(σ(a) e^L + 1 - σ(a)) = softplus(L + a) -
// softplus(a) for the gate's logit a.
func (n *bnaf) flowPush(t *ad.Tape, p, x []ad.Var, f int) ([]ad.Var, []ad.Var) {
	fl := n.flows[f]
	z, logDiag := n.layersPush(t, p, x, fl)
	if fl.gate < 0 {
		return z, logDiag
	}
	a := p[fl.gate]
	g := mathx.InvLogit(a.Val)
	out, lj := t.Vars(n.d), t.Vars(n.d)
	for i := range n.d {
		b := t.Begin()
		b.Add(z[i], g)
		b.Add(x[i], 1-g)
		b.Add(a, g*(1-g)*(z[i].Val-x[i].Val))
		out[i] = b.End(g*z[i].Val + (1-g)*x[i].Val)
		s := mathx.InvLogit(logDiag[i].Val + a.Val)
		lj[i] = t.Binary(mathx.Log1pExp(logDiag[i].Val+a.Val)-mathx.Log1pExp(a.Val), logDiag[i], s, a, s-g)
	}
	return out, lj
}

// reversed returns x in reverse order.
func reversed(t *ad.Tape, x []ad.Var) []ad.Var {
	r := t.Vars(len(x))
	for i := range x {
		r[i] = x[len(x)-1-i]
	}
	return r
}

func (n *bnaf) push(t *ad.Tape, p, x []ad.Var) ([]ad.Var, ad.Var) {
	var logDet []ad.Var
	for f := range n.flows {
		if f > 0 {
			x = reversed(t, x)
		}
		var lj []ad.Var
		x, lj = n.flowPush(t, p, x, f)
		logDet = append(logDet, lj...)
	}
	return x, t.Sum(logDet)
}
