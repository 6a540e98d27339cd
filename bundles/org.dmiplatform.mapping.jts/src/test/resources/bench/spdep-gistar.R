# The anchor of the Gi* benchmark: what an analyst runs in R. Arguments: counts file (little-endian doubles, row by
# row), rows, columns, output file for z. Prints the seconds cell2nb + nb2listw + localG took.
args <- commandArgs(TRUE)
suppressMessages(library(spdep))
nr <- as.integer(args[2])
nc <- as.integer(args[3])
x <- readBin(args[1], "double", nr * nc, endian = "little")
t <- system.time({
  nb <- cell2nb(nr, nc, type = "queen")
  lw <- nb2listw(include.self(nb), style = "B")
  z <- localG(x, lw)
})
writeBin(as.numeric(z), args[4], endian = "little")
cat(sprintf("%.6f\n", t[["elapsed"]]))
