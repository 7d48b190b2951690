package nuts

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// dualAveraging adapts the step size towards a target acceptance
// statistic delta (Nesterov 2009; Hoffman and Gelman 2014, algorithm 5).
type dualAveraging struct {
	delta, gamma, kappa, t0 float64
	mu                      float64
	counter, sBar, xBar     float64
}

func (a *dualAveraging) restart(eps float64) {
	a.counter, a.sBar, a.xBar = 0, 0, 0
	a.mu = math.Log(10 * eps)
}

// learn returns the next step size after a transition whose acceptance
// statistic was stat.
func (a *dualAveraging) learn(stat float64) float64 {
	a.counter++
	stat = math.Min(1, stat)
	eta := 1 / (a.counter + a.t0)
	a.sBar = (1-eta)*a.sBar + eta*(a.delta-stat)
	x := a.mu - a.sBar*math.Sqrt(a.counter)/a.gamma
	xEta := math.Pow(a.counter, -a.kappa)
	a.xBar = (1-xEta)*a.xBar + xEta*x
	return math.Exp(x)
}

// final is the step size used after warmup.
func (a *dualAveraging) final() float64 { return math.Exp(a.xBar) }

// windows schedules metric adaptation during warmup as Stan does: an
// initial fast interval, slow windows that double in size and whose last
// one stretches to the terminal fast interval.
type windows struct {
	warmup                         int
	initBuffer, termBuffer, window int
	counter, size, next            int
}

func newWindows(warmup, initBuffer, termBuffer, base int) (*windows, string) {
	w := &windows{warmup: warmup, initBuffer: initBuffer, termBuffer: termBuffer, window: base}
	msg := ""
	if warmup < 20 {
		msg = "WARNING: No variance estimation is performed for num_warmup < 20"
	} else if initBuffer+base+termBuffer > warmup {
		w.initBuffer = int(0.15 * float64(warmup))
		w.termBuffer = int(0.1 * float64(warmup))
		w.window = warmup - (w.initBuffer + w.termBuffer)
		msg = fmt.Sprintf("WARNING: There aren't enough warmup iterations to fit the three stages of adaptation as currently configured. "+
			"Reducing each adaptation stage to 15%%/75%%/10%% of the given number of warmup iterations: init_buffer = %d, adapt_window = %d, term_buffer = %d",
			w.initBuffer, w.window, w.termBuffer)
	}
	w.size = w.window
	w.next = w.initBuffer + w.size - 1
	return w, msg
}

func (w *windows) inWindow() bool {
	return w.counter >= w.initBuffer && w.counter < w.warmup-w.termBuffer && w.counter != w.warmup
}

func (w *windows) endOfWindow() bool {
	return w.counter == w.next && w.counter != w.warmup
}

func (w *windows) computeNext() {
	last := w.warmup - w.termBuffer - 1
	if w.next == last {
		return
	}
	w.size *= 2
	w.next = w.counter + w.size
	if w.next != last && w.next+2*w.size >= w.warmup-w.termBuffer {
		w.next = last
	}
}

// covEstimator accumulates the draws of a slow window (Welford's method).
type covEstimator struct {
	n    float64
	mean []float64
	m2   []float64 // diagonal: sums of squares; dense: d×d row-major
	dev  []float64
}

func newCovEstimator(d int, dense bool) *covEstimator {
	e := &covEstimator{mean: make([]float64, d), dev: make([]float64, d)}
	if dense {
		e.m2 = make([]float64, d*d)
	} else {
		e.m2 = make([]float64, d)
	}
	return e
}

func (e *covEstimator) restart() {
	e.n = 0
	clear(e.mean)
	clear(e.m2)
}

func (e *covEstimator) add(q []float64) {
	e.n++
	d := len(q)
	for i, v := range q {
		e.dev[i] = v - e.mean[i]
		e.mean[i] += e.dev[i] / e.n
	}
	if len(e.m2) == d {
		for i, v := range q {
			e.m2[i] += e.dev[i] * (v - e.mean[i])
		}
		return
	}
	for i := range d {
		for j := range d {
			e.m2[i*d+j] += e.dev[i] * (q[j] - e.mean[j])
		}
	}
}

// update sets the metric to the window's regularised sample covariance,
// shrunk towards 1e-3·I as Stan does: (n/(n+5))·Σ + 1e-3·(5/(n+5))·I.
func (e *covEstimator) update(m *metric) {
	n := e.n
	w, reg := n/(n+5), 1e-3*5/(n+5)
	d := len(e.mean)
	if m.kind == Diag {
		for i := range m.diag {
			m.diag[i] = w*e.m2[i]/(n-1) + reg
		}
		return
	}
	s := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			v := w * e.m2[i*d+j] / (n - 1)
			if i == j {
				v += reg
			}
			s.SetSym(i, j, v)
		}
	}
	m.setDense(s)
}
