# The reference figures of the outcome report's tests, computed by R (stats::glm) and plain arithmetic, independently
# of the Java code; outcome-reference.out is what R 4.2.2 printed. Rerun: Rscript outcome-reference.R
# Reference for the segmented (interrupted time series) quasi-Poisson regression of the outcome report.
# R's own glm().
# glm stops when the deviance changes by less than 1e-8 (relative): too early for figures compared to 1e-9
tight <- glm.control(epsilon = 1e-15, maxit = 200)
y <- c(41, 38, 45, 52, 49, 56, 60, 55, 47, 44, 39, 43,
       46, 40, 50, 58, 51, 63, 59, 61, 49, 41, 44, 38,
       30, 27, 33, 35, 29, 38, 34, 31, 26, 22, 25, 21)
n <- length(y)
t <- 1:n
post <- as.numeric(t > 24)
tsince <- ifelse(t > 24, t - 24, 0)
month <- ((t - 1) %% 12) + 1          # calendar month of each observation, January first
s <- sin(2 * pi * month / 12)
k <- cos(2 * pi * month / 12)
fit <- glm(y ~ t + post + tsince + s + k, family = quasipoisson, control = tight)
options(digits = 17)
print(coef(summary(fit)))
print(summary(fit)$dispersion)
print(confint.default(fit))
# Poisson fit without seasonality, for the short-series case
fit2 <- glm(y ~ t + post + tsince, family = quasipoisson, control = tight)
print(coef(summary(fit2)))
print(summary(fit2)$dispersion)
# The difference-in-differences ratio as a Poisson regression with an interaction: exp(coef) and its Wald interval
counts <- c(207, 110, 308, 318)       # target pre, post; comparison pre, post (Wheeler and Ratcliffe 2018)
area <- factor(c("t", "t", "c", "c"), levels = c("c", "t"))
after <- c(0, 1, 0, 1)
did <- glm(counts ~ area * after, family = poisson, control = glm.control(epsilon = 1e-12, maxit = 200))
print(coef(summary(did)))
print(exp(coef(did)["areat:after"]))
print(exp(confint.default(did)["areat:after", ]))
# The seasonal series is underdispersed (dispersion below 1): the report keeps Poisson's standard errors then
fitp <- glm(y ~ t + post + tsince + s + k, family = poisson, control = tight)
print(coef(summary(fitp)))
print(confint.default(fitp))
print(confint.default(fit2))
# Bowers and Johnson's weighted displacement quotient on the counts of Wheeler and Ratcliffe's example
# (target R, buffer B, comparison C; before b, after a)
Rb <- 207; Ra <- 110; Bb <- 178; Ba <- 157; Cb <- 308; Ca <- 318
success <- Ra / Ca - Rb / Cb
buffer_change <- Ba / Ca - Bb / Cb
print(c(success = success, buffer_change = buffer_change, wdq = buffer_change / success))
# The market watch: the upper tail P(X >= x) of a week's count under the level after the call-in
print(ppois(c(2, 5, 9, 14) - 1, lambda = 2.375, lower.tail = FALSE))
print(ppois(c(1, 2, 3) - 1, lambda = 0.25, lower.tail = FALSE))
