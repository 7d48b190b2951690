package token

import (
	"fmt"
	"slices"
	"sort"
)

// Pos is a compact source position: an offset into a FileSet, 0 for none.
type Pos int

// NoPos is the zero Pos: no position.
const NoPos Pos = 0

// IsValid reports whether p is a real position.
func (p Pos) IsValid() bool { return p != NoPos }

// Position is a decoded position.
type Position struct {
	Filename     string
	Offset       int // byte offset, from 0
	Line, Column int // from 1; Column counts bytes
}

func (p Position) String() string {
	s := p.Filename
	if p.Line > 0 {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprintf("%d:%d", p.Line, p.Column)
	}
	if s == "" {
		s = "-"
	}
	return s
}

// File is one source file in a FileSet, with its text so that diagnostics
// can quote the offending line.
type File struct {
	name  string
	base  int
	src   []byte
	lines []int // offsets of the first byte of each line
}

// Name returns the file name.
func (f *File) Name() string { return f.name }

// Base is the Pos of the file's first byte.
func (f *File) Base() int { return f.base }

// Size is the file's length in bytes.
func (f *File) Size() int { return len(f.src) }

// Src returns the file's text.
func (f *File) Src() []byte { return f.src }

// Pos returns the Pos of a byte offset.
func (f *File) Pos(offset int) Pos { return Pos(f.base + offset) }

// Offset returns the byte offset of p.
func (f *File) Offset(p Pos) int { return int(p) - f.base }

// Position decodes p, which must lie in f.
func (f *File) Position(p Pos) Position {
	off := f.Offset(p)
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > off }) - 1
	return Position{Filename: f.name, Offset: off, Line: i + 1, Column: off - f.lines[i] + 1}
}

// Line returns the text of line n (from 1), without its newline.
func (f *File) Line(n int) string {
	if n < 1 || n > len(f.lines) {
		return ""
	}
	start, end := f.lines[n-1], len(f.src)
	if n < len(f.lines) {
		end = f.lines[n] - 1
	}
	for end > start && f.src[end-1] == '\r' {
		end--
	}
	return string(f.src[start:end])
}

// FileSet holds the files of one program (a main file and its includes).
type FileSet struct {
	base  int
	files []*File
}

// NewFileSet returns an empty file set.
func NewFileSet() *FileSet { return &FileSet{base: 1} }

// AddFile adds a file with its text.
func (s *FileSet) AddFile(name string, src []byte) *File {
	f := &File{name: name, base: s.base, src: src, lines: []int{0}}
	// Lines end as in stanc3's lexer: at \n, at \r\n (or \r\r\n), and at
	// a \r alone.
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			f.lines = append(f.lines, i+1)
		case '\r':
			j := i
			for j < len(src) && src[j] == '\r' {
				j++
			}
			if j < len(src) && src[j] == '\n' {
				f.lines = append(f.lines, j+1)
			} else {
				for k := i; k < j; k++ {
					f.lines = append(f.lines, k+1)
				}
			}
			i = j
			if j < len(src) && src[j] != '\n' {
				i-- // src[j] starts the next line: look at it again
			}
		}
	}
	s.base += len(src) + 1 // +1 so that EOF has its own position
	s.files = append(s.files, f)
	return f
}

// Files are the set's files in the order added: the main file first,
// then the files it includes.
func (s *FileSet) Files() []*File { return slices.Clone(s.files) }

// File returns the file holding p, or nil.
func (s *FileSet) File(p Pos) *File {
	for _, f := range s.files {
		if int(p) >= f.base && int(p) <= f.base+len(f.src) {
			return f
		}
	}
	return nil
}

// Position decodes p.
func (s *FileSet) Position(p Pos) Position {
	if f := s.File(p); f != nil {
		return f.Position(p)
	}
	return Position{}
}

// SourceLine returns line n of the named file, for diagnostics.
func (s *FileSet) SourceLine(filename string, n int) string {
	for _, f := range s.files {
		if f.name == filename {
			return f.Line(n)
		}
	}
	return ""
}
