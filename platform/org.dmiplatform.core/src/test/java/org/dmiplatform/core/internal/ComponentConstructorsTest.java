package org.dmiplatform.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * Declarative Services picks a component's constructor by its number of arguments only ({@code init="N"} in the
 * descriptor bnd writes). A second public constructor with as many arguments (a test's, say) may be taken instead of
 * the one marked {@code @Activate}, and the component never activates: each component has exactly one.
 */
public class ComponentConstructorsTest {
    private static final Pattern IMPLEMENTATION = Pattern.compile("<implementation class=\"([^\"]+)\"");
    private static final Pattern INIT = Pattern.compile("init=\"(\\d+)\"");

    @Test
    public void everyComponentHasOnePublicConstructorWithTheArgumentsItsDescriptorNames() throws Exception {
        Path descriptors = Paths.get(ComponentConstructorsTest.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolveSibling("classes")
                .resolve("OSGI-INF");
        assertTrue("bnd wrote the component descriptors to " + descriptors, Files.isDirectory(descriptors));
        List<String> checked = new ArrayList<>();
        try (Stream<Path> files = Files.list(descriptors)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".xml")).toList()) {
                String xml = Files.readString(file);
                Matcher init = INIT.matcher(xml.substring(0, xml.indexOf('>', xml.indexOf("<scr:component"))));
                if (!init.find()) {
                    continue; // activated through its no-argument constructor
                }
                Matcher implementation = IMPLEMENTATION.matcher(xml);
                assertTrue(file.toString(), implementation.find());
                int arguments = Integer.parseInt(init.group(1));
                Class<?> type = Class.forName(implementation.group(1));
                long same = Stream.of(type.getConstructors())
                        .filter(c -> Modifier.isPublic(c.getModifiers()))
                        .mapToInt(Constructor::getParameterCount)
                        .filter(n -> n == arguments)
                        .count();
                assertEquals(type.getName() + ": public constructors with " + arguments + " arguments", 1, same);
                checked.add(type.getSimpleName());
            }
        }
        assertTrue("components with constructor injection were found: " + checked, checked.size() >= 10);
    }
}
