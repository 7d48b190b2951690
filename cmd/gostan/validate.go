package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// valueRange is the interval a numeric flag's value must lie in, from min
// to max, each end excluded when its open field says so. A float range
// without an upper bound has max = +Inf with maxOpen: the value must be
// finite.
type valueRange struct {
	min, max         float64
	minOpen, maxOpen bool
}

// between is the integer range [lo, hi].
func between(lo, hi float64) valueRange { return valueRange{min: lo, max: hi} }

var (
	// atLeast0 and positive are finite numbers, zero included or not.
	atLeast0 = valueRange{min: 0, max: math.Inf(1), maxOpen: true}
	positive = valueRange{min: 0, max: math.Inf(1), minOpen: true, maxOpen: true}
	// iterations bounds counts of iterations and draws: more would not fit
	// in memory for any but the smallest model.
	iterations = between(0, 1e8)
	counts     = between(1, 1e8)
	seedRange  = between(0, math.MaxUint64)
	sigFigsCSV = between(1, 18)
	parallel   = between(1, 1<<16)
)

// flagRanges is the one table of the numeric flags of every command (keyed
// by the command's path below gostan): the interval of each value,
// checked before the command runs. TestNumericFlagsHaveRanges sees that no
// numeric flag lacks its row.
var flagRanges = map[string]map[string]valueRange{
	"sample": {
		"chains": between(1, 1024), "id": between(0, 1<<30), "threads": parallel, "warmup": iterations, "samples": iterations,
		"thin": counts, "refresh": iterations, "max-depth": between(1, 30), "seed": seedRange,
		"sig-figs": sigFigsCSV, "stepsize": positive, "stepsize-jitter": between(0, 1),
		"adapt-delta": {min: 0, max: 1, minOpen: true, maxOpen: true},
		"adapt-gamma": positive, "adapt-kappa": positive, "adapt-t0": positive,
		"adapt-init-buffer": iterations, "adapt-term-buffer": iterations, "adapt-window": iterations,
	},
	"optimize": {
		"history-size": between(1, 1000), "init-alpha": positive, "iter": counts, "refresh": iterations,
		"seed": seedRange, "sig-figs": sigFigsCSV, "tol-grad": atLeast0, "tol-obj": atLeast0,
		"tol-param": atLeast0, "tol-rel-grad": atLeast0, "tol-rel-obj": atLeast0,
	},
	"diagnose": {"epsilon": positive, "error": positive, "seed": seedRange, "sig-figs": sigFigsCSV},
	"log-prob": {"sig-figs": sigFigsCSV},
	"laplace":  {"draws": counts, "refresh": iterations, "seed": seedRange, "sig-figs": sigFigsCSV},
	"variational": {
		"backoffs": iterations, "draws": counts, "elbo-samples": counts, "eval-elbo": counts,
		"grad-samples": counts, "iter": counts, "particles": counts, "steps": counts, "eta": positive, "adapt-iter": counts,
		"rank": between(0, 1e6), "num-flows": between(0, 1000), "init-scale": atLeast0,
		"lr": atLeast0, "lr-decay": {min: 0, max: 1, minOpen: true}, "tol": atLeast0, "tol-rel-obj": positive,
		"seed": seedRange, "sig-figs": sigFigsCSV,
	},
	"generate-quantities": {"seed": seedRange, "sig-figs": sigFigsCSV},
	"summary":             {"max-depth": between(0, 30), "sig-figs": sigFigsCSV},
	"eval": {
		"backoffs": iterations, "draws": counts, "particles": counts, "steps": counts, "threads": parallel,
		"rank": between(0, 1e6), "num-flows": between(0, 1000), "init-scale": atLeast0,
		"lr": atLeast0, "lr-decay": {min: 0, max: 1, minOpen: true}, "tol": atLeast0, "seed": seedRange,
	},
	"bench": {"time": {min: 0, max: 3600, minOpen: true}},
	"nested": {
		"live-points": between(0, 1e6), "slices": between(0, 1e4), "max-evals": between(0, 1e15),
		"max-samples": iterations, "threads": between(0, 1<<16), "draws": counts, "refresh": iterations,
		"live-evidence-frac": {min: 0, max: 1, minOpen: true, maxOpen: true}, "seed": seedRange, "sig-figs": sigFigsCSV,
	},
	"stein": {
		"particles": between(1, 1e5), "elbo-particles": counts, "steps": iterations, "draws": counts,
		"random-features": between(0, 1e6), "refresh": iterations, "warm-start": iterations, "seed": seedRange, "sig-figs": sigFigsCSV,
		"lr": positive, "lr-decay": {min: 0, max: 1, minOpen: true}, "bandwidth-factor": atLeast0, "product-scale": positive,
		"loss-temperature": positive, "repulsion-temperature": positive,
	},
	"pathfinder": {
		"num-paths": between(1, 1024), "num-draws": counts, "num-psis-draws": counts, "num-elbo-draws": counts,
		"history-size": between(1, 1000), "max-lbfgs-iters": counts, "init-alpha": positive, "tol-obj": atLeast0,
		"tol-rel-obj": atLeast0, "tol-grad": atLeast0, "tol-rel-grad": atLeast0, "tol-param": atLeast0,
		"seed": seedRange, "sig-figs": sigFigsCSV, "refresh": iterations,
	},
}

