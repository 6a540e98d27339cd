package org.dmiplatform.web.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.CommunityWork;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.api.programme.Progress;
import org.dmiplatform.api.programme.Teams;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.RecordKind;

/**
 * The one JSON mapper of the platform's web layer. Strict on the way in (unknown fields, trailing tokens, deep
 * nesting and long strings are refused), plain on the way out (ISO-8601 times, roles and plug-in kinds by their
 * programme names).
 */
final class Json {
    static final int MAX_NESTING = 32;
    static final int MAX_STRING = 64 * 1024;
    static final int MAX_NUMBER = 40;

    static final ObjectMapper MAPPER = create();

    private Json() {}

    private static ObjectMapper create() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                // an id or a count of 2.7 is a mistake, not 2
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .addModule(programmeNames())
                .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_ABSENT)
                .build();
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .maxStringLength(MAX_STRING)
                        .maxNumberLength(MAX_NUMBER)
                        .build());
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper;
    }

    /**
     * Roles, plug-in kinds, the programme's enums and record kinds and categories travel in kebab case ({@code site-admin}, {@code call-in},
     * {@code not-started}); audit outcomes and the health status keep their upper-case names.
     */
    private static SimpleModule programmeNames() {
        SimpleModule module = new SimpleModule("dmi-programme-names");
        kebab(module, Role.class);
        kebab(module, PluginKind.class);
        Class<?>[] programmeEnums = {
            Progress.class,
            Market.Decision.class,
            Market.Level.class,
            Market.BankedStatus.class,
            Market.ServiceCategory.class,
            Teams.SwotKind.class,
            Teams.TeamRole.class,
            Teams.Training.class,
            CommunityWork.MeetingKind.class,
            org.dmiplatform.api.programme.Programme.AreaKind.class,
            org.dmiplatform.api.programme.Debriefs.Goal.class,
            org.dmiplatform.api.programme.Debriefs.Assessment.class,
            org.dmiplatform.api.programme.CallIns.DeadlineOutcome.class,
            RecordKind.class,
            Category.class,
            org.dmiplatform.api.programme.Materials.Kind.class,
            org.dmiplatform.api.programme.Materials.Format.class,
            org.dmiplatform.api.programme.Materials.State.class,
            org.dmiplatform.api.programme.Materials.Change.class,
            org.dmiplatform.api.AddOns.Action.class
        };
        for (Class<?> type : programmeEnums) {
            kebabUnchecked(module, type);
        }
        return module;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void kebabUnchecked(SimpleModule module, Class<?> type) {
        kebab(module, (Class) type);
    }

    static String kebab(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static <E extends Enum<E>> void kebab(SimpleModule module, Class<E> type) {
        module.addSerializer(type, serializer(Json::kebab));
        module.addKeySerializer(type, keySerializer(Json::kebab));
        module.addDeserializer(type, deserializer(type, text -> java.util.Arrays.stream(type.getEnumConstants())
                .filter(e -> kebab(e).equals(text))
                .findFirst()));
    }

    private static <T> JsonSerializer<T> serializer(Function<T, String> name) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(name.apply(value));
            }
        };
    }

    private static <T> JsonSerializer<T> keySerializer(Function<T, String> name) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeFieldName(name.apply(value));
            }
        };
    }

    private static <T extends Enum<T>> JsonDeserializer<T> deserializer(
            Class<T> type, Function<String, Optional<T>> byName) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                String text = parser.getValueAsString();
                return byName.apply(text)
                        .orElseThrow(() -> context.weirdStringException(
                                text,
                                type,
                                "not one of "
                                        + java.util.Arrays.stream(type.getEnumConstants())
                                                .map(Json::kebab)
                                                .toList()));
            }
        };
    }
}
