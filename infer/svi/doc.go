// Package svi is stochastic variational inference (Hoffman, Blei, Wang and
// Paisley 2013) as NumPyro runs it: a guide's parameters are fitted by
// stochastic gradient ascent on the evidence lower bound estimated with
// reparameterised draws (Trace_ELBO with num_particles), using Adam,
// ClippedAdam or SGD, over a model.Model's unconstrained space. New and
// FitModel read like NumPyro's SVI(model, guide, optim, loss).run(key,
// num_steps) on a model bound to its data (compile.Program's or
// ppl.Program's NewModel), followed by draws pushed through the model
// (Result.Set). RunContext and FitModel stop before the next step when
// their context is cancelled and keep the guide fitted so far
// (SVI.Interrupted).
package svi
