package model

import "fmt"

// FailuresKept is how many messages a Failures keeps.
const FailuresKept = 5

// Failures counts a run's failed evaluations (reject(), domain errors,
// outputs that could not be computed) and keeps the first FailuresKept
// messages: a sampler may meet thousands, and the first few say why. The
// zero value is ready to use. Every algorithm reports through it, so that
// NUTS, ADVI and SVI word their reports alike.
type Failures struct {
	First []string // the first FailuresKept messages
	Count int      // every failure, kept or not
}

// Add counts err and keeps its message while fewer than FailuresKept are.
func (f *Failures) Add(err error) {
	f.Count++
	if len(f.First) < FailuresKept {
		f.First = append(f.First, err.Error())
	}
}

// Report words the failures for a person, one line each, with one and
// many naming a failure and several ("proposal rejected", "proposals
// rejected"): "37 proposals rejected; the first 5:" and the kept messages
// indented. It is empty when nothing failed.
func (f *Failures) Report(one, many string) []string {
	switch {
	case f.Count == 0:
		return nil
	case f.Count == 1:
		return []string{fmt.Sprintf("1 %s: %s", one, f.First[0])}
	}
	head := fmt.Sprintf("%d %s:", f.Count, many)
	if f.Count > len(f.First) {
		head = fmt.Sprintf("%d %s; the first %d:", f.Count, many, len(f.First))
	}
	lines := []string{head}
	for _, m := range f.First {
		lines = append(lines, "  "+m)
	}
	return lines
}

// OutputsReport words failures of Model.Write, the same for every
// algorithm.
func (f *Failures) OutputsReport() []string {
	return f.Report("draw's transformed parameters or generated quantities failed (its columns are NaN)",
		"draws' transformed parameters or generated quantities failed (their columns are NaN)")
}
