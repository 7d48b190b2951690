# Builds compile/testdata/standiff/stan221.jsonl: the values and gradients
# real Stan (rstan 2.21) computes for the calls that gostan's
# TestWriteStanDiffPieces writes. See README.md beside this file.
#   Rscript standiff.R check PIECES.jsonl PARSED.jsonl
#   Rscript standiff.R build PARSED.jsonl OUT.jsonl [BATCH]
# Two processes: after a program it rejects, rstan's stanc leaves R's
# output sink broken, and stan_model then fails.
#   Rscript standiff.R points PROGRAM.stan OUT.json
# (the log density, gradient and constrained values of a whole program at
# three random unconstrained points: compile/testdata/standiff/*.json)
suppressMessages({library(rstan); library(jsonlite)})
a <- commandArgs(trailingOnly = TRUE)
if (a[1] == "points") {
  fit <- sampling(stan_model(a[2]), chains = 0)
  n <- get_num_upars(fit)
  set.seed(2021)
  pts <- lapply(1:3, function(i) {
    u <- round(runif(n, -1.5, 1.5), 6)
    r <- log_prob(fit, u, adjust_transform = TRUE, gradient = TRUE)
    # The constrained values in Stan's output order (R's arrays are
    # column-major, as CmdStan's columns are).
    list(x = u, lp = as.numeric(r), grad = attr(r, "gradient"),
         constrained = unlist(lapply(constrain_pars(fit, u), as.vector), use.names = FALSE))
  })
  writeLines(toJSON(pts, auto_unbox = TRUE, digits = NA), a[3])
  quit(save = "no")
}
lines <- readLines(a[2])
pieces <- lapply(lines, fromJSON, simplifyVector = FALSE)
out <- a[3]
batch <- if (length(a) >= 4) as.integer(a[4]) else 150L

if (a[1] == "check") {
  # Stan 2.21's parser (stanc2, no C++ build) on each call alone.
  alone <- function(p) sprintf(
    "data {\n%s}\nparameters {\n%s}\ntransformed parameters {\n  real v;\n  {\n    real s = 0;\n    int k = 0;\n    %s    v = s;\n  }\n}\nmodel {\n  target += v;\n}\n",
    p$old_data, p$old_pars, p$old_body)
  ok <- vapply(pieces, function(p) {
    tryCatch(suppressMessages({stanc(model_code = alone(p), verbose = FALSE); TRUE}), error = function(e) FALSE)
  }, logical(1))
  writeLines(lines[ok], out)
  cat(sum(ok), "of", length(pieces), "calls parse in Stan 2.21\n")
  quit(save = "no")
}

rename <- function(s, i) gsub("\\ba([0-9]+)\\b", sprintf("p%d_a\\1", i), s, perl = TRUE)

# Many calls in one model, each behind a data flag, so that one build
# serves them all: the log density is the value of the one call switched on.
merged <- function(ps) {
  n <- length(ps)
  dat <- c("  int<lower=0, upper=1> use_flag[", n, "];\n")
  par <- character(0); tp <- sprintf("  vector[%d] v_val = rep_vector(0, %d);\n", n, n)
  for (i in seq_len(n)) {
    p <- ps[[i]]
    dat <- c(dat, rename(p$old_data, i)); par <- c(par, rename(p$old_pars, i))
    tp <- c(tp, sprintf("  if (use_flag[%d]) {\n    real s = 0;\n    int k = 0;\n    %s    v_val[%d] = s;\n  }\n", i, rename(p$old_body, i), i))
  }
  paste0("data {\n", paste(dat, collapse = ""), "}\nparameters {\n", paste(par, collapse = ""),
         "}\ntransformed parameters {\n", paste(tp, collapse = ""), "}\nmodel {\n  target += sum(v_val);\n}\n")
}
mergedData <- function(ps) {
  d <- list(use_flag = rep(0L, length(ps)))
  for (i in seq_along(ps)) {
    pd <- fromJSON(toJSON(ps[[i]]$data, auto_unbox = TRUE), simplifyVector = TRUE)
    for (nm in names(pd)) d[[sprintf("p%d_%s", i, nm)]] <- pd[[nm]]
  }
  d
}

# g++ -fsyntax-only on a model's C++ with rstan's flags: Stan 2.21's parser
# accepts some calls its math library has no overload for (add(real,
# real), ...). Returns the Stan lines of the statements that fail.
inc <- function(pkg, sub = "include") file.path(system.file(package = pkg), sub)
cxx <- c("-std=gnu++14", "-fsyntax-only", paste0("-I", R.home("include")), "-DNDEBUG",
         paste0("-I", inc("Rcpp")), paste0("-I", inc("RcppEigen")), paste0("-I", inc("RcppEigen", "include/unsupported")),
         paste0("-I", inc("BH")), paste0("-I", inc("StanHeaders", "include/src")), paste0("-I", inc("StanHeaders")),
         paste0("-I", inc("RcppParallel")), paste0("-I", inc("rstan")), "-DEIGEN_NO_DEBUG", "-DBOOST_DISABLE_ASSERTS",
         "-DBOOST_PENDING_INTEGER_LOG2_HPP", "-DSTAN_THREADS", "-DBOOST_NO_AUTO_PTR",
         "-include", file.path(inc("StanHeaders"), "stan/math/prim/mat/fun/Eigen.hpp"), "-D_REENTRANT")
