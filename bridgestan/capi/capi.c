#include "capi.h"

/* BridgeStan's version symbols; bridgestan.Version says the same. */
const int bs_major_version = 2;
const int bs_minor_version = 6;
const int bs_patch_version = 0;

void gostan_bs_print(STREAM_CALLBACK cb, const char* data, size_t size) {
  cb(data, size);
}
