// Package svi is stochastic variational inference (Hoffman, Blei, Wang and
// Paisley 2013) as NumPyro runs it: a guide's parameters are fitted by
// stochastic gradient ascent on the evidence lower bound estimated with
// reparameterised draws (Trace_ELBO with num_particles), using Adam,
// ClippedAdam or SGD, over a model.Model's unconstrained space. New and
// Fit read like NumPyro's SVI(model, guide, optim, loss).run(key, data,
// num_steps) followed by draws pushed through the model. RunContext and
// FitContext stop before the next step when their context is cancelled
// and keep the guide fitted so far (SVI.Interrupted).
package svi
