package nested

import (
	"testing"

	"github.com/gostan/gostan/internal/race"
)

// skipLong skips a long statistical run in -short mode and under the race
// detector, which makes it ten times slower and finds nothing in it that
// the shorter runs on two goroutines do not reach.
func skipLong(t *testing.T, why string) {
	t.Helper()
	if testing.Short() || race.Enabled {
		t.Skip(why)
	}
}
