package compile

import (
	"fmt"
	"math"
)

// This file is the explicit Runge–Kutta solver behind integrate_ode_rk45,
// following what Stan 2.21 runs: Boost.Odeint's runge_kutta_dopri5 (the
// Dormand–Prince 5(4) pair, first same as last) in a controlled stepper
// with dense output, driven by integrate_times with a max_step_checker.
// The arithmetic is ordered as odeint orders it, so that a solution takes
// the same steps as Stan's and agrees with it far below the tolerances.

// odeSystem is the right-hand side of y' = f(t, y): it fills dy.
type odeSystem interface {
	rhs(t float64, y, dy []float64)
}

// The Dormand–Prince tableau. Each coefficient is one rounded division, as
// in odeint; the differences below are taken in float64 arithmetic.
var (
	dpA2, dpA3, dpA4, dpA5 = 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9

	dpB21                      = 1.0 / 5
	dpB31, dpB32               = 3.0 / 40, 9.0 / 40
	dpB41, dpB42, dpB43        = 44.0 / 45, -56.0 / 15, 32.0 / 9
	dpB51, dpB52, dpB53, dpB54 = 19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729
	dpB61, dpB62, dpB63, dpB64 = 9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176
	dpB65                      = -5103.0 / 18656

	// The fifth-order weights (stage 2 and 7 weigh nothing).
	dpC1, dpC3, dpC4, dpC5, dpC6 = 35.0 / 384, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84

	// The fifth-order weights minus the fourth-order ones: the error
	// estimate's coefficients, the seventh on the derivative at the end.
	dpE1, dpE3, dpE4 = dpC1 - 5179.0/57600, dpC3 - 7571.0/16695, dpC4 - 393.0/640
	dpE5, dpE6, dpE7 = dpC5 - -92097.0/339200, dpC6 - 187.0/2100, -1.0 / 40
)

// dblEpsilon is C's DBL_EPSILON, odeint's tolerance when it compares times.
const dblEpsilon = 0x1p-52

// The controller's limits (odeint's default_step_adjuster and the
// dense-output stepper's failed_step_checker).
const (
	dpMaxTries = 500 // attempts at one step before giving up
	dpOrder    = 5   // the stepper's order: a step grows by err^(-1/5)
	dpErrOrder = 4   // the error estimate's: a step shrinks by err^(-1/3)
)

// dopri5 holds the solver's working memory, reused from call to call.
type dopri5 struct {
	x, xOld, d, dOld []float64 // the last two accepted states and their derivatives
	k2, k3, k4, k5   []float64 // stages of the last attempted step
	k6, tmp, xerr    []float64
	t, tOld, dt      float64
}

func (r *dopri5) resize(n int) {
	for _, p := range []*[]float64{&r.x, &r.xOld, &r.d, &r.dOld, &r.k2, &r.k3, &r.k4, &r.k5, &r.k6, &r.tmp, &r.xerr} {
		*p = grow(*p, n)
	}
}

// odeStepsError reports max_num_steps steps without reaching an output time.
type odeStepsError struct {
	t        float64
	maxSteps int
}

func (e *odeStepsError) Error() string {
	return fmt.Sprintf("Failed to integrate to next output time (%v) in less than max_num_steps (%d) steps", e.t, e.maxSteps)
}

