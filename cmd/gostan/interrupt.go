package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// interrupted is the cause of an interruptible context's cancellation.
type interrupted struct{ sig os.Signal }

func (i interrupted) Error() string { return "interrupted by " + i.sig.String() }

// interruptible returns a context that the first SIGINT or SIGTERM
// cancels, after telling stderr that the run stops and what it keeps
// (keeps, e.g. "the draws made so far are kept"). A second signal ends the
// process at once, as without the handler. stop releases the signals; the
// command calls it when the run is over.
func interruptible(stderr io.Writer, keeps string) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			signal.Reset(os.Interrupt, syscall.SIGTERM)
			fmt.Fprintf(stderr, "\ngostan: %v: stopping; %s (a second signal ends gostan at once)\n", s, keeps)
			cancel(interrupted{s})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}

// interruptedExit is what a command returns once an interrupted run has
// saved what it had and said where: exit status 128 plus the signal's
// number, as a shell reports a process the signal ended (130 for SIGINT,
// 143 for SIGTERM), so that scripts see the run did not finish.
func interruptedExit(ctx context.Context) error {
	var i interrupted
	if errors.As(context.Cause(ctx), &i) {
		if s, ok := i.sig.(syscall.Signal); ok {
			return exitError{code: 128 + int(s)}
		}
	}
	return exitError{}
}

// reportInterrupted prints, as sample does for its chains, that the run
// was interrupted and what the file at path holds.
func reportInterrupted(stderr io.Writer, what, path, holds string) {
	fmt.Fprintf(stderr, "gostan: interrupted; the file holds %s:\n  %s: %s\n", what, path, holds)
}
