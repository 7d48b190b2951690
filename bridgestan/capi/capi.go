//go:build cgo

package capi

// #include <stdlib.h>
// #include "capi.h"
import "C"

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/cgo"
	"sync"
	"unsafe"

	"github.com/gostan/gostan/bridgestan"
	"github.com/gostan/gostan/compile"
)

// The program the library serves, compiled once on the first
// bs_model_construct; the compiled program is immutable and shared by
// every model.
var (
	source   bridgestan.Source
	progOnce sync.Once
	prog     *compile.Program
	progErr  error
)

// Register sets the program the library serves; the generated main
// package calls it from an init function, before any bs_* call.
func Register(s bridgestan.Source) { source = s }

func program() (*compile.Program, error) {
	progOnce.Do(func() {
		if source.Text == "" {
			progErr = errors.New("the library embeds no Stan program (build it with gostan bridgestan)")
			return
		}
		prog, progErr = source.Compile()
		if prog != nil {
			prog.Print = printer{}
		}
	})
	return prog, progErr
}

// cmodel is what a bs_model's handle refers to: the model and the C
// strings it returns, which live until bs_model_destruct. It is shared by
// the client's threads: its fields are only read after construction, and
// the Model is safe for concurrent use (client.c's threads test it).
type cmodel struct {
	m                    *bridgestan.Model
	name, info, uncNames *C.char
	names                [4]*C.char // by include_tp*2 + include_gq
}

func (c *cmodel) free() {
	for _, s := range append([]*C.char{c.name, c.info, c.uncNames}, c.names[:]...) {
		C.free(unsafe.Pointer(s))
	}
}

func modelOf(m *C.bs_model) *cmodel {
	if m == nil {
		panic("the model pointer is NULL")
	}
	return cgo.Handle(m.handle).Value().(*cmodel)
}

// setError hands the client a message it frees with bs_free_error_msg.
func setError(msg **C.char, err error) {
	if msg != nil {
		*msg = C.CString(err.Error())
	}
}

// guard turns a panic (a NULL pointer, a bug) into an error message and
// the return code -1: no panic may cross into C.
func guard(what string, msg **C.char, rc *C.int) {
	if r := recover(); r != nil {
		setError(msg, fmt.Errorf("%s: %v", what, r))
		*rc = -1
	}
}

// result is the return code of a call that failed with err, or succeeded.
func result(what string, msg **C.char, err error) C.int {
	if err != nil {
		setError(msg, fmt.Errorf("%s: %w", what, err))
		return -1
	}
	return 0
}

// doubles views n doubles at p; NULL is refused unless n is 0.
func doubles(p *C.double, n int, what string) []float64 {
	if n == 0 {
		return []float64{}
	}
	if p == nil {
		panic(what + " is NULL")
	}
	return unsafe.Slice((*float64)(unsafe.Pointer(p)), n)
}

//export bs_model_construct
func bs_model_construct(data *C.char, seed C.uint, errorMsg **C.char) (out *C.bs_model) {
	defer func() {
		if r := recover(); r != nil {
			setError(errorMsg, fmt.Errorf("construct: %v", r))
			out = nil
		}
	}()
	p, err := program()
	if err != nil {
		setError(errorMsg, err)
		return nil
	}
	d := ""
	if data != nil {
		d = C.GoString(data)
	}
	m, err := bridgestan.New(p, source.Name, d, uint32(seed))
	if err != nil {
		setError(errorMsg, fmt.Errorf("construct: %w", err))
		return nil
	}
	c := &cmodel{m: m, name: C.CString(m.Name()), info: C.CString(m.Info()), uncNames: C.CString(m.UncNames())}
	for i := range c.names {
		c.names[i] = C.CString(m.ParamNames(i >= 2, i%2 == 1))
	}
	out = (*C.bs_model)(C.calloc(1, C.size_t(unsafe.Sizeof(C.bs_model{}))))
	out.handle = C.uintptr_t(cgo.NewHandle(c))
	return out
}

//export bs_model_destruct
func bs_model_destruct(m *C.bs_model) {
	if m == nil {
		return
	}
	h := cgo.Handle(m.handle)
	h.Value().(*cmodel).free()
	h.Delete()
	C.free(unsafe.Pointer(m))
}

//export bs_free_error_msg
func bs_free_error_msg(msg *C.char) { C.free(unsafe.Pointer(msg)) }

// noString and noNumber are the answers to a NULL model of the functions
// that have no error message: NULL and -1, rather than a crash.
func noString(out **C.char) {
	if recover() != nil {
		*out = nil
	}
}

func noNumber(out *C.int) {
	if recover() != nil {
		*out = -1
	}
}

//export bs_name
func bs_name(m *C.bs_model) (out *C.char) {
	defer noString(&out)
	return modelOf(m).name
}

//export bs_model_info
func bs_model_info(m *C.bs_model) (out *C.char) {
	defer noString(&out)
	return modelOf(m).info
}

//export bs_param_names
func bs_param_names(m *C.bs_model, tp, gq C.bool) (out *C.char) {
	defer noString(&out)
	i := 0
	if tp {
		i += 2
	}
	if gq {
		i++
	}
	return modelOf(m).names[i]
}

//export bs_param_unc_names
func bs_param_unc_names(m *C.bs_model) (out *C.char) {
	defer noString(&out)
	return modelOf(m).uncNames
}

//export bs_param_num
func bs_param_num(m *C.bs_model, tp, gq C.bool) (out C.int) {
	defer noNumber(&out)
	return C.int(modelOf(m).m.ParamNum(bool(tp), bool(gq)))
}

//export bs_param_unc_num
func bs_param_unc_num(m *C.bs_model) (out C.int) {
	defer noNumber(&out)
	return C.int(modelOf(m).m.UncNum())
}