// integrate solves from y0 at t0 and writes the state at each of ts
// (strictly increasing, after t0) to out, len(y0) values per time. The
// first step tried is 0.1, as in Stan; at most maxSteps steps are taken
// between consecutive output times.
func (r *dopri5) integrate(sys odeSystem, y0 []float64, t0 float64, ts []float64, rtol, atol float64, maxSteps int, out []float64) error {
	n := len(y0)
	r.resize(n)
	copy(r.x, y0)
	r.t, r.tOld, r.dt = t0, t0, 0.1
	sys.rhs(r.t, r.x, r.d)
	last := ts[len(ts)-1]
	steps := 0 // since the last output time
	for k := 0; k < len(ts); {
		// Output times the last step has passed are interpolated.
		for k < len(ts) && ts[k]-r.t <= dblEpsilon {
			if r.t == r.tOld {
				// No step taken: a time within epsilon of t0 has no step
				// to interpolate (odeint's would divide by its size 0);
				// it gets the tangent at t0.
				for i, v := range r.x {
					out[k*n+i] = v + (ts[k]-r.t)*r.d[i]
				}
			} else {
				r.calcState(ts[k], out[k*n:(k+1)*n])
			}
			k++
			steps = 0
		}
		if k == len(ts) {
			break
		}
		if r.t+r.dt-last > dblEpsilon {
			// A full step would pass the last time: odeint starts again
			// with the step that ends there. (It recomputes the derivative
			// at the current state, which is the one the last step ended
			// with.)
			r.dt = last - r.t
		}
		if steps >= maxSteps {
			return &odeStepsError{t: ts[k], maxSteps: maxSteps}
		}
		steps++
		if err := r.step(sys, rtol, atol); err != nil {
			return err
		}
		for i, v := range r.x {
			if math.IsInf(v, 0) || math.IsNaN(v) {
				return fmt.Errorf("the solution is not finite at t = %v: component %d is %v", r.t, i+1, v)
			}
		}
	}
	return nil
}

// step takes one accepted step, shrinking it until the error is within the
// tolerances, and sets the size of the next.
func (r *dopri5) step(sys odeSystem, rtol, atol float64) error {
	r.tOld = r.t
	for tries := 1; ; tries++ {
		ok := r.try(sys, rtol, atol)
		if tries > dpMaxTries {
			return fmt.Errorf("Max number of iterations exceeded (%d). A new step size was not found.", dpMaxTries)
		}
		if ok {
			break
		}
	}
	r.x, r.xOld = r.xOld, r.x
	r.d, r.dOld = r.dOld, r.d
	return nil
}

// try attempts a step of r.dt from (r.t, r.x), writing the result to xOld
// and its derivative to dOld (they become current when the step is
// accepted). It adjusts r.dt either way and advances r.t on success.
func (r *dopri5) try(sys odeSystem, rtol, atol float64) bool {
	t, dt := r.t, r.dt
	// Every buffer resliced to the state's length: the loops below then
	// index them without bounds checks.
	x := r.x
	n := len(x)
	k1, tmp := r.d[:n], r.tmp[:n]
	k2, k3, k4, k5, k6 := r.k2[:n], r.k3[:n], r.k4[:n], r.k5[:n], r.k6[:n]
	out, k7 := r.xOld[:n], r.dOld[:n]

	a := dt * dpB21
	for i := range x {
		tmp[i] = x[i] + a*k1[i]
	}
	sys.rhs(t+dt*dpA2, tmp, k2)
	a1, a2 := dt*dpB31, dt*dpB32
	for i := range x {
		tmp[i] = x[i] + a1*k1[i] + a2*k2[i]
	}
	sys.rhs(t+dt*dpA3, tmp, k3)
	a1, a2, a3 := dt*dpB41, dt*dpB42, dt*dpB43
	for i := range x {
		tmp[i] = x[i] + a1*k1[i] + a2*k2[i] + a3*k3[i]
	}
	sys.rhs(t+dt*dpA4, tmp, k4)
	a1, a2, a3, a4 := dt*dpB51, dt*dpB52, dt*dpB53, dt*dpB54
	for i := range x {
		tmp[i] = x[i] + a1*k1[i] + a2*k2[i] + a3*k3[i] + a4*k4[i]
	}
	sys.rhs(t+dt*dpA5, tmp, k5)
	a1, a2, a3, a4, a5 := dt*dpB61, dt*dpB62, dt*dpB63, dt*dpB64, dt*dpB65
	for i := range x {
		tmp[i] = x[i] + a1*k1[i] + a2*k2[i] + a3*k3[i] + a4*k4[i] + a5*k5[i]
	}
	sys.rhs(t+dt, tmp, k6)
	c1, c3, c4, c5, c6 := dt*dpC1, dt*dpC3, dt*dpC4, dt*dpC5, dt*dpC6
	for i := range x {
		out[i] = x[i] + c1*k1[i] + c3*k3[i] + c4*k4[i] + c5*k5[i] + c6*k6[i]
	}
	sys.rhs(t+dt, out, k7)

	// The error relative to the tolerances, in the maximum norm, weighing
	// the state and the derivative at the start of the step as odeint's
	// default_error_checker does (a_x = a_dxdt = 1).
	e1, e3, e4, e5, e6, e7 := dt*dpE1, dt*dpE3, dt*dpE4, dt*dpE5, dt*dpE6, dt*dpE7
	absDt := math.Abs(dt)
	err := 0.0
	for i := range x {
		xe := e1*k1[i] + e3*k3[i] + e4*k4[i] + e5*k5[i] + e6*k6[i] + e7*k7[i]
		v := math.Abs(xe) / (atol + rtol*(math.Abs(x[i])+absDt*math.Abs(k1[i])))
		if v > err { // a NaN is passed over, as std::max passes it over
			err = v
		}
	}
	if err > 1 {
		r.dt = dt * math.Max(0.9*powInvRoot(err, dpErrOrder-1), 0.2)
		return false
	}
	r.t = t + dt
	if err < 0.5 {
		err = math.Max(1.0/3125, err) // 5^-order: a step grows at most 4.5 times
		r.dt = dt * (0.9 * powInvRoot(err, dpOrder))
	}
	return true
}

