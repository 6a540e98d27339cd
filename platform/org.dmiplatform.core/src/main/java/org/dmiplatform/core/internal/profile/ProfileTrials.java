package org.dmiplatform.core.internal.profile;

import java.io.IOException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.records.ProfileTrial;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.records.RecordsProfile;

/** A profile's dry run on a sample. */
final class ProfileTrials {
    private ProfileTrials() {}

    static ProfileTrial run(RecordsProfile profile, RecordsInput sample, Site site, int show) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }
}
