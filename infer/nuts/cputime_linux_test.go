package nuts_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used, user and system, its
// garbage collector's included: on a machine shared with other jobs it
// measures a benchmark's own work, where wall time measures the
// contention too.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
