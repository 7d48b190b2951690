package stancsv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Version is the gostan release the files record (and gostan --version
// prints).
const Version = "0.1"

// Stream is a Stan CSV file written as a method runs: Create writes the
// preamble and the configuration; the method then writes the header, its
// rows and comments through the embedded Writer; Close flushes. Whatever
// was written before Close is whole lines of a valid file.
type Stream struct {
	*Writer
	f *os.File
}

// Create creates path and writes Preamble(modelPath) and the method's
// configuration lines as comments.
func Create(path, modelPath string, sigFigs int, config []string) (*Stream, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	s := &Stream{Writer: NewWriter(f, sigFigs), f: f}
	s.Comment(Preamble(modelPath)...)
	s.Comment(config...)
	return s, nil
}

// Close flushes and closes the file.
func (s *Stream) Close() error {
	err := s.Flush()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// WriteFile writes a whole Stan CSV file: the preamble, the
// configuration, then what body writes (the header, rows and comments).
func WriteFile(path, modelPath string, sigFigs int, config []string, body func(w *Writer) error) error {
	s, err := Create(path, modelPath, sigFigs, config)
	if err != nil {
		return err
	}
	if err := body(s.Writer); err != nil {
		s.Close()
		return err
	}
	return s.Close()
}

// Preamble are the first comment lines of a Stan CSV file: the Stan
// version whose output gostan follows, gostan's, and the model.
func Preamble(modelPath string) []string {
	return []string{"stan_version_major = 2", "stan_version_minor = 21", "stan_version_patch = 0",
		"gostan = " + Version, "model = " + strings.TrimSuffix(filepath.Base(modelPath), ".stan")}
}

// ColumnNames writes a model's output names CmdStan's way: theta[1,2] as
// theta.1.2.
func ColumnNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		// A tuple's columns have brackets inside: y[2]:1[3] is y.2:1.3.
		n = strings.ReplaceAll(n, "[", ".")
		n = strings.ReplaceAll(n, ",", ".")
		out[i] = strings.ReplaceAll(n, "]", "")
	}
	return out
}

func joinFloats(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf("%g", x)
	}
	return strings.Join(s, ", ")
}
