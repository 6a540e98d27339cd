package org.dmiplatform.core.internal.site;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One site: one instance per factory configuration of {@link Site#FACTORY_PID}. */
@Component(
        service = SiteComponent.class,
        configurationPid = Site.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SiteComponent.Config.class, factory = true)
public class SiteComponent {
    private static final Logger LOG = LoggerFactory.getLogger(SiteComponent.class);

    @ObjectClassDefinition(name = "DMI site", description = "A city or county running the Drug Market Intervention")
    public @interface Config {
        @AttributeDefinition(description = "Short lower-case id used in URLs, e.g. chicago")
        String id();

        String name();

        String jurisdiction() default "";

        @AttributeDefinition(description = "Time zone of the site's records, e.g. America/Chicago")
        String timeZone();

        @AttributeDefinition(description = "Comma-separated EPSG codes the site's records arrive in")
        String sourceCrs() default "";

        String cohort() default "";

        @AttributeDefinition(description = "Comma-separated Karaf features the site needs")
        String features() default "";

        @AttributeDefinition(description = "west,south,east,north: records outside are quarantined")
        String bounds() default "";
    }

    private volatile Site site;

    @Activate
    public SiteComponent(Map<String, Object> properties) {
        this.site = read(properties);
    }

    /**
     * A changed configuration is taken in place, so the site never drops out while it is re-provisioned; an
     * invalid change is refused (and logged) and the site keeps running with the settings it had.
     */
    @Modified
    void modified(Map<String, Object> properties) {
        Site changed = read(properties);
        if (!changed.id().equals(site.id())) {
            LOG.error("Site {} not changed: its configuration names another id '{}'", site.id(), changed.id());
            return;
        }
        site = changed;
    }

    private static Site read(Map<String, Object> properties) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : SiteSettings.KEYS) {
            Object value = properties.get(key);
            if (value != null) {
                settings.put(key, String.valueOf(value));
            }
        }
        String source = "configuration " + properties.getOrDefault("service.pid", Site.FACTORY_PID);
        try {
            return SiteSettings.check(settings, null, source, key -> 0);
        } catch (InvalidInputException e) {
            LOG.error("Site configuration refused: {}", e.getMessage());
            throw e;
        }
    }

    public Site site() {
        return site;
    }
}
