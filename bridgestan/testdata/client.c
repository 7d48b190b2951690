/* A BridgeStan client as a user would write one, for gostan's tests: it
 * dlopens a library built by `gostan bridgestan`, constructs the model from
 * JSON data and evaluates it at the points of a file, through the
 * signatures of BridgeStan's bridgestan.h (declared here, so that the test
 * needs no BridgeStan checkout).
 *
 * usage: client LIB DATA POINTS
 * POINTS holds "n d" and then n points of d numbers. Every number is
 * printed with 17 significant digits, so the test compares bit for bit. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct bs_model bs_model;
typedef struct bs_rng bs_rng;

static bs_model* (*model_construct)(const char*, unsigned int, char**);
static void (*model_destruct)(bs_model*);
static void (*free_error_msg)(char*);
static const char* (*name)(const bs_model*);
static const char* (*model_info)(const bs_model*);
static const char* (*param_names)(const bs_model*, bool, bool);
static const char* (*param_unc_names)(const bs_model*);
static int (*param_num)(const bs_model*, bool, bool);
static int (*param_unc_num)(const bs_model*);
static int (*param_constrain)(const bs_model*, bool, bool, const double*,
                              double*, bs_rng*, char**);
static int (*param_unconstrain)(const bs_model*, const double*, double*,
                                char**);
static int (*log_density)(const bs_model*, bool, bool, const double*, double*,
                          char**);
static int (*log_density_gradient)(const bs_model*, bool, bool, const double*,
                                   double*, double*, char**);
static int (*log_density_hessian)(const bs_model*, bool, bool, const double*,
                                  double*, double*, double*, char**);
static bs_rng* (*rng_construct)(unsigned int, char**);
static void (*rng_destruct)(bs_rng*);

static void* lib;

static void* sym(const char* s) {
  void* p = dlsym(lib, s);
  if (!p) {
    fprintf(stderr, "missing symbol %s\n", s);
    exit(2);
  }
  return p;
}

static void fail(const char* what, char* msg) {
  fprintf(stderr, "%s failed: %s\n", what, msg ? msg : "(no message)");
  exit(1);
}

static void print_vec(const char* label, const double* x, int n) {
  printf("%s", label);
  for (int i = 0; i < n; i++) printf(" %.17g", x[i]);
  printf("\n");
}

/* Threads evaluate every point at once on one model; each must get the
 * value a lone call got. */
struct work {
  bs_model* m;
  const double* pts;
  const double* lps;
  int n, d, bad;
};

