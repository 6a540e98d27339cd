package org.dmiplatform.core.internal.site;

import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.dmiplatform.api.Site;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The plug-in configurations a site may hold: the factory PIDs of the bundles its features bring, each with the
 * settings its metatype declares. A configuration sent over the API for any other factory (a data source, another
 * feature's plug-in) is refused, and so is a setting its plug-in does not declare.
 */
public final class PluginSettings {
    private PluginSettings() {}

    /**
     * Factory PID to its declared settings; an empty set where the bundle declares its PID (as its symbolic name) but
     * no metatype, so any setting is taken.
     */
    public static Map<String, Set<String>> of(Site site, FeaturesService features, BundleContext context)
            throws Exception {
        Set<String> locations = new HashSet<>();
        // every version the platform has (Karaf's getFeatures(name) answers the highest alone; the installed one may
        // be another)
        Set<String> names = Set.copyOf(site.features());
        for (Feature feature : features.listFeatures()) {
            if (names.contains(feature.getName())) {
                for (BundleInfo bundle : feature.getBundles()) {
                    locations.add(bundle.getLocation().strip());
                }
            }
        }
        Map<String, Set<String>> out = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            if (!locations.contains(bundle.getLocation())) {
                continue;
            }
            if (bundle.getSymbolicName() != null) {
                out.putIfAbsent(bundle.getSymbolicName(), Set.of());
            }
            Enumeration<URL> entries = bundle.findEntries("OSGI-INF/metatype", "*.xml", false);
            while (entries != null && entries.hasMoreElements()) {
                read(entries.nextElement(), out);
            }
        }
        return out;
    }

    /** A metatype document: each Designate's factory PID with the attribute ids of the OCD it names. */
    private static void read(URL url, Map<String, Set<String>> out) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setNamespaceAware(false);
        Document doc;
        try (InputStream in = url.openStream()) {
            doc = factory.newDocumentBuilder().parse(in);
        }
        Map<String, Set<String>> ocds = new HashMap<>();
        NodeList ocdNodes = doc.getElementsByTagName("OCD");
        for (int i = 0; i < ocdNodes.getLength(); i++) {
            Element ocd = (Element) ocdNodes.item(i);
            Set<String> ids = new HashSet<>();
            NodeList ads = ocd.getElementsByTagName("AD");
            for (int j = 0; j < ads.getLength(); j++) {
                ids.add(((Element) ads.item(j)).getAttribute("id"));
            }
            ocds.put(ocd.getAttribute("id"), ids);
        }
        NodeList designates = doc.getElementsByTagName("Designate");
        for (int i = 0; i < designates.getLength(); i++) {
            Element designate = (Element) designates.item(i);
            String pid = designate.getAttribute("factoryPid");
            NodeList objects = designate.getElementsByTagName("Object");
            if (pid.isEmpty() || objects.getLength() == 0) {
                continue;
            }
            Set<String> ids = ocds.get(((Element) objects.item(0)).getAttribute("ocdref"));
            if (ids != null) {
                out.put(pid, Set.copyOf(ids));
            }
        }
    }
}
