// Package capi exports BridgeStan's C API (the bs_* functions and version
// symbols) from a library built with go build -buildmode=c-shared: the Go
// main package that package bridgestan's Build writes registers the
// embedded program and imports this package. It needs cgo; without it
// the package is empty.
package capi
