//go:build !linux

package nuts_test

import "time"

// processCPU is measured on Linux only (cputime_linux_test.go); elsewhere
// the benchmarks' CPU figures read zero.
func processCPU() time.Duration { return 0 }
