package org.dmiplatform.directory.hsds.internal;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Clock;
import org.dmiplatform.api.directory.ServiceDirectory;

/** The HSDS directory of a site, for the local directory's tests: what the local directory exports must read back. */
public final class HsdsReading {
    private HsdsReading() {}

    public static ServiceDirectory directory(Path data, Clock clock, String site) {
        HsdsDirectory hsds = new HsdsDirectory(data, clock);
        hsds.modified(new HsdsDirectory.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HsdsDirectory.Config.class;
            }

            @Override
            public String dmi_site() {
                return site;
            }

            @Override
            public String categories() {
                return "";
            }
        });
        return hsds;
    }
}
