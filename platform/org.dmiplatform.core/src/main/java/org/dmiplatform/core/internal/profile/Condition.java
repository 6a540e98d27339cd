package org.dmiplatform.core.internal.profile;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.dmiplatform.api.records.SourceRow;

/** A test on a row, for the profile's filters and category rules. Bound to an input like {@link Columns}. */
interface Condition {

    boolean test(SourceRow row);

    /** A condition before binding: what it reads and how it tests. */
    interface Spec {
        Condition bind(Binder binder);

        /** Every column the condition reads, for binding and messages. */
        List<Columns> reads();
    }

    @FunctionalInterface
    interface Binder {
        Columns.Bound bind(Columns columns);
    }

    enum Test {
        EQUALS,
        STARTS_WITH,
        MATCHES,
        BLANK
    }

    /** One column (or joined columns) tested against values. */
    record Leaf(Columns columns, Test test, List<String> values, boolean ignoreCase) implements Spec {
        @Override
        public Condition bind(Binder binder) {
            Columns.Bound bound = binder.bind(columns);
            return switch (test) {
                case BLANK -> row -> bound.text(row).isEmpty();
                case EQUALS -> {
                    if (ignoreCase) {
                        Set<String> set = Set.copyOf(values.stream()
                                .map(v -> v.toLowerCase(Locale.ROOT))
                                .toList());
                        yield row -> set.contains(bound.text(row).toLowerCase(Locale.ROOT));
                    }
                    if (values.size() == 1) {
                        String only = values.get(0);
                        yield row -> only.equals(bound.text(row));
                    }
                    Set<String> set = Set.copyOf(values);
                    yield row -> set.contains(bound.text(row));
                }
                case STARTS_WITH -> row -> {
                    String text = bound.text(row);
                    for (String prefix : values) {
                        if (text.regionMatches(ignoreCase, 0, prefix, 0, prefix.length())) {
                            return true;
                        }
                    }
                    return false;
                };
                case MATCHES -> {
                    Pattern pattern = Pattern.compile(values.get(0), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
                    yield row -> pattern.matcher(bound.text(row)).matches();
                }
            };
        }

        @Override
        public List<Columns> reads() {
            return List.of(columns);
        }
    }

    record All(List<Spec> parts) implements Spec {
        @Override
        public Condition bind(Binder binder) {
            Condition[] bound = parts.stream().map(p -> p.bind(binder)).toArray(Condition[]::new);
            return row -> {
                for (Condition c : bound) {
                    if (!c.test(row)) {
                        return false;
                    }
                }
                return true;
            };
        }

        @Override
        public List<Columns> reads() {
            return parts.stream().flatMap(p -> p.reads().stream()).toList();
        }
    }

    record Any(List<Spec> parts) implements Spec {
        @Override
        public Condition bind(Binder binder) {
            Condition[] bound = parts.stream().map(p -> p.bind(binder)).toArray(Condition[]::new);
            return row -> {
                for (Condition c : bound) {
                    if (c.test(row)) {
                        return true;
                    }
                }
                return false;
            };
        }

        @Override
        public List<Columns> reads() {
            return parts.stream().flatMap(p -> p.reads().stream()).toList();
        }
    }

    record Not(Spec part) implements Spec {
        @Override
        public Condition bind(Binder binder) {
            Condition bound = part.bind(binder);
            return row -> !bound.test(row);
        }

        @Override
        public List<Columns> reads() {
            return part.reads();
        }
    }
}
