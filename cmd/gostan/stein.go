package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/contrib/stein"
	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stancsv"
)

// steinKernels are the --kernel values.
var steinKernels = []string{"rbf", "linear", "random", "mixture", "graphical", "product"}

// steinKernel builds the named kernel for a guide over d unconstrained
// coordinates: mixture is ½ RBF + ½ linear, graphical an RBF kernel per
// coordinate (with the Normal guide, on its location and scale).
func steinKernel(name, rbfMode string, factor, scale float64, features int, guide string, d int) (stein.Kernel, error) {
	var bw func(int) float64
	if factor > 0 {
		bw = func(int) float64 { return factor }
	}
	rbf := func() stein.Kernel { return &stein.RBF{BandwidthFactor: bw} }
	switch name {
	case "rbf":
		k := &stein.RBF{BandwidthFactor: bw}
		switch rbfMode {
		case "norm":
		case "vector":
			k.Mode = stein.Vector
		case "matrix":
			k.Mode, k.MatrixMode = stein.Matrix, stein.NormDiag
		case "matrix-vector":
			k.Mode, k.MatrixMode = stein.Matrix, stein.VectorDiag
		default:
			return nil, fmt.Errorf("--rbf-mode must be norm, vector, matrix or matrix-vector, not %q", rbfMode)
		}
		return k, nil
	case "linear":
		return &stein.Linear{}, nil
	case "random":
		return &stein.RandomFeature{Features: features, BandwidthFactor: bw}, nil
	case "mixture":
		return &stein.Mixture{Weights: []float64{0.5, 0.5}, Kernels: []stein.Kernel{rbf(), &stein.Linear{}}}, nil
	case "graphical":
		return &stein.Graphical{Blocks: stein.CoordinateBlocks(guide, d), Default: rbf}, nil
	case "product":
		if guide != "normal" {
			return nil, fmt.Errorf("--kernel product compares the particles' Normal guides: it needs --guide normal")
		}
		return &stein.ProbabilityProduct{Scale: scale}, nil
	}
	return nil, fmt.Errorf("--kernel must be one of %v, not %q", steinKernels, name)
}

