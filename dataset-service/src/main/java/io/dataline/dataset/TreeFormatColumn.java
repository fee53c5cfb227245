package io.dataline.dataset;

import io.dataline.dataset.versioning.TreeFormat;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** A {@link TreeFormat} as the number in {@code dataset.tree_format}. */
@Converter
public class TreeFormatColumn implements AttributeConverter<TreeFormat, Short> {

    @Override
    public Short convertToDatabaseColumn(TreeFormat format) {
        return format == null ? null : (short) format.id();
    }

    @Override
    public TreeFormat convertToEntityAttribute(Short id) {
        return id == null ? null : TreeFormat.of(id);
    }
}
