// Package token defines the lexical tokens of the Stan language and source
// positions (files, lines, columns), after go/token.
package token

import "strconv"

// Kind is the kind of a lexical token.
type Kind int

const (
	ILLEGAL Kind = iota
	EOF
	COMMENT

	IDENT   // theta, normal_lpdf, data, for (words are keywords by context)
	INT     // 42
	REAL    // 4.2, 1e-3, .5
	IMAG    // 2i, 3.5i
	STRING  // "text"
	INCLUDE // #include path; Lit is the path

	ADD       // +
	SUB       // -
	MUL       // *
	QUO       // /
	REM       // %
	IDIV      // %/%
	LDIV      // \
	POW       // ^
	ELTMUL    // .*
	ELTDIV    // ./
	ELTPOW    // .^
	TRANSPOSE // '
	NOT       // !
	LAND      // &&
	LOR       // ||
	EQL       // ==
	NEQ       // !=
	LSS       // <
	LEQ       // <=
	GTR       // >
	GEQ       // >=

	ASSIGN        // =
	ADD_ASSIGN    // +=
	SUB_ASSIGN    // -=
	MUL_ASSIGN    // *=
	QUO_ASSIGN    // /=
	ELTMUL_ASSIGN // .*=
	ELTDIV_ASSIGN // ./=
	ARROW         // <- (old assignment)
	TILDE         // ~

	QUESTION // ?
	COLON    // :
	COMMA    // ,
	SEMI     // ;
	BAR      // |
	LPAREN   // (
	RPAREN   // )
	LBRACK   // [
	RBRACK   // ]
	LBRACE   // {
	RBRACE   // }
)

var names = [...]string{
	ILLEGAL: "ILLEGAL", EOF: "end of file", COMMENT: "comment",
	IDENT: "identifier", INT: "integer literal", REAL: "real literal", IMAG: "imaginary literal",
	STRING: "string literal", INCLUDE: "#include",
	ADD: "+", SUB: "-", MUL: "*", QUO: "/", REM: "%", IDIV: "%/%", LDIV: "\\", POW: "^",
	ELTMUL: ".*", ELTDIV: "./", ELTPOW: ".^", TRANSPOSE: "'", NOT: "!", LAND: "&&", LOR: "||",
	EQL: "==", NEQ: "!=", LSS: "<", LEQ: "<=", GTR: ">", GEQ: ">=",
	ASSIGN: "=", ADD_ASSIGN: "+=", SUB_ASSIGN: "-=", MUL_ASSIGN: "*=", QUO_ASSIGN: "/=",
	ELTMUL_ASSIGN: ".*=", ELTDIV_ASSIGN: "./=", ARROW: "<-", TILDE: "~",
	QUESTION: "?", COLON: ":", COMMA: ",", SEMI: ";", BAR: "|",
	LPAREN: "(", RPAREN: ")", LBRACK: "[", RBRACK: "]", LBRACE: "{", RBRACE: "}",
}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(names) && names[k] != "" {
		return names[k]
	}
	return "token(" + strconv.Itoa(int(k)) + ")"
}

// IsOperator reports an operator or punctuation token.
func (k Kind) IsOperator() bool { return k >= ADD }

// Binary operator precedences, lowest 1; 0 means not a binary operator.
// The conditional ?: (below ||) and the prefix and postfix operators are
// handled by the parser. The levels are stanc3's (its parser.mly): .* and
// ./ bind as * does, and %/% as \\ does, tighter than *, so a * b %/% c is
// a * (b %/% c).
func (k Kind) Precedence() int {
	switch k {
	case LOR:
		return 1
	case LAND:
		return 2
	case EQL, NEQ:
		return 3
	case LSS, LEQ, GTR, GEQ:
		return 4
	case ADD, SUB:
		return 5
	case MUL, QUO, REM, ELTMUL, ELTDIV:
		return 6
	case IDIV, LDIV:
		return 7
	}
	return 0
}

// Stan's reserved words: they cannot name variables or functions.
var reserved = map[string]bool{
	"for": true, "in": true, "while": true, "repeat": true, "until": true, "if": true, "then": true,
	"else": true, "true": true, "false": true, "target": true, "functions": true, "model": true,
	"data": true, "parameters": true, "quantities": true, "transformed": true, "generated": true,
	"return": true, "break": true, "continue": true, "void": true, "int": true, "real": true,
	"complex": true, "vector": true, "row_vector": true, "matrix": true, "simplex": true,
	"ordered": true, "positive_ordered": true, "unit_vector": true, "cholesky_factor_corr": true,
	"cholesky_factor_cov": true, "corr_matrix": true, "cov_matrix": true, "print": true,
	"sum_to_zero_vector": true, "sum_to_zero_matrix": true, "column_stochastic_matrix": true, "row_stochastic_matrix": true,
	"reject": true, "fatal_error": true, "profile": true,
	"array": true, "tuple": true, "complex_vector": true, "complex_row_vector": true, "complex_matrix": true,
	// Reserved since Stan 2.33.
	"lower": true, "upper": true, "offset": true, "multiplier": true,
}

// IsReserved reports a word that cannot be an identifier.
func IsReserved(word string) bool { return reserved[word] }
