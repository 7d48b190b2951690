package nuts

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/model"
)

// stanModel compiles src, saved as name in a temporary directory.
func stanModel(t *testing.T, name, src string) model.Model {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := compile.File(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.NewModel(nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestInitFailureSaysWhy checks that when no initial value is accepted,
// the error names the file, line and cause of the rejections: a reject(),
// a density that is -Inf, a domain error, a constraint, a gradient.
func TestInitFailureSaysWhy(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"reject.stan", "parameters { real mu; }\nmodel {\n  reject(\"no value of mu will do: \", mu);\n}\n",
			`\S*/reject\.stan:3:3: no value of mu will do: -?[0-9.]+`},
		{"neginf.stan", "parameters { real mu; }\nmodel {\n  mu ~ normal(0, 1);\n  target += log(mu > 5);\n}\n",
			`\S*/neginf\.stan:4:3: the log density is -Inf: this statement adds -Inf`},
		{"domain.stan", "parameters { real<lower=0> s; }\nmodel {\n  1 ~ normal(0, s - 100);\n}\n",
			`\S*/domain\.stan:3:5: normal_lpdf: Scale parameter is -9[0-9.]+, but must be positive finite`},
		{"bound.stan", "parameters { real mu; }\ntransformed parameters {\n  real<lower=10> w = mu;\n}\nmodel { mu ~ normal(0, 1); }\n",
			`\S*/bound\.stan:3:18: transformed parameter "w" is -?[0-9.]+, but must be >= 10`},
		{"grad.stan", "parameters { real mu; }\nmodel {\n  target += sqrt(square(mu - mu));\n}\n",
			`the gradient of the log density with respect to mu is NaN`},
	}
	for _, c := range cases {
		_, err := Sample(stanModel(t, c.name, c.src), DefaultConfig(), nil)
		if err == nil {
			t.Errorf("%s: sampled", c.name)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "initialization between (-2, 2) failed after 100 attempts") ||
			!strings.Contains(msg, "\n100 initial values rejected; the first 5:\n  ") ||
			!regexp.MustCompile(`\n  `+c.want+`(\n|$)`).MatchString(msg) {
			t.Errorf("%s: error\n%s\nwant the reasons matching %s", c.name, msg, c.want)
		}
	}
}

// TestRejectionsCounted checks that proposals rejected during sampling
// are counted per chain, the first messages kept with their file:line.
func TestRejectionsCounted(t *testing.T) {
	m := stanModel(t, "half.stan", "parameters { real mu; }\nmodel {\n  if (mu > 1) reject(\"mu is too big: \", mu);\n  mu ~ normal(0, 1);\n}\n")
	cfg := DefaultConfig()
	cfg.Warmup, cfg.Samples, cfg.Seed = 200, 200, 7
	fit, err := Run(context.Background(), m, Options{Config: cfg, Chains: 2, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	chains := fit.Chains
	for c, ch := range chains {
		r := ch.Rejections
		if r.Count < 10 || len(r.First) != model.FailuresKept {
			t.Fatalf("chain %d: %d rejections, %d kept; want many, %d kept", c+1, r.Count, len(r.First), model.FailuresKept)
		}
		for _, msg := range r.First {
			if !regexp.MustCompile(`^\S*/half\.stan:3:15: mu is too big: [0-9.e+]+$`).MatchString(msg) {
				t.Errorf("chain %d: message %q", c+1, msg)
			}
		}
		head := fmt.Sprintf("%d proposals rejected; the first 5:", r.Count)
		i := slices.Index(ch.Messages, head)
		if i < 0 || len(ch.Messages) < i+7 || !strings.HasPrefix(ch.Messages[i+6], "occasional rejections") {
			t.Errorf("chain %d: no %q then the messages and advice in %q", c+1, head, ch.Messages)
		}
	}
}

// TestZeroInitTriedOnce checks that with radius 0 the zero point is tried
// once, as Stan does, and its rejection is the error.
func TestZeroInitTriedOnce(t *testing.T) {
	m := stanModel(t, "zero.stan", "parameters { real mu; }\nmodel {\n  reject(\"mu = \", mu);\n}\n")
	cfg := DefaultConfig()
	cfg.InitRadius = 0
	_, err := Sample(m, cfg, nil)
	if err == nil || !regexp.MustCompile(`^rejecting the initial value: \S*/zero\.stan:3:3: mu = 0$`).MatchString(err.Error()) {
		t.Errorf("error %v", err)
	}
}
