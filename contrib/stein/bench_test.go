package stein

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkForces times the kernel and the Stein forces of one step (the
// RBF kernel's median bandwidth, then N² kernel evaluations) for N
// particles of dimension 10, without the model's gradients.
func BenchmarkForces(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("particles=%d", n), func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Guide, cfg.Particles = "delta", n
			rng := rand.New(rand.NewPCG(1, 1))
			s, err := New(stdNormal(10), cfg, rng)
			if err != nil {
				b.Fatal(err)
			}
			xs, gs, phi := matrix(n, 10), matrix(n, 10), matrix(n, 10)
			for i := range xs {
				for c := range xs[i] {
					xs[i][c], gs[i][c] = rng.NormFloat64(), rng.NormFloat64()
				}
			}
			b.ResetTimer()
			for range b.N {
				if err := s.forces(xs, gs, phi, rng); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStep times a whole Stein step of SVGD on a 10-dimensional
// standard normal: the gradients, the forces and Adam's update.
func BenchmarkStep(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("particles=%d", n), func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Guide, cfg.Particles = "delta", n
			rng := rand.New(rand.NewPCG(1, 1))
			s, err := New(stdNormal(10), cfg, rng)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if _, err := s.Step(rng); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
