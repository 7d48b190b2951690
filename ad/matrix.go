package ad

// Matrix is a dense matrix of Vars stored column-major, as Stan stores
// matrices: element (i, j), 0-based, is Data[i+j*Rows]. Vectors and row
// vectors are plain []Var.
type Matrix struct {
	Rows, Cols int
	Data       []Var
}

// At returns element (i, j), 0-based.
func (m Matrix) At(i, j int) Var { return m.Data[i+j*m.Rows] }

// Set sets element (i, j), 0-based.
func (m Matrix) Set(i, j int, v Var) { m.Data[i+j*m.Rows] = v }

// Matrix returns a rows x cols matrix of zero constants from the tape's arena.
func (t *Tape) Matrix(rows, cols int) Matrix {
	return Matrix{Rows: rows, Cols: cols, Data: t.Vars(rows * cols)}
}

// ConstMatrix wraps column-major data as a constant matrix.
func ConstMatrix(rows, cols int, data []float64) Matrix {
	m := Matrix{Rows: rows, Cols: cols, Data: make([]Var, len(data))}
	for i, v := range data {
		m.Data[i] = Const(v)
	}
	return m
}

// IsConst reports whether every element is a constant.
func (m Matrix) IsConst() bool {
	for _, v := range m.Data {
		if v.id != 0 {
			return false
		}
	}
	return true
}