failingLines <- function(code) {
  cpp <- tempfile(fileext = ".cpp")
  writeLines(stanc(model_code = code, verbose = FALSE)$cppcode, cpp)
  msg <- suppressWarnings(system2("g++", c(cxx, cpp), stdout = TRUE, stderr = TRUE))
  src <- readLines(cpp); unlink(cpp)
  # The model's own lines: where an error is, or where the call that
  # instantiates a failing template is ("required from here"); not the
  # other steps of an instantiation chain, which point at the model
  # class's wrappers.
  hit <- grep(paste0(basename(cpp), ":[0-9]+:[0-9]+: (error:|  required from here)"), msg, value = TRUE)
  at <- as.integer(unique(sub(paste0(".*", basename(cpp), ":([0-9]+):.*"), "\\1", hit)))
  marks <- grep("current_statement_begin__ = [0-9]+;", src)
  stanLine <- function(l) {
    m <- marks[marks <= l]
    if (length(m) == 0) return(NA_integer_)
    as.integer(sub(".*current_statement_begin__ = ([0-9]+);.*", "\\1", src[max(m)]))
  }
  l <- unique(vapply(at, stanLine, integer(1)))
  l[!is.na(l)]
}
# The piece whose lines of merged(ps) hold line l.
pieceOfLine <- function(ps, l) {
  code <- strsplit(merged(ps), "\n")[[1]]
  tag <- regmatches(code[l], regexpr("p[0-9]+_a|use_flag\\[[0-9]+\\]|v_val\\[[0-9]+\\]", code[l]))
  if (length(tag) == 0) {
    # Inside an if block: the nearest use_flag[i] above.
    up <- grep("use_flag\\[[0-9]+\\]", code[1:l], value = TRUE)
    if (length(up) == 0) return(NA_integer_)
    tag <- regmatches(up[length(up)], regexpr("use_flag\\[[0-9]+\\]", up[length(up)]))
  }
  as.integer(gsub("[^0-9]", "", sub("_a$", "", tag)))
}

cat("", file = out)
# A queue of batches: one that does not build (a link error the syntax
# check cannot see) is split in two and tried again.
queue <- split(pieces, ceiling(seq_along(pieces) / batch))
b <- 0
while (length(queue) > 0) {
  ps <- queue[[1]]; queue <- queue[-1]; b <- b + 1
  t0 <- Sys.time()
  repeat {
    bad <- failingLines(merged(ps))
    if (length(bad) == 0) break
    drop <- unique(na.omit(vapply(bad, function(l) pieceOfLine(ps, l), integer(1))))
    if (length(drop) == 0) { cat("batch", b, ": C++ errors at lines", bad, "of no call\n"); break }
    cat("batch", b, ": dropping", length(drop), "calls Stan 2.21's C++ lacks:",
        paste(unique(vapply(ps[drop], function(p) p$name, "")), collapse = " "), "\n")
    ps <- ps[-drop]
  }
  code <- merged(ps)
  sm <- tryCatch(stan_model(model_code = code, model_name = sprintf("standiff%d", b)),
                 error = function(e) { message(conditionMessage(e)); NULL })
  if (is.null(sm)) {
    if (length(ps) == 1) {
      cat("batch", b, ":", ps[[1]]$name, ps[[1]]$sig, "does not build\n")
    } else {
      cat("batch", b, "does not build: split in two\n")
      h <- length(ps) %/% 2
      queue <- c(list(ps[1:h], ps[(h + 1):length(ps)]), queue)
    }
    next
  }
  cat("batch", b, ":", length(ps), "calls built in", format(Sys.time() - t0), "\n")
  d <- mergedData(ps)
  dims <- vapply(ps, function(p) length(p$points[[1]]), integer(1))
  off <- cumsum(c(0L, dims))
  kept <- 0
  # Each call in a forked child: Stan 2.21 crashes on a few of them.
  evalPiece <- function(i) {
    d$use_flag[] <- 0L; d$use_flag[i] <- 1L
    fit <- tryCatch(suppressMessages(sampling(sm, data = d, chains = 0)), error = function(e) NULL)
    if (is.null(fit)) return(list())
    res <- list()
    for (x in ps[[i]]$points) {
      u <- numeric(off[length(off)])
      u[(off[i] + 1):off[i + 1]] <- unlist(x)
      r <- tryCatch(log_prob(fit, u, adjust_transform = TRUE, gradient = TRUE), error = function(e) NULL)
      if (is.null(r) || !is.finite(r)) next
      res[[length(res) + 1]] <- list(name = ps[[i]]$name, sig = ps[[i]]$sig, src = ps[[i]]$src, x = I(unlist(x)),
                                     lp = as.numeric(r), grad = I(attr(r, "gradient")[(off[i] + 1):off[i + 1]]))
    }
    res
  }
  for (i in seq_along(ps)) {
    res <- parallel::mccollect(parallel::mcparallel(evalPiece(i)))[[1]]
    if (!is.list(res)) { cat("  ", ps[[i]]$name, ps[[i]]$sig, "crashes Stan 2.21\n"); next }
    for (r in res) {
      cat(toJSON(r, auto_unbox = TRUE, digits = NA), "\n", file = out, append = TRUE, sep = "")
      kept <- kept + 1
    }
  }
  cat("batch", b, ":", kept, "points\n")
}
