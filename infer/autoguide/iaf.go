package autoguide

import (
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
)

// IAFNormal is NumPyro's AutoIAFNormal: a standard normal pushed through
// num_flows = 3 inverse autoregressive transforms (Kingma et al. 2016),
// y = exp(s(x))·x + m(x) with (m, s) from a MADE network (Germain et al.
// 2015) of hidden dims [D, D] and ELU, s clipped to [-5, 3], and the
// coordinates reversed between transforms.
type IAFNormal struct{ flow }

// NewIAFNormal starts at exactly N(loc, init_scale² I): the output layers'
// weights start at zero, the log-scale biases at log(init_scale)/3 in each
// transform and the last transform's mean biases at loc, while the hidden
// layers start random so that the outputs' gradients differ.
func NewIAFNormal(loc []float64, rng *rand.Rand) *IAFNormal {
	return &IAFNormal{newIAF(loc, rng, 3)}
}

// iafClipLow and iafClipHigh are NumPyro's clip of the log scale; past
// them the log scale is a constant, with zero gradient, as jnp.clip gives.
const iafClipLow, iafClipHigh = -5.0, 3.0

type iaf struct {
	d, flows int
	net      [3]maskedLayer // the same masks in every transform
	per      int            // parameters per transform
}

func newIAF(loc []float64, rng *rand.Rand, flows int) flow {
	d := len(loc)
	n := &iaf{d: d, flows: flows}
	// MADE degrees: input i has degree i+1; hidden units spread theirs
	// evenly over 1..D-1 (rounded half to even, as NumPyro does); a unit
	// sees the units of the layer below of degree ≤ its own, and the
	// output of dimension i sees the hidden units of degree < i+1.
	in := make([]float64, d)
	out := make([]float64, 2*d)
	for i := range d {
		in[i] = float64(i + 1)
		out[i], out[d+i] = float64(i+1), float64(i+1)
	}
	h1, h2 := madeHidden(d), madeHidden(d)
	n.net[0] = newMaskedLayer(in, h1, 0, false)
	n.net[1] = newMaskedLayer(h1, h2, n.net[0].size, false)
	n.net[2] = newMaskedLayer(h2, out, n.net[0].size+n.net[1].size, true)
	n.per = n.net[0].size + n.net[1].size + n.net[2].size

	par := make([]float64, flows*n.per)
	for f := range flows {
		p := par[f*n.per:]
		for _, l := range n.net[:2] {
			for j, src := range l.in {
				for k := range src {
					p[l.off[j]+1+k] = rng.NormFloat64() / math.Sqrt(float64(len(src)))
				}
			}
		}
		for i := range d {
			p[n.net[2].off[d+i]] = math.Log(initScale) / float64(flows)
		}
	}
	last := par[(flows-1)*n.per:]
	for i := range d {
		last[n.net[2].off[i]] = loc[n.order(i)]
	}
	return newFlow(n, d, par)
}

// order maps the last transform's coordinate i to the output's: the
// coordinates are reversed before every transform after the first.
func (n *iaf) order(i int) int {
	if (n.flows-1)%2 == 1 {
		return n.d - 1 - i
	}
	return i
}

// madeHidden returns the degrees of a hidden layer of D units.
func madeHidden(d int) []float64 {
	deg := make([]float64, d)
	for k := range deg {
		if d > 1 {
			deg[k] = math.RoundToEven(1 + float64(k)*float64(d-2)/float64(d-1))
		} else {
			deg[k] = 1
		}
	}
	return deg
}

// maskedLayer is a dense layer that stores only the weights its mask
// keeps: unit j sees the inputs in[j], its parameters at off[j] are its
// bias, then one weight per input.
type maskedLayer struct {
	in   [][]int
	off  []int
	size int
}

// newMaskedLayer connects input degrees from to output degrees to:
// strictly lower degrees for an output layer, lower or equal otherwise.
func newMaskedLayer(from, to []float64, off int, strict bool) maskedLayer {
	l := maskedLayer{in: make([][]int, len(to)), off: make([]int, len(to))}
	for j, dj := range to {
		l.off[j] = off + l.size
		for i, di := range from {
			if di < dj || (!strict && di == dj) {
				l.in[j] = append(l.in[j], i)
			}
		}
		l.size += 1 + len(l.in[j])
	}
	return l
}

// apply records the layer on t, with ELU when elu is set.
func (l *maskedLayer) apply(t *ad.Tape, p, x []ad.Var, elu bool) []ad.Var {
	out := t.Vars(len(l.in))
	for j, src := range l.in {
		o := l.off[j]
		v := p[o].Val
		b := t.Begin()
		b.Add(p[o], 1)
		for k, i := range src {
			w := p[o+1+k]
			v += w.Val * x[i].Val
			b.Add(w, x[i].Val)
			b.Add(x[i], w.Val)
		}
		a := b.End(v)
		if elu && v < 0 {
			e := math.Exp(v)
			a = t.Unary(e-1, a, e)
		}
		out[j] = a
	}
	return out
}

func (n *iaf) push(t *ad.Tape, p, x []ad.Var) ([]ad.Var, ad.Var) {
	d := n.d
	logScale := t.Vars(n.flows * d)
	h := x
	for f := range n.flows {
		if f > 0 {
			r := t.Vars(d)
			for i := range d {
				r[i] = h[d-1-i]
			}
			h = r
		}
		q := p[f*n.per : (f+1)*n.per]
		a := n.net[0].apply(t, q, h, true)
		a = n.net[1].apply(t, q, a, true)
		o := n.net[2].apply(t, q, a, false)
		y := t.Vars(d)
		for i := range d {
			m, s := o[i], o[d+i]
			if s.Val < iafClipLow || s.Val > iafClipHigh {
				s = ad.Const(math.Max(iafClipLow, math.Min(iafClipHigh, s.Val)))
			}
			e := math.Exp(s.Val)
			b := t.Begin()
			b.Add(s, e*h[i].Val)
			b.Add(h[i], e)
			b.Add(m, 1)
			y[i] = b.End(e*h[i].Val + m.Val)
			logScale[f*d+i] = s
		}
		h = y
	}
	return h, t.Sum(logScale)
}
