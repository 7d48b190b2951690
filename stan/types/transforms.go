package types

// maxTransformDims is how deep in arrays the transform functions apply, as
// in Stan.
const maxTransformDims = 8

// addTransforms declares the *_constrain, *_jacobian and *_unconstrain
// functions of every constraint (Stan 2.37's Variable Transformation
// Functions). A _jacobian function is its _constrain function that also
// adds the log Jacobian to the log density.
func (l *Library) addTransforms() {
	add := func(name string, args []Type, ret Type) {
		l.funcs[name] = append(l.funcs[name], Signature{Args: args, Ret: ret})
	}
	// Bounds and affine maps apply elementwise: the bounds are reals, or
	// containers of the first argument's type.
	for _, fam := range []struct {
		name   string
		bounds int
	}{{"lower_bound", 1}, {"upper_bound", 1}, {"lower_upper_bound", 2}, {"offset_multiplier", 2}} {
		for _, suffix := range []string{"_constrain", "_jacobian", "_unconstrain"} {
			name := fam.name + suffix
			add(name, repeatType(RealT, fam.bounds+1), RealT)
			for dims := range maxTransformDims {
				for _, base := range []Type{Array(RealT, 1), VectorT, RowVectorT, MatrixT} {
					ty := Array(base, dims)
					for mask := range 1 << fam.bounds {
						args := []Type{ty}
						for b := range fam.bounds {
							if mask&(1<<b) != 0 {
								args = append(args, RealT)
							} else {
								args = append(args, ty)
							}
						}
						add(name, args, ty)
					}
				}
			}
		}
	}
	// Constraints on a whole vector or matrix apply to each of an array's.
	for dims := range maxTransformDims {
		v, m := Array(VectorT, dims), Array(MatrixT, dims)
		for _, suffix := range []string{"_constrain", "_jacobian", "_unconstrain"} {
			for _, name := range []string{"ordered", "positive_ordered", "simplex", "unit_vector", "sum_to_zero"} {
				add(name+suffix, []Type{v}, v)
			}
			for _, name := range []string{"sum_to_zero", "stochastic_column", "stochastic_row"} {
				add(name+suffix, []Type{m}, m)
			}
		}
		for _, suffix := range []string{"_constrain", "_jacobian"} {
			for _, name := range []string{"cholesky_factor_corr", "corr_matrix", "cov_matrix"} {
				add(name+suffix, []Type{v, IntT}, m)
			}
			add("cholesky_factor_cov"+suffix, []Type{v, IntT, IntT}, m)
		}
		for _, name := range []string{"cholesky_factor_corr", "corr_matrix", "cov_matrix", "cholesky_factor_cov"} {
			add(name+"_unconstrain", []Type{m}, v)
		}
	}
}

func repeatType(t Type, n int) []Type {
	ts := make([]Type, n)
	for i := range ts {
		ts[i] = t
	}
	return ts
}
