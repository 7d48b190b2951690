// Package types holds Stan's types and the signatures of its standard
// library, and resolves a function call to a signature by Stan's promotion
// rules (int to real to complex, elementwise within arrays). The type
// checker (stan/check) and the compiler use it.
package types
