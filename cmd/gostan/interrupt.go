package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// interruptible returns a context that the first SIGINT or SIGTERM
// cancels, after telling stderr that the run stops and what it keeps
// (keeps, e.g. "the draws made so far are kept"). A second signal ends the
// process at once, as without the handler. stop releases the signals; the
// command calls it when the run is over.
func interruptible(stderr io.Writer, keeps string) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			signal.Reset(os.Interrupt, syscall.SIGTERM)
			fmt.Fprintf(stderr, "\ngostan: %v: stopping; %s (a second signal ends gostan at once)\n", s, keeps)
			cancel()
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}
