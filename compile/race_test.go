//go:build race

package compile

// raceEnabled: the race detector changes what escapes to the heap, so
// allocation counts are not asserted under it.
const raceEnabled = true
