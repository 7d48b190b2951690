"""Checks the print callback and the generator of a library built by
`gostan bridgestan` from printing.stan, through ctypes as BridgeStan's Python
package binds them (the callback's size as an int, as there).

usage: python3 print_client.py LIB
It prints what the program printed through the callback, then the
generated quantity drawn by two generators of one seed and one of another."""
import ctypes
import sys

err_p = ctypes.POINTER(ctypes.c_void_p)
callback_t = ctypes.CFUNCTYPE(None, ctypes.POINTER(ctypes.c_char), ctypes.c_int)
printed = []


@callback_t
def on_print(data, size):
    printed.append(ctypes.string_at(data, size).decode())


def main(lib_path):
    lib = ctypes.CDLL(lib_path)
    lib.bs_set_print_callback.restype = ctypes.c_int
    lib.bs_set_print_callback.argtypes = [callback_t, err_p]
    lib.bs_model_construct.restype = ctypes.c_void_p
    lib.bs_model_construct.argtypes = [ctypes.c_char_p, ctypes.c_uint, err_p]
    lib.bs_log_density.restype = ctypes.c_int
    lib.bs_log_density.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_double),
                                   ctypes.POINTER(ctypes.c_double), err_p]
    lib.bs_rng_construct.restype = ctypes.c_void_p
    lib.bs_rng_construct.argtypes = [ctypes.c_uint, err_p]
    lib.bs_rng_destruct.argtypes = [ctypes.c_void_p]
    lib.bs_param_constrain.restype = ctypes.c_int
    lib.bs_param_constrain.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_double),
                                       ctypes.POINTER(ctypes.c_double), ctypes.c_void_p, err_p]
    lib.bs_model_destruct.argtypes = [ctypes.c_void_p]

    if lib.bs_set_print_callback(on_print, None) != 0:
        sys.exit("bs_set_print_callback failed")
    m = lib.bs_model_construct(b'{"N": 3}', 1, None)
    if not m:
        sys.exit("bs_model_construct failed")
    x = (ctypes.c_double * 1)(0.5)
    lp = ctypes.c_double()
    if lib.bs_log_density(m, 1, 1, x, ctypes.byref(lp), None) != 0:
        sys.exit("bs_log_density failed")
    print("printed " + repr("".join(printed)))
    print("lp " + repr(lp.value))

    draws = []
    for seed in (11, 11, 12):
        rng = lib.bs_rng_construct(seed, None)
        out = (ctypes.c_double * 2)()
        if lib.bs_param_constrain(m, 0, 1, x, out, rng, None) != 0:
            sys.exit("bs_param_constrain failed")
        draws.append(out[1])
        lib.bs_rng_destruct(rng)
    print("draws " + " ".join(repr(d) for d in draws))
    lib.bs_model_destruct(m)


if __name__ == "__main__":
    main(sys.argv[1])
