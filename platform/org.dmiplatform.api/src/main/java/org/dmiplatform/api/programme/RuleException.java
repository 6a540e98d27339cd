package org.dmiplatform.api.programme;

/**
 * A change the programme's rules forbid (a call-in before letters, a decision without criteria, an illegal
 * banked-case transition). Nothing was changed; the message names the rule and says what to do.
 */
public class RuleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String rule;

    public RuleException(String rule, String message) {
        super(message);
        this.rule = rule;
    }

    /** The rule's id, e.g. {@code call-in-after-letters-and-services}. */
    public String rule() {
        return rule;
    }
}