func newSteinCmd() *cobra.Command {
	cfg := stein.DefaultConfig()
	cfg.Guide = "delta"
	var dataPath, output, kernel, rbfMode string
	var precondition bool
	var draws, sigFigs, refresh, features int
	var lr, decay, factor, scale float64
	cmd := &cobra.Command{
		Use:   "stein MODEL.stan",
		Short: "Stein variational inference: a mixture of guides moved by Stein forces (SVGD with --guide delta)",
		Long: "stein fits a Stein mixture, as NumPyro's SteinVI: --particles copies of a guide on the unconstrained\n" +
			"scale, each moved by Adam along the Stein force (Liu and Wang 2016): the kernel-weighted average of\n" +
			"the particles' ELBO gradients (divided by --loss-temperature) plus the kernel's repulsion (divided by\n" +
			"--repulsion-temperature). --guide delta is plain SVGD on the log density; --guide normal makes each\n" +
			"particle a diagonal Gaussian, attracted by the gradient of the mixture's ELBO over --elbo-particles\n" +
			"draws; --guide guide makes each particle a copy of the program's guide block, attracted by the\n" +
			"gradient of its own ELBO.\n\n" +
			"Kernels: rbf (the median-heuristic bandwidth times --bandwidth-factor, 1/log n when 0; --rbf-mode),\n" +
			"linear (x·y + 1), random (random Fourier features), mixture (½ rbf + ½ linear), graphical (an rbf\n" +
			"kernel per unconstrained coordinate) and product (the probability product of the particles' Normal\n" +
			"guides, exponent --product-scale).\n\n" +
			"It writes Stan CSV of --draws draws from the mixture, each particle's guide equally weighted, pushed\n" +
			"through the model: lp__ is the log density at the draw, particle__ the component it came from, and\n" +
			"the comment lines after the header give the particles' weights. Then it prints the summary table.\n" +
			"On SIGINT or SIGTERM it stops, writes the draws of the particles so far and exits with status 130\n" +
			"(143 for SIGTERM).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			start := time.Now()
			if cfg.Seed == 0 {
				cfg.Seed = uint64(time.Now().UnixNano())
			}
			stderr, out := cmd.ErrOrStderr(), cmd.OutOrStdout()
			if cfg.Guide != "delta" && cfg.Guide != "normal" && cfg.Guide != "guide" {
				return fmt.Errorf("--guide must be delta, normal or guide, not %q", cfg.Guide)
			}
			m, err := loadModel(stderr, args[0], dataPath, cfg.Seed)
			if err != nil {
				return err
			}
			if cfg.Guide == "guide" {
				cfg.Maker = func(rng *rand.Rand) (svi.Guide, error) {
					g, err := m.NewGuide(rng)
					if err != nil {
						return nil, fmt.Errorf("--guide guide: %s: %w", args[0], err)
					}
					return g, nil
				}
			}
			if cfg.Kernel, err = steinKernel(kernel, rbfMode, factor, scale, features, cfg.Guide, m.Dim()); err != nil {
				return err
			}
			cfg.Optimizer = svi.NewAdam(lr)
			if decay != 1 {
				cfg.Schedule = svi.ExponentialDecay(lr, decay, cfg.Steps)
			}
			if refresh > 0 {
				cfg.Progress = func(step int, elbo float64) {
					if step%refresh == 0 {
						fmt.Fprintf(stderr, "step %8d  mean ELBO %12.4f\n", step, elbo)
					}
				}
			}
			// Preconditioned, the particles live on u with z = mode + L u
			// (the guide block's parameters are its own).
			var pm model.Model = m
			if precondition && cfg.Guide != "guide" {
				loc, err := autoguide.Init(m, rand.New(rand.NewPCG(cfg.Seed, 0x9c0)))
				if err != nil {
					return err
				}
				var ok bool
				if pm, ok = autoguide.Preconditioned(m, loc); !ok {
					fmt.Fprintln(stderr, "warning: --precondition: no mode with a negative definite Hessian; the particles are on the model's scale")
				}
			}
			ctx, stop := interruptible(stderr, "the particles so far are kept")
			defer stop()
			res, err := stein.Run(ctx, pm, cfg)
			if err != nil {
				return err
			}
			rng := rand.New(rand.NewPCG(cfg.Seed, 0xd4a))
			pred, err := stein.MixtureGuidePredictive(pm, res, draws, rng)
			if err != nil {
				return err
			}
			for _, msg := range pred.Messages {
				fmt.Fprintln(stderr, "warning:", msg)
			}
			set := pred.Set()
			// The optimizer is the flags', before the draws' line.
			set.Config = slices.Insert(set.Config, len(set.Config)-1, "    optimizer = adam",
				fmt.Sprintf("      lr = %g", lr), fmt.Sprintf("      lr_decay = %g", decay))
			if err := writeSet(set, stancsv.Run{Model: args[0], Data: dataPath, Init: "2", Output: output, SigFigs: sigFigs}); err != nil {
				return err
			}
			if res.Interrupted {
				reportInterrupted(stderr, "the mixture so far", output, fmt.Sprintf("%d draws, after %d steps", len(pred.Draws), len(res.ELBO)))
				return interruptedExit(ctx)
			}
			fmt.Fprintf(out, "Wrote %s (%d particles, each of weight %.4g)\n\n", output, len(res.Weights), 1/float64(len(res.Weights)))
			printParticles(out, res)
			if err := printSummary(out, set, false); err != nil {
				return err
			}
			fmt.Fprintf(out, "\nElapsed: %.2f s (parse, compile, fit, draw)\n", time.Since(start).Seconds())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dataPath, "data", "", "data file: Stan JSON (.json or .json.zip) or R dump (.R)")
	f.StringVar(&cfg.Guide, "guide", cfg.Guide, "each particle's guide: delta (SVGD), normal (a mixture of diagonal Gaussians) or guide (the program's guide block)")
	f.StringVar(&kernel, "kernel", "rbf", "the Stein kernel: rbf, linear, random, mixture, graphical or product")
	f.BoolVar(&precondition, "precondition", false, "move the particles on u with z = mode + L u, the mode and the Laplace covariance's factor (as the autoguides are fitted; delta and normal guides)")
	f.StringVar(&rbfMode, "rbf-mode", "norm", "the rbf kernel's mode: norm, vector, matrix (norm diagonal) or matrix-vector (vector diagonal)")
	f.Float64Var(&factor, "bandwidth-factor", 0, "multiplies the squared median distance into the bandwidth (rbf, random, mixture, graphical); 0: 1/log(particles)")
	f.IntVar(&features, "random-features", 0, "random features of --kernel random (0: as many as particles)")
	f.Float64Var(&scale, "product-scale", 1, "the exponent of the guides' densities in --kernel product")
	f.IntVar(&cfg.Particles, "particles", cfg.Particles, "Stein particles, the mixture's components")
	f.IntVar(&cfg.ELBOParticles, "elbo-particles", cfg.ELBOParticles, "draws per particle's ELBO gradient (--guide normal)")
	f.Float64Var(&cfg.LossTemperature, "loss-temperature", cfg.LossTemperature, "divides the attractive force")
	f.Float64Var(&cfg.RepulsionTemperature, "repulsion-temperature", cfg.RepulsionTemperature, "divides the repulsive force")
	f.IntVar(&cfg.Steps, "steps", cfg.Steps, "Stein steps")
	f.IntVar(&cfg.WarmStart, "warm-start", cfg.WarmStart, "of the steps, how many each particle first takes alone along its own ELBO gradient, without the kernel")
	f.Float64Var(&lr, "lr", 0.05, "Adam's step size")
	f.Float64Var(&decay, "lr-decay", 1, "fraction of --lr reached by the last step, exponentially; 1: constant")
	f.IntVar(&draws, "draws", 1000, "draws from the fitted mixture")
	f.Uint64Var(&cfg.Seed, "seed", 0, "random seed (0: from the clock)")
	f.StringVar(&output, "output", "output.csv", "output file")
	f.IntVar(&sigFigs, "sig-figs", 6, "significant digits in the CSV")
	f.IntVar(&refresh, "refresh", 0, "print the mean ELBO every this many steps; 0: none")
	return cmd
}

// maxParticleColumns bounds the guide parameters printed per particle.
const maxParticleColumns = 8

// printParticles prints each particle's guide parameters by name (scales
// as standard deviations), when there are few enough to read.
func printParticles(w io.Writer, res *stein.Result) {
	if len(res.Names) > maxParticleColumns {
		return
	}
	params := res.Params()
	fmt.Fprintf(w, "%-10s", "particle")
	for _, n := range res.Names {
		fmt.Fprintf(w, " %12s", n)
	}
	fmt.Fprintln(w)
	for i := range res.Particles {
		fmt.Fprintf(w, "%-10d", i+1)
		for _, n := range res.Names {
			fmt.Fprintf(w, " %12.4g", params[n][i])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}
