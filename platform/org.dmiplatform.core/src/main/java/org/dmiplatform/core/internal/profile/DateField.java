package org.dmiplatform.core.internal.profile;

import java.time.ZoneId;
import java.util.List;

/** A date field of a profile: its columns, its formats tried in order, and a zone when not the site's. */
record DateField(Columns columns, List<DatePattern> formats, ZoneId zone) {

    String formatList() {
        return String.join(" or ", formats.stream().map(f -> f.pattern).toList());
    }
}
