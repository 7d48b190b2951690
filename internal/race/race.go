//go:build race

// Package race says whether the race detector is built in: it allocates on
// its own, so the tests that count allocations skip under it, and tests
// that build a binary build it the same way.
package race

// Enabled is true under -race.
const Enabled = true
