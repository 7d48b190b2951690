"""A BridgeStan client through ctypes, as BridgeStan's Python package binds
the library, for gostan's tests: it loads a library built by `gostan
bridgestan`, constructs the model from JSON data and evaluates it at the
points of a file. Only the standard library is used.

usage: python3 client.py LIB DATA POINTS
POINTS holds "n d" and then n points of d numbers; the output has the lines
of client.c (floats printed with repr, which round-trips exactly)."""
import ctypes
import sys

c_double_p = ctypes.POINTER(ctypes.c_double)
# Error messages are freed by the library: they are taken as void pointers.
err_p = ctypes.POINTER(ctypes.c_void_p)


def bind(lib, name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


def main(lib_path, data, points_path):
    lib = ctypes.CDLL(lib_path)
    version = [ctypes.c_int.in_dll(lib, "bs_%s_version" % p).value for p in ("major", "minor", "patch")]
    print("version %d.%d.%d" % tuple(version))
    construct = bind(lib, "bs_model_construct", ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint, err_p)
    destruct = bind(lib, "bs_model_destruct", None, ctypes.c_void_p)
    free_msg = bind(lib, "bs_free_error_msg", None, ctypes.c_void_p)

    def fail(what, err):
        msg = ctypes.string_at(err.value).decode() if err.value else "(no message)"
        free_msg(err)
        sys.exit("%s failed: %s" % (what, msg))
    name = bind(lib, "bs_name", ctypes.c_char_p, ctypes.c_void_p)
    unc_num = bind(lib, "bs_param_unc_num", ctypes.c_int, ctypes.c_void_p)
    unc_names = bind(lib, "bs_param_unc_names", ctypes.c_char_p, ctypes.c_void_p)
    names = bind(lib, "bs_param_names", ctypes.c_char_p, ctypes.c_void_p, ctypes.c_bool, ctypes.c_bool)
    num = bind(lib, "bs_param_num", ctypes.c_int, ctypes.c_void_p, ctypes.c_bool, ctypes.c_bool)
    log_density = bind(lib, "bs_log_density", ctypes.c_int, ctypes.c_void_p, ctypes.c_bool, ctypes.c_bool,
                       c_double_p, c_double_p, err_p)
    log_density_gradient = bind(lib, "bs_log_density_gradient", ctypes.c_int, ctypes.c_void_p, ctypes.c_bool,
                                ctypes.c_bool, c_double_p, c_double_p, c_double_p, err_p)
    constrain = bind(lib, "bs_param_constrain", ctypes.c_int, ctypes.c_void_p, ctypes.c_bool, ctypes.c_bool,
                     c_double_p, c_double_p, ctypes.c_void_p, err_p)
    hvp = bind(lib, "bs_log_density_hessian_vector_product", ctypes.c_int, ctypes.c_void_p, ctypes.c_bool,
               ctypes.c_bool, c_double_p, c_double_p, c_double_p, c_double_p, err_p)

    msg = ctypes.c_void_p()
    if construct(b'{"J": "eight"}', 1, ctypes.byref(msg)) or not msg.value:
        sys.exit("bad data were accepted")
    print("construct_error " + ctypes.string_at(msg.value).decode().split("\n")[0])
    free_msg(msg)

    err = ctypes.c_void_p()
    m = construct(data.encode(), 1234, ctypes.byref(err))
    if not m:
        fail("bs_model_construct", err)
    d = unc_num(m)
    print("name " + name(m).decode())
    print("dim %d" % d)
    print("unc_names " + unc_names(m).decode())
    print("names " + names(m, True, True).decode())
    print("num %d %d" % (num(m, False, False), num(m, True, True)))

    with open(points_path) as f:
        words = f.read().split()
    n, dd = int(words[0]), int(words[1])
    assert dd == d, "the points have %d values, the model %d" % (dd, d)
    values = [float(w) for w in words[2:]]
    Vec = ctypes.c_double * d
    grad, out = Vec(), (ctypes.c_double * num(m, False, False))()
    lp = ctypes.c_double()
    for k in range(n):
        x = Vec(*values[k * d:(k + 1) * d])
        if log_density_gradient(m, True, True, x, ctypes.byref(lp), grad, ctypes.byref(err)):
            fail("bs_log_density_gradient", err)
        print("point %d" % k)
        print("lp " + repr(lp.value))
        print("grad " + " ".join(repr(g) for g in grad))
        if log_density(m, False, True, x, ctypes.byref(lp), ctypes.byref(err)):
            fail("bs_log_density", err)
        print("lp_full " + repr(lp.value))
        if log_density(m, True, False, x, ctypes.byref(lp), ctypes.byref(err)):
            fail("bs_log_density", err)
        print("lp_nojac " + repr(lp.value))
        # Without generated quantities no rng is needed (NULL).
        if constrain(m, False, False, x, out, None, ctypes.byref(err)):
            fail("bs_param_constrain", err)
        print("constrained " + " ".join(repr(v) for v in out))
        if k == 0:
            e1, h = Vec(*([1.0] + [0.0] * (d - 1))), Vec()
            if hvp(m, True, True, x, e1, ctypes.byref(lp), h, ctypes.byref(err)):
                fail("bs_log_density_hessian_vector_product", err)
            print("hvp " + " ".join(repr(v) for v in h))
    destruct(m)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: python3 client.py LIB DATA POINTS")
    main(*sys.argv[1:])