//export bs_param_constrain
func bs_param_constrain(m *C.bs_model, tp, gq C.bool, thetaUnc, theta *C.double, rng *C.bs_rng, errorMsg **C.char) (rc C.int) {
	defer guard("param_constrain", errorMsg, &rc)
	bm := modelOf(m).m
	var r *rand.Rand
	if rng != nil {
		r = cgo.Handle(rng.handle).Value().(*rand.Rand)
	}
	err := bm.Constrain(bool(tp), bool(gq), doubles(thetaUnc, bm.UncNum(), "theta_unc"),
		doubles(theta, bm.ParamNum(bool(tp), bool(gq)), "theta"), r)
	return result("param_constrain", errorMsg, err)
}

//export bs_param_unconstrain
func bs_param_unconstrain(m *C.bs_model, theta, thetaUnc *C.double, errorMsg **C.char) (rc C.int) {
	defer guard("param_unconstrain", errorMsg, &rc)
	bm := modelOf(m).m
	err := bm.Unconstrain(doubles(theta, bm.ParamNum(false, false), "theta"), doubles(thetaUnc, bm.UncNum(), "theta_unc"))
	return result("param_unconstrain", errorMsg, err)
}

//export bs_param_unconstrain_json
func bs_param_unconstrain_json(m *C.bs_model, json *C.char, thetaUnc *C.double, errorMsg **C.char) (rc C.int) {
	defer guard("param_unconstrain_json", errorMsg, &rc)
	bm := modelOf(m).m
	if json == nil {
		panic("json is NULL")
	}
	err := bm.UnconstrainJSON(C.GoString(json), doubles(thetaUnc, bm.UncNum(), "theta_unc"))
	return result("param_unconstrain_json", errorMsg, err)
}

//export bs_log_density
func bs_log_density(m *C.bs_model, propto, jacobian C.bool, thetaUnc, lp *C.double, errorMsg **C.char) (rc C.int) {
	defer guard("log_density", errorMsg, &rc)
	bm := modelOf(m).m
	v, err := bm.LogDensity(bool(propto), bool(jacobian), doubles(thetaUnc, bm.UncNum(), "theta_unc"), nil)
	doubles(lp, 1, "lp")[0] = v
	return result("log_density", errorMsg, err)
}

//export bs_log_density_gradient
func bs_log_density_gradient(m *C.bs_model, propto, jacobian C.bool, thetaUnc, lp, grad *C.double, errorMsg **C.char) (rc C.int) {
	defer guard("log_density_gradient", errorMsg, &rc)
	bm := modelOf(m).m
	n := bm.UncNum()
	v, err := bm.LogDensity(bool(propto), bool(jacobian), doubles(thetaUnc, n, "theta_unc"), doubles(grad, n, "grad"))
	doubles(lp, 1, "lp")[0] = v
	return result("log_density_gradient", errorMsg, err)
}

//export bs_log_density_hessian
func bs_log_density_hessian(m *C.bs_model, propto, jacobian C.bool, thetaUnc, lp, grad, hess *C.double, errorMsg **C.char) (rc C.int) {
	defer guard("log_density_hessian", errorMsg, &rc)
	bm := modelOf(m).m
	n := bm.UncNum()
	g := make([]float64, n)
	if grad != nil {
		g = doubles(grad, n, "grad")
	}
	v, err := bm.Hessian(bool(propto), bool(jacobian), doubles(thetaUnc, n, "theta_unc"), g, doubles(hess, n*n, "hessian"))
	doubles(lp, 1, "lp")[0] = v
	return result("log_density_hessian", errorMsg, err)
}

//export bs_log_density_hessian_vector_product
func bs_log_density_hessian_vector_product(m *C.bs_model, propto, jacobian C.bool, thetaUnc, v, lp, hvp *C.double, errorMsg **C.char) (rc C.int) {
	defer guard("log_density_hessian_vector_product", errorMsg, &rc)
	bm := modelOf(m).m
	n := bm.UncNum()
	val, err := bm.HessianVectorProduct(bool(propto), bool(jacobian), doubles(thetaUnc, n, "theta_unc"), doubles(v, n, "v"), doubles(hvp, n, "hvp"))
	doubles(lp, 1, "lp")[0] = val
	return result("log_density_hessian_vector_product", errorMsg, err)
}

//export bs_rng_construct
func bs_rng_construct(seed C.uint, errorMsg **C.char) *C.bs_rng {
	r := (*C.bs_rng)(C.calloc(1, C.size_t(unsafe.Sizeof(C.bs_rng{}))))
	r.handle = C.uintptr_t(cgo.NewHandle(bridgestan.NewRNG(uint32(seed))))
	return r
}

//export bs_rng_destruct
func bs_rng_destruct(r *C.bs_rng) {
	if r == nil {
		return
	}
	cgo.Handle(r.handle).Delete()
	C.free(unsafe.Pointer(r))
}

// The print callback: print() in the program writes through it, under a
// mutex, as BridgeStan promises; NULL restores standard output.
var (
	printMu sync.Mutex
	printCB C.STREAM_CALLBACK
)

type printer struct{}

func (printer) Write(b []byte) (int, error) {
	printMu.Lock()
	defer printMu.Unlock()
	if printCB == nil {
		return os.Stdout.Write(b)
	}
	if len(b) > 0 {
		cs := C.CBytes(b)
		defer C.free(cs)
		C.gostan_bs_print(printCB, (*C.char)(cs), C.size_t(len(b)))
	}
	return len(b), nil
}

//export bs_set_print_callback
func bs_set_print_callback(cb C.STREAM_CALLBACK, errorMsg **C.char) C.int {
	printMu.Lock()
	printCB = cb
	printMu.Unlock()
	return 0
}
