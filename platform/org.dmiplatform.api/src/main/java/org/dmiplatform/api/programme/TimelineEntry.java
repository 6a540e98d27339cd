package org.dmiplatform.api.programme;

import java.time.Instant;

/**
 * One dated event of an intervention: a step or item changing status, or a programme record (a decision, a
 * letter, the call-in, a community meeting) being made.
 *
 * @param kind {@code step}, {@code item}, {@code intervention} or the kind of record
 * @param what a short description, without any person's details
 */
public record TimelineEntry(Instant at, String kind, String step, String what, String by) {}