static void* evaluate_all(void* arg) {
  struct work* w = arg;
  double* grad = malloc(sizeof(double) * (w->d ? w->d : 1));
  for (int rep = 0; rep < 20; rep++) {
    for (int k = 0; k < w->n; k++) {
      double lp;
      char* err = NULL;
      if (log_density_gradient(w->m, true, true, w->pts + k * w->d, &lp, grad,
                               &err) != 0 ||
          lp != w->lps[k]) {
        w->bad++;
        if (err) free_error_msg(err);
      }
    }
  }
  free(grad);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: client LIB DATA POINTS\n");
    return 2;
  }
  lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 2;
  }
  model_construct = sym("bs_model_construct");
  model_destruct = sym("bs_model_destruct");
  free_error_msg = sym("bs_free_error_msg");
  name = sym("bs_name");
  model_info = sym("bs_model_info");
  param_names = sym("bs_param_names");
  param_unc_names = sym("bs_param_unc_names");
  param_num = sym("bs_param_num");
  param_unc_num = sym("bs_param_unc_num");
  param_constrain = sym("bs_param_constrain");
  param_unconstrain = sym("bs_param_unconstrain");
  log_density = sym("bs_log_density");
  log_density_gradient = sym("bs_log_density_gradient");
  log_density_hessian = sym("bs_log_density_hessian");
  rng_construct = sym("bs_rng_construct");
  rng_destruct = sym("bs_rng_destruct");
  printf("version %d.%d.%d\n", *(const int*)sym("bs_major_version"),
         *(const int*)sym("bs_minor_version"),
         *(const int*)sym("bs_patch_version"));

  char* err = NULL;
  bs_model* bad = model_construct("{\"J\": \"eight\"}", 1, &err);
  if (bad || !err) {
    fprintf(stderr, "bad data were accepted\n");
    return 1;
  }
  printf("null_model %d %d\n", name(NULL) == NULL, param_unc_num(NULL));
  printf("construct_error %s\n", strtok(err, "\n"));
  free_error_msg(err);
  err = NULL;

  bs_model* m = model_construct(argv[2], 1234, &err);
  if (!m) fail("bs_model_construct", err);
  int d = param_unc_num(m);
  printf("name %s\n", name(m));
  printf("dim %d\n", d);
  printf("unc_names %s\n", param_unc_names(m));
  printf("names %s\n", param_names(m, true, true));
  printf("num %d %d\n", param_num(m, false, false), param_num(m, true, true));
  printf("info_lines %d\n", model_info(m)[0] != 0);

  /* Failures come back as -1 and a message, never as a crash: a NULL
   * point, and a point where the density is NaN. */
  double lp0;
  if (log_density(m, true, true, NULL, &lp0, &err) != -1 || !err) {
    fprintf(stderr, "a NULL point was accepted\n");
    return 1;
  }
  printf("null_error %s\n", strtok(err, "\n"));
  free_error_msg(err);
  err = NULL;
  double* nan_point = malloc(sizeof(double) * (d ? d : 1));
  for (int i = 0; i < d; i++) nan_point[i] = 0.0 / 0.0;
  if (log_density(m, true, true, nan_point, &lp0, &err) != -1 || !err) {
    fprintf(stderr, "a NaN point was accepted\n");
    return 1;
  }
  printf("nan_error %s\n", strtok(err, "\n"));
  free_error_msg(err);
  err = NULL;
  free(nan_point);

  FILE* f = fopen(argv[3], "r");
  int n, dd;
  if (!f || fscanf(f, "%d %d", &n, &dd) != 2 || dd != d) {
    fprintf(stderr, "bad points file\n");
    return 2;
  }
  double* pts = malloc(sizeof(double) * n * d);
  double* lps = malloc(sizeof(double) * n);
  for (int i = 0; i < n * d; i++)
    if (fscanf(f, "%lf", &pts[i]) != 1) return 2;
  fclose(f);

  double* grad = malloc(sizeof(double) * d);
  double* hess = malloc(sizeof(double) * d * d);
  int nc = param_num(m, true, true);
  double* cons = malloc(sizeof(double) * nc);
  double* back = malloc(sizeof(double) * d);
  bs_rng* rng = rng_construct(7, &err);
  if (!rng) fail("bs_rng_construct", err);
  for (int k = 0; k < n; k++) {
    const double* x = pts + k * d;
    double lp, lpfull, lponly;
    if (log_density_gradient(m, true, true, x, &lp, grad, &err) != 0)
      fail("bs_log_density_gradient", err);
    lps[k] = lp;
    printf("point %d\n", k);
    printf("lp %.17g\n", lp);
    print_vec("grad", grad, d);
    if (log_density(m, false, true, x, &lpfull, &err) != 0)
      fail("bs_log_density", err);
    printf("lp_full %.17g\n", lpfull);
    if (log_density(m, true, false, x, &lponly, &err) != 0)
      fail("bs_log_density", err);
    printf("lp_nojac %.17g\n", lponly);
    if (param_constrain(m, true, true, x, cons, rng, &err) != 0)
      fail("bs_param_constrain", err);
    print_vec("constrained", cons, nc);
    if (param_unconstrain(m, cons, back, &err) != 0)
      fail("bs_param_unconstrain", err);
    print_vec("unconstrained", back, d);
    if (k == 0) {
      if (log_density_hessian(m, true, true, x, &lp, grad, hess, &err) != 0)
        fail("bs_log_density_hessian", err);
      print_vec("hessian", hess, d * d);
    }
  }

  struct work w[4];
  pthread_t th[4];
  for (int i = 0; i < 4; i++) {
    w[i] = (struct work){m, pts, lps, n, d, 0};
    pthread_create(&th[i], NULL, evaluate_all, &w[i]);
  }
  int bad_calls = 0;
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    bad_calls += w[i].bad;
  }
  printf("threads_bad %d\n", bad_calls);

  rng_destruct(rng);
  model_destruct(m);
  free(pts);
  free(lps);
  free(grad);
  free(hess);
  free(cons);
  free(back);
  return 0;
}
