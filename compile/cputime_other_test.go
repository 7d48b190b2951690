//go:build !linux

package compile

import "testing"

// loopCPU runs f b.N times; CPU time per iteration is measured on Linux
// only (cputime_linux_test.go).
func loopCPU(b *testing.B, f func()) {
	for b.Loop() {
		f()
	}
}
