package org.dmiplatform.api.programme;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * One dated event of an intervention: a step or item changing status, or a programme record (a decision, a
 * letter, the call-in, a community meeting) being made. The timeline is in the order things happened.
 *
 * @param at when it happened (for an event known only to the day, the start of that day at the site)
 * @param on the day, for an event known only to the day (a meeting held, a letter mailed, a violation)
 * @param kind {@code step}, {@code item}, {@code intervention} or the kind of record
 * @param what a short description, without any person's details
 * @param recordedAt when the entry was made, which may be later than the event
 */
public record TimelineEntry(
        Instant at, Optional<LocalDate> on, String kind, String step, String what, String by, Instant recordedAt) {}
