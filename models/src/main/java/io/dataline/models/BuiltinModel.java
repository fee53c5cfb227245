package io.dataline.models;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A trained built-in model: the spec it was trained with, its featurizer and its classifier. The artifact is a zip
 * of {@code dataline-model.json} (format, spec, featurizer state, solver, labels, and the solver's part: labels and
 * feature names by position) and the solver's model ({@code model.liblinear}, LIBLINEAR's text format; or
 * {@code model.sgd}, {@link SgdClassifier}'s weights), so it loads in any JVM with this module. Zip entries carry no
 * timestamps, and both solvers are deterministic: the same records, spec and seed give the same bytes. Still read:
 * SGD artifacts written before (Tribuo's protobuf in {@code model.tribuo}), and those without a solver in their
 * header (Tribuo SGD models from before LIBLINEAR).
 */
public final class BuiltinModel implements Predictor {

    public static final String FORMAT = "dataline-builtin/1";
    private static final String HEADER = "dataline-model.json";
    /** The artifact entries holding a solver's model. */
    private static final Set<String> ENTRIES = Set.of(LibLinearClassifier.ENTRY, SgdClassifier.ENTRY, SgdClassifier.TRIBUO_ENTRY);
    /**
     * Reads the header's doubles (the idf table) with Jackson's fast parser, the same values correctly rounded, and
     * writes them with its fast writer (Schubfach: the shortest decimal that reads back to the very double).
     */
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build());

    private final TrainingSpec spec;
    private final Featurizer featurizer;
    private final LinearClassifier classifier;

    BuiltinModel(TrainingSpec spec, Featurizer featurizer, LinearClassifier classifier) {
        this.spec = spec;
        this.featurizer = featurizer;
        this.classifier = classifier;
    }

    public TrainingSpec spec() {
        return spec;
    }

    /** The solver that trained it: {@code liblinear} or {@code sgd}. */
    public String solver() {
        return classifier.solver();
    }

    /**
     * Roughly the heap this model holds, in bytes: its weights (a double per label and feature), its feature names and
     * the text vocabulary with their map entries. For caches bounded by memory, not for accounting; an overestimate
     * rather than an under.
     */
    public long approximateHeapBytes() {
        return classifier.approximateHeapBytes() + featurizer.approximateHeapBytes();
    }

    /** The labels the model can predict, sorted. */
    public List<String> labels() {
        return classifier.labels();
    }

    @Override
    public ModelPrediction predict(JsonNode record) {
        Map<String, Double> scores = classifier.scores(featurizer.apply(record));
        String best = null;
        for (var score : scores.entrySet()) {
            if (best == null || score.getValue() > scores.get(best)) {
                best = score.getKey();
            }
        }
        return new ModelPrediction(best, scores);
    }

    /**
     * The artifact's entries are deflated at the fastest level: on the bench's tiny spec (~110 KB of header and weights)
     * it deflates in ~0.7 ms to 31.6 KB where the default level took ~3.6 ms for 29.2 KB, and a pipeline writes one
     * artifact per commit, inside its training step (BENCHMARKS.md, session 40). Readers are unchanged: any level
     * inflates alike.
     */
    static final int DEFLATE_LEVEL = java.util.zip.Deflater.BEST_SPEED;

    public void write(OutputStream out) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.put("format", FORMAT);
        header.set("spec", spec.toJson());
        header.set("featurizer", featurizer.toJson());
        header.put("solver", classifier.solver());
        var labels = header.putArray("labels");
        labels().forEach(labels::add);
        header.set(classifier.solver(), classifier.toJson());
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setLevel(DEFLATE_LEVEL);
        ByteArrayOutputStream headerBytes = new ByteArrayOutputStream(64 * 1024);
        try (JsonGenerator json = new RepeatedDoubles(JSON.getFactory().createGenerator(headerBytes))) {
            JSON.writerWithDefaultPrettyPrinter().writeValue(json, header);
        }
        entry(zip, HEADER, headerBytes.toByteArray());
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        classifier.write(model);
        entry(zip, classifier.entry(), model.toByteArray());
        zip.finish();
        zip.flush();
    }

    /**
     * A generator that turns each distinct double into its shortest decimal once per header and writes that text again
     * for the same value: the same bytes as writing each one, in a fraction of the time. A vocabulary's idf values take
     * one value per document frequency (a few dozen among thousands of terms), and turning a double into its decimal
     * was most of the time writing a header took (BENCHMARKS.md, session 43).
     */
    private static final class RepeatedDoubles extends com.fasterxml.jackson.core.util.JsonGeneratorDelegate {
        private final Map<Double, String> written = new java.util.HashMap<>();

        RepeatedDoubles(JsonGenerator generator) {
            super(generator, true);
        }

        @Override
        public void writeNumber(double value) throws IOException {
            if (!Double.isFinite(value)) {
                super.writeNumber(value);
                return;
            }
            String text = written.get(value);
            if (text == null) {
                text = com.fasterxml.jackson.core.io.NumberOutput.toString(value, true);
                written.put(value, text);
            }
            writeRawValue(text);
        }
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(0);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] entry(Map<String, byte[]> entries, String name) {
        if (!entries.containsKey(name)) {
            throw new InvalidArtifactException("not a Dataline built-in model: " + name + " is missing", null);
        }
        return entries.get(name);
    }

    /** Loads an artifact written by {@link #write}; {@link InvalidArtifactException} when it is not one. */
    public static BuiltinModel read(InputStream in) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try {
            ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8);
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().equals(HEADER) || ENTRIES.contains(entry.getName())) {
                    entries.put(entry.getName(), zip.readNBytes(512 * 1024 * 1024));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidArtifactException("not a readable model archive: " + e.getMessage(), e);
        }
        if (!entries.containsKey(HEADER)) {
            throw new InvalidArtifactException("not a Dataline built-in model: " + HEADER + " is missing", null);
        }
        try {
            JsonNode header = JSON.readTree(entries.get(HEADER));
            if (!FORMAT.equals(header.path("format").asText())) {
                throw new InvalidArtifactException("unsupported model format " + header.path("format"), null);
            }
            TrainingSpec spec = TrainingSpec.parse(header.get("spec"));
            Featurizer featurizer = Featurizer.fromJson(header.get("featurizer"));
            String solver = header.path("solver").asText(SgdClassifier.SOLVER);
            LinearClassifier classifier = switch (solver) {
                case LibLinearClassifier.SOLVER -> LibLinearClassifier.read(header.path(solver), entry(entries, LibLinearClassifier.ENTRY));
                case SgdClassifier.SOLVER -> entries.containsKey(SgdClassifier.ENTRY)
                        ? SgdClassifier.read(header.path(solver), entries.get(SgdClassifier.ENTRY))
                        : SgdClassifier.readTribuo(entry(entries, SgdClassifier.TRIBUO_ENTRY));
                default -> throw new InvalidArtifactException("unknown solver " + solver, null);
            };
            return new BuiltinModel(spec, featurizer, classifier);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidArtifactException invalid) {
                throw invalid;
            }
            throw new InvalidArtifactException("the model archive is damaged: " + e.getMessage(), e);
        }
    }
}
