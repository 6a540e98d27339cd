package org.dmiplatform.core.internal.profile;

import java.util.List;
import org.dmiplatform.api.records.CodeLists;
import org.dmiplatform.api.records.RecordsProfiles;

/** Drafts a code table from a department's codes: categories from NIBRS codes, else from words, else other. */
final class CodeTableDraft {
    /** One code as found: in a sample export's code column, or a row of the department's code list. */
    record Code(String code, String text, String nibrs, long rows) {}

    private CodeTableDraft() {}

    static RecordsProfiles.CodeTableDraft draft(List<Code> codes) {
        throw new UnsupportedOperationException("not yet");
    }

    static RecordsProfiles.CodeTableDraft draft(CodeLists.CodeList list, String code, String text, String nibrs) {
        throw new UnsupportedOperationException("not yet");
    }
}
