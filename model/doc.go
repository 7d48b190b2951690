// Package model defines the contract between a compiled program and the
// inference algorithms (Model: a log density over Stan's unconstrained
// space), and reads Stan JSON data.
package model
