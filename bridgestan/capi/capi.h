/* The C side of package capi: the opaque types of BridgeStan's C API, as
 * gostan lays them out, and the print callback's trampoline. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct bs_model { uintptr_t handle; } bs_model;
typedef struct bs_rng { uintptr_t handle; } bs_rng;
typedef void (*STREAM_CALLBACK)(const char* data, size_t size);

/* gostan_bs_print calls a client's print callback (Go cannot call a C
 * function pointer). */
void gostan_bs_print(STREAM_CALLBACK cb, const char* data, size_t size);
