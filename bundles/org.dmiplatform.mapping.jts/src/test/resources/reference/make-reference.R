# Reference data for Getis-Ord Gi* (self included) on a regular grid, computed with spdep.
# Run from this folder:  Rscript make-reference.R
# Writes gistar-grid.csv (row,col,count,z_queen,z_rook).
#
# Cell numbering (spdep >= 1.1-x, cell2nb(..., legacy = FALSE), the default):
#   cell2nb(NROW, NCOL) numbers the cells ROW-MAJOR: the 1-based vector index is
#     i = (r - 1) * NCOL + c      (r = 1..NROW, c = 1..NCOL)
#   i.e. the column index runs fastest; region.id is "c:r".
#   In the CSV, row = r - 1 and col = c - 1 (0-based), lines in the order i = 1..n.
suppressPackageStartupMessages(library(spdep))

cat("R:", R.version.string, "\n")
cat("spdep:", as.character(packageVersion("spdep")), "\n")

set.seed(20261130)
NROW <- 24L
NCOL <- 31L
n <- NROW * NCOL

# cell order of spdep's cell2nb: row-major, 0-based row/col
row <- rep(0:(NROW - 1L), each = NCOL)
col <- rep(0:(NCOL - 1L), times = NROW)

# background: Poisson(0.6); hot spots: Poisson with a mean decaying (Gaussian) from centres
centres <- data.frame(r = c(5, 16, 19), c = c(7, 22, 4),
                      peak = c(7.0, 4.5, 3.0), sd = c(1.8, 2.8, 1.3))
lambda <- rep(0.6, n)
for (k in seq_len(nrow(centres))) {
  d2 <- (row - centres$r[k])^2 + (col - centres$c[k])^2
  lambda <- lambda + centres$peak[k] * exp(-d2 / (2 * centres$sd[k]^2))
}
count <- rpois(n, lambda)

# sanity check of the numbering: the rook neighbours of 1-based cell i must be
# i-1, i+1 (same row) and i-NCOL, i+NCOL (adjacent rows), never across a row end
nb_rook <- cell2nb(NROW, NCOL, type = "rook")
nb_queen <- cell2nb(NROW, NCOL, type = "queen")
stopifnot(identical(attr(nb_rook, "region.id")[1:2], c("1:1", "2:1")))
stopifnot(identical(as.integer(nb_rook[[1]]), c(2L, NCOL + 1L)))
stopifnot(identical(as.integer(nb_rook[[NCOL]]), c(NCOL - 1L, 2L * NCOL)))
for (i in 1:n) {
  rr <- row[i]; cc <- col[i]
  q <- which(abs(row - rr) <= 1 & abs(col - cc) <= 1 & seq_len(n) != i)
  r4 <- which(abs(row - rr) + abs(col - cc) == 1)
  stopifnot(identical(as.integer(nb_queen[[i]]), as.integer(q)))
  stopifnot(identical(as.integer(nb_rook[[i]]), as.integer(r4)))
}

x <- as.numeric(count)
gstar <- function(nb) {
  lw <- nb2listw(include.self(nb), style = "B")
  as.numeric(localG(x, lw))
}
z_queen <- gstar(nb_queen)
z_rook <- gstar(nb_rook)

# independent re-computation of the formula documented in README.md
manual <- function(nb) {
  xbar <- mean(x)
  s2 <- sum((x - xbar)^2) / n
  sapply(seq_len(n), function(i) {
    j <- c(i, nb[[i]])
    W <- length(j); S1 <- length(j)
    (sum(x[j]) - W * xbar) / sqrt(s2 * (n * S1 - W^2) / (n - 1))
  })
}
stopifnot(max(abs(manual(nb_queen) - z_queen)) < 1e-12)
stopifnot(max(abs(manual(nb_rook) - z_rook)) < 1e-12)

f17 <- function(v) sprintf("%.17g", v)
out <- data.frame(row = row, col = col, count = count,
                  z_queen = f17(z_queen), z_rook = f17(z_rook))
write.table(out, "gistar-grid.csv", sep = ",", quote = FALSE, row.names = FALSE,
            col.names = TRUE, eol = "\n")

cat("n =", n, " sum =", sum(x), " mean =", mean(x), " zeros =", sum(x == 0),
    " max =", max(x), "\n")
cat("z_queen range:", range(z_queen), " #>1.96:", sum(z_queen > 1.96),
    " #>3:", sum(z_queen > 3), "\n")
cat("z_rook  range:", range(z_rook), " #>1.96:", sum(z_rook > 1.96),
    " #>3:", sum(z_rook > 3), "\n")
