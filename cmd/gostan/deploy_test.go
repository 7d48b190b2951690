package main

import (
	"fmt"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The manifest is read by a reader of the YAML it uses (block mappings
// and sequences, plain and quoted scalars, whole-line comments), not a
// YAML library: the module has none, and the test should not add one.
type yamlLine struct {
	indent int
	text   string
	num    int
}

type yamlReader struct {
	lines []yamlLine
	pos   int
}

func parseYAML(src string) (any, error) {
	var r yamlReader
	for i, l := range strings.Split(src, "\n") {
		trimmed := strings.TrimLeft(l, " ")
		if strings.HasPrefix(trimmed, "\t") {
			return nil, fmt.Errorf("line %d: a tab in the indentation", i+1)
		}
		trimmed = strings.TrimRight(trimmed, " ")
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		r.lines = append(r.lines, yamlLine{len(l) - len(strings.TrimLeft(l, " ")), trimmed, i + 1})
	}
	if len(r.lines) == 0 {
		return nil, fmt.Errorf("empty document")
	}
	v, err := r.block(r.lines[0].indent)
	if err == nil && r.pos < len(r.lines) {
		err = fmt.Errorf("line %d: unexpected indentation", r.lines[r.pos].num)
	}
	return v, err
}

func isItem(text string) bool { return text == "-" || strings.HasPrefix(text, "- ") }

func (r *yamlReader) block(indent int) (any, error) {
	if isItem(r.lines[r.pos].text) {
		return r.sequence(indent)
	}
	return r.mapping(indent)
}

func (r *yamlReader) sequence(indent int) ([]any, error) {
	var out []any
	for r.pos < len(r.lines) {
		l := r.lines[r.pos]
		if l.indent < indent {
			break
		}
		if l.indent > indent || !isItem(l.text) {
			return nil, fmt.Errorf("line %d: expected an item at indentation %d", l.num, indent)
		}
		rest := strings.TrimLeft(strings.TrimPrefix(l.text, "-"), " ")
		switch _, _, isKey := splitKey(rest); {
		case rest == "":
			r.pos++
			if r.pos == len(r.lines) || r.lines[r.pos].indent <= indent {
				return nil, fmt.Errorf("line %d: an empty item", l.num)
			}
			v, err := r.block(r.lines[r.pos].indent)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		case isKey:
			// "- key: value" opens a mapping at the key's column.
			r.lines[r.pos] = yamlLine{l.indent + len(l.text) - len(rest), rest, l.num}
			v, err := r.mapping(r.lines[r.pos].indent)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		default:
			v, err := yamlScalar(rest, l.num)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			r.pos++
		}
	}
	return out, nil
}

func (r *yamlReader) mapping(indent int) (map[string]any, error) {
	m := map[string]any{}
	for r.pos < len(r.lines) {
		l := r.lines[r.pos]
		if l.indent < indent || l.indent == indent && isItem(l.text) {
			break
		}
		if l.indent > indent {
			return nil, fmt.Errorf("line %d: unexpected indentation", l.num)
		}
		key, val, ok := splitKey(l.text)
		if !ok {
			return nil, fmt.Errorf("line %d: expected key: value", l.num)
		}
		if _, dup := m[key]; dup {
			return nil, fmt.Errorf("line %d: key %q twice", l.num, key)
		}
		r.pos++
		if val != "" {
			v, err := yamlScalar(val, l.num)
			if err != nil {
				return nil, err
			}
			m[key] = v
			continue
		}
		if r.pos == len(r.lines) || r.lines[r.pos].indent <= indent {
			m[key] = nil
			continue
		}
		v, err := r.block(r.lines[r.pos].indent)
		if err != nil {
			return nil, err
		}
		m[key] = v
	}
	return m, nil
}

// splitKey splits "key: value" or "key:"; a quoted text is no key.
func splitKey(text string) (key, val string, ok bool) {
	if strings.HasPrefix(text, "'") || strings.HasPrefix(text, `"`) {
		return "", "", false
	}
	if k, ok := strings.CutSuffix(text, ":"); ok && !strings.Contains(k, ": ") {
		return k, "", true
	}
	k, v, ok := strings.Cut(text, ": ")
	return k, strings.TrimSpace(v), ok
}

// yamlScalar reads a plain, 'single' or "double" quoted scalar as a string.
func yamlScalar(s string, num int) (string, error) {
	switch {
	case strings.HasPrefix(s, "'"):
		if len(s) < 2 || !strings.HasSuffix(s, "'") {
			return "", fmt.Errorf("line %d: unterminated '", num)
		}
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'"), nil
	case strings.HasPrefix(s, `"`):
		v, err := strconv.Unquote(s)
		if err != nil {
			return "", fmt.Errorf("line %d: %v", num, err)
		}
		return v, nil
	case strings.Contains(s, " #"):
		return "", fmt.Errorf("line %d: comments after a value are not read", num)
	}
	return s, nil
}

func TestParseYAMLSubset(t *testing.T) {
	v, err := parseYAML("# c\na: 1\nb:\n  - x\n  - k: 'it''s'\n    l: \"q\\n\"\n  -\n    - y\nc:\n  d: e\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "map[a:1 b:[x map[k:it's l:q\n] [y]] c:map[d:e]]"
	if got := fmt.Sprint(v); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	for _, bad := range []string{"a: 1\n  b: 2\n", "a: 1\na: 2\n", "a:\n\t- x\n", "- x\ny: 1\n", "a: 'x\n"} {
		if _, err := parseYAML(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// get walks a parsed document by keys and sequence indices.
func get(t *testing.T, v any, keys ...any) any {
	t.Helper()
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not a mapping at %q", keys, k)
			}
			if v, ok = m[k]; !ok {
				t.Fatalf("%v: no key %q", keys, k)
			}
		case int:
			s, ok := v.([]any)
			if !ok || k >= len(s) {
				t.Fatalf("%v: no item %d", keys, k)
			}
			v = s[k]
		}
	}
	return v
}

// shellWords splits a command line on spaces, dropping double quotes (the
// manifest's words have no spaces inside them).
func shellWords(s string) []string {
	return strings.Fields(strings.ReplaceAll(s, `"`, ""))
}

// TestEvalJobManifest: deploy/eval-job.yaml is an Indexed Job whose pods
// run `gostan eval` with flags eval has, one shard per completion index,
// covering every posterior once, with PosteriorDB and the results on
// mounted volumes.
func TestEvalJobManifest(t *testing.T) {
	src, err := os.ReadFile("../../deploy/eval-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parseYAML(string(src))
	if err != nil {
		t.Fatalf("eval-job.yaml: %v", err)
	}
	if get(t, doc, "apiVersion") != "batch/v1" || get(t, doc, "kind") != "Job" {
		t.Errorf("not a batch/v1 Job")
	}
	if get(t, doc, "spec", "completionMode") != "Indexed" {
		t.Errorf("completionMode %v", get(t, doc, "spec", "completionMode"))
	}
	completions, err := strconv.Atoi(get(t, doc, "spec", "completions").(string))
	if err != nil || completions < 1 {
		t.Fatalf("completions: %v", err)
	}
	pod := get(t, doc, "spec", "template", "spec")
	if p := get(t, pod, "restartPolicy"); p != "Never" && p != "OnFailure" {
		t.Errorf("restartPolicy %v: a Job needs Never or OnFailure", p)
	}
	containers := get(t, pod, "containers").([]any)
	if len(containers) != 1 {
		t.Fatalf("%d containers", len(containers))
	}
	c := containers[0]
	env := map[string]string{}
	for _, e := range get(t, c, "env").([]any) {
		env[get(t, e, "name").(string)] = get(t, e, "value").(string)
	}
	if env["SHARDS"] != strconv.Itoa(completions) {
		t.Errorf("SHARDS = %q, completions = %d: they must agree", env["SHARDS"], completions)
	}
	command := get(t, c, "command").([]any)
	if len(command) != 3 || command[0] != "/bin/sh" || command[1] != "-c" {
		t.Fatalf("command %q: want /bin/sh -c SCRIPT", command)
	}
	_, line, ok := strings.Cut(command[2].(string), "gostan eval ")
	if !ok {
		t.Fatalf("the script %q does not run gostan eval", command[2])
	}
	words := append(shellWords(line), shellWords(env["EXTRA_ARGS"])...)
	words = slices.DeleteFunc(words, func(w string) bool { return w == "$EXTRA_ARGS" })
	eval := newEvalCmd()
	if err := eval.ParseFlags(words); err != nil {
		t.Fatalf("eval's flags refuse %q: %v", words, err)
	}
	if eval.Flags().NArg() != 0 {
		t.Errorf("eval takes no arguments, the manifest gives %q", eval.Flags().Args())
	}
	flag := func(name string) string { return eval.Flags().Lookup(name).Value.String() }
	if flag("method") != "$METHOD" || env["METHOD"] == "" {
		t.Errorf("--method %q, METHOD %q", flag("method"), env["METHOD"])
	}

	// The shell's expansion for each completion index: shards 1..n, each
	// posterior in exactly one.
	names := make([]string, 37)
	for i := range names {
		names[i] = fmt.Sprint("p", i)
	}
	var seen []string
	outputs := map[string]bool{}
	for k := range completions {
		expand := strings.NewReplacer("$((JOB_COMPLETION_INDEX+1))", strconv.Itoa(k+1), "$JOB_COMPLETION_INDEX", strconv.Itoa(k),
			"$SHARDS", env["SHARDS"])
		got, err := shardOf(names, expand.Replace(flag("shard")))
		if err != nil {
			t.Fatalf("index %d: %v", k, err)
		}
		seen = append(seen, got...)
		outputs[expand.Replace(flag("output"))] = true
	}
	slices.Sort(seen)
	want := slices.Clone(names)
	slices.Sort(want)
	if !slices.Equal(seen, want) {
		t.Errorf("the shards cover %d posteriors of %d", len(seen), len(names))
	}
	if len(outputs) != completions {
		t.Errorf("%d output files for %d shards", len(outputs), completions)
	}

	// PosteriorDB and the results are on mounted volumes the pod has.
	volumes := map[string]bool{}
	for _, v := range get(t, pod, "volumes").([]any) {
		volumes[get(t, v, "name").(string)] = true
	}
	mounts := map[string]string{}
	for _, m := range get(t, c, "volumeMounts").([]any) {
		name := get(t, m, "name").(string)
		if !volumes[name] {
			t.Errorf("mount %q has no volume", name)
		}
		mounts[get(t, m, "mountPath").(string)] = name
	}
	if _, ok := mounts[flag("posteriordb")]; !ok {
		t.Errorf("--posteriordb %s is not a mounted volume (mounts %v)", flag("posteriordb"), mounts)
	}
	if _, ok := mounts[path.Dir(flag("output"))]; !ok {
		t.Errorf("--output %s is not on a mounted volume (mounts %v)", flag("output"), mounts)
	}
}
