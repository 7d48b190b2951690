package autoguide

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/model"
)

// latentModel declares z, then two positive_ordered vectors b and a:
// NumPyro's latent vector is a, b, z.
var latentModel = blocksModel{blocks: []model.ParamBlock{
	{Name: "z", Starts: []int{0}, ElemSize: 1},
	{Name: "b", Constraint: "positive_ordered", Starts: []int{1}, ElemSize: 3},
	{Name: "a", Constraint: "positive_ordered", Starts: []int{4}, ElemSize: 2},
}}

// TestNumPyroLatent checks the map from NumPyro's latent vector to the
// model's: the parameters sorted by name, a positive_ordered block exp ∘
// ordered of its coordinates (checked against Stan's cumulative sum of
// exps), the map inverts, its log-Jacobian is log |det| of its Jacobian by
// central differences, and the density on u has the gradient of central
// differences, with and without the Jacobian.
func TestNumPyroLatent(t *testing.T) {
	l := newNumPyroLatent(latentModel, true)
	if want := []int{4, 5, 1, 2, 3, 0}; !slices.Equal(l.perm, want) {
		t.Fatalf("latent order %v, want %v", l.perm, want)
	}
	if want := []orderedBlock{{1, 2, 3}, {4, 0, 2}}; !slices.Equal(l.blocks, want) {
		t.Fatalf("blocks %v, want %v", l.blocks, want)
	}
	u := []float64{0.3, -0.4, 0.2, 0.7, -1.1, 0.5}
	z := make([]float64, 6)
	l.forward(u, z)
	if z[0] != u[5] {
		t.Errorf("z[0] = %v, want the latent's last value %v", z[0], u[5])
	}
	// Stan's positive_ordered of z[1:4] is NumPyro's exp ∘ ordered of
	// u[2:5].
	y := math.Exp(z[1])
	for c := range 3 {
		if c > 0 {
			y += math.Exp(z[1+c])
		}
		if want := math.Exp(orderedAt(u[2:5], c)); math.Abs(y-want) > 1e-12*want {
			t.Errorf("y[%d] = %v, NumPyro's %v", c, y, want)
		}
	}
	back := make([]float64, 6)
	l.fromModel(z, back)
	for i := range u {
		if math.Abs(back[i]-u[i]) > 1e-12 {
			t.Errorf("fromModel(toModel(u))[%d] = %v, want %v", i, back[i], u[i])
		}
	}
	const h = 1e-6
	jac := mat.NewDense(6, 6, nil)
	for j := range u {
		up, down := make([]float64, 6), make([]float64, 6)
		u[j] += h
		l.forward(u, up)
		u[j] -= 2 * h
		l.forward(u, down)
		u[j] += h
		for i := range z {
			jac.Set(i, j, (up[i]-down[i])/(2*h))
		}
	}
	if got, want := l.addLogJacobian(0, u), math.Log(math.Abs(mat.Det(jac))); math.Abs(got-want) > 1e-7 {
		t.Errorf("log-Jacobian %v, central differences %v", got, want)
	}
	lp := func(z, g []float64) (float64, error) {
		v := 0.0
		for i, x := range z {
			c := float64(i + 1)
			v -= 0.5 * c * x * x * (1 + 0.1*math.Sin(x))
			if g != nil {
				g[i] = -c*x*(1+0.1*math.Sin(x)) - 0.05*c*x*x*math.Cos(x)
			}
		}
		return v, nil
	}
	for _, jacobian := range []bool{true, false} {
		f := pullBack(l, 6, jacobian).on(lp)
		g := make([]float64, 6)
		v, _ := f(u, g)
		if want, _ := lp(z, nil); jacobian {
			want += l.addLogJacobian(0, u)
			if math.Abs(v-want) > 1e-12 {
				t.Errorf("density %v, want lp + log-Jacobian %v", v, want)
			}
		}
		for j := range u {
			u[j] += h
			up, _ := f(u, nil)
			u[j] -= 2 * h
			down, _ := f(u, nil)
			u[j] += h
			if fd := (up - down) / (2 * h); math.Abs(g[j]-fd) > 1e-6*math.Max(1, math.Abs(fd)) {
				t.Errorf("jacobian %v: gradient[%d] %v, central difference %v", jacobian, j, g[j], fd)
			}
		}
	}
}

// blocksModel is a model that only lays out its parameters.
type blocksModel struct {
	model.Model
	blocks []model.ParamBlock
}

func (b blocksModel) ParamBlocks() []model.ParamBlock { return b.blocks }

// TestSitesOf: NumPyro's sites are the parameters, a tuple one site
// whether its leaves are contiguous or interleaved in an array of
// tuples, a parameter with no values none.
func TestSitesOf(t *testing.T) {
	m := blocksModel{blocks: []model.ParamBlock{
		{Name: "a", Starts: []int{0, 2}, ElemSize: 2},
		{Name: "none", ElemSize: 1},
		{Name: "q:1", Starts: []int{4, 7}, ElemSize: 1}, // array[2] tuple(real, array[2] real)
		{Name: "q:2", Starts: []int{5, 8}, ElemSize: 2},
		{Name: "r", Starts: []int{10}, ElemSize: 1},
	}}
	want := []site{{"a", 0, 4}, {"q", 4, 6}, {"r", 10, 1}}
	if got := sitesOf(m); !slices.Equal(got, want) {
		t.Errorf("sites %v, want %v", got, want)
	}
}
