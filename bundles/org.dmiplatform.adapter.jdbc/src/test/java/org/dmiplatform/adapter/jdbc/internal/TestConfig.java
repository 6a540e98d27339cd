package org.dmiplatform.adapter.jdbc.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** An adapter configuration as DS would give it: the values set, and the annotation's defaults for the rest. */
final class TestConfig {
    private final Map<String, Object> values = new HashMap<>();

    /** @param name the attribute's method name, e.g. {@code _password} */
    TestConfig set(String name, Object value) {
        values.put(name, value);
        return this;
    }

    JdbcAdapter.Config build() {
        Map<String, Object> copy = new HashMap<>(values);
        return (JdbcAdapter.Config) Proxy.newProxyInstance(
                JdbcAdapter.Config.class.getClassLoader(),
                new Class<?>[] {JdbcAdapter.Config.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> JdbcAdapter.Config.class;
                    case "toString" -> "config";
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> copy.containsKey(method.getName())
                            ? copy.get(method.getName())
                            : method.getDefaultValue();
                });
    }
}
