package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

/**
 * A trained built-in model: the spec it was trained with, its featurizer and the Tribuo model. The artifact is a zip
 * of {@code dataline-model.json} (format, spec, featurizer state, labels) and {@code model.tribuo} (Tribuo's protobuf
 * serialization), so it loads in any JVM with this module. Retraining from the same records, spec and seed gives the
 * same model (the same predictions and metrics), but not the same bytes: Tribuo's serialization carries its provenance
 * (training time, host, JVM), so artifacts are identified by their SHA-256 and compared by what they predict.
 */
public final class BuiltinModel implements Predictor {

    public static final String FORMAT = "dataline-builtin/1";
    private static final String HEADER = "dataline-model.json";
    private static final String TRIBUO = "model.tribuo";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainingSpec spec;
    private final Featurizer featurizer;
    private final Model<Label> model;

    BuiltinModel(TrainingSpec spec, Featurizer featurizer, Model<Label> model) {
        this.spec = spec;
        this.featurizer = featurizer;
        this.model = model;
    }

    public TrainingSpec spec() {
        return spec;
    }

    /** The labels the model can predict, sorted. */
    public List<String> labels() {
        return model.getOutputIDInfo().getDomain().stream().map(Label::getLabel).sorted().toList();
    }

    @Override
    public ModelPrediction predict(JsonNode record) {
        Prediction<Label> prediction = model.predict(BuiltinTrainer.example(LabelFactory.UNKNOWN_LABEL, featurizer.apply(record)));
        Map<String, Double> scores = new TreeMap<>();
        prediction.getOutputScores().forEach((label, score) -> scores.put(label, score.getScore()));
        return new ModelPrediction(prediction.getOutput().getLabel(), scores);
    }

    public void write(OutputStream out) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.put("format", FORMAT);
        header.set("spec", spec.toJson());
        header.set("featurizer", featurizer.toJson());
        var labels = header.putArray("labels");
        labels().forEach(labels::add);
        ByteArrayOutputStream tribuo = new ByteArrayOutputStream();
        model.serializeToStream(tribuo);
        ZipOutputStream zip = new ZipOutputStream(out);
        entry(zip, HEADER, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(header));
        entry(zip, TRIBUO, tribuo.toByteArray());
        zip.finish();
        zip.flush();
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

    /** Loads an artifact written by {@link #write}; {@link InvalidArtifactException} when it is not one. */
    public static BuiltinModel read(InputStream in) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try {
            ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8);
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().equals(HEADER) || entry.getName().equals(TRIBUO)) {
                    entries.put(entry.getName(), zip.readNBytes(512 * 1024 * 1024));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidArtifactException("not a readable model archive: " + e.getMessage(), e);
        }
        if (!entries.containsKey(HEADER) || !entries.containsKey(TRIBUO)) {
            throw new InvalidArtifactException("not a Dataline built-in model: " + HEADER + " or " + TRIBUO + " is missing", null);
        }
        try {
            JsonNode header = JSON.readTree(entries.get(HEADER));
            if (!FORMAT.equals(header.path("format").asText())) {
                throw new InvalidArtifactException("unsupported model format " + header.path("format"), null);
            }
            TrainingSpec spec = TrainingSpec.parse(header.get("spec"));
            Featurizer featurizer = Featurizer.fromJson(header.get("featurizer"));
            Model<?> model = Model.deserializeFromStream(new ByteArrayInputStream(entries.get(TRIBUO)));
            if (!model.validate(Label.class)) {
                throw new InvalidArtifactException("the Tribuo model is not a classifier", null);
            }
            @SuppressWarnings("unchecked")
            Model<Label> classifier = (Model<Label>) model;
            return new BuiltinModel(spec, featurizer, classifier);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidArtifactException invalid) {
                throw invalid;
            }
            throw new InvalidArtifactException("the model archive is damaged: " + e.getMessage(), e);
        }
    }
}
