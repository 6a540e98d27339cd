package org.dmiplatform.core.internal.site;

import static org.junit.Assert.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Test;

public class CfgFileTest {

    @Test
    public void renderedPropertiesReadBackUnchanged() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("name", "Bayamón, Puerto Rico");
        properties.put("path", "C:\\exports\\rms");
        properties.put("note", "#1 = first: yes");
        properties.put("empty", "");
        CfgFile read = CfgFile.parse("x", CfgFile.render("header", properties));
        assertEquals(properties, read.asMap());
    }

    @Test
    public void ignoresAByteOrderMarkAndComments() {
        CfgFile read = CfgFile.parse("x", "\uFEFF# c\n! c\n\nname: Denver\r\n");
        assertEquals(Map.of("name", "Denver"), read.asMap());
        assertEquals(4, read.line("name"));
    }
}
