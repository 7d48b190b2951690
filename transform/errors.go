package transform

import "fmt"

// Error reports a value outside a transform's support or an argument of the
// wrong size, in Stan's words, e.g. "lb_free: Lower bounded variable is -1,
// but must be greater than or equal to 0".
type Error struct {
	Func string // Stan's function name, e.g. "lb_free"
	Msg  string
}

func (e *Error) Error() string { return e.Func + ": " + e.Msg }

func errorf(fn, format string, args ...any) error {
	return &Error{Func: fn, Msg: fmt.Sprintf(format, args...)}
}

// sizeError reports an argument whose length is not the one its dimensions
// imply.
func sizeError(fn, name string, got, want int) error {
	return errorf(fn, "size of %s (%d) must be %d", name, got, want)
}
