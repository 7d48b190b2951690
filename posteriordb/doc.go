// Package posteriordb reads a PosteriorDB tree as it is shipped (zipped
// JSON data and reference draws) and scores draws against the reference
// posteriors.
package posteriordb
