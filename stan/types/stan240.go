package types

// addStan240 declares the overloads Stan 2.39 and 2.40 added that the
// table's classes cannot state.
func (l *Library) addStan240() {
	add := func(name string, args []Type, ret Type) {
		l.funcs[name] = append(l.funcs[name], Signature{Args: args, Ret: ret})
	}
	// softmax and log_softmax of each vector or row vector of an array.
	for dims := 1; dims < maxTransformDims; dims++ {
		for _, k := range []Type{VectorT, RowVectorT} {
			t := Array(k, dims)
			add("softmax", []Type{t}, t)
			add("log_softmax", []Type{t}, t)
		}
	}
	// student_t_qf(p, nu, mu, sigma), each argument a real, an array of
	// reals, a vector or a row vector: a real when all are reals, else a
	// vector when any is a vector or row vector (Stan Math returns a
	// column vector then), else an array of reals.
	reals := []Type{RealT, Array(RealT, 1), VectorT, RowVectorT}
	var rec func(args []Type)
	rec = func(args []Type) {
		if len(args) == 4 {
			ret := RealT
			for _, a := range args {
				switch {
				case a.Kind == Vector || a.Kind == RowVector:
					ret = VectorT
				case a.Dims == 1 && ret == RealT:
					ret = Array(RealT, 1)
				}
			}
			add("student_t_qf", append([]Type(nil), args...), ret)
			return
		}
		for _, t := range reals {
			rec(append(args, t))
		}
	}
	rec(nil)
}
