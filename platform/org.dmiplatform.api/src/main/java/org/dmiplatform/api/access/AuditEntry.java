package org.dmiplatform.api.access;

import java.time.Instant;

/**
 * A stored audit record. {@code hash} chains it to the record before it, so an edited or deleted row is found by
 * {@link AuditLog#verify()}.
 */
public record AuditEntry(long id, Instant at, AuditEvent event, String hash) {}
