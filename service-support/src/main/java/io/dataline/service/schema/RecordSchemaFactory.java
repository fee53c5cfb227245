package io.dataline.service.schema;

import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.resource.AllowSchemaLoader;

/**
 * How every Dataline service compiles a dataset's record schema (JSON Schema 2020-12): the factory loads nothing but
 * its bundled meta-schemas (no file, no URL, no other classpath resource, whatever a {@code $ref} says), formats are
 * asserted, and every regular expression runs in linear time ({@link LinearRegex}).
 */
public final class RecordSchemaFactory {

    /** Validation settings: JSON pointers in messages, format assertions on, linear-time regular expressions. */
    public static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(true)
            .regularExpressionFactory(LinearRegex.FACTORY)
            .build();

    /** The 2020-12 factory, restricted to its bundled meta-schemas. */
    public static final JsonSchemaFactory FACTORY = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
            .schemaLoaders(loaders -> loaders.add(new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:draft/"))))
            .build();

    private RecordSchemaFactory() {
    }
}