// numericTypes are the pflag value types whose flags need a row in
// flagRanges.
var numericTypes = map[string]bool{
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true,
	"float32": true, "float64": true, "duration": true,
}

// commandKey names cmd in flagRanges: its path without the root's name.
func commandKey(cmd *cobra.Command) string {
	path := cmd.CommandPath()
	if cmd.HasParent() {
		path = strings.TrimPrefix(path, cmd.Root().Name()+" ")
	}
	return path
}

// validateFlags checks every numeric flag of cmd, set or left at its
// default, against its row of flagRanges.
func validateFlags(cmd *cobra.Command) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if err != nil || !numericTypes[f.Value.Type()] {
			return
		}
		r, ok := flagRanges[commandKey(cmd)][f.Name]
		if !ok {
			err = fmt.Errorf("internal error: the numeric flag --%s of %q has no range", f.Name, commandKey(cmd))
			return
		}
		v, perr := flagNumber(f)
		if perr != nil || !r.contains(v) {
			err = fmt.Errorf("--%s must be %s, not %s", f.Name, r.describe(f.Value.Type()), quoteValue(f.Value.String()))
		}
	})
	return err
}

// flagNumber is a numeric flag's value; durations in seconds.
func flagNumber(f *pflag.Flag) (float64, error) {
	if f.Value.Type() == "duration" {
		d, err := time.ParseDuration(f.Value.String())
		return d.Seconds(), err
	}
	return strconv.ParseFloat(f.Value.String(), 64)
}

func (r valueRange) contains(v float64) bool {
	above := v > r.min || !r.minOpen && v == r.min
	below := v < r.max || !r.maxOpen && v == r.max
	return above && below
}

// describe says what r admits, for a flag of pflag type typ.
func (r valueRange) describe(typ string) string {
	switch {
	case typ == "duration":
		return fmt.Sprintf("a duration above %s and at most %s, such as 300ms or 2s",
			time.Duration(r.min*float64(time.Second)), time.Duration(r.max*float64(time.Second)))
	case !strings.HasPrefix(typ, "float"):
		if r.max == math.MaxUint64 {
			return fmt.Sprintf("an integer between %d and %d", uint64(r.min), uint64(math.MaxUint64))
		}
		return fmt.Sprintf("an integer between %d and %d", int64(r.min), int64(r.max))
	case math.IsInf(r.max, 1) && r.minOpen:
		return fmt.Sprintf("a finite number above %g", r.min)
	case math.IsInf(r.max, 1):
		return fmt.Sprintf("a finite number of at least %g", r.min)
	}
	lo, hi := "[", "]"
	if r.minOpen {
		lo = "("
	}
	if r.maxOpen {
		hi = ")"
	}
	return fmt.Sprintf("a number in %s%g, %g%s", lo, r.min, r.max, hi)
}

// quoteValue shows a flag's value as typed: numbers as they are, anything
// else quoted with its non-printable bytes escaped.
func quoteValue(s string) string {
	if _, err := strconv.ParseFloat(s, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		return s
	}
	return strconv.Quote(s)
}

// flagError turns pflag's parse errors into the table's message: a value
// that is not a number of the flag's type names the flag and its range
// instead of strconv's wording.
func flagError(cmd *cobra.Command, err error) error {
	var inv *pflag.InvalidValueError
	if !errors.As(err, &inv) {
		return err
	}
	f := inv.GetFlag()
	if r, ok := flagRanges[commandKey(cmd)][f.Name]; ok {
		return fmt.Errorf("--%s must be %s, not %s", f.Name, r.describe(f.Value.Type()), quoteValue(inv.GetValue()))
	}
	return fmt.Errorf("--%s does not take the value %s (a %s)", f.Name, quoteValue(inv.GetValue()), f.Value.Type())
}
