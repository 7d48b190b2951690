package compile

import (
	"testing"

	"github.com/gostan/gostan/model"
)

func BenchmarkEightSchoolsGrad(b *testing.B) {
	data, _ := model.ReadDataFile("../examples/eight_schools.data.json")
	m, err := build(b, "../examples/eight_schools.stan", data)
	if err != nil {
		b.Fatal(err)
	}
	x := make([]float64, m.Dim())
	g := make([]float64, m.Dim())
	b.ReportAllocs()
	for b.Loop() {
		m.LogDensity(x, g)
	}
}
