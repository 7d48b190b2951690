package autoguide

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
)

// IAFNormal is NumPyro's AutoIAFNormal: a standard normal pushed through
// num_flows (3) inverse autoregressive transforms (Kingma et al. 2016),
// y = exp(s(x))·x + m(x) with (m, s) from a MADE network (Germain et al.
// 2015) with ELU between its layers (hidden dims [D, D] by default), s
// clipped to [-5, 3], and the coordinates reversed between transforms.
type IAFNormal struct{ flow }

// NewIAFNormal starts at exactly N(loc, init_scale² I): the output layers'
// weights start at zero, the log-scale biases at log(init_scale)/3 in each
// transform and the last transform's mean biases at loc, while the hidden
// layers start random so that the outputs' gradients differ.
func NewIAFNormal(loc []float64, rng *rand.Rand) *IAFNormal {
	f, _ := newIAF(loc, rng, flowConfig{flows: 3, scale: initScale})
	return &IAFNormal{f}
}

// flowConfig are a flow's options: its transforms, its hidden layers (nil:
// the guide's default), the initial scale, and whether it starts as
// NumPyro's (AsNumPyro).
type flowConfig struct {
	flows   int
	hidden  []int
	scale   float64
	numpyro bool
}

// iafClipLow and iafClipHigh are NumPyro's clip of the log scale; past
// them the log scale is a constant, with zero gradient, as jnp.clip gives.
const iafClipLow, iafClipHigh = -5.0, 3.0

type iaf struct {
	d, flows int
	net      []maskedLayer // the same masks in every transform
	per      int           // parameters per transform
}

// glorotTrunc is the standard deviation's correction of JAX's truncated
// normal initialisers: the sd of a standard normal truncated to (-2, 2).
const glorotTrunc = 0.87962566103423978

func newIAF(loc []float64, rng *rand.Rand, c flowConfig) (flow, error) {
	d := len(loc)
	hidden := c.hidden
	if hidden == nil {
		hidden = []int{d, d}
	}
	for _, h := range hidden {
		if h < d {
			return flow{}, fmt.Errorf("iaf: hidden dims %v must not be below the dimension %d (NumPyro's AutoregressiveNN)", hidden, d)
		}
	}
	if c.numpyro && d == 1 {
		return flow{}, fmt.Errorf("iaf: latent dim = 1 (NumPyro's AutoIAFNormal refuses it: use the diagonal Normal)")
	}
	n := &iaf{d: d, flows: c.flows}
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
	from, off := in, 0
	for _, h := range hidden {
		deg := madeHidden(d, h)
		n.net = append(n.net, newMaskedLayer(from, deg, off, false))
		off += n.net[len(n.net)-1].size
		from = deg
	}
	n.net = append(n.net, newMaskedLayer(from, out, off, true))
	n.per = off + n.net[len(n.net)-1].size

	par := make([]float64, c.flows*n.per)
	last := len(n.net) - 1
	for f := range c.flows {
		p := par[f*n.per:]
		for k, l := range n.net {
			fanIn := len(in)
			if k > 0 {
				fanIn = len(n.net[k-1].in)
			}
			for j, src := range l.in {
				switch {
				case c.numpyro:
					// NumPyro's MaskedDense: glorot_normal weights (JAX's
					// truncated normal, fan_in and fan_out of the whole
					// layer) and normal(0.01) biases.
					sd := math.Sqrt(2/float64(fanIn+len(l.in))) / glorotTrunc
					p[l.off[j]] = 0.01 * rng.NormFloat64()
					for m := range src {
						p[l.off[j]+1+m] = sd * truncNormal(rng)
					}
				case k < last:
					for m := range src {
						p[l.off[j]+1+m] = rng.NormFloat64() / math.Sqrt(float64(len(src)))
					}
				}
			}
		}
		if !c.numpyro {
			for i := range d {
				p[n.net[last].off[d+i]] = math.Log(c.scale) / float64(c.flows)
			}
		}
	}
	if !c.numpyro {
		p := par[(c.flows-1)*n.per:]
		for i := range d {
			p[n.net[last].off[i]] = loc[n.order(i)]
		}
	}
	return newFlow(n, d, par), nil
}

// truncNormal draws a standard normal truncated to (-2, 2).
func truncNormal(rng *rand.Rand) float64 {
	for {
		if x := rng.NormFloat64(); math.Abs(x) < 2 {
			return x
		}
	}
}

// order maps the last transform's coordinate i to the output's: the
// coordinates are reversed before every transform after the first.
func (n *iaf) order(i int) int {
	if (n.flows-1)%2 == 1 {
		return n.d - 1 - i
	}
	return i
}

// madeHidden returns the degrees of a hidden layer of h units for D
// inputs: round(linspace(1, D-1, h)), as NumPyro's sample_mask_indices.
func madeHidden(d, h int) []float64 {
	deg := make([]float64, h)
	for k := range deg {
		if h > 1 {
			deg[k] = math.RoundToEven(1 + float64(k)*float64(d-2)/float64(h-1))
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
		a := h
		last := len(n.net) - 1
		for _, l := range n.net[:last] {
			a = l.apply(t, q, a, true)
		}
		o := n.net[last].apply(t, q, a, false)
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
