package org.dmiplatform.web.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.dmiplatform.api.InputError;

/**
 * An RFC 9457 problem body. Never holds a stack trace; {@code correlationId} ties it to the server log.
 *
 * @param type always {@code about:blank}: the status says what kind of problem it is
 * @param rule the programme rule that refused a change, if one did
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String correlationId,
        String rule,
        List<InputError> errors) {
    static Problem of(
            int status,
            String title,
            String detail,
            String instance,
            String correlationId,
            String rule,
            List<InputError> errors) {
        return new Problem("about:blank", title, status, detail, instance, correlationId, rule, errors);
    }
}
