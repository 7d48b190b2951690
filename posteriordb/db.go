package posteriordb

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gostan/gostan/model"
)

// DB is a PosteriorDB tree on disk.
type DB struct {
	Root string
}

// Open checks that root looks like a PosteriorDB tree.
func Open(root string) (*DB, error) {
	if _, err := os.Stat(filepath.Join(root, "posteriors")); err != nil {
		return nil, fmt.Errorf("%s is not a PosteriorDB tree: %v", root, err)
	}
	return &DB{Root: root}, nil
}

// Posterior is one entry of posteriors/: a model paired with a data set.
type Posterior struct {
	Name          string          `json:"name"`
	ModelName     string          `json:"model_name"`
	DataName      string          `json:"data_name"`
	ReferenceName string          `json:"reference_posterior_name"`
	Keywords      []string        `json:"keywords"`
	Dimensions    map[string]Dims `json:"dimensions"`
}

// Dims are a parameter's sizes; PosteriorDB writes a vector's as a number
// and a matrix's as an array.
type Dims []int

// UnmarshalJSON accepts a number or an array of numbers.
func (d *Dims) UnmarshalJSON(b []byte) error {
	var n int
	if err := json.Unmarshal(b, &n); err == nil {
		*d = Dims{n}
		return nil
	}
	return json.Unmarshal(b, (*[]int)(d))
}

// Len is the number of scalar columns.
func (d Dims) Len() int {
	n := 1
	for _, k := range d {
		n *= k
	}
	return n
}

// Posteriors lists the posterior names in sorted order.
func (db *DB) Posteriors() ([]string, error) {
	files, err := filepath.Glob(filepath.Join(db.Root, "posteriors", "*.json"))
	if err != nil {
		return nil, err
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = strings.TrimSuffix(filepath.Base(f), ".json")
	}
	sort.Strings(names)
	return names, nil
}

// Posterior reads a posterior's description.
func (db *DB) Posterior(name string) (*Posterior, error) {
	b, err := os.ReadFile(filepath.Join(db.Root, "posteriors", name+".json"))
	if err != nil {
		return nil, fmt.Errorf("posterior %q: %v", name, err)
	}
	p := new(Posterior)
	if err := json.Unmarshal(b, p); err != nil {
		return nil, fmt.Errorf("posterior %q: %v", name, err)
	}
	return p, nil
}

// ModelPath is the Stan program of a model, in the current syntax.
func (db *DB) ModelPath(model string) string {
	return filepath.Join(db.Root, "models", "stan", model+".stan")
}

// DataPath is the zipped Stan JSON of a data set.
func (db *DB) DataPath(data string) string {
	return filepath.Join(db.Root, "data", "data", data+".json.zip")
}

// Data reads a data set.
func (db *DB) Data(data string) (model.Data, error) {
	return model.ReadDataFile(db.DataPath(data))
}

// HasData reports whether the data set is in the tree (a subset of
// PosteriorDB may leave large data sets out).
func (db *DB) HasData(data string) bool {
	_, err := os.Stat(db.DataPath(data))
	return err == nil
}

// HasReference reports whether the posterior has reference draws.
func (db *DB) HasReference(p *Posterior) bool {
	if p.ReferenceName == "" {
		return false
	}
	_, err := os.Stat(db.referencePath(p.ReferenceName))
	return err == nil
}

func (db *DB) referencePath(name string) string {
	return filepath.Join(db.Root, "reference_posteriors", "draws", "draws", name+".json.zip")
}

// Reference holds a posterior's reference draws, all chains pooled.
type Reference struct {
	Names  []string             // sorted
	Draws  map[string][]float64 // by column name, e.g. "beta[2]", chain after chain
	Chains int                  // number of chains, all of the same length
}

// Split returns a column's draws chain by chain.
func (r *Reference) Split(name string) [][]float64 {
	d := r.Draws[name]
	n := len(d) / r.Chains
	out := make([][]float64, r.Chains)
	for c := range out {
		out[c] = d[c*n : (c+1)*n]
	}
	return out
}

// Reference reads the reference draws named by p.
func (db *DB) Reference(p *Posterior) (*Reference, error) {
	if p.ReferenceName == "" {
		return nil, fmt.Errorf("posterior %q has no reference draws", p.Name)
	}
	path := db.referencePath(p.ReferenceName)
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	if len(zr.File) != 1 {
		return nil, fmt.Errorf("%s: expected one file in the archive, found %d", path, len(zr.File))
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, err
	}
	var chains []map[string][]float64
	if err := json.Unmarshal(b, &chains); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	ref := &Reference{Draws: map[string][]float64{}, Chains: len(chains)}
	for _, c := range chains {
		for name, d := range c {
			ref.Draws[name] = append(ref.Draws[name], d...)
		}
	}
	for name := range ref.Draws {
		ref.Names = append(ref.Names, name)
	}
	sort.Strings(ref.Names)
	return ref, nil
}

// Score compares draws with the reference, column by column:
// err = |mean_ref - mean| / sd_ref, the criterion of Stan's performance
// tests and of the NumPyro autoguide study. It returns the largest error
// and its column; a reference column missing from draws is an error.
func (r *Reference) Score(draws map[string][]float64) (maxErr float64, worst string, err error) {
	for _, name := range r.Names {
		d, ok := draws[name]
		if !ok || len(d) == 0 {
			return 0, "", fmt.Errorf("no draws for reference column %q", name)
		}
		refMean, refSD := meanSD(r.Draws[name])
		mean, _ := meanSD(d)
		var e float64
		switch {
		case math.IsNaN(mean) || math.IsInf(mean, 0):
			e = math.Inf(1)
		case refSD == 0:
			if mean != refMean {
				e = math.Inf(1)
			}
		default:
			e = math.Abs(refMean-mean) / refSD
		}
		if e > maxErr || worst == "" {
			maxErr, worst = e, name
		}
	}
	return maxErr, worst, nil
}

// meanSD returns the mean and the sample standard deviation.
func meanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if len(x) < 2 {
		return mean, 0
	}
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(x)-1))
}
