package autoguide

import "errors"

var errNotDefinite = errors.New("laplace: the negative Hessian at the mode is not positive definite: the mode is not a maximum")
