package org.dmiplatform.core.internal.profile;

import java.io.IOException;
import java.io.InputStream;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.records.ProfileDraft;

/** Drafts a records profile from a sample export. */
final class ProfileAssistant {
    private ProfileAssistant() {}

    static ProfileDraft draft(String fileName, InputStream sample, Site site) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }
}
