package org.dmiplatform.api.access;

public enum AuditOutcome {
    SUCCESS,
    FAILURE,
    DENIED
}