// calcState interpolates the last step at t with Dormand–Prince's
// continuous extension (Hairer, Nørsett and Wanner, Solving Ordinary
// Differential Equations I, II.6), as odeint's runge_kutta_dopri5 does.
func (r *dopri5) calcState(t float64, x []float64) {
	dt := r.t - r.tOld
	th := (t - r.tOld) / dt
	x1 := 5 * (2558722523 - 31403016*th) / 11282082432
	x3 := 100 * (882725551 - 15701508*th) / 32700410799
	x4 := 25 * (443332067 - 31403016*th) / 1880347072
	x5 := 32805 * (23143187 - 3489224*th) / 199316789632
	x6 := 55 * (29972135 - 7076736*th) / 822651844
	x7 := 10 * (7414447 - 829305*th) / 29380423
	thm1 := th - 1
	thsq := th * th
	A := thsq * (3 - 2*th)
	B := thsq * thm1
	C := thsq * thm1 * thm1
	D := th * thm1 * thm1
	b1 := dt * (A*dpC1 - C*x1 + D)
	b3 := dt * (A*dpC3 + C*x3)
	b4 := dt * (A*dpC4 - C*x4)
	b5 := dt * (A*dpC5 + C*x5)
	b6 := dt * (A*dpC6 - C*x6)
	b7 := dt * (B + C*x7)
	n := len(x)
	x0, k1, k7 := r.xOld[:n], r.dOld[:n], r.d[:n]
	k3, k4, k5, k6 := r.k3[:n], r.k4[:n], r.k5[:n], r.k6[:n]
	for i := range x {
		x[i] = x0[i] + b1*k1[i] + b3*k3[i] + b4*k4[i] + b5*k5[i] + b6*k6[i] + b7*k7[i]
	}
}

// powInvRoot is math.Pow(x, -1.0/k) for the controller's x > 0 (+Inf
// included) and k of 3 or 5, bit for bit: Pow takes exp(y log x) for
// the fractional part of |y| (here all of it, as it is below 0.5) and
// inverts it for a negative y; this skips its special cases and its
// integer part's scaling.
func powInvRoot(x float64, k int) float64 {
	return 1 / math.Exp(1.0/float64(k)*math.Log(x))
}
